"""Rules E1-E5 and P1-P3: the case team, appeals, and the money reaching the bank."""

from __future__ import annotations

import pytest

from machine import Party, Policy, Reason
from machine.calendar import add_business_days
from tests.helpers import PRICE, request

rules = pytest.mark.rules
APPEALS = Policy(appeals=True, appeal_days=7, max_appeals=1)


def escalated(drive, policy=None):
    return drive(policy).ship(1.0).open(7.0).do("escalate", 10.0)


@rules("E1")
def test_team_asks_either_party_for_evidence(drive):
    d = escalated(drive)
    d.refused("request_evidence", 11.0)  # must name who
    d.do("request_evidence", 11.0, party=Party.SELLER)
    assert d.state == "awaiting_evidence" and d.order.evidence_party is Party.SELLER
    d.do("submit_evidence", 12.0)
    assert d.state == "escalated" and d.order.evidence_party is None


@rules("E1", "E2")
def test_a_seller_without_evidence_does_not_end_the_claim(drive):
    d = escalated(drive).do("request_evidence", 11.0, party=Party.SELLER)
    d.do("evidence_deadline", 18.0)
    assert d.state == "escalated"


@rules("E2")
def test_claim_cancelled_when_the_buyer_gives_no_evidence_in_time(drive):
    d = escalated(drive, Policy(evidence_days=7)).do("request_evidence", 11.0, party=Party.BUYER)
    d.refused("evidence_deadline", 17.9)
    d.do("evidence_deadline", 18.0)
    assert d.state == "closed_against_buyer" and d.order.released == PRICE


@rules("E3")
@pytest.mark.parametrize(
    ("award", "state", "refunded"),
    [
        (PRICE, "refund_clearing", PRICE),
        (4_000, "refund_clearing", 4_000),
        (0, "closed_against_buyer", 0),
    ],
)
def test_team_decides_full_partial_or_none(drive, award, state, refunded):
    d = escalated(drive).do("decide", 30.0, amount=award)
    assert d.state == state and d.order.refunded == refunded
    assert d.order.released == PRICE - refunded and d.order.escrow == 0


@rules("E3")
def test_team_cannot_award_more_than_was_paid(drive):
    escalated(drive).refused("decide", 30.0, amount=PRICE + 1)


@rules("E4")
def test_decisions_are_final_when_appeals_are_off(drive):
    d = escalated(drive).do("decide", 30.0, amount=0)
    d.refused("file_appeal", 31.0)
    assert d.state == "closed_against_buyer"


@rules("E4")
def test_appeal_within_7_days_then_a_new_decision(drive):
    d = escalated(drive, APPEALS).do("decide", 30.0, amount=0)
    assert d.state == "decided" and d.order.escrow == PRICE  # money held while appealable
    d.do("file_appeal", 36.0).do("decide_appeal", 50.0, amount=PRICE)
    d.refused("file_appeal", 51.0)  # one appeal per order
    d.do("decision_final", 51.0)  # no appeal left: final at once
    assert d.state == "refund_clearing" and d.order.refunded == PRICE


@rules("E4")
def test_appeal_window_closes_after_7_days(drive):
    d = escalated(drive, APPEALS).do("decide", 30.0, amount=2_000)
    d.refused("decision_final", 36.9)
    d.refused("file_appeal", 37.0)
    d.do("decision_final", 37.0)
    assert d.state == "refund_clearing" and d.order.refunded == 2_000


@rules("E5")
def test_a_losing_buyer_can_still_contact_support_without_reopening(drive):
    d = escalated(drive).do("decide", 30.0, amount=0).do("contact_support", 31.0)
    assert d.state == "closed_against_buyer" and d.order.support_contacted
    d.refused("open_dispute", 32.0, request=request())


@rules("P1")
def test_bank_credits_after_business_days_skipping_weekends(drive):
    d = drive().do("cancel_order", 0.5)  # day 0 is a Monday
    assert d.order.refund_at == 0.5
    earliest = add_business_days(0.5, 3)  # Tue, Wed, Thu -> end of Thursday
    assert earliest == 4.0
    d.refused("bank_credits_refund", 3.9)
    d.do("bank_credits_refund", 4.0)
    assert d.state == "refunded" and d.order.credited_at == 4.0


@rules("P1")
def test_bank_clearance_over_a_weekend(drive):
    d = drive(promised_days=4).ship(1.0).open(4.5).do("seller_agrees", 4.5)  # a Friday
    d.refused("bank_credits_refund", 9.9)  # Saturday and Sunday do not count
    d.do("bank_credits_refund", 10.0)  # Mon, Tue, Wed: end of Wednesday, 5.5 days later


@rules("P2")
def test_refund_goes_back_with_the_bank_fee_as_a_buyer_cost(drive):
    d = drive(Policy(refund_fee_rate=0.02)).do("cancel_order", 0.5).do("bank_credits_refund", 5.0)
    assert d.order.buyer_costs == 200


@rules("P3")
def test_goods_after_refund_and_buyer_repaying_outside_the_platform(drive):
    d = drive().ship(1.0).open(7.0).do("seller_agrees", 8.0)
    d.refused("buyer_repays_seller", 9.0, amount=PRICE)  # nothing arrived yet
    d.do("goods_arrive_after_refund", 20.0)
    d.refused("buyer_repays_seller", 21.0, amount=PRICE + 1)
    d.do("buyer_repays_seller", 21.0, amount=PRICE)
    assert d.state == "refund_clearing" and d.order.repaid_off_platform == PRICE
    d.do("bank_credits_refund", 22.0).do("goods_arrive_after_refund", 23.0)
    assert d.state == "refunded" and d.order.late_goods_at == 20.0


@rules("P1", "L3")
def test_every_refund_path_ends_refunded_with_no_escrow(drive):
    paths = [
        lambda d: d.do("cancel_order", 0.1),
        lambda d: d.do("handling_time_expires", 8.0),
        lambda d: d.ship(1.0).open(7.0).do("seller_agrees", 8.0),
        lambda d: (
            d.ship(1.0)
            .open(7.0, request(Reason.NOT_RECEIVED, amount=10))
            .do("seller_deadline", 12.0)
        ),
    ]
    for path in paths:
        d = drive()
        path(d)
        d.do("bank_credits_refund", 40.0)
        assert d.state == "refunded" and d.order.escrow == 0
