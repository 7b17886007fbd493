"""The world: every order ends legally, tables are consistent, randomness is controlled."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from machine.invariants import LEGAL
from machine.table import END_STATES, STATE_NAMES, TRIGGERS
from sim.world.records.truth import Truth
from sim.world.runner import run
from tests.world_runs import baseline, baseline_run

rules = pytest.mark.rules


@rules("L1", "L9", "L11", "D7", "D9", "E3", "P1")
def test_100k_baseline_orders_all_pass_the_invariants():
    result = run(baseline(), 11, orders=100_000, check_invariants=True)  # raises on a violation
    assert len(result.orders) == 100_000
    assert np.array_equal(result.orders["order_id"], np.arange(100_000))
    finals = {STATE_NAMES[code] for code in np.unique(result.orders["final_state"])}
    assert finals <= END_STATES and {"refunded", "finished"} <= finals


def test_the_event_log_is_legal_and_ordered_per_order():
    result = baseline_run()
    ev = result.events
    triples = set(zip(ev.labels("source"), ev.labels("trigger"), ev.labels("dest"), strict=True))
    assert triples <= LEGAL
    order = np.lexsort((np.arange(len(ev)), ev["order_id"]))
    ids, times = ev["order_id"][order], ev["time"][order]
    same = ids[1:] == ids[:-1]
    assert (times[1:][same] >= times[:-1][same]).all(), "an order's events go back in time"
    last = np.r_[~same, True]
    final = result.orders["final_state"][ids[last]]
    assert np.array_equal(ev["dest"][order][last], final)


def test_same_seed_same_tables_and_another_seed_differs():
    first = run(baseline(), 3, orders=3_000)
    second = run(baseline(), 3, orders=3_000)
    other = run(baseline(), 4, orders=3_000)
    for table in ("orders", "events", "queue"):
        a, b = getattr(first, table).columns, getattr(second, table).columns
        for name in a:
            assert np.array_equal(a[name], b[name], equal_nan=True), (table, name)
    assert not np.array_equal(first.orders["price"], other.orders["price"])


@rules("D7", "D10", "E4")
def test_a_dispute_lever_leaves_undisputed_orders_untouched():
    """Common random numbers: the same orders, sellers and parcels under both policies."""
    scenario = baseline()
    changed = scenario.model_copy(
        update={"policy": scenario.policy.evolve(seller_response_days=2, appeals=True)}
    )
    a, b = run(scenario, 5, orders=8_000), run(changed, 5, orders=8_000)
    for name in ("price", "seller", "buyer", "carrier", "truth", "created_at"):
        assert np.array_equal(a.orders[name], b.orders[name]), name
    quiet = (a.orders["disputed"] == 0) & (b.orders["disputed"] == 0)
    for result in (a, b):  # a seller extending protection answers to the lever's deadline
        extended = result.events["trigger"] == TRIGGERS.index("extend_protection")
        quiet[np.unique(result.events["order_id"][extended])] = False
    assert quiet.sum() > 7_000
    for result in (a, b):
        keep = np.isin(result.events["order_id"], np.flatnonzero(quiet))
        # `seq` counts every event of the run, so it shifts with the disputed orders' events
        result.quiet = {k: v[keep] for k, v in result.events.columns.items() if k != "seq"}
    for name in a.quiet:
        assert np.array_equal(a.quiet[name], b.quiet[name]), name
    assert not np.array_equal(a.events["time"], b.events["time"]) or len(a.events) != len(b.events)


def test_tables_convert_to_pandas_and_arrow_with_categories():
    result = baseline_run()
    frame = result.orders.to_pandas()
    assert len(frame) == len(result.orders)
    assert str(frame["final_state"].dtype) == "category"
    assert set(frame["final_state"].dropna().unique()) <= set(END_STATES)
    assert frame["reason"].isna().sum() == (result.orders["reason"] < 0).sum()
    events = result.events.to_arrow()
    assert events.num_rows == len(result.events)
    assert set(events.column("trigger").chunk(0).dictionary.to_pylist()) == set(TRIGGERS)


@rules("L6")
def test_tracking_appears_after_the_carriers_lag():
    result = baseline_run()
    ev, orders = result.events, result.orders
    update = ev["trigger"] == TRIGGERS.index("tracking_update")
    ids = ev["order_id"][update]
    lag = ev["time"][update] - orders["shipped_at"][ids]
    post = orders["carrier"][ids] == 0  # standard post: 3 to 7 days
    assert lag[post].min() >= 3.0 - 1e-9 and lag[post].max() <= 7.0 + 1e-9
    assert lag[~post].max() <= 1.0 + 1e-9


@rules("P1")
def test_bank_credits_within_the_policy_s_business_days():
    from machine.calendar import add_business_days

    result = baseline_run()
    o = result.orders
    credited = ~np.isnan(o["credited_at"])
    policy, weekday = baseline().policy, baseline().run.start.weekday()
    for refund_at, credit in zip(o["refund_at"][credited], o["credited_at"][credited], strict=True):
        assert add_business_days(refund_at, policy.bank_days_min, weekday) <= credit + 1e-9
        assert credit <= add_business_days(refund_at, policy.bank_days_max, weekday) + 1e-9


def test_arrivals_peak_in_the_sales_season():
    scenario = baseline()
    slow = scenario.model_copy(
        update={"market": scenario.market.model_copy(update={"orders_per_day": 150.0})}
    ).with_run(start=dt.date(2026, 10, 1), days=70, warmup_days=0)  # October to December 9
    result = run(slow, 2)
    day = result.orders["created_at"]
    october = ((day >= 0) & (day < 31)).sum() / 31
    november = ((day >= 31) & (day < 61)).sum() / 30
    assert november / october == pytest.approx(scenario.market.peak_factor, rel=0.1)


def test_problem_shares_follow_the_peers_figures():
    """sources.md: about 1% of orders have a problem; Canada Post lost 0.42% of parcels."""
    o = baseline_run(60_000, 1).orders
    problem = (o["truth"] != Truth.OK).mean()
    assert 0.006 < problem < 0.02
    post = o["carrier"] == 0
    lost = (o["truth"][post] == Truth.LOST).mean()
    assert 0.002 < lost < 0.0075


@rules("E3")
def test_decisions_follow_truth_and_evidence():
    """With false claims common and contested, the team sees both kinds of case."""
    base = baseline()
    scenario = base.model_copy(
        update={
            "buyers": tuple(b.model_copy(update={"false_claim": 0.02}) for b in base.buyers),
            "sellers": tuple(
                s.model_copy(update={"agrees": 0.2, "contests_fine_goods": 1.0})
                for s in base.sellers
            ),
        }
    )
    o = run(scenario, 1, orders=40_000).orders
    escalated = o["escalated"] == 1
    real = escalated & (o["truth"] != Truth.OK)
    false = escalated & (o["false_claim"] == 1)
    assert real.sum() > 30 and false.sum() > 10
    assert (o["refunded"][real] > 0).mean() > (o["refunded"][false] > 0).mean() + 0.2


def test_arrivals_stop_with_the_window_and_only_its_orders_are_measured():
    from sim.experiments.warmup import without_season

    scenario = without_season(baseline()).with_run(days=2, warmup_days=1)
    result = run(scenario, 1)
    o = result.orders
    created, measured = o["created_at"], o["measured"].astype(bool)
    assert created.max() < 3.0 and (measured == (created >= 1.0)).all()
    rate = scenario.market.orders_per_day
    assert measured.sum() == pytest.approx(2 * rate, rel=0.1)
    # the warm-up's orders were placed (the window's numbers come after theirs) but the
    # tables keep only those the case team saw in the window, events and all
    assert o["order_id"][measured].min() == pytest.approx(rate, rel=0.15)
    assert (o["escalated_at"][~measured] >= 1.0).all()
    assert set(np.unique(result.events["order_id"])) == set(o["order_id"])
    assert result.horizon > 3.0 + 20, "the window's orders are followed to their end"
