"""Behaviour in the open: profile values of 1 and 0 mean always and never, and behaviour
responds to the policy through documented parameters."""

from __future__ import annotations

import numpy as np
import pytest

from machine.policy import Policy
from sim.world.records.recorder import STATE_CODE
from sim.world.runner import run
from sim.world.scenario import Scenario
from tests.world_runs import baseline


def with_profiles(scenario: Scenario, sellers: dict | None = None, buyers: dict | None = None):
    return scenario.model_copy(
        update={
            "sellers": tuple(p.model_copy(update=sellers or {}) for p in scenario.sellers),
            "buyers": tuple(p.model_copy(update=buyers or {}) for p in scenario.buyers),
        }
    )


def with_levers(scenario: Scenario, **levers) -> Scenario:
    return scenario.model_copy(
        update={"policy": Policy.create(**{**scenario.policy.model_dump(), **levers})}
    )


def triggers(result) -> np.ndarray:
    return result.events.labels("trigger")


DISHONEST = {"false_claim": 0.05, "modifies_request": 0.5}


@pytest.mark.rules("D7", "D8")
@pytest.mark.parametrize(
    "seller",
    [
        {"agrees": 1.0, "rejects": 0.0, "counter_offers": 0.0},  # always agrees
        {"agrees": 0.0, "rejects": 0.0, "counter_offers": 0.0, "contests_fine_goods": 0.0},
    ],
    ids=["agrees-1", "silent-and-never-contests"],
)
def test_a_seller_who_never_rejects_never_rejects_even_false_claims(seller):
    scenario = with_profiles(baseline(), sellers=seller, buyers=DISHONEST)
    result = run(scenario, 4, orders=6_000)
    fired = triggers(result)
    false_claims = result.orders["false_claim"].astype(bool)
    assert false_claims.sum() > 50  # the claims a seller would most like to reject
    assert (fired == "seller_rejects").sum() == 0
    answered = (fired == "seller_agrees").sum()
    assert answered > 0 if seller["agrees"] else answered == 0


@pytest.mark.rules("D7", "D8")
def test_a_seller_who_always_contests_rejects_every_false_claim_they_would_not_agree_to():
    seller = {"agrees": 0.0, "rejects": 0.0, "counter_offers": 0.5, "contests_fine_goods": 1.0}
    scenario = with_profiles(baseline(), sellers=seller, buyers=DISHONEST)
    result = run(scenario, 4, orders=6_000)
    events = result.events
    fired = triggers(result)
    false_ids = np.flatnonzero(result.orders["false_claim"].astype(bool))
    on_false = np.isin(events["order_id"], false_ids)
    assert (fired[on_false] == "seller_rejects").sum() > 0
    assert (fired[on_false] == "seller_agrees").sum() == 0
    real_ids = np.flatnonzero(result.orders["truth"] != 0)
    rejected = events["order_id"][fired == "seller_rejects"]
    assert np.isin(rejected, real_ids).sum() < len(rejected)  # real problems still countered


def first_answer_delays(result) -> np.ndarray:
    events, fired = result.events, triggers(result)
    opened = fired == "open_dispute"
    answered = np.isin(fired, ("seller_agrees", "seller_rejects"))
    first_open = dict(
        zip(events["order_id"][opened][::-1], events["time"][opened][::-1], strict=True)
    )
    first_answer = dict(
        zip(events["order_id"][answered][::-1], events["time"][answered][::-1], strict=True)
    )
    return np.array([first_answer[i] - first_open[i] for i in first_answer if i in first_open])


@pytest.mark.rules("D7")
def test_sellers_answer_sooner_when_the_deadline_is_shorter():
    """answer_deadline_share: a seller's median answer is a share of the deadline."""
    long = run(with_levers(baseline(), seller_response_days=6.0), 4, orders=8_000)
    short = run(with_levers(baseline(), seller_response_days=3.0), 4, orders=8_000)
    ratio = np.median(first_answer_delays(short)) / np.median(first_answer_delays(long))
    assert ratio == pytest.approx(0.5, rel=0.15)


def manual_escalations(patience: float, wait: float) -> int:
    scenario = with_profiles(
        with_levers(baseline(), manual_escalation_days=wait, auto_escalation_days=30.0),
        sellers={"agrees": 0.0, "rejects": 1.0, "counter_offers": 0.0},
        buyers={"escalates": 1.0, "escalation_median_days": 0.5, "modifies_request": 0.0,
                "escalation_patience_days": patience},
    )  # fmt: skip
    return int((triggers(run(scenario, 4, orders=6_000)) == "escalate").sum())


