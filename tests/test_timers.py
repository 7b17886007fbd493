"""Timers are part of the table: a timed row names its deadline, its guard is derived from
it, `machine.timers` lists an order's timers, and the actors propose none of them."""

from __future__ import annotations

import pytest

from machine import Context, Policy
from machine.registry import DEADLINES, GUARDS
from machine.spec import PAYLOAD_FIELDS, Actor
from machine.table import TRANSITIONS
from machine.timers import Timer, timers
from sim.world.behaviour import actors
from sim.world.runner import run
from tests.helpers import request
from tests.strategies import PAYLOADS
from tests.world_runs import baseline

rules = pytest.mark.rules
TIMED = {spec.trigger for spec in TRANSITIONS if spec.after}


def test_every_timed_row_names_a_deadline_and_is_the_platform_s():
    timed = [spec for spec in TRANSITIONS if spec.after]
    assert len(timed) >= 10
    for spec in timed:
        assert spec.after in DEADLINES.entries, spec.after
        assert spec.actor is Actor.PLATFORM, spec.trigger
        assert not any(name.endswith("_passed") for name in spec.when), spec.trigger
    # no hand-written copy of a derived guard is left behind
    assert not {f"{spec.after}_passed" for spec in timed} & set(GUARDS.entries)


def test_declared_payloads_are_the_payloads_the_tests_and_world_use():
    declared = {spec.trigger: set(spec.payload) for spec in TRANSITIONS if spec.payload}
    assert set(declared) == set(PAYLOADS)
    assert all(fields <= set(PAYLOAD_FIELDS) for fields in declared.values())
    for trigger in {spec.trigger for spec in TRANSITIONS}:
        rows = {tuple(spec.payload) for spec in TRANSITIONS if spec.trigger == trigger}
        assert len(rows) == 1, f"{trigger}: its rows declare different payloads"


@rules("L9")
def test_a_shipped_order_s_timer_is_protection_at_its_end(drive):
    d = drive().ship(2.0)
    policy = d.policy
    assert timers(d.order, Context(policy)) == [
        Timer(2.0 + policy.protection_days, "protection_expires")
    ]
    d.refused("protection_expires", 2.0 + policy.protection_days - 0.01)
    d.do("protection_expires", 2.0 + policy.protection_days)
    assert d.state == "completed"


@rules("D7", "D9")
def test_a_dispute_s_timers_follow_the_silence_lever(drive):
    for silence, expected in (
        ("refund", ["seller_deadline", "auto_escalate"]),
        ("escalate", ["auto_escalate"]),
    ):
        policy = Policy(seller_silence=silence)
        d = drive(policy).ship(1.0).open(15.0, request())
        found = timers(d.order, Context(policy))
        assert [t.trigger for t in found] == expected, silence
        moments = dict((t.trigger, t.moment) for t in found)
        assert moments["auto_escalate"] == 15.0 + policy.auto_escalation_days
        if silence == "refund":
            assert moments["seller_deadline"] == 15.0 + policy.seller_response_days


@rules("E4")
def test_a_decision_is_final_at_once_when_no_appeal_is_left(drive):
    policy = Policy(appeals=True, max_appeals=1)
    d = drive(policy).ship(1.0).open(15.0, request()).do("escalate", 40.0)
    d.do("decide", 41.0, amount=0)
    assert timers(d.order, Context(policy)) == [Timer(41.0 + policy.appeal_days, "decision_final")]
    d.do("file_appeal", 42.0).do("decide_appeal", 43.0, amount=0)
    assert timers(d.order, Context(policy)) == [Timer(43.0, "decision_final")]


def test_the_actors_propose_no_timer_and_the_world_fires_every_kind(monkeypatch):
    proposed: set[str] = set()

    def spy(function):
        def wrapped(world, order):
            move = function(world, order)
            if move is not None:
                proposed.add(move.trigger)
            return move

        return wrapped

    monkeypatch.setattr(actors, "MOVES", {s: spy(f) for s, f in actors.MOVES.items()})
    result = run(baseline(), 2, orders=3_000, engine="reference")
    assert proposed and not proposed & TIMED, proposed & TIMED
    fired = set(result.events.labels("trigger"))
    assert {"protection_expires", "completion_window_closes", "handling_time_expires"} <= fired
