"""Replications of one scenario, and comparisons of several on common random numbers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sim.experiments.experiment import Plan, Point, Precision, carry_out
from sim.experiments.experiment import compare as paired
from sim.experiments.scenario import load_arms
from sim.measures.metrics import ALL_FIGURES
from sim.views.console import one_currency
from sim.views.found import Compared, Replicated
from sim.world.runner import Engine
from sim.world.scenario import Scenario


def replicate(
    scenario: Scenario,
    replications: int | None = None,
    *,
    seed: int | None = None,
    precision: Precision | None = None,
    out: str | Path | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    quiet: bool = True,
    engine: Engine = "fast",
) -> Replicated:
    """Run replications of one scenario (seed and count: the scenario's own unless given;
    with a precision, until it is reached), as `disputesim run` does; resumable in `out`."""
    scenario = scenario.with_run(seed=seed, replications=replications)
    plan = Plan(
        "run",
        (Point(scenario),),
        scenario.run.replications,
        scenario.run.seed,
        engine=engine,
        precision=precision,
    )
    summaries = carry_out(plan, out=_path(out), jobs=jobs, scheduler=scheduler, quiet=quiet)
    return Replicated(scenario, plan.seed, summaries, precision)


def scenarios_of(
    paths: Sequence[str | Path], days: int | None = None, warmup_days: int | None = None
) -> list[Scenario]:
    """Every scenario the files hold (a file's `[[arms]]` expanded, in order), over the
    window given (default: each file's own)."""
    return [
        arm.with_run(days=days, warmup_days=warmup_days)
        for path in paths
        for arm in load_arms(path)
    ]


def compare_runs(
    scenarios: Sequence[Scenario],
    replications: int = 5,
    *,
    seed: int | None = None,
    figures: Sequence[str] | None = None,
    precision: Precision | None = None,
    out: str | Path | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    quiet: bool = True,
    engine: Engine = "fast",
) -> Compared:
    """Run the scenarios on common random numbers (seed: the first one's) and compare
    each figure (default: every one) with the first scenario, as `disputesim compare`."""
    one_currency(scenarios)  # money in two currencies cannot be compared
    seed = scenarios[0].run.seed if seed is None else seed
    plan = Plan("compare", tuple(Point(s) for s in scenarios), replications, seed,
                engine=engine, precision=precision)  # fmt: skip
    summaries = carry_out(plan, out=_path(out), jobs=jobs, scheduler=scheduler, quiet=quiet)
    found = paired(summaries, len(scenarios), list(figures or ALL_FIGURES))
    return Compared(tuple(scenarios), seed, summaries, found)


def compare(
    scenarios: Sequence[Scenario],
    replications: int = 5,
    *,
    seed: int | None = None,
    figures: Sequence[str] | None = None,
    jobs: int = 1,
    out: str | Path | None = None,
    engine: Engine = "fast",
) -> pd.DataFrame:
    """`compare_runs(...).table()`: one row per figure and scenario with its mean and 95%
    CI, and its paired difference from the first scenario and whether it is significant."""
    return compare_runs(
        scenarios, replications, seed=seed, figures=figures, jobs=jobs, out=out, engine=engine
    ).table()


def _path(out: str | Path | None) -> Path | None:
    return Path(out) if out is not None else None
