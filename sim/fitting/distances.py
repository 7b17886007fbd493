"""Distances between two event logs, each a measure of one kind of likeness, in [0, 1]
where it is a share and in days where it is a time (own implementations on numpy/scipy,
after the measures of Camargo et al. and Chapela-Campa et al. for simulated logs):

- `ngram_distance`: the total variation between the shares of every n activities in a row
  in the traces (with a start and an end), 0 for the same mix, 1 for no n-gram in common;
- `control_flow_distance`: the mean normalised edit distance between traces matched one to
  one at least total cost (the control-flow log distance, CFLD), on samples of each log;
- `wasserstein`: the earth mover's distance between two samples of a time, in its unit.

Traces are variants: tuples of activity codes, counted; a distance between two logs takes
the variants and their counts on each side, so a log of a million cases costs what its
few hundred variants cost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.stats import wasserstein_distance

Variant = tuple[int, ...]
START, END = -1, -2  # the markers around a trace for its n-grams


def ngram_distance(variants: Sequence[Variant], a: np.ndarray, b: np.ndarray, n: int = 3) -> float:
    """Total variation between the n-gram shares of two logs, given as counts `a` and `b`
    of each of `variants` (the n-grams of a variant counted once per case that took it)."""
    left, right = Counter[tuple[int, ...]](), Counter[tuple[int, ...]]()
    for variant, ca, cb in zip(variants, a, b, strict=True):
        if not ca and not cb:
            continue
        for gram in _ngrams(variant, n):
            left[gram] += ca
            right[gram] += cb
    total_a, total_b = sum(left.values()), sum(right.values())
    if not total_a or not total_b:
        return float("nan")
    return 0.5 * sum(
        abs(left[g] / total_a - right[g] / total_b) for g in left.keys() | right.keys()
    )


@lru_cache(maxsize=4096)
def _ngrams(variant: Variant, n: int) -> tuple[tuple[int, ...], ...]:
    padded = (START,) * (n - 1) + variant + (END,)
    return tuple(padded[i : i + n] for i in range(len(padded) - n + 1))


def control_flow_distance(
    variants: Sequence[Variant],
    a: np.ndarray,
    b: np.ndarray,
    rng: np.random.Generator,
    sample: int = 400,
) -> float:
    """The control-flow log distance on up to `sample` traces drawn from each log: the
    traces matched one to one at the least total normalised edit distance (Hungarian),
    and the mean distance of the matched pairs (0: the same traces, 1: nothing alike)."""
    size = int(min(sample, a.sum(), b.sum()))
    if size == 0:
        return float("nan")
    left = _draw(a, size, rng)
    right = _draw(b, size, rng)
    ids_l, ids_r = np.unique(left), np.unique(right)
    pair = np.array([[_edit(variants[i], variants[j]) for j in ids_r] for i in ids_l])
    cost = pair[np.searchsorted(ids_l, left)][:, np.searchsorted(ids_r, right)]
    rows, cols = linear_sum_assignment(cost)
    return float(cost[rows, cols].mean())


def _draw(counts: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """`size` cases drawn without replacement, as variant indices."""
    cases = np.repeat(np.arange(len(counts)), counts.astype(np.int64))
    return rng.choice(cases, size=size, replace=False)


@lru_cache(maxsize=1 << 16)
def _edit(x: Variant, y: Variant) -> float:
    """Levenshtein distance over activities, divided by the longer trace's length."""
    if not x and not y:
        return 0.0
    previous = list(range(len(y) + 1))
    for i, xi in enumerate(x, 1):
        current = [i]
        for j, yj in enumerate(y, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (xi != yj)))
        previous = current
    return previous[-1] / max(len(x), len(y))


def wasserstein(a: np.ndarray, b: np.ndarray) -> float:
    """The earth mover's distance between two samples (NaN where either is empty)."""
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if not len(a) or not len(b):
        return float("nan")
    return float(wasserstein_distance(a, b))
