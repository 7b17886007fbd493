"""Sweep studies: which scenario to start from, which levers and behaviour parameters to
vary, and how to sample them (grid, Latin hypercube, or a Sobol or Morris design).

    [study]
    name = "seller-deadline"
    question = "How do the seller's deadline and the case team's size shape time to money?"
    scenario = "baseline.toml"        # relative to the study file
    method = "lhs"                    # grid | lhs | sobol | morris
    samples = 16                      # lhs points; Sobol base samples; Morris trajectories
    replications = 2
    days = 30                         # window per point (default: the scenario's)
    warmup_days = 56
    seed = 1

    [[parameters]]
    key = "policy.seller_response_days"   # policy.*, market.*, team.*, sellers|buyers.NAME.*
    low = 2
    high = 10

    [[parameters]]
    key = "team.staff"
    values = [4, 8, 12]                # grid: the values; other methods: low and high
    integer = true

A categorical or boolean lever is swept by naming its values, in a grid:

    [[parameters]]
    key = "policy.seller_silence"
    values = ["refund", "escalate"]

    [[parameters]]
    key = "policy.appeals_allowed"
    values = [false, true]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from sim.errors import UserError
from sim.experiments.scenario import load_scenario
from sim.tomlfile import has_table, read_toml
from sim.world.params import Params, describe, param
from sim.world.scenario import Scenario


class StudyError(UserError):
    """A study file that cannot be used; one line naming the file and key."""


Value = bool | float | str
"""A swept value: a number, or a name (or true/false) for a categorical or boolean lever."""


class Parameter(Params):
    """One swept input: its key in the scenario, and its values or range."""

    key: str = param(..., "Dotted key in the scenario, e.g. policy.seller_response_days.")
    values: list[Value] | None = param(
        None, "Values for a grid: numbers, or names (true/false) for a categorical lever."
    )
    low: float | None = param(None, "Lower end of the range (lhs, sobol, morris).")
    high: float | None = param(None, "Upper end of the range.")
    integer: bool = param(
        False,
        "Sample whole numbers only, each equally likely (implied for a whole-number key such "
        "as team.staff).",
    )

    @property
    def categorical(self) -> bool:
        """Whether the values are names or true/false rather than numbers."""
        return any(isinstance(v, bool | str) for v in self.values or [])

    @model_validator(mode="after")
    def _one_kind_of_value(self) -> Parameter:
        kinds = {"true/false" if isinstance(v, bool) else "names" if isinstance(v, str)
                 else "numbers" for v in self.values or []}  # fmt: skip
        if len(kinds) > 1:
            mixed = " and ".join(sorted(kinds))
            raise ValueError(
                f"parameter '{self.key}': values mix {mixed} (give numbers, names, or true "
                "and false)"
            )
        return self


class Study(Params):
    """A sweep: base scenario, parameters, method, and run settings for every point."""

    name: str = param("study", "Short name.")
    question: str = param("", "The question the sweep answers.")
    figures: list[str] = param(
        [], "The figures the question is about (plots and tables; default: every headline one)."
    )
    scenario: str = param(..., "Base scenario file, relative to the study file.")
    method: Literal["grid", "lhs", "sobol", "morris"] = param("grid", "Sampling method.")
    samples: int = param(
        8, "LHS points; Sobol base samples; Morris trajectories.", ge=1, le=100_000
    )
    levels: int = param(4, "Morris grid levels.", ge=2, le=100)
    replications: int = param(1, "Replications of every point.", ge=1, le=1_000)
    days: int | None = param(
        None, "Measured window per run, in days (default: the base scenario's).", ge=1, le=3650
    )
    warmup_days: int | None = param(
        None, "Warm-up per run, in days (default: the base scenario's).", ge=0, le=3650
    )
    seed: int = param(1, "Root seed.", ge=0)
    tables: bool = param(
        True,
        "Store every run's tables (orders, events, queue, sellers) beside its figures; "
        "false keeps the figures only, which is all a sweep's results, sensitivity, "
        "discovery, explorer and report read: hundreds of runs then write a fraction of "
        "the data and run about a third faster, but `trace`, `export` and `query` have no "
        "tables to read.",
    )
    parameters: list[Parameter] = Field(min_length=1)

    @model_validator(mode="after")
    def _ranges_fit_the_method(self) -> Study:
        from sim.measures.metrics import ALL_FIGURES

        unknown = [f for f in self.figures if f not in ALL_FIGURES]
        if unknown:
            raise ValueError(f"figures: unknown figure '{unknown[0]}'")
        keys = [p.key for p in self.parameters]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"parameter '{twice[0]}' is given twice")
        for p in self.parameters:
            if p.categorical and self.method != "grid":
                raise ValueError(
                    f"parameter '{p.key}': named values ({', '.join(map(str, p.values or []))})"
                    f" can only be swept in a grid, not by {self.method}"
                )
            if p.values is not None and len(set(p.values)) != len(p.values):
                raise ValueError(f"parameter '{p.key}': values repeat (each point would run twice)")
            if self.method == "grid" and not p.values:
                raise ValueError(f"parameter '{p.key}': a grid needs values = [...]")
            if self.method != "grid" and (p.low is None or p.high is None or p.low >= p.high):
                raise ValueError(f"parameter '{p.key}': {self.method} needs low < high")
            if p.integer and self.method != "grid":
                _check_whole_range(p, self.method, self.levels)
        return self

    def measured(self, base: Scenario) -> Scenario:
        """The base scenario with this study's window and warm-up, where it gives them."""
        return base.with_run(days=self.days, warmup_days=self.warmup_days)

    def problem(self) -> dict[str, Any]:
        """The SALib problem definition of the parameters."""
        return {
            "num_vars": len(self.parameters),
            "names": [p.key for p in self.parameters],
            "bounds": [[p.low, p.high] for p in self.parameters],
        }

    def design(self) -> list[dict[str, Value]]:
        """The points to run, as {key: value}, in the sampler's order."""
        if self.method == "grid":
            grids = [p.values or [] for p in self.parameters]
            rows = [list(values) for values in itertools.product(*grids)]
        elif self.method == "lhs":
            from scipy.stats import qmc

            unit = qmc.LatinHypercube(d=len(self.parameters), seed=self.seed).random(self.samples)
            lows = [p.low for p in self.parameters]
            highs = [p.high for p in self.parameters]
            rows = qmc.scale(unit, lows, highs).tolist()
        elif self.method == "sobol":
            from SALib.sample import sobol

            rows = sobol.sample(
                self.problem(), self.samples, calc_second_order=False, seed=self.seed
            ).tolist()
        else:
            from SALib.sample import morris

            rows = morris.sample(
                self.problem(), self.samples, num_levels=self.levels, seed=self.seed
            ).tolist()
        whole = self.method in ("lhs", "sobol")  # sampled on a continuum: spread to integers
        return [
            {p.key: _typed(p, v, whole) for p, v in zip(self.parameters, row, strict=True)}
            for row in rows
        ]


