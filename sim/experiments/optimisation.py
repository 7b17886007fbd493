"""Multi-objective policy search on common random numbers, its confirmation on fresh
seeds, and (with uncertainties) its robustness across sampled worlds.

1. **Search.** Optuna's NSGA-II (or multi-objective TPE), seeded, asks `population`
   policies at a time; each runs `replications` times on the same seeds as every other
   trial, so trials differ by their levers and not by luck; the batch's results are told
   in trial order, so the search is the same on one job, two, or a Dask cluster.
2. **Candidates.** The feasible trials (constraints met on their means) that no other
   beats by more than epsilon on every objective; epsilon is each objective's own, or the
   median half-width of the trials' 95% intervals if wider (the band is never narrower
   than the noise).
3. **Confirmation.** The candidates run again on fresh seeds (the search's winners are
   flattered by the seeds they were chosen on), `confirm_replications` each, then
   `extra_replications` more for those whose probability of being Pareto-optimal (paired
   bootstrap, `sim.experiments.pareto`) is between 0.1 and 0.9.
4. **Robustness** (`robust=True`). The candidates run in `worlds` draws of the
   uncertainties (a Latin hypercube) and are ranked by satisficing and regret
   (`sim.experiments.robustness`).

The folder is resumable like a sweep's: every run's summary is stored as it finishes
(points: trial t is point t; its confirmation CONFIRM + t; world w, ROBUST + w x 10,000 + t);
started again, the search is replayed from the stored results (the sampler asks the same
policies in the same order) and only missing runs are run.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import UserError
from sim.experiments import pareto
from sim.experiments.executors import execute, progress_bar
from sim.experiments.folder import ResultsFolder, summary_column
from sim.experiments.robustness import Robustness, robustness
from sim.experiments.search_study import SearchError, SearchStudy
from sim.experiments.stats import estimate
from sim.experiments.study import Parameter, apply_parameters, holds_whole_number
from sim.experiments.tasks import Task
from sim.files import write_parquet_atomic
from sim.world.runner import Engine
from sim.world.scenario import Scenario

CONFIRM, ROBUST = 1_000_000, 2_000_000  # point numbers of the confirmation and the worlds
CONFIRM_SEED, WORLD_SEED = 1_000_003, 2_000_003  # added to the root seed: fresh seeds
UNCERTAIN = (0.1, 0.9)  # a probability of Pareto-optimality in here earns more replications
TRIALS, PARETO, ROBUST_TABLE = "trials.parquet", "pareto.parquet", "robust.parquet"


@dataclass(frozen=True)
class Trial:
    """One policy the search tried: its levers and what its runs gave."""

    number: int
    levers: dict[str, Any]
    summaries: list[dict[str, Any]]

    def mean(self, figure: str) -> float:
        return _mean(self.summaries, figure)


@dataclass(frozen=True)
class Candidate:
    """A policy the search kept, confirmed on fresh seeds."""

    trial: Trial
    confirmed: list[dict[str, Any]]  # its confirmation runs
    probability: float  # of being Pareto-optimal, by paired bootstrap


@dataclass
class Optimisation:
    """What a policy search found."""

    study: SearchStudy
    trials: list[Trial]
    feasible: list[bool]
    epsilon: list[float]
    candidates: list[Candidate]
    robust: Robustness | None = None
    worlds: list[dict[str, float]] = field(default_factory=list)

    @property
    def tables(self) -> list[str]:
        """The tables it writes in its folder."""
        return [TRIALS, PARETO] + ([ROBUST_TABLE] if self.robust is not None else [])


def optimise(
    study: SearchStudy,
    base: Scenario,
    out: Path,
    *,
    robust: bool = False,
    jobs: int = 1,
    scheduler: str | None = None,
    quiet: bool = True,
    engine: Engine = "fast",
    source: str = "search",
) -> Optimisation:
    """Run (or resume) the search in `out`, holding the folder's lock throughout."""
    if robust and not study.uncertainties:
        raise SearchError(f"{source}: --robust needs [[uncertainties]] (the behaviour not known)")
    study = _whole_levers(study, base)
    trial_base = study.measured(base)
    folder = ResultsFolder(out)
    with folder.writing():
        identity = {
            "kind": "optimisation",
            "search": study.model_dump(mode="json"),
            "points": [{"scenario": trial_base.model_dump(mode="json"), "parameters": {}}],
            "engine": engine,
        }
        folder.start(identity)
        for line in folder.repair(tables=()):  # runs store their summaries only
            print(f"disputesim: {out}: {line}", file=sys.stderr)
        stored = _stored(folder)
        run = _Runner(folder, stored, trial_base, study, jobs, scheduler, engine, source, quiet)
        trials = _search(study, run)
        feasible = [_feasible(study, t.summaries) for t in trials]
        epsilon = _epsilon(study, trials, feasible)
        chosen = _candidates(study, trials, feasible, epsilon)
        if not chosen:
            raise UserError(f"{source}: no trial met the constraints ({_why(study, trials)}); "
                            "loosen them, widen the levers or lengthen the window")  # fmt: skip
        candidates = _confirm(study, run, chosen)
        found = Optimisation(study, trials, feasible, epsilon, candidates)
        if robust:
            found.worlds, found.robust = _robustness(study, run, candidates)
        _write_tables(folder, found)
        return found


