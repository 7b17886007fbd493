"""The path behaviour takes when it answers back: week by week, the false-claim rate, the
fraudulent sellers' share of orders, and buyers' demand after churn, each point on its own
calendar, the mean over replications with its 95% interval (clipped to the figure's range).

Drawn for folders whose runs adapted (their path table has rows); the short run and the
long run that compare reports are the first and last 91 days of these lines.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiments.folder import ResultsFolder
from sim.experiments.stats import estimate
from sim.views.plots.queue import dates
from sim.views.plots.style import plt, save, styles
from sim.world.scenario import Scenario

MAX_POINTS = 4
WEEK = 7


def draw(folder: ResultsFolder, out: Path) -> list[Path]:
    if not folder.has("path"):
        return []
    if not int(folder.sql("select count(*) as n from path")["n"].iloc[0]):
        return []
    points = folder.manifest["points"][:MAX_POINTS]
    scenarios = [Scenario.model_validate(point["scenario"]) for point in points]
    weekly = _weekly(folder, scenarios)
    demand = folder.sql(
        f"select point, replication, day, demand from path where point < {len(scenarios)}"
    )
    figure, axes = plt.subplots(3, 1, figsize=(7.5, 7.2), sharex=True)
    panels = (
        (axes[0], "false claims per order (%)", weekly, "false_claim"),
        (axes[1], "sales by fraudulent\nsellers (% of orders)", weekly, "fraud"),
        (axes[2], "buyers' demand after\nchurn (% of the start)", demand, "demand"),
    )
    for point, (scenario, style) in enumerate(zip(scenarios, styles(len(scenarios)),
                                                   strict=True)):  # fmt: skip
        epoch = scenario.window().epoch
        for ax, _, table, column in panels:
            day, mean, low, high = _band(table[table["point"] == point], column)
            when = dates(epoch, day)
            ax.plot(when, mean * 100, color=style["color"], linestyle=style["linestyle"],
                    label=scenario.name)  # fmt: skip
            ax.fill_between(when, low * 100, high * 100, color=style["color"], alpha=0.15,
                            linewidth=0)  # fmt: skip
    for ax, label, _, _ in panels:
        ax.set_ylabel(label, fontsize=8)
        ax.set_ylim(bottom=0)
    axes[0].legend(fontsize=7)
    axes[0].set_title("Behaviour over time (weekly; mean and 95% interval over replications)",
                      fontsize=10)  # fmt: skip
    figure.autofmt_xdate()
    figure.tight_layout()
    return save(figure, out, "behaviour_path")


def _weekly(folder: ResultsFolder, scenarios: list[Scenario]) -> pd.DataFrame:
    """Each point's and replication's weekly false-claim rate and fraudulent share of
    orders (by payment week; the last, partial week left out)."""
    frames = []
    for point, scenario in enumerate(scenarios):
        fraud = [p.name for p in scenario.sellers if not p.honest] or [""]
        names = ", ".join("'" + name.replace("'", "''") + "'" for name in fraud)
        table = folder.sql(
            f"select replication, floor(created_at / {WEEK}) as week, "
            "avg(false_claim::double) as false_claim, "
            f"avg((seller::varchar in ({names}))::int::double) as fraud "
            f"from orders where point = {point} group by replication, week"
        )
        last = table["week"].max()
        table = table[table["week"] < last]
        table = table.assign(point=point, day=(table["week"] + 0.5) * WEEK)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def _band(table: pd.DataFrame, column: str) -> tuple[np.ndarray, ...]:
    """Day, mean and 95% interval of `column` over replications, day by day, in [0, 1+]."""
    days, means, lows, highs = [], [], [], []
    for day, rows in table.groupby("day", sort=True):
        found = estimate(rows[column].to_numpy(dtype=float), bounds=(0.0, np.inf))
        days.append(float(day))
        means.append(found.mean)
        lows.append(found.low if np.isfinite(found.low) else found.mean)
        highs.append(found.high if np.isfinite(found.high) else found.mean)
    return tuple(np.array(values) for values in (days, means, lows, highs))
