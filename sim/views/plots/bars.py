"""Grouped bars of estimates: one group per category, one bar per scenario point, each
with its 95% confidence interval cut to the figure's range (a share's never below 0)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.experiments.stats import Estimate
from sim.views.plots.style import styles

MAX_POINTS = 6


def grouped(
    axes: Any,
    categories: Sequence[str],
    per_point: Sequence[Sequence[Estimate]],
    names: Sequence[str],
    scale: float = 1.0,
    horizontal: bool = False,
) -> None:
    """Draw `per_point[i][j]` (point i, category j) as bars with interval whiskers."""
    position = np.arange(len(categories))
    width = 0.8 / max(len(names), 1)
    for i, (name, values, style) in enumerate(
        zip(names, per_point, styles(len(names)), strict=False)
    ):
        means = np.array([_or_zero(e.mean) * scale for e in values])
        below = np.array([_reach(e.mean, e.low, e.half_width) * scale for e in values])
        above = np.array([_reach(e.high, e.mean, e.half_width) * scale for e in values])
        where = position + (i - (len(names) - 1) / 2) * width
        common = {
            "color": style["color"],
            "hatch": style["hatch"],
            "edgecolor": "black",
            "linewidth": 0.6,
            "label": name,
            "capsize": 3,
            "error_kw": {"elinewidth": 0.9},
        }
        if horizontal:
            axes.barh(where, means, width, xerr=[below, above], **common)
        else:
            axes.bar(where, means, width, yerr=[below, above], **common)
    if horizontal:
        axes.set_yticks(position, list(categories))
        axes.invert_yaxis()  # the first category on top, as it is read
    else:
        axes.set_xticks(position, list(categories))


def _or_zero(number: float) -> float:
    return 0.0 if math.isnan(number) else number


def _reach(upper: float, lower: float, half_width: float) -> float:
    """How far a whisker reaches (0 where there is no interval)."""
    if math.isnan(half_width) or math.isnan(upper) or math.isnan(lower):
        return 0.0
    return max(upper - lower, 0.0)


def ci_note(replications: int) -> str:
    """What the whiskers are, honestly: none with a single replication."""
    if replications < 2:
        return "one replication: no confidence interval"
    return f"mean and 95% CI over {replications} replications"
