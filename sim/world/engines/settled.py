"""Disputes the seller settles, and the orders around them, resolved many at a time.

The commonest dispute: the parcel is lost, on fake tracking, late, damaged or not as
described (or the buyer only says so); the buyer may write to the seller first, and the
seller may extend the protection (D2, L10); the buyer opens a dispute (D1); the seller
agrees, stays silent until the deadline, or counters with an offer the buyer accepts (D7,
D8), or rejects it and the buyer of a false claim gives up (D13); a return goes back and
is confirmed, or is never sent (D11); a parcel that shows up during the dispute ends it
for an honest buyer (D12, D13); the bank credits the refund (P1); goods that still come
may be paid back (P3). With them go the orders that might have had such a dispute and had
none: protection running out before a claim, a parcel left at the post office, a buyer
who confirmed. No one else takes part, so none of these orders needs a place on the event
heap.

`Walk` moves these orders over columns (`sim.world.engines.aside` gathers them). Each round,
every order still walking asks its state's candidates as `sim.world.behaviour.actors` and the
table's timers would, with the same ties (the actor listed first wins; a timer wins at
its very instant; a move fires at the later of its own time and the order's clock), and
fires the earliest. A move the walk does not follow (`FOLLOWED` lists those it does: a
modified request, a changed reason, an escalation that might come first are not) hands
the order back whole to the per-event path, which runs
it from its start: nothing it did here is kept. So the walk need not foresee which orders
stay on it, only be exact on the moves it follows, which `tests/test_engines.py` proves
against the reference engine. The timetable is not restated: the deadlines come from
`machine.deadlines`, called on columns.
"""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from machine import deadlines
from machine.calendar import add_business_days_array
from machine.invariants import LEGAL
from machine.order import Reason, RequestKind
from sim.world.behaviour.actors import B, C, K, P, S, clearing_days
from sim.world.behaviour.facts import AGREE, COUNTER, REJECT, SILENT
from sim.world.engines.written import Written
from sim.world.population import feedback as fb
from sim.world.records.recorder import (
    KIND_CODE,
    REASON_CODE,
    STATE_CODE,
    STATE_NAMES,
    TRIGGER_CODE,
    pack,
)
from sim.world.records.truth import Truth

if TYPE_CHECKING:
    from sim.world.engines.arrivals import Arrivals
    from sim.world.engines.marketplace import Marketplace

INF = np.inf
NAN = np.nan

WALKED_TIMERS: dict[str, tuple[str, ...]] = {
    "paid": ("handling_time_expires",),
    "shipped": ("protection_expires",),
    "in_customs": ("protection_expires",),
    "lost": ("protection_expires",),
    "awaiting_collection": ("collection_period_ends",),
    "delivered": ("protection_expires",),
    "completed": ("completion_window_closes",),
    "dispute_open": ("seller_deadline", "auto_escalate", "refer_to_team"),
    "negotiating": ("auto_escalate",),
    "awaiting_return": ("return_deadline",),
    "return_in_transit": ("return_confirm_deadline",),
    "refund_clearing": (),
    "refunded": (),
    "finished": (),
    "finished_uncollected": (),
    "closed_against_buyer": (),
}
"""The states the walk goes through, and the table's timers in each, as the walk reads them
(a test holds them to `machine.timers`)."""

FOLLOWED = (
    "ship", "tracking_update", "customs_hold", "customs_release", "parcel_lost",
    "arrive_at_post_office", "deliver", "collect_parcel", "collection_period_ends",
    "extend_protection", "contact_seller", "open_dispute", "confirm_receipt",
    "protection_expires", "completion_window_closes", "seller_agrees", "seller_deadline",
    "seller_rejects", "accept_offer", "tracking_shows_delivered", "cancel_dispute",
    "ship_return", "return_deadline", "seller_confirms_return", "return_confirm_deadline",
    "bank_credits_refund", "goods_arrive_after_refund", "buyer_repays_seller",
    "contact_support",
)  # fmt: skip
"""The triggers the walk fires: every other move hands the order back."""

(PAID, SHIPPED, IN_CUSTOMS, LOST, COLLECTION, DELIVERED, COMPLETED, OPEN, NEGOTIATING,
 AWAITING_RETURN, RETURN_TRANSIT, CLEARING, REFUNDED, FINISHED, UNCOLLECTED,
 CLOSED) = (STATE_CODE[state] for state in WALKED_TIMERS)  # fmt: skip
