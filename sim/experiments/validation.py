"""Targets beside the simulation: each published figure, the simulated estimate, and
whether the estimate lies in the published range (used by `calibrate` and `report`)."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

from sim.experiments.stats import Estimate, estimate
from sim.experiments.targets import Target, TargetsFile
from sim.measures.metrics import ALL_FIGURES
from sim.shipped import shipped

# The targets the shipped baseline was calibrated against, shown in every report.
SHIPPED_TARGETS = shipped("targets/aliexpress.toml")


@dataclass(frozen=True)
class Check:
    """One target and its simulated estimate."""

    target: Target
    simulated: Estimate

    @property
    def inside(self) -> bool | None:
        """Whether the simulated mean is in the published range (None: nothing counted)."""
        if math.isnan(self.simulated.mean):
            return None
        return self.target.inside(self.simulated.mean)


def checks(targets: TargetsFile, summaries: list[dict[str, Any]]) -> list[Check]:
    """Every target beside the estimate over the replications in `summaries`."""
    found = []
    for target in targets.targets:
        values = [row.get(target.figure, math.nan) for row in summaries]
        bounds = ALL_FIGURES[target.figure].bounds
        found.append(Check(target, estimate([float(v) for v in values], bounds)))
    return found


def _number(value: float, unit: str) -> str:
    if math.isnan(value):
        return "n/a"
    return f"{value:.1f}" if unit == "days" else f"{value:.3f}"


def published(target: Target) -> str:
    """The published value and range, as a reader would write it."""
    unit = ALL_FIGURES[target.figure].unit
    if target.low is None and target.high is None:
        return _number(target.value, unit)
    return (
        f"{_number(target.value, unit)} "
        f"({_number(target.lower, unit)} to {_number(target.upper, unit)})"
    )


def simulated(check: Check) -> str:
    unit = ALL_FIGURES[check.target.figure].unit
    est = check.simulated
    if math.isnan(est.half_width):
        return _number(est.mean, unit)
    return f"{_number(est.mean, unit)} [{_number(est.low, unit)}, {_number(est.high, unit)}]"


def verdict(check: Check) -> str:
    return {True: "inside", False: "outside", None: "n/a"}[check.inside]


def markdown(found: list[Check]) -> str:
    """A Markdown table: figure, published, where from, simulated mean [95% CI], verdict."""
    lines = [
        "| figure | published | platform | simulated, mean [95% CI] | in range |",
        "|---|---|---|---|---|",
    ]
    for check in found:
        t = check.target
        platform = f"{t.platform} (proxy)" if t.proxy else t.platform
        lines.append(
            f"| {ALL_FIGURES[t.figure].label} (`{t.figure}`) | {published(t)} | {platform} "
            f"| {simulated(check)} | {verdict(check)} |"
        )
    return "\n".join(lines)


def html_table(names: list[str], per_point: list[list[Check]]) -> str:
    """The targets beside each point's estimate, for the HTML report (sources as tooltips)."""
    head = "".join(f"<th>{html.escape(name)}</th>" for name in names)
    rows = []
    for row, check in enumerate(per_point[0]):
        t = check.target
        platform = f"{t.platform} (proxy)" if t.proxy else t.platform
        cells = "".join(
            f"<td class='num'>{html.escape(simulated(point[row]))} ({verdict(point[row])})</td>"
            for point in per_point
        )
        rows.append(
            "<tr>"
            f"<th>{html.escape(ALL_FIGURES[t.figure].label)}</th>"
            f"<td class='num'>{html.escape(published(t))}</td>"
            f'<td title="{html.escape(t.source)}">{html.escape(platform)}</td>'
            f"<td>{'fitted' if t.fit else 'held out'}</td>{cells}"
            "</tr>"
        )
    header = f"<tr><th>figure</th><th>published</th><th>platform</th><th>role</th>{head}</tr>"
    return f"<table id='validation'>{header}{''.join(rows)}</table>"


def sweep_html_table(per_point: list[list[Check]]) -> str:
    """The targets beside a sweep's points: the range of their means, and how many of
    them lie in the published range."""
    rows = []
    for row, check in enumerate(per_point[0]):
        t = check.target
        unit = ALL_FIGURES[t.figure].unit
        means = [p[row].simulated.mean for p in per_point if not math.isnan(p[row].simulated.mean)]
        inside = sum(1 for p in per_point if p[row].inside)
        span = f"{_number(min(means), unit)} to {_number(max(means), unit)}" if means else "n/a"
        platform = f"{t.platform} (proxy)" if t.proxy else t.platform
        rows.append(
            "<tr>"
            f"<th>{html.escape(ALL_FIGURES[t.figure].label)}</th>"
            f"<td class='num'>{html.escape(published(t))}</td>"
            f'<td title="{html.escape(t.source)}">{html.escape(platform)}</td>'
            f"<td>{'fitted' if t.fit else 'held out'}</td>"
            f"<td class='num'>{html.escape(span)}</td>"
            f"<td class='num'>{inside} of {len(per_point)}</td>"
            "</tr>"
        )
    header = (
        "<tr><th>figure</th><th>published</th><th>platform</th><th>role</th>"
        "<th>points' means</th><th>points in range</th></tr>"
    )
    return f"<table id='validation'>{header}{''.join(rows)}</table>"
