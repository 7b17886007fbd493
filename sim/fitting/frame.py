"""A log as columns: one row an event, the cases and labels coded, times in days.

Reading a log (`sim.fitting.reading`) gives an `EventFrame`: every event's case, activity
label, time and the line of the file it came from, with the payload columns the log has
(amount, days, reason, kind, party, resource) and what each case carries (when it was paid,
its price, the delivery time promised, its seller and buyer). Events are in case order and,
within a case, in the order they happened. Nothing in it is a Python object per event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

NONE = -1  # a missing code (reason, kind, party, seller, buyer)


@dataclass
class EventFrame:
    """The events of a log, by case, in order (`sim.fitting.reading.read_log` makes it)."""

    path: Path
    epoch: dt.datetime  # day 0 of `time`: midnight UTC of the log's first day
    case: np.ndarray  # int32: the case of each event, increasing
    case_names: np.ndarray  # object: each case's name in the log
    time: np.ndarray  # float64 days since `epoch`
    label: np.ndarray  # int32: the activity label of each event
    labels: np.ndarray  # object: the labels
    line: np.ndarray  # int64: where in the file each event was (a line, or an event's number)
    events: dict[str, np.ndarray] = field(default_factory=dict)  # payload columns
    cases: dict[str, np.ndarray] = field(default_factory=dict)  # case columns, by case

    @property
    def size(self) -> int:
        return len(self.case)

    @property
    def n_cases(self) -> int:
        return len(self.case_names)

    def starts(self) -> np.ndarray:
        """Where each case's events begin (and, last, where the log ends)."""
        return np.searchsorted(self.case, np.arange(self.n_cases + 1))

    def where(self, row: int) -> str:
        """`line N` (or `event N`) of the file, for a message."""
        unit = "line" if self.path.suffix.lower() in (".csv", ".tsv") else "event"
        return f"{self.path} {unit} {int(self.line[row])}"
