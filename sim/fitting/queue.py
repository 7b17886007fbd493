"""The case team's queue read back from the log: its capacity and each review's length.

A log shows when a case reached the team (an escalation, evidence coming back, an appeal)
and when the team was done with it (a decision, a request for evidence), not when an
officer picked it up. The team serves its one queue first come, first served
(`sim.world.engines.case_office`), so with `c` cases in review at once, each case starts at
the later of its arrival and the moment the earliest of the `c` cases before it left: the
reviews are then what remains of each stay. Too small a `c` makes some review end before
it began; the capacity is the smallest `c` for which none does (more capacity than that
only shortens the waits the log shows to zero). Cases still with the team at the log's
end are right-censored.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

TIE = 1e-6  # days


@dataclass(frozen=True)
class Queue:
    """The team's stays in the log, in order of arrival, and what the reconstruction found."""

    arrived: np.ndarray
    left: np.ndarray  # NaN: still with the team at the log's end
    case: np.ndarray

    def starts(self, capacity: int) -> np.ndarray | None:
        """When each stay's review began with `capacity` cases in review at once (None: a
        review would end before it began: too little capacity)."""
        busy: list[float] = []
        starts = np.empty(len(self.arrived))
        last = -np.inf
        for k, (arrived, left) in enumerate(
            zip(self.arrived.tolist(), self.left.tolist(), strict=True)
        ):
            start = arrived
            if len(busy) >= capacity:
                start = max(start, heapq.heappop(busy))
            start = max(start, last)  # first come, first served
            if left == left and left < start - TIE:  # NaN != NaN: still there
                return None
            starts[k] = last = start
            heapq.heappush(busy, left if left == left else np.inf)
        return starts

    def capacity(self) -> int:
        """The smallest capacity the log's stays are possible with."""
        if not len(self.arrived):
            return 1
        ends = np.where(np.isnan(self.left), np.inf, self.left)
        moments = np.concatenate([self.arrived, ends])
        step = np.concatenate([np.ones(len(ends)), -np.ones(len(ends))])
        order = np.lexsort((step, moments))  # a departure before an arrival at one instant
        high = max(int(np.cumsum(step[order]).max()), 1)
        low = 1
        while low < high:
            middle = (low + high) // 2
            if self.starts(middle) is None:
                low = middle + 1
            else:
                high = middle
        return low
