"""What `disputesim discover` found, shaped once: the console lines, the JSON (`--json`,
and the copy the results folder keeps for its report) and the box limits in units."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.discovery.box import Box
from sim.discovery.cart import Leaf
from sim.discovery.design import Condition, Design, Parameter
from sim.discovery.discover import Discovery, Found
from sim.experiments.folder import shown_value
from sim.measures.metrics import ALL_FIGURES

SIGNIFICANT = 0.05  # a restriction with a quasi-p-value above this could be dropped


def described(condition: Condition) -> str:
    """The condition as people read it: the figure's label, the side, the level in units."""
    from sim.views import formatting

    unit = formatting.unit_name(condition.figure)
    level = formatting.compact(condition.figure, condition.level) + (f" {unit}" if unit else "")
    side = "above" if condition.above else "below"
    return f"{ALL_FIGURES[condition.figure].label} {side} {level}"


def limits(box: Box, design: Design, only: tuple[int, ...] | None = None) -> dict[str, Any]:
    """The box's limit on each parameter (each restricted one, with `only`), in units: a
    range for a numeric parameter, the values kept for a categorical one. A side the box
    leaves open reaches the end of the sampled range (not only the last point drawn)."""
    found: dict[str, Any] = {}
    for j, parameter in enumerate(design.parameters):
        if only is not None and j not in only:
            continue
        if parameter.categorical:
            values = parameter.values or ()
            found[parameter.key] = {"values": [values[c] for c in sorted(box.allowed[j])]}
        else:
            low = parameter.low if np.isinf(box.lows[j]) else box.lows[j]
            high = parameter.high if np.isinf(box.highs[j]) else box.highs[j]
            found[parameter.key] = {"low": low, "high": high}
    return found


def shown_limit(limit: dict[str, Any]) -> str:
    """A limit as people read it: `2 to 4.5`, or `{a, b}`."""
    if "values" in limit:
        return "{" + ", ".join(shown_value(v) for v in limit["values"]) + "}"
    low, high = shown_value(limit["low"]), shown_value(limit["high"])
    return low if low == high else f"{low} to {high}"


def sampled(design: Design, j: int) -> str:
    parameter = design.parameters[j]
    if parameter.categorical:
        return "{" + ", ".join(shown_value(v) for v in parameter.values or ()) + "}"
    return f"{shown_value(parameter.low)} to {shown_value(parameter.high)}"


def _step(found: Found, design: Design) -> dict[str, Any]:
    s, spread = found.found, found.spread
    keys = [design.parameters[j].key for j in found.restricted]
    return {
        "coverage": s.coverage,
        "coverage_ci": [spread.coverage.low, spread.coverage.high],
        "density": s.density,
        "density_ci": [spread.density.low, spread.density.high],
        "mass": s.mass,
        "mass_ci": [spread.mass.low, spread.mass.high],
        "points": s.points,
        "held_out_coverage": found.held_out.coverage,
        "held_out_density": found.held_out.density,
        "restricted": keys,
        "limits": limits(found.box, design, found.restricted),
        "quasi_p": {design.parameters[j].key: p for j, p in found.quasi_p.items()},
    }


def _parameter(p: Parameter) -> dict[str, Any]:
    if p.categorical:
        return {"key": p.key, "values": list(p.values or ())}
    return {"key": p.key, "low": p.low, "high": p.high}


def _leaf(leaf: Leaf, design: Design) -> dict[str, Any]:
    s = leaf.stats
    restricted = leaf.box.restricted(design.space.unbounded())
    return {"density": s.density, "coverage": s.coverage, "mass": s.mass, "points": s.points,
            "limits": limits(leaf.box, design, restricted)}  # fmt: skip


def as_dict(discovery: Discovery) -> dict[str, Any]:
    """Everything found, in plain JSON types."""
    design = discovery.design
    low, high = design.interval()
    return {
        "condition": design.condition.as_dict(),
        "points": int(design.space.size),
        "replications": int(design.counted.max()),
        "held_out": discovery.held_out,
        "held_out_witnesses": discovery.witnesses,
        "held_out_check": discovery.held_out_check,
        "held_out_note": discovery.check_note(),
        "dropped_points": design.dropped,
        "seed": discovery.seed,
        "parameters": [_parameter(p) for p in design.parameters],
        "probabilities": [
            {"point": int(point), "probability": float(y), "ci": [float(lo), float(hi)]}
            for point, y, lo, hi in zip(design.points, design.y, low, high, strict=True)
        ],
        "chosen": discovery.chosen,
        "box": _step(discovery.box, design),
        "trajectory": [_step(found, design) for found in discovery.steps],
        "cart": [_leaf(leaf, design) for leaf in discovery.leaves],
    }


