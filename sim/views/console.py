"""What `run`, `compare` and `sweep` print: the figures in groups, each with its 95% CI
and unit, and a sweep's responses and most influential parameters, compactly.

A run prints its headline figures, then the disputes' and escalated cases' own figures,
a table by dispute reason and the money view in the scenario's currency; `--figure`
chooses figures instead. Every line is built here, so the README's printed blocks can be
checked against the code that prints them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.experiments.experiment import estimates
from sim.experiments.stats import Estimate
from sim.measures import money, segments
from sim.measures.metrics import ALL_FIGURES, FIGURES
from sim.views import formatting
from sim.views.responses import named_values, response

if TYPE_CHECKING:
    from pathlib import Path

    from sim.experiments.study import Study
    from sim.views.export import Run, Size
    from sim.views.found import Compared, Replicated
    from sim.views.studied import Calibrated, StudyRun, WarmedUp
    from sim.world.scenario import Scenario

LABEL_WIDTH = 50
VALUE_WIDTH = 22
REASON_COLUMNS = {"share": "of disputes", "refunded": "refunded", "escalated": "escalated",
                  "days_to_money": "days to money"}  # fmt: skip
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("", tuple(f.key for f in FIGURES)),
    ("disputes and escalated cases", tuple(f.key for f in segments.DISPUTE_FIGURES)),
    ("money ({currency} per 1,000 orders)", tuple(f.key for f in money.FIGURES)),
)
RUN_KEYS = [key for _, keys in SECTIONS for key in keys] + [f.key for f in segments.REASON_FIGURES]
COMPARE_KEYS = [key for _, keys in SECTIONS for key in keys]


def window_header(scenario: Scenario, summaries: list[dict[str, Any]], point: int = 0) -> str:
    """The window, the warm-up, and the orders and events per replication."""
    rows = [s for s in summaries if s["point"] == point]
    orders = sum(row["orders"] for row in rows) / max(len(rows), 1)
    events = sum(row["events"] for row in rows) / max(len(rows), 1)
    return (
        f"{scenario.window().describe()}; {orders:,.0f} orders in the window, "
        f"{events:,.0f} events per replication"
    )


def figure_line(key: str, est: Estimate, currency: str, label_width: int = LABEL_WIDTH) -> str:
    """`  label   mean ± half-width unit`, with a warning where the interval is unreliable."""
    shown = formatting.estimate(key, est)
    label = ALL_FIGURES[key].label
    return (
        f"  {label:<{label_width}}{shown:>{VALUE_WIDTH}}{formatting.suffix(key, currency)}"
        f"{formatting.warning(est)}"
    )


def run_lines(found: Replicated, figures: Sequence[str] | None = None) -> list[str]:
    """Everything `disputesim run` prints for one scenario."""
    scenario, summaries = found.scenario, found.summaries
    currency = scenario.market.currency
    shown = found.estimates(list(figures or RUN_KEYS))
    reps = f", {found.replications} replications (mean ± 95% CI)" if found.replications > 1 else ""
    lines = [
        f"{scenario.name}: seed {found.seed}{reps}", f"  {window_header(scenario, summaries)}"
    ]  # fmt: skip
    if found.precision is not None:
        headline = estimates(summaries, 0)
        lines.append(f"  {formatting.precision_note(headline, found.precision)}")
    if figures:
        return lines + [figure_line(key, shown[key], currency) for key in figures]
    for title, keys in SECTIONS:
        if title:
            lines.append(title.format(currency=currency))
        lines += [figure_line(key, shown[key], currency) for key in keys]
    return lines + reason_table(shown) + reserve_note(summaries)


def reserve_note(summaries: Sequence[dict[str, Any]]) -> list[str]:
    """One line if sellers who would have entered found their profile's reserve used up in
    any replication: entries stopped there, which the figures alone would not say."""
    short = [float(s.get("sellers_short_of_reserve", math.nan)) for s in summaries]
    ran_out = [value for value in short if value > 0]
    if not ran_out:
        return []
    return [
        f"note: the reserve of sellers who may enter ran out in {len(ran_out)} of {len(short)} "
        f"runs, keeping out up to {max(ran_out):.1%} of the sellers at the window's start; "
        "raise population.adaptation.sellers.reserve"
    ]


def reason_table(found: dict[str, Estimate]) -> list[str]:
    """One row per dispute reason: its share of disputes, refunded, escalated, and the
    median days to money (means over replications; their CIs are in --json and reports)."""
    head = "".join(f"{title:>15}" for title in REASON_COLUMNS.values())
    lines = [f"by dispute reason (means){' ' * 8}{head}"]
    for reason in segments.REASONS:
        cells = "".join(
            f"{formatting.compact(key, found[key].mean):>15}"
            for key in (segments.reason_key(reason, m) for m in REASON_COLUMNS)
        )
        lines.append(f"  {segments.REASON_LABELS[reason]:<31}{cells}")
    return lines


def compare_lines(found: Compared) -> list[str]:
    """Everything `disputesim compare` prints: each figure for every scenario, and the
    paired difference from the first with its 95% CI and whether it is significant."""
    scenarios = found.scenarios
    first = scenarios[0].name
    lines = [
        f"{found.replications} replications, seed {found.seed}, common random numbers; "
        f"differences are against {first} (95% CI)"
    ]
    for index, scenario in enumerate(scenarios):
        lines.append(f"  {scenario.name}: {window_header(scenario, found.summaries, index)}")
    lines += fitted_header_lines(found)
    for v in found.values():
        est, shown = v.estimate, formatting.estimate(v.figure, v.estimate)
        if v.difference is None:  # the first scenario: the figure's heading, then its value
            unit = formatting.unit_name(v.figure, found.currency)
            lines.append(ALL_FIGURES[v.figure].label + (f" ({unit})" if unit else ""))
            lines.append(f"  {v.scenario:<40}{shown:>{VALUE_WIDTH}}{formatting.warning(est)}")
            continue
        mark = formatting.verdict(v.figure, v.difference)
        lines.append(
            f"  {v.scenario:<40}{shown:>{VALUE_WIDTH}}   "
            f"diff {' '.join(filter(None, (formatting.difference(v.figure, v.difference), mark)))}"
            f"{formatting.warning(est)}"
        )
    return (
        lines
        + short_and_long_lines(found)
        + other_timing_lines(found)
        + reserve_note(found.summaries)
    )


def fitted_header_lines(found: Compared) -> list[str]:
    """What a comparison of fitted scenarios assumed: the fit's uncertainty carried (or
    not) and the timing of the fitted delays when a deadline they raced moves."""
    if not found.timing:
        return []
    lines = []
    if found.fit_uncertainty is not None:
        lines.append(
            f"  with the fit's uncertainty: replication r runs the bootstrap parameter set r "
            f"of {found.fit_uncertainty}; each interval holds 95% of the runs (the data's "
            "uncertainty and the simulation's), not the confidence interval of their mean"
        )
    else:
        lines.append(
            "  the fitted numbers as point estimates (the fit's own uncertainty is not in "
            "these intervals: see --fit-uncertainty)"
        )
    if found.moved_levers:
        lines.append(
            f"  timing assumed: {found.timing} (the arms move {', '.join(found.moved_levers)}, "
            "which a fitted delay raced; one log cannot say how the actor's timing follows)"
        )
    return lines


def other_timing_lines(found: Compared) -> list[str]:
    """Each difference under the timing assumed beside the same under the other timing,
    so that a conclusion that rests on the assumption shows it."""
    other = found.other_timing
    if other is None or len(found.scenarios) < 2:
        return []
    lines = [
        f"under both timing assumptions (differences against {found.scenarios[0].name}, 95% CI):"
    ]
    theirs = {(v.figure, v.scenario): v for v in other.values()}
    for v in found.values():
        if v.difference is None:
            continue
        w = theirs[(v.figure, v.scenario)]
        assert w.difference is not None
        lines.append(
            f"  {ALL_FIGURES[v.figure].label}, {v.scenario}: "
            f"{found.timing} {formatting.difference(v.figure, v.difference)}; "
            f"{other.timing} {formatting.difference(w.figure, w.difference)}"
        )
    return lines


def short_and_long_lines(found: Compared) -> list[str]:
    """Each `X_short`/`X_long` pair compared: the effect in the first quarter beside the
    effect in the last, so a policy that looks good in month one and bad in year two says
    so ("reverses": both significant, of opposite signs)."""
    from sim.measures.adaptation import RUN_DAYS

    values = {(v.figure, v.scenario): v for v in found.values()}
    pairs = [f.removesuffix("_short") for f, _ in values if f.endswith("_short")]
    pairs = [k for k in dict.fromkeys(pairs) if (f"{k}_long", found.scenarios[0].name) in values]
    if not pairs or len(found.scenarios) < 2:
        return []
    lines = [
        f"short run (first {RUN_DAYS} days of the window) and long run (last {RUN_DAYS} "
        f"days), differences against {found.scenarios[0].name} (95% CI):"
    ]
    for key in pairs:
        lines.append(f"  {ALL_FIGURES[key + '_short'].label.removesuffix(', first quarter')}")
        for scenario in found.scenarios[1:]:
            short, long = (
                values[key + "_short", scenario.name],
                values[key + "_long", scenario.name],
            )
            cells, signs = [], set()
            for when, v in (("short", short), ("long", long)):
                assert v.difference is not None  # every scenario but the first has one
                mark = " significant" if v.significant else ""
                cells.append(f"{when} {formatting.difference(v.figure, v.difference)}{mark}")
                signs.add(np.sign(v.difference.mean))
            turn = "  reverses" if short.significant and long.significant and len(signs) > 1 else ""
            lines.append(f"    {scenario.name:<38}{cells[0]}   {cells[1]}{turn}")
    return lines


def one_currency(scenarios: Sequence[Scenario]) -> str:
    """The currency the scenarios share; money cannot be compared across currencies."""
    from sim.errors import UserError

    found = {s.market.currency for s in scenarios}
    if len(found) > 1:
        names = ", ".join(f"{s.name} in {s.market.currency}" for s in scenarios)
        raise UserError(f"the scenarios price in different currencies ({names}); compare "
                        "scenarios of one currency")  # fmt: skip
    return found.pop()


SHOWN_PARAMETERS = 3  # a sensitivity line names this many parameters, the largest first


def sweep_lines(
    study: Study,
    manifest: dict[str, Any],
    summaries: list[dict[str, Any]],
    sensitivity: list[dict[str, Any]],
    figures: Sequence[str],
    asked: bool,
) -> list[str]:
    """What `disputesim sweep` prints after its runs: for a grid or Latin hypercube, each
    figure's mean at each value of each parameter; for Sobol or Morris, each figure's
    most influential parameters (the responses too when figures are asked for)."""
    import pandas as pd

    table = pd.DataFrame(summaries)
    lines = []
    if study.method in ("grid", "lhs") or asked:
        lines.append(
            "mean at each value, other parameters averaged over "
            "(95% CIs: disputesim plot, report or threshold):"
        )
        for key in figures:
            lines.append(f"{ALL_FIGURES[key].label}{_unit_note(key, manifest)}")
            for parameter in (p.key for p in study.parameters):
                r = response(table, parameter, key, named_values(manifest, parameter))
                cells = "  ".join(
                    f"{label}: {formatting.compact(key, mean)}"
                    for label, mean in zip(r.labels, r.means, strict=True)
                )
                where = f"{parameter} (bins)" if r.binned else parameter
                lines.append(f"  {where:<34} {cells}")
    if sensitivity:
        lines += sensitivity_lines(sensitivity, figures, manifest)
    return lines


def sensitivity_lines(
    rows: list[dict[str, Any]], figures: Sequence[str], manifest: dict[str, Any]
) -> list[str]:
    """Each figure's parameters ranked by total Sobol index or Morris mu*, at most three."""
    sobol = any(row["index"] == "ST" for row in rows)
    index = "ST" if sobol else "mu_star"
    what = (
        "total Sobol index ST (share of the figure's variance)"
        if sobol
        else "Morris mu* (mean effect over the parameter's range, in the figure's unit; "
        "* where sigma > mu*: nonlinear or interacting)"
    )
    lines = [f"most influential parameters, by {what}:"]
    for key in figures:
        mine = [r for r in rows if r["figure"] == key and r["index"] == index]
        if not mine or not any(r["value"] for r in mine):
            lines.append(f"  {ALL_FIGURES[key].label:<46} no parameter moved it in this design")
            continue
        sigma = {r["parameter"]: r["value"] for r in rows
                 if r["figure"] == key and r["index"] == "sigma"}  # fmt: skip
        ranked = sorted(mine, key=lambda r: -abs(r["value"]))
        cells = []
        for row in ranked[:SHOWN_PARAMETERS]:
            value = f"{row['value']:.2f}" if sobol else effect(key, row["value"])
            interacting = "*" if sigma.get(row["parameter"], 0.0) > row["value"] else ""
            cells.append(f"{row['parameter']} {value}{interacting}")
        rest = len(ranked) - SHOWN_PARAMETERS
        more = f", {rest} more" if rest > 0 else ""
        lines.append(f"  {ALL_FIGURES[key].label:<46} {', '.join(cells)}{more}")
    return lines


