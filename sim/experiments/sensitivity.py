"""Global sensitivity of every headline figure, and of the figures a study names, to the
swept parameters (SALib).

Each point's output is its mean over replications. Sobol gives first-order (S1) and
total (ST) indices; Morris gives mu*, mu and sigma; both with 95% confidence intervals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.experiments.experiment import FIGURE_KEYS
from sim.experiments.study import Study, Value


def indices(
    study: Study, summaries: list[dict[str, Any]], design: Sequence[Mapping[str, Value]]
) -> list[dict[str, Any]]:
    """Tidy rows: figure, parameter, index, value, confidence (half-width of the 95% CI)."""
    if study.method not in ("sobol", "morris"):
        return []
    n_points = len(design)
    rows: list[dict[str, Any]] = []
    for key in dict.fromkeys([*FIGURE_KEYS, *study.figures]):
        outputs = np.full(n_points, np.nan)
        for point in range(n_points):
            values = [s.get(key, np.nan) for s in summaries if s["point"] == point]
            outputs[point] = np.nanmean(values) if not np.all(np.isnan(values)) else np.nan
        if np.isnan(outputs).any() or np.ptp(outputs) == 0:
            continue  # undefined somewhere, or constant: no sensitivity to speak of
        rows += (
            _sobol(study, key, outputs)
            if study.method == "sobol"
            else _morris(study, key, outputs, design)
        )
    return rows


def _sobol(study: Study, figure: str, outputs: np.ndarray) -> list[dict[str, Any]]:
    from SALib.analyze import sobol

    result = sobol.analyze(study.problem(), outputs, calc_second_order=False, seed=study.seed)
    return [
        {
            "figure": figure,
            "parameter": name,
            "index": index,
            "value": float(result[index][i]),
            "confidence": float(result[f"{index}_conf"][i]),
        }
        for i, name in enumerate(study.problem()["names"])
        for index in ("S1", "ST")
    ]


def _morris(
    study: Study, figure: str, outputs: np.ndarray, design: Sequence[Mapping[str, Value]]
) -> list[dict[str, Any]]:
    from SALib.analyze import morris

    names = study.problem()["names"]
    inputs = np.array([[point[name] for name in names] for point in design], dtype=float)
    result = morris.analyze(
        study.problem(), inputs, outputs, num_levels=study.levels, seed=study.seed
    )
    rows = []
    for i, name in enumerate(names):
        for index in ("mu_star", "mu", "sigma"):
            confidence = float(result["mu_star_conf"][i]) if index == "mu_star" else float("nan")
            rows.append(
                {
                    "figure": figure,
                    "parameter": name,
                    "index": index,
                    "value": float(result[index][i]),
                    "confidence": confidence,
                }
            )
    return rows
