"""A journal fires triggers through a process and keeps each order's event trace.

The simulation records into columnar buffers instead; the journal is for tests, examples
and explaining one case, where a list of events per order is the clearest shape.
"""

from __future__ import annotations

from collections import defaultdict

from machine.context import Context
from machine.dispatch import FastProcess
from machine.invariants import Event, check
from machine.order import DisputeRequest, Order, Party
from machine.policy import Policy
from machine.process import PROCESS, Process


class Journal:
    """Fire triggers at given times and keep the events that happened, per order."""

    def __init__(
        self, policy: Policy, process: Process | FastProcess = PROCESS, epoch_weekday: int = 0
    ) -> None:
        self.policy = policy
        self.process = process
        self.ctx = Context(policy, epoch_weekday=epoch_weekday)
        self.events: dict[int, list[Event]] = defaultdict(list)

    def fire(
        self,
        order: Order,
        trigger: str,
        now: float,
        *,
        amount: int | None = None,
        request: DisputeRequest | None = None,
        party: Party | None = None,
    ) -> bool:
        """Fire one trigger; record it if a transition happened."""
        source = order.state
        ctx = self.ctx.at(now, amount=amount, request=request, party=party)
        if not self.process.fire(order, trigger, ctx):
            return False
        self.events[order.id].append(Event(order.id, now, trigger, source, order.state))
        return True

    def check(self, order: Order) -> None:
        """Raise if the order or its trace breaks an invariant."""
        check(order, self.events[order.id], self.policy)
