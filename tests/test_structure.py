"""Structural checks: the real table is sound, and broken tables are caught."""

from __future__ import annotations

import pytest

from machine.spec import Actor, Phase, StateSpec, row
from machine.structure import analyse
from machine.table import END_STATES, STATES, TRANSITIONS


def test_the_process_is_sound():
    report = analyse()
    assert report.ok
    assert set(report.shortest_paths) == {state.name for state in STATES}
    assert report.shortest_paths["refunded"] == ("cancel_order", "bank_credits_refund")


@pytest.mark.rules("L8", "E5", "P3")
def test_end_states_have_only_internal_transitions():
    for spec in TRANSITIONS:
        for source in spec.source:
            if source in END_STATES:
                assert spec.dest is None, f"{spec.trigger} leaves {source}"


def test_unreachable_trap_and_leaky_states_are_reported():
    states = (
        StateSpec("a", "start", Phase.ORDER),
        StateSpec("b", "loops", Phase.ORDER),
        StateSpec("c", "never reached", Phase.ORDER),
        StateSpec("end", "end", Phase.END),
    )
    transitions = (
        row("go", "a", "b", by=Actor.BUYER, rules="L1", doc=""),
        row("spin", "b", "b", by=Actor.BUYER, rules="L1", doc=""),
        row("finish", "a", "end", by=Actor.BUYER, rules="L1", doc=""),
        row("escape", "end", "a", by=Actor.BUYER, rules="L1", doc=""),
        row("lost", "a", "nowhere", by=Actor.BUYER, rules="L1", doc=""),
    )
    report = analyse(states, transitions, initial="a")
    assert not report.ok
    assert report.unreachable == ("c",)
    assert "b" in report.traps and "c" in report.traps
    assert report.leaky_end_states == ("end",)
    assert report.unknown_states == ("nowhere",)
