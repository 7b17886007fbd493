"""The money view: where the buyers' money went, in the scenario's currency per 1,000
orders paid in the window (`market.currency`; prices are in its hundredths).

Per 1,000 orders rather than in total, so that a figure does not grow with the window:
a year and a month of the same market give the same answer. The currency's name is the
scenario's (`currency_of`); the figures themselves are plain numbers.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim.measures.figure import MONEY, Columns, Figure
from sim.world.records.truth import Truth

PER_ORDERS = 1_000
CENTS = 100

FIGURES: tuple[Figure, ...] = (
    Figure("money_paid", "paid by buyers", MONEY,
           "What buyers paid (items and shipping)."),
    Figure("money_refunded", "refunded to buyers, in all", MONEY,
           "Everything refunded to buyers, whatever the reason."),
    Figure("money_refunded_unshipped", "refunded before shipment", MONEY,
           "Refunds on orders never shipped: cancellations and orders not shipped in time."),
    Figure("money_refunded_problems", "refunded on real problems", MONEY,
           "Refunds on shipped orders where something really went wrong."),
    Figure("money_false_claims_paid", "paid on false claims", MONEY,
           "Refunds on disputes opened on goods that arrived fine."),
    Figure("money_buyer_loss", "buyers' loss", MONEY,
           "Unrefunded value of real problems plus the buyers' own costs (return postage, "
           "bank fees)."),
    Figure("money_seller_loss", "sellers' loss on fine goods", MONEY,
           "Refunds paid on fine goods that were sent, less what buyers paid back."),
)  # fmt: skip


def figures(o: Columns) -> dict[str, float]:
    """Every money figure over the measured orders `o`."""
    n = len(o["price"])
    if not n:
        return {figure.key: math.nan for figure in FIGURES}
    problem = o["truth"] != Truth.OK
    sent = ~np.isnan(o["shipped_at"])
    refunded = o["refunded"]
    unrefunded = np.where(problem, o["price"] - refunded, 0)
    totals = {
        "money_paid": o["price"].sum(),
        "money_refunded": refunded.sum(),
        "money_refunded_unshipped": refunded[~sent].sum(),
        "money_refunded_problems": refunded[problem & sent].sum(),
        "money_false_claims_paid": refunded[o["false_claim"].astype(bool)].sum(),
        "money_buyer_loss": unrefunded.sum() + o["buyer_costs"].sum(),
        "money_seller_loss": np.where(~problem & sent, refunded - o["repaid"], 0).sum(),
    }
    return {key: float(total) * PER_ORDERS / CENTS / n for key, total in totals.items()}


def currency_of(scenario: dict[str, Any]) -> str:
    """The currency of a stored scenario (a manifest point's `scenario`)."""
    return str(scenario.get("market", {}).get("currency", "USD"))
