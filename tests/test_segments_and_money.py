"""The disputes' own figures, escalated-only figures, figures by dispute reason and the
money view: definitions on hand-made orders, and the currency as a scenario setting."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from machine.order import Reason
from sim.measures import money, segments
from sim.measures.segments import CODE
from sim.world.records.truth import Truth
from tests.helpers import disputesim, hand_made_orders

NAN = math.nan
NR, NAD, DMG = (CODE[r] for r in (Reason.NOT_RECEIVED, Reason.NOT_AS_DESCRIBED, Reason.DAMAGED))


orders = hand_made_orders


# Five orders: a cancellation refunded in 5 days; a not-received dispute refunded in 10;
# a damaged dispute escalated and refunded in 30; a false not-as-described claim escalated
# and refused; an order that went fine.
FIVE = orders(
    truth=[Truth.OK, Truth.LOST, Truth.DAMAGED, Truth.OK, Truth.OK],
    refunded=[1000, 1000, 500, 0, 0],
    disputed=[0, 1, 1, 1, 0],
    false_claim=[0, 0, 0, 1, 0],
    escalated=[0, 0, 1, 1, 0],
    reason=[-1, NR, DMG, NAD, -1],
    asked_at=[1.0, 10.0, 10.0, 10.0, NAN],
    credited_at=[6.0, 20.0, 40.0, NAN, NAN],
    escalated_at=[NAN, NAN, 15.0, 15.0, NAN],
    closed_at=[6.0, 20.0, 40.0, 35.0, 50.0],
    buyer_costs=[0, 0, 200, 0, 0],
)


def test_dispute_and_escalated_figures_count_their_own_segment_only():
    f = segments.figures(FIVE)
    assert f["dispute_days_to_money_median"] == 20.0  # 10 and 30 days
    assert f["cancel_days_to_money_median"] == 5.0
    assert f["escalated_refunded"] == 0.5
    assert f["escalated_false_claims_paid"] == 0.0
    assert f["escalated_days_to_money_median"] == 30.0
    assert f["escalated_days_to_close_median"] == 22.5  # 25 and 20 days


def test_reason_figures_split_the_disputes_by_their_request():
    f = segments.figures(FIVE)
    shares = [f[segments.reason_key(r, "share")] for r in segments.REASONS]
    assert shares == pytest.approx([1 / 3] * 3) and sum(shares) == pytest.approx(1.0)
    assert f["not_received_refunded"] == 1.0 and f["not_received_escalated"] == 0.0
    assert f["damaged_escalated"] == 1.0 and f["damaged_days_to_money"] == 30.0
    assert f["not_as_described_refunded"] == 0.0
    assert math.isnan(f["not_as_described_days_to_money"])  # nothing refunded to time


def test_money_is_per_1000_orders_in_whole_currency_units():
    f = money.figures(FIVE)
    per_order = 1000 / 5 / 100  # cents of five orders -> currency per 1,000 orders
    assert f["money_paid"] == pytest.approx(5000 * per_order)
    assert f["money_refunded"] == pytest.approx(2500 * per_order)
    assert f["money_refunded_unshipped"] == 0.0  # every order here was shipped
    assert f["money_refunded_problems"] == pytest.approx(1500 * per_order)
    assert f["money_false_claims_paid"] == 0.0
    assert f["money_buyer_loss"] == pytest.approx((500 + 200) * per_order)  # damaged, half
    assert f["money_seller_loss"] == pytest.approx(1000 * per_order)  # the cancelled order
    unshipped = money.figures({**FIVE, "shipped_at": np.array([NAN, 0, 0, 0, 0])})
    assert unshipped["money_refunded_unshipped"] == pytest.approx(1000 * per_order)
    assert unshipped["money_seller_loss"] == 0.0  # a seller who never shipped loses nothing
    doubled = money.figures({k: np.concatenate([v, v]) for k, v in FIVE.items()})
    assert doubled == pytest.approx(f)  # twice the orders, the same money per 1,000


def test_no_orders_give_no_figures_not_errors():
    empty = orders(price=np.zeros(0, int))
    assert all(math.isnan(v) for v in money.figures(empty).values())
    assert all(math.isnan(v) for v in segments.figures(empty).values())


def test_the_currency_is_a_scenario_setting_named_wherever_money_is_shown(tmp_path):
    path = tmp_path / "euro.toml"
    path.write_text('[scenario]\nname = "euro"\n[market]\ncurrency = "EUR"\n')
    args = ("run", str(path), "--days", "2", "--warmup-days", "0", "--seed", "3")
    shown = disputesim(*args)
    assert shown.returncode == 0, shown.stderr
    assert "money (EUR per 1,000 orders)" in shown.stdout
    assert "paid by buyers" in shown.stdout and "USD" not in shown.stdout
    found = json.loads(disputesim(*args, "--json").stdout)
    assert found["currency"] == "EUR" and found["money_paid"] > 0
    path.write_text('[scenario]\nname = "euro"\n[market]\ncurrency = "euro"\n')
    bad = disputesim(*args)
    assert bad.returncode == 2 and "market.currency" in bad.stderr
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_scenarios_in_different_currencies_are_not_compared(tmp_path):
    (tmp_path / "a.toml").write_text('[scenario]\nname = "a"\n')
    (tmp_path / "b.toml").write_text('[scenario]\nname = "b"\n[market]\ncurrency = "EUR"\n')
    result = disputesim("compare", str(tmp_path / "a.toml"), str(tmp_path / "b.toml"))
    assert result.returncode == 2
    assert "different currencies (a in USD, b in EUR)" in result.stderr


def test_a_scenario_names_the_figures_its_question_is_about(tmp_path):
    from sim.experiments.scenario import load_scenario
    from sim.views.responses import default_figures

    shorter = load_scenario("scenarios/study-shorter-seller-deadline.toml")
    assert "dispute_days_to_money_median" in shorter.figures
    points = [{"scenario": {"figures": ["team_mean_wait"]}}, {"scenario": shorter.model_dump()}]
    chosen = default_figures({"points": points})
    assert chosen[0] == "team_mean_wait" and chosen[1:] == list(shorter.figures)
    assert default_figures({"points": [{"scenario": {}}]})[0] == "refund_rate"  # headline
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nname = "x"\nfigures = ["escalaton_rate"]\n')
    bad = disputesim("validate", str(path))
    assert (
        bad.returncode == 2 and "scenario.figures" in bad.stderr and "escalaton_rate" in bad.stderr
    )
