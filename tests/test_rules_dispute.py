"""Rules D1-D13: opening, negotiating, returning and cancelling a dispute."""

from __future__ import annotations

import pytest

from machine import Policy, Reason, RequestKind
from tests.helpers import PRICE, request

rules = pytest.mark.rules
RETURN = RequestKind.RETURN_AND_REFUND


def delivered(drive, policy=None, **order):
    return drive(policy, **order).ship(1.0).do("deliver", 12.0)


@rules("D1")
@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_can_be_claimed_on_a_delivered_order(drive, reason):
    d = delivered(drive).open(13.0, request(reason))
    assert d.order.request.reason is reason


@rules("D1")
@pytest.mark.parametrize("reason", [Reason.NOT_AS_DESCRIBED, Reason.DAMAGED])
def test_complaints_about_the_goods_need_the_goods(drive, reason):
    d = drive().ship(1.0)
    d.refused("open_dispute", 10.0, request=request(reason))
    d.open(10.0, request(Reason.NOT_RECEIVED))


@rules("D2")
def test_contacting_the_seller_first_is_recorded_and_changes_nothing_else(drive):
    d = drive().ship(1.0).do("contact_seller", 6.0)
    assert d.state == "shipped" and d.order.contacted_seller_at == 6.0
    d.do("contact_seller", 7.0)
    assert d.order.contacted_seller_at == 6.0  # the first contact is what counts


@rules("D3")
def test_no_dispute_after_protection_ran_out(drive):
    d = drive(Policy(protection_days=30)).ship(1.0)
    d.refused("open_dispute", 31.0, request=request())
    d.open(30.9)


@rules("D3")
def test_no_dispute_after_an_agreement_was_reached(drive):
    d = delivered(drive).open(13.0, request(Reason.DAMAGED, RETURN)).do("seller_agrees", 14.0)
    d.do("cancel_dispute", 15.0)  # the agreed return is abandoned
    assert d.state == "delivered"
    d.refused("open_dispute", 16.0, request=request(Reason.DAMAGED))


@rules("D4")
@pytest.mark.parametrize(
    ("preset_levers", "promised", "too_early", "allowed"),
    [
        ({"earliest_dispute_days": 0, "fast_delivery_days": 0}, 20, None, 1.0),  # 002
        ({"earliest_dispute_days": 5, "fast_delivery_days": 5}, 20, 5.9, 6.0),  # 004
        ({"earliest_dispute_days": 5, "fast_delivery_days": 5}, 4, None, 1.0),  # 004 fast
        ({"earliest_dispute_days": 11, "fast_delivery_days": 0}, 4, 11.9, 12.0),  # 003
    ],
)
def test_earliest_day_to_open_is_a_policy_variant(
    drive, preset_levers, promised, too_early, allowed
):
    d = drive(Policy(**preset_levers), promised_days=promised).ship(1.0)
    if too_early is not None:
        d.refused("open_dispute", too_early, request=request())
    d.open(allowed)


@rules("D5")
def test_amount_is_positive_and_never_more_than_paid(drive):
    d = drive().ship(1.0)
    d.refused("open_dispute", 7.0, request=request(amount=PRICE + 1))
    d.refused("open_dispute", 7.0, request=request(amount=0))
    d.open(7.0, request(amount=2_500)).do("seller_agrees", 8.0)
    assert d.order.refunded == 2_500 and d.order.released == PRICE - 2_500


@rules("D5", "D11")
def test_refund_only_and_return_and_refund_take_different_paths(drive):
    only = delivered(drive).open(13.0, request(Reason.DAMAGED)).do("seller_agrees", 14.0)
    back = delivered(drive).open(13.0, request(Reason.DAMAGED, RETURN)).do("seller_agrees", 14.0)
    assert (only.state, back.state) == ("refund_clearing", "awaiting_return")
    assert back.order.refunded == 0


