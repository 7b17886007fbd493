"""Business days on the simulation's time axis (days since an epoch, as floats).

The bank credits refunds in business days (rule P1): weekends do not count. The epoch's
weekday (0 = Monday) anchors the axis; no date library or clock is needed.
"""

from __future__ import annotations

import math


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
