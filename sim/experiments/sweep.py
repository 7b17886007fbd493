"""A sweep from start to end: the study's design as scenario points, run (resumably) into
a results folder, and its sensitivity indices stored beside the runs' figures. The
command line and the Python API both sweep through here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.experiments.experiment import Plan, Point, Precision, carry_out
from sim.experiments.folder import ResultsFolder
from sim.experiments.sensitivity import indices
from sim.experiments.study import Study, Value, apply_parameters, read_parameter
from sim.world.runner import Engine
from sim.world.scenario import Scenario


@dataclass(frozen=True)
class Swept:
    """What a sweep ran and found."""

    plan: Plan
    design: list[dict[str, Value]]
    summaries: list[dict[str, Any]]
    sensitivity: list[dict[str, Any]]  # tidy rows (Sobol and Morris designs only)


def run_sweep(
    study: Study,
    base: Scenario,
    out: Path,
    *,
    source: str,
    jobs: int = 1,
    scheduler: str | None = None,
    quiet: bool = False,
    engine: Engine = "fast",
    precision: Precision | None = None,
) -> Swept:
    """Run every point of the study's design on `base` (already measured over the
    window wanted) into `out`; write `sensitivity.parquet` where the design has indices."""
    sampled = study.design()
    scenarios = [apply_parameters(base, values, source=source) for values in sampled]
    design = [  # what each point runs, as the scenario holds it: recorded everywhere
        {key: read_parameter(scenario, key) for key in values}
        for scenario, values in zip(scenarios, sampled, strict=True)
    ]
    points = tuple(Point(s, v) for s, v in zip(scenarios, design, strict=True))
    plan = Plan(
        "sweep",
        points,
        study.replications,
        study.seed,
        # a sweep that stores its tables has the identity it had before `tables` existed
        study=study.model_dump(mode="json", exclude={"tables"} if study.tables else None),
        engine=engine,
        precision=precision,
        tables=study.tables,
    )
    summaries = carry_out(plan, out=out, jobs=jobs, scheduler=scheduler, quiet=quiet)
    rows = indices(study, summaries, design)
    if rows:
        ResultsFolder(out).write_sensitivity(rows)
    return Swept(plan, design, summaries, rows)
