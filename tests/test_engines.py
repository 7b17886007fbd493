"""The default engine equals the reference engine: same orders, events and queue tables.

The default engine keeps orders off SimPy's heap, resolves plain-path orders a block at a
time (sim.world.engines.plain) and walks the disputes sellers settle many at once
(sim.world.engines.settled); the reference engine is all-SimPy. Their tables must be
identical to the bit, on every shipped scenario and several seeds.
"""

from __future__ import annotations

import numpy as np
import pytest

from machine.table import TRIGGERS
from machine.timers import TIMED_ROWS
from sim.experiments.scenario import load_arms, load_scenario
from sim.world.engines.settled import states, walk
from sim.world.runner import run
from tests.helpers import ROOT

SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
SEEDS = (1, 2, 3)
ORDERS = 3_000


def assert_identical(a, b) -> None:
    for table in ("orders", "events", "queue", "sellers", "path"):
        left, right = getattr(a, table).columns, getattr(b, table).columns
        assert list(left) == list(right), table
        for name in left:
            assert left[name].dtype == right[name].dtype, (table, name)
            assert np.array_equal(left[name], right[name], equal_nan=True), (table, name)
    assert (a.team_busy_days, a.team_reviews, a.horizon) == (
        b.team_busy_days,
        b.team_reviews,
        b.horizon,
    )


@pytest.fixture(scope="module")
def fast_runs():
    """The default engine's runs of every shipped scenario and seed, once for the module,
    with the ids of the orders the walk settled in each (noted as it writes them)."""
    found = {}
    walked: list[np.ndarray] = []
    write = walk.Walk.write

    def noting(walk, out, done):
        walked.append(walk.ids[done])
        write(walk, out, done)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(walk.Walk, "write", noting)
        for path in SCENARIOS:
            scenario = load_scenario(path)
            for seed in SEEDS:
                walked.clear()
                result = run(scenario, seed, orders=ORDERS, engine="fast")
                found[path, seed] = (result, np.concatenate([np.empty(0, np.int64), *walked]))
    return found


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_both_engines_give_identical_tables(path, fast_runs):
    scenario = load_scenario(path)
    for seed in SEEDS:
        fast = fast_runs[path, seed][0]
        reference = run(scenario, seed, orders=ORDERS, engine="reference")
        assert_identical(fast, reference)


ARMS = [
    (path, arm)
    for path in SCENARIOS
    for arm in load_arms(path)
    if "[[arms]]" in path.read_text(encoding="utf-8")
]


@pytest.mark.parametrize(("path", "arm"), ARMS, ids=lambda x: getattr(x, "name", ""))
def test_both_engines_agree_on_every_arm_once_standards_act(path, arm):
    """Over two months, so that a monthly standard evaluates and acts: at a sixth of the
    rate, with a twentieth of the sellers and half the buyers (so that each seller still
    has the counts to be rated, and each buyer the orders of the two months at 900 a day)."""
    market = arm.market.model_copy(update={"orders_per_day": 450.0})
    population = arm.population.model_copy(
        update={"sellers": arm.population.sellers // 20, "buyers": arm.population.buyers // 2}
    )
    scenario = arm.model_copy(update={"market": market, "population": population})
    scenario = scenario.with_run(days=31, warmup_days=30)
    fast = run(scenario, 5)
    assert_identical(fast, run(scenario, 5, engine="reference"))
    assert len(fast.sellers) > 0
    if arm.policy.standard != "none" and not arm.policy.standard_min_events:
        # a standard without a floor on counted events acts within two months (VAMP's
        # floor of claims is reached only later, as claims build up from an empty start)
        assert (fast.sellers["standing"] > 0).any(), "the standard never acted"


def test_the_comparison_sees_disputes_escalations_and_plain_orders():
    """The equality above means something only if the runs exercise every part."""
    result = run(load_scenario(ROOT / "scenarios" / "baseline.toml"), 1, orders=ORDERS)
    o = result.orders
    assert o["disputed"].sum() > 20 and o["escalated"].sum() > 0
    assert result.team_reviews > 0 and result.queue["busy"].max() > 0


def test_checking_invariants_runs_every_order_one_by_one_with_the_same_tables():
    scenario = load_scenario(ROOT / "scenarios" / "baseline.toml")
    checked = run(scenario, 4, orders=2_000, check_invariants=True)
    assert_identical(checked, run(scenario, 4, orders=2_000))


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine must be one of fast, reference"):
        run(load_scenario(ROOT / "scenarios" / "baseline.toml"), 1, orders=10, engine="warp")


YEAR_SCENARIOS = [("baseline.toml", 0), ("study-seller-standards.toml", 1)]


@pytest.mark.parametrize(("name", "arm"), YEAR_SCENARIOS, ids=lambda x: str(x))
def test_both_engines_agree_over_a_year_window_with_its_warm_up(name, arm):
    """The scenario's own calendar, a year after its warm-up (the season, the business days
    of a year, warm-up orders the team takes in the window, standards acting on it), at a
    seventieth of the rate: its sellers, buyers and case officers scaled with it."""
    scenario = load_arms(ROOT / "scenarios" / name)[arm]
    assert scenario.run.days == 365 and scenario.run.warmup_days > 0
    market = scenario.market.model_copy(update={"orders_per_day": 40.0})
    population = scenario.population.model_copy(
        update={"sellers": 40, "buyers": scenario.population.buyers // 70}
    )
    team = scenario.team.model_copy(update={"staff": 1})
    scenario = scenario.model_copy(
        update={"market": market, "population": population, "team": team}
    )
    fast = run(scenario, 11)
    assert_identical(fast, run(scenario, 11, engine="reference"))
    o = fast.orders
    assert o["escalated"].sum() > 5, "the case team took part"
    warm_up = scenario.run.warmup_days * 40
    assert o["order_id"][o["measured"] == 1].min() > warm_up / 2, "the warm-up's orders came first"
    assert fast.horizon > fast.window.end_day, "the window's orders followed to their end"


def test_the_comparison_sees_every_move_the_walk_follows(fast_runs):
    """The walk (sim.world.engines.settled) restates the actors' choices for the disputes sellers
    settle: the equality above proves it only for the moves its runs make. Every move the
    walk follows is made, by an order it settles, in those very runs."""
    seen: set[str] = set()
    for result, ids in fast_runs.values():
        events = result.events
        mine = np.isin(events["order_id"], ids)
        seen |= {TRIGGERS[code] for code in np.unique(events["trigger"][mine])}
    assert set(states.FOLLOWED) <= seen, sorted(set(states.FOLLOWED) - seen)
    assert seen <= set(states.FOLLOWED), sorted(seen - set(states.FOLLOWED))


def test_the_walk_reads_the_timers_the_table_has():
    """A timer the walk does not know of would let it fire past a deadline."""
    for state, triggers in states.WALKED_TIMERS.items():
        assert tuple(dict.fromkeys(r.trigger for r in TIMED_ROWS[state])) == triggers, state
