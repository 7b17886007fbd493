"""Sweeps: how figures respond to each swept parameter (on its own axis, with 95% CI
bands), heatmaps for pairs of grid parameters, and sensitivity indices."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from sim.experiments.folder import ResultsFolder, shown_value, swept
from sim.measures.metrics import ALL_FIGURES
from sim.views.formatting import compact
from sim.views.plots.style import GRAYS, HATCHES, new, plt, save, styles
from sim.views.responses import chosen_figures, column, named_values, response

LABELS = {key: f"{figure.label} ({figure.unit})" for key, figure in ALL_FIGURES.items()}


def draw(folder: ResultsFolder, out: Path, figures: list[str] | None = None) -> list[Path]:
    """Response curves, heatmaps for grid pairs, and sensitivity, for each chosen figure."""
    if folder.kind != "sweep":
        return []
    summary = folder.summary()
    parameters = swept(folder.manifest)
    names = {p: named_values(folder.manifest, p) for p in parameters}
    written = []
    for key in chosen_figures(folder.manifest, figures):
        written += _responses(summary, parameters, names, key, out)
        written += _heatmaps(folder, summary, parameters, key, out)
    written += _sensitivity(folder, out, chosen_figures(folder.manifest, figures))
    return written


def _honest_limits(axes: Any, key: str, highs: list[float], scale: float = 1.0) -> None:
    """Figures that cannot be negative start at zero; shares end at 100% at most."""
    low, high = (bound * scale for bound in ALL_FIGURES[key].bounds)
    top = max([h for h in highs if not np.isnan(h)] or [1.0])
    axes.set_ylim(low, min(high, top * 1.1) if top > 0 else 1.0)


def _scale(key: str) -> tuple[float, str]:
    """How a figure is drawn: shares in percent, the rest in their own unit."""
    figure = ALL_FIGURES[key]
    return (100.0, f"{figure.label} (%)") if figure.is_share else (1.0, LABELS[key])


def _responses(
    summary: Any, parameters: list[str], names: dict[str, Any], key: str, out: Path
) -> list[Path]:
    """One panel per parameter: the mean and its 95% CI band on the parameter's own axis
    (a categorical parameter's values side by side, each with its interval)."""
    n = len(parameters)
    figure, grid = plt.subplots(1, n, figsize=(3.6 * n + 0.6, 3.6), squeeze=False, sharey=True)
    highs: list[float] = []
    scale, label = _scale(key)
    for axes, parameter, style in zip(grid.flat, parameters, styles(n), strict=False):
        r = response(summary, parameter, key, names[parameter])
        means, lows, tops = r.means * scale, r.lows * scale, r.highs * scale
        if r.categorical:
            at = np.arange(len(r.values))
            axes.errorbar(at, means, yerr=[means - lows, tops - means],
                          fmt=style["marker"], color=style["color"], capsize=4,
                          label="mean, 95% CI")  # fmt: skip
            axes.set_xticks(at, r.labels)
            axes.set_xlim(-0.5, len(at) - 0.5)
        else:
            axes.fill_between(r.values, lows, tops, color=GRAYS[3], label="95% CI")
            axes.plot(r.values, means, color=style["color"], marker=style["marker"],
                      label="mean")  # fmt: skip
        axes.set_xlabel(parameter)
        highs += list(tops)
    grid.flat[0].set_ylabel(label)
    _honest_limits(grid.flat[0], key, highs, scale)
    grid.flat[0].legend(fontsize=8)
    others = " (other parameters averaged over)" if n > 1 else ""
    figure.suptitle(f"Sweep response: {ALL_FIGURES[key].label}{others}", fontweight="bold")
    return save(figure, out, f"sweep_{key}")


def _heatmaps(
    folder: ResultsFolder, summary: Any, parameters: list[str], key: str, out: Path
) -> list[Path]:
    """A heatmap of the mean for every pair of grid parameters."""
    method = (folder.manifest.get("study") or {}).get("method")
    if method != "grid" or len(parameters) < 2:
        return []
    written = []
    for number, (first, second) in enumerate(itertools.combinations(parameters, 2)):
        table = summary.pivot_table(
            index=column(second), columns=column(first), values=key, aggfunc="mean"
        )
        for axis, parameter in ((0, second), (1, first)):  # named values in the study's order
            order = named_values(folder.manifest, parameter)
            if order is not None:
                table = table.reindex([v for v in order if v in table.axes[axis]], axis=axis)
        figure, axes = new(6.0, 4.4)
        image = axes.imshow(table.to_numpy(), cmap="Greys", origin="lower", aspect="auto")
        axes.set_xticks(range(len(table.columns)), [shown_value(v) for v in table.columns])
        axes.set_yticks(range(len(table.index)), [shown_value(v) for v in table.index])
        axes.set_xlabel(first)
        axes.set_ylabel(second)
        axes.grid(False)
        for (row, col), value in np.ndenumerate(table.to_numpy()):
            shade = "white" if value > np.nanmean(table.to_numpy()) else "black"
            axes.text(col, row, compact(key, value), ha="center", va="center", fontsize=8,
                      color=shade)  # fmt: skip
        figure.colorbar(image, ax=axes, label=LABELS[key])
        axes.set_title(f"{ALL_FIGURES[key].label}: mean over replications")
        name = (
            f"heatmap_{key}" if number == 0 else f"heatmap_{key}_{column(first)}_{column(second)}"
        )
        written += save(figure, out, name)
    return written


def _sensitivity(folder: ResultsFolder, out: Path, figures: list[str]) -> list[Path]:
    path = folder.path / "sensitivity.parquet"
    if not path.exists():
        return []
    table = pq.read_table(path).to_pandas()
    main = "ST" if "ST" in set(table["index"]) else "mu_star"
    written = []
    for key in [k for k in figures if k in set(table["figure"])]:
        if main == "mu_star":
            written += _morris(table, key, out)
        rows = table[
            (table["figure"] == key) & table["index"].isin(["S1", "ST"] if main == "ST" else [main])
        ]
        pivot = rows.pivot(index="parameter", columns="index", values="value")
        conf = rows.pivot(index="parameter", columns="index", values="confidence")
        figure, axes = new(7.0, 0.5 * len(pivot) + 1.6)
        y = np.arange(len(pivot))
        for j, index_name in enumerate(pivot.columns):
            value, half = pivot[index_name].to_numpy(), conf[index_name].fillna(0).to_numpy()
            shown = np.clip(value, 0, None)  # an index is never negative: an estimate below
            axes.barh(  # zero is drawn as zero, and no whisker reaches below it
                y + j * 0.38 - 0.19 * (len(pivot.columns) - 1),
                shown,
                0.36,
                xerr=[np.minimum(half, shown), half],
                color=GRAYS[j * 2],
                hatch=HATCHES[j],
                edgecolor="black",
                linewidth=0.6,
                capsize=3,
                label=index_name,
            )
        axes.set_yticks(y, list(pd.Index(pivot.index)), fontsize=8)
        axes.set_xlabel(
            "Sobol index (share of variance)" if main == "ST" else "Morris mu* (figure units)"
        )
        axes.set_title(f"Sensitivity of {LABELS[key].split(' (')[0]}")
        axes.legend(fontsize=8)
        written += save(figure, out, f"sensitivity_{key}")
    return written


def _morris(table: Any, key: str, out: Path) -> list[Path]:
    """Morris screening: mu* (overall effect) against sigma (interaction or nonlinearity),
    a share's effects in percentage points."""
    rows = table[table["figure"] == key].pivot(index="parameter", columns="index", values="value")
    if not {"mu_star", "sigma"} <= set(rows.columns):
        return []
    figure_ = ALL_FIGURES[key]
    scale, unit = (100.0, "points") if figure_.is_share else (1.0, figure_.unit)
    figure, axes = new(6.0, 4.4)
    for (parameter, row), style in zip(rows.iterrows(), styles(len(rows)), strict=False):
        axes.scatter(row["mu_star"] * scale, row["sigma"] * scale, color=style["color"],
                     marker=style["marker"], s=40, label=parameter)  # fmt: skip
    values = rows[["mu_star", "sigma"]].to_numpy() * scale
    top = float(np.nanmax(values)) if len(rows) and np.nanmax(values) > 0 else 1.0
    axes.plot([0, top], [0, top], color=GRAYS[2], linestyle=":", label="sigma = mu*")
    axes.set_xlim(0, top * 1.1)
    axes.set_ylim(0, top * 1.1)
    axes.set_xlabel(f"mu*: mean effect over the range ({unit})")
    axes.set_ylabel(f"sigma ({unit})")
    axes.set_title(f"Morris screening: {figure_.label}")
    axes.legend(fontsize=7)
    return save(figure, out, f"morris_{key}")
