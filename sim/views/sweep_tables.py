"""A sweep's tables for the report, compact: each parameter's values against the chosen
figures (mean and 95% CI, rounded, in the figures' units), the sensitivity indices ranked,
and every point with its swept values and means."""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from sim.experiments.folder import shown_value, swept
from sim.experiments.stats import Estimate
from sim.measures.metrics import ALL_FIGURES
from sim.views import formatting
from sim.views.console import effect
from sim.views.responses import column, named_values, response


def interval(key: str, est: Estimate) -> str:
    """`72.5% [71.5%, 73.5%]`, rounded; the mean alone with one replication."""
    if math.isnan(est.half_width):
        return formatting.compact(key, est.mean)
    return (
        f"{formatting.compact(key, est.mean)} "
        f"[{formatting.compact(key, est.low)}, {formatting.compact(key, est.high)}]"
    )


def _head(key: str, currency: str) -> str:
    unit = formatting.unit_name(key, currency)
    label = ALL_FIGURES[key].label + (f" ({unit})" if unit else "")
    return f"<th>{html.escape(label)}</th>"


def responses_html(
    summary: pd.DataFrame, manifest: dict[str, Any], figures: list[str], currency: str
) -> str:
    """One table per swept parameter: the figures down, its values across."""
    blocks = []
    for parameter in swept(manifest):
        found = [
            response(summary, parameter, key, named_values(manifest, parameter)) for key in figures
        ]
        if not found:
            continue
        binned = " (centres of equal bins)" if found[0].binned else ""
        head = f"<th>{html.escape(parameter)}{binned}</th>" + "".join(
            f"<th>{html.escape(label)}</th>" for label in found[0].labels
        )
        rows = []
        for r in found:
            cells = "".join(
                f"<td class='num'>{html.escape(interval(r.figure, est))}</td>"
                for est in r.estimates
            )
            rows.append(f"<tr>{_head(r.figure, currency)}{cells}</tr>")
        blocks.append(f"<table class='responses'><tr>{head}</tr>{''.join(rows)}</table>")
    note = (
        "<p class='muted'>Mean [95% CI] at each value, over every replication of every point "
        "with that value (the other parameters averaged over).</p>"
    )
    return "".join(blocks) + note


def sensitivity_html(rows: list[dict[str, Any]], figures: list[str]) -> str:
    """The figures down, the parameters across (the most influential on the first figure
    first)."""
    sobol = any(r["index"] == "ST" for r in rows)
    index = "ST" if sobol else "mu_star"
    keys = [k for k in figures if any(r["figure"] == k for r in rows)]
    if not keys:
        return "<p class='muted'>No figure varied over the design: no sensitivity.</p>"
    value = {(r["figure"], r["parameter"], r["index"]): r for r in rows}
    parameters = list(dict.fromkeys(r["parameter"] for r in rows))
    first = keys[0]
    parameters.sort(key=lambda p: -abs(value.get((first, p, index), {"value": 0})["value"]))
    head = "<th>figure</th>" + "".join(f"<th>{html.escape(p)}</th>" for p in parameters)
    body = []
    for key in keys:
        cells = "".join(
            f"<td class='num'>{html.escape(_index_cell(key, p, value, sobol))}</td>"
            for p in parameters
        )
        body.append(f"<tr><th>{html.escape(ALL_FIGURES[key].label)}</th>{cells}</tr>")
    note = (
        "Total Sobol index ST ± its 95% CI half-width (first-order S1 in brackets): the share "
        "of the figure's variance due to the parameter, alone or with others."
        if sobol
        else "Morris mu* ± its 95% CI half-width (sigma in brackets): the mean effect of "
        "moving the parameter across its range, in the figure's unit (shares in points); a "
        "sigma above mu* means the effect is nonlinear or interacts with other parameters."
    )
    table = f"<table id='sensitivity'><tr>{head}</tr>{''.join(body)}</table>"
    return f"{table}<p class='muted'>{note}</p>"


def _index_cell(key: str, parameter: str, value: dict, sobol: bool) -> str:
    main = value.get((key, parameter, "ST" if sobol else "mu_star"))
    if main is None:
        return "n/a"
    second = value.get((key, parameter, "S1" if sobol else "sigma"))
    if sobol:
        shown = f"{main['value']:.2f} ± {main['confidence']:.2f}"
        return shown + (f" ({second['value']:.2f})" if second else "")
    shown = f"{effect(key, main['value'])} ± {effect(key, main['confidence'])}"
    return shown + (f" ({effect(key, second['value'])})" if second else "")


def points_html(
    summary: pd.DataFrame, manifest: dict[str, Any], figures: list[str], currency: str
) -> str:
    """Every point: its swept values and each figure's mean, sorted by the values."""
    keys = swept(manifest)
    means = summary.groupby("point")[[*figures]].mean(numeric_only=True)
    values = summary.groupby("point")[[column(k) for k in keys]].first()
    table = values.join(means).sort_values([column(k) for k in keys])
    head = "".join(f"<th>{html.escape(k)}</th>" for k in keys) + "".join(
        _head(key, currency) for key in figures
    )
    rows = []
    for _, row in table.iterrows():
        cells = "".join(f"<td>{html.escape(shown_value(row[column(k)]))}</td>" for k in keys)
        cells += "".join(
            f"<td class='num'>{formatting.compact(key, float(row[key]))}</td>" for key in figures
        )
        rows.append(f"<tr>{cells}</tr>")
    replications = int(summary.groupby("point").size().max())
    return (
        f"<details><summary>Every point ({len(table)}), means over {replications} "
        f"replication(s)</summary><table id='points'><tr>{head}</tr>{''.join(rows)}</table>"
        "</details>"
    )
