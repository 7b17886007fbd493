"""The order: a small slotted record that the shared machine moves between states.

Nothing here knows about time sources or randomness. Times are days since the
simulation epoch (floats); money is in integer cents, so the ledger is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """Why the buyer opens a dispute (rule D1)."""

    NOT_RECEIVED = "not_received"
    NOT_AS_DESCRIBED = "not_as_described"
    DAMAGED = "damaged"
    ORDER_CANCELLED = "order_cancelled"


class RequestKind(StrEnum):
    """What the buyer asks for (rules D5, D11)."""

    REFUND_ONLY = "refund_only"
    RETURN_AND_REFUND = "return_and_refund"


class Party(StrEnum):
    """Who the case-management team asks for evidence (rule E1)."""

    BUYER = "buyer"
    SELLER = "seller"


@dataclass(frozen=True, slots=True)
class DisputeRequest:
    """The buyer's dispute form: reason, kind and amount, plus what the form checks (D5, D6)."""

    reason: Reason
    kind: RequestKind
    amount: int
    largest_image_mb: float = 0.0
    text_has_chinese: bool = False


class Order:
    """One order's state, ledger and the timestamps the guards read.

    The `state` slot is the attribute the shared `transitions` Machine reads and writes;
    every other slot is data written by the machine's actions, never by the world.
    """

    __slots__ = (
        "agreed",
        "appeals_filed",
        "buyer_costs",
        "cancel_requested_at",
        "cancelled_at_once",
        "collection_started_at",
        "completed_at",
        "contacted_seller_at",
        "credited_at",
        "decided_at",
        "decision",
        "delivered_at",
        "delivered_during_dispute_at",
        "disputes_opened",
        "escalated_at",
        "escrow",
        "evidence_party",
        "evidence_requested_at",
        "id",
        "late_goods_at",
        "offer",
        "opened_at",
        "paid",
        "paid_at",
        "promised_days",
        "protection_ends_at",
        "refund_at",
        "refunded",
        "released",
        "repaid_off_platform",
        "request",
        "request_at",
        "return_agreed_at",
        "return_free",
        "return_postage",
        "return_shipped_at",
        "seller_answered_at",
        "seller_responded",
        "shipped_at",
        "state",
        "support_contacted",
        "tracking_seen_at",
        "under_review",
        "updated_at",
    )

    def __init__(
        self,
        order_id: int,
        price: int,
        paid_at: float = 0.0,
        promised_days: float = 20.0,
        return_free: bool = False,
        return_postage: int = 0,
        state: str = "paid",
        under_review: bool = False,
    ) -> None:
        if price <= 0:
            raise ValueError(f"order price must be a positive number of cents, got {price}")
        self.id = order_id
        self.state = state
        self.paid = price
        self.escrow = price  # L1: the payment is held by the platform until release or refund
        self.refunded = 0
        self.released = 0
        self.buyer_costs = 0
        self.repaid_off_platform = 0
        self.paid_at = paid_at
        self.updated_at = paid_at
        self.promised_days = promised_days
        self.return_free = return_free
        self.return_postage = return_postage
        self.under_review = under_review  # the buyer was under abuse review when paying (S4)
        self.cancel_requested_at: float | None = None
        self.cancelled_at_once = False  # cancelled inside the instant window (L3)
        self.shipped_at: float | None = None
        self.tracking_seen_at: float | None = None
        self.protection_ends_at: float | None = None
        self.collection_started_at: float | None = None
        self.delivered_at: float | None = None
        self.completed_at: float | None = None
        self.contacted_seller_at: float | None = None
        self.request: DisputeRequest | None = None
        self.opened_at: float | None = None
        self.request_at: float | None = None
        self.seller_answered_at: float | None = None  # answer to the current request
        self.seller_responded = False  # the seller answered some request of this dispute
        self.offer: int | None = None
        self.agreed = False
        self.disputes_opened = 0
        self.delivered_during_dispute_at: float | None = None
        self.return_agreed_at: float | None = None
        self.return_shipped_at: float | None = None
        self.escalated_at: float | None = None
        self.evidence_party: Party | None = None
        self.evidence_requested_at: float | None = None
        self.decided_at: float | None = None
        self.decision: int | None = None
        self.appeals_filed = 0
        self.refund_at: float | None = None
        self.credited_at: float | None = None
        self.late_goods_at: float | None = None
        self.support_contacted = False

    def snapshot(self) -> dict[str, object]:
        """Every slot as a dict: for tests, traces and debugging, never the hot path."""
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self) -> str:
        return f"Order(id={self.id}, state={self.state!r}, paid={self.paid}, escrow={self.escrow})"
