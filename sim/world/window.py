"""The calendar of a run: a warm-up from an empty marketplace, then the measured window.

Day 0 (the epoch) is the first day of the warm-up. Orders arrive from day 0 to the end
of the window; the figures count the orders placed in the window, each followed to its
end after the window closes (the drain), and the case team over the window's days.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    """What a run measures: `days` from `start`, after `warmup_days` of warm-up.

    `days` is None when a run counts a fixed number of orders instead (tests): then every
    order is measured, and the team over the whole run.
    """

    start: dt.date
    days: int | None
    warmup_days: int

    @property
    def epoch(self) -> dt.date:
        """The calendar date of day 0."""
        return self.start - dt.timedelta(days=self.warmup_days)

    @property
    def first_day(self) -> float:
        """The window's first instant, in days since the epoch."""
        return float(self.warmup_days)

    @property
    def end_day(self) -> float:
        """The window's end (exclusive), in days since the epoch; infinite if open."""
        return math.inf if self.days is None else float(self.warmup_days + self.days)

    @property
    def end(self) -> dt.date | None:
        """The window's last calendar day (None if open)."""
        return None if self.days is None else self.start + dt.timedelta(days=self.days - 1)

    def keeps(self, paid_at: float, escalated_at: float | None) -> bool:
        """Whether the run's tables keep an order: paid in the window, or paid in the
        warm-up and put before the case team in the window (whose wait the team's figures
        count). The warm-up's other orders shape the world (the sellers' records, the
        team's queue, what buyers learn) but are not kept: nothing measured reads them."""
        first = self.first_day
        return paid_at >= first or (escalated_at is not None and escalated_at >= first)

    def describe(self) -> str:
        """One line for headers: the window and the warm-up before it."""
        if self.days is None:
            return f"from {self.start.isoformat()}, no warm-up, a fixed number of orders"
        return (
            f"window {self.start.isoformat()} to {self.end.isoformat() if self.end else ''} "
            f"({_days(self.days)}) after {_days(self.warmup_days)} of warm-up"
        )


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
