"""Every figure a results folder supports, written as PNG and SVG."""

from __future__ import annotations

from pathlib import Path

from sim.experiments.folder import ResultsFolder
from sim.views.plots import (
    behaviour,
    compare,
    days_to_money,
    flow,
    money,
    outcomes,
    queue,
    reasons,
    sellers,
    sweep,
)


def plot_folder(
    path: Path | ResultsFolder, out: Path | None = None, figures: list[str] | None = None
) -> list[Path]:
    """Draw what the folder's tables allow (the sweep and comparison charts for `figures`,
    default the question's); return the files written."""
    folder = path if isinstance(path, ResultsFolder) else ResultsFolder.open(path)
    path = folder.path
    target = out or path / "figures"
    written = outcomes.draw(folder, target) + money.draw(folder, target)
    written += reasons.draw(folder, target)
    if folder.has("orders"):
        written += days_to_money.draw(folder, target) + flow.draw(folder, target)
    if folder.has("queue"):
        written += queue.draw(folder, target)
    written += sellers.draw(folder, target) + behaviour.draw(folder, target)
    if folder.kind == "compare":
        written += compare.draw(folder, target, figures)
    written += sweep.draw(folder, target, figures)
    return written
