"""Guards: pure predicates over (order, context). The same order, policy and time always
give the same answer; a guard never writes to the order.

Each guard is registered with the rule ids it enforces. The guards of timed rows
("the deadline has passed") and of windows ("open from ... until ...") are not written
here: `machine.process` derives them from the deadlines each row names.
"""

from __future__ import annotations

from machine import deadlines
from machine.context import Context
from machine.order import Order, Party, Reason, RequestKind
from machine.registry import GUARDS

# --- A. The order lifecycle -------------------------------------------------------------


@GUARDS("L3")
def within_instant_cancel(order: Order, ctx: Context) -> bool:
    """The cancellation comes inside the first hours after payment: it is immediate."""
    return ctx.now - order.paid_at <= ctx.policy.instant_cancel_hours / 24.0


@GUARDS("L10")
def buyer_contacted_seller(order: Order, ctx: Context) -> bool:
    """The buyer contacted the seller while protection still ran: the seller may extend it."""
    contacted, ends = order.contacted_seller_at, order.protection_ends_at
    return contacted is not None and ends is not None and contacted < ends


@GUARDS("L10")
def extension_within_limit(order: Order, ctx: Context) -> bool:
    """The extension asked for is positive and keeps the total within the policy's cap."""
    room = deadlines.extension_room(order, ctx.policy)
    return ctx.amount is not None and ctx.amount > 0 and room is not None and ctx.amount <= room


@GUARDS("D3")
def no_prior_agreement(order: Order, ctx: Context) -> bool:
    """No agreement was reached with the seller on this order."""
    return not order.agreed


@GUARDS("D5")
def request_amount_valid(order: Order, ctx: Context) -> bool:
    """The amount asked for is positive and at most what can still be refunded."""
    request = ctx.request
    return request is not None and 0 < request.amount <= order.paid - order.refunded


@GUARDS("D6")
def evidence_form_accepted(order: Order, ctx: Context) -> bool:
    """Images are under the size limit and the text has no forbidden characters."""
    request = ctx.request
    if request is None or request.largest_image_mb >= ctx.policy.max_image_mb:
        return False
    return not (ctx.policy.forbid_chinese_text and request.text_has_chinese)


@GUARDS("D1")
def reason_fits_order(order: Order, ctx: Context) -> bool:
    """Complaints about the goods themselves need the goods to have been delivered."""
    request = ctx.request
    if request is None:
        return False
    if request.reason in (Reason.NOT_AS_DESCRIBED, Reason.DAMAGED):
        return order.delivered_at is not None
    return True


@GUARDS("D7")
def silence_means_refund(order: Order, ctx: Context) -> bool:
    """Under this policy a silent seller concedes the refund (table D)."""
    return ctx.policy.seller_silence == "refund"


@GUARDS("D11")
def asks_refund_only(order: Order, ctx: Context) -> bool:
    """The buyer's request is "refund only"."""
    return order.request is not None and order.request.kind is RequestKind.REFUND_ONLY


@GUARDS("D11")
def asks_return(order: Order, ctx: Context) -> bool:
    """The buyer's request is "return and refund"."""
    return order.request is not None and order.request.kind is RequestKind.RETURN_AND_REFUND


@GUARDS("D8", "D5")
def offer_within_paid(order: Order, ctx: Context) -> bool:
    """A counter-offer is a refund between nothing and what can still be refunded."""
    return ctx.amount is not None and 0 <= ctx.amount <= order.paid - order.refunded


@GUARDS("D8")
def offer_on_table(order: Order, ctx: Context) -> bool:
    """The seller's answer included a positive counter-offer the buyer can accept."""
    return order.offer is not None and order.offer > 0


@GUARDS("D12")
def changes_to_not_as_described(order: Order, ctx: Context) -> bool:
    """A not-received dispute's reason becomes "not as described" (in its window, D12)."""
    request, new = order.request, ctx.request
    return (
        request is not None
        and request.reason is Reason.NOT_RECEIVED
        and new is not None
        and new.reason is Reason.NOT_AS_DESCRIBED
    )


@GUARDS("D13")
def protection_over(order: Order, ctx: Context) -> bool:
    """The order completed, or its protection ran out."""
    ends = deadlines.protection_ends(order, ctx.policy)
    return order.completed_at is not None or (ends is not None and ctx.now >= ends)


@GUARDS("D13", "D12")
def goods_delivered(order: Order, ctx: Context) -> bool:
    """The parcel has been delivered (before or during the dispute)."""
    return order.delivered_at is not None


# --- C. Escalation, decision, appeal, payout --------------------------------------------


@GUARDS("E2")
def evidence_owed_by_buyer(order: Order, ctx: Context) -> bool:
    """The missing evidence is the buyer's (a silent seller does not cancel the claim)."""
    return order.evidence_party is Party.BUYER


@GUARDS("E1")
def party_named(order: Order, ctx: Context) -> bool:
    """A request for evidence names the party it is addressed to."""
    return ctx.party is not None


@GUARDS("E3", "D5")
def award_within_paid(order: Order, ctx: Context) -> bool:
    """A decision awards between nothing and what can still be refunded."""
    return ctx.amount is not None and 0 <= ctx.amount <= order.paid - order.refunded


@GUARDS("E3")
def award_is_refund(order: Order, ctx: Context) -> bool:
    """The decision being made awards the buyer some money."""
    return ctx.amount is not None and ctx.amount > 0


@GUARDS("E3")
def decided_refund(order: Order, ctx: Context) -> bool:
    """The decision on record awards the buyer some money."""
    return order.decision is not None and order.decision > 0


@GUARDS("E4")
def appeals_allowed(order: Order, ctx: Context) -> bool:
    """This policy lets a decision be appealed (table D)."""
    return ctx.policy.appeals


@GUARDS("E4")
def appeals_left(order: Order, ctx: Context) -> bool:
    """The order has appeals left under the policy (its window is the table's)."""
    return order.appeals_filed < ctx.policy.max_appeals


@GUARDS("P1")
def bank_clearance_elapsed(order: Order, ctx: Context) -> bool:
    """The bank's minimum clearance, in business days, has passed since the refund."""
    moment = deadlines.bank_credit_earliest(order, ctx.policy, ctx.epoch_weekday)
    return moment is not None and ctx.now >= moment


@GUARDS("P3")
def late_goods_received(order: Order, ctx: Context) -> bool:
    """The goods reached the buyer after the refund, and the repayment is within it."""
    return (
        order.late_goods_at is not None
        and ctx.amount is not None
        and 0 < ctx.amount <= order.refunded - order.repaid_off_platform
    )
