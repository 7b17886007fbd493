"""The scenario: everything one simulated world needs (a policy, the market, the
behaviour profiles, the case team and the run settings), validated. It is the world's
input; `sim.experiments.scenario` reads it from a TOML file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from machine.policy import Policy
from machine.presets import DEFAULT_PRESET
from sim.errors import UserError
from sim.world.behaviour.fitted import Fitted
from sim.world.behaviour.profiles import (
    BuyerProfile,
    SellerProfile,
    default_buyers,
    default_sellers,
)
from sim.world.behaviour.team import CaseTeam
from sim.world.market import Market
from sim.world.params import Params, describe, param
from sim.world.population.settings import Population
from sim.world.window import Window

DEFAULT_DAYS = 365


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
    standards: str = param(
        "none", "Seller-standards preset applied on top of it (machine.presets.STANDARDS)."
    )
    policy: Policy = Field(default_factory=Policy)
    market: Market = Field(default_factory=Market)
    sellers: tuple[SellerProfile, ...] = Field(default_factory=default_sellers)
    buyers: tuple[BuyerProfile, ...] = Field(default_factory=default_buyers)
    team: CaseTeam = Field(default_factory=CaseTeam)
    population: Population = Field(default_factory=Population)
    fitted: Fitted = Field(default_factory=Fitted)
    run: RunSettings = Field(default_factory=RunSettings)

    @model_validator(mode="after")
    def _profile_shares_sum_to_one(self) -> Scenario:
        for kind, profiles in (("sellers", self.sellers), ("buyers", self.buyers)):
            total = sum(profile.share for profile in profiles)
            if not profiles or abs(total - 1.0) > 1e-6:
                raise ValueError(f"{kind}: shares must add up to 1, got {total:g}")
        names = [profile.name for profile in self.sellers]
        for cohort in self.population.cohorts:
            if cohort.profile not in names:
                raise ValueError(
                    f"population.cohorts: unknown seller profile {cohort.profile!r} "
                    f"(profiles: {', '.join(names)})"
                )
        ceiling = self.population.adaptation.buyers.ceiling
        for profile in self.buyers:
            if self.population.adaptation.enabled and profile.false_claim > ceiling:
                raise ValueError(
                    f"population.adaptation.buyers.ceiling: {ceiling:g} is below buyers "
                    f"{profile.name!r} false_claim {profile.false_claim:g}; expected a "
                    "ceiling at least every profile's chance (learning would lower it)"
                )
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


def epoch_of(dumped: dict[str, Any]) -> dt.date:
    """Day 0 of a stored scenario (a manifest's `model_dump`): the warm-up's first day."""
    return Scenario.model_validate(dumped).window().epoch
