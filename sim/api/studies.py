"""Studies over many runs: a sweep of levers and behaviours, a warm-up analysis, and a
calibration to published figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.api.folders import Results
from sim.experiments.experiment import Precision
from sim.experiments.folder import ResultsFolder
from sim.experiments.study import Study, load_study
from sim.experiments.sweep import run_sweep
from sim.measures.metrics import ALL_FIGURES
from sim.views.optimised import Optimised
from sim.views.studied import Calibrated, StudyRun, WarmedUp
from sim.world.runner import Engine
from sim.world.scenario import Scenario


def sweep_study(
    study: str | Path | Study,
    *,
    out: str | Path,
    base: Scenario | None = None,
    days: int | None = None,
    warmup_days: int | None = None,
    precision: Precision | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    quiet: bool = True,
    engine: Engine = "fast",
) -> StudyRun:
    """Run a sweep study (a file, or a `Study` with its base scenario) into `out` over
    its window (or the one given), with its sensitivity indices; resumable."""
    if isinstance(study, Study):
        if base is None:
            raise ValueError("a Study given as an object needs its base scenario: base=...")
        source = study.name
    else:
        source = str(study)
        study, loaded = load_study(study)
        base = base or loaded
    base = study.measured(base).with_run(days=days, warmup_days=warmup_days)
    folder = Path(out)
    swept = run_sweep(study, base, folder, source=source, jobs=jobs, scheduler=scheduler,
                      quiet=quiet, engine=engine, precision=precision)  # fmt: skip
    return StudyRun(study, swept, ResultsFolder.open(folder))


def sweep(
    study: str | Path | Study,
    *,
    out: str | Path,
    base: Scenario | None = None,
    jobs: int = 1,
    engine: Engine = "fast",
) -> Results:
    """`sweep_study(...)`'s folder, read: what a notebook asks of a sweep."""
    return Results(sweep_study(study, out=out, base=base, jobs=jobs, engine=engine).folder)


def optimise(
    search: str | Path,
    *,
    out: str | Path,
    robust: bool = False,
    jobs: int = 1,
    scheduler: str | None = None,
    quiet: bool = True,
    engine: Engine = "fast",
    figures: str | Path | None = None,
) -> Optimised:
    """Run (or resume) a policy search file into `out`: its candidates confirmed, with
    their probability of being Pareto-optimal; with `robust`, scored across its worlds.
    The figures go to `figures` (default: OUT/figures)."""
    import time

    from sim.experiments.optimisation import optimise as search_policies
    from sim.experiments.search_study import load_search
    from sim.views.plots.pareto import draw

    study, base = load_search(search)
    folder = Path(out)
    start = time.perf_counter()
    found = search_policies(study, base, folder, robust=robust, jobs=jobs, scheduler=scheduler,
                            quiet=quiet, engine=engine, source=str(search))  # fmt: skip
    drawn = draw(found, Path(figures) if figures else folder / "figures")
    return Optimised(found, folder, drawn, time.perf_counter() - start)


def warmup(
    scenario: Scenario,
    days: int = 180,
    replications: int = 5,
    *,
    keep_season: bool = False,
    out: str | Path | None = None,
    jobs: int = 1,
    engine: Engine = "fast",
) -> WarmedUp:
    """Choose a warm-up by MSER-5 on the case team's series, as `disputesim warmup` does;
    with `out`, draw its figure there."""
    from sim.experiments.warmup import study_warmup

    studied, analysis = study_warmup(
        scenario, days, replications, keep_season=keep_season, jobs=jobs, engine=engine
    )
    figure = None
    if out is not None:
        from sim.views.plots.warmup import draw

        epoch = studied.with_run(warmup_days=0, days=days).window().epoch
        figure = draw(analysis, epoch, studied.name, Path(out))[0]
    return WarmedUp(studied, days, analysis, figure)


def calibrate(
    targets: str | Path,
    *,
    out: str | Path,
    trials: int | None = None,
    days: int | None = None,
    replications: int | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    quiet: bool = True,
    engine: Engine = "fast",
) -> Calibrated:
    """Choose the free parameters of a targets file (Optuna TPE on the loss), resumably in
    `out`; write the calibrated scenario, the trials table and the report there."""
    from sim.experiments import calibration, validation
    from sim.experiments.targets import load_targets

    loaded, base = load_targets(targets)
    folder = Path(out)
    outcome = calibration.calibrate(
        loaded, base, folder, trials=trials, days=days, replications=replications, jobs=jobs,
        scheduler=scheduler, quiet=quiet, engine=engine, source=str(targets),
    )  # fmt: skip
    written = tuple(folder / name for name in (calibration.CALIBRATED, calibration.TRIALS_TABLE,
                                               calibration.REPORT))  # fmt: skip
    checks = validation.checks(loaded, outcome.best.summaries)
    return Calibrated(loaded.calibration.name, outcome, checks, written)


def describe_figures() -> pd.DataFrame:
    """Every figure: key, label, unit and definition."""
    return pd.DataFrame(
        [
            {"figure": f.key, "label": f.label, "unit": f.unit, "definition": f.doc}
            for f in ALL_FIGURES.values()
        ]
    )