@rules("D6")
@pytest.mark.parametrize(
    ("form", "accepted"),
    [
        ({"largest_image_mb": 1.9}, True),
        ({"largest_image_mb": 2.0}, False),
        ({"text_has_chinese": True}, False),
    ],
)
def test_the_form_refuses_big_images_and_chinese_text(drive, form, accepted):
    d = drive().ship(1.0)
    assert d.fire("open_dispute", 7.0, request=request(**form)) is accepted


@rules("D6")
def test_the_form_rules_are_levers(drive):
    lax = Policy(max_image_mb=10, forbid_chinese_text=False)
    drive(lax).ship(1.0).open(7.0, request(largest_image_mb=5, text_has_chinese=True))


@rules("D7")
def test_seller_agreement_refunds_as_asked(drive):
    d = drive().ship(1.0).open(7.0).do("seller_agrees", 8.0)
    assert d.state == "refund_clearing" and d.order.refunded == PRICE


@rules("D7")
def test_five_days_of_silence_refund_as_asked(drive):
    d = drive().ship(1.0).open(7.0)
    d.refused("seller_deadline", 11.9)
    d.do("seller_deadline", 12.0)
    assert d.state == "refund_clearing" and d.order.refunded == PRICE


@rules("D7", "D9")
def test_under_the_escalate_variant_silence_waits_for_the_team(drive):
    d = drive(Policy(seller_silence="escalate")).ship(1.0).open(7.0)
    d.refused("seller_deadline", 12.0)
    d.refused("auto_escalate", 21.9)
    d.do("auto_escalate", 22.0)
    assert d.state == "escalated"


@rules("D8")
def test_counter_offer_accepted_refunds_the_offer(drive):
    d = delivered(drive).open(13.0, request(Reason.NOT_AS_DESCRIBED))
    d.refused("seller_rejects", 14.0, amount=PRICE + 1)
    d.do("seller_rejects", 14.0, amount=3_000)
    assert d.state == "negotiating" and d.order.offer == 3_000
    d.do("accept_offer", 15.0)
    assert d.order.refunded == 3_000 and d.order.released == PRICE - 3_000


@rules("D8")
def test_a_plain_rejection_leaves_nothing_to_accept_and_the_buyer_may_modify(drive):
    d = delivered(drive).open(13.0, request(Reason.NOT_AS_DESCRIBED))
    d.do("seller_rejects", 14.0, amount=0)
    d.refused("accept_offer", 15.0)
    d.do("modify_request", 15.0, request=request(Reason.NOT_AS_DESCRIBED, amount=5_000))
    assert d.state == "dispute_open" and d.order.request_at == 15.0
    d.refused("seller_deadline", 19.9)  # the seller's clock restarted
    d.do("seller_deadline", 20.0)
    assert d.order.refunded == 5_000


@rules("D9")
def test_no_agreement_in_15_days_escalates_by_itself(drive):
    d = drive().ship(1.0).open(7.0).do("seller_rejects", 8.0, amount=0)
    d.refused("auto_escalate", 21.9)
    d.do("auto_escalate", 22.0)
    assert d.state == "escalated" and d.order.escalated_at == 22.0


@rules("D10")
@pytest.mark.parametrize(
    ("variant", "answered", "refused_at", "allowed_at"),
    [
        ("after_days", False, 9.9, 10.0),
        ("seller_silent_days", False, 9.9, 10.0),
        ("after_seller_answer", True, None, 8.0),
    ],
)
def test_manual_escalation_timing_is_a_policy_variant(
    drive, variant, answered, refused_at, allowed_at
):
    d = drive(Policy(manual_escalation=variant, manual_escalation_days=3)).ship(1.0).open(7.0)
    if answered:
        d.refused("escalate", 7.5)
        d.do("seller_rejects", 7.9, amount=0)
    if refused_at is not None:
        d.refused("escalate", refused_at)
    d.do("escalate", allowed_at)
    assert d.state == "escalated"


@rules("D10")
def test_seller_silent_variant_closes_once_the_seller_answered(drive):
    d = drive(Policy(manual_escalation="seller_silent_days")).ship(1.0).open(7.0)
    d.do("seller_rejects", 8.0, amount=0)
    d.refused("escalate", 12.0)


