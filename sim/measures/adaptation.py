"""Figures of behaviour that answers back: the false-claim rate and the fraudulent sellers'
share in the short run and the long run, how long the path takes to settle, buyers'
churn, sellers leaving and entering, and repeat false claims.

The short run is the first `RUN_DAYS` days of the measured window and the long run its
last `RUN_DAYS` (NaN where the window is too short to hold both apart). The path settles
where MSER-5 cuts the daily false-claim rate (sim.measures.mser). Without adaptation the
path's figures (churn, sellers leaving and entering) are NaN; the others read the orders.
"""

from __future__ import annotations

import math

import numpy as np

from sim.measures.figure import Figure, measured_orders
from sim.measures.mser import mser
from sim.world.records.results import RunResult

RUN_DAYS = 91  # a quarter: the short run's and the long run's length
REPEAT_DAYS = 90  # a repeat false claim comes within this many days of a paid one

FIGURES: tuple[Figure, ...] = (
    Figure("false_claim_rate", "false claims per order", "share",
           "Orders of the window whose buyer claimed on goods that arrived fine."),
    Figure("false_claim_rate_short", "false claims per order, first quarter", "share",
           f"The false-claim rate of the orders paid in the window's first {RUN_DAYS} days."),
    Figure("false_claim_rate_long", "false claims per order, last quarter", "share",
           f"The false-claim rate of the orders paid in the window's last {RUN_DAYS} days."),
    Figure("fraud_sales_share_short", "sales by fraudulent sellers, first quarter",
           "share of GMV", f"Fraudulent sellers' share of the value of the orders paid in "
           f"the window's first {RUN_DAYS} days."),
    Figure("fraud_sales_share_long", "sales by fraudulent sellers, last quarter",
           "share of GMV", f"Fraudulent sellers' share of the value of the orders paid in "
           f"the window's last {RUN_DAYS} days."),
    Figure("false_claim_settling_days", "days for the false-claim rate to settle", "days",
           "Where MSER-5 truncates the window's daily false-claim rate, in days from the "
           "window's start: 0 for a rate that holds, about half the window for one still "
           "moving at the end."),
    Figure("honest_buyer_churn", "buyers' purchases lost to churn", "share",
           "How much less buyers buy at the window's end than at the start, because buyers "
           "refused on a real problem buy less (adaptation only)."),
    Figure("sellers_left", "sellers who left", "share",
           "Sellers who left in the window, of those able to sell at its start "
           "(adaptation only)."),
    Figure("sellers_entered", "sellers who entered", "share",
           "Sellers who entered in the window, of those able to sell at its start "
           "(adaptation only)."),
    Figure("sellers_short_of_reserve", "sellers kept out by an empty reserve", "share",
           "Sellers who would have entered in the window but found their profile's reserve "
           "used up, of those able to sell at its start (adaptation only; raise "
           "population.adaptation.sellers.reserve if it is above 0)."),
    Figure("repeat_false_claims_90d", "paid false claims followed by another", "share",
           f"Paid false claims of the window whose buyer made another false claim within "
           f"{REPEAT_DAYS} days (with a population)."),
)  # fmt: skip


def figures(result: RunResult, fraud_sellers: np.ndarray | None) -> dict[str, float]:
    """Every figure of FIGURES for one run; `fraud_sellers`: by seller id, whether the
    seller is fraudulent (None without a population)."""
    o = measured_orders(result.orders.columns)
    window = result.window
    first, end = window.first_day, min(window.end_day, window.first_day + result.measured_days)
    created = o["created_at"]
    short = created < first + RUN_DAYS
    long = created >= end - RUN_DAYS
    apart = end - first >= 2 * RUN_DAYS
    false = o["false_claim"].astype(bool)
    found = {
        "false_claim_rate": _mean(false, np.ones(len(false), dtype=bool)),
        "false_claim_rate_short": _mean(false, short) if apart else math.nan,
        "false_claim_rate_long": _mean(false, long) if apart else math.nan,
        "false_claim_settling_days": _settling(created - first, false),
        "repeat_false_claims_90d": _repeats(result.orders.columns, first, end),
    }
    if fraud_sellers is not None and len(fraud_sellers):
        known = (o["seller_id"] >= 0) & (o["seller_id"] < len(fraud_sellers))
        fraud = known & fraud_sellers[np.where(known, o["seller_id"], 0)]
        price = o["price"].astype(float)
        found["fraud_sales_share_short"] = _share(price, fraud, short) if apart else math.nan
        found["fraud_sales_share_long"] = _share(price, fraud, long) if apart else math.nan
    else:
        found["fraud_sales_share_short"] = found["fraud_sales_share_long"] = math.nan
    found.update(_path_figures(result, first, end))
    return {figure.key: found[figure.key] for figure in FIGURES}


def _mean(values: np.ndarray, mask: np.ndarray) -> float:
    return float(values[mask].mean()) if mask.any() else math.nan


def _share(price: np.ndarray, chosen: np.ndarray, mask: np.ndarray) -> float:
    total = float(price[mask].sum())
    return float(price[mask & chosen].sum()) / total if total else math.nan


def _settling(day: np.ndarray, false: np.ndarray) -> float:
    """MSER-5's cut of the daily false-claim rate, in days (NaN: under 20 days)."""
    whole = np.floor(day).astype(np.int64)
    days = int(whole.max()) + 1 if len(whole) else 0
    if days < 20:
        return math.nan
    orders = np.bincount(whole, minlength=days).astype(float)
    claims = np.bincount(whole, weights=false, minlength=days)
    rate = np.divide(claims, orders, out=np.full(days, np.nan), where=orders > 0)
    return float(mser(rate))


def _repeats(orders: dict[str, np.ndarray], first: float, end: float) -> float:
    """Of the paid false claims paid in the window, the share whose buyer's next false
    claim came within REPEAT_DAYS of the paid one's end."""
    buyer = orders["buyer_id"]
    false = orders["false_claim"].astype(bool) & (buyer >= 0)
    if not false.any():
        return math.nan
    b, created, closed = buyer[false], orders["created_at"][false], orders["closed_at"][false]
    paid = orders["refunded"][false] > 0
    order = np.lexsort((created, b))
    b, created, closed, paid = b[order], created[order], closed[order], paid[order]
    counted = paid & (created >= first) & (created < end)
    same_next = np.r_[b[1:] == b[:-1], False]
    next_created = np.r_[created[1:], np.inf]
    again = same_next & (next_created - closed <= REPEAT_DAYS) & (next_created >= closed)
    return float(again[counted].mean()) if counted.any() else math.nan


def _path_figures(result: RunResult, first: float, end: float) -> dict[str, float]:
    nan = dict.fromkeys(
        ("honest_buyer_churn", "sellers_left", "sellers_entered", "sellers_short_of_reserve"),
        math.nan,
    )
    path = result.path
    if not len(path):
        return nan
    rows = path.columns
    day = rows["day"]
    start = np.searchsorted(day, first, side="right") - 1  # the row at or before the start
    stop = np.searchsorted(day, end, side="right") - 1
    if start < 0 or stop < start:
        return nan
    present = float(rows["honest_sellers"][start] + rows["dishonest_sellers"][start])
    return {
        "honest_buyer_churn": float(rows["demand"][start] - rows["demand"][stop])
        / float(rows["demand"][start]),
        "sellers_left": float(rows["left"][stop] - rows["left"][start]) / present,
        "sellers_entered": float(rows["entered"][stop] - rows["entered"][start]) / present,
        "sellers_short_of_reserve": float(
            rows["short_of_reserve"][stop] - rows["short_of_reserve"][start]
        )
        / present,
    }
