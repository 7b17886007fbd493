"""The compiled dispatch table and the `transitions` Machine give the same traces."""

from __future__ import annotations

import math

import pytest

from machine import END_STATES, FAST, PROCESS, STATE_NAMES, Policy
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


@pytest.mark.parametrize("preset_name", ["aliexpress-2024", "appeal-7-days", "silence-escalates"])
def test_can_answers_what_fire_would_do_and_changes_nothing(preset_name):
    """`can` is `may_<trigger>`: on random walks, before every firing, both processes say
    whether it will happen, and asking leaves the order as it was."""
    import random

    from machine import Context
    from machine.table import TRIGGERS
    from tests.walks import PRICE, random_payload

    policy = PRESETS[preset_name].policy()
    answered = {True: 0, False: 0}
    for seed in range(400):
        rng = random.Random(seed)
        order = PROCESS.new_order(seed, PRICE, promised_days=rng.choice([4.0, 15.0, 30.0]))
        now = 0.0
        for _ in range(60):
            now += rng.expovariate(1.0) if rng.random() < 0.85 else rng.uniform(0, 30)
            trigger = rng.choice(TRIGGERS)  # any trigger, valid from this state or not
            ctx = Context(policy, epoch_weekday=seed % 7).at(now, **random_payload(rng, trigger))
            before = order.snapshot()
            may = PROCESS.can(order, trigger, ctx)
            assert FAST.can(order, trigger, ctx) is may, (seed, trigger)
            assert order.snapshot() == before
            assert FAST.fire(order, trigger, ctx) is may, (seed, trigger)
            answered[may] += 1
            if order.state in END_STATES and rng.random() < 0.3:
                break
    assert min(answered.values()) > 500  # both answers were given, often


def test_a_window_is_the_deadlines_the_table_names():
    from machine import Context
    from machine.deadlines import dispute_closes, dispute_opens
    from machine.process import window

    policy = Policy()
    order = PROCESS.new_order(1, 1_000, promised_days=15.0)
    assert window(order, "open_dispute", policy) == (math.inf, -math.inf)  # not from paid
    assert window(order, "ship", policy) == (-math.inf, math.inf)  # no deadline names it
    assert FAST.fire(order, "ship", Context(policy).at(2.0))
    opens, closes = window(order, "open_dispute", policy)
    assert (opens, closes) == (dispute_opens(order, policy), dispute_closes(order, policy))
    assert opens == 2.0 + policy.earliest_dispute_days and closes == 2.0 + policy.protection_days
    assert window(order, "escalate", policy) == (math.inf, -math.inf)  # not from shipped
