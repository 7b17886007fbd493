"""The one-page summary at the top of a report: the question, the answer in one sentence
per figure, and the key chart.

The key chart is the one that answers the kind of experiment: the outcomes of a run, the
paired differences of a comparison, the response (or heatmap) of a grid or Latin
hypercube sweep, and the sensitivity of a Sobol or Morris one.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from sim.experiments.folder import ResultsFolder, swept
from sim.views import answers
from sim.views.embed import embedded


def questions(folder: ResultsFolder) -> list[str]:
    """The question(s) the folder answers: a study's, else each scenario's, once each."""
    study = folder.manifest.get("study") or {}
    if folder.kind == "sweep":
        return [study["question"]] if study.get("question") else []
    found: dict[str, list[str]] = {}
    for point in folder.manifest["points"]:
        question = point["scenario"].get("question") or ""
        if question:
            found.setdefault(question, []).append(point["scenario"]["name"])
    return [f"{', '.join(names)}: {q}" for q, names in found.items()]


def sentences(
    folder: ResultsFolder, figures: list[str], sensitivity: list[dict[str, Any]]
) -> list[str]:
    """One sentence per figure, answering as the experiment's kind allows."""
    summary = folder.summary()
    summaries = summary.to_dict("records")
    currency = folder.currency
    if folder.kind == "sweep":
        if sensitivity:
            return [answers.for_sensitivity(key, sensitivity) for key in figures]
        return [answers.for_sweep(key, summary, folder.manifest) for key in figures]
    names = folder.point_names
    if len(names) > 1:
        return [answers.for_comparison(key, summaries, names, currency) for key in figures]
    return [answers.for_run(key, summaries, currency) for key in figures]


def key_chart(folder: ResultsFolder, figures: list[str], sensitivity: list[dict[str, Any]]) -> str:
    """The name (without suffix) of the chart that answers the question."""
    first = figures[0]
    if folder.kind == "sweep":
        method = (folder.manifest.get("study") or {}).get("method")
        if sensitivity and any(r["figure"] == first for r in sensitivity):
            return f"morris_{first}" if method == "morris" else f"sensitivity_{first}"
        if method == "grid" and len(swept(folder.manifest)) >= 2:
            return f"heatmap_{first}"
        return f"sweep_{first}"
    return "comparison" if len(folder.point_names) > 1 else "outcomes"


def html_section(
    folder: ResultsFolder,
    figures: list[str],
    sensitivity: list[dict[str, Any]],
    charts: dict[str, Path],
) -> str:
    """The summary as HTML; `charts`: the drawn PNG files by name (the key chart's among
    them if the folder could draw it)."""
    asked = "".join(f"<p class='question'>{html.escape(q)}</p>" for q in questions(folder))
    said = "".join(f"<li>{html.escape(s)}</li>" for s in sentences(folder, figures, sensitivity))
    chart = charts.get(key_chart(folder, figures, sensitivity))
    image = ""
    if chart is not None:
        image = embedded(chart, "key chart")
    return (
        "<section id='summary'><h2>Summary</h2>"
        f"{asked or '<p class=question>No question was given.</p>'}"
        f"<ul class='answers'>{said}</ul>{image}</section>"
    )
