"""Headline figures: definitions checked on a hand-made result, and the team's statistics."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from machine.table import TRIGGERS
from sim.measures.metrics import FIGURES, details, headline
from sim.world.records.results import RunResult, Table
from sim.world.records.truth import Truth
from sim.world.runner import run
from sim.world.window import Window
from tests.helpers import hand_made_orders
from tests.world_runs import baseline

NAN = math.nan
CONTACT = TRIGGERS.index("contact_seller")


def result_of(**columns) -> RunResult:
    base = hand_made_orders(**columns)
    empty = Table({})
    return RunResult(
        "t",
        0,
        Table(base),
        empty,
        empty,
        empty,
        empty,
        team_capacity=2,
        team_busy_days=5.0,
        team_reviews=3,
        horizon=10.0,
        window=Window(dt.date(2026, 1, 1), None, 0),
    )


def test_every_figure_is_computed_and_empty_counts_are_nan():
    figures = headline(result_of(price=[1000, 2000]))  # two orders, nothing went wrong
    assert set(figures) == {f.key for f in FIGURES} | {"orders"}
    assert figures["orders"] == 2 and figures["refund_rate"] == 0.0
    assert figures["dispute_rate"] == 0.0 and figures["buyer_loss"] == 0.0
    assert figures["team_utilisation"] == 0.25  # 5 case-days of 2 places over 10 days
    for empty in (
        "real_problems_refunded",
        "false_claims_paid",
        "escalation_rate",
        "days_to_money_median",
        "team_mean_wait",
        "team_decision_days_median",
    ):
        assert math.isnan(figures[empty]), empty  # fmt: skip


def test_definitions_on_a_known_result():
    result = result_of(
        price=[1000, 1000, 1000, 1000],
        truth=[Truth.LOST, Truth.OK, Truth.OK, Truth.DAMAGED],
        refunded=[1000, 400, 0, 0],
        disputed=[1, 1, 0, 1],
        false_claim=[0, 1, 0, 0],
        escalated=[1, 0, 0, 0],
        buyer_costs=[0, 0, 0, 100],
        asked_at=[10.0, 20.0, NAN, NAN],
        credited_at=[20.0, 40.0, NAN, NAN],
        team_wait=[3.0, NAN, NAN, NAN],
        escalated_at=[5.0, NAN, NAN, NAN],
        decided_at=[17.5, NAN, NAN, NAN],
        decision=[1000, -1, -1, -1],
    )
    f = headline(result)
    assert f["team_decision_days_median"] == 12.5
    assert f["refund_rate"] == 0.5
    assert f["real_problems_refunded"] == 0.5  # the lost parcel, not the damaged one
    assert f["false_claims_paid"] == 1.0
    assert f["escalation_rate"] == pytest.approx(1 / 3)
    assert f["days_to_money_median"] == 15.0
    assert f["buyer_loss"] == pytest.approx((1000 + 100) / 4000)  # damaged unrefunded + costs
    assert f["seller_loss"] == pytest.approx(400 / 4000)
    assert f["team_utilisation"] == 0.25 and f["team_mean_wait"] == 3.0


def test_orders_of_the_warm_up_are_not_counted():
    f = headline(result_of(refunded=[1000, 0, 0], measured=[0, 1, 1]))
    assert f["refund_rate"] == 0.0 and f["orders"] == 2


def test_a_never_shipped_refund_is_no_seller_loss():
    f = headline(result_of(refunded=[1000], shipped_at=[NAN]))
    assert f["seller_loss"] == 0.0


def test_detail_figures_on_a_known_result():
    result = result_of(
        disputed=[1, 1, 1, 0],
        false_claim=[0, 1, 0, 0],
        escalated_at=[5.0, 2.0, NAN, NAN],
        decided_at=[15.0, 22.0, NAN, NAN],
        decision=[0, 500, -1, -1],
    )
    result.events = Table({"order_id": np.array([1]), "trigger": np.array([CONTACT])})
    f = details(result)
    assert f["team_decision_days_mean"] == 15.0
    assert f["team_seller_wins"] == 0.5
    assert f["disputes_without_contact"] == pytest.approx(2 / 3)
    assert f["false_claim_share"] == pytest.approx(1 / 3)


def test_empty_denominators_give_nan_not_errors():
    f = headline(result_of(price=[1000]))
    assert math.isnan(f["false_claims_paid"]) and math.isnan(f["team_mean_wait"])


@pytest.mark.rules("E1")
def test_each_place_taken_from_the_team_makes_cases_wait_longer():
    """Capacity 3, 6 and 12 places on the same orders: waits and busy shares fall in turn."""
    scenario = baseline()
    figures = []
    for capacity in (3, 6, 12):
        team = scenario.team.model_copy(update={"staff": capacity, "caseload": 1})
        figures.append(headline(run(scenario.model_copy(update={"team": team}), 9, orders=40_000)))
    waits = [f["team_mean_wait"] for f in figures]
    busy = [f["team_utilisation"] for f in figures]
    assert waits[0] > waits[1] > waits[2] >= 0, waits
    assert 1 >= busy[0] >= busy[1] > busy[2] > 0, busy


def test_queue_samples_are_consistent():
    result = run(baseline(), 9, orders=5_000)
    q = result.queue
    assert (np.diff(q["time"]) > 0).all()
    assert (q["queue"] >= 0).all() and (q["busy"] <= baseline().team.capacity).all()
