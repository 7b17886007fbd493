"""The actors' behaviour: in each state, who does what, and when.

For the order's current state, `MOVES[state](world, order)` looks at the order's drawn
facts (sim.world.behaviour.draws) and the platform's timetable (machine.deadlines) and proposes the
earliest thing a buyer, seller, carrier, the bank or the platform's back office chooses
to do, as a `Move`. The platform's own timers are not here: they are rows of the table
(`machine.timers`), and the engine takes whichever comes first; at the same instant the
timer wins, because a deadline has passed at its moment (as the table's guards say).
The engine waits until then and fires the trigger; the machine decides whether it is
allowed. Candidates listed first win ties. A move dated in the past (something that
happened while the order was waiting for a case officer) is fired at once.

`REVIEW` is not a trigger: it asks the engine to put the case before the case team.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple, Protocol, TypeVar

import numpy as np

from machine import deadlines
from machine.order import DisputeRequest, Party, Reason, RequestKind
from machine.policy import Policy
from machine.process import Opening
from machine.spec import Actor
from sim.world.behaviour.facts import AGREE, COUNTER, REJECT, SILENT
from sim.world.behaviour.worldorder import WorldOrder
from sim.world.records.recorder import ACTOR_CODE
from sim.world.records.truth import Truth

U = TypeVar("U", float, np.ndarray)

INF = float("inf")
REVIEW = "<review>"
B, S, C, P, T, K = (ACTOR_CODE[a] for a in Actor)


class Move(NamedTuple):
    """What an actor proposes: fire `trigger` at `time`, with the trigger's payload."""

    time: float
    trigger: str
    actor: int  # code of the actor firing it (sim.world.records.recorder.ACTOR_CODE)
    amount: int | None = None
    request: DisputeRequest | None = None
    party: Party | None = None


class World(Protocol):
    """What the actors read of the world: the policy, the clock, the bank's calendar, and
    the machine's answers: a trigger's window, and whether it would fire."""

    policy: Policy
    now: float

    def business_days_after(self, time: float, days: int) -> float: ...

    def opening(self, order: WorldOrder, trigger: str) -> Opening: ...

    def earliest_credit(self, order: WorldOrder) -> float: ...

    def allows(
        self,
        order: WorldOrder,
        trigger: str,
        when: float,
        *,
        amount: int | None = None,
        request: DisputeRequest | None = None,
    ) -> bool: ...


def earliest(*candidates: Move | None) -> Move | None:
    """The candidate with the smallest time; the first listed wins a tie."""
    best = None
    for move in candidates:
        if move is not None and (best is None or move.time < best.time):
            best = move
    return best


def at(
    time: float | None,
    trigger: str,
    actor: int,
    amount: int | None = None,
    request: DisputeRequest | None = None,
    party: Party | None = None,
) -> Move | None:
    """A candidate move, or None when it has no time (the window is not open)."""
    if time is None or time == INF:
        return None
    return Move(time, trigger, actor, amount, request, party)


# --- A. Before shipment -------------------------------------------------------------------


def paid(w: World, o: WorldOrder) -> Move | None:
    f = o.facts
    return earliest(
        at(o.paid_at + f.cancel_delay, "cancel_order", B) if f.cancels else None,
        at(o.paid_at + f.handling, "ship", S) if f.ships else None,
    )


def cancellation_days(policy: Policy, u: U) -> U:
    """Days a cancellation request takes to go through, uniform over the policy's range
    (L2), from the order's uniform draw `u`; for one order or, as arrays, for many."""
    return policy.cancel_days_min + u * (policy.cancel_days_max - policy.cancel_days_min)


def cancel_requested(w: World, o: WorldOrder) -> Move | None:
    f, p = o.facts, w.policy
    requested = o.cancel_requested_at
    assert requested is not None
    takes = cancellation_days(p, f.cancel_u)
    ships_at = max(requested, o.paid_at + f.handling)
    return earliest(
        at(ships_at, "ship", S) if f.ships and f.races_cancel else None,
        at(requested + f.cancel_answer, "seller_accepts_cancellation", S)
        if f.accepts_cancel
        else None,
        at(requested + takes, "cancellation_completes", P),
    )


