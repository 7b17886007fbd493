"""Invariants any test can check on an order and its trace of events.

They are written independently of the guards: windows and deadlines are re-derived from
the event trace, so a wrong guard shows up as a violation instead of hiding itself.

- only legal transitions (each event is a row of the table), end states absorbing;
- the ledger balances, refunds never exceed what was paid, escrow is zero at the end;
- no dispute opened, escalation made or appeal filed outside what the policy allows;
- time never goes backwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from machine import ledger
from machine.order import Order
from machine.policy import Policy
from machine.table import END_STATES, REQUEST_TRIGGERS, TRANSITIONS

AGREEMENT_TRIGGERS = frozenset({"seller_agrees", "accept_offer", "seller_deadline"})
DECISION_TRIGGERS = frozenset({"decide", "decide_appeal"})
EPSILON = 1e-9


class Event(NamedTuple):
    """One fired transition: the row of an event log."""

    order_id: int
    time: float
    trigger: str
    source: str
    dest: str


class InvariantError(AssertionError):
    """An order or trace broke an invariant; the message lists every violation found."""


LEGAL: frozenset[tuple[str, str, str]] = frozenset(
    (source, spec.trigger, spec.dest or source) for spec in TRANSITIONS for source in spec.source
)


def order_violations(order: Order) -> list[str]:
    """What is wrong with the order's ledger right now (empty when nothing is)."""
    found = []
    if not ledger.balanced(order):
        found.append(
            f"ledger does not balance: paid {order.paid} != escrow {order.escrow} + refunded "
            f"{order.refunded} + released {order.released}, or an amount is out of range"
        )
    if order.state in END_STATES and order.escrow != 0:
        found.append(f"escrow {order.escrow} left in end state {order.state}")
    if order.repaid_off_platform > order.refunded:
        found.append("the buyer repaid more than was refunded")
    return found


def trace_violations(events: Sequence[Event], order: Order, policy: Policy) -> list[str]:
    """What is wrong with an order's trace under the policy (empty when nothing is)."""
    found: list[str] = []
    last_time = float("-inf")
    ended_in: str | None = None
    shipped = completed = opened = requested = decided = None
    seller_answered = responded = False  # to the current request; to any in the dispute
    agreed = False
    appeals = 0
    for event in events:
        where = f"event {event.trigger} at {event.time:g} ({event.source} -> {event.dest})"
        if event.time < last_time - EPSILON:
            found.append(f"{where}: time went backwards from {last_time:g}")
        last_time = max(last_time, event.time)
        if (event.source, event.trigger, event.dest) not in LEGAL:
            found.append(f"{where}: not a transition of the table")
        if ended_in is not None and event.dest != ended_in:
            found.append(f"{where}: left end state {ended_in}")
        if event.dest in END_STATES and ended_in is None:
            ended_in = event.dest

        t, trigger = event.time, event.trigger
        if trigger == "open_dispute":
            found += _dispute_window(where, t, order, policy, shipped, completed, agreed)
            opened, responded = t, False
        if trigger in REQUEST_TRIGGERS:
            requested, seller_answered = t, False
        elif trigger == "seller_rejects":
            seller_answered = responded = True
        elif trigger == "escalate":
            found += _manual_escalation(where, t, policy, opened, seller_answered, responded)
        elif trigger == "auto_escalate" and (
            opened is None or t < opened + policy.auto_escalation_days - EPSILON
        ):
            found.append(
                f"{where}: automatic escalation before day {policy.auto_escalation_days:g}"
            )
        elif trigger == "seller_deadline" and (
            requested is None or t < requested + policy.seller_response_days - EPSILON
        ):
            found.append(f"{where}: seller deadline before {policy.seller_response_days:g} days")
        elif trigger == "file_appeal":
            appeals += 1
            if not policy.appeals:
                found.append(f"{where}: appeal filed although decisions are final")
            elif decided is None or t >= decided + policy.appeal_days + EPSILON:
                found.append(f"{where}: appeal outside the {policy.appeal_days:g}-day window")
            elif appeals > policy.max_appeals:
                found.append(f"{where}: more than {policy.max_appeals} appeal(s)")
        if trigger in AGREEMENT_TRIGGERS:
            agreed = True
        if trigger in DECISION_TRIGGERS:
            decided = t
        if trigger == "ship":
            shipped = t
        if event.dest == "completed" and event.source != "completed":
            completed = t
    if events and events[-1].dest != order.state:
        found.append(f"the trace ends in {events[-1].dest} but the order is in {order.state}")
    return found


def _dispute_window(
    where: str,
    t: float,
    order: Order,
    policy: Policy,
    shipped: float | None,
    completed: float | None,
    agreed: bool,
) -> list[str]:
    if shipped is None:
        return [f"{where}: dispute opened before shipment"]
    found = []
    waived = 0 < order.promised_days <= policy.fast_delivery_days
    if not waived and t < shipped + policy.earliest_dispute_days - EPSILON:
        found.append(f"{where}: dispute opened before day {policy.earliest_dispute_days:g}")
    if completed is not None:
        if t >= completed + policy.post_completion_days - EPSILON:
            found.append(f"{where}: dispute opened after the post-completion window")
    elif order.protection_ends_at is None or t >= order.protection_ends_at - EPSILON:
        found.append(f"{where}: dispute opened after protection ran out")
    if agreed:
        found.append(f"{where}: dispute opened after an agreement was reached")
    return found


def _manual_escalation(
    where: str,
    t: float,
    policy: Policy,
    opened: float | None,
    seller_answered: bool,
    responded: bool,
) -> list[str]:
    if opened is None:
        return [f"{where}: escalation without a dispute"]
    waited = t >= opened + policy.manual_escalation_days - EPSILON
    variant = policy.manual_escalation
    allowed = {
        "after_days": waited,
        "seller_silent_days": waited and not responded,
        "after_seller_answer": seller_answered,
    }[variant]
    return [] if allowed else [f"{where}: manual escalation not allowed under '{variant}'"]


def check(order: Order, events: Sequence[Event], policy: Policy) -> None:
    """Raise `InvariantError` listing everything wrong with the order and its trace."""
    found = order_violations(order) + trace_violations(events, order, policy)
    if found:
        raise InvariantError(f"order {order.id}: " + "; ".join(found))
