"""Calibration: choose the free parameters of a targets file so the simulated figures
match the published ones.

Each trial is one choice of the free parameters, run for the targets file's replications
with the same seeds as every other trial (common random numbers, so trials differ by
their parameters, not by luck). Optuna's TPE sampler proposes the trials and is told each
trial's loss: the weighted sum of squared distances of the fitted targets from their
published values (sim.experiments.targets). The folder is resumable like a sweep's:

    DIR/manifest.json                              what is calibrated against what
    DIR/summary/point=TTTT/replication=RRR/...     each trial's replications, written last
    DIR/trials.parquet                             every trial as a tidy table
    DIR/calibrated.toml                            the base scenario with the best trial
    DIR/report.md                                  targets, simulated values, validation

Started again with the same command, finished trials are read back and given to the
sampler, and the calibration goes on until it has `trials` of them.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.experiments.executors import execute, progress_bar
from sim.experiments.folder import ResultsFolder
from sim.experiments.targets import FreeParameter, TargetsFile, expand, with_values
from sim.experiments.tasks import Task
from sim.files import write_atomic
from sim.measures.metrics import ALL_FIGURES
from sim.world.runner import Engine
from sim.world.scenario import Scenario

TRIALS_TABLE = "trials.parquet"
CALIBRATED = "calibrated.toml"
REPORT = "report.md"


@dataclass(frozen=True)
class Trial:
    """A finished trial: its number, the chosen values, its replications and loss."""

    number: int
    values: dict[str, float]
    summaries: list[dict[str, Any]]
    loss: float

    def means(self) -> dict[str, float]:
        """Each figure's mean over the trial's replications (NaN where none counted)."""
        return figure_means(self.summaries)


def figure_means(summaries: list[dict[str, Any]]) -> dict[str, float]:
    """Each figure's mean over the replications in `summaries` (NaN where none counted)."""
    found = {}
    for key in ALL_FIGURES:
        values = np.array([row[key] for row in summaries], dtype=float)
        values = values[~np.isnan(values)]
        found[key] = float(values.mean()) if len(values) else math.nan
    return found


@dataclass(frozen=True)
class Outcome:
    """What a calibration found: every trial and the best."""

    trials: list[Trial]
    best: Trial
    scenario: Scenario  # the base scenario with the best trial's values


def measured(targets: TargetsFile, base: Scenario, days: int | None = None) -> Scenario:
    """The base scenario with the calibration's window (a command-line `days` wins)."""
    settings = targets.calibration
    return base.with_run(days=days or settings.days, warmup_days=settings.warmup_days)


def calibrate(
    targets: TargetsFile,
    base: Scenario,
    out: Path,
    *,
    trials: int | None = None,
    days: int | None = None,
    replications: int | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    quiet: bool = False,
    engine: Engine = "fast",
    source: str = "targets",
) -> Outcome:
    """Run (or resume) the calibration in `out` until it has `trials` trials, holding
    the folder's lock throughout."""
    folder = ResultsFolder(out)
    with folder.writing():
        settings = targets.calibration
        wanted = trials or settings.trials
        reps = replications or settings.replications
        trial_base = measured(targets, base, days)
        identity = {
            "kind": "calibration",
            "targets": targets.model_dump(mode="json", exclude={"calibration": {"trials"}}),
            "scenario": trial_base.model_dump(mode="json"),
            "replications": reps,
            "engine": engine,
        }
        folder.start(identity)
        for line in folder.repair(tables=()):  # a trial stores its summaries only
            print(f"disputesim: {out}: {line}", file=sys.stderr)
        distributions = {f.key: _distribution(f) for f in targets.free}
        finished = _stored_trials(out, targets, reps)
        study = _study(settings.seed, wanted, finished, distributions)
        if not targets.free:
            wanted = 1  # nothing to choose: the one trial is the base scenario's validation
        bar = progress_bar(wanted, quiet, unit="trial", initial=min(len(finished), wanted))
        try:
            while len(finished) < wanted:
                asked = study.ask(distributions) if targets.free else None
                values = dict(asked.params) if asked is not None else {}
                scenario = with_values(trial_base, targets.free, values, source)
                tasks = [
                    Task(
                        scenario, len(finished), r, settings.seed, parameters=values, engine=engine
                    )
                    for r in range(reps)
                ]
                trial = _run_trial(targets, tasks, values, out, jobs, scheduler)
                if asked is not None:
                    study.tell(asked, trial.loss)
                finished.append(trial)
                bar.update()
        finally:
            bar.close()
        best = min(finished[:wanted], key=lambda t: (t.loss, t.number))
        outcome = Outcome(finished, best, with_values(base, targets.free, best.values, source))
        _write_outputs(out, targets, base, outcome, source)
        return outcome


def _study(seed: int, wanted: int, finished: list[Trial], distributions: dict[str, Any]) -> Any:
    """An Optuna study with a seeded TPE sampler, told the trials already on disk."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=max(1, min(10, wanted // 3)))
    study = optuna.create_study(direction="minimize", sampler=sampler)
    for trial in finished:
        if trial.values:
            study.add_trial(
                optuna.trial.create_trial(
                    params=trial.values, distributions=distributions, value=trial.loss
                )
            )
    return study


def _run_trial(
    targets: TargetsFile,
    tasks: list[Task],
    values: dict[str, float],
    out: Path,
    jobs: int,
    scheduler: str | None,
) -> Trial:
    """Run one trial's replications and store each summary (the trial is done when all are)."""
    summaries = execute(tasks, jobs=jobs, scheduler=scheduler, quiet=True)
    for summary in summaries:
        ResultsFolder(out).write_summary((summary["point"], summary["replication"]), summary)
    return _trial(tasks[0].point, values, summaries, targets)


