"""The case team's stays read from the log: how many cases it held at once.

A log shows when a case reached the team (an escalation, evidence coming back, an appeal)
and when the team was done with it (a decision, a request for evidence), not when an
officer picked it up: whether a case waited in the queue cannot be seen. The team held at
least as many cases at once as the log shows with it, so that is a lower bound on its
capacity; the reviews are read as whole stays, none waiting, which is exact while the
capacity was never reached. Cases still with the team at the log's end are right-censored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Queue:
    """The team's stays in the log, in order of arrival."""

    arrived: np.ndarray
    left: np.ndarray  # NaN: still with the team at the log's end
    case: np.ndarray

    def held_at_once(self) -> int:
        """The most cases the log shows with the team at one moment (a departure before an
        arrival at the same instant)."""
        if not len(self.arrived):
            return 0
        ends = np.where(np.isnan(self.left), np.inf, self.left)
        moments = np.concatenate([self.arrived, ends])
        step = np.concatenate([np.ones(len(ends)), -np.ones(len(ends))])
        order = np.lexsort((step, moments))
        return int(np.cumsum(step[order]).max())
