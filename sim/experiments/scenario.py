"""Scenarios: a TOML file holding a policy (preset plus overrides), the market, the
behaviour profiles, the case team and the run settings.

Unknown keys are refused and every error is one line naming the file, the key and what
was expected. Nothing in a scenario can run code: it is parsed as data, never evaluated.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from machine.policy import Policy, PolicyError
from machine.presets import DEFAULT_PRESET, PRESETS
from sim.errors import UserError
from sim.tomlfile import read_toml
from sim.world.market import Market
from sim.world.params import Params, param
from sim.world.profiles import BuyerProfile, SellerProfile, default_buyers, default_sellers
from sim.world.team import CaseTeam
from sim.world.window import Window

DEFAULT_DAYS = 365
SECTIONS = ("scenario", "policy", "market", "sellers", "buyers", "team", "run")


class ScenarioError(UserError):
    """A scenario file that cannot be used; the message is one line naming file and key."""


class RunSettings(Params):
    """What a run measures, and from which seed (see `sim.world.window`).

    The window is `days` from `start`, or a named `period`; `warmup_days` are simulated
    before it from an empty marketplace and not measured.
    """

    start: dt.date = param(
        dt.date(2026, 11, 1),
        "First calendar day of the measured window (by default the sales season's first day, "
        "so that a year's window holds one whole season and the warm-up before it is "
        "off-peak).",
    )
    days: int | None = param(
        None,
        "Length of the measured window in days (default 365; not with period).",
        ge=1,
        le=3650,
    )
    period: Literal["peak"] | None = param(
        None,
        "A named window instead of days: 'peak' is the market's sales season that starts "
        "in the year of start.",
    )
    warmup_days: int = param(
        56,
        "Days simulated before the window, from an empty marketplace, and not measured "
        "(choose it with `disputesim warmup`).",
        ge=0,
        le=3650,
    )
    seed: int = param(20_261_121, "Root seed: the same seed gives the same tables.", ge=0)
    replications: int = param(1, "Independent replications.", ge=1, le=10_000)

    @model_validator(mode="after")
    def _one_way_to_say_the_length(self) -> RunSettings:
        if self.period is not None and self.days is not None:
            raise ValueError("give either days or period, not both")
        return self


class Scenario(Params):
    """Everything one simulated world needs, validated."""

    name: str = param("unnamed", "Short name used in tables and file names.")
    question: str = param("", "The question this scenario answers.")
    figures: tuple[str, ...] = param(
        (), "The figures the question is about (a report's answers; default: the headline)."
    )
    preset: str = param(DEFAULT_PRESET, "Policy preset the overrides apply to.")
    policy: Policy = Field(default_factory=Policy)
    market: Market = Field(default_factory=Market)
    sellers: tuple[SellerProfile, ...] = Field(default_factory=default_sellers)
    buyers: tuple[BuyerProfile, ...] = Field(default_factory=default_buyers)
    team: CaseTeam = Field(default_factory=CaseTeam)
    run: RunSettings = Field(default_factory=RunSettings)

    @model_validator(mode="after")
    def _figures_are_known(self) -> Scenario:
        from sim.views.metrics import ALL_FIGURES

        unknown = [key for key in self.figures if key not in ALL_FIGURES]
        if unknown:
            raise ValueError(
                f"key 'scenario.figures': unknown figure '{unknown[0]}' "
                "(see docs/model.md, section 7)"
            )
        return self

    @model_validator(mode="after")
    def _profile_shares_sum_to_one(self) -> Scenario:
        for kind, profiles in (("sellers", self.sellers), ("buyers", self.buyers)):
            total = sum(profile.share for profile in profiles)
            if not profiles or abs(total - 1.0) > 1e-6:
                raise ValueError(f"{kind}: shares must add up to 1, got {total:g}")
        return self

    def window(self) -> Window:
        """The calendar this scenario's runs measure."""
        run, market = self.run, self.market
        if run.period == "peak":
            start = dt.date.fromisoformat(f"{run.start.year}-{market.peak_start}")
            end = dt.date.fromisoformat(f"{run.start.year}-{market.peak_end}")
            if end < start:  # a season over the new year
                end = end.replace(year=end.year + 1)
            return Window(start, (end - start).days + 1, run.warmup_days)
        return Window(run.start, run.days or DEFAULT_DAYS, run.warmup_days)

    def with_run(self, **changes: Any) -> Scenario:
        """A copy with some run settings changed (from the command line)."""
        update = {k: v for k, v in changes.items() if v is not None}
        if update.get("days") is not None:
            update["period"] = None  # a length given on the command line replaces a period
        settings = self.run.model_copy(update=update)
        try:
            checked = RunSettings.model_validate(settings.model_dump())
        except ValidationError as err:
            raise ScenarioError(f"{self.name}: run settings: {describe(err)}") from None
        return self.model_copy(update={"run": checked})


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raise `ScenarioError` with one clear line."""
    path = Path(path)
    data = read_toml(path, ScenarioError)
    return scenario_from_dict(data, source=str(path))


def scenario_from_dict(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate an already-parsed scenario; errors name `source` and the key."""
    unknown = [key for key in data if key not in SECTIONS]
    if unknown:
        raise ScenarioError(
            f"{source}: unknown section '{unknown[0]}' (expected one of: {', '.join(SECTIONS)})"
        )
    for key in SECTIONS:
        if key in data and key not in ("sellers", "buyers") and not isinstance(data[key], dict):
            raise ScenarioError(f"{source}: key '{key}': expected a table [{key}]")
    header = dict(data.get("scenario", {}))
    extra = [key for key in header if key not in ("name", "question", "figures")]
    if extra:
        raise ScenarioError(
            f"{source}: unknown key 'scenario.{extra[0]}' (expected name, question, figures)"
        )
    name = header.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(
            f"{source}: key 'scenario.name': required, a non-empty string "
            '(a scenario file starts with [scenario] and name = "...")'
        )
    preset_name, policy = _policy(data.get("policy", {}), source)
    fields: dict[str, Any] = {**header, "preset": preset_name, "policy": policy}
    for key in ("market", "team", "run"):
        if key in data:
            fields[key] = data[key]
    for key, defaults in (("sellers", default_sellers()), ("buyers", default_buyers())):
        if key in data:
            fields[key] = _profiles(data[key], defaults, key, source)
    try:
        return Scenario.model_validate(fields)
    except ValidationError as err:
        header = dict.fromkeys(HEADER_KEYS, "scenario")
        raise ScenarioError(f"{source}: {describe(err, header)}") from None


