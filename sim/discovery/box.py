"""A box in the space of swept parameters: a range for each numeric one, a set of values
for each categorical one; and the statistics scenario discovery reads off it.

The points are design points, each carrying the probability `y` that the condition of
interest holds there (the share of its replications that meet it). A box's *mass* is the
share of points inside it, its *density* the mean probability inside (how pure it is), and
its *coverage* the share of all the probability that falls inside (how much of the
phenomenon it explains).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Space:
    """The parameters a discovery runs over: a matrix of their values at the points.

    Numeric columns hold the values; a categorical column holds the index of each point's
    value in `categories[name]` (as a float, so one matrix holds both).
    """

    names: tuple[str, ...]
    x: np.ndarray  # points x parameters
    categories: dict[str, tuple[object, ...]] = field(default_factory=dict)

    def categorical(self, j: int) -> bool:
        return self.names[j] in self.categories

    @property
    def size(self) -> int:
        return int(self.x.shape[0])

    def whole(self) -> Box:
        """The box that holds every point: the range of each numeric column, every value
        of each categorical one."""
        lows, highs, allowed = [], [], {}
        for j, name in enumerate(self.names):
            if self.categorical(j):
                allowed[j] = frozenset(range(len(self.categories[name])))
                lows.append(-np.inf)
                highs.append(np.inf)
            else:
                lows.append(float(self.x[:, j].min()))
                highs.append(float(self.x[:, j].max()))
        return Box(tuple(lows), tuple(highs), allowed)

    def unbounded(self) -> Box:
        """The box with no limit at all: what a box is measured against."""
        n = len(self.names)
        every = {j: frozenset(range(len(self.categories[name])))
                 for j, name in enumerate(self.names) if name in self.categories}  # fmt: skip
        return Box((-np.inf,) * n, (np.inf,) * n, every)

    def subset(self, rows: np.ndarray) -> Space:
        return Space(self.names, self.x[rows], self.categories)


@dataclass(frozen=True)
class Box:
    """Limits per parameter: `lows`/`highs` for numeric ones (inclusive), `allowed`
    category indices for categorical ones (by column index)."""

    lows: tuple[float, ...]
    highs: tuple[float, ...]
    allowed: dict[int, frozenset[int]] = field(default_factory=dict)

    def contains(self, x: np.ndarray) -> np.ndarray:
        """Which rows of `x` lie inside."""
        inside = np.ones(x.shape[0], dtype=bool)
        for j in range(x.shape[1]):
            if j in self.allowed:
                inside &= np.isin(x[:, j], list(self.allowed[j]))
            else:
                inside &= (x[:, j] >= self.lows[j]) & (x[:, j] <= self.highs[j])
        return inside

    def with_range(self, j: int, low: float, high: float) -> Box:
        lows, highs = list(self.lows), list(self.highs)
        lows[j], highs[j] = low, high
        return Box(tuple(lows), tuple(highs), self.allowed)

    def with_allowed(self, j: int, allowed: frozenset[int]) -> Box:
        return Box(self.lows, self.highs, {**self.allowed, j: allowed})

    def opened(self, whole: Box) -> Box:
        """This box with every side that reaches `whole`'s limit left open (infinite): a
        point beyond the last one sampled, on a side the box does not limit, is inside."""
        lows = tuple(
            -np.inf if lo <= w else lo for lo, w in zip(self.lows, whole.lows, strict=True)
        )
        highs = tuple(
            np.inf if hi >= w else hi for hi, w in zip(self.highs, whole.highs, strict=True)
        )
        return Box(lows, highs, self.allowed)

    def restricted(self, whole: Box) -> tuple[int, ...]:
        """The parameters this box limits more than `whole` does."""
        found = []
        for j in range(len(self.lows)):
            if j in self.allowed:
                narrower = self.allowed[j] != whole.allowed[j]
            else:
                narrower = self.lows[j] > whole.lows[j] or self.highs[j] < whole.highs[j]
            if narrower:
                found.append(j)
        return tuple(found)

    def without(self, j: int, whole: Box) -> Box:
        """The box with parameter `j` given back its whole range."""
        if j in self.allowed:
            return self.with_allowed(j, whole.allowed[j])
        return self.with_range(j, whole.lows[j], whole.highs[j])


@dataclass(frozen=True)
class Stats:
    """What a box holds of the points: mass, density and coverage."""

    mass: float
    density: float
    coverage: float
    points: int

    @classmethod
    def of(cls, inside: np.ndarray, y: np.ndarray) -> Stats:
        total, n = float(y.sum()), int(inside.sum())
        held = float(y[inside].sum())
        return cls(
            mass=n / len(y) if len(y) else 0.0,
            density=held / n if n else 0.0,
            coverage=held / total if total > 0 else 0.0,
            points=n,
        )
