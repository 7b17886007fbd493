"""Seller standards in pictures: each profile's sellers on the enforced metric with its
thresholds drawn, and the fraudulent sellers caught (and honest ones flagged) over time.

Both read the sellers table (one row per seller per evaluation); a folder whose scenarios
have no population draws neither. The metric is each point's enforced one, or the
AliExpress dispute rate where nothing is enforced.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from machine.standards import METRICS
from sim.experiments.folder import ResultsFolder
from sim.views.plots.queue import dates
from sim.views.plots.style import GRAYS, plt, save, styles
from sim.world.scenario import Scenario

MAX_POINTS = 4
DEFAULT_METRIC = "aliexpress_dispute_rate"


def draw(folder: ResultsFolder, out: Path) -> list[Path]:
    if not folder.has("sellers"):
        return []
    rows = folder.sql("select count(*) as n from sellers")
    if not int(rows["n"].iloc[0]):
        return []
    return _distributions(folder, out) + _caught(folder, out)


def _scenarios(folder: ResultsFolder) -> list[Scenario]:
    points = folder.manifest["points"][:MAX_POINTS]
    return [Scenario.model_validate(point["scenario"]) for point in points]


def _distributions(folder: ResultsFolder, out: Path) -> list[Path]:
    """Each point's sellers at the window's end on its metric, by profile (replication 0)."""
    scenarios = _scenarios(folder)
    figure, axes = plt.subplots(
        1, len(scenarios), figsize=(4.2 * len(scenarios), 3.6), squeeze=False, sharey=True
    )
    for point, (scenario, ax) in enumerate(zip(scenarios, axes[0], strict=True)):
        policy = scenario.policy
        metric = policy.standard if policy.standard != "none" else DEFAULT_METRIC
        table = folder.sql(
            f"select profile, {metric} as value from sellers where point = {point} "
            "and replication = 0 and day = (select max(day) from sellers where "
            f"point = {point} and replication = 0) and {metric} is not null"
        )
        names = [p.name for p in scenario.sellers]
        values = [table["value"][table["profile"] == name].to_numpy() for name in names]
        kept = [(n, v) for n, v in zip(names, values, strict=True) if len(v)]
        if kept:
            ax.boxplot([v * 100 for _, v in kept], tick_labels=[n for n, _ in kept],
                       showfliers=True, flierprops={"markersize": 2})  # fmt: skip
        for threshold, label, style in (
            (policy.warn_above, "warn", ":"),
            (policy.restrict_above, "restrict", "--"),
            (policy.suspend_above, "suspend", "-"),
        ):
            if policy.standard != "none" and threshold < 1.0:
                ax.axhline(threshold * 100, color=GRAYS[1], linestyle=style, linewidth=1,
                           label=f"{label} above {threshold:.1%}")  # fmt: skip
        ax.set_title(f"{scenario.name}\n{METRICS[metric].title}", fontsize=9)
        ax.set_ylim(bottom=0)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    axes[0][0].set_ylabel("rate at the window's end (%)")
    figure.tight_layout()
    return save(figure, out, "seller_metrics")


def _caught(folder: ResultsFolder, out: Path) -> list[Path]:
    """Fraudulent sellers suspended and honest sellers flagged, by evaluation day (mean
    over replications), each point on its own calendar."""
    scenarios = _scenarios(folder)
    table = folder.sql(
        "select point, day, "
        "avg(case when honest = 0 then (standing = 'suspended')::int end) as fraud, "
        "avg(case when honest = 1 then (flagged_at is not null)::int end) as honest "
        f"from sellers where point < {len(scenarios)} group by point, day order by point, day"
    )
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(7.5, 5.2), sharex=True)
    for point, (scenario, style) in enumerate(zip(scenarios, styles(len(scenarios)),
                                                   strict=True)):  # fmt: skip
        mine = table[table["point"] == point]
        when = dates(scenario.window().epoch, mine["day"].to_numpy())
        line = {"color": style["color"], "linestyle": style["linestyle"], "label": scenario.name}
        top.plot(when, np.nan_to_num(mine["fraud"].to_numpy()) * 100, **line)
        bottom.plot(when, np.nan_to_num(mine["honest"].to_numpy()) * 100, **line)
    top.set_ylabel("fraudulent sellers\nsuspended (%)")
    bottom.set_ylabel("honest sellers\never flagged (%)")
    top.set_ylim(0, 100)
    bottom.set_ylim(0, 100)
    top.legend(fontsize=7)
    top.set_title("Caught over time (mean over replications)", fontsize=10)
    figure.autofmt_xdate()
    figure.tight_layout()
    return save(figure, out, "sellers_caught")
