"""The event log's defined order (time, then order id, then step), whatever order the
engines appended its events in, and however close together their times fall."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.world.records.recorder import EventLog, log_order


def _events(seed: int, n: int, spread: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`n` events: times with many exact ties and times one or a few ulps apart (which
    share their leading bits), or spread over a year; order ids; steps."""
    rng = np.random.default_rng(seed)
    if spread == "close":
        base = rng.choice(rng.random(max(1, n // 4)) * 400, n)
        time = base + rng.integers(0, 4, n) * np.spacing(base)
    else:
        time = rng.random(n) * 456
    time[rng.random(n) < 0.05] = 0.0
    order_id = rng.integers(0, max(1, n // 3), n).astype(np.int32)
    step = rng.integers(0, 30, n).astype(np.int32)
    return time, order_id, step


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 3_000),
    spread=st.sampled_from(["close", "wide"]),
)
def test_the_log_is_ordered_by_time_then_order_then_step(seed, n, spread):
    time, order_id, step = _events(seed, n, spread)
    order = log_order(time, order_id, step)
    expected = np.lexsort((step, order_id, time))
    assert np.array_equal(time[order], time[expected])
    assert np.array_equal(order_id[order], order_id[expected])
    assert np.array_equal(step[order], step[expected])
    assert np.array_equal(np.sort(order), np.arange(n))  # a permutation


def test_negative_times_are_ordered_too():
    time = np.array([3.0, -1.0, -0.0, 0.0, -2.5, 3.0])
    order_id = np.array([2, 1, 4, 3, 1, 1], dtype=np.int32)
    step = np.zeros(6, dtype=np.int32)
    order = log_order(time, order_id, step)
    assert time[order].tolist() == [-2.5, -1.0, 0.0, 0.0, 3.0, 3.0]
    assert order_id[order].tolist()[-2:] == [1, 2]
    assert order_id[order].tolist()[2:4] == [3, 4]


def test_the_log_s_columns_come_out_in_order_with_their_payloads():
    time, order_id, step = _events(7, 5_000, "close")
    code = np.arange(5_000, dtype=np.int32)
    log = EventLog()
    halves = np.array_split(np.random.default_rng(3).permutation(5_000), 2)
    for part in halves:
        carried = np.flatnonzero(part % 10 == 0)  # each tenth event carries its own code
        values = {name: code[part][carried].astype(np.int64) for name in
                  ("amount", "days", "party", "reason", "kind")}  # fmt: skip
        log.extend(order_id[part], time[part], code[part], step[part], (carried, values))
    columns = log.columns()
    expected = np.lexsort((step, order_id, time))
    assert np.array_equal(columns["time"], time[expected])
    assert np.array_equal(columns["order_id"], order_id[expected])
    amount = columns["amount"]
    carries = expected % 10 == 0
    assert np.array_equal(amount[carries], expected[carries])
    assert (amount[~carries] == -1).all()
