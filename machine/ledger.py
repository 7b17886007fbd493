"""Money movements on an order's ledger: paid = escrow + refunded + released, in cents.

A refund is taken from escrow first and then clawed back from what was already released
to the seller (a dispute opened after completion, rule L11). Whatever escrow is left when
a case settles goes to the seller.
"""

from __future__ import annotations

from machine.order import Order


def refund(order: Order, amount: int) -> None:
    """Refund `amount` cents to the buyer and settle the rest of the escrow with the seller."""
    amount = min(amount, order.paid - order.refunded)  # D5: never more than was paid
    from_escrow = min(amount, order.escrow)
    order.escrow -= from_escrow
    order.released -= amount - from_escrow  # clawback after completion
    order.refunded += amount
    release(order)


def release(order: Order) -> None:
    """Pay whatever is still held in escrow to the seller."""
    order.released += order.escrow
    order.escrow = 0


def balanced(order: Order) -> bool:
    """True when the ledger adds up and no amount is negative or beyond the price."""
    return (
        order.paid == order.escrow + order.refunded + order.released
        and order.escrow >= 0
        and 0 <= order.refunded <= order.paid
        and order.released >= 0
    )
