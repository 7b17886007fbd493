"""Guards are pure: the same order, policy and time give the same answer, and nothing
on the order changes by asking."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from machine import PROCESS, Context, Party, Policy
from machine.registry import DEADLINES, GUARDS
from tests.strategies import policies, requests
from tests.walks import walk


@settings(max_examples=120, deadline=None)
@given(
    policy=policies(),
    seed=st.integers(0, 10_000),
    now=st.floats(0.0, 200.0),
    amount=st.one_of(st.none(), st.integers(-5, 20_000)),
    request=st.one_of(st.none(), requests),
    party=st.sampled_from([None, *Party]),
)
def test_every_guard_is_pure(policy, seed, now, amount, request, party):
    journal = walk(seed, policy, PROCESS, steps=seed % 25)
    order = journal.orders[seed]
    before = order.snapshot()
    for name, entry in GUARDS.entries.items():
        first = entry.func(order, Context(policy, now, amount=amount, request=request, party=party))
        again = entry.func(order, Context(policy, now, amount=amount, request=request, party=party))
        assert isinstance(first, bool), name
        assert first == again, name
        assert order.snapshot() == before, f"{name} changed the order"
    for name, deadline in DEADLINES.entries.items():
        moment = deadline.func(order, policy)
        assert moment is None or isinstance(moment, float), name
        assert deadline.func(order, policy) == moment, name
        assert order.snapshot() == before, f"{name} changed the order"


def test_every_guard_and_action_is_used_by_the_table():
    from machine.registry import ACTIONS
    from machine.table import TRANSITIONS

    used_guards = {g for t in TRANSITIONS for g in (*t.when, *t.unless)}
    used_actions = {a for t in TRANSITIONS for a in t.actions}
    assert set(GUARDS.entries) == used_guards
    assert set(ACTIONS.entries) == used_actions


def test_every_deadline_gives_a_moment_on_some_order_the_process_reaches():
    """A deadline that always answered None would pass the purity test; on walked orders
    of every length, each one must name a moment at least once."""
    policy = Policy(appeals=True, max_appeals=1)
    named: set[str] = set()
    for seed in range(300):
        for steps in (1, 2, 3, 5, 8, 13, 40):
            order = walk(seed, policy, PROCESS, steps=steps).orders[seed]
            for name, deadline in DEADLINES.entries.items():
                if deadline.func(order, policy) is not None:
                    named.add(name)
        if named == set(DEADLINES.entries):
            break
    assert named == set(DEADLINES.entries), sorted(set(DEADLINES.entries) - named)
