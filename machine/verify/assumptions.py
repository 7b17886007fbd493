"""What the verifier assumes of the world where the policy names no bound: each an
explicit, overridable number, printed with every result."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Assumptions:
    """The world's promises the policy does not set.

    `review_days`: the case team acts on an escalated case (or an appeal) within this many
    days of the escalation (or of the appeal window's end): no source gives a figure
    (assumed). `price`: the order's price in cents; amounts are tried as classes of it
    (nothing, half, all that remains, one cent too many), so its value does not matter
    beyond being even. `same_day_moves`: in the buyer's guarantee, the other actors
    together act at most this many times on one day (a seller and a carrier cannot stall
    time by acting forever on one day; assumed).
    """

    review_days: int = 10
    price: int = 10_000
    same_day_moves: int = 4

    def describe(self) -> str:
        return (
            f"the team acts within {self.review_days} days (assumed); other actors act at "
            f"most {self.same_day_moves} times a day in the buyer's game (assumed)"
        )
