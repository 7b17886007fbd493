"""Figures of seller standards: whom they catch, how fast, and what they cost the honest.

They read the sellers table's last rows (the window's end) and the orders of the window;
without a population every one is NaN. A seller is fraudulent when its profile is not
honest (`SellerProfile.honest`); "flagged" is warned or worse at any evaluation.
"""

from __future__ import annotations

import math

import numpy as np

from machine.standards import Standing
from sim.measures.figure import MONEY, Figure, measured_orders
from sim.measures.money import CENTS, PER_ORDERS
from sim.world.records.results import RunResult

FIGURES: tuple[Figure, ...] = (
    Figure("fraud_sellers_suspended", "fraudulent sellers suspended", "share",
           "Fraudulent sellers suspended by the window's end, of those who entered by then."),
    Figure("fraud_days_to_suspension", "days from entry to suspension, fraudulent sellers",
           "days", "Days from a fraudulent seller's entry to its suspension, over the "
           "suspended ones: mean (sellers present from the start entered on day 0)."),
    Figure("honest_sellers_flagged", "honest sellers flagged", "share",
           "Honest sellers ever warned, restricted or suspended, of those who entered."),
    Figure("honest_sellers_suspended", "honest sellers suspended", "share",
           "Honest sellers suspended by the window's end, of those who entered."),
    Figure("honest_orders_lost", "orders honest sellers lost to their standing", "share",
           "Orders honest sellers would have had but for their standing (expected), of the "
           "orders they had."),
    Figure("fraud_sales_share", "sales by fraudulent sellers", "share of GMV",
           "The value of the window's orders sold by fraudulent sellers, of all orders."),
    Figure("restricted_order_share", "orders placed with restricted sellers", "share",
           "Orders of the window placed with a seller restricted at the time."),
    Figure("money_seller_surcharge", "fee surcharges paid by restricted sellers", MONEY,
           "Extra fees restricted sellers paid on their sales (S2)."),
    Figure("reviewed_false_claims", "false claims sent to the team by abuse review", "share",
           "Disputes on goods that arrived fine whose buyer was under abuse review, so that "
           "they went straight to the case team (S4), of false claims."),
    Figure("reviewed_real_claims", "real problems' claims sent to the team by abuse review",
           "share", "Disputes on real problems whose buyer was under abuse review (S4), of "
           "disputes on real problems: the honest buyers the review catches too."),
)  # fmt: skip


def figures(result: RunResult) -> dict[str, float]:
    """Every figure of FIGURES for one run (NaN without a population)."""
    nan = {figure.key: math.nan for figure in FIGURES}
    sellers = result.sellers
    if not len(sellers):
        return nan
    o = measured_orders(result.orders.columns)
    reviewed = _reviewed(result, o)
    rows = sellers.columns
    last = rows["day"] == rows["day"].max()
    s = {name: column[last] for name, column in rows.items()}
    honest = s["honest"].astype(bool)
    fraud = ~honest
    suspended = s["standing"] == Standing.SUSPENDED
    flagged = ~np.isnan(s["flagged_at"])
    days = (s["suspended_at"] - s["entered_at"])[fraud & suspended]
    honest_by_id = np.zeros(int(s["seller_id"].max()) + 1, dtype=bool)
    honest_by_id[s["seller_id"]] = honest
    known = (o["seller_id"] >= 0) & (o["seller_id"] < len(honest_by_id))
    by_fraud = known & ~honest_by_id[np.where(known, o["seller_id"], 0)]
    gmv = float(o["price"].sum())
    n = len(o["price"])
    honest_orders = float(s["orders"][honest].sum())
    return {
        "fraud_sellers_suspended": _mean(suspended, fraud),
        "fraud_days_to_suspension": float(days.mean()) if len(days) else math.nan,
        "honest_sellers_flagged": _mean(flagged, honest),
        "honest_sellers_suspended": _mean(suspended, honest),
        "honest_orders_lost": float(s["lost_orders"][honest].sum() / honest_orders)
        if honest_orders
        else math.nan,
        "fraud_sales_share": float(o["price"][by_fraud].sum() / gmv) if gmv else math.nan,
        "restricted_order_share": float((o["standing"] == Standing.RESTRICTED).mean())
        if n
        else math.nan,
        "money_seller_surcharge": float(o["surcharge"].sum()) / CENTS / n * PER_ORDERS
        if n
        else math.nan,
        "reviewed_false_claims": _mean(reviewed, o["false_claim"].astype(bool)),
        "reviewed_real_claims": _mean(reviewed, o["disputed"].astype(bool) & (o["truth"] != 0)),
    }


def fraud_by_id(result: RunResult) -> np.ndarray | None:
    """By seller id, whether the seller is fraudulent (None without a population)."""
    rows = result.sellers.columns if len(result.sellers) else None
    if rows is None:
        return None
    fraud = np.zeros(int(rows["seller_id"].max()) + 1, dtype=bool)
    fraud[rows["seller_id"]] = ~rows["honest"].astype(bool)
    return fraud


def _reviewed(result: RunResult, orders: dict[str, np.ndarray]) -> np.ndarray:
    """Which of `orders` had a claim sent straight to the team by abuse review (S4)."""
    sent = result.orders_with("refer_to_team")
    return np.isin(orders["order_id"], sent)


def _mean(values: np.ndarray, among: np.ndarray) -> float:
    count = int(among.sum())
    return float(values[among].sum() / count) if count else math.nan