# --- A. Transport and the not-received claim ----------------------------------------------


def _not_received_claim(w: World, o: WorldOrder) -> Move | None:
    """The buyer who waited in vain claims "not received" (D1), before protection ends."""
    f = o.facts
    if o.claimed or f.misses_window:
        return None
    assert o.shipped_at is not None
    wanted = o.shipped_at + o.promised_days + f.patience
    if o.arrives_at <= wanted:
        return None  # the parcel comes before the buyer runs out of patience
    opens, closes = w.opening(o, "open_dispute")
    when = max(opens, min(wanted, closes - f.last_minute), w.now, _resent(o))
    if when >= closes:
        return None
    return _claim(w, o, when, Reason.NOT_RECEIVED, RequestKind.REFUND_ONLY)


def _resent(o: WorldOrder) -> float:
    """The earliest a refused form comes back corrected: a reaction step after the
    refusal (D6); any time if none was refused."""
    refused = o.form_refused_at
    return -INF if refused is None else refused + o.facts.step


def _claim(w: World, o: WorldOrder, when: float, reason: Reason, kind: RequestKind) -> Move | None:
    """Open a dispute (D1, D5, D6); the buyer contacts the seller first if they would (D2)."""
    f = o.facts
    if f.contacts and o.contacted_seller_at is None:
        first = max(when - f.contact_lead, o.shipped_at or o.paid_at, o.updated_at)
        return at(first, "contact_seller", B)
    amount = round(o.paid * f.partial_share) if f.partial else o.paid
    return at(when, "open_dispute", B, request=_form(w, o, reason, kind, max(1, amount)))


def _form(
    w: World, o: WorldOrder, reason: Reason, kind: RequestKind, amount: int
) -> DisputeRequest:
    """The buyer's dispute form (D6): the images and text the buyer sends, which the
    machine accepts or refuses; a refused form comes back corrected (`_resent`)."""
    f = o.facts
    if o.form_refused_at is not None:  # told what was wrong: images resized, no Chinese text
        image = min(f.image_mb, f.fixed_image_share * w.policy.max_image_mb)
        return DisputeRequest(reason, kind, amount, largest_image_mb=image)
    text_fault = f.form_error and f.form_text_fault
    image = f.oversized_image_mb if f.form_error and not text_fault else f.image_mb
    return DisputeRequest(reason, kind, amount, largest_image_mb=image, text_has_chinese=text_fault)


def _extension(w: World, o: WorldOrder) -> Move | None:
    """Asked by a buyer still waiting, the seller extends protection once (L10)."""
    f, p = o.facts, w.policy
    contacted, shipped = o.contacted_seller_at, o.shipped_at
    if contacted is None or shipped is None or not f.extends or o.delivered_at is not None:
        return None
    if o.extended:
        return None  # a seller extends once
    room = deadlines.extension_room(o, p) or 0.0  # what the platform lets the seller grant
    days = int(min(f.extension_days, room))  # sellers grant whole days
    when = contacted + f.answer_delay1 * p.seller_response_days
    if days <= 0 or not w.allows(o, "extend_protection", when, amount=days):
        return None
    return at(when, "extend_protection", S, amount=days)


def _in_transit(w: World, o: WorldOrder) -> tuple[Move | None, ...]:
    """What may happen to a parcel on its way, and the buyer's side of it."""
    f = o.facts
    shipped = o.shipped_at
    assert shipped is not None
    lost_declared = o.truth is Truth.LOST and f.declared_lost
    arrival = None
    if o.arrives_at < INF:
        arrival = "arrive_at_post_office" if f.post_office else "deliver"
    return (
        at(shipped + f.tracking_lag, "tracking_update", C) if o.tracking_seen_at is None else None,
        at(shipped + f.lost_declared_after * f.transit, "parcel_lost", C)
        if lost_declared
        else None,
        at(o.arrives_at, arrival, C) if arrival else None,
        _extension(w, o),
        _not_received_claim(w, o),
    )


