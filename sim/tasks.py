"""A task is one run of one scenario point and replication; `run_task` is what a worker
executes, locally or on a Dask cluster, and it returns only a small summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.metrics import headline
from sim.runner import run
from sim.scenario import Scenario
from sim.seeds import replication_seed


@dataclass(frozen=True)
class Task:
    """Everything a worker needs: picklable, and deterministic given its fields."""

    scenario: Scenario
    point: int
    replication: int
    root_seed: int
    orders: int
    parameters: dict[str, float] = field(default_factory=dict)
    out: str | None = None  # results folder, if the tables are to be stored

    @property
    def key(self) -> tuple[int, int]:
        return (self.point, self.replication)


def run_task(task: Task) -> dict[str, Any]:
    """Run the task; store its tables if asked; return its headline figures."""
    result = run(
        task.scenario, replication_seed(task.root_seed, task.replication), orders=task.orders
    )
    summary: dict[str, Any] = {
        "point": task.point,
        "replication": task.replication,
        "scenario": task.scenario.name,
        **task.parameters,
        **headline(result),
    }
    if task.out is not None:
        from sim.store import write_task

        write_task(Path(task.out), task, result, summary)
    return summary
