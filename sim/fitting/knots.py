"""A race's own curve: the Kaplan-Meier estimate on the sample's grid, weighted, and the
knots and figures read from it, which hold whatever the shape of the times (a mix of
sellers, a family outside the candidates).

The fitted family is kept for what the log cannot show: the share who never act and the
times past the last the log saw. The knots give the world the log's curve up to there
(`sim.world.behaviour.fitted.Delay.knots`), and the share who act by a deadline is read
from the curve itself.
"""

from __future__ import annotations

import numpy as np

from sim.fitting.families import RIGHT, Sample
from sim.world.behaviour.fitted import KNOT_LEVELS


def curve(sample: Sample, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The product-limit estimate of P(not acted by t), at each time of the grid where
    someone acted (a time seen at once, left-censored, counts as seen at its bound; one
    censored at a time someone acted is still at risk then)."""
    counts = sample.counts(weights)
    order = np.argsort(sample.at, kind="stable")
    at, n, acted = sample.at[order], counts[order], sample.cell_kind[order] != RIGHT
    before = np.concatenate(([0.0], np.cumsum(n)))[np.searchsorted(at, at, side="left")]
    times, first = np.unique(at[acted], return_index=True)
    events = np.add.reduceat(n[acted], first) if len(first) else np.zeros(0)
    at_risk = n.sum() - before[acted][first]
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(at_risk > 0, 1.0 - events / at_risk, 1.0)
    return times, np.cumprod(factor)


def knots(
    sample: Sample,
    cure: float,
    weights: np.ndarray | None = None,
    deadline: float | None = None,
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The shares of the actors (all but the `cure` share who never act) and the times by
    which they had acted: each of `KNOT_LEVELS` as far as the curve goes down, and, past
    the last, the share by the `deadline` the actor raced (so that a world drawn from the
    knots keeps the share the deadline cut, whatever the family's tail says)."""
    times, survival = curve(sample, weights)
    if not len(times):
        return (), ()
    acted = (1.0 - survival) / max(1.0 - cure, 1e-12)
    levels: list[float] = []
    found: list[float] = []
    for level in KNOT_LEVELS:
        reached = np.flatnonzero(acted >= level)
        if not len(reached):
            break
        levels.append(level)
        found.append(float(times[reached[0]]))
    if deadline is not None and found and deadline > found[-1]:
        before = np.flatnonzero(times <= deadline * (1 + 1e-9))
        share = float(acted[before[-1]]) if len(before) else 0.0
        if levels[-1] < share < 1.0:
            levels.append(share)
            found.append(float(deadline))
    return tuple(levels), tuple(np.maximum.accumulate(found)) if found else ()


def by(sample: Sample, deadline: float, weights: np.ndarray | None = None) -> float:
    """The share who had acted by `deadline` (days), from the curve."""
    times, survival = curve(sample, weights)
    before = np.flatnonzero(times <= deadline * (1 + 1e-9))
    return float(1.0 - survival[before[-1]]) if len(before) else 0.0
