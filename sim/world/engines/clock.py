"""The world's clock: SimPy's environment, woken at absolute instants.

An instant is a float number of days since the scenario's epoch, and every moment in the
world is computed once, by the deadline or actor that names it. `env.timeout(when - now)`
would land on `now + (when - now)`, which in floating point can fall an ulp before `when`,
so that an order's next move could be dated before its last event. `Clock.at(when)`
schedules the wake-up at `when` itself: after it, `now == when` exactly, and an order's
time can never go backwards.

No delay can always stand in for the instant: where the delay's float steps are as coarse
as the instant's, `now + delay` skips every other float, so the instant is put on SimPy's
heap directly. That reads two private members of `simpy.Environment` (`_queue`, the heap
of `(time, priority, id, event)`, and `_eid`, the id counter); the project pins SimPy's
minor version and `tests/test_instants.py` checks both against the installed SimPy.
"""

from __future__ import annotations

from heapq import heappush

import simpy
from simpy.core import NORMAL, URGENT, EventPriority


class Instant(simpy.Event):
    """An event that succeeds at a given instant (not after a delay)."""

    def __init__(self, env: Clock, when: float, priority: EventPriority = NORMAL) -> None:
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule_at(self, when, priority)


class Clock(simpy.Environment):
    """A SimPy environment that can also schedule events at absolute times."""

    def schedule_at(
        self, event: simpy.Event, when: float, priority: EventPriority = NORMAL
    ) -> None:
        """Put `event` on the heap at instant `when` (not before now), behind any event
        already scheduled for that instant: SimPy's own first-in-first-out tie-break."""
        if when < self._now:
            raise ValueError(f"cannot schedule at {when}: the clock is at {self._now}")
        heappush(self._queue, (when, priority, next(self._eid), event))

    def at(self, when: float) -> Instant:
        """An event to `yield` that wakes the process at instant `when`."""
        return Instant(self, when)

    def first_at(self, when: float) -> Instant:
        """Like `at`, but before every ordinary event of that instant (a day's start)."""
        return Instant(self, when, URGENT)
