"""Rules L1-L11: the order lifecycle, from payment to completion."""

from __future__ import annotations

import pytest

from machine import Policy, Reason
from tests.helpers import PRICE, request

rules = pytest.mark.rules


@rules("L1")
def test_paid_order_waits_for_shipment_with_money_in_escrow(drive):
    d = drive()
    assert d.state == "paid" and d.order.escrow == PRICE
    d.refused("deliver", 1.0)  # nothing moves until the seller ships
    d.ship(2.0)
    assert d.state == "shipped" and d.order.shipped_at == 2.0


@rules("L2")
def test_late_cancellation_takes_days_and_refunds_in_full(drive):
    d = drive()
    d.do("cancel_order", 2.0)
    assert d.state == "cancel_requested" and d.order.refunded == 0
    d.refused("cancellation_completes", 2.0 + 4.9)  # 5 to 7 days
    d.do("cancellation_completes", 7.0)
    assert d.state == "refund_clearing" and d.order.refunded == PRICE and d.order.escrow == 0


@rules("L2")
def test_seller_races_a_cancellation_by_shipping(drive):
    d = drive()
    d.do("cancel_order", 3.0).do("ship", 4.0)
    assert d.state == "shipped"
    d.refused("cancellation_completes", 9.0)  # no longer a cancellation to complete
    assert d.order.refunded == 0


@rules("L2")
def test_seller_may_accept_a_cancellation_at_once(drive):
    d = drive().do("cancel_order", 3.0).do("seller_accepts_cancellation", 3.5)
    assert d.state == "refund_clearing" and d.order.refunded == PRICE


@rules("L3")
def test_cancellation_in_first_24_hours_is_immediate(drive):
    d = drive().do("cancel_order", 0.99)
    assert d.state == "refund_clearing" and d.order.refunded == PRICE
    assert d.triggers == ["cancel_order"]


@rules("L3", "P1")
def test_money_comes_a_day_after_an_instant_cancellation_even_with_an_instant_bank(drive):
    d = drive(Policy(bank_days_min=0, bank_days_max=0)).do("cancel_order", 0.5)
    d.refused("bank_credits_refund", 1.49)  # the bank alone would allow it at once
    d.do("bank_credits_refund", 1.5)
    assert d.state == "refunded" and d.order.credited_at == 1.5


@rules("L3")
def test_instant_window_is_a_lever(drive):
    d = drive(Policy(instant_cancel_hours=12)).do("cancel_order", 0.75)
    assert d.state == "cancel_requested"


@rules("L4")
def test_unshipped_order_is_refunded_after_the_handling_time(drive):
    d = drive(Policy(handling_days=7))
    d.refused("handling_time_expires", 6.9)
    d.do("handling_time_expires", 7.0)
    assert d.state == "refund_clearing" and d.order.refunded == PRICE


@rules("L5")
def test_shipment_starts_protection_whatever_the_method(drive):
    d = drive(Policy(protection_days=45)).ship(3.0)
    assert d.order.protection_ends_at == 48.0


@rules("L6")
def test_tracking_may_show_nothing_for_days(drive):
    d = drive().ship(1.0)
    assert d.order.tracking_seen_at is None
    d.do("tracking_update", 6.0).do("tracking_update", 8.0)
    assert d.state == "shipped" and d.order.tracking_seen_at == 6.0


@rules("L7")
def test_customs_hold_release_and_loss(drive):
    d = drive().ship(1.0).do("customs_hold", 5.0)
    assert d.state == "in_customs"
    d.do("customs_release", 9.0).do("parcel_lost", 12.0)
    assert d.state == "lost"
    d.open(13.0)  # a lost parcel is a not-received dispute
    assert d.state == "dispute_open"


@rules("L7")
def test_a_fake_tracking_number_looks_shipped_until_protection_ends(drive):
    d = drive(Policy(protection_days=30)).ship(1.0)  # never sent: the platform sees "shipped"
    d.refused("protection_expires", 30.9)
    d.do("protection_expires", 31.0)
    assert d.state == "completed" and d.order.released == PRICE


@rules("L8")
def test_uncollected_parcel_finishes_the_order_without_protection(drive):
    d = drive(Policy(collection_days=15)).ship(1.0).do("arrive_at_post_office", 12.0)
    assert d.state == "awaiting_collection"
    d.refused("open_dispute", 14.0, request=request())
    d.refused("collection_period_ends", 26.9)
    d.do("collection_period_ends", 27.0)
    assert d.state == "finished_uncollected" and d.order.released == PRICE


@rules("L8")
def test_collected_parcel_is_delivered(drive):
    d = drive().ship(1.0).do("arrive_at_post_office", 12.0).do("collect_parcel", 13.0)
    assert d.state == "delivered" and d.order.delivered_at == 13.0


@rules("L9")
def test_protection_expiry_completes_and_releases_payment(drive):
    d = drive(Policy(protection_days=60)).ship(2.0).do("deliver", 20.0)
    d.refused("protection_expires", 61.9)
    d.do("protection_expires", 62.0)
    assert d.state == "completed" and d.order.escrow == 0 and d.order.released == PRICE


@rules("L10")
def test_seller_extends_protection_when_contacted_before_expiry(drive):
    d = drive(Policy(protection_days=30, max_extension_days=20)).ship(0.0)
    d.refused("extend_protection", 10.0, amount=10)  # no contact yet
    d.do("contact_seller", 12.0).do("extend_protection", 13.0, amount=15)
    assert d.order.protection_ends_at == 45.0
    d.refused("extend_protection", 14.0, amount=6)  # would exceed the cap of 20
    d.refused("protection_expires", 40.0)
    d.open(44.0)  # still protected thanks to the extension


@rules("L10")
def test_contact_after_expiry_gives_no_extension(drive):
    d = drive(Policy(protection_days=30)).ship(0.0)
    d.do("contact_seller", 31.0)
    d.refused("extend_protection", 31.0, amount=5)


@rules("L11")
def test_confirmation_completes_and_a_dispute_is_still_possible_for_15_days(drive):
    d = drive().ship(1.0).do("deliver", 15.0).do("confirm_receipt", 16.0)
    assert d.state == "completed" and d.order.released == PRICE
    d.refused("completion_window_closes", 30.9)
    d.open(30.5, request(Reason.NOT_AS_DESCRIBED))
    assert d.state == "dispute_open"


@rules("L11")
def test_after_the_post_completion_window_no_dispute_and_the_order_finishes(drive):
    d = drive().ship(1.0).do("deliver", 15.0).do("confirm_receipt", 16.0)
    d.refused("open_dispute", 31.0, request=request(Reason.NOT_AS_DESCRIBED))
    d.do("completion_window_closes", 31.0)
    assert d.state == "finished"


@rules("L11", "D7")
def test_refund_after_completion_is_clawed_back_from_the_seller(drive):
    d = drive().ship(1.0).do("deliver", 15.0).do("confirm_receipt", 16.0)
    d.open(20.0, request(Reason.NOT_AS_DESCRIBED, amount=4_000)).do("seller_agrees", 21.0)
    assert (d.order.refunded, d.order.released, d.order.escrow) == (4_000, PRICE - 4_000, 0)
