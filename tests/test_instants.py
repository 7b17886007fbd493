"""Time cannot go backwards: one representation of instants, one way to reach them.

Worlds of very fast carriers, instant buyers and sellers and zero-length delays put many
moves on the same instant and on instants reached by different sums of the same days.
Every order must still end, pass the invariants (which include "an order's events never
go back in time"), and the two engines must agree to the bit.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.world.engines.clock import Clock
from sim.world.runner import run
from tests.strategies import policies
from tests.test_engines import assert_identical
from tests.world_runs import baseline

rules = pytest.mark.rules

tiny = st.sampled_from([0.0, 0.0, 1e-12, 1e-6, 0.01, 0.3])  # zero twice as likely


@st.composite
def hasty_worlds(draw: st.DrawFn) -> dict[str, object]:
    """Every actor at or near its fastest: delays of zero, carriers at their quickest."""
    base = baseline()
    sellers = tuple(
        s.model_copy(
            update={
                "handling_median_days": max(0.01, draw(tiny)),
                "answer_deadline_share": max(0.01, draw(tiny)),
                "confirm_return_median_days": draw(tiny),
            }
        )
        for s in base.sellers
    )
    buyers = tuple(
        b.model_copy(
            update={
                "cancel_median_days": max(0.01, draw(tiny)),
                "patience_days": draw(tiny),
                "notice_median_days": draw(tiny),
                "escalation_median_days": draw(tiny),
                "return_median_days": draw(tiny),
                "confirm_median_days": draw(tiny),
                "collect_median_days": draw(tiny),
                "false_claim": draw(st.sampled_from([0.0, 0.3, 1.0])),
                "escalates": draw(st.sampled_from([0.0, 0.5, 1.0])),
            }
        )
        for b in base.buyers
    )
    carriers = tuple(
        c.model_copy(
            update={
                "promised_days": 1.0,
                "transit_median_days": 0.5,
                "transit_spread": draw(st.sampled_from([0.0, 0.35])),
                "tracking_lag_min_days": 0.0,
                "tracking_lag_max_days": draw(tiny),
                "customs_median_days": draw(tiny),
                "customs_rate": draw(st.sampled_from([0.0, 0.5])),
            }
        )
        for c in base.market.carriers
    )
    team = base.team.model_copy(
        update={
            "staff": draw(st.integers(1, 3)),
            "review_median_days": max(0.001, draw(tiny)),
            "reply_median_days": draw(tiny),
        }
    )
    market = base.market.model_copy(update={"carriers": carriers})
    return {"sellers": sellers, "buyers": buyers, "market": market, "team": team}


@rules("L9", "L11", "D13", "E1")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy=policies(), world=hasty_worlds(), seed=st.integers(0, 2**32 - 1))
def test_hasty_worlds_never_go_back_in_time_and_both_engines_agree(policy, world, seed):
    scenario = baseline().model_copy(update={"policy": policy, **world})
    checked = run(scenario, seed, orders=300, check_invariants=True)  # raises if time reverses
    ev = checked.events
    by_order = np.lexsort((ev["seq"], ev["order_id"]))
    ids, times = ev["order_id"][by_order], ev["time"][by_order]
    same = ids[1:] == ids[:-1]
    assert (times[1:][same] >= times[:-1][same]).all()
    assert_identical(checked, run(scenario, seed, orders=300, engine="reference"))


@rules("L11", "D13", "D12")
def test_a_dispute_cancelled_on_delivery_then_confirmed_at_once():
    """The case that used to fail: a fast parcel, a quick not-received claim, the parcel
    shown delivered, the dispute cancelled, and an instant confirmation after it."""
    base = baseline()
    carriers = tuple(
        c.model_copy(update={"promised_days": 1.0, "transit_median_days": 0.5})
        for c in base.market.carriers
    )
    buyers = tuple(
        b.model_copy(update={"patience_days": 0.0, "confirm_median_days": 0.0}) for b in base.buyers
    )
    scenario = base.model_copy(
        update={"market": base.market.model_copy(update={"carriers": carriers}), "buyers": buyers}
    )
    result = run(scenario, 5, orders=2_000, check_invariants=True)
    ev = result.events
    cancelled = set(ev["order_id"][ev.labels("trigger") == "cancel_dispute"].tolist())
    confirmed = set(ev["order_id"][ev.labels("trigger") == "confirm_receipt"].tolist())
    assert cancelled & confirmed, "the run must contain the path that used to go backwards"


def test_the_clock_lands_on_the_instant_a_delay_can_miss():
    """`now + (when - now)` is not always `when` in floating point; `Clock.at` is."""
    rng = random.Random(3)
    pairs = [(rng.uniform(0, 400), rng.uniform(0, 400)) for _ in range(2_000)]
    pairs = [(min(a, b), max(a, b)) for a, b in pairs]
    assert any(now + (when - now) != when for now, when in pairs), "no example of the class"
    env = Clock()
    seen: list[tuple[float, float]] = []

    def wake(start: float, when: float):
        yield env.at(start)  # from a clock at `start`, not at 0, where any delay is exact
        yield env.at(when)
        seen.append((env.now, when))

    for start, when in pairs:
        env.process(wake(start, when))
    env.run()
    assert len(seen) == len(pairs) and all(now == when for now, when in seen)


def test_the_clock_refuses_an_instant_in_the_past():
    env = Clock()
    env.run(until=5.0)
    with pytest.raises(ValueError, match=r"cannot schedule at 4\.0"):
        env.at(4.0)


def test_the_private_simpy_members_the_clock_relies_on_are_as_assumed():
    """The clock puts `(time, priority, id, event)` on `Environment._queue` with an id
    from `Environment._eid` (the pinned SimPy minor version): an instant and a timeout
    at one time keep SimPy's first-in-first-out order, whichever kind each is."""
    env = Clock()
    assert isinstance(env._queue, list) and next(env._eid) >= 0
    order: list[str] = []
    env.timeout(2.0).callbacks.append(lambda _: order.append("timeout 1"))
    env.at(2.0).callbacks.append(lambda _: order.append("instant"))
    env.timeout(2.0).callbacks.append(lambda _: order.append("timeout 2"))
    entries = sorted(env._queue)
    assert [entry[0] for entry in entries] == [2.0, 2.0, 2.0]
    assert all(len(entry) == 4 for entry in entries)
    env.run()
    assert order == ["timeout 1", "instant", "timeout 2"]
    assert not env._queue


def test_no_delay_can_stand_in_for_every_instant():
    """Why the clock reaches past SimPy's public API: for some (now, when) no float delay
    gives `now + delay == when` (here when the delay's steps are as coarse as when's)."""
    import math

    now, when = 25.179011780611365, 60.64567506899069
    sums = set()
    delay = math.nextafter(when - now, -math.inf)
    for _ in range(6):
        sums.add(now + delay)
        delay = math.nextafter(delay, math.inf)
    assert when not in sums
