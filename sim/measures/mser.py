"""MSER-5 (White 1997): where a series' initial transient ends, by the truncation that
minimises the batch means' marginal standard error. Used to choose a warm-up
(sim.experiments.warmup) and to say how long a path takes to settle (sim.measures.adaptation)."""

from __future__ import annotations

import math
import warnings

import numpy as np

BATCH = 5  # MSER-5: batch means of five observations


def mser(series: np.ndarray, batch: int = BATCH) -> int:
    """The MSER-`batch` truncation point, in observations of `series` (NaNs are dropped
    from the batch means). Only the first half is searched, as the method asks."""
    values = np.asarray(series, dtype=float)
    n = len(values) // batch
    if n < 4:
        return 0
    with warnings.catch_warnings():  # a batch of NaNs (no case escalated) is dropped
        warnings.simplefilter("ignore", RuntimeWarning)
        batches = np.nanmean(values[: n * batch].reshape(n, batch), axis=1)
    batches = batches[~np.isnan(batches)]
    n = len(batches)
    best, best_d = math.inf, 0
    for d in range(n // 2 + 1):
        rest = batches[d:]
        score = float(((rest - rest.mean()) ** 2).sum()) / (len(rest) ** 2)
        if score < best:
            best, best_d = score, d
    return best_d * batch
