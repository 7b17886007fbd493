"""The distribution of days to money, from the buyer's request to the bank's credit: for
disputes and for cancellations apart, since a policy that touches only disputes would
otherwise hide inside the far more numerous cancellations."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.experiments.folder import ResultsFolder
from sim.views.plots.style import plt, save, styles

MAX_POINTS = 6
PANELS = (
    (1, "Disputes"),
    (0, "Cancellations and unshipped orders"),
)


def draw(folder: ResultsFolder, out: Path) -> list[Path]:
    days = folder.sql(
        "select point, disputed, credited_at - asked_at as days from orders "
        "where measured = 1 and credited_at is not null and asked_at is not null"
    )
    names = folder.point_names[:MAX_POINTS]
    figure, grid = plt.subplots(1, 2, figsize=(10.0, 4.2), sharey=True)
    for axes, (disputed, title) in zip(grid, PANELS, strict=True):
        for i, (name, style) in enumerate(zip(names, styles(len(names)), strict=False)):
            mine = (days["point"] == i) & (days["disputed"] == disputed)
            values = np.sort(days.loc[mine, "days"].to_numpy())
            if len(values) == 0:
                continue
            share = np.arange(1, len(values) + 1) / len(values) * 100
            axes.step(
                values,
                share,
                where="post",
                color=style["color"],
                linestyle=style["linestyle"],
                linewidth=1.6,
                label=f"{name} (median {np.median(values):.1f} d)",
            )
        axes.set_xlabel("days from the buyer's request to the bank's credit")
        axes.set_ylim(0, 100)
        axes.set_xlim(left=0)
        axes.set_title(title, fontsize=10)
        if axes.get_lines():
            axes.legend(fontsize=7, loc="lower right")
    grid[0].set_ylabel("refunds credited (cumulative %)")
    figure.suptitle(_title(folder), fontweight="bold")
    return save(figure, out, "days_to_money")


def _title(folder: ResultsFolder) -> str:
    points = len(folder.point_names)
    more = f" (first {MAX_POINTS} of {points} points)" if points > MAX_POINTS else ""
    return f"Days to money, CDF over refunded orders of the window{more}"