ENDS = (REFUNDED, FINISHED, UNCOLLECTED, CLOSED)
ARRIVES = np.array([truth.arrives for truth in Truth])  # by Truth code
NOT_RECEIVED, DAMAGED, NOT_AS_DESCRIBED = (
    REASON_CODE[reason] for reason in (Reason.NOT_RECEIVED, Reason.DAMAGED, Reason.NOT_AS_DESCRIBED)
)
OK, LOST_GOODS, DAMAGED_GOODS, WRONG_GOODS = (
    int(truth) for truth in (Truth.OK, Truth.LOST, Truth.DAMAGED, Truth.NOT_AS_DESCRIBED)
)
FAULTY = np.isin(np.arange(len(Truth)), (DAMAGED_GOODS, WRONG_GOODS))  # by Truth code
SHOWS, CANCELS, OTHER = range(3)  # what a late parcel brings during a dispute (D12)
REFUND_ONLY, RETURN = KIND_CODE[RequestKind.REFUND_ONLY], KIND_CODE[RequestKind.RETURN_AND_REFUND]


@cache
def _codes(trigger: str, actor: int, dest: str | None = None) -> np.ndarray:
    """The packed event code of `trigger` fired by `actor` from each state (by state code),
    to `dest` or, without one, staying where it is; -1 where the table has no such move."""
    codes = np.full(len(STATE_NAMES), -1, dtype=np.int64)
    for source, fired, to in LEGAL:
        if fired == trigger and to == (dest or source):
            codes[STATE_CODE[source]] = pack(
                TRIGGER_CODE[trigger], STATE_CODE[source], STATE_CODE[to], actor
            )
    return codes


@cache
def _among(states: tuple[int, ...]) -> np.ndarray:
    """Whether each state (by code) is one of `states`."""
    return np.isin(np.arange(len(STATE_NAMES)), states)


