"""What `disputesim fit` found, shaped once: the lines it prints, the JSON it keeps, and the
fit report (HTML with its figures: each race's fit against its Kaplan-Meier curve, the
arrivals, how the cases conformed to the machine)."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.fitting.fit import NOT_IN_A_LOG, LogFit
from sim.fitting.replay import STATUSES
from sim.views.embed import embedded

CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #111;
       line-height: 1.45; padding: 0 1em; }
h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.figure img { max-width: 100%; } .muted { color: #555; font-size: 0.9em; }
"""


@dataclass(frozen=True)
class Fitted:
    """A log fitted: the fit, and what was written (the scenario, the record, the report)."""

    fit: LogFit
    folder: Path
    scenario: Path
    record: Path
    report: Path
    figures: list[Path]

    def lines(self) -> list[str]:
        return lines(self)

    def as_dict(self) -> dict[str, Any]:
        return {
            **record(self.fit),
            "scenario": str(self.scenario),
            "report": str(self.report),
            "figures": [str(p) for p in self.figures],
        }


def _number(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    return f"{value:.4g}"


def conformance(fit: LogFit) -> dict[str, Any]:
    """How the cases replayed: counts by status, the commonest deviations with an example."""
    replay = fit.replay
    return {
        "cases": replay.frame.n_cases,
        "events": replay.frame.size,
        "statuses": replay.counts,
        "fit_share": float(replay.replayed.mean()) if replay.frame.n_cases else 0.0,
        "deviations": [
            {"what": what, "cases": n, "example": case} for what, n, case in replay.deviations()
        ],
        "policy": fit.base.preset,
    }


def record(fit: LogFit) -> dict[str, Any]:
    """Everything fitted, in plain JSON types."""
    return {
        "log": str(fit.replay.frame.path),
        "conformance": conformance(fit),
        "estimates": [
            {
                "key": e.key,
                "value": e.value,
                "low": _nan(e.low),
                "high": _nan(e.high),
                "observations": e.n,
                "censored": _nan(e.censored),
                "what": e.what,
            }
            for e in fit.estimates
        ],
        "races": {
            name: {
                "family": race.best.family,
                "shape": race.best.shape,
                "scale": race.best.scale,
                "never_act": race.best.cure,
                "observations": race.sample.size,
                "seen": race.sample.seen,
                "lever": race.race.lever,
                "naive": {
                    "family": race.naive.family,
                    "shape": race.naive.shape,
                    "scale": race.naive.scale,
                },
                "candidates": [
                    {"family": c.family, "never_act": c.cure, "aic": c.aic} for c in race.candidates
                ],
            }
            for name, race in fit.races.items()
        },
        "capacity": fit.capacity,
        "not_identified": [{"what": what, "why": why} for what, why in fit.unidentified]
        + [{"what": what, "why": why} for what, why in NOT_IN_A_LOG],
    }


def _nan(value: float) -> float | None:
    return None if math.isnan(value) else value


def lines(found: Fitted) -> list[str]:
    """What `disputesim fit` prints."""
    fit = found.fit
    c = conformance(fit)
    counts = ", ".join(f"{n:,} {status}" for status, n in c["statuses"].items() if n)
    out = [
        f"{fit.replay.frame.path}: {c['events']:,} events of {c['cases']:,} cases, replayed on "
        f"the machine under {c['policy']} (the policy the platform ran, given or default)",
        f"  conformance: {c['fit_share']:.1%} of the cases fit ({counts})",
    ]
    for deviation in c["deviations"][:5]:
        out.append(
            f"    {deviation['cases']:,} cases: {deviation['what']} "
            f"(e.g. case {deviation['example']})"
        )
    over = "sellers" if (fit.replay.frame.cases["seller"] >= 0).any() else "cases"
    out.append(f"  fitted (95% intervals, bootstrap over {over}):")
    for race_name, race in fit.races.items():
        best = race.best
        never = f", {best.cure:.1%} never act" if best.cure > 0 else ""
        median = next(
            (e for e in fit.estimates if e.key == f"fitted.delays.{race_name}.median"), None
        )
        interval = f" [{_number(median.low)}, {_number(median.high)}]" if median else ""
        middle = _number(median.value) if median else "n/a"
        within = next(
            (e for e in fit.estimates if e.key == f"fitted.delays.{race_name}.by_deadline"), None
        )
        deadline = (
            f", {within.value:.1%} [{within.low:.1%}, {within.high:.1%}] within {race.race.lever}"
            if within is not None
            else ""
        )
        out.append(
            f"    {race_name:<20} {best.family:<12} median {middle}"
            f"{interval} {race.race.unit}{never}{deadline}; {race.sample.size:,} observed, "
            f"{1 - race.sample.seen / race.sample.size:.0%} censored"
        )
    for e in fit.estimates:
        if e.key.startswith("fitted."):
            continue
        out.append(f"    {e.key:<40} {_number(e.value)} [{_number(e.low)}, {_number(e.high)}]")
    out.append(
        f"  not identified by the log ({len(fit.unidentified)}; kept as in the base "
        "scenario, listed in the scenario file and the report)"
    )
    out.append(f"written: {found.scenario}, {found.record}, {found.report}")
    return out


def html_report(found: Fitted) -> str:
    """The fit report: conformance, every estimate with its interval and source, what the
    log could not identify, and the figures."""
    fit = found.fit
    c = conformance(fit)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>Fit of {html.escape(fit.replay.frame.path.name)}</title><style>{CSS}</style>",
        f"</head><body><h1>A world fitted from {html.escape(fit.replay.frame.path.name)}</h1>",
        f"<p>{c['events']:,} events of {c['cases']:,} cases, replayed on the machine under "
        f"<b>{html.escape(c['policy'])}</b>. The fitted scenario: "
        f"<code>{html.escape(str(found.scenario))}</code>.</p>",
        "<h2>Conformance</h2>",
        "<table><tr><th>cases</th><th class='num'>count</th></tr>",
    ]
    for status in STATUSES:
        parts.append(f"<tr><td>{status}</td><td class='num'>{c['statuses'][status]:,}</td></tr>")
    parts.append("</table>")
    if c["deviations"]:
        parts.append("<table><tr><th>deviation</th><th class='num'>cases</th><th>example</th></tr>")
        for d in c["deviations"]:
            parts.append(
                f"<tr><td>{html.escape(d['what'])}</td><td class='num'>{d['cases']:,}"
                f"</td><td>{html.escape(d['example'])}</td></tr>"
            )
        parts.append("</table>")
    parts.append(
        "<h2>Fitted</h2><p class='muted'>Each race is fitted by censored likelihood: "
        "an actor who had not acted when a deadline (or anything else) ended the race "
        "is a censored observation. The naive fit leaves the censored out.</p>"
    )
    parts.append(
        "<table><tr><th>parameter</th><th class='num'>value</th><th class='num'>95% "
        "interval</th><th class='num'>observed</th><th class='num'>censored</th>"
        "<th>what</th></tr>"
    )
    for e in fit.estimates:
        censored = "" if math.isnan(e.censored) else f"{e.censored:.0%}"
        parts.append(
            f"<tr><td>{html.escape(e.key)}</td><td class='num'>{_number(e.value)}</td>"
            f"<td class='num'>[{_number(e.low)}, {_number(e.high)}]</td>"
            f"<td class='num'>{e.n:,}</td><td class='num'>{censored}</td>"
            f"<td>{html.escape(e.what)}</td></tr>"
        )
    parts.append("</table><h2>Not identified by the log</h2><ul>")
    for what, why in [*fit.unidentified, *NOT_IN_A_LOG]:
        parts.append(f"<li><b>{html.escape(what)}</b>: {html.escape(why)}</li>")
    parts.append("</ul><h2>Figures</h2>")
    for png in [p for p in found.figures if p.suffix == ".png"]:
        parts.append(embedded(png, png.stem))
    parts.append("</body></html>")
    return "\n".join(parts)
