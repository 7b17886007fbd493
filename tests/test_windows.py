"""Answers that depend on the policy, not on how long one ran: calendar windows after a
warm-up, a warm-up chosen by MSER-5, replications until a stated precision, intervals
that stay in their figure's range, and significance as printed."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest

from sim.experiments.experiment import Plan, Point, Precision, carry_out, estimates
from sim.experiments.experiment import replications_wanted as wanted
from sim.experiments.scenario import scenario_from_dict
from sim.experiments.stats import Estimate, estimate
from sim.experiments.warmup import without_season
from sim.measures import money, segments
from sim.measures.metrics import FIGURES
from sim.measures.mser import mser
from sim.views import formatting
from tests.helpers import disputesim as cli
from tests.world_runs import baseline

TEAM = ("team_mean_wait", "team_utilisation")
# Every figure a run answers with, beyond the headline: the money view per 1,000 orders
# and the disputes' own times to money must not grow with the window either.
LENGTH_FREE = [
    *FIGURES,
    *money.FIGURES,
    *(f for f in segments.DISPUTE_FIGURES if f.key.startswith(("dispute_", "cancel_"))),
]


def overlap(a: Estimate, b: Estimate) -> bool:
    return a.low <= b.high and b.low <= a.high


def measured(days: int, warmup_days: int, replications: int = 4) -> dict[str, Estimate]:
    """The stationary baseline (no sales season, a team of three loaded to about two thirds)
    over `days` after `warmup_days`; the orders in the window under the key `orders`."""
    stationary = without_season(baseline())
    loaded = stationary.model_copy(update={"team": stationary.team.model_copy(update={"staff": 3})})
    scenario = loaded.with_run(days=days, warmup_days=warmup_days)
    plan = Plan("run", (Point(scenario),), replications, seed=11)
    summaries = carry_out(plan, jobs=2, quiet=True)
    keys = [figure.key for figure in LENGTH_FREE]
    return {**estimates(summaries, 0, keys), "orders": estimate([s["orders"] for s in summaries])}


def test_a_stationary_window_twice_as_long_gives_the_same_answers():
    """The bar of issue 11: 60 and 120 days after the warm-up overlap on every figure,
    the money view and the disputes' own figures included."""
    warmup = baseline().run.warmup_days
    short, long = measured(60, warmup), measured(120, warmup)
    assert short["orders"].mean == pytest.approx(60 * baseline().market.orders_per_day, rel=0.02)
    for figure in LENGTH_FREE:
        a, b = short[figure.key], long[figure.key]
        assert not math.isnan(a.half_width), figure.key
        assert overlap(a, b), (figure.key, (a.low, a.high), (b.low, b.high))
    assert long["team_utilisation"].mean > 0.5, "the team must be loaded for this to mean much"


def test_the_cohort_effect_of_an_empty_start_is_gone():
    """Measured from an empty start, the team looks idle for weeks; after the warm-up a
    short window reads like a long one."""
    warmup = baseline().run.warmup_days
    cold, warm, long = measured(20, 0, 3), measured(20, warmup, 3), measured(80, warmup, 3)
    assert cold["team_utilisation"].high < 0.5 * long["team_utilisation"].low
    for key in TEAM:
        assert overlap(warm[key], long[key]), key


def test_the_tables_keep_the_window_s_orders_and_the_warm_up_s_the_team_saw_in_it():
    """The same world measured from its first day and after a warm-up: the warm-up's
    orders leave the tables unless the case team took them in the window (whose wait its
    figures count); every other row, event and figure is the same."""
    from sim.measures.metrics import headline
    from sim.world.runner import run

    base = baseline()
    # 600 orders a day: enough of the warm-up's orders reach the team in the window
    market = base.market.model_copy(update={"orders_per_day": 600.0})
    warm = base.model_copy(update={"market": market}).with_run(days=20, warmup_days=25)
    start = warm.window().start - dt.timedelta(days=25)
    whole = warm.with_run(start=start, days=45, warmup_days=0)
    a, b = run(warm, 3), run(whole, 3)
    ob, first = b.orders.columns, warm.window().first_day
    pairs = zip(ob["created_at"].tolist(), ob["escalated_at"].tolist(), strict=True)
    keeps = np.array([warm.window().keeps(p, None if math.isnan(e) else e) for p, e in pairs])
    from_warmup = keeps & (ob["created_at"] < first)
    assert from_warmup.sum() > 5, "warm-up orders the team took in the window"
    for name, column in a.orders.columns.items():
        expected = ob[name][keeps] if name != "measured" else ob["created_at"][keeps] >= first
        np.testing.assert_array_equal(column, expected.astype(column.dtype), err_msg=name)
    kept_events = np.isin(b.events["order_id"], ob["order_id"][keeps])
    for name, column in a.events.columns.items():
        if name != "seq":
            np.testing.assert_array_equal(column, b.events[name][kept_events], err_msg=name)
    seen = (ob["escalated_at"] >= first) & (ob["escalated_at"] < warm.window().end_day)
    assert headline(a)["team_mean_wait"] == pytest.approx(ob["team_wait"][seen].mean())


