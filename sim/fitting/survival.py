"""The Kaplan-Meier estimate of a time to act, the nonparametric curve a fitted family is
shown against (left-censored observations are taken as seen at their bound)."""

from __future__ import annotations

import numpy as np

from sim.fitting.families import EXACT, Sample


def kaplan_meier(sample: Sample, points: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """The product-limit survival at up to `points` times spread over the sample's range:
    P(not acted by t) estimated from the times seen and the times censored."""
    order = np.argsort(sample.times, kind="stable")
    times, seen = sample.times[order], sample.kind[order] != 1  # right-censored: not seen
    unique, first = np.unique(times, return_index=True)
    at_risk = len(times) - first
    events = np.add.reduceat(seen.astype(np.int64), first) if len(times) else np.zeros(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(at_risk > 0, 1.0 - events / at_risk, 1.0)
    survival = np.cumprod(factor)
    if len(unique) > points:
        keep = np.unique(np.linspace(0, len(unique) - 1, points).astype(int))
        unique, survival = unique[keep], survival[keep]
    return unique, survival


def seen_share(sample: Sample) -> float:
    """The share of observations whose time was seen (not censored)."""
    return float((sample.kind == EXACT).mean()) if sample.size else float("nan")
