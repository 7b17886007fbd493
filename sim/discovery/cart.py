"""CART, a second view of the same question: a regression tree on the points'
probabilities (Breiman et al. 1984), whose leaves are boxes too.

Each split is the one that most lowers the squared error of the probabilities, among
every threshold of a numeric parameter and, for a categorical one, every split of its
values sorted by their mean probability (which holds the best split for squared error,
Breiman's theorem); growth stops at `depth` or where a leaf would hold fewer than
`min_mass` of the points. Where PRIM peels patiently towards one box, the tree cuts the
space into several: the two agreeing on a parameter is evidence for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.discovery.box import Box, Space, Stats

DEPTH = 3
MIN_MASS = 0.05


@dataclass(frozen=True)
class Leaf:
    box: Box
    stats: Stats


def leaves(space: Space, y: np.ndarray, depth: int = DEPTH, min_mass: float = MIN_MASS
           ) -> list[Leaf]:  # fmt: skip
    """The tree's leaves, densest first."""
    floor = max(1, int(np.ceil(min_mass * space.size)))
    found: list[Leaf] = []
    _grow(space, y, space.whole(), np.ones(space.size, dtype=bool), depth, floor, found)
    return sorted(found, key=lambda leaf: -leaf.stats.density)


def _grow(space: Space, y: np.ndarray, box: Box, inside: np.ndarray, depth: int, floor: int,
          found: list[Leaf]) -> None:  # fmt: skip
    split = _split(space, y, box, inside, floor) if depth > 0 else None
    if split is None:
        found.append(Leaf(box.opened(space.whole()), Stats.of(inside, y)))
        return
    for child in split:
        _grow(space, y, child, inside & child.contains(space.x), depth - 1, floor, found)


def _split(space: Space, y: np.ndarray, box: Box, inside: np.ndarray, floor: int
           ) -> tuple[Box, Box] | None:  # fmt: skip
    """The two halves of `box` that most lower the squared error, if any split does."""
    rows = np.flatnonzero(inside)
    values_y = y[rows]
    base = float(((values_y - values_y.mean()) ** 2).sum())
    best, best_error = None, base - 1e-12
    for j in range(len(space.names)):
        x = space.x[rows, j]
        if space.categorical(j):
            codes = sorted(set(x.astype(int).tolist()))
            means = {c: float(values_y[x == c].mean()) for c in codes}
            order = sorted(codes, key=lambda c: (means[c], c))
            keys = np.array([order.index(int(v)) for v in x], dtype=float)
        else:
            order, keys = [], x
        ranked = np.argsort(keys, kind="stable")
        k_sorted, y_sorted = keys[ranked], values_y[ranked]
        cum, cum2 = np.cumsum(y_sorted), np.cumsum(y_sorted**2)
        n = len(rows)
        for i in range(floor, n - floor + 1):
            if i >= n or k_sorted[i] == k_sorted[i - 1]:
                continue
            left = cum2[i - 1] - cum[i - 1] ** 2 / i
            right = (cum2[-1] - cum2[i - 1]) - (cum[-1] - cum[i - 1]) ** 2 / (n - i)
            if left + right < best_error:
                best_error = left + right
                best = (j, float(k_sorted[i - 1]), float(k_sorted[i]), order)
    if best is None:
        return None
    j, below, above, order = best
    if space.categorical(j):
        cut = int(above)  # the first value's rank on the upper side
        lower = frozenset(order[:cut]) & box.allowed[j]
        return box.with_allowed(j, lower), box.with_allowed(j, box.allowed[j] - lower)
    return box.with_range(j, box.lows[j], below), box.with_range(j, above, box.highs[j])
