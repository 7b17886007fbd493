"""Random triggers at random times under random valid policies: every invariant, every step.

A twin order is fired through the compiled dispatch table with the same inputs; both must
stay identical, which is the proof that the hot path and the `transitions` Machine agree.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from machine import END_STATES, FAST, PROCESS, TRIGGERS, Journal
from tests.strategies import PRICE, order_attributes, payload_for, policies

# Mostly short steps, with jumps long enough to pass any deadline.
DELAYS = st.integers(0, 5).flatmap(lambda k: st.floats(0.0, 40.0 if k == 0 else 2.0))
EARLY_EXITS = frozenset(
    {"cancel_order", "handling_time_expires", "cancel_dispute", "seller_agrees", "accept_offer"}
)


class RandomProcess(RuleBasedStateMachine):
    """One order under one random policy, poked by random triggers."""

    @initialize(policy=policies(), attributes=order_attributes(), epoch=st.integers(0, 6))
    def start(self, policy, attributes, epoch):
        self.slow = Journal(policy, PROCESS, epoch_weekday=epoch)
        self.fast = Journal(policy, FAST, epoch_weekday=epoch)
        self.order = PROCESS.new_order(1, PRICE, **attributes)
        self.twin = PROCESS.new_order(1, PRICE, **attributes)
        self.now = 0.0
        self.ended_in = None

    @rule(data=st.data(), delay=DELAYS, wild=st.integers(0, 9))
    def fire(self, data, delay, wild):
        valid = sorted(PROCESS.valid[self.order.state])
        if wild == 0 or not valid:
            pool = list(TRIGGERS)  # anything at all, mostly refused
        else:  # triggers that end the order early are kept, but drawn less often
            pool = [t for t in valid for _ in range(1 if t in EARLY_EXITS else 4)]
        trigger = data.draw(st.sampled_from(pool), label="trigger")
        payload = data.draw(payload_for(trigger), label="payload")
        self.now += delay
        before = self.order.snapshot()
        moved = self.slow.fire(self.order, trigger, self.now, **payload)
        twin_moved = self.fast.fire(self.twin, trigger, self.now, **payload)
        assert moved == twin_moved, f"{trigger}: Machine {moved}, dispatch {twin_moved}"
        assert self.order.snapshot() == self.twin.snapshot()
        if not moved:
            assert self.order.snapshot() == before, "a refused trigger changed the order"
        event(f"reached {self.order.state}")
        if self.ended_in is not None:
            assert self.order.state == self.ended_in, "an end state was left"
        elif self.order.state in END_STATES:
            self.ended_in = self.order.state

    @pytest.mark.rules("D3", "D4", "D7", "D9", "D10", "E4")  # the trace invariants checked
    @invariant()
    def invariants_hold(self):
        if hasattr(self, "order"):
            self.slow.check(self.order)
            assert self.slow.events[1] == self.fast.events[1]


RandomProcess.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestRandomProcess = RandomProcess.TestCase
