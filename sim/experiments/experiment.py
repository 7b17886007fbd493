"""Experiments: scenario points x replications, run by any executor, summarised with
95% confidence intervals; comparisons use common random numbers and paired differences.

With a precision, replications are added until every headline figure of every point has
a 95% half-width within that share of its mean (or the figure's absolute floor), up to a
maximum: the sequential procedure of the simulation literature (Law, ch. 9).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sim.experiments.executors import execute
from sim.experiments.folder import TABLES, ResultsFolder, summary_column
from sim.experiments.stats import Estimate, estimate, paired_difference
from sim.experiments.study import Value
from sim.experiments.tasks import Task
from sim.measures.metrics import ALL_FIGURES, FIGURE_BY_KEY, FIGURES
from sim.world.runner import Engine
from sim.world.scenario import Scenario

FIGURE_KEYS = [figure.key for figure in FIGURES]


@dataclass(frozen=True)
class Point:
    """One scenario to run, with the swept parameter values that made it (if any)."""

    scenario: Scenario
    parameters: dict[str, Value] = field(default_factory=dict)
    replicates: tuple[Scenario, ...] = ()  # replication r runs replicates[r] (a fit's sets)

    def scenario_at(self, replication: int) -> Scenario:
        """The scenario replication `replication` runs: the point's own, or, where the
        point carries a fit's uncertainty, that replication's parameter set."""
        return self.replicates[replication] if self.replicates else self.scenario

    @property
    def columns(self) -> dict[str, Value]:
        """The parameters as table columns (`folder.summary_column`)."""
        return {summary_column(key): value for key, value in self.parameters.items()}


@dataclass(frozen=True)
class Precision:
    """Replicate until every headline half-width is within `relative` of its mean."""

    relative: float
    max_replications: int

    def identity(self) -> dict[str, Any]:
        return {"relative": self.relative, "max_replications": self.max_replications}


@dataclass(frozen=True)
class Plan:
    """What to run: points, replications of each (at first, with a precision), the seed."""

    kind: str
    points: tuple[Point, ...]
    replications: int
    seed: int
    study: dict[str, Any] | None = None
    engine: Engine = "fast"  # not part of the identity: both engines give the same tables
    precision: Precision | None = None
    tables: bool = True  # each run's tables stored beside its figures (a sweep may not)

    def tasks(self, out: Path | None = None, replications: range | None = None) -> list[Task]:
        return [
            Task(
                point.scenario_at(replication),
                index,
                replication,
                self.seed,
                point.columns,
                str(out) if out else None,
                self.engine,
                self.tables,
            )
            for index, point in enumerate(self.points)
            for replication in replications or range(self.replications)
        ]

    @property
    def stored_tables(self) -> tuple[str, ...]:
        """The tables each task stores beside its summary."""
        return TABLES if self.tables else ()

    def identity(self) -> dict[str, Any]:
        """What defines the results: kept in the manifest, checked on resume."""
        return {
            "kind": self.kind,
            "points": [_point_identity(p) for p in self.points],
            "replications": self.replications,
            "precision": self.precision.identity() if self.precision else None,
            "seeds": {"root": self.seed, "replication": "SeedSequence(root, spawn_key=(r,))"},
            "study": self.study,
        }


def _point_identity(point: Point) -> dict[str, Any]:
    """A point's scenario and parameters, and (only where it has them) a digest of the
    parameter sets its replications run."""
    found = {"scenario": point.scenario.model_dump(mode="json"), "parameters": point.parameters}
    if point.replicates:
        dumped = json.dumps([s.model_dump(mode="json") for s in point.replicates], sort_keys=True)
        found["replicates"] = {
            "sets": len(point.replicates),
            "sha256": hashlib.sha256(dumped.encode()).hexdigest(),
        }
    return found


def carry_out(
    plan: Plan,
    *,
    out: Path | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    quiet: bool = False,
) -> list[dict[str, Any]]:
    """Run the plan (resuming in `out` if it was interrupted); every task's summary.

    With a precision, replications are added in rounds until it is reached (or the
    maximum): each round asks for as many as the widest interval suggests.
    """
    if out is None:
        return _replicate(plan, None, jobs, scheduler, quiet)
    finished = _already_finished(plan, out)
    if finished is not None:
        return finished  # nothing to write, so no lock: a read-only folder reads
    folder = ResultsFolder(out)
    with folder.writing():
        folder.start(plan.identity())
        for line in folder.repair(plan.stored_tables):
            print(f"disputesim: {out}: {line}", file=sys.stderr)
        summaries = _replicate(plan, out, jobs, scheduler, quiet)
        folder.write_results(summaries, list(ALL_FIGURES))
    return summaries


class _NotFinishedError(Exception):
    """A task of the plan is not in the folder yet."""


def _already_finished(plan: Plan, out: Path) -> list[dict[str, Any]] | None:
    """Every summary of the plan, when `out` holds all of it intact with its results
    table (the precision's rounds included); else None."""
    folder = ResultsFolder(out)
    if (
        not folder.finished
        or not folder.holds(plan.identity())
        or folder.damaged(plan.stored_tables)
    ):
        return None  # the writing path says what is wrong with the folder
    try:
        return _replicate(plan, out, 1, None, True, finished_only=True)
    except _NotFinishedError:
        return None


def _replicate(
    plan: Plan,
    out: Path | None,
    jobs: int,
    scheduler: str | None,
    quiet: bool,
    finished_only: bool = False,
) -> list[dict[str, Any]]:
    """The plan's replications, in rounds while a precision asks for more; with
    `finished_only`, from the folder alone (`_NotFinishedError` where a task is missing)."""
    run = partial(_run, finished_only=finished_only)
    summaries = run(plan, range(plan.replications), out, jobs, scheduler, quiet, [])
    done = plan.replications
    while plan.precision is not None and done < plan.precision.max_replications:
        wanted = replications_wanted(summaries, len(plan.points), plan.precision)
        if wanted <= done:
            break
        more = range(done, min(wanted, plan.precision.max_replications))
        summaries = run(plan, more, out, jobs, scheduler, quiet, summaries)
        done = more.stop
    return summaries


def _run(
    plan: Plan,
    replications: range,
    out: Path | None,
    jobs: int,
    scheduler: str | None,
    quiet: bool,
    earlier: list[dict[str, Any]],
    finished_only: bool = False,
) -> list[dict[str, Any]]:
    tasks = plan.tasks(out, replications)
    if out is None:
        return earlier + execute(tasks, jobs=jobs, scheduler=scheduler, quiet=quiet)
    folder = ResultsFolder(out)
    finished = folder.done()
    missing = [t for t in tasks if t.key not in finished]
    if missing and finished_only:
        raise _NotFinishedError
    execute(missing, jobs=jobs, scheduler=scheduler, quiet=quiet)
    return folder.summaries()


def replications_wanted(
    summaries: list[dict[str, Any]], n_points: int, precision: Precision
) -> int:
    """How many replications every point needs for the precision, from the spread so far:
    n (h / h*)^2 for the widest figure, h* the half-width wanted (Law's approximation),
    but at most twice as many as so far, since a spread from few replications is rough."""
    wanted = 0
    for point in range(n_points):
        figures = estimates(summaries, point)
        n = max((est.n for est in figures.values()), default=0)
        wanted = max(wanted, n)
        for key, est in figures.items():
            figure = FIGURE_BY_KEY[key]
            if math.isnan(est.mean):
                continue
            if est.n < 3 or math.isnan(est.half_width):
                wanted = max(wanted, 3)
                continue
            if est.within(precision.relative, figure.floor):
                continue
            target = max(precision.relative * abs(est.mean), figure.floor)
            needed = math.ceil(est.n * (est.half_width / target) ** 2)
            wanted = max(wanted, est.n + 1, min(needed, 2 * est.n))
    return wanted


def precise(figures: dict[str, Estimate], relative: float) -> dict[str, bool]:
    """Whether each figure's interval is within the precision (or its floor); a figure
    with nothing to count (NaN, e.g. no case escalated in the window) is not held against it."""
    return {
        key: math.isnan(est.mean) or est.within(relative, FIGURE_BY_KEY[key].floor)
        for key, est in figures.items()
    }


def estimates(
    summaries: list[dict[str, Any]], point: int = 0, keys: list[str] | None = None
) -> dict[str, Estimate]:
    """Mean and 95% CI of each figure (default: the headline ones) over the replications
    of one point; a figure the summaries lack (an older folder) has no estimate (NaN)."""
    rows = [s for s in summaries if s["point"] == point]
    return {
        key: estimate([row.get(key, math.nan) for row in rows], ALL_FIGURES[key].bounds)
        for key in keys or FIGURE_KEYS
    }


@dataclass(frozen=True)
class Comparison:
    """One figure across scenarios: each one's estimate and its difference from the first."""

    figure: str
    estimates: list[Estimate]
    differences: list[Estimate]  # scenario i minus scenario 0, for i >= 1


def compare(
    summaries: list[dict[str, Any]],
    n_points: int,
    keys: list[str] | None = None,
    spread: bool = False,
) -> list[Comparison]:
    """Each figure (default: the headline ones) compared across points, by paired
    differences against point 0; with `spread`, as intervals of the runs themselves (each
    replication ran its own parameter set: `sim.experiments.stats.estimate`)."""
    by_point = {
        p: sorted((s for s in summaries if s["point"] == p), key=lambda s: s["replication"])
        for p in range(n_points)
    }
    comparisons = []
    for key in keys or FIGURE_KEYS:
        bounds = ALL_FIGURES[key].bounds
        series = [[row.get(key, math.nan) for row in by_point[p]] for p in range(n_points)]
        comparisons.append(
            Comparison(
                key,
                [estimate(values, bounds, spread) for values in series],
                [paired_difference(values, series[0], bounds, spread) for values in series[1:]],
            )
        )
    return comparisons
