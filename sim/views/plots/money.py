"""The distribution of days to money: from the buyer's request to the bank's credit."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.views.plots.data import Folder
from sim.views.plots.style import new, save, styles

MAX_POINTS = 6


def draw(folder: Folder, out: Path) -> list[Path]:
    days = folder.sql(
        "select point, credited_at - asked_at as days from orders "
        "where credited_at is not null and asked_at is not null"
    )
    names = folder.point_names[:MAX_POINTS]
    figure, axes = new()
    for i, (name, style) in enumerate(zip(names, styles(len(names)), strict=False)):
        values = np.sort(days.loc[days["point"] == i, "days"].to_numpy())
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
    axes.set_ylabel("refunds credited (cumulative %)")
    axes.set_ylim(0, 100)
    axes.set_xlim(left=0)
    axes.set_title("Days to money (CDF over refunded orders)")
    axes.legend(fontsize=8, loc="lower right")
    return save(figure, out, "days_to_money")
