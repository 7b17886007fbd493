"""The orders the walk may settle, set aside as they arrive and walked many at once.

A walk (`sim.world.engines.settled`) costs about as much for a few orders as for thousands, so
the orders it may settle are gathered over days. They may wait: until `first_contact`,
nothing an order does is seen by another (the sellers' counts, a buyer's claims, the
feedback, what buyers and sellers learn, the case team), so walking them later, at once,
changes nothing any table shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from machine import deadlines
from sim.world.behaviour.dispute_facts import SLACK  # days kept off the bound against rounding
from sim.world.engines.arrivals import Arrivals
from sim.world.engines.settled.states import ARRIVES, INF
from sim.world.engines.settled.walk import Walk
from sim.world.engines.written import Written

if TYPE_CHECKING:
    from machine.policy import Policy
    from sim.world.behaviour.worldorder import WorldOrder
    from sim.world.engines.marketplace import Marketplace


class SetAside:
    """Orders the walk may settle, set aside until they must be walked: `due_by(day)` says
    when the world must walk them before it moves on to `day`; a world without days
    walks them at `CAP` or at the end."""

    CAP = 4_096  # orders set aside at most

    def __init__(self, world: Marketplace) -> None:
        self.world = world
        self._parts: list[Arrivals] = []
        self.size = 0
        self._due = INF

    def add(self, arrivals: Arrivals, rows: np.ndarray) -> np.ndarray:
        """Set aside those of the block's `rows` the walk may settle; return the others
        (in their order), to be run one by one now."""
        tried = may_settle(self.world, arrivals, rows)
        if not tried.any():
            return rows
        part = arrivals.taken(rows[tried])
        self._parts.append(part)
        self.size += part.size
        self._due = min(self._due, float(first_contact(self.world.policy, part).min()))
        return rows[~tried]

    def due_by(self, day: float) -> bool:
        """Whether the orders set aside must be walked before the world reaches `day`."""
        return bool(self._parts) and (self._due < day or self.size >= self.CAP)

    def release(self) -> list[WorldOrder]:
        """Walk every order set aside and write those it settles; the others, as world
        orders to run one by one from their start."""
        if not self._parts:
            return []
        batch = Arrivals.joined(self._parts)
        self._parts, self.size, self._due = [], 0, INF
        walk = Walk(self.world, batch, np.arange(batch.size))
        settled = walk.run()
        if settled.any():
            out = Written(self.world, batch)
            walk.write(out, settled)
            out.flush()
        return batch.orders(np.flatnonzero(~settled))


def first_contact(policy: Policy, arrivals: Arrivals) -> np.ndarray:
    """The earliest instant each order could touch what others see, whatever path it
    takes: every such event (a confirmation, protection running out, a dispute, and all
    that follows them) comes after the parcel arrives, protection ends or a dispute may
    be opened, from the shipment on (L4's expiry, which comes earlier, is the plain path's)."""
    c = arrivals.block.columns
    shipped = np.maximum(arrivals.created + c["handling"], arrivals.created)
    held = np.where(c["customs"], c["customs_days"], 0.0)
    journey = np.where(ARRIVES[arrivals.truth], c["transit"] + held, INF)
    soonest = np.minimum(np.minimum(journey, policy.protection_days),
                         deadlines.dispute_wait(c["promised"], policy))  # fmt: skip
    return shipped + soonest - SLACK


def may_settle(world: Marketplace, arrivals: Arrivals, rows: np.ndarray) -> np.ndarray:
    """Which of `rows` the walk tries: orders whose dispute facts were drawn and that keep
    the moves it does not follow out of the way from the start (a cancellation, a form
    the machine refuses, the abuse review)."""
    c, policy = arrivals.block.columns, world.policy
    may = arrivals.disputable[rows]
    rows = rows[may]
    where = c.places(rows)
    may[may] = (
        c["ships"][rows]
        & ~c["cancels"][rows]
        & ~c["under_review"][rows]
        & ~c.at("form_error", rows, where)  # the form goes through as it is (D6) ...
        & (c.at("image_mb", rows, where) < policy.max_image_mb)  # ... its images under the limit
    )
    return may
