"""An order's story: its row of the orders table and its events, ready to tell or draw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass
class Story:
    """An order's row and its events, with the calendar day 0 falls on."""

    order: dict[str, Any]
    events: pd.DataFrame
    start: dt.date
    point: int
    replication: int

    def date(self, day: float) -> str:
        return (self.start + dt.timedelta(days=day)).strftime("%a %d %b %Y")
