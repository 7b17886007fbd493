"""A results folder, read: its figures, estimates per point, sensitivity and SQL; and its
event log or headline tables written out for other tools."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.experiments.experiment import estimates as point_estimates
from sim.experiments.folder import ResultsFolder
from sim.measures.metrics import ALL_FIGURES
from sim.views import export, workbook


@dataclass
class Results:
    """A results folder, read: its runs' figures, estimates per point, sensitivity, SQL."""

    folder: ResultsFolder

    @property
    def path(self) -> Path:
        return self.folder.path

    @property
    def point_names(self) -> list[str]:
        """A label per point: the scenario's name, or the swept values."""
        return self.folder.point_names

    def summary(self) -> pd.DataFrame:
        """One row per run (point, replication) with every figure and swept value."""
        return self.folder.summary()

    def estimates(self, figures: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per point and figure: mean, 95% CI and replications."""
        summaries = self.summary().to_dict("records")
        rows = []
        for point, name in enumerate(self.point_names):
            found = point_estimates(summaries, point, list(figures or ALL_FIGURES))
            for key, est in found.items():
                rows.append({"point": point, "name": name, "figure": key, "mean": est.mean,
                             "low": est.low, "high": est.high, "replications": est.n})  # fmt: skip
        return pd.DataFrame(rows)

    def sensitivity(self) -> pd.DataFrame:
        """A Sobol or Morris sweep's indices (figure, parameter, index, value,
        confidence); empty for other folders."""
        return self.folder.sensitivity()

    def sql(self, statement: str) -> pd.DataFrame:
        """A read-only DuckDB query over the folder's tables (as `disputesim query`)."""
        from sim.views.query import query_frame

        return query_frame(self.path, statement)


def open_results(path: str | Path) -> Results:
    """Open a results folder written by run, compare or sweep (`--out`)."""
    return Results(ResultsFolder.open(Path(path)))


EXPORT_SUFFIXES = {"csv": "csv", "xes": "xes", "ocel": "jsonocel", "xlsx": "xlsx"}


def export_target(folder: str | Path, fmt: str, output: str | Path | None = None) -> Path:
    """Where an export goes: `output`, else DIR/events.FORMAT (DIR/figures.xlsx)."""
    stem = "figures" if fmt == "xlsx" else "events"
    return Path(output) if output else Path(folder) / f"{stem}.{EXPORT_SUFFIXES[fmt]}"


def export_log(
    folder: str | Path,
    fmt: str,
    target: str | Path,
    point: int | None = None,
    replication: int | None = None,
    starting: Callable[[list[export.Run], export.Size], None] | None = None,
) -> int:
    """Write the folder's event log as CSV, XES or OCEL 2.0 (the events written), or its
    headline tables as an Excel workbook (the runs written), as `disputesim export` does."""
    if fmt == "xlsx":
        return workbook.write(Path(folder), Path(target), point, replication)
    return export.export(Path(folder), fmt, Path(target), point, replication, starting)
