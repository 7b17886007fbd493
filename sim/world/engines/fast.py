"""The default engine: orders stay off the event heap until they share something.

No order touches another until it reaches the Case Management Team, so an order's private
waits need no event: the engine asks its actors for the next move, moves the order's own
clock to that instant and fires it through the same compiled machine, again and again.
Only when the order needs the team does it enter SimPy, at that instant, as a process
that queues for the team's `Resource` (the same code as the reference engine's); after
the decision it goes on alone. Orders whose drawn facts keep them on the plain path are
resolved a block at a time by `sim.world.engines.plain`.

Why it is exact: an order's moves depend only on its own facts, the policy and the time
it is asked at; its clock takes the same values as the reference's SimPy clock (each
wake-up at a move's own instant, `sim.world.engines.clock`); the team sees the same requests at
the same instants. The tables are put in a defined order at the end, so they are equal
to the reference engine's, which `tests/test_engines.py` checks on every scenario.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.world.behaviour.actors import REVIEW
from sim.world.behaviour.worldorder import WorldOrder
from sim.world.engines import aside as set_aside
from sim.world.engines import plain
from sim.world.engines.arrivals import Tick
from sim.world.engines.marketplace import Marketplace, paused_gc


class FastWorld(Marketplace):
    """Orders advance on their own clocks; SimPy holds the clock and the case team."""

    def run(self) -> FastWorld:
        # Checking invariants needs every order's own trace: run them one by one.
        aside = None if self.check_invariants else set_aside.SetAside(self)
        with paused_gc():
            for arrivals in self.arriving:
                if isinstance(arrivals, Tick):  # every event before the day has happened
                    if aside is not None and aside.due_by(arrivals.day):
                        self._alone(aside.release())
                    if arrivals.day > self.env.now:
                        self.env.run(until=arrivals.day)
                    self.tally.open_day(arrivals)
                    continue
                self.tally.placed(arrivals)
                if aside is None:
                    alone = np.arange(arrivals.size)
                else:
                    alone = aside.add(arrivals, plain.resolve(self, arrivals))
                    if aside.size >= aside.CAP:
                        self._alone(aside.release())
                self._alone(arrivals.orders(alone))
            if aside is not None:
                self._alone(aside.release())
            self.env.run()
        return self

    def _alone(self, orders: list[WorldOrder]) -> None:
        """Run orders one by one from their payment on."""
        for order in orders:
            self._advance(order, order.paid_at)

    def _advance(self, order: WorldOrder, clock: float) -> None:
        """Fire the order's private moves from `clock` on, until it needs the team or ends."""
        while True:
            move = self.next_move(order, clock)
            if move is None:
                self.finish(order)
                return
            if move.trigger is REVIEW:
                self.env.process(self._case(order, clock))
                return
            if move.time > clock:
                clock = move.time
            self.fire(order, move, clock)

    def _case(self, order: WorldOrder, when: float) -> Generator[simpy.Event, None, None]:
        """At instant `when`, put the case before the team; then let the order go on."""
        yield self.env.at(when)
        yield from self.office.review(order)
        self._advance(order, self.env.now)