class _Runner:
    """Runs tasks not yet stored, storing each summary as it arrives; returns all."""

    def __init__(self, folder: ResultsFolder, stored: dict[tuple[int, int], dict[str, Any]],
                 base: Scenario, study: SearchStudy, jobs: int, scheduler: str | None,
                 engine: Engine, source: str, quiet: bool) -> None:  # fmt: skip
        self.folder, self.stored, self.base, self.study = folder, stored, base, study
        self.jobs, self.scheduler, self.engine, self.source = jobs, scheduler, engine, source
        self.quiet = quiet

    def scenario(self, values: dict[str, Any]) -> Scenario:
        return apply_parameters(self.base, values, source=self.source)

    def runs(self, wanted: list[tuple[int, int, int, dict[str, Any]]]) -> list[dict[str, Any]]:
        """`wanted`: (point, replication, root seed, parameters); the summaries, in order."""
        todo = [
            Task(self.scenario(values), point, rep, root, engine=self.engine,
                 parameters={summary_column(k): v for k, v in values.items()})
            for point, rep, root, values in wanted
            if (point, rep) not in self.stored
        ]  # fmt: skip
        for summary in execute(todo, jobs=self.jobs, scheduler=self.scheduler, quiet=self.quiet):
            key = (int(summary["point"]), int(summary["replication"]))
            self.folder.write_summary(key, summary)
            self.stored[key] = summary
        return [self.stored[(point, rep)] for point, rep, _, _ in wanted]


