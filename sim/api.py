"""The public API: what notebooks and scripts use, importable from `sim` itself.

    import sim

    baseline = sim.load_scenario("scenarios/baseline.toml")
    result = sim.run(baseline, seed=1)               # one world: orders, events, queue
    sim.figures(result)                              # every figure of that run
    table = sim.compare([baseline, other], replications=5, jobs=2)
    swept = sim.sweep("scenarios/sweeps/deadlines-grid.toml", out="results/grid", jobs=2)
    swept.estimates(["escalation_rate"])             # per point, with 95% CIs
    sim.open_results("results/grid").sql("select ...")

Each function is the command line's work without its printing: `compare` is `disputesim
compare`, `sweep` is `disputesim sweep`, on the same seeds, so both give the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments.experiment import Comparison, Plan, Point, Precision, carry_out, precise
from sim.experiments.experiment import compare as paired
from sim.experiments.experiment import estimates as point_estimates
from sim.experiments.stats import Estimate
from sim.experiments.study import Study, load_study
from sim.experiments.warmup import WarmupAnalysis
from sim.measures.metrics import ALL_FIGURES
from sim.views.plots.data import Folder
from sim.world.runner import Engine
from sim.world.scenario import Scenario


def _number(value: float) -> float | None:
    """A figure for JSON: NaN (nothing to count) becomes null."""
    return None if math.isnan(value) else value


def _estimate(est: Estimate) -> dict[str, Any]:
    return {"mean": _number(est.mean), "ci": [_number(est.low), _number(est.high)],
            "replications": est.n}  # fmt: skip


def _window(scenario: Scenario) -> dict[str, Any]:
    window = scenario.window()
    return {
        "window": {"start": window.start.isoformat(), "days": window.days},
        "warmup_days": window.warmup_days,
    }


@dataclass(frozen=True)
class Replicated:
    """What `disputesim run` found: the scenario as run, its root seed, and every
    replication's figures (with a precision, as many replications as it took)."""

    scenario: Scenario
    seed: int
    summaries: list[dict[str, Any]]
    precision: Precision | None = None

    @property
    def replications(self) -> int:
        return len(self.summaries)

    def estimates(self, figures: Sequence[str] | None = None) -> dict[str, Estimate]:
        """Mean and 95% CI of each figure (default: every one)."""
        return point_estimates(self.summaries, 0, list(figures or ALL_FIGURES))

    def precision_reached(self) -> bool | None:
        """Whether every headline interval is within the precision (None without one)."""
        if self.precision is None:
            return None
        return all(precise(point_estimates(self.summaries), self.precision.relative).values())

    def as_dict(self, figures: Sequence[str] | None = None) -> dict[str, Any]:
        """The figures as one JSON-ready object (what `run --json` prints)."""
        n = self.replications
        body: dict[str, Any] = {
            "scenario": self.scenario.name,
            "seed": self.seed,
            **_window(self.scenario),
            "currency": self.scenario.market.currency,
            "replications": n,
            "orders": self.summaries[0]["orders"] if n == 1 else None,
            "orders_per_replication": _number(sum(s["orders"] for s in self.summaries) / n),
            "events_per_replication": _number(sum(s["events"] for s in self.summaries) / n),
        }
        if self.precision is not None:
            body["precision"] = {**self.precision.identity(), "reached": self.precision_reached()}
        for key, est in self.estimates(figures).items():
            body[key] = _estimate(est) if n > 1 else _number(est.mean)
        return body


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


@dataclass(frozen=True)
class Compared:
    """What `disputesim compare` found: each figure for every scenario, and its paired
    difference from the first, on common random numbers."""

    scenarios: tuple[Scenario, ...]
    seed: int
    summaries: list[dict[str, Any]]
    comparisons: list[Comparison]

    @property
    def replications(self) -> int:
        return len(self.summaries) // len(self.scenarios)

    @property
    def currency(self) -> str:
        return self.scenarios[0].market.currency

    def table(self) -> pd.DataFrame:
        """One row per figure and scenario: its mean and 95% CI, and its paired difference
        from the first scenario with its CI and whether it is significant."""
        from sim.views import formatting

        rows = []
        for c in self.comparisons:
            for index, (scenario, est) in enumerate(zip(self.scenarios, c.estimates, strict=True)):
                diff = c.differences[index - 1] if index else None
                rows.append(
                    {
                        "figure": c.figure,
                        "label": ALL_FIGURES[c.figure].label,
                        "unit": ALL_FIGURES[c.figure].unit,
                        "scenario": scenario.name,
                        "mean": est.mean,
                        "low": est.low,
                        "high": est.high,
                        "difference": diff.mean if diff else 0.0,
                        "difference_low": diff.low if diff else 0.0,
                        "difference_high": diff.high if diff else 0.0,
                        "significant": formatting.significant(c.figure, diff) if diff else False,
                    }
                )
        return pd.DataFrame(rows)

    def as_dict(self) -> dict[str, Any]:
        """The comparison as one JSON-ready object (what `compare --json` prints)."""
        from sim.views import formatting

        return {
            "scenarios": [s.name for s in self.scenarios],
            "replications": self.replications,
            **_window(self.scenarios[0]),
            "currency": self.currency,
            "seed": self.seed,
            "figures": {
                c.figure: {
                    "values": [_estimate(e) for e in c.estimates],
                    "differences": [
                        {**_estimate(d), "significant": formatting.significant(c.figure, d)}
                        for d in c.differences
                    ],
                }
                for c in self.comparisons
            },
        }


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
    from sim.views.console import one_currency

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


