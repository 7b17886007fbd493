"""The result of one run: the orders table, the event log and the case team's queue,
held as numpy columns and turned into pandas or Arrow without building a row object."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from machine.standards import METRICS, Standing
from machine.table import STATE_NAMES, TRIGGERS
from sim.world.records.recorder import ACTORS, KINDS, PARTIES, REASONS
from sim.world.records.truth import TRUTHS
from sim.world.window import Window

STANDINGS = tuple(s.name.lower() for s in Standing)
SENTIMENTS = ("negative", "neutral", "positive")

# Coded columns and the labels their codes stand for.
EVENT_CATEGORIES = {
    "trigger": TRIGGERS,
    "source": STATE_NAMES,
    "dest": STATE_NAMES,
    "actor": ACTORS,
    "party": PARTIES,
    "reason": REASONS,
    "kind": KINDS,
}


def order_categories(
    sellers: tuple[str, ...], buyers: tuple[str, ...], carriers: tuple[str, ...]
) -> dict[str, tuple[str, ...]]:
    """Labels of the orders table's coded columns (-1 means none)."""
    return {
        "seller": sellers,
        "buyer": buyers,
        "carrier": carriers,
        "truth": TRUTHS,
        "final_state": STATE_NAMES,
        "reason": REASONS,
        "kind": KINDS,
        "standing": STANDINGS,
        "feedback": SENTIMENTS,
    }


def seller_categories(sellers: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Labels of the sellers table's coded columns."""
    return {
        "profile": sellers,
        "standing": STANDINGS,
        **{f"{name}_tier": STANDINGS for name in METRICS},
    }


@dataclass
class Table:
    """Named numpy columns of equal length, some holding codes into `categories`."""

    columns: dict[str, np.ndarray]
    categories: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def labels(self, name: str) -> np.ndarray:
        """A coded column as its labels (None where the code is -1)."""
        names = np.array([*self.categories[name], None], dtype=object)
        return names[self.columns[name]]  # -1 picks the trailing None

    def to_pandas(self, strings: bool = False) -> Any:
        """A DataFrame; coded columns become pandas Categoricals (code -1 is missing), or
        plain strings (None where missing) with `strings=True`, ready to compare."""
        import pandas as pd

        data: dict[str, Any] = {}
        for name, column in self.columns.items():
            if name in self.categories and strings:
                data[name] = self.labels(name)
            elif name in self.categories:
                data[name] = pd.Categorical.from_codes(
                    column.astype(np.int64), categories=list(self.categories[name])
                )
            else:
                data[name] = column
        return pd.DataFrame(data, copy=False)

    def to_arrow(self) -> Any:
        """An Arrow table; coded columns become dictionary arrays (code -1 is null) and a
        missing time (NaN here) becomes null, so SQL's `is null` finds it."""
        import pyarrow as pa

        arrays, names = [], []
        for name, column in self.columns.items():
            if name in self.categories:
                indices = pa.array(column.astype(np.int32), mask=column < 0)
                arrays.append(
                    pa.DictionaryArray.from_arrays(indices, pa.array(list(self.categories[name])))
                )
            else:
                arrays.append(pa.array(column, from_pandas=column.dtype.kind == "f"))
            names.append(name)
        return pa.Table.from_arrays(arrays, names=names)


MARKED = ("contact_seller", "refer_to_team")
"""The triggers whose orders the figures look up (`RunResult.orders_with`): noted from
the log as a run ends, so that figures need no event log."""


@dataclass
class RunResult:
    """Everything one run produced, plus what is needed to read it."""

    scenario_name: str
    seed: int
    orders: Table
    events: Table
    queue: Table
    sellers: Table  # one row per seller per evaluation (empty without a population)
    path: Table  # the adaptive behaviour's path, a row a week (empty without adaptation)
    team_capacity: int  # cases in review at once (staff x caseload)
    team_busy_days: float  # case-days in review within the measured window (of the capacity)
    team_reviews: int
    horizon: float  # time of the last event (the end of the drain)
    window: Window  # what the run measures (sim.world.window)
    event_count: int | None = None  # events of the kept orders (None: len(events))
    marked: dict[str, np.ndarray] = field(default_factory=dict)  # MARKED: order ids

    @property
    def events_kept(self) -> bool:
        """Whether the run kept its event log (`run(..., events=False)` keeps none)."""
        return self.event_count is None or len(self.events) == self.event_count

    @property
    def n_events(self) -> int:
        """How many events the run's kept orders had, whether or not the log was kept."""
        return len(self.events) if self.event_count is None else self.event_count

    def orders_with(self, trigger: str) -> np.ndarray:
        """The ids of the orders that fired `trigger` (sorted), from the log or, for the
        triggers in `MARKED`, noted as the run ended (so a run without its log answers)."""
        if trigger in self.marked:
            return self.marked[trigger]
        events = self.events
        return np.unique(events["order_id"][events["trigger"] == TRIGGERS.index(trigger)])

    @property
    def measured_days(self) -> float:
        """The measured window's length in days (the whole run if it counted orders)."""
        end = min(self.window.end_day, self.horizon)
        return max(end - self.window.first_day, 0.0)

    @property
    def n_orders(self) -> int:
        return len(self.orders)