def _search(study: SearchStudy, run: _Runner) -> list[Trial]:
    """The search, replayed from stored runs where it has them."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    settings = study.optimise
    if settings.sampler == "nsga2":
        sampler: Any = optuna.samplers.NSGAIISampler(
            population_size=settings.population, seed=settings.seed
        )
    else:
        sampler = optuna.samplers.TPESampler(
            seed=settings.seed, multivariate=True, n_startup_trials=settings.population
        )
    search = optuna.create_study(directions=["minimize"] * len(study.objectives), sampler=sampler)
    distributions = {p.key: _distribution(p) for p in study.levers}
    trials: list[Trial] = []
    bar = progress_bar(settings.trials, run.quiet, unit="trial")
    try:
        while len(trials) < settings.trials:
            size = min(settings.population, settings.trials - len(trials))
            asked = [search.ask(distributions) for _ in range(size)]
            levers = [_typed(study, t.params) for t in asked]
            wanted = [
                (t.number, r, settings.seed, values)
                for t, values in zip(asked, levers, strict=True)
                for r in range(settings.replications)
            ]
            summaries = run.runs(wanted)
            for t, chosen in zip(asked, levers, strict=True):
                own = [s for s in summaries if int(s["point"]) == t.number]
                _same_levers(t.number, chosen, own)
                trial = Trial(t.number, chosen, own)
                values = [o.sign * trial.mean(o.figure) for o in study.objectives]
                for k, c in enumerate(study.constraints):  # <= 0: met (undefined: not met)
                    excess = c.excess(trial.mean(c.figure))
                    t.set_constraint(f"{k}:{c.figure}", excess if math.isfinite(excess) else 1e9)
                if all(math.isfinite(v) for v in values):
                    search.tell(t, values)
                else:  # an undefined objective: the sampler learns nothing from it
                    search.tell(t, state=optuna.trial.TrialState.FAIL)
                trials.append(trial)
                bar.update()
    finally:
        bar.close()
    return trials


def _same_levers(number: int, values: dict[str, Any], runs: list[dict[str, Any]]) -> None:
    """A stored run must be of the policy the replayed search asks (else the folder holds
    another search's runs)."""
    for run in runs:
        for key, value in values.items():
            kept = run[summary_column(key)]
            same = (
                kept == value
                if isinstance(value, str | bool)
                else math.isclose(float(kept), float(value), rel_tol=1e-12, abs_tol=1e-12)
            )
            if not same:
                raise UserError(
                    f"trial {number}: the stored runs are of {key} = {kept}, the search asks "
                    f"{value}; the folder holds another search: use another --out folder"
                )


def _confirm(study: SearchStudy, run: _Runner, chosen: list[Trial]) -> list[Candidate]:
    settings = study.optimise
    root = settings.seed + CONFIRM_SEED
    counts = [settings.confirm_replications] * len(chosen)

    def runs() -> list[list[dict[str, Any]]]:
        wanted = [
            [(CONFIRM + t.number, r, root, t.levers) for r in range(count)]
            for t, count in zip(chosen, counts, strict=True)
        ]
        flat = run.runs([w for group in wanted for w in group])
        found, at = [], 0
        for group in wanted:
            found.append(flat[at : at + len(group)])
            at += len(group)
        return found

    confirmed = runs()
    probability = _probabilities(study, confirmed)
    low, high = UNCERTAIN
    if settings.extra_replications:
        unsure = [i for i, p in enumerate(probability) if low < p < high]
        for i in unsure:
            counts[i] += settings.extra_replications
        if unsure:
            confirmed = runs()
            probability = _probabilities(study, confirmed)
    return [
        Candidate(t, c, float(p)) for t, c, p in zip(chosen, confirmed, probability, strict=True)
    ]


def _probabilities(study: SearchStudy, confirmed: list[list[dict[str, Any]]]) -> np.ndarray:
    samples = [_matrix(study, runs) for runs in confirmed]
    excess = [
        np.array([[c.excess(float(r[c.figure])) for c in study.constraints] for r in runs]).reshape(
            len(runs), len(study.constraints)
        )
        for runs in confirmed
    ]
    return pareto.pareto_probability(samples, excess, seed=study.optimise.seed)


def _matrix(study: SearchStudy, runs: list[dict[str, Any]]) -> np.ndarray:
    """Replications x objectives, signed to be minimised; an undefined value counts as the
    replications' mean (a run where a mean wait has no case tells nothing of it)."""
    values = np.array([[o.sign * float(r[o.figure]) for o in study.objectives] for r in runs])
    if not np.isnan(values).any():
        return values
    means = np.nan_to_num(np.nanmean(values, axis=0), nan=0.0)
    return np.where(np.isnan(values), means, values)


def _robustness(study: SearchStudy, run: _Runner, candidates: list[Candidate]
                ) -> tuple[list[dict[str, float]], Robustness]:  # fmt: skip
    from scipy.stats import qmc

    settings = study.optimise
    keys = [p.key for p in study.uncertainties]
    unit = qmc.LatinHypercube(d=len(keys), seed=settings.seed).random(settings.worlds)
    lows = [float(p.low or 0.0) for p in study.uncertainties]
    highs = [float(p.high or 0.0) for p in study.uncertainties]
    worlds = [dict(zip(keys, map(float, row), strict=True))
              for row in qmc.scale(unit, lows, highs)]  # fmt: skip
    root = settings.seed + WORLD_SEED
    reps = settings.world_replications
    wanted = [
        (ROBUST + w * 10_000 + c.trial.number, w * reps + r, root, {**c.trial.levers, **world})
        for c in candidates
        for w, world in enumerate(worlds)
        for r in range(reps)
    ]
    flat = run.runs(wanted)
    per = len(worlds) * reps
    values = np.empty((len(candidates), len(worlds), len(study.objectives)))
    meets = np.empty((len(candidates), len(worlds)), dtype=bool)
    for i in range(len(candidates)):
        for w in range(len(worlds)):
            runs = flat[i * per + w * reps : i * per + (w + 1) * reps]
            values[i, w] = _matrix(study, runs).mean(axis=0)
            meets[i, w] = _feasible(study, runs)
    return worlds, robustness(values, meets)


# --- choosing -----------------------------------------------------------------------------


def _feasible(study: SearchStudy, runs: list[dict[str, Any]]) -> bool:
    """Whether the runs' means meet every constraint and every objective is defined."""
    if any(not math.isfinite(_mean(runs, o.figure)) for o in study.objectives):
        return False
    return all(c.excess(_mean(runs, c.figure)) <= 0 for c in study.constraints)


def _epsilon(study: SearchStudy, trials: list[Trial], feasible: list[bool]) -> list[float]:
    """Each objective's band: its own epsilon, or the noise that separates two trials if
    wider. Trials share their seeds, so that noise is of paired differences: each run's
    value less the mean of every feasible trial on the same seed, whose spread over a
    trial's replications gives the 95% half-width of its mean (1.96 standard errors); the
    band is the median of these over the trials."""
    kept = [t for t, ok in zip(trials, feasible, strict=True) if ok]
    found = []
    for objective in study.objectives:
        values = np.array([[float(s[objective.figure]) for s in t.summaries] for t in kept])
        noise = 0.0
        if values.size and values.shape[1] >= 2:
            paired = values - np.nanmean(values, axis=0, keepdims=True)
            counted = (~np.isnan(paired)).sum(axis=1)
            usable = paired[counted >= 2]
            if len(usable):
                spread = np.nanstd(usable, axis=1, ddof=1)
                noise = float(np.median(1.96 * spread / np.sqrt(counted[counted >= 2])))
        found.append(max(objective.epsilon, noise))
    return found


def _candidates(study: SearchStudy, trials: list[Trial], feasible: list[bool],
                epsilon: list[float]) -> list[Trial]:  # fmt: skip
    """The feasible trials within the epsilon band of the front: the strictly
    non-dominated first, then the rest of the band by trial number; at most `candidates`."""
    kept = [t for t, ok in zip(trials, feasible, strict=True) if ok]
    if not kept:
        return []
    values = np.array([[o.sign * t.mean(o.figure) for o in study.objectives] for t in kept])
    strict = set(pareto.non_dominated(values).tolist())
    band = set(pareto.non_dominated(values, np.array(epsilon)).tolist())
    order = sorted(band | strict, key=lambda i: (i not in strict, kept[i].number))
    return [kept[i] for i in order[: study.optimise.candidates]]


# --- helpers ------------------------------------------------------------------------------


def _why(study: SearchStudy, trials: list[Trial]) -> str:
    """Each constraint (and objective) with how many trials it failed or left undefined."""
    parts = []
    for c in study.constraints:
        means = [t.mean(c.figure) for t in trials]
        undefined = sum(not math.isfinite(m) for m in means)
        failed = sum(math.isfinite(m) and c.excess(m) > 0 for m in means)
        parts.append(f"{c.describe()}: failed by {failed}, undefined in {undefined}")
    for o in study.objectives:
        undefined = sum(not math.isfinite(t.mean(o.figure)) for t in trials)
        if undefined:
            parts.append(f"objective {o.figure}: undefined in {undefined}")
    return "; ".join(parts) + f" of {len(trials)} trials"


def _mean(runs: list[dict[str, Any]], figure: str) -> float:
    values = np.array([float(r[figure]) for r in runs])
    values = values[~np.isnan(values)]
    return float(values.mean()) if len(values) else math.nan


def _distribution(p: Parameter) -> Any:
    import optuna

    if p.values:
        return optuna.distributions.CategoricalDistribution(list(p.values))
    assert p.low is not None and p.high is not None
    if p.integer:
        return optuna.distributions.IntDistribution(int(p.low), int(p.high))
    return optuna.distributions.FloatDistribution(float(p.low), float(p.high))


def _typed(study: SearchStudy, params: dict[str, Any]) -> dict[str, Any]:
    """The levers in the study's order, numbers as floats (as a sweep records them)."""
    return {
        p.key: params[p.key] if isinstance(params[p.key], str | bool) else float(params[p.key])
        for p in study.levers
    }


def _whole_levers(study: SearchStudy, base: Scenario) -> SearchStudy:
    """Levers whose key holds a whole number in the scenario are searched over integers."""
    data = base.model_dump()
    levers = [
        p.model_copy(update={"integer": True})
        if not p.values and holds_whole_number(data, p.key) else p
        for p in study.levers
    ]  # fmt: skip
    return study.model_copy(update={"levers": levers})


def _stored(folder: ResultsFolder) -> dict[tuple[int, int], dict[str, Any]]:
    return {(int(r["point"]), int(r["replication"])): r for r in folder.summaries()}


def _write_tables(folder: ResultsFolder, found: Optimisation) -> None:
    """trials.parquet, pareto.parquet and (robust) robust.parquet: the folder's answers."""
    import pandas as pd
    import pyarrow as pa

    study = found.study
    figures = [o.figure for o in study.objectives] + [c.figure for c in study.constraints]
    rows = []
    for trial, ok in zip(found.trials, found.feasible, strict=True):
        rows.append({"trial": trial.number, **trial.levers, "feasible": ok,
                     **{f: trial.mean(f) for f in dict.fromkeys(figures)}})  # fmt: skip
    write_parquet_atomic(pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False),
                         folder.path / TRIALS)  # fmt: skip
    write_parquet_atomic(
        pa.Table.from_pandas(pd.DataFrame(candidate_rows(found)), preserve_index=False),
        folder.path / PARETO,
    )
    if found.robust is not None:
        write_parquet_atomic(
            pa.Table.from_pandas(pd.DataFrame(robust_rows(found)), preserve_index=False),
            folder.path / ROBUST_TABLE,
        )


