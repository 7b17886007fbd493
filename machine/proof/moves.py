"""The world's choices: a move is a trigger with one class of payload, or a timer; the
classes of payload are the values on either side of every limit a guard checks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from machine import deadlines
from machine.order import DisputeRequest, Order, Party, Reason, RequestKind
from machine.policy import Policy
from machine.spec import Actor


class Kind(StrEnum):
    """How a move comes about."""

    ACT = "act"  # an actor chose to fire a trigger
    TIMER = "timer"  # a deadline passed


@dataclass(frozen=True, slots=True)
class Move:
    """One choice of the world: a trigger with one class of payload, or a timer."""

    kind: Kind
    trigger: str
    actor: Actor
    amount: int | None = None
    request: DisputeRequest | None = None
    party: Party | None = None

    def describe(self) -> str:
        shown = []
        if self.request is not None:
            r = self.request
            shown.append(f"{r.reason.value}, {r.kind.value}, {r.amount} cents")
            if r.largest_image_mb or r.text_has_chinese:
                shown.append("a form the platform refuses")
        if self.amount is not None:
            shown.append(f"amount {self.amount}")
        if self.party is not None:
            shown.append(f"asks the {self.party.value}")
        payload = f" ({'; '.join(shown)})" if shown else ""
        return f"{self.trigger}{payload}"


def payload_classes(
    trigger: str,
    actor: Actor,
    kinds: frozenset[str],
    limits: frozenset[str],
    order: Order,
    policy: Policy,
) -> list[Move]:
    """Every class of payload `trigger` could carry from `order`: none at all; each reason
    and kind of request in full, two partial ones and four the platform refuses; amounts
    of nothing, half, all that remains and a cent more (for an extension, `limits` naming
    its guard: the room left and a day more; for a repayment: what is owed and a cent
    more); each party."""
    moves = [Move(Kind.ACT, trigger, actor)]
    if not kinds:
        return moves
    remaining = order.paid - order.refunded
    if "request" in kinds:
        requests = [
            DisputeRequest(reason, kind, remaining) for reason in Reason for kind in RequestKind
        ]
        half = remaining // 2
        requests += [
            DisputeRequest(Reason.NOT_RECEIVED, RequestKind.REFUND_ONLY, half),
            DisputeRequest(Reason.NOT_AS_DESCRIBED, RequestKind.RETURN_AND_REFUND, half),
            DisputeRequest(Reason.NOT_RECEIVED, RequestKind.REFUND_ONLY, remaining + 1),
            DisputeRequest(Reason.NOT_RECEIVED, RequestKind.REFUND_ONLY, 0),
            DisputeRequest(
                Reason.NOT_RECEIVED,
                RequestKind.REFUND_ONLY,
                remaining,
                largest_image_mb=policy.max_image_mb,
            ),
            DisputeRequest(
                Reason.NOT_RECEIVED, RequestKind.REFUND_ONLY, remaining, text_has_chinese=True
            ),
        ]
        moves += [Move(Kind.ACT, trigger, actor, request=r) for r in requests]
    if "amount" in kinds:
        amounts = [0, remaining // 2, remaining, remaining + 1]
        room = deadlines.extension_room(order, policy)
        if "extension_within_limit" in limits and isinstance(room, int | float):
            amounts = [0, int(room), int(room) + 1]
        if "late_goods_received" in limits:
            owed = order.refunded - order.repaid_off_platform
            amounts = [0, owed, owed + 1]
        moves += [Move(Kind.ACT, trigger, actor, amount=a) for a in dict.fromkeys(amounts)]
    if "party" in kinds:
        moves += [Move(Kind.ACT, trigger, actor, party=p) for p in Party]
    return moves
