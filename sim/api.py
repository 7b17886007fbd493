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

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.experiments.experiment import Plan, Point, carry_out
from sim.experiments.experiment import compare as paired
from sim.experiments.experiment import estimates as point_estimates
from sim.experiments.study import Study, load_study
from sim.measures.metrics import ALL_FIGURES
from sim.views.plots.data import Folder
from sim.world.runner import Engine
from sim.world.scenario import Scenario


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
    """Run the scenarios on common random numbers (seed: the first one's) and return one
    row per figure and scenario: its mean and 95% CI, and its paired difference from the
    first scenario with its CI and whether it is significant."""
    seed = scenarios[0].run.seed if seed is None else seed
    plan = Plan("compare", tuple(Point(s) for s in scenarios), replications, seed, engine=engine)
    summaries = carry_out(plan, out=_path(out), jobs=jobs, quiet=True)
    from sim.views import formatting

    rows = []
    for c in paired(summaries, len(scenarios), list(figures or ALL_FIGURES)):
        for index, (scenario, est) in enumerate(zip(scenarios, c.estimates, strict=True)):
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
    "Results",
    "compare",
    "describe_figures",
    "open_results",
    "sweep",
]
