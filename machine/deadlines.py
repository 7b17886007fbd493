"""The platform's timetable: when each window opens or closes for an order.

These are the dates the platform shows its users ("Open Dispute available from ...",
"the seller must answer by ..."). A timed row of the table names one of them (`after`):
the row's "deadline passed" guard is derived from it and `machine.timers` lists it with
its moment. Guards of windows compare `now` with them. `None` means the window is not
open (yet). Each is registered with the rule ids it encodes.
"""

from __future__ import annotations

from typing import TypeVar, cast

import numpy as np

from machine.calendar import add_business_days, add_business_days_array
from machine.order import Order
from machine.policy import Policy
from machine.registry import DEADLINES

T = TypeVar("T", float, np.ndarray)


def _after(start: float | None, days: float) -> float | None:
    return None if start is None else start + days


@DEADLINES("L2")
def cancellation_done(order: Order, policy: Policy) -> float | None:
    """Earliest time a requested cancellation goes through (L2)."""
    return _after(order.cancel_requested_at, policy.cancel_days_min)


@DEADLINES("L4")
def handling_deadline(order: Order, policy: Policy) -> float:
    """When an unshipped order is refunded (L4)."""
    return order.paid_at + policy.handling_days


@DEADLINES("L8")
def collection_deadline(order: Order, policy: Policy) -> float | None:
    """When an uncollected parcel finishes the order (L8)."""
    return _after(order.collection_started_at, policy.collection_days)


@DEADLINES("L11")
def completion_window_end(order: Order, policy: Policy) -> float | None:
    """End of the post-completion dispute window (L11)."""
    return _after(order.completed_at, policy.post_completion_days)


@DEADLINES("D4")
def dispute_opens(order: Order, policy: Policy) -> float | None:
    """First moment a dispute can be opened (D4): days after shipment, or at once if fast."""
    if order.shipped_at is None:
        return None
    return order.shipped_at + dispute_wait(order.promised_days, policy)


def dispute_wait(promised_days: T, policy: Policy) -> T:
    """Days after shipment before a dispute may be opened (D4): none when delivery was
    promised fast, else the policy's; for one order or, as numpy arrays, for many."""
    fast = policy.fast_delivery_days
    if isinstance(promised_days, np.ndarray):
        return np.where((fast > 0) & (promised_days <= fast), 0.0, policy.earliest_dispute_days)
    return 0.0 if fast > 0 and promised_days <= fast else policy.earliest_dispute_days


@DEADLINES("L9", "D13")
def protection_ends(order: Order, policy: Policy) -> float | None:
    """When Purchase Protection runs out, with any extension (L9)."""
    return order.protection_ends_at


def extension_room(order: Order, policy: Policy) -> float | None:
    """Days of extension still allowed under the policy's cap (L10); None before shipment."""
    if order.shipped_at is None or order.protection_ends_at is None:
        return None
    used = order.protection_ends_at - order.shipped_at - policy.protection_days
    room = policy.max_extension_days - used
    if isinstance(room, np.ndarray):  # columns (the block paths): the same whole days
        return cast(float, np.round(room, 9))
    return round(room, 9)  # whole days, kept off float dust


@DEADLINES("D3", "L11")
def dispute_closes(order: Order, policy: Policy) -> float | None:
    """First moment a dispute can no longer be opened (D3, L11)."""
    if order.completed_at is not None:
        return completion_window_end(order, policy)
    return order.protection_ends_at


@DEADLINES("D7")
def seller_deadline(order: Order, policy: Policy) -> float | None:
    """When the seller's time to answer the latest request runs out (D7)."""
    return _after(order.request_at, policy.seller_response_days)


@DEADLINES("D9")
def auto_escalation(order: Order, policy: Policy) -> float | None:
    """When an unresolved dispute goes to the case team by itself (D9)."""
    return _after(order.opened_at, policy.auto_escalation_days)


@DEADLINES("S4")
def review_referral(order: Order, policy: Policy) -> float | None:
    """When a claim of a buyer under abuse review goes to the case team: at once (S4)."""
    return order.opened_at if order.under_review else None


@DEADLINES("D10")
def manual_escalation_opens(order: Order, policy: Policy) -> float | None:
    """First moment the buyer may escalate by hand, under the policy's variant (D10)."""
    if order.opened_at is None:
        return None
    variant = policy.manual_escalation
    if variant == "after_seller_answer":
        return order.seller_answered_at
    if variant == "seller_silent_days" and order.seller_responded:
        return None  # 000: "if seller doesn't respond in 3 days"; a modified request
        # does not make a seller who answered silent, and the clock counts from the opening
    return order.opened_at + policy.manual_escalation_days


@DEADLINES("D12")
def reason_change_closes(order: Order, policy: Policy) -> float | None:
    """Last moment a not-received dispute's reason may change after delivery (D12)."""
    return _after(order.delivered_during_dispute_at, policy.reason_change_days)


@DEADLINES("D11")
def return_ship_deadline(order: Order, policy: Policy) -> float | None:
    """When an agreed return must have been shipped (D11)."""
    return _after(order.return_agreed_at, policy.return_ship_days)


@DEADLINES("D11")
def return_confirm_deadline(order: Order, policy: Policy) -> float | None:
    """When the seller must have confirmed a shipped return (D11)."""
    return _after(order.return_shipped_at, policy.return_confirm_days)


@DEADLINES("E2")
def evidence_deadline(order: Order, policy: Policy) -> float | None:
    """When the evidence the case team asked for is due (E2)."""
    return _after(order.evidence_requested_at, policy.evidence_days)


@DEADLINES("E4")
def appeal_deadline(order: Order, policy: Policy) -> float | None:
    """When the decision can no longer be appealed (E4)."""
    return _after(order.decided_at, policy.appeal_days)


@DEADLINES("E3", "E4")
def decision_final(order: Order, policy: Policy) -> float | None:
    """When the decision on record can no longer be appealed: at once if no appeal is left."""
    if order.decided_at is None:
        return None
    if order.appeals_filed >= policy.max_appeals:
        return order.decided_at
    return appeal_deadline(order, policy)


@DEADLINES("L3")
def instant_cancel_credit(order: Order, policy: Policy) -> float | None:
    """After an immediate cancellation, the money reaches the buyer no sooner (L3)."""
    if not order.cancelled_at_once or order.refund_at is None:
        return None
    return after_instant_cancel(order.refund_at, policy)


def after_instant_cancel(refund_at: T, policy: Policy) -> T:
    """The first credit after an immediate cancellation refunded at `refund_at` (L3); for
    one order or, as numpy arrays, for many."""
    return refund_at + policy.instant_cancel_credit_hours / 24.0


def bank_credit_earliest(order: Order, policy: Policy, epoch_weekday: int) -> float | None:
    """Earliest time the bank may credit the refund: its business days (P1), and a day
    after an immediate cancellation (L3)."""
    if order.refund_at is None:
        return None
    moment = add_business_days(order.refund_at, policy.bank_days_min, epoch_weekday)
    floor = instant_cancel_credit(order, policy)
    return moment if floor is None else max(moment, floor)


def bank_credit_earliest_many(
    refund_at: np.ndarray, cancelled_at_once: bool, policy: Policy, epoch_weekday: int
) -> np.ndarray:
    """`bank_credit_earliest` for many orders refunded alike (all cancelled at once, or
    none), as the world's block path resolves them."""
    days = np.full(len(refund_at), policy.bank_days_min, dtype=np.int64)
    moment = add_business_days_array(refund_at, days, epoch_weekday)
    return (
        np.maximum(moment, after_instant_cancel(refund_at, policy)) if cancelled_at_once else moment
    )
