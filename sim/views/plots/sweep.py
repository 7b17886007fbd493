"""Sweeps: how figures respond to each swept parameter, and sensitivity indices."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from sim.views.metrics import FIGURES
from sim.views.plots.data import Folder
from sim.views.plots.style import GRAYS, HATCHES, new, save, styles

RESPONSES = ("refund_rate", "escalation_rate", "days_to_money_median", "buyer_loss")
LABELS = {figure.key: f"{figure.label} ({figure.unit})" for figure in FIGURES}


def draw(folder: Folder, out: Path) -> list[Path]:
    if folder.kind != "sweep":
        return []
    summary = folder.summary()
    parameters = [key.replace(".", "_") for key in folder.manifest["points"][0]["parameters"]]
    written = []
    for key in RESPONSES:
        figure, axes = new(7.0, 4.2)
        for parameter, style in zip(parameters, styles(len(parameters)), strict=False):
            x = summary[parameter].to_numpy(dtype=float)
            span = x.max() - x.min() or 1.0
            centres, means = _trend(x, summary[key].to_numpy(dtype=float))
            axes.scatter(
                (x - x.min()) / span,
                summary[key],
                s=10,
                color=style["color"],
                marker=style["marker"],
                alpha=0.4,
            )
            axes.plot(
                (centres - x.min()) / span,
                means,
                color=style["color"],
                linewidth=2,
                linestyle=style["linestyle"],
                marker=style["marker"],
                label=f"{parameter} [{x.min():.3g}, {x.max():.3g}]",
            )
        axes.set_xlabel("parameter value, scaled to its range (0 = low, 1 = high)")
        axes.set_ylabel(LABELS[key])
        axes.set_title(f"Sweep response: {LABELS[key].split(' (')[0]}")
        axes.legend(fontsize=7)
        written += save(figure, out, f"sweep_{key}")
    written += _sensitivity(folder, out)
    return written


def _trend(x: np.ndarray, y: np.ndarray, bins: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Mean response per value (a grid) or per equal-width bin (a continuous design)."""
    values = np.unique(x)
    if len(values) <= 10:
        return values, np.array([np.nanmean(y[x == v]) for v in values])
    edges = np.linspace(x.min(), x.max(), bins + 1)
    which = np.clip(np.digitize(x, edges) - 1, 0, bins - 1)
    keep = [b for b in range(bins) if (which == b).any()]
    centres = np.array([(edges[b] + edges[b + 1]) / 2 for b in keep])
    return centres, np.array([np.nanmean(y[which == b]) for b in keep])


def _sensitivity(folder: Folder, out: Path) -> list[Path]:
    path = folder.path / "sensitivity.parquet"
    if not path.exists():
        return []
    table = pq.read_table(path).to_pandas()
    main = "ST" if "ST" in set(table["index"]) else "mu_star"
    written = []
    for key in [k for k in RESPONSES if k in set(table["figure"])]:
        rows = table[
            (table["figure"] == key) & table["index"].isin(["S1", "ST"] if main == "ST" else [main])
        ]
        pivot = rows.pivot(index="parameter", columns="index", values="value")
        conf = rows.pivot(index="parameter", columns="index", values="confidence")
        figure, axes = new(7.0, 0.5 * len(pivot) + 1.6)
        y = np.arange(len(pivot))
        for j, column in enumerate(pivot.columns):
            axes.barh(
                y + j * 0.38 - 0.19 * (len(pivot.columns) - 1),
                pivot[column],
                0.36,
                xerr=conf[column].fillna(0),
                color=GRAYS[j * 2],
                hatch=HATCHES[j],
                edgecolor="black",
                linewidth=0.6,
                capsize=3,
                label=column,
            )
        axes.set_yticks(y, list(pd.Index(pivot.index)), fontsize=8)
        axes.set_xlabel(
            "Sobol index (share of variance)" if main == "ST" else "Morris mu* (figure units)"
        )
        axes.set_title(f"Sensitivity of {LABELS[key].split(' (')[0]}")
        axes.legend(fontsize=8)
        written += save(figure, out, f"sensitivity_{key}")
    return written
