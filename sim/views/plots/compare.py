"""Comparisons between policies: paired differences from the first scenario, with 95% CIs."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib.transforms import blended_transform_factory as blended

from sim.experiments.experiment import compare
from sim.experiments.folder import ResultsFolder
from sim.experiments.stats import Estimate
from sim.measures.metrics import FIGURES
from sim.views import formatting
from sim.views.plots.style import plt, save, styles

LABELS = {figure.key: figure.label for figure in FIGURES}


def draw(folder: ResultsFolder, out: Path, figures: list[str] | None = None) -> list[Path]:
    """Paired differences per figure; panels of one unit share one scale, so a tenth of a
    point never looks as big as thirty days."""
    names = folder.point_names
    if len(names) < 2:
        return []
    comparisons = compare(folder.summary().to_dict("records"), len(names))
    if figures:
        comparisons = [c for c in comparisons if c.figure in figures]
    if not comparisons:
        return []
    columns = 3
    rows = -(-len(comparisons) // columns)
    figure, grid = plt.subplots(rows, columns, figsize=(10.0, 2.0 * rows + 0.8), squeeze=False)
    for axes, c in zip(grid.flat, comparisons, strict=False):
        scale = 100.0 if formatting.is_share(c.figure) else 1.0
        unit = "points" if scale == 100.0 else formatting.UNITS[c.figure]
        for j, (name, style) in enumerate(zip(names[1:], styles(len(names) - 1), strict=False)):
            diff = c.differences[j]
            half = 0.0 if np.isnan(diff.half_width) else diff.half_width * scale
            axes.errorbar(
                diff.mean * scale,
                -j,
                xerr=half,
                fmt=style["marker"],
                color=style["color"],
                capsize=3,
                markerfacecolor=style["color"] if diff.significant else "white",
                label=name,
            )
            axes.text(  # the value itself, since a shared scale can make it a dot
                0.98, -j + 0.28, _value(c.figure, diff), transform=blended(axes.transAxes,
                axes.transData), ha="right", va="center", fontsize=7, color="black",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            )  # fmt: skip
        axes.axvline(0, color="black", linewidth=0.8)
        axes.set_yticks([])
        axes.set_ylim(-len(names) + 1.5, 0.5)
        axes.set_title(LABELS[c.figure], fontsize=9, fontweight="normal")
        axes.set_xlabel(f"difference ({unit})", fontsize=8)
        axes.tick_params(labelsize=8)
    for axes in list(grid.flat)[len(comparisons) :]:
        axes.axis("off")
    _share_scales(list(grid.flat)[: len(comparisons)], comparisons)
    handles, labels = grid.flat[0].get_legend_handles_labels()
    figure.suptitle(f"Paired differences from {names[0]}, with 95% CI", fontweight="bold")
    figure.tight_layout(rect=(0, 0.07, 1, 1))  # room below the panels for the key
    figure.legend(
        handles,
        labels,
        loc="lower center",
        ncol=min(len(labels), 3),
        fontsize=9,
        title="filled marker = significant; panels of one unit share one scale",
    )
    return save(figure, out, "comparison")


def _value(key: str, diff: Estimate) -> str:
    """A difference as it reads beside its marker: `-0.83 pts [-1.13, -0.53]`."""
    unit = "pts" if formatting.is_share(key) else formatting.unit_name(key)
    mean = formatting.compact(key, diff.mean, signed=True).rstrip("%")
    if math.isnan(diff.half_width):
        return f"{mean} {unit}"
    low, high = (formatting.compact(key, v, signed=True).rstrip("%") for v in (diff.low, diff.high))
    return f"{mean} {unit} [{low}, {high}]"


def _share_scales(panels: list, comparisons: list) -> None:
    """One symmetric x range per unit, wide enough for every panel of that unit."""
    by_unit: dict[str, list] = {}
    for axes, c in zip(panels, comparisons, strict=True):
        unit = "points" if formatting.is_share(c.figure) else formatting.UNITS[c.figure]
        by_unit.setdefault(unit, []).append(axes)
    for group in by_unit.values():
        reach = max(max(abs(v) for v in axes.get_xlim()) for axes in group)
        for axes in group:
            axes.set_xlim(-reach, reach)
