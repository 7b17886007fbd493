"""How sure a discovery is: a point's probability from its replications (Wilson), a box's
coverage, density and mass under resampling of the design points (bootstrap), and
whether each restriction of a box is needed (quasi-p-values).

The unit of resampling and of testing is the design point, never the replication: the
replications of a point share its parameters, so counting them as independent points
would make every box look surer than the design allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.discovery.box import Box, Space

LEVEL = 0.95
RESAMPLES = 500


def wilson(successes: np.ndarray, trials: np.ndarray, level: float = LEVEL
           ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """The Wilson score interval of each proportion `successes / trials` (within 0 and 1,
    and not degenerate at 0 or 1, where the normal interval is)."""
    k, n = np.asarray(successes, dtype=float), np.asarray(trials, dtype=float)
    z = stats.norm.ppf(0.5 + level / 2)
    p = np.divide(k, n, out=np.zeros_like(k), where=n > 0)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class Spread:
    """Percentile intervals of a box's statistics over bootstrap resamples of the points."""

    coverage: Interval
    density: Interval
    mass: Interval


def bootstrap(
    boxes: list[Box], space: Space, y: np.ndarray, seed: int, resamples: int = RESAMPLES,
    level: float = LEVEL,
) -> list[Spread]:  # fmt: skip
    """Each box's coverage, density and mass recomputed on `resamples` resamples of the
    design points (drawn with replacement, from `seed`): the box's limits stay as found."""
    gen = np.random.Generator(np.random.PCG64(seed))
    n = space.size
    draws = gen.integers(0, n, size=(resamples, n))
    counts = np.stack([np.bincount(row, minlength=n) for row in draws])  # resamples x points
    totals = counts @ y
    tails = (100 * (1 - level) / 2, 100 * (1 + level) / 2)
    spreads = []
    for box in boxes:
        inside = box.contains(space.x).astype(float)
        held_n = counts @ inside
        held_y = counts @ (inside * y)
        density = np.divide(held_y, held_n, out=np.zeros_like(held_y), where=held_n > 0)
        coverage = np.divide(held_y, totals, out=np.zeros_like(held_y), where=totals > 0)
        mass = held_n / n

        def interval(values: np.ndarray) -> Interval:
            low, high = np.percentile(values, tails)
            return Interval(float(low), float(high))

        spreads.append(Spread(interval(coverage), interval(density), interval(mass)))
    return spreads


def quasi_p_values(box: Box, whole: Box, space: Space, y: np.ndarray) -> dict[int, float]:
    """For each restriction of `box`, the chance of a density this high or higher among
    its points if the restriction were dropped (one-sided binomial, the design points as
    trials and the sum of their probabilities as successes): small means the restriction
    is needed; large, that it could be dropped with little loss."""
    inside = box.contains(space.x)
    n, held = int(inside.sum()), float(y[inside].sum())
    found = {}
    for j in box.restricted(whole):
        looser = box.without(j, whole).contains(space.x)
        p_looser = float(y[looser].mean()) if looser.any() else 0.0
        successes = math.ceil(held - 1e-9)
        found[j] = float(stats.binom.sf(successes - 1, n, p_looser)) if n else 1.0
    return found
