"""Actions: what a transition writes on the order (timestamps, request, ledger).

Actions run after a transition's guards passed. They read the time and payload from the
context and never decide anything: deciding is the guards' job.
"""

from __future__ import annotations

from machine import ledger
from machine.context import Context
from machine.order import Order
from machine.registry import ACTIONS

# --- A. The order lifecycle -------------------------------------------------------------


@ACTIONS("L2")
def record_cancel_request(order: Order, ctx: Context) -> None:
    """Start the cancellation's processing time."""
    order.cancel_requested_at = ctx.now


@ACTIONS("L2", "L3", "L4", "P1")
def refund_in_full(order: Order, ctx: Context) -> None:
    """Refund everything that was paid (cancellation, order never shipped)."""
    ledger.refund(order, order.paid - order.refunded)
    order.refund_at = ctx.now


@ACTIONS("L3", "P1")
def cancel_at_once(order: Order, ctx: Context) -> None:
    """An immediate cancellation: refund in full now; the money follows a day later."""
    refund_in_full(order, ctx)
    order.cancelled_at_once = True


@ACTIONS("L1", "L5", "L9")
def record_shipment(order: Order, ctx: Context) -> None:
    """The tracking number is in: protection starts counting from now."""
    order.shipped_at = ctx.now
    order.protection_ends_at = ctx.now + ctx.policy.protection_days


@ACTIONS("L6")
def record_tracking_visible(order: Order, ctx: Context) -> None:
    """The carrier's tracking shows the parcel for the first time (after a lag)."""
    if order.tracking_seen_at is None:
        order.tracking_seen_at = ctx.now


@ACTIONS("L8")
def record_arrival_at_post_office(order: Order, ctx: Context) -> None:
    """The parcel waits at the buyer's post office: the holding time starts."""
    order.collection_started_at = ctx.now


@ACTIONS("L11")
def record_delivery(order: Order, ctx: Context) -> None:
    """The parcel reached the buyer."""
    order.delivered_at = ctx.now


@ACTIONS("L9", "L11")
def complete_order(order: Order, ctx: Context) -> None:
    """The order completes (confirmation or protection expiry): the seller is paid."""
    order.completed_at = ctx.now
    ledger.release(order)


@ACTIONS("L8", "L9", "L11", "D13", "E2", "E3", "D11")
def release_payment(order: Order, ctx: Context) -> None:
    """Whatever is still held goes to the seller."""
    ledger.release(order)


@ACTIONS("L10", "D2")
def record_contact(order: Order, ctx: Context) -> None:
    """The buyer contacted the seller (first contact kept: it is what extension needs)."""
    if order.contacted_seller_at is None:
        order.contacted_seller_at = ctx.now


@ACTIONS("L10")
def extend_protection(order: Order, ctx: Context) -> None:
    """Push the end of protection back by the payload's days."""
    assert order.protection_ends_at is not None and ctx.amount is not None
    order.protection_ends_at += ctx.amount


# --- B. The dispute ---------------------------------------------------------------------


@ACTIONS("D1", "D5", "D6")
def record_dispute(order: Order, ctx: Context) -> None:
    """A new dispute: the request, and the seller's answer clock starting now."""
    order.request = ctx.request
    order.opened_at = ctx.now
    order.request_at = ctx.now
    order.seller_answered_at = None
    order.seller_responded = False
    order.offer = None
    order.delivered_during_dispute_at = None
    order.disputes_opened += 1


@ACTIONS("D8", "D12")
def record_modified_request(order: Order, ctx: Context) -> None:
    """The buyer changed the request: the seller's answer clock starts again."""
    order.request = ctx.request
    order.request_at = ctx.now
    order.seller_answered_at = None
    order.offer = None


@ACTIONS("D8")
def record_seller_answer(order: Order, ctx: Context) -> None:
    """The seller rejected the request, with a counter-offer if the amount is positive."""
    order.seller_answered_at = ctx.now
    order.seller_responded = True
    order.offer = ctx.amount


@ACTIONS("D7", "D11")
def refund_requested(order: Order, ctx: Context) -> None:
    """Refund what the buyer asked for; the rest of the escrow goes to the seller."""
    assert order.request is not None
    ledger.refund(order, order.request.amount)
    order.refund_at = ctx.now
    order.agreed = True


@ACTIONS("D8")
def refund_offer(order: Order, ctx: Context) -> None:
    """The buyer accepted the seller's counter-offer."""
    assert order.offer is not None
    ledger.refund(order, order.offer)
    order.refund_at = ctx.now
    order.agreed = True


@ACTIONS("D11")
def record_return_agreed(order: Order, ctx: Context) -> None:
    """Return and refund agreed: the buyer's time to ship the item back starts."""
    order.return_agreed_at = ctx.now
    order.agreed = True


@ACTIONS("D11")
def record_return_shipped(order: Order, ctx: Context) -> None:
    """The return is on its way; the buyer pays the postage unless the return is free."""
    order.return_shipped_at = ctx.now
    if not order.return_free:
        order.buyer_costs += order.return_postage


@ACTIONS("D12")
def record_delivery_during_dispute(order: Order, ctx: Context) -> None:
    """Tracking shows delivery while a dispute is open: the reason-change window starts."""
    order.delivered_at = ctx.now
    order.delivered_during_dispute_at = ctx.now


# --- C. Escalation, decision, appeal, payout --------------------------------------------


@ACTIONS("D9", "D10", "E1")
def record_escalation(order: Order, ctx: Context) -> None:
    """The case goes to the Case Management Team."""
    order.escalated_at = ctx.now


@ACTIONS("E1")
def record_evidence_request(order: Order, ctx: Context) -> None:
    """The team asks one party for evidence and sets a deadline."""
    order.evidence_party = ctx.party
    order.evidence_requested_at = ctx.now


@ACTIONS("E1", "E2")
def close_evidence_request(order: Order, ctx: Context) -> None:
    """The evidence arrived, or the seller's deadline passed: review goes on."""
    order.evidence_party = None


@ACTIONS("E3")
def record_decision(order: Order, ctx: Context) -> None:
    """The team's decision: the amount to refund (zero for none)."""
    order.decision = ctx.amount
    order.decided_at = ctx.now


@ACTIONS("E3", "P1")
def refund_decision(order: Order, ctx: Context) -> None:
    """Carry out the decision on record: refund it, release the rest to the seller."""
    assert order.decision is not None
    if order.decision > 0:
        ledger.refund(order, order.decision)
        order.refund_at = ctx.now
    else:
        ledger.release(order)


@ACTIONS("E4")
def record_appeal(order: Order, ctx: Context) -> None:
    """One more appeal filed against the decision."""
    order.appeals_filed += 1


@ACTIONS("E5")
def record_support_contact(order: Order, ctx: Context) -> None:
    """After losing, the buyer turned to customer support (outside the dispute)."""
    order.support_contacted = True


@ACTIONS("P1", "P2")
def record_credit(order: Order, ctx: Context) -> None:
    """The bank credits the original payment method, keeping its fee (a buyer's cost)."""
    order.credited_at = ctx.now
    order.buyer_costs += round(order.refunded * ctx.policy.refund_fee_rate)


@ACTIONS("P3")
def record_late_goods(order: Order, ctx: Context) -> None:
    """The goods arrived although the buyer was refunded."""
    if order.late_goods_at is None:
        order.late_goods_at = ctx.now


@ACTIONS("P3")
def record_repayment(order: Order, ctx: Context) -> None:
    """The buyer paid the seller back outside the platform."""
    assert ctx.amount is not None
    order.repaid_off_platform += ctx.amount
