"""Picking individuals by weight: the answers of a binary search, for a few lookups each.

A new order's buyer is the first index whose cumulative weight exceeds a uniform point
on the total. A binary search over 300,000 buyers costs some twenty cache misses a
point; a guide table (Chen and Asau's indexed search) cuts the total into as many equal
slots as there are weights and remembers, for each slot, how many cumulative weights
lie wholly before it. A point then starts at its slot's entry and steps forward past
the few weights left, so the answer is the binary search's, index for index (tested).
"""

from __future__ import annotations

import numpy as np

STEPS = 4  # forward steps tried a column at a time; the rare longer walks are searched


class WeightedPick:
    """Indices drawn with chances proportional to `weights` (non-negative)."""

    def __init__(self, weights: np.ndarray) -> None:
        cumulative = np.cumsum(weights, dtype=np.float64)
        self.total = float(cumulative[-1]) if len(cumulative) else 0.0
        self._cumulative = np.append(cumulative, np.inf)  # a point at the total stops there
        self._slots = max(len(cumulative), 1)
        self._scale = self._slots / self.total if self.total > 0 else 0.0
        # Slot j starts after every weight whose cumulative sum lies two slots before it
        # or earlier: one slot of slack keeps the start at or before the answer, whatever
        # the rounding of `cumulative * scale`.
        slot_of = np.minimum(np.floor(cumulative * self._scale), self._slots).astype(np.int64)
        before = np.cumsum(np.bincount(slot_of, minlength=self._slots + 1))
        self._start = np.concatenate(([0, 0], before[: self._slots - 1]))

    def __len__(self) -> int:
        return len(self._cumulative) - 1

    def pick(self, points: np.ndarray) -> np.ndarray:
        """For each point in [0, total), the first index whose cumulative weight exceeds
        it (the last index at most), as `np.searchsorted(cumulative, points, "right")`."""
        cumulative = self._cumulative
        slot = np.clip((points * self._scale).astype(np.int64), 0, self._slots)
        found = self._start[slot]
        for _ in range(STEPS):
            ahead = cumulative[found] <= points
            if not ahead.any():
                break
            found += ahead
        else:
            rest = np.flatnonzero(cumulative[found] <= points)
            found[rest] = np.searchsorted(cumulative, points[rest], side="right")
        return np.minimum(found, len(self) - 1)

    def draw(self, u: np.ndarray) -> np.ndarray:
        """The index of each uniform draw `u` in [0, 1)."""
        return self.pick(u * self.total)
