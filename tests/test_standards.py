"""Seller standards as the machine defines them: metrics, tiers, presets, abuse review."""

from __future__ import annotations

import numpy as np
import pytest

from machine import Policy
from machine.context import Context
from machine.policy import PolicyError
from machine.presets import PRESETS, STANDARD_PRESETS
from machine.standards import COUNT, COUNTS, METRICS, Standing, enforced, rate, standing
from machine.timers import timers

rules = pytest.mark.rules


def counts(**sums: list[int]) -> np.ndarray:
    """Window sums for a few sellers: `counts(disputes=[3, 0], ...)`."""
    sellers = len(next(iter(sums.values())))
    table = np.zeros((len(COUNTS), sellers), dtype=np.int64)
    for name, values in sums.items():
        table[COUNT[name]] = values
    return table


@rules("S1")
def test_the_aliexpress_dispute_rate_takes_off_cancelled_disputes_and_counts_disputed_orders():
    window = counts(
        disputes=[5, 1, 0, 1], buyer_cancelled=[1, 3, 0, 0], confirmed=[90, 9, 0, 0],
        disputed=[4, 1, 0, 0],
    )  # fmt: skip
    value, events = rate(METRICS["aliexpress_dispute_rate"], window, window)
    assert value[0] == pytest.approx(4 / 94)  # (5 - 1) / (90 + 4)
    assert value[1] == 0.0  # more cancellations than openings in the window: not below 0
    assert np.isnan(value[2]) and np.isnan(value[3])  # nothing to rate
    assert events.tolist() == [5, 1, 0, 1]


@rules("S1")
def test_mastercard_divides_this_window_s_chargebacks_by_the_window_before():
    now = counts(claims=[3, 3], orders=[100, 100])
    before = counts(claims=[0, 0], orders=[200, 0])
    value, _ = rate(METRICS["mastercard_ecp"], now, before)
    assert value[0] == pytest.approx(3 / 200) and np.isnan(value[1])
    same, _ = rate(METRICS["visa_vamp"], now, before)  # not lagged: this window's sales
    assert same[0] == pytest.approx(3 / 100)


@rules("S2", "S3")
def test_a_seller_gets_the_worst_tier_it_is_above_with_enough_orders_and_events():
    metric = enforced(
        Policy(standard="visa_vamp", warn_above=0.01, restrict_above=0.02, suspend_above=0.05,
               standard_min_events=2)
    )  # fmt: skip
    assert metric is not None
    value = np.array([0.005, 0.015, 0.03, 0.2, 0.2, np.nan])
    events = np.array([9, 9, 9, 9, 1, 9])
    rated = np.array([True, True, True, True, True, True])
    tier = standing(metric, value, events, rated).tolist()
    assert tier == [Standing.GOOD, Standing.WARNED, Standing.RESTRICTED, Standing.SUSPENDED,
                    Standing.GOOD, Standing.GOOD]  # fmt: skip
    unrated = standing(metric, value, events, np.zeros(6, dtype=bool))
    assert not unrated.any()


@rules("S2")
def test_a_threshold_of_one_never_acts_and_tiers_need_not_be_ordered():
    only_suspension = enforced(Policy(standard="amazon_odr", suspend_above=0.01))
    assert only_suspension is not None
    tier = standing(only_suspension, np.array([0.5, 0.005]), np.array([9, 9]), np.ones(2, bool))
    assert tier.tolist() == [Standing.SUSPENDED, Standing.GOOD]  # no warning on the way


@rules("S1")
def test_the_enforced_metric_is_the_published_formula_with_the_policy_s_levers():
    policy = Policy(standard="ebay_defect_rate", standard_window_days=60.0, standard_min_orders=5)
    metric = enforced(policy)
    assert metric is not None
    assert metric.top == METRICS["ebay_defect_rate"].top and metric.window_days == 60.0
    assert metric.min_orders == 5 and enforced(Policy()) is None


@rules("S1")
def test_a_fallback_window_shorter_than_the_window_is_refused_in_one_line():
    with pytest.raises(PolicyError, match=r"standard_fallback_days .* standard_window_days"):
        Policy.create(standard_window_days=90.0, standard_fallback_days=30.0)
    with pytest.raises(PolicyError, match="'standard'"):
        Policy.create(standard="ebay")


@rules("S1", "S2", "S4")
def test_every_standards_preset_is_a_valid_policy_on_every_process_preset():
    for standards in STANDARD_PRESETS.values():
        for process in (PRESETS["aliexpress-2024"], PRESETS["ebay-money-back"]):
            policy = Policy.create(**{**process.levers, **standards.levers})
            assert policy.standard == standards.levers.get("standard", "none")
    assert STANDARD_PRESETS["ebay-seller-standards"].policy().restrict_above == 0.02
    # AliExpress publishes no thresholds: its preset says each one is assumed
    assumed = STANDARD_PRESETS["aliexpress-dispute-rate"].assumed
    assert {"warn_above", "restrict_above", "suspend_above"} <= set(assumed)


@rules("S4")
def test_a_claim_of_a_buyer_under_review_goes_straight_to_the_team(drive):
    d = drive(under_review=True).ship(1.0).do("deliver", 10.0).open(12.0)
    due = [t for t in timers(d.order, Context(d.policy)) if t.trigger == "refer_to_team"]
    assert [t.moment for t in due] == [12.0]  # at the very instant the dispute opens
    d.do("refer_to_team", 12.0)
    assert d.state == "escalated" and d.order.escalated_at == 12.0


@rules("S4")
def test_a_buyer_not_under_review_negotiates_first(drive):
    d = drive().ship(1.0).do("deliver", 10.0).open(12.0)
    assert not [t for t in timers(d.order, Context(d.policy)) if t.trigger == "refer_to_team"]
    d.refused("refer_to_team", 12.0)
