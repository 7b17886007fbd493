"""What the world hands the machine with each trigger: the policy, the time, the payload.

The machine has no clock of its own. Each trigger carries a `Context` whose `now` the
world sets; guards read it, actions stamp it on the order.
"""

from __future__ import annotations

from typing import TypedDict

from machine.order import DisputeRequest, Party
from machine.policy import Policy


class Payload(TypedDict, total=False):
    """A trigger's payload, as keyword arguments: `ctx.at(now, **payload)`."""

    amount: int | None  # cents; whole days for extend_protection
    request: DisputeRequest | None
    party: Party | None


class Context:
    """The arguments of one trigger: policy, time and the trigger's payload, if any."""

    __slots__ = ("amount", "epoch_weekday", "now", "party", "policy", "request")

    def __init__(
        self,
        policy: Policy,
        now: float = 0.0,
        *,
        epoch_weekday: int = 0,
        amount: int | None = None,
        request: DisputeRequest | None = None,
        party: Party | None = None,
    ) -> None:
        self.policy = policy
        self.now = now
        self.epoch_weekday = epoch_weekday
        self.amount = amount
        self.request = request
        self.party = party

    def at(
        self,
        now: float,
        *,
        amount: int | None = None,
        request: DisputeRequest | None = None,
        party: Party | None = None,
    ) -> Context:
        """This context moved to time `now` with a fresh payload (reused to avoid garbage)."""
        self.now = now
        self.amount = amount
        self.request = request
        self.party = party
        return self
