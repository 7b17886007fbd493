"""Seller standards: each platform's seller metric as data, and the standing it gives (S1-S3).

A metric is a ratio of counts over a rolling window of a seller's activity: what counts
on top, what is taken off it, what counts below (and whether the bottom is the window
before, as Mastercard's "chargebacks this month over last month's sales"). The counts
are the `COUNTS` a marketplace keeps for every seller and day; `rate` turns the window's
sums into the metric, and `standing` turns the enforced metric into a tier with the
policy's thresholds. The figures behind each definition and its published thresholds are
in docs/sources.md; where a platform publishes no threshold, the preset says "assumed".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum
from typing import get_args

import numpy as np

from machine.policy import Policy, StandardMetric

COUNTS: tuple[str, ...] = (
    "orders",  # orders paid to the seller (transactions)
    "disputed",  # orders disputed for the first time
    "disputes",  # disputes opened (a reopened dispute counts again)
    "buyer_cancelled",  # disputes the buyer cancelled
    "confirmed",  # deliveries confirmed by the buyer or by protection running out
    "claims",  # cases sent to the case team (escalations, by hand or by themselves)
    "rulings_against",  # final rulings refunding the buyer (seller responsibility)
    "unshipped",  # orders never shipped in the handling time (seller-cancelled)
    "negative",  # negative feedback (F1)
    "neutral",  # neutral feedback
    "positive",  # positive feedback
)
COUNT = {name: code for code, name in enumerate(COUNTS)}


class Standing(IntEnum):
    """A seller's tier under the enforced standard, worst last (S2, S3)."""

    GOOD = 0
    WARNED = 1
    RESTRICTED = 2
    SUSPENDED = 3


@dataclass(frozen=True)
class Metric:
    """One platform's seller metric and the thresholds it publishes (S1).

    `rate = (sum(top) - sum(minus)) / sum(bottom)` over the window (the window before it
    for the bottom when `lagged`); `events` is the numerator's count for a minimum count.
    """

    name: str
    title: str
    top: tuple[str, ...]
    bottom: tuple[str, ...]
    minus: tuple[str, ...] = ()
    lagged: bool = False
    window_days: float = 30.0
    fallback_days: float = 0.0
    min_orders: int = 0
    min_events: int = 0
    every_days: int = 1
    warn_above: float = 1.0
    restrict_above: float = 1.0
    suspend_above: float = 1.0
    source: str = ""


ALIEXPRESS_BOTTOM = ("confirmed", "disputed")  # confirmed + auto-confirmed + disputed orders

METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "aliexpress_dispute_rate",
            "AliExpress 30-day dispute rate",
            top=("disputes",),
            minus=("buyer_cancelled",),
            bottom=ALIEXPRESS_BOTTOM,
            source="sources.md: AliExpress dispute rate definition; no public thresholds",
        ),
        Metric(
            "aliexpress_claim_rate",
            "AliExpress 30-day claim (escalation) rate",
            top=("claims",),
            bottom=ALIEXPRESS_BOTTOM,
            source="sources.md: AliExpress claim rate; no public thresholds",
        ),
        Metric(
            "aliexpress_ruling_rate",
            "AliExpress 30-day seller-responsibility ruling rate",
            top=("rulings_against",),
            bottom=ALIEXPRESS_BOTTOM,
            source="sources.md: AliExpress ruling rate; no public thresholds",
        ),
        Metric(
            "ebay_defect_rate",
            "eBay transaction defect rate",
            top=("rulings_against", "unshipped"),
            bottom=("orders",),
            window_days=90.0,
            fallback_days=365.0,
            min_orders=400,
            every_days=30,
            warn_above=0.005,
            restrict_above=0.02,
            source="sources.md: eBay defects; Top Rated at most 0.5%, Below Standard above 2%",
        ),
        Metric(
            "ebay_unresolved_rate",
            "eBay cases closed without seller resolution",
            top=("rulings_against",),
            bottom=("orders",),
            window_days=90.0,
            fallback_days=365.0,
            min_orders=400,
            min_events=3,
            every_days=30,
            restrict_above=0.003,
            source="sources.md: eBay, Below Standard above 0.3% or more than 2 cases",
        ),
        Metric(
            "amazon_odr",
            "Amazon order defect rate",
            top=("negative", "claims"),
            bottom=("orders",),
            window_days=60.0,
            suspend_above=0.01,
            source="sources.md: Amazon ODR below 1% over 60 days; above may deactivate",
        ),
        Metric(
            "visa_vamp",
            "Visa VAMP ratio (disputes; fraud reports not modelled)",
            top=("claims",),
            bottom=("orders",),
            min_events=1_500,
            every_days=30,
            restrict_above=0.015,
            source="sources.md: Visa VAMP, excessive from 1.5% (April 2026) above 1,500",
        ),
        Metric(
            "mastercard_ecp",
            "Mastercard excessive chargeback ratio",
            top=("claims",),
            bottom=("orders",),
            lagged=True,
            min_events=100,
            every_days=30,
            warn_above=0.01,
            restrict_above=0.015,
            source="sources.md: Mastercard ECP, monitored from 1%, excessive from 1.5% and 100",
        ),
    )
}
METRIC_NAMES: tuple[str, ...] = tuple(METRICS)
assert get_args(StandardMetric)[1:] == METRIC_NAMES, "machine.policy.StandardMetric disagrees"


def enforced(policy: Policy) -> Metric | None:
    """The metric the policy enforces, with the policy's window, counts and thresholds."""
    if policy.standard == "none":
        return None
    return replace(
        METRICS[policy.standard],
        window_days=policy.standard_window_days,
        fallback_days=policy.standard_fallback_days,
        min_orders=policy.standard_min_orders,
        min_events=policy.standard_min_events,
        every_days=policy.standard_every_days,
        warn_above=policy.warn_above,
        restrict_above=policy.restrict_above,
        suspend_above=policy.suspend_above,
    )


def rate(metric: Metric, window: np.ndarray, before: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The metric for every seller from its window's sums (`window[count, seller]`, and
    the window before it for a lagged bottom), and the numerator's event count.
    NaN where the bottom is zero (nothing to rate); never below zero (a window may hold
    more cancellations than openings of disputes opened before it)."""
    top = sum(window[COUNT[name]] for name in metric.top)
    minus = sum((window[COUNT[name]] for name in metric.minus), np.zeros_like(top))
    bottom_sums = before if metric.lagged else window
    bottom = sum(bottom_sums[COUNT[name]] for name in metric.bottom)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(bottom > 0, np.maximum(top - minus, 0) / np.maximum(bottom, 1), np.nan)
    return value, top


def standing(
    metric: Metric, value: np.ndarray, events: np.ndarray, rated: np.ndarray
) -> np.ndarray:
    """The tier each seller's rate earns (S2): the worst threshold it is above, for a seller
    rated (enough orders) with enough counted events; otherwise good."""
    tier = np.zeros(len(value), dtype=np.int8)
    counted = rated & (events >= metric.min_events) & ~np.isnan(value)
    for threshold, level in (
        (metric.warn_above, Standing.WARNED),
        (metric.restrict_above, Standing.RESTRICTED),
        (metric.suspend_above, Standing.SUSPENDED),
    ):
        if threshold < 1.0:
            tier[counted & (value > threshold)] = level
    return tier