def lines(discovery: Discovery, written: list[str] | None = None) -> list[str]:
    """The chosen box with its intervals, the trajectory, and CART's densest leaves."""
    design, chosen = discovery.design, discovery.box
    s, spread = chosen.found, chosen.spread
    checked = (f"{discovery.held_out} held out to check it" if discovery.held_out
               else "checked on the same points (too few to hold any out)")  # fmt: skip
    out = [
        f"Where {described(design.condition)}: PRIM on {design.space.size} design points "
        f"x {int(design.counted.max())} replications ({checked})",
        f"  box (step {discovery.chosen} of {len(discovery.steps) - 1}): "
        f"coverage {s.coverage:.2f} [{spread.coverage.low:.2f}, {spread.coverage.high:.2f}], "
        f"density {s.density:.2f} [{spread.density.low:.2f}, {spread.density.high:.2f}], "
        f"mass {s.mass:.2f} [{spread.mass.low:.2f}, {spread.mass.high:.2f}] (95%, bootstrap "
        "over design points)",
    ]
    note = discovery.check_note()
    if note is None:
        out.append(f"  on the held-out points: coverage {chosen.held_out.coverage:.2f}, "
                   f"density {chosen.held_out.density:.2f}")  # fmt: skip
    else:
        out.append(f"  {note}")
    if design.dropped:
        out.append(f"  ({design.dropped} points left out: the figure is undefined in every run)")
    kept = limits(chosen.box, design, chosen.restricted)
    width = max([len(k) for k in kept] + [10])
    for j in chosen.restricted:
        key = design.parameters[j].key
        p = chosen.quasi_p[j]
        note = "" if p <= SIGNIFICANT else "  (could be dropped)"
        out.append(f"    {key:<{width}}  {shown_limit(kept[key]):<22} of {sampled(design, j):<22}"
                   f" quasi-p {p:.2g}{note}")  # fmt: skip
    if not chosen.restricted:
        out.append("    (no restriction: the box is the whole sweep)")
    out.append(
        "  trajectory: step, coverage, density, mass, restricted; held-out coverage, density"
    )
    made = discovery.held_out_check != "not made"
    for i, f in enumerate(discovery.steps):
        mark = " <-" if i == discovery.chosen else ""
        held = (f"{f.held_out.coverage:5.2f}  {f.held_out.density:5.2f}" if made
                else "  n/a    n/a")  # fmt: skip
        out.append(f"    {i:>3}  {f.found.coverage:5.2f}  {f.found.density:5.2f}  "
                   f"{f.found.mass:5.2f}  {len(f.restricted):>2};  {held}{mark}")  # fmt: skip
    out.append("CART (a regression tree on the same probabilities), its densest leaves:")
    for leaf in discovery.leaves[:3]:
        restricted = leaf.box.restricted(design.space.unbounded())
        rule = ", ".join(f"{k} {shown_limit(v)}"
                         for k, v in limits(leaf.box, design, restricted).items())  # fmt: skip
        out.append(f"    density {leaf.stats.density:.2f}, coverage {leaf.stats.coverage:.2f}, "
                   f"mass {leaf.stats.mass:.2f}: {rule or 'everywhere'}")  # fmt: skip
    if written:
        record, *figures = written
        shown = [f for f in figures if f.endswith(".png")]
        out.append(f"written: {record}, {', '.join(shown)} (and SVG)")
    return out


def html_section(records: list[dict[str, Any]]) -> str:
    """The report's section: each discovery kept in the folder, its box and figures."""
    import html
    from pathlib import Path

    from sim.views.embed import embedded

    if not records:
        return ""
    parts = ["<h2>Scenario discovery</h2>"]
    for record in records:
        box, c = record["box"], record["condition"]
        parts.append(
            f"<p class='question'>Where {html.escape(c['figure'])} is {c['side']} "
            f"{c['level']:g}: PRIM on {record['points']} design points x "
            f"{record['replications']} replications ({record['held_out']} held out)</p>"
        )
        ci = "[{:.2f}, {:.2f}]".format
        note = record.get("held_out_note")
        checked = (html.escape(note) if note else
                   f"on the held-out points coverage {box['held_out_coverage']:.2f}, density "
                   f"{box['held_out_density']:.2f}")  # fmt: skip
        parts.append(
            f"<p>Box (step {record['chosen']}): coverage {box['coverage']:.2f} "
            f"{ci(*box['coverage_ci'])}, density {box['density']:.2f} {ci(*box['density_ci'])}, "
            f"mass {box['mass']:.2f} {ci(*box['mass_ci'])} (95%, bootstrap over design "
            f"points); {checked}.</p>"
        )
        rows = [
            f"<tr><td>{html.escape(key)}</td><td>{html.escape(shown_limit(limit))}</td>"
            f"<td class='num'>{box['quasi_p'].get(key, float('nan')):.2g}</td></tr>"
            for key, limit in box["limits"].items()
        ]
        parts.append("<table><tr><th>parameter</th><th>box</th><th>quasi-p</th></tr>"
                     f"{''.join(rows)}</table>")  # fmt: skip
        for figure in record.get("figures", []):
            path = Path(figure)
            if path.suffix == ".png" and path.is_file():
                parts.append(embedded(path, path.stem.replace("_", " ")))
    return "\n".join(parts)
