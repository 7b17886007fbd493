"""What `run` and `compare` found, shaped once: the console's lines, the `--json` object
and the API's table all read the same rows, so the three can never disagree."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.experiments.experiment import Comparison, Precision, precise
from sim.experiments.experiment import estimates as point_estimates
from sim.experiments.stats import Estimate
from sim.measures.metrics import ALL_FIGURES
from sim.views import formatting
from sim.world.scenario import Scenario


def number(value: float) -> float | None:
    """A figure for JSON: NaN (nothing to count) becomes null."""
    return None if math.isnan(value) else value


def estimate_dict(est: Estimate) -> dict[str, Any]:
    """An estimate for JSON: its mean, 95% CI and replications."""
    return {"mean": number(est.mean), "ci": [number(est.low), number(est.high)],
            "replications": est.n}  # fmt: skip


def window_dict(scenario: Scenario) -> dict[str, Any]:
    """The measured window and warm-up of a scenario, for JSON."""
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
            **window_dict(self.scenario),
            "currency": self.scenario.market.currency,
            "replications": n,
            "orders": self.summaries[0]["orders"] if n == 1 else None,
            "orders_per_replication": number(sum(s["orders"] for s in self.summaries) / n),
            "events_per_replication": number(sum(s["events"] for s in self.summaries) / n),
        }
        if self.precision is not None:
            body["precision"] = {**self.precision.identity(), "reached": self.precision_reached()}
        for key, est in self.estimates(figures).items():
            body[key] = estimate_dict(est) if n > 1 else number(est.mean)
        return body


@dataclass(frozen=True)
class ComparedValue:
    """One figure for one scenario of a comparison: its estimate, and (for every scenario
    but the first) its paired difference from the first and whether that is significant
    as printed."""

    figure: str
    scenario: str
    estimate: Estimate
    difference: Estimate | None
    significant: bool


@dataclass(frozen=True)
class Compared:
    """What `disputesim compare` found: each figure for every scenario, and its paired
    difference from the first, on common random numbers."""

    scenarios: tuple[Scenario, ...]
    seed: int
    summaries: list[dict[str, Any]]
    comparisons: list[Comparison]
    fit_uncertainty: str | None = None  # the fit folder whose parameter sets were run
    moved_levers: tuple[str, ...] = ()  # deadlines a fitted delay raced that the arms move
    other_timing: Compared | None = None  # the same comparison under the other timing

    @property
    def replications(self) -> int:
        return len(self.summaries) // len(self.scenarios)

    @property
    def timing(self) -> str:
        """The timing assumption of the fitted scenarios compared ("" if none is fitted)."""
        found = {s.fitted.timing for s in self.scenarios if s.fitted.source}
        return found.pop() if len(found) == 1 else ("mixed" if found else "")

    @property
    def currency(self) -> str:
        return self.scenarios[0].market.currency

    def values(self) -> Iterator[ComparedValue]:
        """Every figure for every scenario, in the comparison's order: the one shape."""
        for c in self.comparisons:
            for index, (scenario, est) in enumerate(zip(self.scenarios, c.estimates, strict=True)):
                diff = c.differences[index - 1] if index else None
                significant = diff is not None and formatting.significant(c.figure, diff)
                yield ComparedValue(c.figure, scenario.name, est, diff, significant)

    def table(self) -> pd.DataFrame:
        """One row per figure and scenario: its mean and 95% CI, and its paired difference
        from the first scenario with its CI and whether it is significant."""
        rows = []
        for v in self.values():
            rows.append(
                {
                    "figure": v.figure,
                    "label": ALL_FIGURES[v.figure].label,
                    "unit": ALL_FIGURES[v.figure].unit,
                    "scenario": v.scenario,
                    "mean": v.estimate.mean,
                    "low": v.estimate.low,
                    "high": v.estimate.high,
                    "difference": v.difference.mean if v.difference else 0.0,
                    "difference_low": v.difference.low if v.difference else 0.0,
                    "difference_high": v.difference.high if v.difference else 0.0,
                    "significant": v.significant,
                }
            )
        return pd.DataFrame(rows)

    def as_dict(self) -> dict[str, Any]:
        """The comparison as one JSON-ready object (what `compare --json` prints)."""
        figures: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for v in self.values():
            entry = figures.setdefault(v.figure, {"values": [], "differences": []})
            entry["values"].append(estimate_dict(v.estimate))
            if v.difference is not None:
                entry["differences"].append(
                    {**estimate_dict(v.difference), "significant": v.significant}
                )
        return {
            "scenarios": [s.name for s in self.scenarios],
            "replications": self.replications,
            **window_dict(self.scenarios[0]),
            "currency": self.currency,
            "seed": self.seed,
            "figures": figures,
            **self._fitted_dict(),
        }

    def _fitted_dict(self) -> dict[str, Any]:
        """What a comparison of fitted scenarios adds: the fit whose uncertainty it carries,
        the timing it assumed, and the answer under the other timing."""
        found: dict[str, Any] = {}
        if self.fit_uncertainty is not None:
            found["fit_uncertainty"] = self.fit_uncertainty
        if self.timing:
            found["timing"] = self.timing
        if self.moved_levers:
            found["moved_levers"] = list(self.moved_levers)
        if self.other_timing is not None:
            found["other_timing"] = self.other_timing.as_dict()
        return found
