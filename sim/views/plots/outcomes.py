"""Outcome shares per scenario, with 95% confidence-interval bars."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.experiments.stats import estimate
from sim.views.plots.data import Folder
from sim.views.plots.style import new, save, styles

SHARES = {
    "refund_rate": "orders\nrefunded",
    "real_problems_refunded": "real problems\nrefunded",
    "false_claims_paid": "false claims\npaid",
    "escalation_rate": "disputes\nescalated",
}
MAX_POINTS = 8


def draw(folder: Folder, out: Path) -> list[Path]:
    summary = folder.summary()
    names = folder.point_names[:MAX_POINTS]
    figure, axes = new(8.0, 4.4)
    width = 0.8 / len(names)
    x = np.arange(len(SHARES))
    for i, (name, style) in enumerate(zip(names, styles(len(names)), strict=False)):
        rows = summary[summary["point"] == i]
        means, errors = [], []
        for key in SHARES:
            est = estimate(rows[key].to_numpy())
            means.append(est.mean * 100)
            errors.append(0 if np.isnan(est.half_width) else est.half_width * 100)
        axes.bar(
            x + (i - (len(names) - 1) / 2) * width,
            means,
            width,
            yerr=errors,
            capsize=3,
            color=style["color"],
            hatch=style["hatch"],
            edgecolor="black",
            linewidth=0.6,
            label=name,
            error_kw={"elinewidth": 0.9},
        )
    axes.set_xticks(x, list(SHARES.values()))
    axes.set_ylabel("share (%)")
    axes.set_ylim(0, 100)
    replications = int(summary["replication"].max()) + 1
    axes.set_title(f"Outcomes per scenario (mean and 95% CI over {replications} replication(s))")
    axes.legend(fontsize=8, loc="upper right")
    return save(figure, out, "outcomes")
