"""Choosing a warm-up by a method: MSER-5 on the case team's daily series.

A run starts from an empty marketplace: no parcels on their way, no disputes, nobody in
the case team's queue. The first weeks are not like the rest. `analyse` runs a scenario
with no warm-up, takes the team's daily queue, busy staff and the mean wait of the cases
escalated each day, averages each over the replications, and finds where the initial
transient ends with MSER-5 (White 1997; Hoad, Robinson and Davies 2010): batch the series
in fives, and truncate where the marginal standard error of the remaining mean is least.
The recommended warm-up is the longest truncation of the three series.

The transient is measured on the scenario without its sales season (`without_season`):
the season is a real effect the window should measure, not an artefact of the start,
and a seasonal series would confound the method.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.measures.mser import BATCH, mser
from sim.world.records.results import RunResult

if TYPE_CHECKING:
    from sim.world.runner import Engine
    from sim.world.scenario import Scenario

SERIES = ("queue", "busy", "wait")
LABELS = {
    "queue": "cases waiting",
    "busy": "case officers busy",
    "wait": "mean wait (days)",
}
DESCRIPTIONS = {
    "queue": "cases waiting for a case officer",
    "busy": "case officers busy",
    "wait": "mean wait of the cases escalated that day",
}


def daily_series(result: RunResult, days: int) -> dict[str, np.ndarray]:
    """The team's daily queue, busy staff and mean wait by escalation day, for `days`."""
    queue = result.queue
    day = np.floor(queue["time"]).astype(np.int64)
    keep = day < days
    counts = np.bincount(day[keep], minlength=days).astype(float)
    counts[counts == 0] = np.nan
    series = {
        name: np.bincount(day[keep], weights=queue[name][keep], minlength=days) / counts
        for name in ("queue", "busy")
    }
    o = result.orders
    escalated = ~np.isnan(o["escalated_at"])
    when = np.floor(o["escalated_at"][escalated]).astype(np.int64)
    inside = when < days
    cases = np.bincount(when[inside], minlength=days).astype(float)
    total = np.bincount(when[inside], weights=o["team_wait"][escalated][inside], minlength=days)
    with np.errstate(invalid="ignore", divide="ignore"):
        series["wait"] = np.where(cases > 0, total / cases, np.nan)
    return series


@dataclass(frozen=True)
class WarmupAnalysis:
    """The series averaged over replications, each one's truncation, the recommendation."""

    days: int
    replications: int
    series: dict[str, np.ndarray]
    truncation: dict[str, int]

    @property
    def settled(self) -> dict[str, bool]:
        """Whether each series settled: a truncation at the end of the half searched means
        the series was still drifting (e.g. a case team too small for its load)."""
        limit = (self.days // BATCH) // 2 * BATCH
        return {name: cut < limit for name, cut in self.truncation.items()}

    @property
    def recommended(self) -> int:
        """Days of warm-up: the longest truncation, rounded up to a whole week."""
        longest = max(self.truncation.values(), default=0)
        return int(math.ceil(longest / 7) * 7)


def without_season(scenario: Scenario) -> Scenario:
    """The scenario with the same behaviour all year: no peak in arrivals, losses or reviews."""
    market = scenario.market.model_copy(update={"peak_factor": 1.0, "peak_loss_factor": 1.0})
    team = scenario.team.model_copy(update={"peak_review_factor": 1.0})
    return scenario.model_copy(update={"market": market, "team": team})


def replication_series(
    scenario: Scenario, root_seed: int, replication: int, days: int, engine: Engine = "fast"
) -> dict[str, np.ndarray]:
    """One replication of `scenario` from an empty start over `days`: its daily series."""
    from sim.world.runner import run
    from sim.world.seeds import replication_seed

    empty_start = scenario.with_run(warmup_days=0, days=days)
    result = run(
        empty_start,
        replication_seed(root_seed, replication),
        engine=engine,
        check_memory=False,  # the caller checks, knowing how many run at once
    )
    return daily_series(result, days)


def analyse(per_run: list[dict[str, np.ndarray]], days: int) -> WarmupAnalysis:
    """MSER-5 on each of the team's series, averaged over the replications."""
    with warnings.catch_warnings():  # a day no replication has a value for stays NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        series = {
            name: np.nanmean(np.vstack([run[name] for run in per_run]), axis=0) for name in SERIES
        }
    return WarmupAnalysis(
        days, len(per_run), series, {name: mser(values) for name, values in series.items()}
    )


def study_warmup(
    scenario: Scenario,
    days: int,
    replications: int,
    *,
    keep_season: bool = False,
    jobs: int = 1,
    engine: Engine = "fast",
) -> tuple[Scenario, WarmupAnalysis]:
    """Run `replications` of the scenario (without its season unless `keep_season`) from
    an empty start over `days`, on `jobs` processes, and analyse them: the scenario as
    run, and its analysis."""
    from functools import partial

    from sim.experiments.executors import process_pool
    from sim.world.records.footprint import require_room

    studied = scenario if keep_season else without_season(scenario)
    require_room([studied.with_run(warmup_days=0, days=days)], min(jobs, replications))
    one = partial(replication_series, studied, studied.run.seed, days=days, engine=engine)
    if jobs > 1:
        with process_pool(jobs) as pool:
            per_run = list(pool.map(one, range(replications)))
    else:
        per_run = [one(r) for r in range(replications)]
    return studied, analyse(per_run, days)
