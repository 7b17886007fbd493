"""What a figure is: a key, a label for people, a unit, a definition; and the small
helpers every group of figures computes with (a share of a segment, a percentile).

Shares are fractions (0 to 1); times are days; losses are shares of the gross value of
all orders (GMV); money is in the scenario's currency per 1,000 orders placed, so that no
figure grows with the length of the run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.world.records.lazy import rows_of

MONEY = "money per 1,000 orders"  # in the scenario's currency (`market.currency`)


@dataclass(frozen=True)
class Figure:
    """A figure: its key, its label for people, its unit and what it counts."""

    key: str
    label: str
    unit: str
    doc: str = ""

    @property
    def bounds(self) -> tuple[float, float]:
        """The figure's range: shares lie in [0, 1]; days, losses and money are not negative."""
        return (0.0, 1.0) if self.unit.startswith("share") else (0.0, math.inf)

    @property
    def floor(self) -> float:
        """The absolute half-width that is precise enough for a figure near zero."""
        return PRECISION_FLOORS[self.unit]

    @property
    def is_share(self) -> bool:
        return self.unit.startswith("share")


# A half-width this small is precise enough whatever the mean (figures near zero).
PRECISION_FLOORS = {"share": 0.002, "share of GMV": 0.0005, "days": 0.1, MONEY: 1.0}

Columns = dict[str, np.ndarray]


def measured_orders(orders: Columns) -> Columns:
    """The orders paid in the run's measured window, column by column (the columns
    themselves when every order was)."""
    measured = orders["measured"].astype(bool)
    if measured.all():
        return dict(orders)
    return rows_of(orders, np.flatnonzero(measured))


def share(numerator: np.ndarray, mask: np.ndarray) -> float:
    """The share of the orders in `mask` for which `numerator` holds (NaN if none)."""
    count = int(mask.sum())
    return float(numerator[mask].sum() / count) if count else math.nan


def percentile(values: np.ndarray, q: float) -> float:
    """The q-th percentile of the values that are not NaN (NaN if none)."""
    values = values[~np.isnan(values)]
    return float(np.percentile(values, q)) if len(values) else math.nan


def mean(values: np.ndarray) -> float:
    """The mean of the values that are not NaN (NaN if none)."""
    values = values[~np.isnan(values)]
    return float(values.mean()) if len(values) else math.nan
