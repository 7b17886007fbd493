"""Figures of a fit from a log: each race's fitted survival against its Kaplan-Meier curve
(with the naive fit that ignores censoring), the arrivals by day against the fitted
pattern, and how the cases conformed to the machine."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.fitting.arrivals import day_counts
from sim.fitting.fit import LogFit, RaceFit
from sim.fitting.replay import STATUSES
from sim.views.plots.style import GRAYS, LINES, new, save


def draw(fit: LogFit, out: Path) -> list[Path]:
    """Every figure of the fit, in `out`."""
    written = []
    for name, race in fit.races.items():
        written += _race(race, out, f"fit-{name}")
    written += _arrivals(fit, out)
    written += _conformance(fit, out)
    return written


def _race(race: RaceFit, out: Path, name: str) -> list[Path]:
    figure, axes = new(6.4, 4.0)
    times, survival = race.km
    axes.step(
        times, survival, where="post", color=GRAYS[0], linewidth=1.4, label="Kaplan-Meier (the log)"
    )
    grid = np.geomspace(
        max(float(race.sample.times.min()), 1e-3), float(race.sample.times.max()), 200
    )
    best = race.best
    cure = f", {best.cure:.0%} never act" if best.cure > 0 else ""
    axes.plot(
        grid,
        best.survival(grid),
        color=GRAYS[1],
        linestyle=LINES[1],
        linewidth=1.4,
        label=f"fitted {best.family}{cure}",
    )
    axes.plot(
        grid,
        race.naive.survival(grid),
        color=GRAYS[2],
        linestyle=LINES[2],
        label="naive: censoring ignored",
    )
    axes.set_xscale("log")
    axes.set_ylim(0, 1.02)
    axes.set_xlabel(race.race.unit)
    axes.set_ylabel("not yet acted")
    seen = race.sample.seen
    axes.set_title(f"{race.race.name}: {race.sample.size:,} observed, {seen:,} acted", fontsize=10)
    axes.legend(fontsize=8, loc="lower left")
    return save(figure, out, name)


def _arrivals(fit: LogFit, out: Path) -> list[Path]:
    arrivals = fit.arrivals
    paid = fit.replay.paid[~np.isnan(fit.replay.paid)]
    if arrivals is None or not len(paid):
        return []
    first, counts = day_counts(paid)
    figure, axes = new(7.0, 3.6)
    days = np.arange(len(counts)) + first
    axes.bar(days, counts, color=GRAYS[3], width=1.0, label="payments a day (the log)")
    weekday = np.array(arrivals.weekday or (1.0,) * 7)
    epoch = fit.replay.frame.epoch
    expected = arrivals.rate * weekday[(days + epoch.weekday()) % 7]
    axes.step(days, expected, where="mid", color=GRAYS[0], label="fitted (off-season rate)")
    axes.set_xlabel(f"days from {epoch.date().isoformat()}")
    axes.set_ylabel("orders")
    axes.set_title("arrivals", fontsize=10)
    axes.legend(fontsize=8)
    return save(figure, out, "fit-arrivals")


def _conformance(fit: LogFit, out: Path) -> list[Path]:
    counts = np.bincount(fit.replay.status, minlength=len(STATUSES))
    figure, axes = new(6.4, 2.8)
    axes.barh(list(STATUSES), counts, color=GRAYS[1])
    for row, count in enumerate(counts):
        axes.text(count, row, f" {count:,}", va="center", fontsize=8)
    axes.set_xlabel("cases")
    axes.set_title("the cases replayed on the machine", fontsize=10)
    axes.invert_yaxis()
    return save(figure, out, "fit-conformance")