def _distribution(free: FreeParameter) -> Any:
    import optuna

    if free.integer:
        return optuna.distributions.IntDistribution(int(free.low), int(free.high), log=free.log)
    return optuna.distributions.FloatDistribution(free.low, free.high, log=free.log)


def _trial(
    number: int, values: dict[str, float], summaries: list[dict[str, Any]], targets: TargetsFile
) -> Trial:
    return Trial(number, values, summaries, targets.loss(figure_means(summaries)))


def _stored_trials(out: Path, targets: TargetsFile, reps: int) -> list[Trial]:
    """The trials on disk with all their replications, in order, up to the first gap."""
    rows = ResultsFolder(out).summaries()
    by_trial: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_trial.setdefault(int(row["point"]), []).append(row)
    keys = [f.key for f in targets.free]
    found = []
    for number in range(len(by_trial) + 1):
        group = by_trial.get(number, [])
        if len(group) < reps:
            break
        group = sorted(group, key=lambda r: r["replication"])[:reps]
        values = {key: group[0][key] for key in keys}
        found.append(_trial(number, values, group, targets))
    return found


# --- outputs ------------------------------------------------------------------------------


def _write_outputs(
    out: Path, targets: TargetsFile, base: Scenario, outcome: Outcome, source: str
) -> None:
    from sim.experiments import validation

    summaries = [{**row, "loss": trial.loss} for trial in outcome.trials for row in trial.summaries]
    ResultsFolder(out).write_results(summaries, list(ALL_FIGURES), table=TRIALS_TABLE)
    write_atomic(out / CALIBRATED, calibrated_toml(targets, base, outcome, source).encode())
    checks = validation.checks(targets, outcome.best.summaries)
    write_atomic(out / REPORT, report(targets, outcome, checks, source).encode())


def calibrated_toml(targets: TargetsFile, base: Scenario, outcome: Outcome, source: str) -> str:
    """The base scenario file with the best trial's values written into its tables."""
    import tomli_w

    base_path = Path(source).parent / targets.calibration.scenario
    data = tomllib.loads(base_path.read_text(encoding="utf-8"))
    concrete = expand(base, targets.free, outcome.best.values)
    for key, value in concrete.items():
        _write_key(data, key, value)
    data["scenario"]["name"] = f"{data['scenario']['name']}-calibrated"
    header = [
        f"# Calibrated by `disputesim calibrate {source}` on {dt.date.today().isoformat()}:",
        f"# trial {outcome.best.number} of {len(outcome.trials)}, loss {outcome.best.loss:.4g}.",
        f"# Base scenario: {base_path.name}. Chosen: "
        + (", ".join(f"{k} = {v:.4g}" for k, v in outcome.best.values.items()) or "nothing"),
        "",
    ]
    return "\n".join(header) + tomli_w.dumps(data)


def _write_key(data: dict[str, Any], key: str, value: float) -> None:
    parts = key.split(".")
    number: float | int = int(value) if float(value).is_integer() else float(f"{value:.4g}")
    if parts[0] in ("sellers", "buyers"):
        section = data.setdefault(parts[0], {})
        if isinstance(section, list):  # [[sellers]]: the profile is listed in full
            next(p for p in section if p["name"] == parts[1])[parts[2]] = number
        else:
            section.setdefault(parts[1], {})[parts[2]] = number
        return
    data.setdefault(parts[0], {})[parts[1]] = number


def report(targets: TargetsFile, outcome: Outcome, checks: list[Any], source: str) -> str:
    """The calibration report in Markdown."""
    from sim.experiments import validation

    settings, best = targets.calibration, outcome.best
    reps = len(best.summaries)
    lines = [
        f"# Calibration: {settings.name}",
        "",
        f"Targets: `{source}`; base scenario `{settings.scenario}`. "
        f"{len(outcome.trials)} trials of {reps} replications each on common random numbers "
        f"(root seed {settings.seed}); best: trial {best.number}, loss {best.loss:.4g}.",
        "",
        "## Chosen parameters",
        "",
        "| parameter | low | high | chosen |",
        "|---|---|---|---|",
    ]
    for free in targets.free:
        kind = " (multiplier)" if free.scale else ""
        lines.append(
            f"| `{free.key}`{kind} | {free.low:g} | {free.high:g} | {best.values[free.key]:.4g} |"
        )
    if not targets.free:
        lines.append("| (none: the base scenario is checked as it is) | | | |")
    fitted = [c for c in checks if c.target.fit]
    held = [c for c in checks if not c.target.fit]
    lines += ["", "## Fitted targets", "", validation.markdown(fitted) if fitted else "(none)"]
    lines += [
        "",
        "## Validation: figures held out of the fit",
        "",
        validation.markdown(held) if held else "(none)",
        "",
        "## Sources",
        "",
    ]
    lines += [f"- `{c.target.figure}`: {c.target.source}" for c in checks]
    return "\n".join(lines) + "\n"
