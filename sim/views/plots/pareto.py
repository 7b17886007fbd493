"""Figures of a policy search: the Pareto front on each pair of objectives (every
feasible trial, the confirmed candidates with their 95% intervals, shaded by their
probability of being Pareto-optimal) and the candidates' levers in parallel coordinates."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from sim.experiments.optimisation import Optimisation
from sim.experiments.stats import estimate
from sim.measures.metrics import ALL_FIGURES
from sim.views.plots.style import GRAYS, new, plt, save


def draw(found: Optimisation, out: Path) -> list[Path]:
    drawn = _fronts(found, out) + _levers(found, out)
    return drawn + (_robust(found, out) if found.robust is not None else [])


def _fronts(found: Optimisation, out: Path) -> list[Path]:
    objectives = found.study.objectives
    pairs = list(itertools.combinations(range(len(objectives)), 2))[:3] or [(0, 0)]
    figure, axes = plt.subplots(1, len(pairs), figsize=(5.2 * len(pairs), 4.4), squeeze=False)
    for ax, (a, b) in zip(axes[0], pairs, strict=True):
        fa, fb = objectives[a].figure, objectives[b].figure
        scale_a, scale_b = _scale(fa), _scale(fb)
        trials = [t for t, ok in zip(found.trials, found.feasible, strict=True) if ok]
        xs, ys = [t.mean(fa) * scale_a for t in trials], [t.mean(fb) * scale_b for t in trials]
        ax.plot(xs, ys, linestyle="none", marker=".", color=GRAYS[3],
                label="feasible trials (the search's seeds)")  # fmt: skip
        for c in found.candidates:
            ea = estimate([float(r[fa]) for r in c.confirmed])
            eb = estimate([float(r[fb]) for r in c.confirmed])
            shade = GRAYS[0] if c.probability >= 0.5 else GRAYS[1]
            ax.plot([ea.low * scale_a, ea.high * scale_a], [eb.mean * scale_b] * 2, color=shade,
                    linewidth=0.9)  # fmt: skip
            ax.plot([ea.mean * scale_a] * 2, [eb.low * scale_b, eb.high * scale_b], color=shade,
                    linewidth=0.9)  # fmt: skip
            ax.plot([ea.mean * scale_a], [eb.mean * scale_b], marker="o",
                    markersize=4 + 8 * c.probability, color=shade, linestyle="none")  # fmt: skip
            ax.annotate(f"{c.trial.number}: {c.probability:.2f}", (ea.mean * scale_a,
                        eb.mean * scale_b), fontsize=7, xytext=(4, 4),
                        textcoords="offset points")  # fmt: skip
        ax.set_xlabel(_label(fa))
        ax.set_ylabel(_label(fb))
        ax.margins(0.12)  # a front is read by its differences: drawn on the data's range
    axes[0][0].legend(fontsize=8, loc="upper right")
    figure.suptitle("Candidates on fresh seeds with their own 95% intervals; label: trial, "
                    "P(Pareto-optimal) (paired over the shared seeds)", fontsize=10)  # fmt: skip
    return save(figure, out, "pareto-front")


def _levers(found: Optimisation, out: Path) -> list[Path]:
    levers = found.study.levers
    figure, axes = new(max(5.0, 1.6 * len(levers) + 2), 4.2)
    xs = np.arange(len(levers))
    for c in sorted(found.candidates, key=lambda c: c.probability):
        ys = []
        for p in levers:
            value = c.trial.levers[p.key]
            if p.values:
                ys.append(list(p.values).index(value) / max(1, len(p.values) - 1))
            else:
                low, high = float(p.low or 0.0), float(p.high or 1.0)
                ys.append((float(value) - low) / (high - low) if high > low else 0.5)
        shade = GRAYS[0] if c.probability >= 0.5 else GRAYS[2]
        axes.plot(xs, ys, color=shade, marker="o", linewidth=0.6 + 2 * c.probability,
                  label=f"trial {c.trial.number} (P={c.probability:.2f})")  # fmt: skip
    labels = []
    for p in levers:
        if p.values:
            labels.append(f"{p.key}\n{p.values[0]} .. {p.values[-1]}")
        else:
            labels.append(f"{p.key}\n{p.low:g} .. {p.high:g}")
    axes.set_xticks(xs, labels, fontsize=7)
    axes.set_ylim(-0.05, 1.05)
    axes.set_yticks([0, 1], ["low", "high"])
    axes.set_title("The candidates' levers (each axis its searched range)", fontsize=10)
    axes.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return save(figure, out, "pareto-levers")


def _robust(found: Optimisation, out: Path) -> list[Path]:
    """Candidates in their robust rank: the share of worlds meeting the constraints, and
    each objective's 90th-percentile regret."""
    robust = found.robust
    assert robust is not None
    objectives = found.study.objectives
    order = [int(i) for i in robust.order]
    names = [f"#{k + 1} trial {found.candidates[i].trial.number}" for k, i in enumerate(order)]
    figure, axes = plt.subplots(1, 1 + len(objectives), figsize=(3.2 * (1 + len(objectives)),
                                0.9 + 0.42 * len(order)), sharey=True, squeeze=False)  # fmt: skip
    ys = np.arange(len(order))
    axes[0][0].barh(ys, [100 * robust.satisficing[i] for i in order], color=GRAYS[1])
    axes[0][0].set_xlim(0, 100)
    axes[0][0].set_xlabel(f"satisficing (% of {len(found.worlds)} worlds)")
    axes[0][0].set_yticks(ys, names, fontsize=8)
    axes[0][0].invert_yaxis()
    for k, o in enumerate(objectives):
        ax = axes[0][k + 1]
        ax.barh(ys, [robust.regret[i, k] * _scale(o.figure) for i in order], color=GRAYS[2],
                hatch="///", edgecolor=GRAYS[0])  # fmt: skip
        ax.set_xlabel(f"regret, {o.figure} ({_label(o.figure).split('(')[-1]}")
        ax.set_xlim(left=0)
    title = ("Robustness across the worlds, the most robust first (90th-percentile regret: "
             "shortfall from the best candidate in each world)")  # fmt: skip
    figure.suptitle(title, fontsize=10)
    return save(figure, out, "pareto-robust")


def _scale(figure: str) -> float:
    """Shares are drawn in percent."""
    return 100.0 if ALL_FIGURES[figure].is_share else 1.0


def _label(figure: str) -> str:
    f = ALL_FIGURES[figure]
    unit = f.unit.replace("share", "%") if f.is_share else f.unit
    return f"{f.label} ({unit})"
