"""A targets file: published figures the simulation should match, and what may be tuned.

[calibration]
name = "aliexpress-baseline"
scenario = "../baseline.toml"     # relative to the targets file
replications = 2                  # per trial, on common random numbers
days = 120                        # window per trial (default: the scenario's)
seed = 7

[[targets]]
figure = "dispute_rate"           # a headline or detail figure (sim.measures.metrics)
value = 0.01
low = 0.005                       # the published range (default: the value itself)
high = 0.015
platform = "eBay"
proxy = true                      # a figure of another platform standing in
source = "C. Rule (2017): about 1% of eBay purchases end in a problem"
fit = true                        # false: held out of the fit, shown for validation

[[free]]
key = "sellers.*.not_as_described"   # study keys; `*` for every profile with scale
scale = true                         # a multiplier of the scenario's own values
low = 0.2
high = 3.0
"""

from __future__ import annotations

import math
from pathlib import Path

from pydantic import Field, ValidationError, model_validator

from sim.experiments.scenario import load_scenario
from sim.experiments.study import StudyError, apply_parameters
from sim.measures.metrics import ALL_FIGURES
from sim.tomlfile import has_table, read_toml
from sim.world.params import Params, describe, param
from sim.world.scenario import Scenario


class TargetsError(StudyError):
    """A targets file that cannot be used; one line naming the file and key."""


class Target(Params):
    """One published figure, where it comes from, and the simulated figure it constrains."""

    figure: str = param(..., "Simulated figure it constrains (`disputesim calibrate --help`).")
    value: float = param(..., "The published value (the centre of the fit).")
    low: float | None = param(None, "Lower end of the published range (default: value).")
    high: float | None = param(None, "Upper end of the published range (default: value).")
    platform: str = param(..., "Platform or body the figure describes.")
    proxy: bool = param(False, "Whether it is another platform's figure standing in.")
    source: str = param(..., "Where the figure was published.")
    fit: bool = param(True, "Fitted (true) or held out for validation (false).")
    weight: float = param(1.0, "Weight of this target in the fit's loss.", gt=0.0, le=100.0)

    @model_validator(mode="after")
    def _known_and_ordered(self) -> Target:
        if self.figure not in ALL_FIGURES:
            raise ValueError(
                f"unknown figure '{self.figure}' (expected one of: {', '.join(ALL_FIGURES)})"
            )
        if not self.lower <= self.value <= self.upper:
            raise ValueError(f"target '{self.figure}': expected low <= value <= high")
        return self

    @property
    def lower(self) -> float:
        return self.value if self.low is None else self.low

    @property
    def upper(self) -> float:
        return self.value if self.high is None else self.high

    def inside(self, simulated: float) -> bool:
        """Whether a simulated value lies in the published range."""
        return self.lower <= simulated <= self.upper

    def distance(self, simulated: float) -> float:
        """How far a simulated value is from the published one, in range widths (or in
        tenths of the value for a point target): the fit's loss adds their squares."""
        scale = self.upper - self.lower or 0.1 * abs(self.value) or 1.0
        if math.isnan(simulated):
            return 10.0  # a figure with nothing to count is far from any target
        return (simulated - self.value) / scale


class FreeParameter(Params):
    """A parameter the calibration may choose, within bounds."""

    key: str = param(..., "Study key (policy.*, market.*, team.*, sellers|buyers.NAME.*).")
    low: float = param(..., "Lowest value tried.")
    high: float = param(..., "Highest value tried.")
    scale: bool = param(False, "Multiply the scenario's own value(s) instead of setting one.")
    integer: bool = param(False, "Whole numbers only.")
    log: bool = param(False, "Search on a log scale (for ranges over orders of magnitude).")

    @model_validator(mode="after")
    def _a_range(self) -> FreeParameter:
        if not self.low < self.high:
            raise ValueError(f"free parameter '{self.key}': expected low < high")
        if self.log and self.low <= 0:
            raise ValueError(f"free parameter '{self.key}': a log scale needs low > 0")
        if "*" in self.key and not self.scale:
            raise ValueError(f"free parameter '{self.key}': '*' needs scale = true")
        return self


class Calibration(Params):
    """How each trial runs: the base scenario, replications, window and seed."""

    name: str = param("calibration", "Short name.")
    scenario: str = param(..., "Base scenario, relative to the targets file.")
    replications: int = param(2, "Replications per trial (common random numbers).", ge=1, le=100)
    days: int | None = param(None, "Window per trial (default: the scenario's).", ge=1, le=3650)
    warmup_days: int | None = param(None, "Warm-up per trial (default: the scenario's).", ge=0)
    seed: int = param(1, "Root seed of every trial's replications.", ge=0)
    trials: int = param(40, "Trials of the optimiser (--trials overrides).", ge=1, le=100_000)