def candidate_rows(found: Optimisation) -> list[dict[str, Any]]:
    """One row per candidate: levers, each figure's confirmed mean and 95% interval,
    replications, probability of being Pareto-optimal."""
    study = found.study
    figures = list(dict.fromkeys([o.figure for o in study.objectives]
                                 + [c.figure for c in study.constraints]))  # fmt: skip
    rows = []
    for c in found.candidates:
        row: dict[str, Any] = {"trial": c.trial.number, **c.trial.levers}
        for figure in figures:
            e = estimate([float(r[figure]) for r in c.confirmed])
            row[figure] = e.mean
            row[f"{figure}_low"], row[f"{figure}_high"] = e.low, e.high
        row["replications"] = len(c.confirmed)
        row["pareto_probability"] = c.probability
        rows.append(row)
    return rows


def robust_rows(found: Optimisation) -> list[dict[str, Any]]:
    """One row per candidate: its regret on each objective, satisficing and rank."""
    assert found.robust is not None
    r = found.robust
    objectives = found.study.objectives
    return [
        {"trial": c.trial.number, **c.trial.levers, "rank": int(r.rank[i]),
         "satisficing": float(r.satisficing[i]),
         **{f"regret_{o.figure}": float(r.regret[i, k]) for k, o in enumerate(objectives)}}
        for i, c in enumerate(found.candidates)
    ]  # fmt: skip