def test_mser_finds_the_end_of_a_transient():
    rng = np.random.default_rng(3)
    series = np.concatenate((np.linspace(0.0, 10.0, 40), 10.0 + rng.normal(0, 1, 260)))
    assert 30 <= mser(series) <= 60
    assert mser(10.0 + rng.normal(0, 1, 300)) <= 25  # no transient: little or nothing cut


def test_the_warmup_command_recommends_and_draws(tmp_path):
    result = cli(
        "warmup", "scenarios/baseline.toml", "--days", "70", "--replications", "2", "--json",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data["truncation_days"]) == {"queue", "busy", "wait"} == set(data["settled"])
    assert all(0 <= cut <= 35 for cut in data["truncation_days"].values())
    assert data["recommended_warmup_days"] % 7 == 0
    assert data["recommended_warmup_days"] >= max(data["truncation_days"].values())
    assert (tmp_path / "warmup.png").stat().st_size > 10_000


def test_an_overloaded_team_is_reported_as_never_settling():
    from sim.experiments.warmup import WarmupAnalysis

    drifting = WarmupAnalysis(100, 2, {}, {"queue": 50, "busy": 10, "wait": 45})
    assert drifting.settled == {"queue": False, "busy": True, "wait": True}


def test_a_named_period_is_the_sales_season():
    scenario = scenario_from_dict(
        {"scenario": {"name": "p"}, "run": {"period": "peak", "warmup_days": 30}}
    )
    window = scenario.window()
    assert (window.start, window.end, window.days) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 31),
        61,
    )
    assert window.epoch == dt.date(2026, 10, 2)


def test_replications_are_added_until_the_precision_is_reached():
    scenario = baseline().with_run(days=2, warmup_days=0)
    precision = Precision(0.25, 30)
    plan = Plan("run", (Point(scenario),), 2, seed=5, precision=precision)
    summaries = carry_out(plan, quiet=True)
    figures = estimates(summaries)
    assert len(summaries) > 2, "two replications cannot reach it"
    for figure in FIGURES:
        est = figures[figure.key]
        if not math.isnan(est.mean):
            assert est.within(0.25, figure.floor) or len(summaries) == 30, figure.key
    assert wanted(summaries, 1, precision) <= len(summaries)


def test_the_precision_is_reported_reached_or_not():
    args = ("run", "scenarios/baseline.toml", "--days", "1", "--warmup-days", "0", "--json")
    loose = json.loads(cli(*args, "--precision", "0.5", "--max-replications", "20").stdout)
    assert loose["precision"]["reached"] is True and loose["replications"] >= 3
    tight = cli(*args[:-1], "--precision", "0.001", "--max-replications", "4")
    assert tight.returncode == 0 and "NOT reached after 4 replications" in tight.stdout


def test_a_share_s_interval_stays_within_0_and_1():
    est = estimate([0.0, 0.001, 0.0], bounds=(0.0, 1.0))
    assert est.low == 0.0 and est.mean - est.half_width < 0  # the t interval was cut
    high = estimate([1.0, 0.98], bounds=(0.0, 1.0))
    assert high.high == 1.0 and high.low >= 0.0


def test_few_replications_or_a_wide_interval_are_flagged():
    assert "2 replications" in formatting.warning(estimate([0.1, 0.2]))
    assert "more than 25%" in formatting.warning(estimate([0.1, 0.5, 0.9]))
    assert formatting.warning(estimate([0.50, 0.51, 0.49, 0.50])) == ""


def test_a_tiny_difference_is_printed_with_the_digits_it_needs():
    tiny = Estimate(-0.00004, 0.00003, 5, (-1.0, 1.0))  # -0.004% ± 0.003%
    shown = formatting.difference("refund_rate", tiny)
    assert shown.startswith("-0.004") and "[-0.007" in shown and "-0.001" in shown
    assert formatting.significant("refund_rate", tiny)
    zero = Estimate(0.0, 0.0, 5, (-1.0, 1.0))
    assert not formatting.significant("refund_rate", zero)
    crossing = Estimate(0.00001, 0.00002, 5, (-1.0, 1.0))
    assert not formatting.significant("refund_rate", crossing)
