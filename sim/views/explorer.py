"""An interactive explorer of a results folder: one self-contained HTML file.

The page holds the folder's points (a run's scenario, a comparison's scenarios, a sweep's
design points, a search's trials), each with its levers and every figure's mean and 95%
interval over its replications, and draws them in plain JavaScript on canvases: parallel
coordinates with brushing on every axis, sliders and pickers that filter on the levers, a
figure against a lever with its intervals, two figures against each other with the Pareto
set marked, and a table of the selected points in units. A comparison adds a scenario
picker and the paired differences from it (common random numbers); a sweep with a
discovery offers its box as a filter. No server, no network, no WebGL: it opens from a
file. The figures, their labels and units come from the figure catalogue.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

from sim.errors import UserError
from sim.experiments.folder import ResultsFolder, short_key, summary_column
from sim.experiments.stats import estimate, paired_difference
from sim.measures.metrics import ALL_FIGURES, FIGURES

KINDS = ("run", "compare", "sweep", "optimisation")
FOCUS = 6  # figures drawn as axes of the parallel coordinates (the table has every one)
SCRIPT = Path(__file__).with_name("explorer.js")
STYLE = """
body { font-family: system-ui, sans-serif; margin: 1em 1.5em; color: #111; }
h1 { font-size: 1.3em; margin: 0 0 0.2em; } .muted { color: #555; font-size: 0.9em; }
#layout { display: grid; grid-template-columns: 300px 1fr; gap: 1em; }
#controls label { display: block; font-size: 0.85em; margin-top: 0.6em; }
#controls input[type=range] { width: 100%; } .pair { display: flex; gap: 0.3em; }
canvas { border: 1px solid #ccc; background: #fff; display: block; margin-bottom: 0.6em; }
table { border-collapse: collapse; font-size: 0.8em; margin-top: 0.5em; }
th, td { border: 1px solid #bbb; padding: 0.15em 0.45em; text-align: right; }
th { background: #eee; position: sticky; top: 0; } td.name { text-align: left; }
#tablebox { max-height: 420px; overflow: auto; } .charts { display: flex; gap: 0.8em; }
select { max-width: 100%; } button { margin-top: 0.5em; }
"""


def build_data(folder: ResultsFolder) -> dict[str, Any]:
    """The page's data: points, levers, figures (catalogue order), comparisons."""
    kind = folder.kind
    if kind not in KINDS:
        raise UserError(f"{folder.path}: a {kind} folder; explore reads {', '.join(KINDS)}")
    if kind == "optimisation":
        return _optimisation(folder)
    summary = folder.summary()
    if summary.empty:
        raise UserError(f"{folder.path}: no finished run to explore (the folder is empty)")
    rows = summary.to_dict("records")
    points = sorted({int(r["point"]) for r in rows})
    names = folder.point_names
    levers = _levers(folder.manifest) if kind == "sweep" else []
    figures = _figures(rows, folder.manifest)
    found = []
    for point in points:
        own = [r for r in rows if int(r["point"]) == point]
        found.append(
            {
                "id": point,
                "name": _name(kind, point, names),
                "levers": {lv["key"]: _plain(own[0][summary_column(lv["key"])]) for lv in levers},
                "stats": _stats(own, figures),
                "n": len(own),
            }
        )
    data: dict[str, Any] = {
        "kind": kind,
        "title": f"{folder.path.name} ({kind})",
        "levers": levers,
        "figures": [figure_entry(f) for f in figures],
        "focus": _focus(folder.manifest, figures),
        "points": found,
        "pareto": [],
        "pairs": _pairs(rows, points, figures) if kind == "compare" else {},
        "boxes": _boxes(folder) if kind == "sweep" else [],
    }
    return data


def page(data: dict[str, Any]) -> str:
    """The HTML page for `data`, with the script and the data inside."""
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False)
    payload = payload.replace("</", "<\\/")  # never closes the script element early
    title = html.escape(str(data["title"]))
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>disputesim explorer: {title}</title><style>{STYLE}</style></head><body>\n"
        f"<h1>disputesim explorer: {title}</h1>\n"
        "<p class='muted' id='summary'></p>\n"
        "<div id='layout'><div id='controls'></div><div id='views'></div></div>\n"
        f"<script id='data' type='application/json'>{payload}</script>\n"
        f"<script>{SCRIPT.read_text(encoding='utf-8')}</script>\n</body></html>\n"
    )


def write(path: Path, target: Path | None = None) -> Path:
    """Write the explorer of the folder at `path` (default: DIR/explorer.html)."""
    from sim.files import check_target, write_atomic

    folder = ResultsFolder.open(path)
    target = target or folder.path / "explorer.html"
    check_target(target)
    write_atomic(target, page(build_data(folder)).encode())
    return target


# --- the parts ----------------------------------------------------------------------------


def figure_entry(key: str) -> dict[str, Any]:
    figure = ALL_FIGURES[key]
    unit = figure.unit
    return {"key": key, "label": figure.label, "unit": unit, "share": figure.is_share}


def _name(kind: str, point: int, names: list[str]) -> str:
    """A sweep's points are named by number (their levers have columns of their own)."""
    if kind == "sweep" or point >= len(names):
        return f"point {point}"
    return names[point]


def _focus(manifest: dict[str, Any], figures: list[str]) -> list[str]:
    """The figures the question is about, drawn as axes and charted first."""
    from sim.views.responses import default_figures

    return [f for f in default_figures(manifest) if f in figures][:FOCUS] or figures[:FOCUS]


def _figures(rows: list[dict[str, Any]], manifest: dict[str, Any]) -> list[str]:
    """The headline figures, then those the question names, that the summaries hold."""
    from sim.views.responses import default_figures

    wanted = [f.key for f in FIGURES] + default_figures(manifest)
    present = set(rows[0]) if rows else set()
    return [key for key in dict.fromkeys(wanted) if key in present and key in ALL_FIGURES]


def _stats(rows: list[dict[str, Any]], figures: list[str]) -> dict[str, list[float | None]]:
    """Each figure's [mean, low, high] over the rows (low = high = mean with one)."""
    found = {}
    for key in figures:
        e = estimate([float(r.get(key, math.nan)) for r in rows], ALL_FIGURES[key].bounds)
        low = e.low if math.isfinite(e.half_width) else e.mean
        high = e.high if math.isfinite(e.half_width) else e.mean
        found[key] = [_number(e.mean), _number(low), _number(high)]
    return found


def _pairs(rows: list[dict[str, Any]], points: list[int], figures: list[str]
           ) -> dict[str, dict[str, dict[str, list[float | None]]]]:  # fmt: skip
    """For each reference scenario, every other's paired difference from it."""
    by_point = {p: sorted((r for r in rows if int(r["point"]) == p),
                          key=lambda r: int(r["replication"])) for p in points}  # fmt: skip
    found: dict[str, dict[str, dict[str, list[float | None]]]] = {}
    for ref in points:
        found[str(ref)] = {}
        for other in points:
            if other == ref or len(by_point[other]) != len(by_point[ref]):
                continue
            diffs = {}
            for key in figures:
                e = paired_difference([float(r[key]) for r in by_point[other]],
                                      [float(r[key]) for r in by_point[ref]],
                                      ALL_FIGURES[key].bounds)  # fmt: skip
                half = e.half_width if math.isfinite(e.half_width) else 0.0
                diffs[key] = [_number(e.mean), _number(e.mean - half), _number(e.mean + half)]
            found[str(ref)][str(other)] = diffs
    return found


def _levers(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The swept levers as the page draws them: a range, or the values of a category."""
    from sim.discovery.design import swept_parameters

    found = []
    for p in swept_parameters(manifest):
        entry: dict[str, Any] = {"key": p.key, "label": short_key(p.key)}
        if p.categorical:
            found.append({**entry, "kind": "category", "values": list(p.values or ())})
        else:
            found.append({**entry, "kind": "number", "low": p.low, "high": p.high})
    return found


def _boxes(folder: ResultsFolder) -> list[dict[str, Any]]:
    """The discoveries kept in a sweep's folder: each box's condition and limits."""
    from sim.discovery.records import recorded

    return [
        {"condition": r["condition"], "limits": r["box"]["limits"],
         "coverage": r["box"]["coverage"], "density": r["box"]["density"]}
        for r in recorded(folder.path)
    ]  # fmt: skip


def _optimisation(folder: ResultsFolder) -> dict[str, Any]:
    """A search's trials (their search runs) with the confirmed candidates marked."""
    import pandas as pd

    from sim.experiments.optimisation import CONFIRM, PARETO

    manifest = folder.manifest
    search = manifest["search"]
    rows = [r for r in folder.summaries() if int(r["point"]) < CONFIRM]
    if not rows:
        raise UserError(f"{folder.path}: no finished trial to explore")
    levers = _levers(manifest)
    wanted = [o["figure"] for o in search["objectives"]] + [
        c["figure"] for c in search.get("constraints", [])
    ]
    figures = [k for k in dict.fromkeys(wanted + [f.key for f in FIGURES]) if k in rows[0]]
    candidates = {}
    if (folder.path / PARETO).is_file():
        table = pd.read_parquet(folder.path / PARETO)
        candidates = dict(zip(table["trial"].astype(int), table["pareto_probability"],
                              strict=True))  # fmt: skip
    points = []
    for trial in sorted({int(r["point"]) for r in rows}):
        own = [r for r in rows if int(r["point"]) == trial]
        points.append({
            "id": trial, "name": f"trial {trial}",
            "levers": {lv["key"]: _plain(own[0][summary_column(lv["key"])]) for lv in levers},
            "stats": _stats(own, figures), "n": len(own),
            "probability": _number(float(candidates[trial])) if trial in candidates else None,
        })  # fmt: skip
    return {
        "kind": "optimisation",
        "title": f"{folder.path.name} (policy search)",
        "levers": levers,
        "figures": [figure_entry(f) for f in figures],
        "focus": [f for f in wanted if f in figures][:FOCUS],
        "points": points,
        "pareto": sorted(candidates),
        "pairs": {},
        "boxes": [],
    }


def _number(value: float) -> float | None:
    """Four significant digits (the page's size), None for NaN (JSON has no NaN)."""
    if not math.isfinite(value):
        return None
    return float(f"{value:.4g}")


def _plain(value: Any) -> Any:
    if isinstance(value, bool | str):
        return value
    return _number(float(value))