def _typed(parameter: Parameter, value: Value, continuum: bool = False) -> Value:
    """A design value as the table keeps it: a name as it is, a number as a float. An
    integer parameter sampled on its continuous range [low, high] is mapped onto the
    whole numbers low..high, each given an equal share of the range (plain rounding would
    give both ends half a share)."""
    if parameter.categorical:
        return value
    number = float(value)
    if not parameter.integer:
        return number
    if continuum and parameter.low is not None and parameter.high is not None:
        low, high = parameter.low, parameter.high
        share = (number - low) / (high - low)
        return float(min(high, low + math.floor(share * (high - low + 1))))
    return float(round(number))


def _check_whole_range(parameter: Parameter, method: str, levels: int) -> None:
    """An integer parameter needs whole ends, and Morris a grid of whole numbers, so that
    every point runs exactly the value the design records."""
    low, high = parameter.low, parameter.high
    assert low is not None and high is not None
    if not (float(low).is_integer() and float(high).is_integer()):
        raise ValueError(
            f"parameter '{parameter.key}': a whole-number parameter needs whole low and high, "
            f"got {low:g} and {high:g}"
        )
    if method == "morris" and (high - low) % (levels - 1):
        fitting = [n for n in range(2, 12) if (high - low) % (n - 1) == 0]
        raise ValueError(
            f"parameter '{parameter.key}': Morris with levels = {levels} would sample "
            f"{low + (high - low) / (levels - 1):g} between {low:g} and {high:g}, not a whole "
            f"number; choose levels so that levels - 1 divides {high - low:g} "
            f"(e.g. {', '.join(map(str, fitting[:4]))})"
        )


def is_study(path: Path) -> bool:
    """Whether a TOML file is a study (it has a [study] table) rather than a scenario."""
    return has_table(path, "study")


