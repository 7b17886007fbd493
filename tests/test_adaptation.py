"""Behaviour that answers back: buyers who learn, sellers who adapt, enter and leave;
static when the rates are zero, exact in both engines, refused in one line when a rate
cannot hold."""

from __future__ import annotations

import math
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.experiments.folder import ResultsFolder
from sim.experiments.scenario import load_arms, scenario_from_dict
from sim.measures import adaptation
from sim.world.runner import run
from sim.world.scenario import Scenario
from tests.helpers import hand_made_orders

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("orders", "events", "queue", "sellers")
STILL = {  # every rate at zero: behaviour is fixed, as without adaptation
    "buyers": {"success": 0.0, "failure": 0.0, "word_of_mouth": 0.0, "churn_after_loss": 0.0},
    "sellers": {"answer_learning": 0.0, "entry_rate": 0.0, "exit_below": -1.0},
}


def world(days: int = 60, adapt: dict[str, Any] | None = None, **sections: Any) -> Scenario:
    """A small marketplace of individuals from an empty start, with `adapt` as its
    `[population.adaptation]` (None: no adaptation) and other sections as given."""
    population: dict[str, Any] = {"sellers": 200, "buyers": 4_000}
    if adapt is not None:
        population["adaptation"] = {"enabled": True, **adapt}
    data: dict[str, Any] = {
        "scenario": {"name": "adaptive"},
        "policy": {"preset": "aliexpress-2024"},
        "market": {"orders_per_day": 1_000},
        "population": population,
        "run": {"start": "2026-03-01", "days": days, "warmup_days": 0, "seed": 3},
        **sections,
    }
    return scenario_from_dict(data)


def same_tables(a, b) -> list[str]:
    """The (table, column) pairs that differ between two runs."""
    differ = []
    for table in TABLES:
        left, right = getattr(a, table).columns, getattr(b, table).columns
        differ += [f"{table}.{c}" for c in left if not np.array_equal(left[c], right[c],
                                                                     equal_nan=True)]  # fmt: skip
    return differ


def test_adaptation_with_every_rate_at_zero_is_the_static_world():
    static, still = run(world(), 5), run(world(adapt=STILL), 5)
    assert len(static.orders) > 50_000
    assert same_tables(static, still) == []
    assert len(static.path) == 0 and len(still.path) > 0  # adaptation ran, and moved nothing
    assert np.allclose(still.path["demand"], 1.0) and (still.path["left"] == 0).all()


def test_adaptation_moves_behaviour_once_its_rates_are_not_zero():
    static, learning = run(world(), 5), run(world(adapt={}), 5)
    assert same_tables(static, learning) != []
    chance = learning.path["false_claim_chance"]
    assert chance[-1] != chance[0]


PAY_EVERY_CLAIM = {  # every seller agrees to every dispute at once
    "sellers": {name: {"agrees": 1.0, "rejects": 0.0, "counter_offers": 0.0,
                       "contests_fine_goods": 0.0}
                for name in ("reliable", "slow", "negotiating", "fraudulent")},
}  # fmt: skip
REFUSE_EVERY_FALSE_CLAIM = {  # sellers reject claims on fine goods; the team sides with them
    "sellers": {name: {"agrees": 0.0, "rejects": 1.0, "counter_offers": 0.0,
                       "contests_fine_goods": 1.0}
                for name in ("reliable", "slow", "negotiating", "fraudulent")},
    "team": {"false_claim_evidence_factor": 0.0, "full_threshold": 5.0,
             "partial_threshold": 5.0},
}  # fmt: skip
FAST_LEARNERS = {"buyers": {"success": 3.0, "failure": 3.0, "word_of_mouth": 4_000.0,
                            "heard_weight": 1.0, "ceiling": 0.1}}  # fmt: skip


@cache
def extremes() -> tuple[Any, Any]:
    paying = run(world(120, FAST_LEARNERS, **PAY_EVERY_CLAIM), 7)
    refusing = run(world(120, FAST_LEARNERS, **REFUSE_EVERY_FALSE_CLAIM), 7)
    return paying, refusing


def test_a_policy_paying_every_claim_drives_false_claims_up_to_the_ceiling():
    paying, _ = extremes()
    chance = paying.path["false_claim_chance"]
    assert chance[0] < 0.01
    assert chance[-1] > 0.9 * 0.1  # at the ceiling, give or take the buyers who never heard
    o = paying.orders
    late = o["created_at"] > 90
    assert o["false_claim"][late].mean() > 20 * o["false_claim"][o["created_at"] < 7].mean()


