"""Business days on the simulation's time axis (days since an epoch, as floats).

The bank credits refunds in business days (rule P1): weekends do not count. The epoch's
weekday (0 = Monday) anchors the axis; no clock is needed.
"""

from __future__ import annotations

import math

import numpy as np


def is_weekend(day_index: int, epoch_weekday: int) -> bool:
    """Whether whole day `day_index` after the epoch falls on a Saturday or Sunday."""
    return (epoch_weekday + day_index) % 7 >= 5


def add_business_days(start: float, business_days: int, epoch_weekday: int = 0) -> float:
    """The time `business_days` working days after `start`.

    Counting starts at the end of the day of `start`: a refund issued on a Friday with
    one business day to clear is credited at the end of Monday.
    """
    if business_days < 0:
        raise ValueError("business_days must be >= 0")
    day = math.floor(start)
    remaining = business_days
    while remaining > 0:
        day += 1
        if not is_weekend(day, epoch_weekday):
            remaining -= 1
    return max(start, float(day + 1)) if business_days > 0 else start


_MONDAY = np.datetime64("1970-01-05", "D")  # any Monday: day d of an epoch on weekday w is
# the calendar day _MONDAY + w + d, with the same weekday


def add_business_days_array(
    start: np.ndarray, business_days: np.ndarray, epoch_weekday: int = 0
) -> np.ndarray:
    """`add_business_days` for arrays of starts and counts (numpy's business-day calendar).

    Rolling a weekend back to its Friday and counting on gives the same k-th working day
    after the day of `start` as counting from the weekend day itself.
    """
    if (business_days < 0).any():
        raise ValueError("business_days must be >= 0")
    day = np.floor(start).astype(np.int64)
    dates = _MONDAY + (epoch_weekday + day).astype("timedelta64[D]")
    landed = np.busday_offset(dates, business_days, roll="backward")
    landed_day = (landed - _MONDAY).astype(np.int64) - epoch_weekday
    return np.where(business_days > 0, np.maximum(start, landed_day + 1.0), start)
