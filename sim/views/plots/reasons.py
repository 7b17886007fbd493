"""Disputes by reason: how often each reason is given, and how its disputes end (refunded,
escalated, days to money), per scenario with 95% CIs. The three share panels share one
0-100% scale, so a small share looks small."""

from __future__ import annotations

import math
from pathlib import Path

from sim.experiments.experiment import estimates
from sim.experiments.folder import ResultsFolder
from sim.measures import segments
from sim.views.plots.bars import MAX_POINTS, ci_note, grouped
from sim.views.plots.style import plt, save

PANELS = (
    ("share", "of all disputes (%)", 100.0),
    ("refunded", "refunded (% of the reason's disputes)", 100.0),
    ("escalated", "escalated (% of the reason's disputes)", 100.0),
    ("days_to_money", "days to money, median (days)", 1.0),
)
REASONS = [segments.REASON_LABELS[r].replace(" ", "\n", 1) for r in segments.REASONS]


def draw(folder: ResultsFolder, out: Path) -> list[Path]:
    summaries = folder.summary().to_dict("records")
    names = folder.point_names[:MAX_POINTS]
    keys = [segments.reason_key(r, m) for m, _, _ in PANELS for r in segments.REASONS]
    found = [estimates(summaries, p, keys) for p in range(len(names))]
    if all(math.isnan(e[k].mean) for e in found for k in keys):
        return []  # no disputes, or an older folder
    figure, grid = plt.subplots(2, 2, figsize=(10.0, 6.4))
    for axes, (measure, label, scale) in zip(grid.flat, PANELS, strict=True):
        mine = [segments.reason_key(r, measure) for r in segments.REASONS]
        grouped(axes, REASONS, [[e[k] for k in mine] for e in found], names, scale)
        axes.set_ylabel(label, fontsize=8)
        axes.tick_params(labelsize=8)
        if scale == 100.0:
            axes.set_ylim(0, 100)
        else:
            axes.set_ylim(bottom=0)
    handles, labels = grid.flat[0].get_legend_handles_labels()
    figure.suptitle(f"Disputes by reason ({ci_note(folder.replications)})", fontweight="bold")
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    figure.legend(handles, labels, loc="lower center", ncol=min(len(labels), 3), fontsize=8)
    return save(figure, out, "reasons")
