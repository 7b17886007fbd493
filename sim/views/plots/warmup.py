"""The warm-up analysis: the case team's daily series from an empty start, and where
MSER-5 truncates each (sim.experiments.warmup)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from sim.experiments.warmup import LABELS, SERIES, WarmupAnalysis
from sim.views.plots.style import GRAYS, plt, save


def draw(analysis: WarmupAnalysis, epoch: dt.date, name: str, out: Path) -> list[Path]:
    """One panel per series, on a calendar axis, with its truncation and the advice."""
    days = np.arange(analysis.days)
    dates = np.array([epoch + dt.timedelta(days=int(d)) for d in days])
    figure, axes = plt.subplots(len(SERIES), 1, figsize=(8.0, 7.2), sharex=True)
    for axis, key in zip(axes, SERIES, strict=True):
        values = analysis.series[key]
        axis.plot(dates, values, color=GRAYS[0], linewidth=1.2, label="mean over replications")
        cut = analysis.truncation[key]
        axis.axvline(dates[min(cut, len(dates) - 1)], color=GRAYS[1], linestyle="--",
                     label=f"MSER-5 truncation: day {cut}")  # fmt: skip
        axis.set_ylabel(LABELS[key], fontsize=8)
        axis.set_ylim(bottom=0)
        axis.legend(fontsize=8, loc="lower right")
    advice = analysis.recommended
    axes[0].set_title(
        f"{name}: warm-up from an empty marketplace ({analysis.replications} replications); "
        f"recommended warm-up {advice} days",
        fontsize=10,
    )
    axes[-1].set_xlabel("calendar day (day 0 is the first day of the warm-up)")
    figure.autofmt_xdate()
    return save(figure, out, "warmup")
