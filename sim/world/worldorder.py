"""An order as the world sees it: the machine's order, plus where its drawn facts live
and the few things the actors remember about it."""

from __future__ import annotations

from machine.order import Order
from sim.world.draws import Facts
from sim.world.truth import Truth


class WorldOrder(Order):
    """The machine reads and writes the `Order` slots; only the world touches these."""

    __slots__ = (
        "arrives_at",  # when the parcel physically reaches the buyer (inf: never)
        "asked_at",  # the buyer's first request for money back (cancel or dispute)
        "claimed",  # the buyer has made the one claim they make
        "cleared_customs",  # the parcel was held by customs and released
        "closed_at",  # when the order reached its end state
        "extended",  # the seller extended protection (L10), which a seller does once
        "facts",  # everything drawn for this order (sim.world.draws.Facts)
        "form_refused_at",  # when the machine refused the buyer's form (D6); it is corrected
        "rounds",  # requests the seller has been asked to answer
        "steps",  # events fired so far (the next event's number within the order)
        "team_decided_at",  # when the team first decided the case
        "team_wait",  # days spent queueing for a case officer
        "truth",
    )

    def __init__(self, order_id: int, facts: Facts, paid_at: float, truth: Truth) -> None:
        super().__init__(
            order_id,
            facts.price,
            paid_at=paid_at,
            promised_days=facts.promised,
            return_free=facts.free_return,
            return_postage=facts.return_postage,
            under_review=facts.under_review,
        )
        self.facts = facts
        self.truth = truth
        self.arrives_at = float("inf")
        self.asked_at: float | None = None
        self.claimed = False
        self.cleared_customs = False
        self.closed_at: float | None = None
        self.form_refused_at: float | None = None
        self.extended = False
        self.rounds = 0
        self.steps = 0
        self.team_wait = 0.0
        self.team_decided_at: float | None = None  # the team's first decision (E3)
