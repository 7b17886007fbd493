"""A scenario may give delays as fitted distributions, the team's decisions as shares and
arrivals a weekly pattern (what `disputesim fit` writes): the world draws them exactly, both
engines alike, from the same random numbers a profile would have used."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.experiments.scenario import scenario_from_dict
from sim.world.behaviour.distributions import from_normal, log_density, log_survival, median
from sim.world.behaviour.fitted import DELAYS, FAMILIES, KNOT_LEVELS, Delay
from sim.world.runner import run
from sim.world.scenario import Scenario

SCIPY = {  # the same families in scipy's terms, to hold ours to
    "exponential": lambda shape, scale: stats.expon(scale=scale),
    "weibull": lambda shape, scale: stats.weibull_min(shape, scale=scale),
    "lognormal": lambda shape, scale: stats.lognorm(shape, scale=scale),
    "gamma": lambda shape, scale: stats.gamma(shape, scale=scale),
    "loglogistic": lambda shape, scale: stats.fisk(shape, scale=scale),
}


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_is_scipy_s_quantile_density_and_survival(family):
    delay = Delay(family=family, shape=1.7, scale=3.0)
    reference = SCIPY[family](1.7, 3.0)
    z = np.linspace(-6, 6, 41)  # each tail from its own side, where scipy is exact
    expected = np.where(z < 0, reference.ppf(stats.norm.cdf(z)), reference.isf(stats.norm.sf(z)))
    assert np.allclose(from_normal(delay, z), expected, rtol=1e-8)
    t = np.linspace(0.05, 40, 50)
    assert np.allclose(log_density(family, 1.7, 3.0, t), reference.logpdf(t), rtol=1e-8)
    assert np.allclose(log_survival(family, 1.7, 3.0, t), reference.logsf(t), rtol=1e-7)
    assert median(family, 1.7, 3.0) == pytest.approx(reference.median())


def test_a_delay_with_knots_follows_them_and_the_family_s_tail_beyond():
    """Between its knots a delay is the log's curve; past the last, the family's tail given
    that the actor had not acted by then; below the first, the family scaled to meet it."""
    knots = (0.5, 0.8, 1.0, 1.3, 2.0, 3.5)  # 5% to 30% of the actors, a shape of its own
    delay = Delay(family="weibull", shape=1.5, scale=4.0, knots=knots)
    z = stats.norm.ppf(KNOT_LEVELS[: len(knots)])
    assert np.allclose(from_normal(delay, z), knots)  # at each level, its knot
    between = from_normal(delay, np.array([(z[1] + z[2]) / 2]))[0]
    assert 0.8 < between < 1.0
    family = SCIPY["weibull"](1.5, 4.0)
    left = family.sf(3.5)
    for share in (0.5, 0.9, 0.999):  # past the last knot: the family's conditional tail
        tail = from_normal(delay, np.array([stats.norm.ppf(share)]))[0]
        assert family.sf(tail) / left == pytest.approx((1 - share) / (1 - 0.30), rel=1e-6)
    low = from_normal(delay, np.array([stats.norm.ppf(0.01)]))[0]
    assert low == pytest.approx(family.ppf(0.01) * 0.5 / family.ppf(0.05), rel=1e-6)
    at_deadline = Delay(family="weibull", shape=1.5, scale=4.0, knots=(*knots, 7.0),
                        levels=(*KNOT_LEVELS[: len(knots)], 0.977))  # fmt: skip
    assert from_normal(at_deadline, stats.norm.ppf([0.977]))[0] == pytest.approx(7.0)
    drawn = from_normal(at_deadline, np.random.default_rng(1).standard_normal(200_000))
    assert (drawn <= 7.0).mean() == pytest.approx(0.977, abs=0.002)  # the deadline's share
    with pytest.raises(ValueError, match="never decrease"):
        Delay(family="weibull", knots=(1.0, 0.5))
    with pytest.raises(ValueError, match="levels must rise"):
        Delay(family="weibull", knots=(1.0, 2.0), levels=(0.5, 0.4))


def fitted(delays: dict, **sections) -> Scenario:
    return scenario_from_dict({"scenario": {"name": "fitted"}, "fitted": delays, **sections})


def test_a_fitted_handling_time_is_drawn_from_its_family_and_a_lognormal_one_as_before():
    weibull = fitted({"delays": {"handling": {"family": "weibull", "shape": 2.0, "scale": 3.0}}})
    drawn = run(weibull, 1, orders=20_000).orders
    shipped = drawn["shipped_at"] - drawn["created_at"]
    shipped = shipped[~np.isnan(shipped)]
    assert stats.kstest(shipped, stats.weibull_min(2.0, scale=3.0).cdf).pvalue > 0.001
    as_profile = fitted({"delays": {"handling": {"family": "lognormal", "shape": 0.5,
                                                  "scale": 2.0}}},
                        sellers=[{"name": "one", "share": 1.0, "handling_median_days": 2.0,
                                  "delay_spread": 0.5}])  # fmt: skip
    profile = scenario_from_dict(
        {
            "scenario": {"name": "profile"},
            "sellers": [
                {"name": "one", "share": 1.0, "handling_median_days": 2.0, "delay_spread": 0.5}
            ],
        }
    )
    a, b = run(as_profile, 2, orders=5_000).orders, run(profile, 2, orders=5_000).orders
    assert np.array_equal(a["shipped_at"], b["shipped_at"], equal_nan=True)


def test_every_fitted_delay_shares_and_a_weekly_pattern_run_alike_in_both_engines():
    families = list(FAMILIES)
    delays = {name: {"family": families[i % 5], "shape": 1.3, "scale": 2.0 + i % 3}
              for i, name in enumerate(DELAYS)}  # fmt: skip
    delays["answer"].update(lever="seller_response_days", lever_days=5.0)
    scenario = fitted({"timing": "scaling", "delays": delays},
                      team={"decision_shares": [0.5, 0.2, 0.3]},
                      market={"weekday_factors": [1.2, 1.1, 1.0, 1.0, 0.9, 0.8, 1.0]})  # fmt: skip
    fast, reference = run(scenario, 3, orders=8_000), run(scenario, 3, orders=8_000,
                                                          engine="reference")  # fmt: skip
    for name in ("orders", "events", "queue"):
        a, b = getattr(fast, name).columns, getattr(reference, name).columns
        for column in a:
            assert np.array_equal(a[column], b[column], equal_nan=True), (name, column)


def test_a_team_deciding_by_shares_gives_each_decision_its_share():
    contested = scenario_from_dict({
        "scenario": {"name": "contested"},
        "sellers": [{"name": "rejecting", "share": 1.0, "agrees": 0.0, "rejects": 1.0,
                     "counter_offers": 0.0, "not_as_described": 0.05}],
        "buyers": [{"name": "escalating", "share": 1.0, "escalates": 1.0, "appeals": 0.0,
                    "asks_partial": 0.0,
                    "modifies_request": 0.0}],
        "team": {"decision_shares": [0.5, 0.2, 0.3], "staff": 50},
    })  # fmt: skip
    o = run(contested, 6, orders=20_000).orders
    escalated = o["escalated"] == 1
    decision, asked = o["decision"][escalated], o["price"][escalated]
    assert escalated.sum() > 500
    full, none = (decision >= asked).mean(), (decision == 0).mean()
    assert full == pytest.approx(0.5, abs=0.06) and none == pytest.approx(0.3, abs=0.06)


def answers(timing: str, deadline: float) -> np.ndarray:
    """Days from a dispute to the seller's answer, under a fitted answer time that raced a
    5-day deadline in the log, with this policy's deadline."""
    scenario = fitted(
        {"timing": timing, "delays": {"answer": {"family": "lognormal", "shape": 0.4,
         "scale": 2.0, "lever": "seller_response_days", "lever_days": 5.0}}},
        policy={"seller_response_days": deadline},
    )  # fmt: skip
    result = run(scenario, 4, orders=30_000)
    events, orders = result.events, result.orders
    from machine.table import TRIGGERS

    answered = np.isin(events["trigger"], [TRIGGERS.index("seller_agrees"),
                                           TRIGGERS.index("seller_rejects")])  # fmt: skip
    first = np.unique(events["order_id"][answered], return_index=True)[1]
    ids = events["order_id"][answered][first]
    opened = orders["opened_at"][np.searchsorted(orders["order_id"], ids)]
    return events["time"][answered][first] - opened


def test_fixed_timing_keeps_the_fitted_days_and_scaling_stretches_them_with_the_deadline():
    fixed, stretched = answers("fixed", 10.0), answers("scaling", 10.0)
    assert np.median(fixed) == pytest.approx(2.0, rel=0.15)
    assert np.median(stretched) == pytest.approx(4.0, rel=0.15)  # twice the log's deadline


def test_decision_shares_and_a_fitted_delay_are_refused_in_one_line_when_they_cannot_hold():
    from sim.world.scenario import ScenarioError

    with pytest.raises(ScenarioError, match="decision_shares"):
        fitted({}, team={"decision_shares": [0.5, 0.6, 0.1]})
    with pytest.raises(ScenarioError, match="unknown delay 'answr'"):
        fitted({"delays": {"answr": {"family": "weibull", "shape": 1.0, "scale": 1.0}}})
    with pytest.raises(ScenarioError, match="lever"):
        fitted({"delays": {"answer": {"family": "weibull", "lever": "seller_response_days"}}})
