"""Recovery: logs the project simulates from a world whose numbers are known, fitted back.

The world (tests/data/fitting/truth.toml) has a handling time outside the fit's families (an
even mix of two log-normals), an answer race cut by its deadline in about half the cases,
and logs cut at a window's end with most orders still open. The fit's 95% intervals must
cover the truth in most of twelve small logs; leaving the censored answers out must be
seen to bias the answer time short; and a deadline doubled in the true world must move a
figure as the fitted world predicts under the same timing assumption.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from scipy import optimize, stats

from sim.api import compare_runs
from sim.api.fitting import fit
from sim.experiments.scenario import load_scenario
from sim.fitting.families import RIGHT
from sim.fitting.fit import LogFit, fit_log
from sim.fitting.mapping import OWN
from sim.fitting.reading import read_log
from sim.fitting.replay import OPEN, replay
from sim.world.behaviour.distributions import median
from sim.world.scenario import Scenario
from tests.logs import TRUTH, simulated_log

LOGS = range(1000, 1012)  # twelve logs, one seed each
CUT_DAY = 30.0  # the log is extracted at the end of the month of payments
BOOTSTRAP = 30


def truth() -> Scenario:
    return load_scenario(TRUTH)


def true_values(world: Scenario) -> dict[str, float]:
    """What the fit should find, from the profiles: the answer race's (log-normal, the same
    for both kinds of seller) and the handling time's (the mix of the two kinds)."""
    seller = world.sellers[0]
    deadline = world.policy.seller_response_days
    answers = seller.agrees + seller.rejects + seller.counter_offers
    answer_median = seller.answer_deadline_share * deadline
    in_time = stats.norm.cdf(math.log(deadline / answer_median) / seller.delay_spread)

    def shipped_by(t: float) -> float:
        return sum(
            p.share * stats.norm.cdf(math.log(t / p.handling_median_days) / p.delay_spread)
            for p in world.sellers
        )

    return {
        "answers": answers,
        "answer_median": answer_median,
        "answer_by_deadline": answers * in_time,
        "agree_share": seller.agrees / answers,
        "handling_median": optimize.brentq(lambda t: shipped_by(t) - 0.5, 0.01, 100.0),
        "handling_by_deadline": seller.ships * shipped_by(world.policy.handling_days),
    }


def derived(values: dict[str, float]) -> dict[str, float]:
    """The same quantities from one parameter set of a fit (its point or a replicate)."""
    answers = sum(values[f"sellers.*.{name}"] for name in ("agrees", "rejects", "counter_offers"))
    return {
        "answers": answers,
        "answer_median": values["fitted.delays.answer.median"],
        "answer_by_deadline": values["fitted.delays.answer.by_deadline"],
        "agree_share": values["sellers.*.agrees"] / answers,
        "handling_median": values["fitted.delays.handling.median"],
        "handling_by_deadline": values["fitted.delays.handling.by_deadline"],
    }


@cache
def recovered(root: Path) -> list[dict[str, object]]:
    """Each log's estimates with their 95% intervals, and what the log was like."""
    world = truth()
    found = []
    for seed in LOGS:
        log = simulated_log(world, seed, root / str(seed), CUT_DAY)
        replayed = replay(read_log(log), OWN, world.policy)
        fitted: LogFit = fit_log(replayed, world, bootstrap=BOOTSTRAP, seed=seed)
        point = derived(fitted.point)
        replicates = [derived(r) for r in fitted.replicates]
        intervals = {
            key: tuple(np.percentile([r[key] for r in replicates], [2.5, 97.5])) for key in point
        }
        answer = fitted.races["answer"]
        naive = answer.naive
        found.append(
            {
                "point": point,
                "intervals": intervals,
                "answer_censored": float((answer.sample.kind == RIGHT).mean()),
                "handling_family": fitted.races["handling"].best.family,
                "open_at_the_end": int((replayed.status == OPEN).sum()),
                "naive_answer_median": median(naive.family, naive.shape, naive.scale),
            }
        )
    return found


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    return recovered(tmp_path_factory.mktemp("recovery"))


@pytest.mark.rules("D7", "L4")
def test_the_intervals_cover_the_truth_in_most_of_twelve_small_logs(logs):
    true = true_values(truth())
    assert all(log["answer_censored"] >= 0.3 for log in logs)  # the deadline cuts the race
    assert all(log["open_at_the_end"] > 1_000 for log in logs)  # the window censors cases
    covered = {
        key: [log["intervals"][key][0] <= value <= log["intervals"][key][1] for log in logs]
        for key, value in true.items()
    }
    each = {key: float(np.mean(hits)) for key, hits in covered.items()}
    pooled = float(np.mean([hit for hits in covered.values() for hit in hits]))
    assert pooled >= 0.85, each
    assert min(each.values()) >= 0.75, each  # no one quantity systematically missed


@pytest.mark.rules("D7")
def test_leaving_the_censored_answers_out_biases_the_answer_time_short(logs):
    true = true_values(truth())["answer_median"]
    naive = float(np.mean([log["naive_answer_median"] for log in logs]))
    censored = float(np.mean([log["point"]["answer_median"] for log in logs]))
    assert naive < 0.9 * true  # the slow answers the deadline cut are missing
    assert abs(censored - true) < 0.05 * true


@pytest.mark.rules("D7")
def test_doubling_the_answer_deadline_moves_a_figure_as_the_fitted_world_predicts(tmp_path):
    """Sellers in the true world answer in a share of their deadline (scaling); fitted
    under that same assumption, the fitted world's predicted effect of doubling the
    deadline, with the fit's uncertainty, holds the true world's effect, and the other
    assumption (answers fixed in days), which the comparison answers under too, does not."""
    world = truth()
    log = simulated_log(world, 7, tmp_path, CUT_DAY)
    fitted_at = tmp_path / "fit"
    found = fit(log, fitted_at, scenario=TRUTH, bootstrap=10, timing="scaling")
    fitted = load_scenario(found.scenario)

    def doubled(scenario: Scenario) -> Scenario:
        deadline = 2 * scenario.policy.seller_response_days
        policy = scenario.policy.evolve(seller_response_days=deadline)
        return scenario.model_copy(update={"policy": policy, "name": f"{scenario.name}-x2"})

    figure = ["dispute_days_to_money_median"]
    true = compare_runs([world, doubled(world)], 6, seed=11, figures=figure)
    predicted = compare_runs(
        [fitted, doubled(fitted)], 6, seed=12, figures=figure, fit_uncertainty=fitted_at
    )
    effect = true.comparisons[0].differences[0]
    foreseen = predicted.comparisons[0].differences[0]
    assert effect.low > 0  # the doubled deadline really moves money later
    assert foreseen.low <= effect.mean <= foreseen.high, (effect, foreseen)
    assert predicted.moved_levers == ("seller_response_days",)
    assert predicted.other_timing is not None and predicted.other_timing.timing == "fixed"
    fixed = predicted.other_timing.comparisons[0].differences[0]
    assert not fixed.low <= effect.mean <= fixed.high, (effect, fixed)
