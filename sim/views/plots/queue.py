"""The Case Management Team's queue and busy staff over time (first replication)."""

from __future__ import annotations

from pathlib import Path

from sim.views.plots.data import Folder
from sim.views.plots.style import plt, save, styles

MAX_POINTS = 4


def draw(folder: Folder, out: Path) -> list[Path]:
    queue = folder.sql(
        "select point, time, queue, busy from queue where replication = 0 order by point, time"
    )
    names = folder.point_names[:MAX_POINTS]
    figure, (waiting, busy) = plt.subplots(2, 1, figsize=(8.0, 5.6), sharex=True)
    for i, (name, style) in enumerate(zip(names, styles(len(names)), strict=False)):
        rows = queue[queue["point"] == i]
        line = {"color": style["color"], "linestyle": style["linestyle"], "linewidth": 1.5}
        waiting.plot(rows["time"], rows["queue"], label=name, **line)
        busy.plot(rows["time"], rows["busy"], label=name, **line)
    waiting.set_ylabel("cases waiting")
    busy.set_ylabel("case officers busy")
    busy.set_xlabel("simulation day")
    waiting.set_title("Case Management Team load over time (replication 0)")
    waiting.legend(fontsize=8, loc="upper left")
    return save(figure, out, "team_queue")
