"""What the figures read from a results folder, through DuckDB."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import UserError
from sim.experiments.store import read_manifest
from sim.views.query import connect
from sim.views.responses import shown_value, swept


def short_key(key: str) -> str:
    """A swept key for a label: the field, with the profile it belongs to if any
    (`buyers.opportunistic.share` is `opportunistic share`, `team.staff` is `staff`)."""
    parts = key.split(".")
    return f"{parts[1]} {parts[2]}" if len(parts) == 3 else parts[-1]


@dataclass
class Folder:
    """A results folder opened for plotting."""

    path: Path
    manifest: dict[str, Any]
    _summary: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    @classmethod
    def open(cls, path: Path) -> Folder:
        """Open a results folder, or refuse with one line if it is not one or is broken."""
        con = connect(path)  # checks the manifest, and that every table reads
        con.close()
        return cls(path, read_manifest(path))

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def point_names(self) -> list[str]:
        """A label per point: the scenario name, with the swept values if any."""
        names = []
        for point in self.manifest["points"]:
            label = point["scenario"]["name"]
            values = point["parameters"]
            if values:  # in the study's order (the manifest's JSON sorts its keys)
                keys = [k for k in swept(self.manifest) if k in values] or list(values)
                label = ", ".join(f"{short_key(k)}={shown_value(values[k])}" for k in keys)
            names.append(label)
        return names

    def sql(self, statement: str) -> pd.DataFrame:
        import duckdb

        con = connect(self.path)
        try:
            return con.execute(statement).fetch_df()
        except duckdb.Error as err:
            first = str(err).strip().splitlines()[0]
            raise UserError(f"{self.path}: cannot read its tables ({first})") from None
        finally:
            con.close()

    def summary(self) -> pd.DataFrame:
        """One row per task with its figures (wide); read once, then kept (a report and
        its figures ask for it a dozen times)."""
        if self._summary is None:
            self._summary = self.sql("select * from summary order by point, replication")
        return self._summary.copy()

    @property
    def replications(self) -> int:
        """Replications per point (the most any point has)."""
        counts = self.summary().groupby("point").size()
        return int(counts.max()) if len(counts) else 0

    @property
    def currency(self) -> str:
        """The currency money is shown in (the first point's; points share one)."""
        from sim.measures.money import currency_of

        return currency_of(self.manifest["points"][0]["scenario"])

    def has(self, table: str) -> bool:
        return any((self.path / table).glob("**/*.parquet"))
