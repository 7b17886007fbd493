"""The money view: where the buyers' money went, per 1,000 orders, in the scenario's
currency, each amount with its 95% CI; what buyers paid is given in the title, since
next to it every loss would be a sliver."""

from __future__ import annotations

import math
from pathlib import Path

from sim.experiments.experiment import estimates
from sim.experiments.folder import ResultsFolder
from sim.measures import money
from sim.views.plots.bars import MAX_POINTS, ci_note, grouped
from sim.views.plots.style import new, save

PARTS = [f.key for f in money.FIGURES if f.key != "money_paid"]
LABELS = {f.key: f.label for f in money.FIGURES}


def draw(folder: ResultsFolder, out: Path) -> list[Path]:
    summaries = folder.summary().to_dict("records")
    names = folder.point_names[:MAX_POINTS]
    found = [estimates(summaries, p, [*PARTS, "money_paid"]) for p in range(len(names))]
    if all(math.isnan(e[key].mean) for e in found for key in PARTS):
        return []  # an older folder, from before the money view
    figure, axes = new(8.0, 4.6)
    grouped(axes, [LABELS[k] for k in PARTS], [[e[k] for k in PARTS] for e in found], names,
            horizontal=True)  # fmt: skip
    currency = folder.currency
    axes.set_xlabel(f"{currency} per 1,000 orders")
    axes.set_xlim(left=0)
    paid = found[0]["money_paid"].mean
    axes.set_title(
        f"Money per 1,000 orders ({ci_note(folder.replications)})\n"
        f"buyers paid {paid:,.0f} {currency} per 1,000 orders in {names[0]}",
        fontsize=11,
    )
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return save(figure, out, "money")