def test_a_policy_refusing_every_false_claim_drives_them_down():
    _, refusing = extremes()
    o = refusing.orders
    false = o["false_claim"].astype(bool)
    assert false.sum() > 20 and (o["refunded"][false] > 0).mean() < 0.05  # nearly all refused
    chance = refusing.path["false_claim_chance"]
    assert chance[-1] < 0.5 * chance[0]
    assert np.all(np.diff(chance) <= 1e-12)  # only down


def test_buyers_refused_on_a_real_problem_buy_less():
    refusing = run(world(90, {"buyers": {"churn_after_loss": 0.5}}, **REFUSE_EVERY_FALSE_CLAIM), 7)
    demand = refusing.path["demand"]
    assert demand[0] == 1.0 and demand[-1] < 1.0
    assert np.all(np.diff(demand) <= 0)
    churn = adaptation.figures(refusing, None)["honest_buyer_churn"]
    assert 0 < churn < 1 and math.isclose(churn, 1 - demand[-1], rel_tol=0.05)
    static = run(world(90, STILL, **REFUSE_EVERY_FALSE_CLAIM), 7)
    late = 60
    assert (refusing.orders["created_at"] > late).sum() < (static.orders["created_at"] > late).sum()


def test_sellers_ruled_against_agree_more_and_sellers_who_lose_money_leave():
    ruled = {"sellers": {"answer_learning": 0.5, "exit_below": 0.25, "exit_min_orders": 5,
                         "entry_rate": 0.0}}  # fmt: skip
    team_sides_with_buyers = {"team": {"full_threshold": -10.0, "partial_threshold": -10.0}}
    result = run(world(120, ruled, **team_sides_with_buyers), 9)
    agrees = result.path["agrees"]
    assert agrees[-1] > agrees[0] + 0.01
    assert result.path["left"][-1] > 0
    rows = result.sellers
    last = rows["day"] == rows["day"].max()
    gone = rows["seller_id"][last][~rows["active"][last].astype(bool)]
    assert len(gone) == result.path["left"][-1]  # the sellers table says who can sell
    left_at = rows["left_at"][last]
    assert np.array_equal(np.sort(rows["seller_id"][last][~np.isnan(left_at)]), np.sort(gone))
    o = result.orders
    for seller in gone[:20]:  # no order is placed with a seller once it has gone
        mine = rows["seller_id"] == seller
        gone_by = rows["day"][mine & ~rows["active"].astype(bool)].min()
        assert o["created_at"][o["seller_id"] == seller].max() < gone_by
        left_at = rows["left_at"][mine][rows["day"][mine] >= gone_by]  # the day it left
        assert len(set(left_at)) == 1 and left_at[0] <= gone_by
        assert o["created_at"][o["seller_id"] == seller].max() < left_at[0]


def test_profitable_profiles_draw_new_sellers_from_the_reserve():
    entering = {"sellers": {"entry_rate": 20.0, "entry_hurdle": 0.0, "exit_below": -1.0}}
    result = run(world(90, entering), 9)
    entered = result.path["entered"]
    assert entered[0] == 0 and entered[-1] > 5
    present = result.path["honest_sellers"] + result.path["dishonest_sellers"]
    assert present[-1] == present[0] + entered[-1]
    assert result.orders["seller_id"].max() >= 200  # a reserve seller sold


def test_a_reserve_used_up_stops_entries_and_says_so_once(tmp_path):
    """Profiles that draw new sellers faster than their reserve holds: entries stop where
    it runs out, the path and a figure count those kept out, and `run` says so in one
    line however many replications; a reserve large enough says nothing."""
    small = {"sellers": {"entry_rate": 20.0, "entry_hurdle": 0.0, "exit_below": -1.0,
                         "reserve": 0.02}}  # fmt: skip
    result = run(world(90, small), 9)
    path = result.path
    assert path["short_of_reserve"][-1] > 0
    rows = result.sellers
    first = rows["day"] == rows["day"].min()
    at_start = np.bincount(rows["profile"][first & (rows["seller_id"] < 200)])
    assert path["entered"][-1] == np.ceil(at_start * 0.02).sum()  # every reserve seller came
    assert adaptation.figures(result, None)["sellers_short_of_reserve"] > 0
    for reserve, notes in ((0.02, 1), (2.0, 0)):
        scenario = tmp_path / f"reserve-{reserve}.toml"
        scenario.write_text(
            '[scenario]\nname = "entering"\n[market]\norders_per_day = 1000\n'
            "[population]\nsellers = 200\nbuyers = 4000\n[population.adaptation]\n"
            "enabled = true\n[population.adaptation.sellers]\nentry_rate = 20.0\n"
            f"entry_hurdle = 0.0\nexit_below = -1.0\nreserve = {reserve}\n"
            "[run]\nstart = 2026-03-01\ndays = 90\nwarmup_days = 0\nseed = 9\n",
            encoding="utf-8",
        )
        found = cli("run", str(scenario), "--replications", "2", "--quiet")
        assert found.returncode == 0, found.stderr
        said = [line for line in found.stdout.splitlines() if "reserve" in line]
        assert len(said) == notes, said
        if notes:
            assert said[0].startswith("note:") and "2 of 2 runs" in said[0]
            assert "population.adaptation.sellers.reserve" in said[0]


