"""A task is one run of one scenario point and replication; `run_task` is what a worker
executes, locally or on a Dask cluster, and it returns only a small summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.experiments.folder import ResultsFolder
from sim.measures.metrics import every_figure
from sim.world.runner import Engine, run
from sim.world.scenario import Scenario
from sim.world.seeds import replication_seed


@dataclass(frozen=True)
class Task:
    """Everything a worker needs: picklable, and deterministic given its fields."""

    scenario: Scenario
    point: int
    replication: int
    root_seed: int
    parameters: dict[str, Any] = field(default_factory=dict)  # swept values (study.Value)
    out: str | None = None  # results folder, if the run is to be stored there
    engine: Engine = "fast"
    tables: bool = True  # store the run's tables beside its figures (else figures only)

    @property
    def key(self) -> tuple[int, int]:
        return (self.point, self.replication)


def run_task(task: Task) -> dict[str, Any]:
    """Run the task; store it if asked (its tables too, unless figures only); return
    every figure. A run whose tables are not stored keeps no event log."""
    stored = task.out is not None and task.tables
    result = run(
        task.scenario,
        replication_seed(task.root_seed, task.replication),
        engine=task.engine,
        check_memory=False,  # checked before the tasks were handed out, for all workers
        events=stored,
    )
    summary: dict[str, Any] = {
        "point": task.point,
        "replication": task.replication,
        "scenario": task.scenario.name,
        **task.parameters,
        "events": float(result.n_events),
        **every_figure(result),
    }
    if task.out is not None:
        folder = ResultsFolder(Path(task.out))
        if stored:
            folder.write_task(task.key, result, summary)
        else:
            folder.write_summary(task.key, summary)
    return summary