@pytest.mark.rules("D9", "D10")
def test_buyers_made_to_wait_longer_escalate_less_as_their_patience_says():
    quick, slow = manual_escalations(5.0, 1.0), manual_escalations(5.0, 15.0)
    assert slow < 0.3 * quick  # exp(-14.5 / 5) is about 0.06 of those who would
    patient = manual_escalations(730.0, 15.0)
    assert patient > 3 * slow  # the same wait, but buyers who do not mind it still escalate


@pytest.mark.rules("L3", "P1")
def test_every_instant_cancellation_is_credited_a_day_later_in_the_world():
    instant_bank = with_levers(baseline(), bank_days_min=0, bank_days_max=0)
    buyers = {"cancels": 0.5, "cancel_median_days": 0.2}
    result = run(with_profiles(instant_bank, buyers=buyers), 4, orders=4_000)
    events, fired = result.events, triggers(result)
    at_once = (fired == "cancel_order") & (events["dest"] == STATE_CODE["refund_clearing"])
    cancelled = dict(zip(events["order_id"][at_once], events["time"][at_once], strict=True))
    credit = fired == "bank_credits_refund"
    credited = dict(zip(events["order_id"][credit], events["time"][credit], strict=True))
    assert len(cancelled) > 500
    gaps = np.array([credited[i] - t for i, t in cancelled.items()])
    assert gaps.min() == pytest.approx(1.0)  # no sooner than 24 hours, and no later needed


@pytest.mark.rules("D7", "E3")
def test_where_silence_escalates_a_silent_sellers_case_is_refunded():
    """000: "If the sellers fails to respond, the dispute will automatically be escalated,
    and buyers will get the refund"."""
    silent = with_levers(baseline(), seller_silence="escalate")
    scenario = with_profiles(silent, sellers={"agrees": 0.0, "rejects": 0.0, "counter_offers": 0.3})
    result = run(scenario, 4, orders=40_000)  # some thirty answered cases reach the team
    o, fired = result.orders, triggers(result)
    answered = np.unique(result.events["order_id"][fired == "seller_rejects"])
    decided = ~np.isnan(o["decided_at"])
    silent_cases = decided & ~np.isin(o["order_id"], answered)
    assert silent_cases.sum() > 20 and (decided & ~silent_cases).sum() > 20
    assert (o["refunded"][silent_cases] > 0).all()
    assert (o["decision"][decided & ~silent_cases] == 0).any()  # answered cases may lose


def _opened_at(result) -> dict[int, float]:
    """Each order's first dispute opening, by order id."""
    events = result.events
    opened = triggers(result) == "open_dispute"
    found: dict[int, float] = {}
    for order, time in zip(events["order_id"][opened], events["time"][opened], strict=True):
        found.setdefault(int(order), float(time))
    return found


@pytest.mark.rules("D6")
def test_a_form_limit_below_the_buyers_images_is_a_refusal_the_buyer_corrects():
    """max_image_mb = 0.4 refuses every first form (images of 0.5 MB): no internal error,
    both engines agree, and each dispute opens a reaction step later than under 2 MB."""
    strict = with_levers(baseline(), max_image_mb=0.4)
    fast = run(strict, 5, orders=3_000)
    reference = run(strict, 5, orders=3_000, engine="reference")
    assert np.array_equal(fast.events["time"], reference.events["time"])
    loose = _opened_at(run(baseline(), 5, orders=3_000))
    tight = _opened_at(fast)
    both = sorted(set(loose) & set(tight))
    assert len(both) > 20
    assert all(tight[o] >= loose[o] for o in both)
    assert sum(tight[o] > loose[o] for o in both) > 0.8 * len(both)


@pytest.mark.rules("D6")
def test_forbidding_chinese_text_refuses_the_forms_written_in_it():
    """With every broken form at fault for its text, the lever alone decides whether
    those disputes open at once or after a correction."""
    buyers = {"form_error": 1.0, "form_text_fault": 1.0}
    scenario = with_profiles(baseline(), buyers=buyers)
    allowed = _opened_at(run(with_levers(scenario, forbid_chinese_text=False), 6, orders=3_000))
    refused = _opened_at(run(with_levers(scenario, forbid_chinese_text=True), 6, orders=3_000))
    both = sorted(set(allowed) & set(refused))
    assert len(both) > 20
    assert all(refused[o] >= allowed[o] for o in both)
    assert sum(refused[o] > allowed[o] for o in both) > 0.8 * len(both)
