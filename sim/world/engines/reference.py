"""The reference engine: every order is a SimPy process, every private wait an event.

It is the plainest reading of the model, kept to check the default engine against: one
process per order asks the actors for the next move, waits for its instant on the
clock's heap, and fires it. Orders meet only at the case team.
"""

from __future__ import annotations

from collections.abc import Generator

import simpy

from sim.world.behaviour.actors import REVIEW
from sim.world.behaviour.worldorder import WorldOrder
from sim.world.engines.arrivals import Tick
from sim.world.engines.marketplace import Marketplace, paused_gc


class ReferenceWorld(Marketplace):
    """All-SimPy: ~one heap event per fired transition, every live order on the heap."""

    def run(self) -> ReferenceWorld:
        self.env.process(self._arrivals())
        with paused_gc():
            self.env.run()
        return self

    def _arrivals(self) -> Generator[simpy.Event, None, None]:
        env = self.env
        for arrivals in self.arriving:
            if isinstance(arrivals, Tick):  # a day's start comes before its other events
                if arrivals.day > env.now:
                    yield env.first_at(arrivals.day)
                self.tally.open_day(arrivals)
                continue
            self.tally.placed(arrivals)
            for order in arrivals.orders():
                yield env.at(order.paid_at)
                env.process(self._life(order))

    def _life(self, order: WorldOrder) -> Generator[simpy.Event, None, None]:
        env = self.env
        while True:
            move = self.next_move(order, env.now)
            if move is None:
                break
            if move.trigger is REVIEW:
                yield from self.office.review(order)
                continue
            if move.time > env.now:
                yield env.at(move.time)
            self.fire(order, move, env.now)
        self.finish(order)
