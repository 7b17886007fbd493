"""An order as the world sees it: the machine's order, plus where its drawn facts live
and the few things the actors remember about it."""

from __future__ import annotations

import math

from machine.order import Order
from sim.world.behaviour.facts import Facts
from sim.world.records.recorder import STATE_CODE
from sim.world.records.tables import KINDS, REASONS, OrderRow
from sim.world.records.truth import Truth

NAN = math.nan


class WorldOrder(Order):
    """The machine reads and writes the `Order` slots; only the world touches these."""

    __slots__ = (
        "arrives_at",  # when the parcel physically reaches the buyer (inf: never)
        "asked_at",  # the buyer's first request for money back (cancel or dispute)
        "claimed",  # the buyer has made the one claim they make
        "cleared_customs",  # the parcel was held by customs and released
        "closed_at",  # when the order reached its end state
        "extended",  # the seller extended protection (L10), which a seller does once
        "facts",  # everything drawn for this order (sim.world.behaviour.facts.Facts)
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


def order_row(
    order: WorldOrder, measured: bool, feedback: int = -1, feedback_at: float = NAN
) -> OrderRow:
    """The finished order's row of the orders table (the buyer's feedback, F1, is the
    world's to fill in: it is settled for many orders at once)."""
    f, request = order.facts, order.request
    truth = order.truth
    if order.shipped_at is None and truth is not Truth.NOT_SHIPPED:
        truth = Truth.OK  # cancelled before anything could go wrong
    opened = order.disputes_opened > 0
    escalated = order.escalated_at is not None
    return OrderRow(
        order_id=order.id,
        created_at=order.paid_at,
        measured=measured,
        price=order.paid,
        seller=f.seller,
        buyer=f.buyer,
        carrier=f.carrier,
        seller_id=f.seller_id,
        buyer_id=f.buyer_id,
        standing=f.standing,
        reused_tracking=f.reused_tracking,
        surcharge=f.surcharge,
        hold_days=f.hold_days,
        truth=truth,
        final_state=STATE_CODE[order.state],
        refunded=order.refunded,
        released=order.released,
        buyer_costs=order.buyer_costs,
        repaid=order.repaid_off_platform,
        disputed=opened,
        false_claim=opened and truth is Truth.OK and f.false_claim and _after_delivery(order),
        reason=REASONS.index(request.reason) if request else -1,
        kind=KINDS.index(request.kind) if request else -1,
        escalated=escalated,
        appealed=order.appeals_filed > 0,
        decision=order.decision if order.decision is not None else -1,
        asked_at=_or_nan(order.asked_at),
        shipped_at=_or_nan(order.shipped_at),
        delivered_at=_or_nan(order.delivered_at),
        protection_ends_at=_or_nan(order.protection_ends_at),
        opened_at=_or_nan(order.opened_at),
        escalated_at=_or_nan(order.escalated_at),
        decided_at=_or_nan(order.team_decided_at),
        refund_at=_or_nan(order.refund_at),
        credited_at=_or_nan(order.credited_at),
        closed_at=_or_nan(order.closed_at),
        team_wait=order.team_wait if escalated else NAN,
        feedback=feedback,
        feedback_at=feedback_at,
    )


def _after_delivery(order: WorldOrder) -> bool:
    """Whether the dispute was opened with the goods already delivered."""
    return (
        order.delivered_at is not None
        and order.opened_at is not None
        and order.delivered_at <= order.opened_at
    )


def _or_nan(value: float | None) -> float:
    return NAN if value is None else value
