"""Outcome shares per scenario, with 95% confidence-interval bars."""

from __future__ import annotations

from pathlib import Path

from sim.experiments.experiment import estimates
from sim.experiments.folder import ResultsFolder
from sim.views.plots.bars import MAX_POINTS, ci_note, grouped
from sim.views.plots.style import new, save

SHARES = {
    "refund_rate": "orders\nrefunded",
    "real_problems_refunded": "real problems\nrefunded",
    "false_claims_paid": "false claims\npaid",
    "escalation_rate": "disputes\nescalated",
}


def draw(folder: ResultsFolder, out: Path) -> list[Path]:
    summaries = folder.summary().to_dict("records")
    names = folder.point_names[:MAX_POINTS]
    found = [estimates(summaries, point, list(SHARES)) for point in range(len(names))]
    figure, axes = new(8.0, 4.4)
    grouped(axes, list(SHARES.values()), [[e[k] for k in SHARES] for e in found], names, 100.0)
    axes.set_ylabel("share (%)")
    axes.set_ylim(0, 100)
    axes.set_title(f"Outcomes per scenario ({ci_note(folder.replications)})")
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return save(figure, out, "outcomes")