@rules("D10", "D8")
def test_seller_silent_variant_stays_closed_after_the_buyer_modifies_the_request(drive):
    """000: the clock counts from the opening, and a seller who answered is not silent."""
    d = drive(Policy(manual_escalation="seller_silent_days", manual_escalation_days=3))
    d.ship(1.0).open(7.0).do("seller_rejects", 8.0, amount=0)
    d.do("modify_request", 8.5, request=request(amount=100))
    d.refused("escalate", 10.5)  # three days after the opening, the seller had answered
    d.refused("escalate", 11.6)  # nor three days after the modified request
    assert d.state == "dispute_open"


@rules("D10")
def test_once_escalated_the_request_cannot_be_modified(drive):
    d = drive().ship(1.0).open(7.0).do("escalate", 10.0)
    d.refused("modify_request", 11.0, request=request(amount=100))


@rules("D11")
def test_return_shipped_and_confirmed_refunds_and_the_buyer_pays_postage(drive):
    d = delivered(drive, return_postage=1_500, return_free=False)
    d.open(13.0, request(Reason.DAMAGED, RETURN)).do("seller_agrees", 14.0)
    d.do("ship_return", 20.0).do("seller_confirms_return", 30.0)
    assert d.state == "refund_clearing" and d.order.refunded == PRICE
    assert d.order.buyer_costs == 1_500


@rules("D11")
def test_free_return_costs_the_buyer_nothing(drive):
    d = delivered(drive, return_postage=1_500, return_free=True)
    d.open(13.0, request(Reason.DAMAGED, RETURN)).do("seller_agrees", 14.0).do("ship_return", 15.0)
    assert d.order.buyer_costs == 0


@rules("D11")
def test_return_not_shipped_in_time_pays_the_seller(drive):
    d = delivered(drive).open(13.0, request(Reason.DAMAGED, RETURN)).do("seller_agrees", 14.0)
    d.refused("return_deadline", 23.9)
    d.refused("ship_return", 24.0)
    d.do("return_deadline", 24.0)
    assert d.state == "closed_against_buyer" and d.order.released == PRICE


@rules("D11")
def test_unconfirmed_return_is_refunded_after_the_seller_deadline(drive):
    d = delivered(drive).open(13.0, request(Reason.DAMAGED, RETURN)).do("seller_agrees", 14.0)
    d.do("ship_return", 15.0)
    d.refused("return_confirm_deadline", 29.9)
    d.do("return_confirm_deadline", 30.0)
    assert d.order.refunded == PRICE


@rules("D12")
def test_delivery_during_a_not_received_dispute_allows_a_reason_change(drive):
    d = drive().ship(1.0).open(7.0)
    nad = request(Reason.NOT_AS_DESCRIBED)
    d.refused("change_reason", 8.0, request=nad)  # not delivered yet
    d.do("tracking_shows_delivered", 9.0)
    assert d.state == "dispute_open" and d.order.delivered_at == 9.0
    d.refused("change_reason", 14.1, request=nad)  # more than 5 days later
    d.refused("change_reason", 14.0, request=nad)  # at 5 days the window is shut, as all are
    d.do("change_reason", 13.99, request=nad)
    assert d.order.request.reason is Reason.NOT_AS_DESCRIBED


@rules("D12", "D13")
def test_delivery_during_dispute_then_cancel_goes_back_to_delivered(drive):
    d = drive().ship(1.0).open(7.0).do("tracking_shows_delivered", 9.0).do("cancel_dispute", 10.0)
    assert d.state == "delivered" and d.order.escrow == PRICE


@rules("D13")
def test_cancel_while_waiting_goes_back_to_shipped(drive):
    d = drive().ship(1.0).open(7.0).do("cancel_dispute", 8.0)
    assert d.state == "shipped"
    d.open(9.0)  # no agreement was reached: it may be opened again
    assert d.order.disputes_opened == 2


@rules("D13")
def test_cancel_after_protection_ran_out_releases_payment(drive):
    d = drive(Policy(protection_days=30)).ship(1.0).open(25.0).do("cancel_dispute", 32.0)
    assert d.state == "finished" and d.order.released == PRICE
