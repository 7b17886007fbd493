"""The orders being walked, as columns: their state and clock, the instants they recorded,
the money asked, offered and refunded, and every event fired, written out at the end.

Each phase (`transport`, `claims`, `answer`, `reply`, `dispute`, `returns`, `payout`)
reads and moves these columns through `fire`, which keeps the table's own rule of where a
trigger leads and the tie rule of when it fires (`sim.world.engines.timetable.fired_at`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.world.behaviour.actors import P
from sim.world.engines.settled.states import (
    ARRIVES,
    CLOSED,
    ENDS,
    FOLLOWED,
    INF,
    NAN,
    OK,
    PAID,
    REFUNDED,
    event_codes,
)
from sim.world.engines.timetable import fired_at
from sim.world.engines.written import Written
from sim.world.population import feedback as fb
from sim.world.records.recorder import STATE_CODE

if TYPE_CHECKING:
    from sim.world.engines.arrivals import Arrivals
    from sim.world.engines.marketplace import Marketplace

INSTANTS = (
    "shipped", "protection_ends", "contacted", "collection_started", "delivered", "completed",
    "opened", "shown", "answered", "return_agreed", "return_shipped", "refund", "late_goods",
    "credited",
)  # fmt: skip
"""The instants a walked order records (NaN until it does), as the machine's actions would."""


class Walked:
    """The orders being walked, their state and clock, and what they fired, as columns."""

    def __init__(self, world: Marketplace, arrivals: Arrivals, rows: np.ndarray) -> None:
        n = len(rows)
        self.world, self.policy, self.rows = world, world.policy, rows
        self.ids = arrivals.ids_of(rows)
        self.f = arrivals.block.columns.read_at(rows)
        self.truth = arrivals.truth[rows]
        self.arriving = ARRIVES[self.truth]
        self.paid_at = arrivals.created[rows]
        self.state = np.full(n, PAID, dtype=np.int8)
        self.clock = self.paid_at.copy()
        self.walking = np.ones(n, dtype=bool)
        self.handed_back = np.zeros(n, dtype=bool)
        self.steps = np.zeros(n, dtype=np.int32)
        self.seen = np.zeros(n, dtype=bool)  # the tracking has shown the parcel (L6)
        self.cleared = np.zeros(n, dtype=bool)  # held by customs and released (L7)
        self.extended = np.zeros(n, dtype=bool)  # a seller extends once (L10)
        self.closed_at = np.full(n, NAN)
        self.reason = np.full(n, -1, dtype=np.int64)
        self.kind = np.full(n, -1, dtype=np.int64)
        self.asked = np.zeros(n, dtype=np.int64)  # the amount the dispute asks for
        self.amount = np.zeros(n, dtype=np.int64)  # offered, then refunded
        self.repaid = np.zeros(n, dtype=np.int64)
        self.costs = np.zeros(n, dtype=np.int64)  # the buyer's: return postage, bank fee
        self.support = np.zeros(n, dtype=bool)  # turned to customer support (E5)
        self.at: dict[str, np.ndarray] = {name: np.full(n, NAN) for name in INSTANTS}
        self.arrives = np.full(n, INF)
        self._fired: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict | None]] = []

    def fire(
        self,
        at: np.ndarray,
        time: np.ndarray,
        trigger: str,
        actor: int,
        dest: str | None = None,
        payload: dict[str, np.ndarray] | None = None,
    ) -> np.ndarray:
        """Fire `trigger` on orders `at` at `time`, or their clock if later, to `dest` (or
        staying); the instants it fired at."""
        assert trigger in FOLLOWED, trigger
        if not len(at):
            return time
        code = event_codes(trigger, actor, dest)[self.state[at]]
        assert (code >= 0).all(), f"{trigger} fired from a state the table does not offer"
        when = fired_at(time, self.clock[at])
        self.clock[at] = when
        self._fired.append((at, when, code, self.steps[at], payload))
        self.steps[at] += 1
        if dest is not None:
            self.state[at] = STATE_CODE[dest]
            if STATE_CODE[dest] in ENDS:
                self.closed_at[at] = when
                # the finished have no move left; the refunded may still see the goods,
                # and a buyer who lost may still turn to support
                self.walking[at] &= STATE_CODE[dest] in (REFUNDED, CLOSED)
        return when

    def hand_back(self, at: np.ndarray) -> None:
        """The orders `at` make a move the walk does not follow: they leave the walk, to be
        run one by one from their start."""
        self.walking[at] = False
        self.handed_back[at] = True

    def protection_expires(self, at: np.ndarray, time: np.ndarray) -> None:
        """Protection ran out without a dispute: the seller is paid (L9)."""
        self.at["completed"][at] = self.fire(at, time, "protection_expires", P, "completed")

    def write(self, out: Written, settled: np.ndarray) -> None:
        """The events and rows of the `settled` orders (a mask over the walked ones)."""
        for at, when, code, steps, payload in self._fired:
            kept = settled[at]
            if not kept.any():
                continue
            values = None if payload is None else {k: v[kept] for k, v in payload.items()}
            out.events(self.rows[at[kept]], when[kept], code[kept], steps[kept], values)
        at = np.flatnonzero(settled)
        rows, t = self.rows[at], {name: times[at] for name, times in self.at.items()}
        disputed = ~np.isnan(t["opened"])
        out.opened(rows[disputed], t["opened"][disputed])
        refunded = np.where(self.state[at] == REFUNDED, self.amount[at], 0)
        truth = self.truth[at]
        f = out.facts(rows)
        after_delivery = t["delivered"] <= t["opened"]
        false_claim = disputed & (truth == OK) & f["false_claim"] & after_delivery
        outcome = np.where(refunded > 0, fb.REFUNDED, np.where(disputed, fb.UNRESOLVED, fb.SMOOTH))
        out.orders(
            rows, outcome, self.closed_at[at], self.clock[at],
            truth=truth, final_state=self.state[at], refunded=refunded,
            released=f["price"] - refunded, buyer_costs=self.costs[at], repaid=self.repaid[at],
            disputed=disputed, false_claim=false_claim, reason=self.reason[at],
            kind=self.kind[at], asked_at=t["opened"],
            shipped_at=t["shipped"], delivered_at=t["delivered"],
            protection_ends_at=t["protection_ends"], opened_at=t["opened"],
            refund_at=t["refund"], credited_at=t["credited"],
        )  # fmt: skip