def _profiles(section: Any, defaults: tuple[Any, ...], key: str, source: str) -> Any:
    """`[[sellers]]` replaces the mix; `[sellers.NAME]` changes fields of a default profile."""
    if isinstance(section, list):
        return section
    if not isinstance(section, dict):
        raise ScenarioError(f"{source}: key '{key}': expected [[{key}]] or [{key}.NAME] tables")
    names = [profile.name for profile in defaults]
    for name, changes in section.items():
        if name not in names:
            raise ScenarioError(
                f"{source}: unknown profile '{key}.{name}' (expected one of: {', '.join(names)})"
            )
        if not isinstance(changes, dict):
            raise ScenarioError(f"{source}: key '{key}.{name}': expected a table [{key}.{name}]")
    return [{**profile.model_dump(), **section.get(profile.name, {})} for profile in defaults]


def _policy(section: dict[str, Any], source: str) -> tuple[str, Policy]:
    levers = dict(section)
    preset_name = levers.pop("preset", DEFAULT_PRESET)
    if not isinstance(preset_name, str) or preset_name not in PRESETS:
        raise ScenarioError(
            f"{source}: key 'policy.preset': expected one of {', '.join(PRESETS)}, "
            f"got {preset_name!r}"
        )
    try:
        return preset_name, Policy.create(**{**PRESETS[preset_name].levers, **levers})
    except PolicyError as err:
        raise ScenarioError(f"{source}: {err}") from None


HEADER_KEYS = ("name", "question", "figures")  # written under [scenario] in a file


def describe(err: ValidationError, tables: dict[str, str] | None = None) -> str:
    """The first validation problem as `key 'a.b': expected ..., got ...`; `tables` names
    the file's table of top-level fields (`name` is written under `[scenario]`)."""
    first = err.errors()[0]
    loc = [str(part) for part in first["loc"]]
    if loc and loc[0] in (tables or {}):
        loc.insert(0, (tables or {})[loc[0]])
    key = ".".join(loc)
    if first["type"] == "extra_forbidden":
        return f"unknown key '{key}'"
    if first["type"] == "missing":
        return f"key '{key}': required but missing"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"].startswith("value_error") or first["type"] == "assertion_error":
        return f"key '{key}': {message}" if key else message
    given = first.get("input")
    shown = repr(given) if not isinstance(given, dict | list) else type(given).__name__
    return f"key '{key}': {message[0].lower()}{message[1:]}, got {shown}"


def epoch_of(dumped: dict[str, Any]) -> dt.date:
    """Day 0 of a stored scenario (a manifest's `model_dump`): the warm-up's first day."""
    return Scenario.model_validate(dumped).window().epoch
