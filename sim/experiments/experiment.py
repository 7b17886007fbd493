"""Experiments: scenario points x replications, run by any executor, summarised with
95% confidence intervals; comparisons use common random numbers and paired differences."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.experiments import store
from sim.experiments.executors import execute
from sim.experiments.runner import Engine
from sim.experiments.scenario import Scenario
from sim.experiments.stats import Estimate, estimate, paired_difference
from sim.experiments.tasks import Task
from sim.views.metrics import FIGURES

FIGURE_KEYS = [figure.key for figure in FIGURES]


@dataclass(frozen=True)
class Point:
    """One scenario to run, with the swept parameter values that made it (if any)."""

    scenario: Scenario
    parameters: dict[str, float] = field(default_factory=dict)

    @property
    def columns(self) -> dict[str, float]:
        """The parameters as table columns: `policy.seller_response_days` becomes
        `policy_seller_response_days`, a name SQL can use unquoted."""
        return {key.replace(".", "_"): value for key, value in self.parameters.items()}


@dataclass(frozen=True)
class Plan:
    """What to run: points, replications of each, the root seed and the orders per run."""

    kind: str
    points: tuple[Point, ...]
    replications: int
    seed: int
    orders: int
    study: dict[str, Any] | None = None
    engine: Engine = "fast"  # not part of the identity: both engines give the same tables

    def tasks(self, out: Path | None = None) -> list[Task]:
        return [
            Task(
                point.scenario,
                index,
                replication,
                self.seed,
                self.orders,
                point.columns,
                str(out) if out else None,
                self.engine,
            )
            for index, point in enumerate(self.points)
            for replication in range(self.replications)
        ]

    def identity(self) -> dict[str, Any]:
        """What defines the results: kept in the manifest, checked on resume."""
        return {
            "kind": self.kind,
            "points": [
                {"scenario": p.scenario.model_dump(mode="json"), "parameters": p.parameters}
                for p in self.points
            ],
            "replications": self.replications,
            "seeds": {"root": self.seed, "replication": "SeedSequence(root, spawn_key=(r,))"},
            "orders": self.orders,
            "study": self.study,
        }


def carry_out(
    plan: Plan,
    *,
    out: Path | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    quiet: bool = False,
) -> list[dict[str, Any]]:
    """Run the plan (resuming in `out` if it was interrupted); every task's summary."""
    tasks = plan.tasks(out)
    if out is None:
        return execute(tasks, jobs=jobs, scheduler=scheduler, quiet=quiet)
    store.open_folder(out, plan.identity())
    finished = store.done(out)
    execute(
        [t for t in tasks if t.key not in finished], jobs=jobs, scheduler=scheduler, quiet=quiet
    )
    summaries = store.read_summaries(out)
    store.write_results(out, summaries, FIGURE_KEYS)
    return summaries


def estimates(summaries: list[dict[str, Any]], point: int = 0) -> dict[str, Estimate]:
    """Mean and 95% CI of every figure over the replications of one point."""
    rows = [s for s in summaries if s["point"] == point]
    return {key: estimate([row[key] for row in rows]) for key in FIGURE_KEYS}


@dataclass(frozen=True)
class Comparison:
    """One figure across scenarios: each one's estimate and its difference from the first."""

    figure: str
    estimates: list[Estimate]
    differences: list[Estimate]  # scenario i minus scenario 0, for i >= 1


def compare(summaries: list[dict[str, Any]], n_points: int) -> list[Comparison]:
    """Every figure compared across points, by paired differences against point 0."""
    by_point = {
        p: sorted((s for s in summaries if s["point"] == p), key=lambda s: s["replication"])
        for p in range(n_points)
    }
    comparisons = []
    for key in FIGURE_KEYS:
        series = [[row[key] for row in by_point[p]] for p in range(n_points)]
        comparisons.append(
            Comparison(
                key,
                [estimate(values) for values in series],
                [paired_difference(values, series[0]) for values in series[1:]],
            )
        )
    return comparisons
