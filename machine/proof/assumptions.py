"""What the verifier assumes of the world where the policy names no bound: each an
explicit, overridable number, printed with every result."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Assumptions:
    """The world's promises the policy does not set.

    `review_days`: the case team acts on an escalated case within this many days of the
    escalation, and on an appeal within this many days of its filing: no source gives a
    figure (assumed). `price`: the order's price in cents; amounts are tried as classes of
    it (nothing, half, all that remains, a cent more), so its value does not matter
    beyond being even.
    """

    review_days: int = 10
    price: int = 10_000

    def describe(self) -> str:
        return (
            f"the team acts within {self.review_days} days of an escalation or an appeal "
            "(assumed); the bank within its longest business days"
        )