LONG_RUN = ROOT / "scenarios" / "study-lenient-vs-strict-long-run.toml"


@pytest.mark.parametrize("arm", load_arms(LONG_RUN), ids=lambda a: a.name)
def test_both_engines_agree_when_behaviour_adapts(arm):
    scenario = arm.with_run(days=24, warmup_days=5)
    fast, reference = run(scenario, 2), run(scenario, 2, engine="reference")
    assert same_tables(fast, reference) == []
    assert np.array_equal(fast.path.columns["false_claim_chance"],
                          reference.path.columns["false_claim_chance"])  # fmt: skip
    assert len(fast.path) > 4


def test_repeat_false_claims_count_the_next_one_within_90_days_of_a_paid_one():
    nan = math.nan
    orders = hand_made_orders(
        buyer_id=[1, 1, 2, 2, 3],
        false_claim=[1, 1, 1, 1, 1],
        refunded=[500, 0, 500, 0, 0],
        created_at=[5.0, 60.0, 5.0, 150.0, 5.0],
        closed_at=[20.0, 70.0, 20.0, 160.0, 30.0],
        disputed=[1, 1, 1, 1, 1],
        shipped_at=[1.0, nan, 1.0, nan, 1.0],
    )
    # buyer 1's paid claim is followed 40 days later, buyer 2's 130 days later; buyer 3's
    # claim was not paid
    assert adaptation._repeats(orders, 0.0, 365.0) == 0.5


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], capture_output=True, text=True,
                          cwd=ROOT)  # fmt: skip


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[population.adaptation]\nenabled = true\n[population.adaptation.buyers]\n"
         "ceiling = 0.001\n", "population.adaptation.buyers.ceiling"),
        ("[population.adaptation.buyers]\nsuccess = -1\n", "success"),
        ("[population.adaptation.buyers]\nheard_weight = 1.5\n", "heard_weight"),
        ("[population.adaptation.sellers]\nevery_days = 0\n", "every_days"),
        ("[population]\nsellers = 0\n[population.adaptation]\nenabled = true\n",
         "adaptation.enabled"),
    ],
)  # fmt: skip
def test_a_rate_that_cannot_hold_is_refused_in_one_line_naming_its_key(tmp_path, toml, key):
    path = tmp_path / "bad.toml"
    path.write_text(f'[scenario]\nname = "bad"\n{toml}', encoding="utf-8")
    found = cli("validate", str(path))
    assert found.returncode == 2
    assert found.stderr.count("\n") == 1 and key in found.stderr and "Traceback" not in found.stderr


def test_compare_prints_the_short_run_beside_the_long_run(tmp_path):
    path = tmp_path / "arms.toml"
    path.write_text(
        '[scenario]\nname = "lvs"\nfigures = ["false_claim_rate_short", '
        '"false_claim_rate_long"]\n[market]\norders_per_day = 300\n'
        "[population]\nsellers = 100\nbuyers = 2000\n[population.adaptation]\nenabled = true\n"
        '[[arms]]\nname = "lenient"\n[[arms]]\nname = "strict"\n[arms.policy]\n'
        'seller_silence = "escalate"\n'
        "[run]\nstart = 2026-03-01\ndays = 200\nwarmup_days = 0\nseed = 4\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    found = cli("compare", str(path), "--replications", "2", "--quiet", "--out", str(out))
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("short run (first 91")))
    assert "differences against lvs-lenient" in lines[start]
    assert lines[start + 1].strip() == "false claims per order"
    assert lines[start + 2].split()[0] == "lvs-strict"
    assert "short " in lines[start + 2] and "long " in lines[start + 2]
    from sim.views.plots import behaviour

    drawn = behaviour.draw(ResultsFolder.open(out), tmp_path / "figures")
    assert [p.name for p in drawn] == ["behaviour_path.png", "behaviour_path.svg"]
    assert drawn[0].stat().st_size > 20_000