def load_study(path: str | Path) -> tuple[Study, Scenario]:
    """Read a study file and its base scenario."""
    path = Path(path)
    data = read_toml(path, StudyError)
    unknown = [key for key in data if key not in ("study", "parameters")]
    if unknown:
        raise StudyError(f"{path}: unknown section '{unknown[0]}' (expected study, parameters)")
    try:
        study = Study.model_validate(
            {**data.get("study", {}), "parameters": data.get("parameters", [])}
        )
    except ValidationError as err:
        raise StudyError(f"{path}: {describe(err, STUDY_HEADER)}") from None
    base = load_scenario(path.parent / study.scenario)
    study = _whole_where_the_scenario_is(study, base, path)
    try:
        study.design()
    except Exception as err:  # SALib and scipy say why a design is impossible
        raise StudyError(
            f"{path}: the {study.method} sampler cannot take this design: {err}"
        ) from None
    for parameter in study.parameters:  # every key and every value must be usable
        probes = parameter.values if parameter.values else [parameter.low, parameter.high]
        for probe in probes:
            assert probe is not None  # Parameter's validator asks for values or a range
            apply_parameters(base, {parameter.key: probe}, source=str(path))
    return study, base


STUDY_HEADER = {name: "study" for name in Study.model_fields if name != "parameters"}
"""The fields of a study written under its [study] table (for error messages)."""


def _whole_where_the_scenario_is(study: Study, base: Scenario, path: Path) -> Study:
    """The study with `integer` set on every parameter whose key holds a whole number in
    the scenario (the run could only round it), validated again."""
    data = base.model_dump()
    whole = [p for p in study.parameters if not p.integer and holds_whole_number(data, p.key)]
    if not whole:
        return study
    parameters = [
        p.model_copy(update={"integer": True}) if p in whole else p for p in study.parameters
    ]
    try:
        return Study.model_validate({**study.model_dump(), "parameters": parameters})
    except ValidationError as err:
        raise StudyError(f"{path}: {describe(err, STUDY_HEADER)}") from None


def holds_whole_number(data: dict[str, Any], key: str) -> bool:
    parts = key.split(".")
    if len(parts) != 2 or parts[0] not in ("policy", "market", "team", "run"):
        return False
    current = data.get(parts[0], {}).get(parts[1])
    return isinstance(current, int) and not isinstance(current, bool)


def read_parameter(scenario: Scenario, key: str) -> Value:
    """The value a dotted key holds in `scenario`: what a run of it uses (a swept value
    after the scenario's own coercions), for recording beside its results."""
    data = scenario.model_dump()
    parts = key.split(".")
    if parts[0] in ("sellers", "buyers"):
        profile = next(p for p in data[parts[0]] if p["name"] == parts[1])
        value = profile[parts[2]]
    else:
        value = data[parts[0]][parts[1]]
    return value if isinstance(value, bool | str) else float(value)


def apply_parameters(
    scenario: Scenario, values: Mapping[str, Value], source: str = "study"
) -> Scenario:
    """A copy of `scenario` with each dotted key set; shares of a profile mix are
    rescaled so that they still add up to 1."""
    data = scenario.model_dump()
    for key, value in values.items():
        _set(data, key, value, source)
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise StudyError(f"{source}: parameters {values}: {describe(err)}") from None


def _set(data: dict[str, Any], key: str, value: Value, source: str) -> None:
    parts = key.split(".")
    if parts[0] in ("sellers", "buyers") and len(parts) == 3:
        profiles = data[parts[0]]
        match = [p for p in profiles if p["name"] == parts[1]]
        if not match or parts[2] not in match[0]:
            raise StudyError(f"{source}: parameter '{key}': no such profile field")
        if parts[2] == "share":
            if isinstance(value, bool | str):
                raise StudyError(f"{source}: parameter '{key}': a share must be a number")
            _rescale_shares(profiles, match[0], value, key, source)
        else:
            match[0][parts[2]] = value
        return
    if parts[0] not in ("policy", "market", "team", "run") or len(parts) != 2:
        raise StudyError(
            f"{source}: parameter '{key}': expected policy.*, market.*, team.*, "
            "sellers.NAME.* or buyers.NAME.*"
        )
    section = data[parts[0]]
    if parts[1] not in section:
        raise StudyError(f"{source}: parameter '{key}': no such key in [{parts[0]}]")
    current = section[parts[1]]
    whole = isinstance(current, int) and not isinstance(current, bool)
    if whole and isinstance(value, float | int) and not isinstance(value, bool):
        value = round(value)
    section[parts[1]] = value


def _rescale_shares(
    profiles: list[dict[str, Any]], chosen: dict[str, Any], value: float, key: str, source: str
) -> None:
    if not 0 <= value <= 1:
        raise StudyError(f"{source}: parameter '{key}': a share must be between 0 and 1")
    others = [p for p in profiles if p is not chosen]
    rest = sum(p["share"] for p in others)
    chosen["share"] = value
    for p in others:
        p["share"] = (1 - value) * (p["share"] / rest if rest else 1 / len(others))