class TargetsFile(Params):
    """A parsed targets file."""

    calibration: Calibration
    targets: list[Target] = Field(min_length=1)
    free: list[FreeParameter] = Field(default_factory=list)

    @model_validator(mode="after")
    def _distinct(self) -> TargetsFile:
        for name, keys in (
            ("free parameter", [f.key for f in self.free]),
            ("target", [t.figure for t in self.targets]),
        ):
            seen = {k for k in keys if keys.count(k) > 1}
            if seen:
                raise ValueError(f"{name} '{sorted(seen)[0]}' is given twice")
        if self.free and not any(t.fit for t in self.targets):
            raise ValueError("free parameters need at least one target with fit = true")
        return self

    @property
    def fitted(self) -> list[Target]:
        return [t for t in self.targets if t.fit]

    @property
    def held_out(self) -> list[Target]:
        return [t for t in self.targets if not t.fit]

    def loss(self, means: dict[str, float]) -> float:
        """The fit's loss: the weighted sum of squared distances of the fitted targets."""
        return float(sum(t.weight * t.distance(means[t.figure]) ** 2 for t in self.fitted))


def is_targets(path: Path) -> bool:
    """Whether a TOML file is a targets file (it has a [calibration] table)."""
    return has_table(path, "calibration")


def load_targets(path: str | Path) -> tuple[TargetsFile, Scenario]:
    """Read a targets file and its base scenario, checking every free key applies."""
    path = Path(path)
    data = read_toml(path, TargetsError)
    unknown = [key for key in data if key not in ("calibration", "targets", "free")]
    if unknown:
        raise TargetsError(
            f"{path}: unknown section '{unknown[0]}' (expected calibration, targets, free)"
        )
    try:
        targets = TargetsFile.model_validate(data)
    except ValidationError as err:
        raise TargetsError(f"{path}: {describe(err)}") from None
    base = load_scenario(path.parent / targets.calibration.scenario)
    for free in targets.free:  # every key must address something real, at both ends
        for value in (free.low, free.high):
            with_values(base, targets.free, {free.key: value}, source=str(path))
    return targets, base


def expand(base: Scenario, free: list[FreeParameter], values: dict[str, float]) -> dict[str, float]:
    """Concrete study keys for chosen values: a scaled key multiplies the scenario's own
    value in every profile it names (a probability stays at most 1)."""
    by_key = {f.key: f for f in free}
    concrete: dict[str, float] = {}
    for key, value in values.items():
        spec = by_key[key]
        if spec.integer:
            value = float(round(value))
        if not spec.scale:
            concrete[key] = value
            continue
        for name, current, ceiling in _addressed(base, key):
            concrete[f"{key.split('.')[0]}.{name}.{key.split('.')[2]}" if name else key] = min(
                current * value, ceiling
            )
    return concrete


def _addressed(base: Scenario, key: str) -> list[tuple[str | None, float, float]]:
    """(profile name or None, current value, largest allowed) of each field a key names."""
    parts = key.split(".")
    if parts[0] in ("sellers", "buyers") and len(parts) == 3:
        profiles = getattr(base, parts[0])
        chosen = [p for p in profiles if parts[1] in ("*", p.name)]
        if not chosen or parts[2] not in type(profiles[0]).model_fields or parts[2] == "share":
            raise TargetsError(f"free parameter '{key}': no such profile field to scale")
        return [(p.name, float(getattr(p, parts[2])), _ceiling(p, parts[2])) for p in chosen]
    if len(parts) == 2 and parts[0] in ("policy", "market", "team"):
        section = getattr(base, parts[0])
        if parts[1] not in type(section).model_fields:
            raise TargetsError(f"free parameter '{key}': no such key in [{parts[0]}]")
        return [(None, float(getattr(section, parts[1])), _ceiling(section, parts[1]))]
    raise TargetsError(
        f"free parameter '{key}': a scaled key is market.*, team.*, policy.* or "
        "sellers|buyers.NAME|*.FIELD"
    )


def _ceiling(block: Params, field: str) -> float:
    """The field's upper bound (`le`), or infinity."""
    for rule in type(block).model_fields[field].metadata:
        if hasattr(rule, "le"):
            return float(rule.le)
    return math.inf


def with_values(
    base: Scenario, free: list[FreeParameter], values: dict[str, float], source: str
) -> Scenario:
    """The base scenario with the chosen values of the free parameters applied."""
    return apply_parameters(base, expand(base, free, values), source=source)
