"""A self-contained HTML report of a results folder: the scenario and its levers, the
headline figures with confidence intervals, every figure, the state diagram, provenance.

Everything is inside the one file (images as data URIs, the diagram as inline SVG), so
it can be mailed or archived as it is.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import Any

from machine.policy import Policy
from sim.experiments.experiment import estimates
from sim.experiments.folder import ResultsFolder
from sim.measures import money, segments
from sim.measures.metrics import FIGURES
from sim.views import formatting, summary_page, sweep_tables, timing
from sim.views.console import RUN_KEYS
from sim.views.embed import embedded
from sim.views.formatting import estimate as shown
from sim.views.plots.all import plot_folder
from sim.world.scenario import Scenario

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
th.group { background: #ddd; text-align: left; } .question { font-size: 1.1em; font-weight: 600; }
#summary { border: 1px solid #999; padding: 0 1em 1em; } table.responses { display: inline-table;
  margin-right: 1.5em; vertical-align: top; } details summary { cursor: pointer; margin: 0.6em 0; }
"""


def build(path: Path, figures: list[str] | None = None) -> str:
    """The report of the folder at `path`, as an HTML string; `figures` (default: the
    question's, else every headline figure) chooses the answers, tables and sweep charts."""
    from sim.views.responses import checked_figures, chosen_figures

    folder = ResultsFolder.open(path)
    summaries = folder.summary().to_dict("records")
    names = folder.point_names
    shown = chosen_figures(folder.manifest, figures)
    sensitivity = _sensitivity_rows(folder)
    with tempfile.TemporaryDirectory() as scratch:
        drawn = plot_folder(folder, Path(scratch), figures)
        charts = {png.stem: png for png in drawn if png.suffix == ".png"}
        summary = summary_page.html_section(folder, shown, sensitivity, charts)
        key = summary_page.key_chart(folder, shown, sensitivity)
        gallery = "\n".join(embedded(png, png.stem.replace("_", " ")) for n, png in
                            charts.items() if n != key)  # fmt: skip
    if folder.kind == "sweep":
        tables = _sweep_tables(folder, shown, sensitivity) + _discoveries(folder)
    else:
        keys = checked_figures(figures) or RUN_KEYS
        tables = _headline(summaries, names, keys, folder.currency)
        if folder.kind == "compare":
            tables += timing.section(path, keys)
    parts = [
        f"<h1>disputesim report: {html.escape(path.name)}</h1>",
        _subtitle(folder, len(names)),
        summary,
        tables,
        "<h2>Validation against published figures</h2>",
        _validation(folder, summaries, names),
        "<h2>Policy levers</h2>",
        _levers(folder, names),
        "<h2>Market and case team</h2>",
        _world(folder, names),
        "<h2>Figures</h2>",
        gallery,
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


def _sensitivity_rows(folder: ResultsFolder) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    path = folder.path / "sensitivity.parquet"
    return pq.read_table(path).to_pylist() if path.exists() else []


def _subtitle(folder: ResultsFolder, points: int) -> str:
    m = folder.manifest
    window = Scenario.model_validate(m["points"][0]["scenario"]).window().describe()
    what = folder.kind
    study = m.get("study") or {}
    if folder.kind == "sweep":
        what = f"{study.get('method', '')} sweep {study.get('name', '')}".strip()
    return (
        f"<p class='muted'>{html.escape(what)} of {points} scenario point(s), "
        f"{folder.replications} replication(s) each, {html.escape(window)}, "
        f"root seed {m['seeds']['root']}.</p>"
    )


GROUP_TITLES = (
    ("", FIGURES),
    ("Disputes and escalated cases", segments.DISPUTE_FIGURES),
    ("Money ({currency} per 1,000 orders)", money.FIGURES),
    ("By dispute reason", segments.REASON_FIGURES),
)
MAX_COLUMNS = 12


def _headline(
    summaries: list[dict[str, Any]], names: list[str], keys: list[str], currency: str
) -> str:
    """Each chosen figure's mean ± half-width per point, in groups."""
    points = range(min(len(names), MAX_COLUMNS))
    found = [estimates(summaries, p, keys) for p in points]
    head = "".join(f"<th>{html.escape(names[p])}</th>" for p in points)
    rows = []
    for title, group in GROUP_TITLES:
        mine = [f for f in group if f.key in keys]
        if not mine:
            continue
        if title:
            rows.append(
                f"<tr><th colspan='{len(points) + 1}' class='group'>"
                f"{html.escape(title.format(currency=currency))}</th></tr>"
            )
        for figure in mine:
            unit = formatting.unit_name(figure.key, currency)
            label = figure.label + (f" ({unit})" if unit else "")
            cells = "".join(
                f"<td class='num'>{html.escape(shown(figure.key, f[figure.key]))}</td>"
                for f in found
            )
            rows.append(f"<tr><th>{html.escape(label)}</th>{cells}</tr>")
    more = f" The first {MAX_COLUMNS} of {len(names)} points." if len(names) > MAX_COLUMNS else ""
    note = (
        "<p class='muted'>Mean ± half-width of the 95% confidence interval over replications "
        f"([low, high] where the figure's range cuts it).{more}</p>"
    )
    table = f"<table id='headline'><tr><th>figure</th>{head}</tr>{''.join(rows)}</table>"
    return f"<h2>Figures with 95% confidence intervals</h2>{table}{note}"


def _sweep_tables(
    folder: ResultsFolder, figures: list[str], sensitivity: list[dict[str, Any]]
) -> str:
    summary, currency = folder.summary(), folder.currency
    parts = []
    if sensitivity:
        parts += ["<h2>Sensitivity</h2>", sweep_tables.sensitivity_html(sensitivity, figures)]
    parts += [
        "<h2>Responses</h2>",
        sweep_tables.responses_html(summary, folder.manifest, figures, currency),
        sweep_tables.points_html(summary, folder.manifest, figures, currency),
    ]
    return "".join(parts)


def _discoveries(folder: ResultsFolder) -> str:
    """What `disputesim discover` found in this folder, if it was asked."""
    from sim.discovery.records import recorded
    from sim.views.discovered import html_section

    return html_section(recorded(folder.path))


def _validation(folder: ResultsFolder, summaries: list[dict[str, Any]], names: list[str]) -> str:
    """Each published target beside each point's simulated mean [95% CI]; for a sweep,
    the range of the points' means and how many lie in the published range."""
    from sim.errors import UserError
    from sim.experiments import validation
    from sim.experiments.targets import load_targets

    try:
        targets, _ = load_targets(validation.SHIPPED_TARGETS)
    except UserError as err:
        return f"<p class='muted'>No targets to compare with: {html.escape(str(err))}</p>"
    note = (
        "<p class='muted'>Targets from <code>scenarios/targets/aliexpress.toml</code>, which the "
        "baseline was calibrated against (`disputesim calibrate`); held-out figures were not "
        "fitted. A proxy is another platform's figure; hover a platform for its source.</p>"
    )
    if folder.kind == "sweep":
        per_point = [
            validation.checks(targets, [s for s in summaries if s["point"] == p])
            for p in range(len(names))
        ]
        return validation.sweep_html_table(per_point) + note
    shown_points = range(min(len(names), MAX_COLUMNS))
    per_point = [
        validation.checks(targets, [s for s in summaries if s["point"] == p]) for p in shown_points
    ]
    return validation.html_table([names[p] for p in shown_points], per_point) + note


def _groups(folder: ResultsFolder, names: list[str]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The columns of the settings tables: one per point, or for a sweep one for all."""
    points = folder.manifest["points"]
    if folder.kind == "sweep":
        return [(f"in the sweep ({len(points)} points)", points)]
    return [(names[i], [point]) for i, point in enumerate(points[:MAX_COLUMNS])]


def _distinct(values: list[Any]) -> str:
    """The values a setting takes, once each, in order."""
    return ", ".join(dict.fromkeys(str(v) for v in values))


def _levers(folder: ResultsFolder, names: list[str]) -> str:
    defaults = Policy().model_dump()
    groups = _groups(folder, names)
    head = "".join(f"<th>{html.escape(title)}</th>" for title, _ in groups)
    rows = []
    for lever, default in defaults.items():
        cells = []
        for _, points in groups:
            values = [point["scenario"]["policy"][lever] for point in points]
            changed = " class='changed'" if any(v != default for v in values) else ""
            cells.append(f"<td{changed}>{html.escape(_distinct(values))}</td>")
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
    ("market", "currency"),
    ("team", "staff"),
    ("team", "review_median_days"),
    ("team", "peak_review_factor"),
)


def _world(folder: ResultsFolder, names: list[str]) -> str:
    groups = _groups(folder, names)
    head = "".join(f"<th>{html.escape(title)}</th>" for title, _ in groups)
    rows = []
    for section, key in WORLD:
        cells = "".join(
            f"<td>{html.escape(_distinct([p['scenario'][section].get(key) for p in points]))}</td>"
            for _, points in groups
        )
        rows.append(f"<tr><th>{section}.{key}</th>{cells}</tr>")
    for kind in ("sellers", "buyers"):
        cells = "".join(
            f"<td>{html.escape(_distinct([_mix(p['scenario'][kind]) for p in points]))}</td>"
            for _, points in groups
        )
        rows.append(f"<tr><th>{kind}</th>{cells}</tr>")
    return f"<table id='world'><tr><th>setting</th>{head}</tr>{''.join(rows)}</table>"


def _mix(profiles: list[dict[str, Any]]) -> str:
    return ", ".join(f"{x['name']} {x['share']:.0%}" for x in profiles)


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


def _provenance(folder: ResultsFolder) -> str:
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
    """Write the report (default: DIR/report.html) and the folder's explorer beside the
    folder (DIR/explorer.html), which the report links to; return the report's path."""
    import os

    from sim.files import write_atomic
    from sim.views import explorer

    target = target or path / "report.html"
    page = build(path, figures)  # opens and checks the folder
    if ResultsFolder(path).kind in explorer.KINDS:
        explored = explorer.write(path)
        link = os.path.relpath(explored.resolve(), target.resolve().parent)
        note = (f"<p id='explorer'>Explore the points interactively (filter, brush, compare): "
                f"<a href='{html.escape(link)}'>{html.escape(explored.name)}</a></p>")  # fmt: skip
        page = page.replace("\n<h2>", f"\n{note}\n<h2>", 1)
    write_atomic(target, page.encode())
    return target
