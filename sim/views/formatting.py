"""How figures read on a terminal: shares as percentages, days with one decimal."""

from __future__ import annotations

import math

from sim.experiments.stats import Estimate
from sim.views.metrics import FIGURES

UNITS = {figure.key: figure.unit for figure in FIGURES}


def is_share(key: str) -> bool:
    return UNITS[key].startswith("share")


def value(key: str, number: float, signed: bool = False) -> str:
    """One figure's value with its unit."""
    if math.isnan(number):
        return "n/a"
    sign = "+" if signed else ""
    return f"{number:{sign}.2%}" if is_share(key) else f"{number:{sign}.2f}"


def suffix(key: str) -> str:
    unit = UNITS[key].removeprefix("share").strip()
    return f" {unit}" if unit else ""


def estimate(key: str, est: Estimate, signed: bool = False) -> str:
    """`mean ± half-width`, or just the mean with a single replication."""
    if math.isnan(est.half_width):
        return value(key, est.mean, signed)
    return f"{value(key, est.mean, signed)} ± {value(key, est.half_width)}"
