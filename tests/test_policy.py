"""Policy levers: validation with clear messages, and the presets."""

from __future__ import annotations

import pytest

from machine import Policy, PolicyError
from machine.policy import expected_value
from machine.presets import PRESETS, TABLE_D_VARIANTS, preset


@pytest.mark.rules("D4", "D7", "D9", "D10", "E4")
def test_defaults_follow_the_current_help_page():
    policy = Policy()
    assert (policy.earliest_dispute_days, policy.fast_delivery_days) == (5, 5)  # 004
    assert policy.manual_escalation == "after_days" and policy.manual_escalation_days == 3
    assert policy.auto_escalation_days == 15 and policy.appeals is False  # 004: final
    assert policy.seller_response_days == 5


@pytest.mark.parametrize(
    ("levers", "names"),
    [
        ({"seller_response_days": -1}, ("seller_response_days", "from 0 to 730", "-1")),
        ({"bank_days_min": 2.5}, ("bank_days_min", "whole number", "2.5")),
        ({"manual_escalation": "never"}, ("manual_escalation", "'after_days'", "never")),
        ({"appeals": "maybe"}, ("appeals", "true or false")),
        ({"refund_fee_rate": 2}, ("refund_fee_rate", "from 0 to 1")),
    ],
)
def test_invalid_values_name_the_lever_and_the_allowed_range(levers, names):
    with pytest.raises(PolicyError) as caught:
        Policy.create(**levers)
    message = str(caught.value)
    assert "\n" not in message
    for part in names:
        assert part in message


def test_unknown_lever_is_refused_by_name():
    with pytest.raises(PolicyError, match="unknown policy lever 'seller_respons_days'"):
        Policy.create(seller_respons_days=3)


def test_ranges_must_be_ordered():
    with pytest.raises(PolicyError, match=r"bank_days_min .* must not exceed bank_days_max"):
        Policy.create(bank_days_min=20, bank_days_max=10)


def test_policy_is_immutable_and_evolve_validates():
    policy = Policy()
    with pytest.raises(Exception, match="frozen"):
        policy.protection_days = 10
    assert policy.evolve(protection_days=30).protection_days == 30
    with pytest.raises(PolicyError, match="protection_days"):
        policy.evolve(protection_days=0)


def test_every_lever_is_documented_and_traced():
    from machine.catalogue import RULES

    known = {rule.id for rule in RULES}
    assert set(Policy.lever_info()) == set(Policy.model_fields)  # no lever left out
    for name, info in Policy.lever_info().items():
        assert info.doc and info.source and info.rules, name
        assert set(info.rules) <= known, (name, info.rules)
        assert info.expected == expected_value(name)
    assumed = [name for name, info in Policy.lever_info().items() if info.assumed]
    assert "handling_days" in assumed and "seller_response_days" not in assumed


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_is_valid_cites_sources_and_names_real_levers(name):
    chosen = preset(name)
    assert chosen.sources and chosen.title
    assert set(chosen.levers) | set(chosen.assumed) <= set(Policy.model_fields)
    cited = " ".join(chosen.sources)
    assert any(seed in cited for seed in ("000", "001", "002", "003", "004", "sources.md")), cited
    default, policy = Policy(), chosen.policy()
    changed = {k for k in Policy.model_fields if getattr(policy, k) != getattr(default, k)}
    assert changed == {k for k, v in chosen.levers.items() if v != getattr(default, k)}


@pytest.mark.rules("D4", "D7", "D10", "L9", "E4", "P1")
def test_each_table_d_parameter_has_a_preset_per_variant():
    by_parameter: dict[str, list[str]] = {}
    for variant in TABLE_D_VARIANTS:
        by_parameter.setdefault(variant.variant_of, []).append(variant.name)
    expected_counts = {
        "earliest dispute after shipment": 3,
        "seller silence": 2,
        "manual escalation available": 3,
        "protection period": 3,
        "appeal": 2,
        "bank clearance": 2,
    }
    for parameter, count in expected_counts.items():
        assert len(by_parameter[parameter]) == count, parameter
    assert {"auto-escalation", "post-completion dispute window", "cancellation"} <= set(
        by_parameter
    )


def test_peer_presets_exist_and_differ_from_the_default():
    default = Policy()
    for name in (
        "ebay-money-back",
        "paypal",
        "amazon-a-to-z",
        "visa-chargeback",
        "mastercard-chargeback",
    ):
        assert preset(name).policy() != default
        assert preset(name).assumed, f"{name} must say which values it assumed"


def test_unknown_preset_lists_the_known_ones():
    with pytest.raises(KeyError, match="aliexpress-2024"):
        preset("aliexpress-1999")
