"""The timing assumption in a comparison's report: a comparison of fitted scenarios whose
arms move a deadline a fitted delay raced depends on how the actor's timing follows the
deadline, which one log cannot tell (fixed in days, or scaling with it). `compare --out`
keeps the same comparison under the other assumption in `OTHER_TIMING` inside the folder;
the report sets the two answers side by side."""

from __future__ import annotations

import html
from pathlib import Path

from sim.experiments.experiment import compare as paired
from sim.experiments.folder import ResultsFolder
from sim.measures.metrics import ALL_FIGURES
from sim.views import formatting

OTHER_TIMING = "other-timing"
"""Where `compare --out DIR` keeps the comparison under the other timing assumption."""


def _timing(folder: ResultsFolder) -> str:
    found = {
        p["scenario"].get("fitted", {}).get("timing", "fixed")
        for p in folder.manifest["points"]
        if p["scenario"].get("fitted", {}).get("source")
    }
    return found.pop() if len(found) == 1 else "mixed"


def section(path: Path, figures: list[str]) -> str:
    """The answer under both timing assumptions (nothing where none of the compared
    scenarios is fitted)."""
    folder = ResultsFolder.open(path)
    points = folder.manifest["points"]
    if not any(p["scenario"].get("fitted", {}).get("source") for p in points):
        return ""
    intro = (
        "<h2>The timing assumption</h2><p>A log shows one policy, so how a fitted actor's "
        "timing moves when the deadline it raced moves cannot be learnt from it: fixed in "
        "days, or scaling with the deadline. "
    )
    other_path = path / OTHER_TIMING
    if not (other_path / "manifest.json").exists():
        return intro + (
            f"These scenarios assume <b>{html.escape(_timing(folder))}</b> timing; they "
            "move no deadline a fitted delay raced, so the assumption does not enter.</p>"
        )
    other = ResultsFolder.open(other_path)
    names = folder.point_names
    mine = paired(folder.summary().to_dict("records"), len(names), figures)
    theirs = paired(other.summary().to_dict("records"), len(names), figures)
    first, second = _timing(folder), _timing(other)
    rows = []
    for a, b in zip(mine, theirs, strict=True):
        label = ALL_FIGURES[a.figure].label
        for name, da, db in zip(names[1:], a.differences, b.differences, strict=True):
            rows.append(
                f"<tr><th>{html.escape(label)}</th><td>{html.escape(name)}</td>"
                f"<td class='num'>{html.escape(formatting.difference(a.figure, da))}</td>"
                f"<td class='num'>{html.escape(formatting.difference(b.figure, db))}</td></tr>"
            )
    return intro + (
        f"The arms move a deadline a fitted delay raced: each paired difference against "
        f"{html.escape(names[0])} (95% CI) under both.</p><table id='timing'><tr>"
        f"<th>figure</th><th>scenario</th><th>{html.escape(first)}</th>"
        f"<th>{html.escape(second)}</th></tr>{''.join(rows)}</table>"
    )
