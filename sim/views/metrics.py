"""Headline figures of a run, each defined once, here.

Shares are fractions (0 to 1); times are days; losses are shares of the gross value of
all orders (GMV). "Days to money" runs from the buyer's request (cancellation, dispute,
or the moment an unshipped order became refundable) to the bank's credit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.experiments.results import RunResult
from sim.world.truth import Truth


@dataclass(frozen=True)
class Figure:
    """A headline figure: key, label for people, unit."""

    key: str
    label: str
    unit: str


FIGURES: tuple[Figure, ...] = (
    Figure("refund_rate", "orders refunded (any amount)", "share"),
    Figure("dispute_rate", "orders disputed", "share"),
    Figure("real_problems_refunded", "real problems refunded", "share"),
    Figure("false_claims_paid", "false claims paid", "share"),
    Figure("escalation_rate", "disputes escalated to the case team", "share"),
    Figure("days_to_money_median", "days to money, median", "days"),
    Figure("days_to_money_p90", "days to money, 90th percentile", "days"),
    Figure("buyer_loss", "buyer loss (unrefunded problems and costs)", "share of GMV"),
    Figure("seller_loss", "seller loss (refunds on fine goods sent)", "share of GMV"),
    Figure("team_utilisation", "case-team utilisation", "share"),
    Figure("team_mean_wait", "case-team mean wait", "days"),
)


def _share(numerator: np.ndarray, mask: np.ndarray) -> float:
    count = int(mask.sum())
    return float(numerator[mask].sum() / count) if count else float("nan")


def _percentile(values: np.ndarray, q: float) -> float:
    values = values[~np.isnan(values)]
    return float(np.percentile(values, q)) if len(values) else float("nan")


def headline(result: RunResult) -> dict[str, float]:
    """Every figure of FIGURES for one run (NaN where it has no orders to count)."""
    o = result.orders
    refunded = o["refunded"] > 0
    problem = o["truth"] != Truth.OK
    disputed = o["disputed"].astype(bool)
    gmv = float(o["price"].sum())
    money = o["credited_at"] - o["asked_at"]
    unrefunded = np.where(problem, o["price"] - o["refunded"], 0)
    sent = ~np.isnan(o["shipped_at"])  # a seller who never shipped loses nothing by refunding
    on_fine_goods = np.where(~problem & sent, o["refunded"] - o["repaid"], 0)
    waits = o["team_wait"][~np.isnan(o["team_wait"])]
    span = result.team_staff * result.horizon
    return {
        "orders": float(len(o)),
        "refund_rate": float(refunded.mean()) if len(o) else float("nan"),
        "dispute_rate": float(disputed.mean()) if len(o) else float("nan"),
        "real_problems_refunded": _share(refunded, problem),
        "false_claims_paid": _share(refunded, o["false_claim"].astype(bool)),
        "escalation_rate": _share(o["escalated"].astype(bool), disputed),
        "days_to_money_median": _percentile(money, 50),
        "days_to_money_p90": _percentile(money, 90),
        "buyer_loss": float((unrefunded.sum() + o["buyer_costs"].sum()) / gmv)
        if gmv
        else float("nan"),
        "seller_loss": float(on_fine_goods.sum() / gmv) if gmv else float("nan"),
        "team_utilisation": result.team_busy_days / span if span else float("nan"),
        "team_mean_wait": float(waits.mean()) if len(waits) else float("nan"),
    }
