"""Small shared runs of the world, cached per test worker."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sim.experiments.scenario import load_scenario
from sim.world.records.results import RunResult
from sim.world.runner import run
from sim.world.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.toml"


@cache
def baseline() -> Scenario:
    return load_scenario(BASELINE)


@cache
def baseline_run(orders: int = 20_000, seed: int = 7) -> RunResult:
    return run(baseline(), seed, orders=orders)


def one_day(scenario: Scenario, days: int = 1) -> Scenario:
    """The scenario measured over a day (or a few) with no warm-up: a quick experiment."""
    return scenario.with_run(days=days, warmup_days=0)
