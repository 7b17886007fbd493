"""How a figure responds to a swept parameter: its mean and 95% CI at each value.

A grid sweep has few values per parameter and each is one group; a sampled design (LHS,
Sobol, Morris) is grouped in equal-width bins of the parameter. A categorical or boolean
lever's values are groups in the order the study lists them. Other parameters are
averaged over, and every replication counts. The same responses feed the sweep plots,
the sweep summaries and `disputesim threshold`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.experiments.folder import shown_value, summary_column
from sim.experiments.stats import Estimate, estimate
from sim.measures.metrics import ALL_FIGURES, FIGURES

GRID_VALUES = 12  # at most this many distinct values: each value is its own group
BINS = 6


@dataclass(frozen=True)
class Response:
    """A figure's estimate at each value of one parameter, in increasing order."""

    parameter: str  # the dotted key, e.g. team.staff
    figure: str
    values: np.ndarray
    estimates: list[Estimate]
    binned: bool = False  # values are the centres of equal-width bins of a sampled design

    @property
    def categorical(self) -> bool:
        """Whether the values are names (or true/false), in no numeric order."""
        return self.values.dtype == object

    @property
    def labels(self) -> list[str]:
        """Each value as people read it."""
        return [shown_value(v) for v in self.values]

    @property
    def means(self) -> np.ndarray:
        return np.array([e.mean for e in self.estimates])

    @property
    def lows(self) -> np.ndarray:
        return np.array([e.low if not math.isnan(e.half_width) else e.mean for e in self.estimates])

    @property
    def highs(self) -> np.ndarray:
        return np.array(
            [e.high if not math.isnan(e.half_width) else e.mean for e in self.estimates]
        )


def column(key: str) -> str:
    """The summary column of a swept key (dots become underscores)."""
    return summary_column(key)


def named_values(manifest: dict, key: str) -> list[object] | None:
    """The values a study lists for a categorical or boolean parameter, in its order."""
    for parameter in (manifest.get("study") or {}).get("parameters", []):
        values = parameter.get("values") or []
        if parameter["key"] == key and any(isinstance(v, bool | str) for v in values):
            return list(values)
    return None


def response(
    summary: pd.DataFrame, parameter: str, figure: str, names: list[object] | None = None
) -> Response:
    """The figure's mean and CI at each value (or bin) of `parameter`; `names`: the
    values of a categorical parameter, in the order to show them."""
    if figure not in ALL_FIGURES:
        raise UserError(f"--figure {figure}: unknown (expected one of: {', '.join(ALL_FIGURES)})")
    if figure not in summary:
        raise UserError(f"--figure {figure}: not in this folder's summaries")
    y = summary[figure].to_numpy(dtype=float)
    bounds = ALL_FIGURES[figure].bounds
    raw = summary[column(parameter)]
    if names is not None or raw.dtype == object or raw.dtype == bool:
        order = names if names is not None else list(dict.fromkeys(raw.tolist()))
        groups = [(raw == name).to_numpy() for name in order]
        return Response(
            parameter,
            figure,
            np.array(order, dtype=object),
            [estimate(y[g], bounds) for g in groups],
        )
    x = raw.to_numpy(dtype=float)
    values = np.unique(x)
    if len(values) <= GRID_VALUES:
        groups = [x == v for v in values]
    else:
        edges = np.linspace(x.min(), x.max(), BINS + 1)
        which = np.clip(np.digitize(x, edges) - 1, 0, BINS - 1)
        keep = [b for b in range(BINS) if (which == b).any()]
        values = np.array([(edges[b] + edges[b + 1]) / 2 for b in keep])
        groups = [which == b for b in keep]
        return Response(
            parameter, figure, values, [estimate(y[g], bounds) for g in groups], binned=True
        )
    return Response(parameter, figure, values, [estimate(y[g], bounds) for g in groups])


def default_figures(manifest: dict) -> list[str]:
    """The figures the question is about: a study's (`figures = [...]`), else those the
    scenarios name (each once, in order), else every headline figure."""
    named = list((manifest.get("study") or {}).get("figures") or [])
    if not named:
        for point in manifest.get("points", []):
            named += [k for k in point["scenario"].get("figures", []) if k not in named]
    return named or [figure.key for figure in FIGURES]


def checked_figures(asked: list[str] | None) -> list[str]:
    """The figures asked for with --figure, each known, in order, once; [] if none."""
    for key in asked or []:
        if key not in ALL_FIGURES:
            raise UserError(f"--figure {key}: unknown (expected one of: {', '.join(ALL_FIGURES)})")
    return list(dict.fromkeys(asked or []))


def chosen_figures(manifest: dict, asked: list[str] | None) -> list[str]:
    """The figures asked for with --figure (checked), else the study's defaults."""
    return checked_figures(asked) or default_figures(manifest)
