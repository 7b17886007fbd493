"""Picking individuals by weight: the answers of a binary search, for a few lookups each.

A new order's buyer is the first index whose cumulative weight exceeds a uniform point
on the total. A binary search over 300,000 buyers costs some twenty cache misses a
point; a guide table (Chen and Asau's indexed search) cuts the total into as many equal
slots as there are weights and remembers, for each slot, how many cumulative weights
lie wholly before it. A point then starts at its slot's entry and steps forward past
the few weights left, so the answer is the binary search's, index for index (tested).

A seller standard restricts a few sellers at a time. Drawing from the restricted weights
would move every draw past the restricted seller's place in the cumulative sum, so two
policies compared on one seed would stop sharing their marketplace at the first
restriction. `thinned` draws from the unrestricted weights and draws again, from the
draw's own sequence, only where the seller drawn is refused: the distribution is the
same, and a restriction moves only the orders its seller would have had.
"""

from __future__ import annotations

import numpy as np

STEPS = 4  # forward steps tried a column at a time; the rare longer walks are searched


class WeightedPick:
    """Indices drawn with chances proportional to `weights` (non-negative)."""

    def __init__(self, weights: np.ndarray) -> None:
        self.weights = weights
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


GOLDEN = 0x9E3779B97F4A7C15  # 2**64 / the golden ratio: SplitMix64's step
MAX_ATTEMPTS = 1_000  # draws again at most this often before drawing from the kept weights


def own_uniforms(seeds: np.ndarray, attempt: int) -> np.ndarray:
    """Uniforms in [0, 1) of each draw's own sequence: the `attempt`-th of the sequence
    seeded by `seeds` (uint64), SplitMix64's output at that step. A draw's sequence is its
    own, so how often one draw is drawn again moves no other draw."""
    x = seeds + np.uint64(GOLDEN * (attempt + 1) % 2**64)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return (x >> np.uint64(11)).astype(np.float64) * 2.0**-53


def thinned(free: WeightedPick, keep: np.ndarray | None, u: np.ndarray) -> np.ndarray:
    """Indices drawn with chances proportional to `free`'s weights times `keep` (each
    index's chance, 0 to 1, of being kept where it is drawn), from the uniforms `u`.

    Each draw picks from the free weights with its `u`; where the index it lands on is not
    kept, it is drawn again from its own sequence (`own_uniforms`, seeded by `u`) until one
    is. The distribution is that of the kept weights (rejection sampling), and a change to
    one index's `keep` moves only the draws that land on that index: every other draw keeps
    its index. `keep=None`: every index kept (the free draw).
    """
    found = free.draw(u)
    if keep is None:
        return found
    seeds = u.view(np.uint64)
    pending = np.flatnonzero(keep[found] < 1.0)
    pending = pending[own_uniforms(seeds[pending], 0) >= keep[found[pending]]]
    attempt = 1
    while len(pending) and attempt < MAX_ATTEMPTS:
        found[pending] = free.draw(own_uniforms(seeds[pending], 2 * attempt - 1))
        kept = own_uniforms(seeds[pending], 2 * attempt) < keep[found[pending]]
        pending = pending[~kept]
        attempt += 1
    if len(pending):  # a kept share so small that drawing again takes too long
        direct = WeightedPick(np.where(keep > 0, free.weights * keep, 0.0))
        found[pending] = direct.draw(own_uniforms(seeds[pending], 2 * attempt - 1))
    return found
