"""The flow from orders to problems, disputes, escalations and decisions."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.experiments.folder import ResultsFolder
from sim.views.plots.style import new, save, styles
from sim.world.records.truth import Truth

STAGES = (
    ("all orders", "count(*)"),
    ("with a real problem", f"count(*) filter (where truth != '{Truth.OK.name.lower()}')"),
    ("disputed", "count(*) filter (where disputed = 1)"),
    ("escalated to the team", "count(*) filter (where escalated = 1)"),
    ("decided by the team", "count(*) filter (where decision >= 0)"),
    ("refunded (any amount)", "count(*) filter (where refunded > 0)"),
)
MAX_POINTS = 4


def draw(folder: ResultsFolder, out: Path) -> list[Path]:
    counts = folder.sql(
        "select point, "
        + ", ".join(f"{sql} as s{i}" for i, (_, sql) in enumerate(STAGES))
        + " from orders where measured = 1 group by point order by point"
    )
    names = folder.point_names[:MAX_POINTS]
    figure, axes = new(8.0, 4.4)
    height = 0.8 / len(names)
    y = np.arange(len(STAGES))[::-1]
    for i, (name, style) in enumerate(zip(names, styles(len(names)), strict=False)):
        row = counts[counts["point"] == i]
        if row.empty:
            continue
        values = np.array([float(row[f"s{k}"].iloc[0]) for k in range(len(STAGES))])
        per_thousand = values / values[0] * 1000
        bars = axes.barh(
            y + (i - (len(names) - 1) / 2) * height,
            per_thousand,
            height,
            color=style["color"],
            hatch=style["hatch"],
            edgecolor="black",
            linewidth=0.6,
            label=name,
        )
        for bar, value in zip(bars, per_thousand, strict=True):
            axes.text(
                bar.get_width() * 1.05,
                bar.get_y() + bar.get_height() / 2,
                f"{value:.1f}",
                va="center",
                fontsize=7,
            )
    axes.set_xscale("log")
    axes.set_yticks(y, [label for label, _ in STAGES])
    axes.set_xlabel("orders per 1,000 (log scale)")
    axes.set_title("From orders to decisions")
    axes.legend(fontsize=8, loc="lower right")
    return save(figure, out, "flow")
