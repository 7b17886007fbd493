"""Means with 95% confidence intervals, and paired differences (Student's t).

An interval never leaves its figure's range: a share's interval stays within 0 and 1
(the t interval is cut at the range's ends, which only makes it more honest).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import stdtrit  # what stats.t.ppf computes, without scipy.stats' import

LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    """A mean over replications and the half-width of its 95% confidence interval."""

    mean: float
    half_width: float  # NaN with fewer than two replications
    n: int
    bounds: tuple[float, float] = (-math.inf, math.inf)  # the figure's range

    @property
    def low(self) -> float:
        return max(self.mean - self.half_width, self.bounds[0])

    @property
    def high(self) -> float:
        return min(self.mean + self.half_width, self.bounds[1])

    @property
    def significant(self) -> bool:
        """Whether the interval excludes zero (for a difference)."""
        return not math.isnan(self.half_width) and (self.low > 0 or self.high < 0)

    def within(self, relative: float, floor: float) -> bool:
        """Whether the half-width is at most `relative` of the mean, or at most `floor`."""
        if math.isnan(self.half_width):
            return False
        return self.half_width <= max(relative * abs(self.mean), floor)


def estimate(
    values: Sequence[float],
    bounds: tuple[float, float] = (-math.inf, math.inf),
    spread: bool = False,
) -> Estimate:
    """Mean and 95% CI of independent replications (NaN values are left out), within
    the figure's range `bounds`. With `spread`, where each replication ran its own draw of
    uncertain parameters (a fit's bootstrap set), the interval is where 95% of such runs
    fall (mean +- t sd sqrt(1 + 1/n)): what the data and the simulation together allow,
    which more replications make surer of but not narrower, as the confidence interval of
    the mean would be."""
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    n = len(data)
    if n == 0:
        return Estimate(math.nan, math.nan, 0, bounds)
    if n == 1:
        return Estimate(float(data[0]), math.nan, 1, bounds)
    t = stdtrit(n - 1, 0.5 + LEVEL / 2)
    scale = math.sqrt(1.0 + 1.0 / n) if spread else 1.0 / math.sqrt(n)
    return Estimate(float(data.mean()), float(t * data.std(ddof=1) * scale), n, bounds)


def paired_difference(
    treatment: Sequence[float],
    control: Sequence[float],
    bounds: tuple[float, float] = (-math.inf, math.inf),
    spread: bool = False,
) -> Estimate:
    """Mean and 95% CI of `treatment - control`, replication by replication; `bounds` is
    the range of the figure itself (a difference lies within plus or minus its width);
    `spread` as in `estimate`."""
    a, b = np.asarray(treatment, dtype=float), np.asarray(control, dtype=float)
    if a.shape != b.shape:
        raise ValueError("paired samples must have the same replications")
    width = bounds[1] - bounds[0]
    return estimate(a - b, (-width, width), spread)
