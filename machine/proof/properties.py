"""The properties the verifier proves, each named, with the rule ids it protects.

A property of steps is a predicate on one move (the order before and after it, concrete or
symbolic: it reads only money, states and which fields are set), so the same function
checks every edge of the explored graph and every step of an emitted test. Properties of
the whole graph (no trap, every row can fire, nothing raises) are computed on the graph in
`machine.proof.checker`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from machine.ledger import balanced
from machine.order import Order
from machine.table import END_STATES

StepCheck = Callable[[Order, Order], bool]


@dataclass(frozen=True, slots=True)
class Property:
    """A named claim about every order under the policy."""

    name: str
    rules: tuple[str, ...]
    claim: str
    step: StepCheck | None = None  # a claim on every move; None: one on the whole graph


def money_balances(before: Order, after: Order) -> bool:
    """paid = escrow + refunded + released, nothing negative, nothing beyond the price."""
    return balanced(after)


def refund_within_claim(before: Order, after: Order) -> bool:
    """A move refunds at most what was paid, and at most what the buyer asked, the seller
    offered or the team awarded."""
    refunded = after.refunded - before.refunded
    if refunded <= 0:
        return True
    claims = [
        before.request.amount if before.request is not None else 0,
        before.offer or 0,
        after.decision or 0,
    ]
    if before.state in ("paid", "cancel_requested"):  # a cancellation refunds it all (L2-L4)
        claims.append(before.paid)
    return refunded <= before.paid - before.refunded and refunded <= max(claims)


def refunded_once(before: Order, after: Order) -> bool:
    """Money goes back to the buyer in one refund at most."""
    return not (before.refunded > 0 and after.refunded > before.refunded)


def escrow_settled_at_end(before: Order, after: Order) -> bool:
    """Every order that ends has paid out its escrow, to one side or the other."""
    return after.state not in END_STATES or after.escrow == 0


PROPERTIES: dict[str, Property] = {
    p.name: p
    for p in (
        Property(
            "money_balances",
            ("L1", "P1", "D5"),
            "paid = escrow + refunded + released at every step, nothing negative",
            money_balances,
        ),
        Property(
            "refund_within_claim",
            ("D5", "D7", "D8", "E3"),
            "no refund exceeds the price or what was asked, offered or awarded",
            refund_within_claim,
        ),
        Property("refunded_once", ("P1", "P3"), "nothing is refunded twice", refunded_once),
        Property(
            "escrow_settled_at_end",
            ("L9", "L11", "D13", "E3"),
            "escrow is zero in every end state",
            escrow_settled_at_end,
        ),
        Property(
            "always_ends",
            ("L4", "L9", "D9", "E2", "E3", "P2"),
            "from every reachable configuration some way leads to an end state, and no "
            "configuration is stuck with no move at all",
        ),
        Property(
            "every_row_fires",
            (),  # each dead row is named with its own rule ids
            "every row of the table fires on some way through the process",
        ),
        Property(
            "never_raises",
            ("D5", "D6"),
            "no trigger, with any class of payload, makes a guard or action raise",
        ),
    )
}


class UnknownPropertyError(KeyError):
    """A property name the verifier does not know."""


def chosen(names: list[str] | tuple[str, ...] | None) -> tuple[Property, ...]:
    """The properties named (all when none are), in the registry's order."""
    if not names:
        return tuple(PROPERTIES.values())
    unknown = [name for name in names if name not in PROPERTIES]
    if unknown:
        raise UnknownPropertyError(
            f"unknown property {unknown[0]!r}; known: {', '.join(PROPERTIES)}"
        )
    return tuple(p for p in PROPERTIES.values() if p.name in names)