def effect(key: str, size: float) -> str:
    """The size of an effect on a figure: a share's in percentage points."""
    shown = formatting.compact(key, size)
    return f"{shown[:-1]} pts" if shown.endswith("%") else shown


def _unit_note(key: str, manifest: dict[str, Any]) -> str:
    from sim.measures.money import currency_of

    unit = formatting.unit_name(key, currency_of(manifest["points"][0]["scenario"]))
    return f" ({unit})" if unit else ""


def study_lines(found: StudyRun, figures: Sequence[str], asked: bool) -> list[str]:
    """Everything `disputesim sweep` prints: what ran and where, the question, then the
    responses or the most influential parameters (sweep_lines)."""
    study, out = found.study, found.folder.path
    lines = [
        f"{study.name}: {len(found.swept.plan.points)} points x {study.replications} "
        f"replications ({study.method}) -> {out}/results.parquet"
    ]
    if study.question:
        lines.append(f"question: {study.question}")
    summaries, rows = found.swept.summaries, found.swept.sensitivity
    return lines + sweep_lines(study, found.manifest, summaries, rows, figures, asked)


def warmup_lines(found: WarmedUp, keep_season: bool) -> list[str]:
    """Everything `disputesim warmup` prints: the truncation of each series, a warning
    where one never settles, the advice and the figure."""
    from sim.experiments.warmup import DESCRIPTIONS

    analysis, scenario = found.analysis, found.scenario
    epoch = scenario.with_run(warmup_days=0, days=found.days).window().epoch
    season = "" if keep_season else ", without its sales season"
    lines = [
        f"{scenario.name}: {analysis.replications} replications of {found.days} days from an "
        f"empty marketplace{season}, starting {epoch.isoformat()}"
    ]
    for key, cut in analysis.truncation.items():
        drifting = "" if analysis.settled[key] else "  (still drifting: not settled)"
        lines.append(f"  MSER-5 truncation, {DESCRIPTIONS[key]:<44} day {cut}{drifting}")
    if not all(analysis.settled.values()):
        lines.append(
            "warning: a series never settles within the days run; the case team may be too "
            "small for its load, and its figures then grow with the window"
        )
    lines.append(
        f"recommended warm-up: {analysis.recommended} days (the longest, to a whole week); "
        f"the scenario has {scenario.run.warmup_days}"
    )
    return lines + ([f"figure: {found.figure}"] if found.figure else [])


def calibrate_lines(found: Calibrated) -> list[str]:
    """Everything `disputesim calibrate` prints: the best trial's values and each target
    beside its simulated estimate."""
    from sim.experiments import validation

    best = found.outcome.best
    lines = [
        f"{found.name}: {len(found.outcome.trials)} trials; best trial {best.number}, "
        f"loss {best.loss:.4g}"
    ]
    lines += [f"  {key:<40} {value:.4g}" for key, value in best.values.items()]
    for check in found.checks:
        role = "fit " if check.target.fit else "held"
        lines.append(
            f"  [{role}] {check.target.figure:<28} published {validation.published(check.target)}"
            f"  simulated {validation.simulated(check)}  {validation.verdict(check)}"
        )
    return [*lines, f"wrote {', '.join(str(path) for path in found.written)}"]


def export_start(runs: Sequence[Run], size: Size, target: Path) -> str:
    """What an export is about to write, said before the first byte."""
    count = f"{len(runs)} run{'s' if len(runs) != 1 else ''}"
    return f"writing {size.describe()}, from {count}, to {target}"
