"""A sweep's design points and, at each, how often a condition on a figure held: what
scenario discovery runs on.

A condition is a figure above (or below) a level. At each design point, the replications
that meet it are counted (a replication where the figure is undefined, such as a mean
wait with no case, counts for neither side) and the point carries the share, with its
Wilson interval. Parameters keep their real units; a categorical or true/false lever is
a set of values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.discovery.box import Space
from sim.discovery.uncertainty import wilson
from sim.errors import UserError
from sim.experiments.folder import ResultsFolder, summary_column
from sim.measures.metrics import ALL_FIGURES

SWEEP_KINDS = ("sweep",)


@dataclass(frozen=True)
class Condition:
    """A figure on the wanted side of a level."""

    figure: str
    level: float
    above: bool

    def met(self, values: np.ndarray) -> np.ndarray:
        return values > self.level if self.above else values < self.level

    def key(self) -> str:
        """The condition in the command's words: `team_mean_wait above 10`."""
        return f"{self.figure} {'above' if self.above else 'below'} {self.level:g}"

    def as_dict(self) -> dict[str, Any]:
        return {"figure": self.figure, "side": "above" if self.above else "below",
                "level": self.level}  # fmt: skip


@dataclass(frozen=True)
class Parameter:
    """A swept parameter: its key, and the range (or values) the study sampled."""

    key: str
    low: float | None  # numeric: the sampled range
    high: float | None
    values: tuple[object, ...] | None  # categorical: every value, in the study's order

    @property
    def categorical(self) -> bool:
        return self.values is not None


@dataclass(frozen=True)
class Design:
    """The design points of a sweep and the condition's count at each."""

    condition: Condition
    parameters: tuple[Parameter, ...]
    space: Space
    points: np.ndarray  # the sweep's point numbers
    met: np.ndarray  # replications meeting the condition, per point
    counted: np.ndarray  # replications with the figure defined, per point
    dropped: int  # points with no replication where the figure is defined

    @property
    def y(self) -> np.ndarray:
        """The probability of the condition at each point (the share of replications)."""
        return self.met / self.counted

    def interval(self) -> tuple[np.ndarray, np.ndarray]:
        return wilson(self.met, self.counted)

    def subset(self, rows: np.ndarray) -> Design:
        return Design(self.condition, self.parameters, self.space.subset(rows),
                      self.points[rows], self.met[rows], self.counted[rows], 0)  # fmt: skip


def read_design(folder: ResultsFolder, condition: Condition) -> Design:
    """The design of a sweep folder with the condition counted at each point; one line
    (exit 2) for a folder that is not a sweep, a figure it lacks, or no usable point."""
    path = folder.path
    if folder.kind not in SWEEP_KINDS:
        raise UserError(
            f"{path}: a {folder.kind} folder, not a sweep (discover needs the design points "
            "of `disputesim sweep`)"
        )
    figure = condition.figure
    if figure not in ALL_FIGURES:
        known = ", ".join(ALL_FIGURES)
        raise UserError(f"--figure {figure}: unknown (expected one of: {known})")
    summary = folder.summary()
    if figure not in summary:
        raise UserError(f"{path}: --figure {figure}: not in this folder's summaries")
    parameters = _parameters(folder.manifest)
    values = summary[figure].to_numpy(dtype=float)
    defined = ~np.isnan(values)
    met = condition.met(np.where(defined, values, 0.0)) & defined
    frame = pd.DataFrame({"point": summary["point"], "met": met, "counted": defined})
    counts = frame.groupby("point", sort=True)[["met", "counted"]].sum()
    first = summary.groupby("point", sort=True).first()
    usable = counts["counted"].to_numpy() > 0
    if not usable.any():
        raise UserError(f"{path}: --figure {figure}: undefined in every run (no point to read)")
    columns, categories = [], {}
    for parameter in parameters:
        raw = first[summary_column(parameter.key)]
        if parameter.categorical:
            names = list(parameter.values or ())
            categories[parameter.key] = tuple(names)
            columns.append(np.array([names.index(v) for v in raw.tolist()], dtype=float))
        else:
            columns.append(raw.to_numpy(dtype=float))
    x = np.column_stack(columns)[usable]
    space = Space(tuple(p.key for p in parameters), x, categories)
    return Design(
        condition,
        tuple(parameters),
        space,
        counts.index.to_numpy()[usable],
        counts["met"].to_numpy(dtype=float)[usable],
        counts["counted"].to_numpy(dtype=float)[usable],
        int((~usable).sum()),
    )


def _parameters(manifest: dict[str, Any]) -> list[Parameter]:
    """The swept parameters of a sweep's manifest; one line if it names none."""
    found = swept_parameters(manifest)
    if not found:
        raise UserError("the sweep's manifest names no swept parameter")
    return found


def swept_parameters(manifest: dict[str, Any]) -> list[Parameter]:
    """What a sweep (its study's parameters) or a policy search (its levers) varied, with
    the ranges or values it sampled, in the file's order."""
    design = manifest.get("study") or manifest.get("search") or {}
    found = []
    for p in design.get("parameters", design.get("levers", [])):
        values = p.get("values")
        if values and any(isinstance(v, bool | str) for v in values):
            found.append(Parameter(p["key"], None, None, tuple(values)))
        elif values:
            found.append(Parameter(p["key"], float(min(values)), float(max(values)), None))
        else:
            found.append(Parameter(p["key"], float(p["low"]), float(p["high"]), None))
    return found
