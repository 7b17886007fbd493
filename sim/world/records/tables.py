"""The orders table: one named row per order, written when the order ends.

`OrderRow` names and types every column; `ORDER_SCHEMA` adds each column's storage code
and meaning, in the same order. Both engines fill the table from these two definitions.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from machine.order import Reason, RequestKind

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
    ("truth", "b", "what really happened (code, sim.world.records.truth)"),
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
