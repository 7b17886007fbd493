"""Business days skip weekends (rule P1)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from machine.calendar import add_business_days, is_weekend


@pytest.mark.rules("P1")
def test_weekends_depend_on_the_epoch_weekday():
    assert [is_weekend(d, 0) for d in range(7)] == [False] * 5 + [True] * 2
    assert is_weekend(0, 5) and is_weekend(1, 5) and not is_weekend(2, 5)


@pytest.mark.rules("P1")
@pytest.mark.parametrize(
    ("start", "days", "epoch", "expected"),
    [
        (0.5, 0, 0, 0.5),  # nothing to wait
        (0.5, 1, 0, 2.0),  # Monday -> end of Tuesday
        (4.2, 1, 0, 8.0),  # Friday -> end of Monday
        (5.5, 1, 0, 8.0),  # Saturday -> end of Monday
        (0.0, 10, 0, 15.0),  # Monday + 10: Tue..Fri, Mon..Fri, Mon -> end of day 14
        (0.0, 1, 4, 4.0),  # epoch on a Friday: Mon is day 3
    ],
)
def test_add_business_days(start, days, epoch, expected):
    assert add_business_days(start, days, epoch) == expected


@pytest.mark.rules("P1")
def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_business_days(0.0, -1)


@pytest.mark.rules("P1")
@given(
    starts=st.lists(st.floats(0.0, 3_000.0), min_size=1, max_size=60),
    counts=st.lists(st.integers(0, 40), min_size=60, max_size=60),
    weekday=st.integers(0, 6),
)
def test_the_array_version_counts_business_days_as_the_scalar_one(starts, counts, weekday):
    from machine.calendar import add_business_days_array

    days = np.array(counts[: len(starts)])
    got = add_business_days_array(np.array(starts), days, weekday)
    expected = [add_business_days(s, int(k), weekday) for s, k in zip(starts, days, strict=True)]
    assert got.tolist() == expected
