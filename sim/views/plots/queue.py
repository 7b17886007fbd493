"""The Case Management Team over the calendar: its queue and busy places day by day
(replication 0), and weekly disputes, refunds, escalations and queue (all replications).

Every point is drawn on its own calendar dates, so scenarios that start on different days
are not overlaid on one "simulation day" axis; a dotted line marks where each point's
measured window starts (before it, the warm-up from an empty marketplace).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np

from sim.experiments.folder import ResultsFolder
from sim.views.plots.style import GRAYS, plt, save, styles
from sim.world.scenario import Scenario

MAX_POINTS = 4
WEEKLY = (
    ("opened_at", "disputes opened"),
    ("refund_at", "refunds made"),
    ("escalated_at", "cases escalated"),
)


def dates(epoch: dt.date, days: np.ndarray) -> np.ndarray:
    """Calendar instants of day numbers since `epoch` (numpy datetime64, to the minute)."""
    start = np.datetime64(epoch.isoformat(), "m")
    return start + np.round(np.asarray(days, dtype=float) * 1440).astype("timedelta64[m]")


def _epochs(folder: ResultsFolder) -> list[tuple[dt.date, dt.date]]:
    """Each point's day 0 and the first day of its measured window."""
    found = []
    for point in folder.manifest["points"]:
        window = Scenario.model_validate(point["scenario"]).window()
        found.append((window.epoch, window.start))
    return found


def draw(folder: ResultsFolder, out: Path) -> list[Path]:
    return _daily(folder, out) + (_weekly(folder, out) if folder.has("orders") else [])


def _mark_windows(axes: Any, epochs: list[tuple[dt.date, dt.date]]) -> None:
    for _, start in dict.fromkeys(epochs):
        axes.axvline(np.datetime64(start.isoformat()), color=GRAYS[2], linestyle=":", linewidth=1)


def _daily(folder: ResultsFolder, out: Path) -> list[Path]:
    queue = folder.sql(
        "select point, time, queue, busy from queue where replication = 0 order by point, time"
    )
    names = folder.point_names[:MAX_POINTS]
    epochs = _epochs(folder)[:MAX_POINTS]
    figure, (waiting, busy) = plt.subplots(2, 1, figsize=(8.0, 5.6), sharex=True)
    for i, (name, style) in enumerate(zip(names, styles(len(names)), strict=False)):
        rows = queue[queue["point"] == i]
        when = dates(epochs[i][0], rows["time"].to_numpy())
        line = {"color": style["color"], "linestyle": style["linestyle"], "linewidth": 1.5}
        waiting.plot(when, rows["queue"], label=name, **line)
        busy.plot(when, rows["busy"], label=name, **line)
    for axes in (waiting, busy):
        _mark_windows(axes, epochs)
        axes.set_ylim(bottom=0)
    waiting.set_ylabel("cases waiting")
    busy.set_ylabel("places busy (staff x caseload)")
    busy.set_xlabel("date (dotted: the measured window starts)")
    waiting.set_title("Case Management Team load over time (replication 0)")
    waiting.legend(fontsize=8, loc="upper left")
    figure.autofmt_xdate()
    return save(figure, out, "team_queue")


def _weekly(folder: ResultsFolder, out: Path) -> list[Path]:
    """Weekly counts per replication (its mean over replications) and the weekly queue."""
    names = folder.point_names[:MAX_POINTS]
    epochs = _epochs(folder)[:MAX_POINTS]
    reps = folder.sql("select point, count(distinct replication) as n from summary group by 1")
    per_point = dict(zip(reps["point"], reps["n"], strict=True))
    panels = [*WEEKLY, ("queue", "cases waiting (weekly mean)")]
    figure, grid = plt.subplots(len(panels), 1, figsize=(8.0, 8.4), sharex=True)
    for axes, (column, label) in zip(grid, panels, strict=True):
        if column == "queue":
            table = folder.sql(
                "select point, floor(time / 7) as week, avg(queue) as value from queue "
                "group by 1, 2 order by 1, 2"
            )
        else:
            table = folder.sql(
                f"select point, floor({column} / 7) as week, count(*) as value from orders "
                f"where {column} is not null group by 1, 2 order by 1, 2"
            )
        for i, (name, style) in enumerate(zip(names, styles(len(names)), strict=False)):
            rows = table[table["point"] == i]
            scale = 1.0 if column == "queue" else 1.0 / max(per_point.get(i, 1), 1)
            axes.plot(
                dates(epochs[i][0], rows["week"].to_numpy() * 7),
                rows["value"].to_numpy() * scale,
                color=style["color"],
                linestyle=style["linestyle"],
                marker=style["marker"],
                markersize=3,
                label=name,
            )
        _mark_windows(axes, epochs)
        axes.set_ylim(bottom=0)
        axes.set_ylabel(label if column == "queue" else f"{label}\nper week", fontsize=9)
    grid[0].set_title("Weekly disputes, refunds, escalations and queue (mean of replications)")
    grid[0].legend(fontsize=8, loc="upper left")
    grid[-1].set_xlabel("week starting (dotted: the measured window starts)")
    figure.autofmt_xdate()
    return save(figure, out, "weekly")
