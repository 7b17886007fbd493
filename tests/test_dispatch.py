"""The compiled dispatch table and the `transitions` Machine give the same traces."""

from __future__ import annotations

import pytest

from machine import FAST, PROCESS, STATE_NAMES, Policy
from machine.presets import PRESETS
from tests.walks import walk


@pytest.mark.parametrize("preset_name", ["aliexpress-2024", "appeal-7-days", "silence-escalates"])
def test_random_walks_give_identical_traces_and_cover_every_state(preset_name):
    policy = PRESETS[preset_name].policy()
    visited: set[str] = set()
    for seed in range(1500):
        slow, fast = walk(seed, policy, PROCESS), walk(seed, policy, FAST)
        assert slow.events == fast.events, f"seed {seed}"
        slow_order, fast_order = slow.orders[seed], fast.orders[seed]
        assert slow_order.snapshot() == fast_order.snapshot(), f"seed {seed}"
        slow.check(slow_order)
        visited |= {event.dest for event in slow.events[seed]}
    expected = set(STATE_NAMES) - {"paid"}
    if not policy.appeals:
        expected -= {"decided", "appeal_review"}
    assert expected <= visited, f"never reached: {sorted(expected - visited)}"


def test_compiled_rows_follow_the_table_in_its_order():
    """The dispatch table is compiled from the machine; it must still say what the table
    says, row for row and in the table's order (the first row whose guards pass wins)."""
    from machine.table import TRANSITIONS

    expected: dict[tuple[str, str], list[str]] = {}
    for spec in TRANSITIONS:
        for source in spec.source:
            expected.setdefault((spec.trigger, source), []).append(spec.dest or source)
    compiled = {
        (trigger, state): [row[2] or state for row in rows]
        for trigger, by_state in FAST.rows.items()
        for state, rows in by_state.items()
    }
    assert compiled == expected


def test_fast_refuses_like_the_machine_outside_valid_states():
    policy = Policy()
    slow, fast = walk(3, policy, PROCESS, steps=0), walk(3, policy, FAST, steps=0)
    order_a, order_b = slow.orders[3], fast.orders[3]
    assert slow.fire(order_a, "decide", 1.0, amount=1) is fast.fire(
        order_b, "decide", 1.0, amount=1
    )
    assert order_a.state == order_b.state == "paid"
