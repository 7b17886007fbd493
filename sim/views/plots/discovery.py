"""Figures of a scenario discovery: PRIM's trajectory (coverage against density, with
intervals, the chosen box marked), the chosen box's limits against the sampled ranges,
and the design points over two parameters with the box drawn on them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.discovery.discover import Discovery
from sim.experiments.folder import shown_value
from sim.views.discovered import described, limits, sampled, shown_limit
from sim.views.plots.style import GRAYS, MARKERS, new, plt, save


def draw(discovery: Discovery, out: Path, name: str) -> list[Path]:
    """The three figures, written as `name`-trajectory, -limits and -scatter."""
    return (
        _trajectory(discovery, out, f"{name}-trajectory")
        + _limits(discovery, out, f"{name}-limits")
        + _scatter(discovery, out, f"{name}-scatter")
    )


def _trajectory(discovery: Discovery, out: Path, name: str) -> list[Path]:
    figure, axes = new(6.4, 4.6)
    steps = discovery.steps
    coverage = np.array([s.found.coverage for s in steps])
    density = np.array([s.found.density for s in steps])
    for step, c, d in zip(steps, coverage, density, strict=True):  # the 95% intervals
        axes.plot([step.spread.coverage.low, step.spread.coverage.high], [d, d],
                  color=GRAYS[2], linewidth=0.8, zorder=1)  # fmt: skip
        axes.plot([c, c], [step.spread.density.low, step.spread.density.high],
                  color=GRAYS[2], linewidth=0.8, zorder=1)  # fmt: skip
    restricted = np.array([len(s.restricted) for s in steps])
    for count in sorted(set(restricted.tolist())):
        at = restricted == count
        axes.plot(coverage[at], density[at], linestyle="none", marker=MARKERS[count % len(MARKERS)],
                  color=GRAYS[min(count, 4)], label=f"{count} restricted", zorder=2)  # fmt: skip
    if discovery.held_out_check == "made":
        axes.plot([s.held_out.coverage for s in steps], [s.held_out.density for s in steps],
                  linestyle=":", color=GRAYS[1], marker=".", label="held-out points")  # fmt: skip
    chosen = steps[discovery.chosen]
    axes.plot([chosen.found.coverage], [chosen.found.density], marker="o", markersize=14,
              markerfacecolor="none", markeredgecolor=GRAYS[0], linestyle="none",
              label=f"chosen box (step {discovery.chosen})")  # fmt: skip
    axes.set_xlim(0, 1.02)
    axes.set_ylim(0, 1.02)
    axes.set_xlabel("coverage (share of the condition's probability inside)")
    axes.set_ylabel("density (mean probability inside)")
    axes.set_title(f"PRIM: {described(discovery.design.condition)}", fontsize=10)
    if discovery.held_out_check == "not made":  # said on the figure, not only in the text
        axes.text(0.98, 0.98, "held-out check not made:\nno held-out point meets the condition;"
                  "\nbox chosen on the points PRIM ran on", transform=axes.transAxes,
                  ha="right", va="top", fontsize=8, color=GRAYS[0])  # fmt: skip
    axes.legend(fontsize=8, loc="lower left")
    return save(figure, out, name)


def _limits(discovery: Discovery, out: Path, name: str) -> list[Path]:
    design, chosen = discovery.design, discovery.box
    rows = list(chosen.restricted) or list(range(len(design.parameters)))
    figure, axes = new(6.8, 0.7 + 0.55 * len(rows))
    shown = limits(chosen.box, design)
    for i, j in enumerate(rows):
        parameter = design.parameters[j]
        key = parameter.key
        axes.barh(i, 1.0, color=GRAYS[3], height=0.5)
        if parameter.categorical:
            kept = chosen.box.allowed[j]
            count = len(parameter.values or ())
            for c in range(count):
                if c in kept:
                    axes.barh(i, 1.0 / count, left=c / count, color=GRAYS[0], height=0.5)
        else:
            low, high = parameter.low or 0.0, parameter.high or 1.0
            span = high - low if high > low else 1.0
            start = (max(chosen.box.lows[j], low) - low) / span
            end = (min(chosen.box.highs[j], high) - low) / span
            axes.barh(i, max(end - start, 0.005), left=start, color=GRAYS[0], height=0.5)
        p = chosen.quasi_p.get(j)
        note = f"  quasi-p {p:.2g}" if p is not None else ""
        axes.text(1.02, i, f"{shown_limit(shown[key])} of {sampled(design, j)}{note}",
                  va="center", fontsize=8)  # fmt: skip
    axes.set_yticks(range(len(rows)), [design.parameters[j].key for j in rows], fontsize=8)
    axes.set_xlim(0, 1)
    axes.set_xticks([0, 1], ["sampled low", "sampled high"], fontsize=8)
    axes.invert_yaxis()
    axes.grid(False)
    axes.set_title(f"The box (step {discovery.chosen}) against the sampled ranges", fontsize=10)
    return save(figure, out, name)


def scatter_parameters(discovery: Discovery) -> tuple[int, int]:
    """The two numeric parameters to draw: the box's surest restrictions first."""
    design, chosen = discovery.design, discovery.box
    numeric = [j for j in range(len(design.parameters)) if not design.parameters[j].categorical]
    ranked = sorted((j for j in chosen.restricted if j in numeric),
                    key=lambda j: (chosen.quasi_p.get(j, 1.0), j))  # fmt: skip
    ranked += [j for j in numeric if j not in ranked]
    ranked += [j for j in range(len(design.parameters)) if j not in ranked]
    first = ranked[0]
    return first, (ranked[1] if len(ranked) > 1 else first)


def _scatter(discovery: Discovery, out: Path, name: str) -> list[Path]:
    design, chosen = discovery.design, discovery.box
    a, b = scatter_parameters(discovery)
    figure, axes = new(6.0, 4.8)
    x, y = design.space.x[:, a], design.space.x[:, b]
    dots = axes.scatter(x, y, c=design.y, cmap="Greys", vmin=0, vmax=1, edgecolors=GRAYS[1],
                        linewidths=0.5, s=28)  # fmt: skip
    figure.colorbar(dots, ax=axes, label="probability of the condition")
    box = chosen.box
    ranges = {j: (design.parameters[j].low, design.parameters[j].high) for j in (a, b)}
    if a != b and not (design.parameters[a].categorical or design.parameters[b].categorical):
        (a_low, a_high), (b_low, b_high) = (
            (max(box.lows[j], ranges[j][0] or 0.0), min(box.highs[j], ranges[j][1] or 0.0))
            for j in (a, b)
        )
        rectangle = plt.Rectangle((a_low, b_low), a_high - a_low, b_high - b_low, fill=False,
                                  linewidth=1.6,
                                  edgecolor=GRAYS[0], linestyle="--",
                                  label=f"box (step {discovery.chosen})")  # fmt: skip
        axes.add_patch(rectangle)
        axes.legend(fontsize=8, loc="upper right")
    for j, setter in ((a, axes.set_xlabel), (b, axes.set_ylabel)):
        setter(design.parameters[j].key)
        if design.parameters[j].categorical:
            values = design.parameters[j].values or ()
            ticks = axes.set_xticks if j == a else axes.set_yticks
            ticks(range(len(values)), [shown_value(v) for v in values])
    axes.set_title(f"Design points: {described(design.condition)}", fontsize=10)
    return save(figure, out, name)