@dataclass
class Results:
    """A results folder, read: its runs' figures, estimates per point, sensitivity, SQL."""

    folder: Folder

    @property
    def path(self) -> Path:
        return self.folder.path

    @property
    def point_names(self) -> list[str]:
        """A label per point: the scenario's name, or the swept values."""
        return self.folder.point_names

    def summary(self) -> pd.DataFrame:
        """One row per run (point, replication) with every figure and swept value."""
        return self.folder.summary()

    def estimates(self, figures: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per point and figure: mean, 95% CI and replications."""
        summaries = self.summary().to_dict("records")
        rows = []
        for point, name in enumerate(self.point_names):
            found = point_estimates(summaries, point, list(figures or ALL_FIGURES))
            for key, est in found.items():
                rows.append({"point": point, "name": name, "figure": key, "mean": est.mean,
                             "low": est.low, "high": est.high, "replications": est.n})  # fmt: skip
        return pd.DataFrame(rows)

    def sensitivity(self) -> pd.DataFrame:
        """A Sobol or Morris sweep's indices (figure, parameter, index, value,
        confidence); empty for other folders."""
        path = self.path / "sensitivity.parquet"
        return pd.read_parquet(path) if path.exists() else pd.DataFrame()

    def sql(self, statement: str) -> pd.DataFrame:
        """A read-only DuckDB query over the folder's tables (as `disputesim query`)."""
        from sim.views.query import query_frame

        return query_frame(self.path, statement)


def open_results(path: str | Path) -> Results:
    """Open a results folder written by run, compare or sweep (`--out`)."""
    return Results(Folder.open(Path(path)))


def sweep(
    study: str | Path | Study,
    *,
    out: str | Path,
    base: Scenario | None = None,
    jobs: int = 1,
    engine: Engine = "fast",
) -> Results:
    """Run a sweep study (a file, or a `Study` with its base scenario) into `out`,
    with its sensitivity indices, as `disputesim sweep` does; resumable."""
    from sim.experiments.sweep import run_sweep

    if isinstance(study, Study):
        if base is None:
            raise ValueError("a Study given as an object needs its base scenario: base=...")
        source = study.name
    else:
        source = str(study)
        study, loaded = load_study(study)
        base = base or loaded
    folder = Path(out)
    run_sweep(study, study.measured(base), folder, source=source, jobs=jobs, quiet=True,
              engine=engine)  # fmt: skip
    return open_results(folder)


def warmup(
    scenario: Scenario,
    days: int = 180,
    replications: int = 5,
    *,
    keep_season: bool = False,
    jobs: int = 1,
    engine: Engine = "fast",
) -> tuple[Scenario, WarmupAnalysis]:
    """Choose a warm-up by MSER-5, as `disputesim warmup` does: the scenario as run (its
    season taken out unless `keep_season`) and the analysis of the case team's series."""
    from sim.experiments.warmup import study_warmup

    return study_warmup(
        scenario, days, replications, keep_season=keep_season, jobs=jobs, engine=engine
    )


def _path(out: str | Path | None) -> Path | None:
    return Path(out) if out is not None else None


def describe_figures() -> pd.DataFrame:
    """Every figure: key, label, unit and definition."""
    return pd.DataFrame(
        [
            {"figure": f.key, "label": f.label, "unit": f.unit, "definition": f.doc}
            for f in ALL_FIGURES.values()
        ]
    )


__all__ = [
    "Compared",
    "Replicated",
    "Results",
    "compare",
    "compare_runs",
    "describe_figures",
    "open_results",
    "replicate",
    "sweep",
    "warmup",
]