def shipped(w: World, o: WorldOrder) -> Move | None:
    f = o.facts
    assert o.shipped_at is not None
    held = f.customs and o.truth.arrives and not o.cleared_customs
    customs_at = o.shipped_at + f.customs_at_share * f.transit
    return earliest(
        at(customs_at, "customs_hold", C) if held and w.now <= customs_at else None,
        *_in_transit(w, o),
    )


def in_customs(w: World, o: WorldOrder) -> Move | None:
    f = o.facts
    assert o.shipped_at is not None
    released = o.shipped_at + f.customs_at_share * f.transit + f.customs_days
    return earliest(at(released, "customs_release", C), *_in_transit(w, o))


def lost(w: World, o: WorldOrder) -> Move | None:
    return _not_received_claim(w, o)


def awaiting_collection(w: World, o: WorldOrder) -> Move | None:
    f = o.facts
    assert o.collection_started_at is not None
    if not f.collects:
        return None
    return at(o.collection_started_at + f.collect_delay, "collect_parcel", B)


# --- A. Delivered goods: confirmation, complaints, false claims ---------------------------


def _goods_claim_time(o: WorldOrder) -> tuple[float, Reason] | None:
    """When, and why, the buyer complains about delivered goods (real or false claim)."""
    f = o.facts
    if o.claimed or o.delivered_at is None or (f.misses_window and o.truth.problem):
        return None
    when = o.delivered_at + f.notice
    if o.truth is Truth.DAMAGED:
        return when, Reason.DAMAGED
    if o.truth is Truth.NOT_AS_DESCRIBED:
        return when, Reason.NOT_AS_DESCRIBED
    if o.truth is Truth.OK and f.false_claim:
        return when, Reason.NOT_RECEIVED if f.false_not_received else Reason.NOT_AS_DESCRIBED
    return None


def _goods_claim(w: World, o: WorldOrder) -> Move | None:
    claim = _goods_claim_time(o)
    if claim is None:
        return None
    opens, closes = w.opening(o, "open_dispute")
    when = max(claim[0], opens, w.now, _resent(o))
    if when >= closes:
        return None
    faulty = claim[1] is not Reason.NOT_RECEIVED
    kind = (
        RequestKind.RETURN_AND_REFUND if faulty and o.facts.asks_return else RequestKind.REFUND_ONLY
    )
    return _claim(w, o, when, claim[1], kind)


def delivered(w: World, o: WorldOrder) -> Move | None:
    f = o.facts
    assert o.delivered_at is not None
    confirm_at = o.delivered_at + f.confirm_delay
    claim = _goods_claim_time(o)
    confirms = f.confirms and (claim is None or claim[0] > confirm_at)
    return earliest(
        _goods_claim(w, o),
        at(confirm_at, "confirm_receipt", B) if confirms else None,
    )


def completed(w: World, o: WorldOrder) -> Move | None:
    return _goods_claim(w, o)


# --- B. The dispute -----------------------------------------------------------------------


def _seller_answer(w: World, o: WorldOrder) -> Move | None:
    """The seller's answer to the latest request (D7, D8); silence proposes nothing.

    Sellers work to the deadline: the answer comes after the drawn share of it. A seller
    who knows the goods were fine may reject where they would have countered or kept
    silent; an agreement stands.
    """
    f = o.facts
    assert o.request_at is not None and o.request is not None
    first = o.rounds <= 1
    answer = f.answer1 if first else f.answer2
    if answer in (COUNTER, SILENT) and o.truth is Truth.OK and f.contests_fine_goods:
        answer = REJECT
    if answer == SILENT:
        return None
    share = f.answer_delay1 if first else f.answer_delay2
    when = o.request_at + share * w.policy.seller_response_days
    if answer == AGREE:
        return at(when, "seller_agrees", S)
    offer = 0 if answer == REJECT else max(1, round(f.offer_share * o.request.amount))
    assert answer in (REJECT, COUNTER)
    return at(when, "seller_rejects", S, amount=offer)


