"""Figures over one segment of the orders: disputes alone, escalated cases alone, and
each dispute reason.

The headline "days to money" counts every refund, cancellations included, so a policy
that only touches disputes moves it by little; the dispute figures show the disputes'
own effect. A reason's figures count the disputes whose (last) request gave that reason.
"""

from __future__ import annotations

import numpy as np

from machine.order import Reason
from sim.measures.figure import Columns, Figure, percentile, share

REASON_LABELS = {
    Reason.NOT_RECEIVED: "not received",
    Reason.NOT_AS_DESCRIBED: "not as described",
    Reason.DAMAGED: "damaged",
}
# The reasons the world's buyers give. They cancel through `cancel_order`, never by a
# dispute for a cancelled order (D1's fourth reason), whose figures would always be empty.
REASONS = tuple(REASON_LABELS)
CODE = {reason: code for code, reason in enumerate(Reason)}  # the orders table's codes


def reason_key(reason: Reason, measure: str) -> str:
    """The key of a reason's figure, e.g. `not_received_refunded`."""
    return f"{reason.value}_{measure}"


DISPUTE_FIGURES: tuple[Figure, ...] = (
    Figure("dispute_days_to_money_median", "disputes: days to money, median", "days",
           "Days from the buyer's request to the bank's credit, over refunded disputed "
           "orders: median."),
    Figure("dispute_days_to_money_p90", "disputes: days to money, 90th percentile", "days",
           "The same, 90th percentile."),
    Figure("cancel_days_to_money_median", "cancellations: days to money, median", "days",
           "Days from the request (or the moment an unshipped order became refundable) to "
           "the bank's credit, over refunded orders never disputed: median."),
    Figure("escalated_refunded", "escalated cases refunded", "share",
           "Escalated orders refunded any amount, of escalated orders."),
    Figure("escalated_false_claims_paid", "escalated false claims paid", "share",
           "Escalated false claims refunded any amount, of escalated false claims."),
    Figure("escalated_days_to_money_median", "escalated cases: days to money, median",
           "days", "Days from the buyer's request to the bank's credit, over refunded "
           "escalated orders: median."),
    Figure("escalated_days_to_close_median", "escalated cases: escalation to close, median",
           "days", "Days from escalation to the order's end state, over escalated orders: "
           "median."),
)  # fmt: skip

REASON_MEASURES = {
    "share": ("disputes with this reason", "share",
              "Disputes whose request gave {r}, of all disputes."),
    "refunded": ("refunded", "share", "Disputes for {r} refunded any amount, of those disputes."),
    "escalated": ("escalated", "share",
                  "Disputes for {r} escalated to the team, of those disputes."),
    "days_to_money": ("days to money, median", "days",
                      "Days from the request to the bank's credit over refunded disputes for "
                      "{r}: median."),
}  # fmt: skip

REASON_FIGURES: tuple[Figure, ...] = tuple(
    Figure(
        reason_key(reason, measure),
        f"{REASON_LABELS[reason]}: {label}",
        unit,
        doc.format(r=f"'{REASON_LABELS[reason]}'"),
    )
    for reason in REASONS
    for measure, (label, unit, doc) in REASON_MEASURES.items()
)

FIGURES: tuple[Figure, ...] = DISPUTE_FIGURES + REASON_FIGURES


def figures(o: Columns) -> dict[str, float]:
    """Every segment figure over the measured orders `o`."""
    disputed = o["disputed"].astype(bool)
    escalated = o["escalated"].astype(bool)
    refunded = o["refunded"] > 0
    false_claim = o["false_claim"].astype(bool)
    money = o["credited_at"] - o["asked_at"]
    found = {
        "dispute_days_to_money_median": percentile(money[disputed], 50),
        "dispute_days_to_money_p90": percentile(money[disputed], 90),
        "cancel_days_to_money_median": percentile(money[~disputed], 50),
        "escalated_refunded": share(refunded, escalated),
        "escalated_false_claims_paid": share(refunded, escalated & false_claim),
        "escalated_days_to_money_median": percentile(money[escalated], 50),
        "escalated_days_to_close_median": percentile(
            (o["closed_at"] - o["escalated_at"])[escalated], 50
        ),
    }
    for reason in REASONS:
        mine = disputed & (o["reason"] == CODE[reason])
        found[reason_key(reason, "share")] = share(mine, disputed)
        found[reason_key(reason, "refunded")] = share(refunded, mine)
        found[reason_key(reason, "escalated")] = share(escalated, mine)
        found[reason_key(reason, "days_to_money")] = percentile(np.where(mine, money, np.nan), 50)
    return found
