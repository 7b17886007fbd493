"""Replications of one scenario, and comparisons of several on common random numbers."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

import pandas as pd

from sim.errors import UserError
from sim.experiments.experiment import Plan, Point, Precision, carry_out
from sim.experiments.experiment import compare as paired
from sim.experiments.scenario import load_arms
from sim.fitting.assumption import moved_levers, other_timing
from sim.fitting.uncertainty import parameter_sets, replicated
from sim.measures.metrics import ALL_FIGURES
from sim.views.console import one_currency
from sim.views.found import Compared, Replicated
from sim.views.timing import OTHER_TIMING
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
    fit_uncertainty: str | Path | None = None,
    both_timings: bool = True,
) -> Compared:
    """Run the scenarios on common random numbers (seed: the first one's) and compare
    each figure (default: every one) with the first scenario, as `disputesim compare`.

    With `fit_uncertainty` (a folder `disputesim fit` wrote), replication r of each fitted
    scenario runs the fit's bootstrap parameter set r, and each interval is where 95% of
    those runs fall: the data's uncertainty as well as the simulation's. Where the
    scenarios differ in a deadline a fitted delay raced, the answer depends on the timing
    assumption: with
    `both_timings`, the comparison is run again under the other one (kept in
    `out`/other-timing for the report)."""
    one_currency(scenarios)  # money in two currencies cannot be compared
    seed = scenarios[0].run.seed if seed is None else seed
    shown = list(figures or ALL_FIGURES)
    sets = parameter_sets(fit_uncertainty) if fit_uncertainty is not None else None
    if sets is not None and not any(s.fitted.source for s in scenarios):
        raise UserError(f"{sets.folder}: no scenario compared is a fitted one (fitted.source)")
    most = precision.max_replications if precision is not None else replications
    executor = partial(carry_out, jobs=jobs, scheduler=scheduler, quiet=quiet)

    def points(arms: Sequence[Scenario]) -> tuple[Point, ...]:
        if sets is None:
            return tuple(Point(s) for s in arms)
        return tuple(Point(s, replicates=replicated(s, sets, most)) for s in arms)

    plan = Plan("compare", points(scenarios), replications, seed, engine=engine,
                precision=precision)  # fmt: skip
    summaries = executor(plan, out=_path(out))
    spread = sets is not None  # each replication its own parameter set: the runs' spread
    found = paired(summaries, len(scenarios), shown, spread)
    moved = moved_levers(scenarios)
    other = None
    if moved and both_timings:
        flipped = [other_timing(s) for s in scenarios]
        again = Plan("compare", points(flipped), replications, seed, engine=engine,
                     precision=precision)  # fmt: skip
        kept = None if out is None else Path(out) / OTHER_TIMING  # for the report
        more = executor(again, out=kept)
        other = Compared(tuple(flipped), seed, more, paired(more, len(flipped), shown, spread))
    return Compared(
        tuple(scenarios),
        seed,
        summaries,
        found,
        fit_uncertainty=None if sets is None else str(sets.folder),
        moved_levers=moved,
        other_timing=other,
    )


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