def _manual_escalation(w: World, o: WorldOrder, since: float) -> Move | None:
    """A buyer escalates by hand when they want to, or when allowed if later (D9, D10).

    The longer the policy makes them wait beyond the moment they wanted, the likelier they
    give up on escalating: they still do with chance exp(-wait / patience).
    """
    f = o.facts
    opens = w.opening(o, "escalate").opens
    if not f.escalates or opens == INF:
        return None
    wanted = since + f.escalation_delay
    wait = max(0.0, opens - wanted)
    if wait > 0.0 and f.escalation_patience_u >= math.exp(-wait / f.escalation_patience):
        return None
    return at(max(opens, wanted), "escalate", B)


def _late_parcel(w: World, o: WorldOrder, escalated: bool = False) -> tuple[Move | None, ...]:
    """D12: tracking goes on during a not-received dispute; the buyer reacts to delivery.

    Faulty goods turn the claim into "not as described" while the request may still be
    modified; once escalated it cannot be (D10), and the team decides on it as it is.
    """
    f = o.facts
    if o.delivered_at is None:
        if o.arrives_at < INF and (o.collection_started_at is None or f.collects):
            return (at(o.arrives_at, "tracking_shows_delivered", C),)
        return ()
    shown = o.delivered_during_dispute_at
    if shown is None or o.request is None or o.request.reason is not Reason.NOT_RECEIVED:
        return ()
    react = shown + f.step
    if o.truth in (Truth.DAMAGED, Truth.NOT_AS_DESCRIBED):
        if escalated:
            return ()
        request = _form(w, o, Reason.NOT_AS_DESCRIBED, o.request.kind, o.request.amount)
        if w.allows(o, "change_reason", react, request=request):
            return (at(react, "change_reason", B, request=request),)
        return ()
    if f.false_claim:
        return ()  # a dishonest buyer keeps the claim going
    return (at(react, "cancel_dispute", B),)


def dispute_open(w: World, o: WorldOrder) -> Move | None:
    assert o.request_at is not None and o.opened_at is not None
    return earliest(
        *_late_parcel(w, o),
        _seller_answer(w, o),
        _manual_escalation(w, o, o.request_at),
    )


def negotiating(w: World, o: WorldOrder) -> Move | None:
    f = o.facts
    answered = o.seller_answered_at
    assert answered is not None and o.request is not None
    respond = answered + f.step
    if o.offer and f.accepts_offer:
        reply = at(respond, "accept_offer", B)
    elif f.modifies and o.rounds <= f.max_modifications:
        smaller = max(1, round(o.request.amount * f.modified_share))
        request = _form(w, o, o.request.reason, o.request.kind, smaller)
        reply = at(respond, "modify_request", B, request=request)
    elif f.gives_up == 1 or (f.gives_up < 0 and o.truth is Truth.OK and not f.escalates):
        reply = at(respond + f.step, "cancel_dispute", B)  # a false claim (or, fitted, any)
    else:
        reply = None
    return earliest(
        *_late_parcel(w, o),
        reply,
        _manual_escalation(w, o, answered),
    )


def awaiting_return(w: World, o: WorldOrder) -> Move | None:
    f = o.facts
    assert o.return_agreed_at is not None
    postage = 0 if o.return_free else o.return_postage
    ship_at = o.return_agreed_at + f.return_delay
    ships = postage <= f.return_tolerance * o.paid and w.allows(o, "ship_return", ship_at)
    return at(ship_at, "ship_return", B) if ships else None


def return_in_transit(w: World, o: WorldOrder) -> Move | None:
    f = o.facts
    assert o.return_shipped_at is not None
    arrives = o.return_shipped_at + f.return_transit
    return at(arrives + f.confirm_return, "seller_confirms_return", S)


