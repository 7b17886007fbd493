"""Means with 95% confidence intervals, and paired differences (Student's t)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    """A mean over replications and the half-width of its 95% confidence interval."""

    mean: float
    half_width: float  # NaN with fewer than two replications
    n: int

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width

    @property
    def significant(self) -> bool:
        """Whether the interval excludes zero (for a difference)."""
        return not math.isnan(self.half_width) and (self.low > 0 or self.high < 0)


def estimate(values: Sequence[float]) -> Estimate:
    """Mean and 95% CI of independent replications (NaN values are left out)."""
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    n = len(data)
    if n == 0:
        return Estimate(math.nan, math.nan, 0)
    if n == 1:
        return Estimate(float(data[0]), math.nan, 1)
    t = stats.t.ppf(0.5 + LEVEL / 2, n - 1)
    return Estimate(float(data.mean()), float(t * data.std(ddof=1) / math.sqrt(n)), n)


def paired_difference(treatment: Sequence[float], control: Sequence[float]) -> Estimate:
    """Mean and 95% CI of `treatment - control`, replication by replication."""
    a, b = np.asarray(treatment, dtype=float), np.asarray(control, dtype=float)
    if a.shape != b.shape:
        raise ValueError("paired samples must have the same replications")
    return estimate(a - b)