def _earliest(*times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which candidate comes first for each order (the first listed wins a tie), and when."""
    stacked = np.stack(times)
    which = np.argmin(stacked, axis=0)
    return which, stacked[which, np.arange(stacked.shape[1])]


def _on(**columns: Any) -> Any:
    """Columns dressed as an order, for `machine.deadlines` to read."""
    return cast(Any, SimpleNamespace(**columns))


def _moments(moment: float | None) -> np.ndarray:
    """A deadline `machine.deadlines` computed on columns (it is set for every order)."""
    assert moment is not None
    return cast(np.ndarray, moment)


class Walk:
    """The orders being walked, their state and clock, and what they fired, as columns."""

    def __init__(self, world: Marketplace, arrivals: Arrivals, rows: np.ndarray) -> None:
        n = len(rows)
        self.world, self.policy, self.rows = world, world.policy, rows
        self.ids = arrivals.ids_of(rows)
        self.f = arrivals.block.columns.read_at(rows)
        self.truth = arrivals.truth[rows]
        self.arriving = ARRIVES[self.truth]
        self.complaint = self._complaints()
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
        self.at: dict[str, np.ndarray] = {
            name: np.full(n, NAN)
            for name in (
                "shipped",
                "protection_ends",
                "contacted",
                "collection_started",
                "delivered",
                "completed",
                "opened",
                "shown",
                "answered",
                "return_agreed",
                "return_shipped",
                "refund",
                "late_goods",
                "credited",
            )
        }
        self.arrives = np.full(n, INF)
        self._fired: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict | None]] = []

    def run(self) -> np.ndarray:
        """Walk every order to its end or hand it back; which ones ended here.

        Orders do not touch each other, and hardly any move goes back to an earlier phase
        of the order (transport, collection, delivery, completion, dispute, payout), so
        each phase is walked to its end before the next begins; the phases are walked
        again while any order is left."""
        phases = (
            ((PAID,), self._paid),
            ((SHIPPED, IN_CUSTOMS, LOST), self._transport),
            ((COLLECTION,), self._awaiting_collection),
            ((DELIVERED,), self._delivered),
            ((COMPLETED,), self._completed),
            ((OPEN,), self._dispute_open),
            ((NEGOTIATING,), self._negotiating),
            ((AWAITING_RETURN,), self._awaiting_return),
            ((RETURN_TRANSIT,), self._return_in_transit),
            ((CLEARING, REFUNDED), self._payout),
            ((CLOSED,), self._closed),
        )
        inside = [(_among(states), move) for states, move in phases]
        while self.walking.any():  # again, for the few a cancelled dispute sends back (D13)
            for states_in, move in inside:
                while True:
                    going = np.flatnonzero(self.walking)
                    going = going[states_in[self.state[going]]]
                    if not len(going):
                        break
                    move(going)
        return ~self.handed_back

    # --- firing ---------------------------------------------------------------------------

    def _fire(
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
        code = _codes(trigger, actor, dest)[self.state[at]]
        assert (code >= 0).all(), f"{trigger} fired from a state the table does not offer"
        when = np.maximum(time, self.clock[at])
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

    def _hand_back(self, at: np.ndarray) -> None:
        self.walking[at] = False
        self.handed_back[at] = True

    def _protection_expires(self, at: np.ndarray, time: np.ndarray) -> None:
        """Protection ran out without a dispute: the seller is paid (L9)."""
        self.at["completed"][at] = self._fire(at, time, "protection_expires", P, "completed")

    # --- before and during transport ----------------------------------------------------

    def _paid(self, at: np.ndarray) -> None:
        """The seller ships, unless the handling time runs out first (L1, L4)."""
        f, policy = self.f, self.policy
        ship_at = self.paid_at[at] + f["handling"][at]
        expires = _moments(deadlines.handling_deadline(_on(paid_at=self.paid_at[at]), policy))
        back = expires <= ship_at  # the timer wins at its very instant
        self._hand_back(at[back])
        at, ship_at = at[~back], ship_at[~back]
        shipped = self._fire(at, ship_at, "ship", S, "shipped")
        self.at["shipped"][at] = shipped
        self.at["protection_ends"][at] = shipped + policy.protection_days  # record_shipment
        held = np.where(f["customs"][at], f["customs_days"][at], 0.0)
        journey = shipped + f["transit"][at] + held  # Marketplace._dispatch_parcel
        self.arrives[at] = np.where(self.arriving[at], journey, INF)

    def _transport(self, at: np.ndarray) -> None:
        """On the way, held by customs, or declared lost."""
        lost = self.state[at] == LOST
        if lost.any():
            self._lost(at[lost])
        if not lost.all():
            self._in_transit(at[~lost])

    def _in_transit(self, at: np.ndarray) -> None:
        """On the way, or held by customs: customs, the tracking, the carrier losing or
        delivering it, the seller extending protection, the buyer's claim; protection
        may run out first (L5-L10, D1, D2)."""
        f = self.f
        shipped, clock = self.at["shipped"][at], self.clock[at]
        held = self.state[at] == IN_CUSTOMS
        customs_at = shipped + f["customs_at_share"][at] * f["transit"][at]
        holds = ~held & f["customs"][at] & self.arriving[at] & ~self.cleared[at]
        customs = np.where(held, customs_at + f["customs_days"][at],
                           np.where(holds & (clock <= customs_at), customs_at, INF))  # fmt: skip
        tracking = np.where(self.seen[at], INF, shipped + f["tracking_lag"][at])
        declared = (self.truth[at] == LOST_GOODS) & f["declared_lost"][at]
        lost_at = np.where(declared, shipped + f["lost_declared_after"][at] * f["transit"][at], INF)
        extension, days = self._extension(at)
        claim, contact = self._not_received(at)
        which, time = _earliest(customs, tracking, lost_at, self.arrives[at], extension, claim)
        expires = self.at["protection_ends"][at] <= time  # the timer wins at its very instant
        self._protection_expires(at[expires], self.at["protection_ends"][at[expires]])
        go = ~expires
        hold, release = go & (which == 0) & ~held, go & (which == 0) & held
        self._fire(at[hold], time[hold], "customs_hold", C, "in_customs")
        self._fire(at[release], time[release], "customs_release", C, "shipped")
        self.cleared[at[release]] = True
        seen = go & (which == 1)
        self._fire(at[seen], time[seen], "tracking_update", C)
        self.seen[at[seen]] = True
        lost = go & (which == 2)
        self._fire(at[lost], time[lost], "parcel_lost", C, "lost")
        arrived = go & (which == 3)
        self._arrive(at[arrived], time[arrived])
        extends = go & (which == 4)
        self._fire(at[extends], time[extends], "extend_protection", S,
                   payload={"days": days[extends]})  # fmt: skip
        self.at["protection_ends"][at[extends]] += days[extends]  # actions.extend_protection
        self.extended[at[extends]] = True
        claims = go & (which == 5)
        self._claimed(at[claims], time[claims], contact[claims], NOT_RECEIVED)

    def _extension(self, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """When a seller asked by a buyer still waiting extends protection, and by how many
        whole days (INF: not); as `actors._extension` proposes and the machine allows."""
        f, policy = self.f, self.policy
        contacted, ends = self.at["contacted"][at], self.at["protection_ends"][at]
        order = _on(shipped_at=self.at["shipped"][at], protection_ends_at=ends)
        room = cast(np.ndarray, deadlines.extension_room(order, policy))
        days = np.trunc(np.minimum(f["extension_days"][at], room))
        when = contacted + f["answer_delay1"][at] * policy.seller_response_days
        allowed = (contacted < ends) & (days > 0) & (days <= room) & (when < ends)
        asks = ~np.isnan(contacted) & f["extends"][at] & ~self.extended[at] & allowed
        return np.where(asks, when, INF), days.astype(np.int64)

    def _arrive(self, at: np.ndarray, time: np.ndarray) -> None:
        """The parcel reaches the buyer's door or post office (L8, L11)."""
        post = self.f["post_office"][at]
        waits = self._fire(at[post], time[post], "arrive_at_post_office", C, "awaiting_collection")
        self.at["collection_started"][at[post]] = waits
        door = self._fire(at[~post], time[~post], "deliver", C, "delivered")
        self.at["delivered"][at[~post]] = door

    def _lost(self, at: np.ndarray) -> None:
        """Declared lost: the buyer claims, unless protection runs out first (L7, D1)."""
        claim, contact = self._not_received(at)
        expires = self.at["protection_ends"][at] <= claim
        self._protection_expires(at[expires], self.at["protection_ends"][at[expires]])
        self._claimed(at[~expires], claim[~expires], contact[~expires], NOT_RECEIVED)

    def _awaiting_collection(self, at: np.ndarray) -> None:
        """The buyer collects it, unless the holding time ends first (L8)."""
        f, policy = self.f, self.policy
        started = self.at["collection_started"][at]
        collect = np.where(f["collects"][at], started + f["collect_delay"][at], INF)
        ends = _moments(deadlines.collection_deadline(_on(collection_started_at=started), policy))
        timer = ends <= collect
        self._fire(at[timer], ends[timer], "collection_period_ends", P, "finished_uncollected")
        collected = self._fire(at[~timer], collect[~timer], "collect_parcel", B, "delivered")
        self.at["delivered"][at[~timer]] = collected

    # --- delivered goods ------------------------------------------------------------------

    def _goods_claim_time(self, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """When and why the buyer complains about delivered goods (INF: never), as
        `actors._goods_claim_time` says: real faults, or a false claim."""
        delivered, reason = self.at["delivered"][at], self.complaint[at]
        complains = (reason >= 0) & ~np.isnan(delivered) & np.isnan(self.at["opened"][at])
        return np.where(complains, delivered + self.f["notice"][at], INF), reason

    def _complaints(self) -> np.ndarray:
        """Why each buyer would complain about the goods delivered (-1: not, or too late to
        bother, `misses_window`): a real fault, or a false claim."""
        f, truth = self.f, self.truth
        false_reason = np.where(f["false_not_received"], NOT_RECEIVED, NOT_AS_DESCRIBED)
        reason = np.select(
            [truth == DAMAGED_GOODS, truth == WRONG_GOODS, (truth == OK) & f["false_claim"]],
            [DAMAGED, NOT_AS_DESCRIBED, false_reason],
            default=-1,
        )
        return np.where(f["misses_window"] & (truth != OK), -1, reason)

    def _goods_claim(self, at: np.ndarray, complains: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The buyer's claim about the goods from the current state, who would complain at
        `complains` (`_goods_claim_time`): its time (INF: none), and whether it is the
        message to the seller (D1-D6)."""
        opens, closes = self._dispute_window(at)
        when = np.maximum(np.maximum(complains, opens), self.clock[at])
        claims = (complains < INF) & (when < closes)
        time, contact = self._claim(at, when)
        return np.where(claims, time, INF), contact

    def _delivered(self, at: np.ndarray) -> None:
        """Delivered: the buyer complains or confirms; protection may run out (L9, L11, D1)."""
        f = self.f
        complains, reason = self._goods_claim_time(at)
        claim, contact = self._goods_claim(at, complains)
        confirm_at = self.at["delivered"][at] + f["confirm_delay"][at]
        confirms = f["confirms"][at] & (complains > confirm_at)
        which, time = _earliest(claim, np.where(confirms, confirm_at, INF))
        expires = self.at["protection_ends"][at] <= time
        self._protection_expires(at[expires], self.at["protection_ends"][at[expires]])
        claims = ~expires & (which == 0)
        self._goods_claimed(at[claims], time[claims], contact[claims], reason[claims])
        confirm = ~expires & (which == 1)
        completed = self._fire(at[confirm], time[confirm], "confirm_receipt", B, "completed")
        self.at["completed"][at[confirm]] = completed

    def _completed(self, at: np.ndarray) -> None:
        """Completed, the seller paid: a claim within the post-completion window, or the
        window closes (L11)."""
        complains, reason = self._goods_claim_time(at)
        claim, contact = self._goods_claim(at, complains)
        done = _on(completed_at=self.at["completed"][at])
        closes = _moments(deadlines.completion_window_end(done, self.policy))
        timer = closes <= claim
        self._fire(at[timer], closes[timer], "completion_window_closes", P, "finished")
        claims = ~timer
        self._goods_claimed(at[claims], claim[claims], contact[claims], reason[claims])

    def _goods_claimed(
        self, at: np.ndarray, time: np.ndarray, contact: np.ndarray, reason: np.ndarray
    ) -> None:
        """A claim about the goods: a return and refund when they are faulty and the
        buyer wants to send them back, else a refund only (D1, D11)."""
        faulty = reason != NOT_RECEIVED
        kind = np.where(faulty & self.f["asks_return"][at], RETURN, REFUND_ONLY)
        self._claimed(at, time, contact, reason, kind)

    # --- the claim and the dispute --------------------------------------------------------

    def _dispute_window(self, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """When a dispute may be opened from each order's state (D3, D4, L11)."""
        ends = self.at["protection_ends"][at]
        timing = _on(shipped_at=self.at["shipped"][at], promised_days=self.f["promised"][at],
                     completed_at=None, protection_ends_at=ends)  # fmt: skip
        opens = _moments(deadlines.dispute_opens(timing, self.policy))
        closes = _moments(deadlines.dispute_closes(timing, self.policy))
        done = _on(completed_at=self.at["completed"][at])
        after = _moments(deadlines.completion_window_end(done, self.policy))
        completed = self.state[at] == COMPLETED
        return opens, np.where(completed, after, closes)

    def _not_received(self, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """When the buyer who waited in vain claims (INF: never), and whether it is the
        message to the seller first (D1, D2); as `actors._not_received_claim` proposes."""
        f = self.f
        wanted = self.at["shipped"][at] + f["promised"][at] + f["patience"][at]
        opens, closes = self._dispute_window(at)
        latest = np.minimum(wanted, closes - f["last_minute"][at])
        when = np.maximum(np.maximum(opens, latest), self.clock[at])
        claims = ~f["misses_window"][at] & (self.arrives[at] > wanted) & (when < closes)
        claims &= np.isnan(self.at["opened"][at])  # the buyer makes one claim
        time, contact = self._claim(at, when)
        return np.where(claims, time, INF), contact

    def _claim(self, at: np.ndarray, when: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The claim's first move at `when`: the message to the seller, earlier, if the
        buyer writes first and has not yet (actors._claim)."""
        f = self.f
        contact = f["contacts"][at] & np.isnan(self.at["contacted"][at])
        first = np.maximum(np.maximum(when - f["contact_lead"][at], self.at["shipped"][at]),
                           self.clock[at])  # fmt: skip
        return np.where(contact, first, when), contact

    def _claimed(
        self,
        at: np.ndarray,
        time: np.ndarray,
        contact: np.ndarray,
        reason: np.ndarray | int,
        kind: np.ndarray | int = REFUND_ONLY,
    ) -> None:
        """Fire the claim's move: the message to the seller, or the dispute."""
        why = np.broadcast_to(np.asarray(reason), at.shape)
        what = np.broadcast_to(np.asarray(kind), at.shape)
        wrote = self._fire(at[contact], time[contact], "contact_seller", B)
        self.at["contacted"][at[contact]] = wrote
        at, time, why, what = at[~contact], time[~contact], why[~contact], what[~contact]
        price = self.f["price"][at]
        share = self.f["partial_share"][at]
        asked = np.where(self.f["partial"][at], np.rint(price * share), price)
        amount = np.maximum(1, asked).astype(np.int64)
        back = amount > price  # the machine would refuse it (D5): not this path's to say why
        self._hand_back(at[back])
        at, time, amount = at[~back], time[~back], amount[~back]
        why, what = why[~back], what[~back]
        payload = {"amount": amount, "reason": why, "kind": what}
        opened = self._fire(at, time, "open_dispute", B, "dispute_open", payload)
        self.at["opened"][at] = opened
        self.asked[at], self.amount[at], self.reason[at], self.kind[at] = amount, amount, why, what

    def _dispute_open(self, at: np.ndarray) -> None:
        """The seller agrees, rejects (with a counter-offer or without), or the silence
        runs out (D7, D8); the parcel shows up (D12); an escalation or the team's timer
        first: not followed."""
        f, policy = self.f, self.policy
        request_at = self.at["opened"][at]
        late, what = self._late_parcel(at)
        answer = f["answer1"][at]
        contests = (self.truth[at] == OK) & f["contests_fine_goods"][at]
        answer = np.where(((answer == COUNTER) | (answer == SILENT)) & contests, REJECT, answer)
        answered = request_at + f["answer_delay1"][at] * policy.seller_response_days
        seller = np.where(answer == SILENT, INF, answered)
        opened = _on(opened_at=request_at, seller_answered_at=None, seller_responded=False)
        opens = deadlines.manual_escalation_opens(opened, policy)
        wanted = request_at + f["escalation_delay"][at]
        escalation = self._escalation(at, opens, wanted)
        which, time = _earliest(late, seller, escalation)
        deadline = _moments(deadlines.seller_deadline(_on(request_at=request_at), policy))
        silence = policy.seller_silence == "refund"  # guards.silence_means_refund (D7)
        timer = (deadline <= time) if silence else np.zeros(len(at), dtype=bool)
        time = np.where(timer, deadline, time)
        auto = _moments(deadlines.auto_escalation(_on(opened_at=request_at), policy))
        agrees = (which == 1) & (answer == AGREE)
        offer = np.maximum(1, np.rint(f["offer_share"][at] * self.asked[at])).astype(np.int64)
        counters = ~timer & (which == 1) & (answer == COUNTER) & (offer <= f["price"][at])
        rejects = ~timer & (which == 1) & (answer == REJECT)
        offer = np.where(rejects, 0, offer)  # a rejection offers nothing
        counters |= rejects
        parcel = ~timer & (which == 0) & (what != OTHER)
        back = (auto <= time) | ~(timer | agrees | counters | parcel)
        self._hand_back(at[back])
        keep = ~back
        self._parcel_during_dispute(at[keep & parcel], time[keep & parcel], what[keep & parcel])
        keep &= ~parcel
        at, time, timer, counters, offer = (
            at[keep],
            time[keep],
            timer[keep],
            counters[keep],
            offer[keep],
        )
        rejects = self._fire(at[counters], time[counters], "seller_rejects", S, "negotiating",
                             {"amount": offer[counters]})  # fmt: skip
        self.at["answered"][at[counters]] = rejects  # actions.record_seller_answer
        self.amount[at[counters]] = offer[counters]
        at, time, timer = at[~counters], time[~counters], timer[~counters]
        returns = self.kind[at] == RETURN
        for chosen, trigger, actor in ((timer, "seller_deadline", P), (~timer, "seller_agrees", S)):
            refunds = chosen & ~returns
            refund = self._fire(at[refunds], time[refunds], trigger, actor, "refund_clearing")
            self.at["refund"][at[refunds]] = refund  # actions.refund_requested
            agreed = chosen & returns
            agree = self._fire(at[agreed], time[agreed], trigger, actor, "awaiting_return")
            self.at["return_agreed"][at[agreed]] = agree  # actions.record_return_agreed

    def _parcel_during_dispute(self, at: np.ndarray, time: np.ndarray, what: np.ndarray) -> None:
        """Tracking shows the parcel delivered after all; the honest buyer then cancels
        the dispute, back to the goods in hand, or to the end if protection is over (D12,
        D13)."""
        shows = what == SHOWS
        shown = self._fire(at[shows], time[shows], "tracking_shows_delivered", C)
        self.at["delivered"][at[shows]] = self.at["shown"][at[shows]] = shown
        self._dispute_cancelled(at[~shows], time[~shows])

    def _negotiating(self, at: np.ndarray) -> None:
        """The seller rejected: the buyer accepts the offer, or gives up a false claim
        (D8, D13); the parcel shows up (D12). A modified request, an escalation or the
        team's timer first: not followed. As `actors.negotiating` proposes, in the first
        round (the walk follows no modified request, so there is no other)."""
        f, policy = self.f, self.policy
        answered, opened_at = self.at["answered"][at], self.at["opened"][at]
        respond = answered + f["step"][at]
        accepts = f["accepts_offer"][at] & (self.amount[at] > 0)
        modifies = ~accepts & f["modifies"][at] & (f["max_modifications"][at] >= 1)  # rounds: 1
        gives_up = ~accepts & ~modifies & (self.truth[at] == OK) & ~f["escalates"][at]
        reply = np.where(accepts | modifies, respond,
                         np.where(gives_up, respond + f["step"][at], INF))  # fmt: skip
        answer = _on(opened_at=opened_at, seller_answered_at=answered, seller_responded=True)
        opens = deadlines.manual_escalation_opens(answer, policy)
        wanted = answered + f["escalation_delay"][at]
        escalation = self._escalation(at, opens, wanted)
        late, what = self._late_parcel(at)
        which, time = _earliest(late, reply, escalation)
        auto = _moments(deadlines.auto_escalation(_on(opened_at=opened_at), policy))
        parcel = (which == 0) & (what != OTHER)
        settles = (which == 1) & ~modifies & (time < INF)
        back = (auto <= time) | ~(parcel | settles)
        self._hand_back(at[back])
        keep = ~back
        self._parcel_during_dispute(at[keep & parcel], time[keep & parcel], what[keep & parcel])
        accept, give_up = keep & settles & accepts, keep & settles & gives_up
        self.at["refund"][at[accept]] = self._fire(
            at[accept], time[accept], "accept_offer", B, "refund_clearing"
        )  # actions.refund_offer
        self._dispute_cancelled(at[give_up], time[give_up])

    def _dispute_cancelled(self, at: np.ndarray, time: np.ndarray) -> None:
        """The buyer cancels the dispute (the goods came after all, or a false claim is
        given up): the seller is paid if protection is over (the order completed, or its
        protection ran out), else back to the goods in hand, or to the parcel still awaited
        (D13; the table's rows in their order)."""
        when = np.maximum(time, self.clock[at])
        over = ~np.isnan(self.at["completed"][at]) | (when >= self.at["protection_ends"][at])
        delivered = ~over & ~np.isnan(self.at["delivered"][at])
        awaited = ~over & ~delivered
        for chosen, dest in ((over, "finished"), (delivered, "delivered"), (awaited, "shipped")):
            self._fire(at[chosen], when[chosen], "cancel_dispute", B, dest)

    def _escalation(self, at: np.ndarray, opens: float | None, wanted: np.ndarray) -> np.ndarray:
        """When the buyer would escalate by hand, from the moment it opens (None: never)
        and the one the buyer wants; the buyer may give up waiting for it
        (actors._manual_escalation), which the walk counts as escalating: it hands back."""
        if opens is None:
            return np.full(len(at), INF)
        return np.where(self.f["escalates"][at], np.maximum(opens, wanted), INF)

    def _late_parcel(self, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What tracking and the buyer do about a parcel that had not come when the
        dispute opened (D12), as `actors._late_parcel` proposes: when, and which (`SHOWS`
        it delivered; the honest buyer `CANCELS`; faulty goods change the reason, `OTHER`,
        which the walk does not follow); INF: nothing, as for a dishonest buyer."""
        f = self.f
        undelivered = np.isnan(self.at["delivered"][at])
        waiting = np.isnan(self.at["collection_started"][at]) | f["collects"][at]
        shows = undelivered & waiting & (self.arrives[at] < INF)
        shown = self.at["shown"][at]
        react = shown + f["step"][at]
        faulty = FAULTY[self.truth[at]]
        reacts = ~np.isnan(shown) & (faulty | ~f["false_claim"][at])
        time = np.where(shows, self.arrives[at], np.where(reacts, react, INF))
        what = np.where(shows, SHOWS, np.where(faulty, OTHER, CANCELS))
        return time, what

    # --- returns --------------------------------------------------------------------------

    def _awaiting_return(self, at: np.ndarray) -> None:
        """The buyer ships the goods back in time, if the postage is worth it; else the
        deadline passes and the seller is paid (D11)."""
        f, policy = self.f, self.policy
        agreed = self.at["return_agreed"][at]
        postage = np.where(f["free_return"][at], 0, f["return_postage"][at])
        ship_at = agreed + f["return_delay"][at]
        deadline = _moments(deadlines.return_ship_deadline(_on(return_agreed_at=agreed), policy))
        worth = postage <= f["return_tolerance"][at] * f["price"][at]
        ships = np.where(worth & (ship_at < deadline), ship_at, INF)  # and the window is open
        timer = deadline <= ships
        self._fire(at[timer], deadline[timer], "return_deadline", P, "closed_against_buyer")
        at, ships, postage = at[~timer], ships[~timer], postage[~timer]
        shipped = self._fire(at, ships, "ship_return", B, "return_in_transit")
        self.at["return_shipped"][at] = shipped
        self.costs[at] += postage  # actions.record_return_shipped

    def _return_in_transit(self, at: np.ndarray) -> None:
        """The seller confirms the return, or its deadline passes: refund as asked (D11)."""
        f, policy = self.f, self.policy
        shipped = self.at["return_shipped"][at]
        confirm = shipped + f["return_transit"][at] + f["confirm_return"][at]
        deadline = _moments(
            deadlines.return_confirm_deadline(_on(return_shipped_at=shipped), policy)
        )
        timer = deadline <= confirm
        for chosen, when, trigger, actor in (
            (timer, deadline, "return_confirm_deadline", P),
            (~timer, confirm, "seller_confirms_return", S),
        ):
            refund = self._fire(at[chosen], when[chosen], trigger, actor, "refund_clearing")
            self.at["refund"][at[chosen]] = refund  # actions.refund_requested

    def _closed(self, at: np.ndarray) -> None:
        """Closed against the buyer: one who would turns to customer support (E5)."""
        turns = self.f["contacts_support"][at] & ~self.support[at]
        self.walking[at[~turns]] = False
        at = at[turns]
        self._fire(at, self.clock[at] + self.f["step"][at], "contact_support", B)
        self.support[at] = True

    # --- the payout -----------------------------------------------------------------------

    def _payout(self, at: np.ndarray) -> None:
        """The bank credits the refund (P1); goods that come after it, and the honest
        buyer's repayment (P3); a refunded order with neither is done."""
        f, policy, weekday = self.f, self.policy, self.world.epoch_weekday
        refund_at = self.at["refund"][at]
        days = clearing_days(policy, f["bank_u"][at])  # as actors.refund_clearing
        credit = np.maximum(
            add_business_days_array(refund_at, days, weekday),
            deadlines.bank_credit_earliest_many(refund_at, False, policy, weekday),
        )
        credit = np.where(self.state[at] == CLEARING, credit, INF)
        known = ~np.isnan(self.at["late_goods"][at])
        comes = ~known & np.isnan(self.at["delivered"][at]) & (self.arrives[at] < INF)
        repays = known & f["repays"][at] & (self.repaid[at] == 0) & (self.amount[at] > 0)
        repay_at = self.at["late_goods"][at] + f["step"][at]
        late = np.where(comes, self.arrives[at], np.where(repays, repay_at, INF))
        which, time = _earliest(credit, late)
        self.walking[at[time == INF]] = False  # refunded, nothing more to come
        bank = (which == 0) & (time < INF)
        credited = self._fire(at[bank], time[bank], "bank_credits_refund", K, "refunded")
        self.at["credited"][at[bank]] = credited
        refunded = self.amount[at[bank]]
        self.costs[at[bank]] += np.rint(refunded * policy.refund_fee_rate).astype(
            np.int64
        )  # record_credit
        goods = (which == 1) & comes
        arrived = self._fire(at[goods], time[goods], "goods_arrive_after_refund", C)
        self.at["late_goods"][at[goods]] = arrived  # actions.record_late_goods
        pays = (which == 1) & ~comes & (time < INF)
        self._fire(at[pays], time[pays], "buyer_repays_seller", B,
                   payload={"amount": self.amount[at[pays]]})  # fmt: skip
        self.repaid[at[pays]] = self.amount[at[pays]]

    # --- the tables -----------------------------------------------------------------------

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
