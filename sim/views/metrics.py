"""Headline figures of a run, each defined once, here.

Shares are fractions (0 to 1); times are days; losses are shares of the gross value of
all orders (GMV). "Days to money" runs from the buyer's request (cancellation, dispute,
or the moment an unshipped order became refundable) to the bank's credit. The team's
decision time runs from escalation to its first decision (escalated orders).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.experiments.results import RunResult
from sim.world.truth import Truth


@dataclass(frozen=True)
class Figure:
    """A headline figure: key, label for people, unit, and what precision means for it."""

    key: str
    label: str
    unit: str

    @property
    def bounds(self) -> tuple[float, float]:
        """The figure's range: shares lie in [0, 1], days and losses are not negative."""
        return (0.0, 1.0) if self.unit.startswith("share") else (0.0, math.inf)

    @property
    def floor(self) -> float:
        """The absolute half-width that is precise enough for a figure near zero."""
        return PRECISION_FLOORS[self.unit]


# A half-width this small is precise enough whatever the mean (figures near zero).
PRECISION_FLOORS = {"share": 0.002, "share of GMV": 0.0005, "days": 0.1}


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
    Figure("team_decision_days_median", "escalation to the team's decision, median", "days"),
)
FIGURE_BY_KEY = {figure.key: figure for figure in FIGURES}


def _share(numerator: np.ndarray, mask: np.ndarray) -> float:
    count = int(mask.sum())
    return float(numerator[mask].sum() / count) if count else float("nan")


def _percentile(values: np.ndarray, q: float) -> float:
    values = values[~np.isnan(values)]
    return float(np.percentile(values, q)) if len(values) else float("nan")


def headline(result: RunResult) -> dict[str, float]:
    """Every figure of FIGURES for one run (NaN where it has no orders to count).

    Order figures count the orders paid in the measured window, each followed to its
    end; the team's figures cover the window's days: utilisation is the busy share of the
    staff's time in the window, the mean wait that of the cases escalated in it.
    """
    every = result.orders
    measured = every["measured"].astype(bool)
    o = {name: column[measured] for name, column in every.columns.items()}
    refunded = o["refunded"] > 0
    problem = o["truth"] != Truth.OK
    disputed = o["disputed"].astype(bool)
    gmv = float(o["price"].sum())
    money = o["credited_at"] - o["asked_at"]
    unrefunded = np.where(problem, o["price"] - o["refunded"], 0)
    sent = ~np.isnan(o["shipped_at"])  # a seller who never shipped loses nothing by refunding
    on_fine_goods = np.where(~problem & sent, o["refunded"] - o["repaid"], 0)
    window = result.window
    escalated_at = every["escalated_at"]
    in_window = (escalated_at >= window.first_day) & (escalated_at < window.end_day)
    waits = every["team_wait"][in_window]
    span = result.team_capacity * result.measured_days
    n = int(measured.sum())
    return {
        "orders": float(n),
        "refund_rate": float(refunded.mean()) if n else float("nan"),
        "dispute_rate": float(disputed.mean()) if n else float("nan"),
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
        "team_decision_days_median": _percentile(o["decided_at"] - o["escalated_at"], 50),
    }


# Figures that published sources let us check but that are not headline answers: they
# appear in a targets file (sim.experiments.targets) beside the headline ones.
DETAIL_FIGURES: tuple[Figure, ...] = (
    Figure("team_decision_days_mean", "escalation to the team's decision, mean", "days"),
    Figure("disputes_without_contact", "disputes opened without contacting the seller", "share"),
    Figure("team_seller_wins", "team decisions refunding nothing", "share"),
    Figure("false_claim_share", "disputes that are false claims", "share"),
)
ALL_FIGURES = {figure.key: figure for figure in (*FIGURES, *DETAIL_FIGURES)}


def details(result: RunResult) -> dict[str, float]:
    """Every figure of DETAIL_FIGURES for one run, over the measured orders."""
    from machine.table import TRIGGERS

    every = result.orders
    measured = every["measured"].astype(bool)
    o = {name: column[measured] for name, column in every.columns.items()}
    disputed = o["disputed"].astype(bool)
    decided = ~np.isnan(o["decided_at"])
    events = result.events
    contacted = np.unique(events["order_id"][events["trigger"] == TRIGGERS.index("contact_seller")])
    no_contact = ~np.isin(o["order_id"], contacted)
    decision_days = o["decided_at"] - o["escalated_at"]
    return {
        "team_decision_days_mean": float(decision_days[decided].mean())
        if decided.any()
        else float("nan"),
        "disputes_without_contact": _share(no_contact, disputed),
        "team_seller_wins": _share(o["decision"] == 0, decided),
        "false_claim_share": _share(o["false_claim"].astype(bool), disputed),
    }
