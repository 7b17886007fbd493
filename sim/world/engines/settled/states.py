"""What the walk knows of the table: the states it goes through and their timers, the
triggers it fires, and the codes it reads and writes (states, reasons, kinds, truths, events).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from machine.invariants import LEGAL
from machine.order import Reason, RequestKind
from sim.world.records.recorder import (
    KIND_CODE,
    REASON_CODE,
    STATE_CODE,
    STATE_NAMES,
    TRIGGER_CODE,
    pack,
)
from sim.world.records.truth import Truth

INF = np.inf
NAN = np.nan

WALKED_TIMERS: dict[str, tuple[str, ...]] = {
    "paid": ("handling_time_expires",),
    "shipped": ("protection_expires",),
    "in_customs": ("protection_expires",),
    "lost": ("protection_expires",),
    "awaiting_collection": ("collection_period_ends",),
    "delivered": ("protection_expires",),
    "completed": ("completion_window_closes",),
    "dispute_open": ("seller_deadline", "auto_escalate", "refer_to_team"),
    "negotiating": ("auto_escalate",),
    "awaiting_return": ("return_deadline",),
    "return_in_transit": ("return_confirm_deadline",),
    "refund_clearing": (),
    "refunded": (),
    "finished": (),
    "finished_uncollected": (),
    "closed_against_buyer": (),
}
"""The states the walk goes through, and the table's timers in each, as the walk reads them
(a test holds them to `machine.timers`)."""

FOLLOWED = (
    "ship", "tracking_update", "customs_hold", "customs_release", "parcel_lost",
    "arrive_at_post_office", "deliver", "collect_parcel", "collection_period_ends",
    "extend_protection", "contact_seller", "open_dispute", "confirm_receipt",
    "protection_expires", "completion_window_closes", "seller_agrees", "seller_deadline",
    "seller_rejects", "accept_offer", "tracking_shows_delivered", "cancel_dispute",
    "ship_return", "return_deadline", "seller_confirms_return", "return_confirm_deadline",
    "bank_credits_refund", "goods_arrive_after_refund", "buyer_repays_seller",
    "contact_support",
)  # fmt: skip
"""The triggers the walk fires: every other move hands the order back."""

(PAID, SHIPPED, IN_CUSTOMS, LOST, COLLECTION, DELIVERED, COMPLETED, OPEN, NEGOTIATING,
 AWAITING_RETURN, RETURN_TRANSIT, CLEARING, REFUNDED, FINISHED, UNCOLLECTED,
 CLOSED) = (STATE_CODE[state] for state in WALKED_TIMERS)  # fmt: skip
ENDS = (REFUNDED, FINISHED, UNCOLLECTED, CLOSED)
ARRIVES = np.array([truth.arrives for truth in Truth])  # by Truth code
NOT_RECEIVED, DAMAGED, NOT_AS_DESCRIBED = (
    REASON_CODE[reason] for reason in (Reason.NOT_RECEIVED, Reason.DAMAGED, Reason.NOT_AS_DESCRIBED)
)
OK, LOST_GOODS, DAMAGED_GOODS, WRONG_GOODS = (
    int(truth) for truth in (Truth.OK, Truth.LOST, Truth.DAMAGED, Truth.NOT_AS_DESCRIBED)
)
FAULTY = np.isin(np.arange(len(Truth)), (DAMAGED_GOODS, WRONG_GOODS))  # by Truth code
SHOWS, CANCELS, OTHER = range(3)  # what a late parcel brings during a dispute (D12)
REFUND_ONLY, RETURN = KIND_CODE[RequestKind.REFUND_ONLY], KIND_CODE[RequestKind.RETURN_AND_REFUND]


@cache
def event_codes(trigger: str, actor: int, dest: str | None = None) -> np.ndarray:
    """The packed event code of `trigger` fired by `actor` from each state (by state code),
    to `dest` or, without one, staying where it is; -1 where the table has no such move."""
    codes = np.full(len(STATE_NAMES), -1, dtype=np.int64)
    for source, fired, to in LEGAL:
        if fired == trigger and to == (dest or source):
            codes[STATE_CODE[source]] = pack(
                TRIGGER_CODE[trigger], STATE_CODE[source], STATE_CODE[to], actor
            )
    return codes


@cache
def among(states: tuple[int, ...]) -> np.ndarray:
    """Whether each state (by code) is one of `states`."""
    return np.isin(np.arange(len(STATE_NAMES)), states)
