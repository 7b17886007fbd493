"""The answer in one sentence per figure, for the top of a report.

A run says what the figure is, with its 95% CI; a comparison says how each scenario
differs from the first and whether the difference is significant; a grid or Latin
hypercube sweep says how the figure moves across each swept parameter; a Sobol or Morris
sweep names the parameters it depends on most.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from sim.experiments.experiment import compare, estimates
from sim.experiments.folder import swept
from sim.experiments.stats import Estimate
from sim.measures.metrics import ALL_FIGURES
from sim.views import formatting
from sim.views.responses import named_values, response


def shown(key: str, est: Estimate, currency: str) -> str:
    """`72.5% (95% CI 71.5% to 73.5%)`, or the mean alone with one replication."""
    mean = formatting.value(key, est.mean)
    unit = formatting.unit_name(key, currency)
    mean = f"{mean} {unit}" if unit else mean
    if math.isnan(est.half_width):
        return mean
    low, high = formatting.value(key, est.low), formatting.value(key, est.high)
    return f"{mean} (95% CI {low} to {high})"


def for_run(key: str, summaries: list[dict[str, Any]], currency: str) -> str:
    est = estimates(summaries, 0, [key])[key]
    n = est.n
    over = f" over {n} replications" if n > 1 else " (one replication: no interval)"
    return f"{_label(key)}: {shown(key, est, currency)}{over}."


def for_comparison(
    key: str, summaries: list[dict[str, Any]], names: list[str], currency: str
) -> str:
    c = compare(summaries, len(names), [key])[0]
    parts = [f"{shown(key, c.estimates[0], currency)} under {names[0]}"]
    for name, est, diff in zip(names[1:], c.estimates[1:], c.differences, strict=True):
        verdict = formatting.verdict(key, diff)
        change = formatting.difference(key, diff).replace("%", " pts")
        said = ", ".join(filter(None, (change, verdict)))
        parts.append(f"{formatting.value(key, est.mean)} under {name} ({said})")
    return f"{_label(key)}: {'; '.join(parts)}."


def for_sweep(key: str, summary: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """How the figure's mean moves across each swept parameter (others averaged over)."""
    parts = []
    for parameter in swept(manifest):
        r = response(summary, parameter, key, named_values(manifest, parameter))
        means = r.means
        if not len(means) or all(math.isnan(m) for m in means):
            continue
        first, last = formatting.compact(key, means[0]), formatting.compact(key, means[-1])
        low, high = int(pd.Series(means).idxmin()), int(pd.Series(means).idxmax())
        parts.append(
            f"{first} at {parameter} = {r.labels[0]} and {last} at {r.labels[-1]} "
            f"(lowest {formatting.compact(key, means[low])} at {r.labels[low]}, highest "
            f"{formatting.compact(key, means[high])} at {r.labels[high]})"
        )
    if not parts:
        return f"{_label(key)}: nothing to count at any point."
    return f"{_label(key)}: {'; '.join(parts)}, other parameters averaged over."


def for_sensitivity(key: str, rows: list[dict[str, Any]]) -> str:
    """The parameters the figure depends on most, by total Sobol index or Morris mu*."""
    from sim.views.console import effect

    sobol = any(r["index"] == "ST" for r in rows)
    index = "ST" if sobol else "mu_star"
    ranked = sorted(
        (r for r in rows if r["figure"] == key and r["index"] == index),
        key=lambda r: -abs(r["value"]),
    )
    if not ranked:
        return f"{_label(key)}: constant or undefined over the design: no sensitivity."
    sizes = [f"ST {r['value']:.2f}" if sobol else effect(key, r["value"]) for r in ranked[:3]]
    named = [f"{r['parameter']} ({size})" for r, size in zip(ranked, sizes, strict=False)]
    what = "total Sobol index" if sobol else "Morris mu*, its mean effect over the range"
    return f"{_label(key)} depends most on {', then '.join(named)} (by {what})."


def _label(key: str) -> str:
    label = ALL_FIGURES[key].label
    return label[0].upper() + label[1:]
