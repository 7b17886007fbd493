"""The orders table: one named row per order, written when the order ends.

`OrderRow` names and types every column; `ORDER_SCHEMA` adds each column's storage code
and meaning, in the same order. Both engines fill the table from these two definitions.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from machine.order import Reason, RequestKind
from sim.world.recorder import STATE_CODE
from sim.world.truth import Truth
from sim.world.worldorder import WorldOrder

NAN = math.nan
REASONS = tuple(Reason)
KINDS = tuple(RequestKind)


class OrderRow(NamedTuple):
    """One order's row of the orders table (codes are indices into the categories)."""

    order_id: int
    created_at: float
    measured: bool
    price: int
    seller: int
    buyer: int
    carrier: int
    seller_id: int
    buyer_id: int
    standing: int
    reused_tracking: int
    surcharge: int
    hold_days: float
    truth: int
    final_state: int
    refunded: int
    released: int
    buyer_costs: int
    repaid: int
    disputed: bool
    false_claim: bool
    reason: int
    kind: int
    escalated: bool
    appealed: bool
    decision: int
    asked_at: float
    shipped_at: float
    delivered_at: float
    protection_ends_at: float
    opened_at: float
    escalated_at: float
    decided_at: float
    refund_at: float
    credited_at: float
    closed_at: float
    team_wait: float
    feedback: int
    feedback_at: float


# name, array type code, meaning; in OrderRow's order.
# fmt: off
ORDER_SCHEMA: tuple[tuple[str, str, str], ...] = (
    ("order_id", "i", "the order's number, from 0 in order of payment"),
    ("created_at", "d", "day of payment"),
    ("measured", "b", "1 if paid in the run's measured window (0: paid in the warm-up and "
                      "put before the case team in the window; the warm-up's other orders "
                      "are not kept)"),
    ("price", "q", "amount paid, cents (item and shipping)"),
    ("seller", "b", "seller profile (code)"),
    ("buyer", "b", "buyer profile (code)"),
    ("carrier", "b", "shipping method (code)"),
    ("seller_id", "i", "the seller's id in the population (-1: no population)"),
    ("buyer_id", "i", "the buyer's id in the population (-1: no population)"),
    ("standing", "b", "the seller's standing when the order was placed (code: good, "
                      "warned, restricted, suspended) (S2)"),
    ("reused_tracking", "i", "the seller whose fake tracking number, given to an earlier "
                             "order too, the order carries (F2; -1: none reused)"),
    ("surcharge", "q", "the extra fee a restricted seller pays on the sale, cents (S2)"),
    ("hold_days", "d", "the extra days a restricted seller's money is held (S2)"),
    ("truth", "b", "what really happened (code, sim.world.truth)"),
    ("final_state", "b", "end state (code)"),
    ("refunded", "q", "refunded to the buyer, cents"),
    ("released", "q", "paid out to the seller, cents"),
    ("buyer_costs", "q", "the buyer's own costs (return postage, bank fee), cents"),
    ("repaid", "q", "paid back by the buyer outside the platform, cents"),
    ("disputed", "b", "1 if a dispute was opened"),
    ("false_claim", "b", "1 if a buyer claimed on goods that arrived fine"),
    ("reason", "b", "the dispute's reason (code, -1: none)"),
    ("kind", "b", "refund only or return and refund (code, -1: none)"),
    ("escalated", "b", "1 if the case went to the Case Management Team"),
    ("appealed", "b", "1 if a decision was appealed"),
    ("decision", "q", "the team's last award, cents (-1: none)"),
    ("asked_at", "d", "day the buyer asked for money back (cancel, dispute, unshipped)"),
    ("shipped_at", "d", "day of shipment"),
    ("delivered_at", "d", "day of delivery"),
    ("protection_ends_at", "d", "day Purchase Protection ended, extensions included (L9, L10)"),
    ("opened_at", "d", "day the (last) dispute was opened"),
    ("escalated_at", "d", "day the case went to the Case Management Team"),
    ("decided_at", "d", "day of the team's first decision (escalated orders)"),
    ("refund_at", "d", "day of the refund on the platform"),
    ("credited_at", "d", "day the bank credited the refund"),
    ("closed_at", "d", "day the order reached its end state"),
    ("team_wait", "d", "days queued for a case officer (escalated orders)"),
    ("feedback", "b", "the buyer's feedback on the seller (F1; code: negative, neutral, "
                      "positive; -1: none)"),
    ("feedback_at", "d", "day the feedback was left (a delay after the order's last event)"),
)
# fmt: on
ORDER_COLUMNS = {name: code for name, code, _ in ORDER_SCHEMA}
assert tuple(ORDER_COLUMNS) == OrderRow._fields, "ORDER_SCHEMA and OrderRow disagree"


def order_row(
    order: WorldOrder, measured: bool, feedback: int = -1, feedback_at: float = NAN
) -> OrderRow:
    """The finished order's row of the orders table (the buyer's feedback, F1, is the
    world's to fill in: it is settled for many orders at once)."""
    f, request = order.facts, order.request
    truth = order.truth
    if order.shipped_at is None and truth is not Truth.NOT_SHIPPED:
        truth = Truth.OK  # cancelled before anything could go wrong
    opened = order.disputes_opened > 0
    escalated = order.escalated_at is not None
    return OrderRow(
        order_id=order.id,
        created_at=order.paid_at,
        measured=measured,
        price=order.paid,
        seller=f.seller,
        buyer=f.buyer,
        carrier=f.carrier,
        seller_id=f.seller_id,
        buyer_id=f.buyer_id,
        standing=f.standing,
        reused_tracking=f.reused_tracking,
        surcharge=f.surcharge,
        hold_days=f.hold_days,
        truth=truth,
        final_state=STATE_CODE[order.state],
        refunded=order.refunded,
        released=order.released,
        buyer_costs=order.buyer_costs,
        repaid=order.repaid_off_platform,
        disputed=opened,
        false_claim=opened and truth is Truth.OK and f.false_claim and _after_delivery(order),
        reason=REASONS.index(request.reason) if request else -1,
        kind=KINDS.index(request.kind) if request else -1,
        escalated=escalated,
        appealed=order.appeals_filed > 0,
        decision=order.decision if order.decision is not None else -1,
        asked_at=_or_nan(order.asked_at),
        shipped_at=_or_nan(order.shipped_at),
        delivered_at=_or_nan(order.delivered_at),
        protection_ends_at=_or_nan(order.protection_ends_at),
        opened_at=_or_nan(order.opened_at),
        escalated_at=_or_nan(order.escalated_at),
        decided_at=_or_nan(order.team_decided_at),
        refund_at=_or_nan(order.refund_at),
        credited_at=_or_nan(order.credited_at),
        closed_at=_or_nan(order.closed_at),
        team_wait=order.team_wait if escalated else NAN,
        feedback=feedback,
        feedback_at=feedback_at,
    )


def _after_delivery(order: WorldOrder) -> bool:
    """Whether the dispute was opened with the goods already delivered."""
    return (
        order.delivered_at is not None
        and order.opened_at is not None
        and order.delivered_at <= order.opened_at
    )


def _or_nan(value: float | None) -> float:
    return NAN if value is None else value
