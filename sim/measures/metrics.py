"""Every figure of a run, each defined once: the headline answers and the details here,
the segments (disputes alone, escalated cases, each dispute reason) in
`sim.measures.segments`, the money view in `sim.measures.money`.

Order figures count the orders paid in the measured window, each followed to its end;
the team's figures cover the window's days. Units are explained in `sim.measures.figure`.
"""

from __future__ import annotations

import numpy as np

from sim.measures import adaptation, money, segments, standards
from sim.measures.figure import Figure, measured_orders, percentile, share
from sim.world.records.results import RunResult
from sim.world.records.truth import Truth

FIGURES: tuple[Figure, ...] = (
    Figure("refund_rate", "orders refunded (any amount)", "share",
           "Orders refunded any amount, of all orders paid in the window."),
    Figure("dispute_rate", "orders disputed", "share",
           "Orders on which the buyer opened a dispute, of all orders paid in the window."),
    Figure("real_problems_refunded", "real problems refunded", "share",
           "Of the orders where something really went wrong (never shipped, fake tracking, "
           "lost, damaged, not as described), the share refunded at all."),
    Figure("false_claims_paid", "false claims paid", "share",
           "Of the disputes a buyer opened on goods that arrived fine, the share refunded."),
    Figure("escalation_rate", "disputes escalated to the case team", "share",
           "Disputed orders whose case went to the Case Management Team, of disputed orders."),
    Figure("days_to_money_median", "days to money, median", "days",
           "Days from the buyer's request (cancellation, dispute, or the moment an unshipped "
           "order became refundable) to the bank's credit, over refunded orders: median."),
    Figure("days_to_money_p90", "days to money, 90th percentile", "days",
           "The same, 90th percentile."),
    Figure("buyer_loss", "buyer loss (unrefunded problems and costs)", "share of GMV",
           "Unrefunded value of real problems plus the buyers' own costs (return postage, "
           "bank fees), of the value of all orders."),
    Figure("seller_loss", "seller loss (refunds on fine goods sent)", "share of GMV",
           "Refunds paid on fine goods that were sent, less what buyers paid back, of the "
           "value of all orders."),
    Figure("team_utilisation", "case-team utilisation", "share",
           "The share of the team's places (staff x caseload cases in review at once) in "
           "use over the window's days."),
    Figure("team_mean_wait", "case-team mean wait", "days",
           "Days a case escalated in the window queued for a place, on average."),
    Figure("team_decision_days_median", "escalation to the team's decision, median", "days",
           "Days from escalation to the team's first decision, over escalated orders: median."),
)  # fmt: skip
FIGURE_BY_KEY = {figure.key: figure for figure in FIGURES}


def headline(result: RunResult) -> dict[str, float]:
    """Every figure of FIGURES for one run (NaN where it has no orders to count).

    Order figures count the orders paid in the measured window, each followed to its
    end; the team's figures cover the window's days: utilisation is the busy share of the
    staff's time in the window, the mean wait that of the cases escalated in it.
    """
    every = result.orders
    o = measured_orders(every.columns)
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
    n = len(o["order_id"])
    return {
        "orders": float(n),
        "refund_rate": float(refunded.mean()) if n else float("nan"),
        "dispute_rate": float(disputed.mean()) if n else float("nan"),
        "real_problems_refunded": share(refunded, problem),
        "false_claims_paid": share(refunded, o["false_claim"].astype(bool)),
        "escalation_rate": share(o["escalated"].astype(bool), disputed),
        "days_to_money_median": percentile(money, 50),
        "days_to_money_p90": percentile(money, 90),
        "buyer_loss": float((unrefunded.sum() + o["buyer_costs"].sum()) / gmv)
        if gmv
        else float("nan"),
        "seller_loss": float(on_fine_goods.sum() / gmv) if gmv else float("nan"),
        "team_utilisation": result.team_busy_days / span if span else float("nan"),
        "team_mean_wait": float(waits.mean()) if len(waits) else float("nan"),
        "team_decision_days_median": percentile(o["decided_at"] - o["escalated_at"], 50),
    }


# Figures that published sources let us check but that are not headline answers: they
# appear in a targets file (sim.experiments.targets) beside the headline ones.
DETAIL_FIGURES: tuple[Figure, ...] = (
    Figure("team_decision_days_mean", "escalation to the team's decision, mean", "days",
           "Days from escalation to the team's first decision, over decided orders: mean."),
    Figure("disputes_without_contact", "disputes opened without contacting the seller",
           "share", "Disputed orders whose buyer never wrote to the seller, of disputed orders."),
    Figure("team_seller_wins", "team decisions refunding nothing", "share",
           "Orders the team decided with no refund, of orders it decided."),
    Figure("false_claim_share", "disputes that are false claims", "share",
           "Disputes opened on goods that arrived fine, of disputed orders."),
)  # fmt: skip


def details(result: RunResult) -> dict[str, float]:
    """Every figure of DETAIL_FIGURES for one run, over the measured orders."""

    o = measured_orders(result.orders.columns)
    disputed = o["disputed"].astype(bool)
    decided = ~np.isnan(o["decided_at"])
    contacted = result.orders_with("contact_seller")
    no_contact = ~np.isin(o["order_id"], contacted)
    decision_days = o["decided_at"] - o["escalated_at"]
    return {
        "team_decision_days_mean": float(decision_days[decided].mean())
        if decided.any()
        else float("nan"),
        "disputes_without_contact": share(no_contact, disputed),
        "team_seller_wins": share(o["decision"] == 0, decided),
        "false_claim_share": share(o["false_claim"].astype(bool), disputed),
    }


ALL_FIGURES: dict[str, Figure] = {
    figure.key: figure
    for figure in (
        *FIGURES,
        *DETAIL_FIGURES,
        *segments.FIGURES,
        *money.FIGURES,
        *standards.FIGURES,
        *adaptation.FIGURES,
    )
}
GROUPS: dict[str, tuple[Figure, ...]] = {
    "headline": FIGURES,
    "detail": DETAIL_FIGURES,
    "segments": segments.FIGURES,
    "money": money.FIGURES,
    "standards": standards.FIGURES,
    "adaptation": adaptation.FIGURES,
}


def every_figure(result: RunResult) -> dict[str, float]:
    """Every figure of ALL_FIGURES for one run, and the count of measured orders."""
    o = measured_orders(result.orders.columns)
    return {
        **headline(result),
        **details(result),
        **segments.figures(o),
        **money.figures(o),
        **standards.figures(result),
        **adaptation.figures(result, standards.fraud_by_id(result)),
    }