# --- C. The case team, appeals, payout ----------------------------------------------------


def escalated(w: World, o: WorldOrder) -> Move | None:
    return earliest(*_late_parcel(w, o, escalated=True), at(w.now, REVIEW, T))


def awaiting_evidence(w: World, o: WorldOrder) -> Move | None:
    f = o.facts
    assert o.evidence_requested_at is not None
    buyer = o.evidence_party is Party.BUYER
    replies = f.buyer_replies if buyer else f.seller_replies
    return earliest(
        *_late_parcel(w, o, escalated=True),
        at(o.evidence_requested_at + f.reply_delay, "submit_evidence", B if buyer else S)
        if replies
        else None,
    )


def decided(w: World, o: WorldOrder) -> Move | None:
    f = o.facts
    assert o.decided_at is not None and o.decision is not None and o.request is not None
    lost_some = o.decision < o.request.amount
    appeal_at = o.decided_at + f.step
    if lost_some and f.appeals and w.allows(o, "file_appeal", appeal_at):
        return at(appeal_at, "file_appeal", B)
    return None


def appeal_review(w: World, o: WorldOrder) -> Move | None:
    return at(w.now, REVIEW, T)


def _late_goods(w: World, o: WorldOrder) -> tuple[Move | None, ...]:
    """P3: goods that come after the refund, and the honest buyer paying the seller back."""
    f = o.facts
    if o.late_goods_at is None:
        comes = o.delivered_at is None and o.arrives_at < INF
        return (at(o.arrives_at, "goods_arrive_after_refund", C) if comes else None,)
    if f.repays and o.repaid_off_platform == 0 and o.refunded > 0:
        return (at(o.late_goods_at + f.step, "buyer_repays_seller", B, amount=o.refunded),)
    return ()


def clearing_days(policy: Policy, u: U) -> U:
    """Business days the bank takes to credit a refund, uniform over the policy's range
    (P1), from the order's uniform draw `u`; for one order or, as arrays, for many."""
    low, high = policy.bank_days_min, policy.bank_days_max
    drawn = u * (high - low + 1)
    if isinstance(drawn, np.ndarray):
        return np.minimum(low + np.floor(drawn).astype(np.int64), high)
    return min(low + int(drawn), high)


def refund_clearing(w: World, o: WorldOrder) -> Move | None:
    f, p = o.facts, w.policy
    assert o.refund_at is not None
    credit = w.business_days_after(o.refund_at, int(clearing_days(p, f.bank_u)))
    earliest_credit = w.earliest_credit(o)  # the machine's: P1's business days, L3's floor
    return earliest(at(max(credit, earliest_credit), "bank_credits_refund", K), *_late_goods(w, o))


def refunded(w: World, o: WorldOrder) -> Move | None:
    return earliest(*_late_goods(w, o))


def closed_against_buyer(w: World, o: WorldOrder) -> Move | None:
    f = o.facts
    if o.support_contacted or not f.contacts_support or o.request is None:
        return None
    return at(o.updated_at + f.step, "contact_support", B)


def nothing(w: World, o: WorldOrder) -> Move | None:
    return None


MOVES: dict[str, Callable[[World, WorldOrder], Move | None]] = {
    "paid": paid,
    "cancel_requested": cancel_requested,
    "shipped": shipped,
    "in_customs": in_customs,
    "lost": lost,
    "awaiting_collection": awaiting_collection,
    "delivered": delivered,
    "completed": completed,
    "dispute_open": dispute_open,
    "negotiating": negotiating,
    "awaiting_return": awaiting_return,
    "return_in_transit": return_in_transit,
    "escalated": escalated,
    "awaiting_evidence": awaiting_evidence,
    "decided": decided,
    "appeal_review": appeal_review,
    "refund_clearing": refund_clearing,
    "refunded": refunded,
    "finished": nothing,
    "finished_uncollected": nothing,
    "closed_against_buyer": closed_against_buyer,
}
