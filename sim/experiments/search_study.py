"""A policy search file: the levers to choose, the objectives and constraints named by
figure, the behaviour parameters that are not known (for a robust search), and the run
settings of each trial.

    [optimise]         name, question, scenario, sampler, trials, population, replications,
                       confirm_replications, extra_replications, candidates, days,
                       warmup_days, seed, worlds, world_replications
    [[objectives]]     figure, sense ("minimise" or "maximise"), epsilon
    [[constraints]]    figure, at_most or at_least
    [[levers]]         key, low and high (integer), or values
    [[uncertainties]]  key, low, high
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from sim.errors import UserError
from sim.experiments.scenario import load_scenario
from sim.experiments.study import Parameter, apply_parameters
from sim.tomlfile import has_table, read_toml
from sim.world.params import Params, describe, param
from sim.world.scenario import Scenario

SECTIONS = ("optimise", "objectives", "constraints", "levers", "uncertainties")


class SearchError(UserError):
    """A policy search file that cannot be used; one line naming the file and key."""


def _known_figure(figure: str, where: str) -> None:
    from sim.measures.metrics import ALL_FIGURES

    if figure not in ALL_FIGURES:
        raise ValueError(f"{where}: '{figure}' is not a figure (see docs/model.md, section 7)")


class Objective(Params):
    """A figure to make as small (or as large) as the levers allow."""

    figure: str = param(..., "The figure's key, e.g. buyer_loss.")
    sense: Literal["minimise", "maximise"] = param("minimise", "minimise or maximise.")
    epsilon: float = param(
        0.0, "The smallest difference worth telling apart, in the figure's own units.", ge=0.0
    )

    @model_validator(mode="after")
    def _a_figure(self) -> Objective:
        _known_figure(self.figure, "objective")
        return self

    @property
    def sign(self) -> float:
        """+1 to minimise, -1 to maximise (the search minimises sign x figure)."""
        return 1.0 if self.sense == "minimise" else -1.0


class Constraint(Params):
    """A figure that must stay on one side of a bound (on its mean over replications)."""

    figure: str = param(..., "The figure's key, e.g. team_mean_wait.")
    at_most: float | None = param(None, "The figure's largest acceptable mean.")
    at_least: float | None = param(None, "The figure's smallest acceptable mean.")

    @model_validator(mode="after")
    def _one_bound(self) -> Constraint:
        _known_figure(self.figure, "constraint")
        if (self.at_most is None) == (self.at_least is None):
            raise ValueError(f"constraint on '{self.figure}': give one of at_most and at_least")
        return self

    def excess(self, value: float) -> float:
        """How far a value is past the bound (<= 0: met)."""
        if self.at_most is not None:
            return value - self.at_most
        assert self.at_least is not None
        return self.at_least - value

    def describe(self) -> str:
        bound = f"<= {self.at_most:g}" if self.at_most is not None else f">= {self.at_least:g}"
        return f"{self.figure} {bound}"


class SearchSettings(Params):
    """The [optimise] table: the base scenario and how much to run."""

    name: str = param("optimise", "Short name.")
    question: str = param("", "The question the search answers.")
    scenario: str = param(..., "Base scenario file, relative to this file.")
    sampler: Literal["nsga2", "tpe"] = param(
        "nsga2", "Optuna's NSGA-II, or its multi-objective TPE."
    )
    trials: int = param(40, "Policies tried by the search.", ge=2, le=10_000)
    population: int = param(
        10, "Policies asked at once (NSGA-II's population; run together).", ge=2, le=1_000
    )
    replications: int = param(3, "Replications of each trial, on common seeds.", ge=1, le=100)
    confirm_replications: int = param(
        10, "Replications of each candidate, re-run on fresh seeds.", ge=2, le=1_000
    )
    extra_replications: int = param(
        10, "More for the candidates whose Pareto-optimality is least certain.", ge=0, le=1_000
    )
    candidates: int = param(10, "At most this many policies are confirmed.", ge=1, le=200)
    days: int | None = param(None, "Measured window of each run (default: the scenario's).",
                             ge=1, le=3650)  # fmt: skip
    warmup_days: int | None = param(None, "Warm-up of each run (default: the scenario's).",
                                    ge=0, le=3650)  # fmt: skip
    seed: int = param(1, "Root seed of the search, its confirmation and its worlds.", ge=0)
    worlds: int = param(8, "Worlds sampled from the uncertainties (robust search).", ge=2,
                        le=1_000)  # fmt: skip
    world_replications: int = param(2, "Replications in each world.", ge=1, le=100)


class SearchStudy(Params):
    """A whole policy search file."""

    optimise: SearchSettings
    objectives: list[Objective] = Field(min_length=1)
    constraints: list[Constraint] = Field(default_factory=list)
    levers: list[Parameter] = Field(min_length=1)
    uncertainties: list[Parameter] = Field(default_factory=list)

    @model_validator(mode="after")
    def _usable(self) -> SearchStudy:
        figures = [o.figure for o in self.objectives]
        if len(set(figures)) != len(figures):
            raise ValueError("objectives: a figure is named twice")
        for where, group in (("levers", self.levers), ("uncertainties", self.uncertainties)):
            keys = [p.key for p in group]
            if len(set(keys)) != len(keys):
                raise ValueError(f"{where}: a key is given twice")
            for p in group:
                if not p.values and (p.low is None or p.high is None or p.low >= p.high):
                    raise ValueError(f"{where} '{p.key}': needs values, or low < high")
        for p in self.uncertainties:
            if p.values:
                raise ValueError(f"uncertainties '{p.key}': a range (low, high), not values")
        shared = {p.key for p in self.levers} & {p.key for p in self.uncertainties}
        if shared:
            raise ValueError(f"'{sorted(shared)[0]}' is both a lever and an uncertainty")
        return self

    def measured(self, base: Scenario) -> Scenario:
        return base.with_run(days=self.optimise.days, warmup_days=self.optimise.warmup_days)


def is_search(path: Path) -> bool:
    return has_table(path, "optimise")


def load_search(path: str | Path) -> tuple[SearchStudy, Scenario]:
    """Read a policy search file and its base scenario; one line for anything unusable."""
    path = Path(path)
    data = read_toml(path, SearchError)
    unknown = [key for key in data if key not in SECTIONS]
    if unknown:
        raise SearchError(
            f"{path}: unknown section '{unknown[0]}' (expected {', '.join(SECTIONS)})"
        )
    if "optimise" not in data:
        raise SearchError(f"{path}: no [optimise] table (a policy search file needs one)")
    try:
        study = SearchStudy.model_validate(data)
    except ValidationError as err:
        raise SearchError(f"{path}: {describe(err)}") from None
    base = load_scenario(path.parent / study.optimise.scenario)
    for parameter in [*study.levers, *study.uncertainties]:
        probes: list[Any] = list(parameter.values or ()) or [parameter.low, parameter.high]
        for probe in probes:
            apply_parameters(base, {parameter.key: probe}, source=str(path))
    return study, base
