"""What the figures read from a results folder, through DuckDB."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.views.query import connect


@dataclass
class Folder:
    """A results folder opened for plotting."""

    path: Path
    manifest: dict[str, Any]

    @classmethod
    def open(cls, path: Path) -> Folder:
        con = connect(path)  # checks that it is a results folder
        con.close()
        return cls(path, json.loads((path / "manifest.json").read_text()))

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def point_names(self) -> list[str]:
        """A label per point: the scenario name, with the swept values if any."""
        names = []
        for point in self.manifest["points"]:
            label = point["scenario"]["name"]
            if point["parameters"]:
                label = ", ".join(
                    f"{k.split('.')[-1]}={v:g}" for k, v in point["parameters"].items()
                )
            names.append(label)
        return names

    def sql(self, statement: str) -> pd.DataFrame:
        con = connect(self.path)
        try:
            return con.execute(statement).fetch_df()
        finally:
            con.close()

    def summary(self) -> pd.DataFrame:
        """One row per task with its figures (wide)."""
        return self.sql("select * from summary order by point, replication")

    def has(self, table: str) -> bool:
        return any((self.path / table).glob("**/*.parquet"))
