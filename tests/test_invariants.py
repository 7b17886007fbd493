"""The invariants catch what they promise to catch: injected faults are reported."""

from __future__ import annotations

import pytest

from machine import Event, InvariantError, Policy, check
from machine.invariants import order_violations, trace_violations
from machine.process import TimeWentBackwardsError
from tests.helpers import PRICE, Driver, request


def disputed() -> Driver:
    d = Driver().ship(1.0).open(7.0)
    d.check()
    return d


def test_a_clean_trace_passes():
    d = disputed().do("seller_agrees", 8.0).do("bank_credits_refund", 20.0)
    d.check()


def test_ledger_imbalance_is_caught():
    d = disputed()
    d.order.refunded += 1
    assert any("ledger" in v for v in order_violations(d.order))


@pytest.mark.rules("D5")
def test_refund_beyond_payment_is_caught():
    d = disputed()
    d.order.escrow, d.order.refunded, d.order.released = 0, PRICE + 5, -5
    assert order_violations(d.order)


def test_escrow_left_in_an_end_state_is_caught():
    d = disputed()
    d.order.state = "finished"
    assert any("escrow" in v for v in order_violations(d.order))


@pytest.mark.parametrize(
    ("event", "complaint"),
    [
        (Event(1, 8.0, "teleport", "dispute_open", "refunded"), "not a transition"),
        (Event(1, 3.0, "seller_agrees", "dispute_open", "refund_clearing"), "backwards"),
    ],
)
def test_illegal_or_backwards_events_are_caught(event, complaint):
    d = disputed()
    events = [*d.journal.events[1], event]
    d.order.state = event.dest
    assert any(complaint in v for v in trace_violations(events, d.order, d.policy))


def test_leaving_an_end_state_is_caught():
    d = Driver().do("cancel_order", 0.1).do("bank_credits_refund", 5.0)
    events = [*d.journal.events[1], Event(1, 6.0, "ship", "paid", "shipped")]
    d.order.state = "shipped"
    assert any("left end state" in v for v in trace_violations(events, d.order, d.policy))


@pytest.mark.rules("D3", "D4")
def test_dispute_outside_the_policy_window_is_caught():
    d = Driver().ship(1.0)
    early = [*d.journal.events[1], Event(1, 2.0, "open_dispute", "shipped", "dispute_open")]
    d.order.state = "dispute_open"
    assert any("before day 5" in v for v in trace_violations(early, d.order, d.policy))
    late = [*d.journal.events[1], Event(1, 70.0, "open_dispute", "shipped", "dispute_open")]
    assert any("protection ran out" in v for v in trace_violations(late, d.order, d.policy))


@pytest.mark.rules("D10", "E4")
def test_escalation_and_appeal_outside_the_policy_are_caught():
    d = disputed()
    early = [*d.journal.events[1], Event(1, 8.0, "escalate", "dispute_open", "escalated")]
    d.order.state = "escalated"
    assert any("manual escalation" in v for v in trace_violations(early, d.order, d.policy))
    appeal = [
        *early,
        Event(1, 30.0, "decide", "escalated", "decided"),
        Event(1, 31.0, "file_appeal", "decided", "appeal_review"),
    ]
    d.order.state = "appeal_review"
    complaints = trace_violations(appeal, d.order, Policy(appeals=False))
    assert any("decisions are final" in v for v in complaints)
    late = Policy(appeals=True, appeal_days=0.5)
    assert any("window" in v for v in trace_violations(appeal, d.order, late))


def test_check_raises_with_every_violation():
    d = disputed()
    d.order.refunded += 1
    with pytest.raises(InvariantError, match="order 1: ledger"):
        check(d.order, d.journal.events[1], d.policy)


def test_the_machine_refuses_to_go_back_in_time():
    d = disputed()
    with pytest.raises(TimeWentBackwardsError):
        d.fire("seller_agrees", 6.0)
    assert d.state == "dispute_open"


def test_unknown_trigger_is_a_bug_not_a_refusal():
    with pytest.raises(KeyError):
        Driver().fire("teleport", 1.0)


@pytest.mark.rules("D3", "D8")
def test_dispute_after_agreement_is_caught():
    d = Driver().ship(1.0).do("deliver", 3.0)
    d.open(7.0, request()).do("seller_rejects", 7.5, amount=100).do("accept_offer", 8.0)
    events = [*d.journal.events[1], Event(1, 9.0, "open_dispute", "delivered", "dispute_open")]
    assert any("agreement" in v for v in trace_violations(events, d.order, d.policy))
