"""A self-contained HTML report of a results folder: the scenario and its levers, the
headline figures with confidence intervals, every figure, the state diagram, provenance.

Everything is inside the one file (images as data URIs, the diagram as inline SVG), so
it can be mailed or archived as it is.
"""

from __future__ import annotations

import base64
import html
import tempfile
from pathlib import Path
from typing import Any

from machine.policy import Policy
from sim.experiments.experiment import estimates
from sim.experiments.scenario import Scenario
from sim.views.formatting import estimate as shown
from sim.views.metrics import FIGURES
from sim.views.plots.all import plot_folder
from sim.views.plots.data import Folder

CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #111;
       line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.changed { font-weight: bold; } .figure { margin: 1.2em 0; } .figure img { max-width: 100%; }
.diagram svg { max-width: 100%; height: auto; } .muted { color: #555; font-size: 0.9em; }
"""


def build(path: Path, figures: list[str] | None = None) -> str:
    """The report of the folder at `path`, as an HTML string; `figures` (default: the
    question's, else every headline figure) chooses the headline rows and sweep charts."""
    from sim.views.responses import chosen_figures

    folder = Folder.open(path)
    summaries = folder.summary().to_dict("records")
    names = folder.point_names
    shown = chosen_figures(folder.manifest, figures)
    parts = [
        f"<h1>disputesim report: {html.escape(path.name)}</h1>",
        _subtitle(folder, len(names)),
        _questions(folder),
        "<h2>Headline figures</h2>",
        _headline(summaries, names, shown),
        "<h2>Validation against published figures</h2>",
        _validation(summaries, names),
        "<h2>Policy levers</h2>",
        _levers(folder, names),
        "<h2>Market and case team</h2>",
        _world(folder, names),
        "<h2>Figures</h2>",
        _figures(path, figures),
        "<h2>The process</h2>",
        _diagram(),
        "<h2>Provenance</h2>",
        _provenance(folder),
    ]
    body = "\n".join(parts)
    return (
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>disputesim report: {html.escape(path.name)}</title><style>{CSS}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def _subtitle(folder: Folder, points: int) -> str:
    m = folder.manifest
    window = Scenario.model_validate(m["points"][0]["scenario"]).window().describe()
    replications = len(folder.summary()) // max(points, 1)
    return (
        f"<p class='muted'>{html.escape(folder.kind)} of {points} scenario point(s), "
        f"{replications} replication(s), {html.escape(window)}, "
        f"root seed {m['seeds']['root']}.</p>"
    )


def _questions(folder: Folder) -> str:
    items = []
    for point in folder.manifest["points"][:12]:
        scenario = point["scenario"]
        if scenario.get("question"):
            name, question = html.escape(scenario["name"]), html.escape(scenario["question"])
            items.append(f"<li><b>{name}</b>: {question}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _headline(summaries: list[dict[str, Any]], names: list[str], keys: list[str]) -> str:
    shown_points = range(min(len(names), 12))
    head = "".join(f"<th>{html.escape(names[p])}</th>" for p in shown_points)
    rows = []
    for figure in [f for f in FIGURES if f.key in keys]:
        values = [shown(figure.key, estimates(summaries, p)[figure.key]) for p in shown_points]
        cells = "".join(f"<td class='num'>{html.escape(v)}</td>" for v in values)
        rows.append(
            f"<tr><th>{html.escape(figure.label)} ({html.escape(figure.unit)})</th>{cells}</tr>"
        )
    note = (
        "<p class='muted'>Mean ± half-width of the 95% confidence interval over replications.</p>"
    )
    return f"<table id='headline'><tr><th>figure</th>{head}</tr>{''.join(rows)}</table>{note}"


def _validation(summaries: list[dict[str, Any]], names: list[str]) -> str:
    """Each published target beside each point's simulated mean [95% CI]."""
    from sim.errors import UserError
    from sim.experiments.targets import load_targets
    from sim.views import validation

    try:
        targets, _ = load_targets(validation.SHIPPED_TARGETS)
    except UserError as err:
        return f"<p class='muted'>No targets to compare with: {html.escape(str(err))}</p>"
    shown_points = range(min(len(names), 12))
    per_point = [
        validation.checks(targets, [s for s in summaries if s["point"] == p]) for p in shown_points
    ]
    note = (
        "<p class='muted'>Targets from <code>scenarios/targets/aliexpress.toml</code>, which the "
        "baseline was calibrated against (`disputesim calibrate`); held-out figures were not "
        "fitted. A proxy is another platform's figure; hover a platform for its source.</p>"
    )
    return validation.html_table([names[p] for p in shown_points], per_point) + note


def _levers(folder: Folder, names: list[str]) -> str:
    defaults = Policy().model_dump()
    points = folder.manifest["points"][:12]
    head = "".join(f"<th>{html.escape(names[i])}</th>" for i in range(len(points)))
    rows = []
    for lever, default in defaults.items():
        cells = []
        for point in points:
            value = point["scenario"]["policy"][lever]
            changed = " class='changed'" if value != default else ""
            cells.append(f"<td{changed}>{html.escape(str(value))}</td>")
        rows.append(
            f"<tr><th>{lever}</th><td>{html.escape(str(default))}</td>{''.join(cells)}</tr>"
        )
    note = "<p class='muted'>Bold: differs from the current help-page default.</p>"
    header = f"<tr><th>lever</th><th>default</th>{head}</tr>"
    return f"<table id='levers'>{header}{''.join(rows)}</table>{note}"


WORLD = (
    ("run", "start"),
    ("run", "days"),
    ("run", "period"),
    ("run", "warmup_days"),
    ("market", "orders_per_day"),
    ("market", "peak_factor"),
    ("team", "staff"),
    ("team", "review_median_days"),
    ("team", "peak_review_factor"),
)


def _world(folder: Folder, names: list[str]) -> str:
    points = folder.manifest["points"][:12]
    head = "".join(f"<th>{html.escape(names[i])}</th>" for i in range(len(points)))
    rows = []
    for section, key in WORLD:
        cells = "".join(f"<td>{html.escape(str(p['scenario'][section][key]))}</td>" for p in points)
        rows.append(f"<tr><th>{section}.{key}</th>{cells}</tr>")
    mixes = []
    for kind in ("sellers", "buyers"):
        cells = "".join(
            "<td>"
            + html.escape(", ".join(f"{x['name']} {x['share']:.0%}" for x in p["scenario"][kind]))
            + "</td>"
            for p in points
        )
        mixes.append(f"<tr><th>{kind}</th>{cells}</tr>")
    return f"<table id='world'><tr><th>setting</th>{head}</tr>{''.join(rows + mixes)}</table>"


def _figures(path: Path, figures: list[str] | None) -> str:
    with tempfile.TemporaryDirectory() as scratch:
        written = plot_folder(path, Path(scratch), figures)
        blocks = []
        for png in [p for p in written if p.suffix == ".png"]:
            data = base64.b64encode(png.read_bytes()).decode()
            title = png.stem.replace("_", " ")
            blocks.append(
                f"<div class='figure'><img alt='{html.escape(title)}' "
                f"src='data:image/png;base64,{data}'></div>"
            )
    return "\n".join(blocks)


def _diagram() -> str:
    from machine.diagram import DiagramError, mermaid, render

    try:
        svg = render("svg").decode()
    except DiagramError as err:
        return (
            f"<p class='muted'>{html.escape(str(err))}. Mermaid source:</p>"
            f"<pre>{html.escape(mermaid())}</pre>"
        )
    return f"<div class='diagram'>{svg[svg.index('<svg') :]}</div>"


def _provenance(folder: Folder) -> str:
    m = folder.manifest
    rows = {
        "experiment id": m["experiment_id"],
        "commit": str(m.get("commit")),
        "seeds": str(m["seeds"]),
        "versions": ", ".join(f"{k} {v}" for k, v in m.get("versions", {}).items()),
    }
    cells = "".join(f"<tr><th>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in rows.items())
    return f"<table id='provenance'>{cells}</table>"


def write(path: Path, target: Path | None = None, figures: list[str] | None = None) -> Path:
    """Write the report (default: DIR/report.html) and return its path."""
    from sim.files import write_atomic

    target = target or path / "report.html"
    write_atomic(target, build(path, figures).encode())
    return target
