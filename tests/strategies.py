"""Hypothesis strategies: random valid policies, and a payload for any trigger."""

from __future__ import annotations

from hypothesis import strategies as st

from machine import DisputeRequest, Party, Payload, Policy, Reason, RequestKind

PRICE = 10_000

days = st.floats(min_value=0.0, max_value=40.0, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """Any valid policy: every lever drawn within (a reasonable part of) its range."""
    cancel = sorted([draw(days), draw(days)])
    bank = sorted([draw(st.integers(0, 30)), draw(st.integers(0, 30))])
    protection = draw(st.floats(min_value=5.0, max_value=90.0).map(lambda x: round(x, 2)))
    return Policy.create(
        instant_cancel_hours=draw(st.floats(0.0, 72.0)),
        cancel_days_min=cancel[0],
        cancel_days_max=cancel[1],
        handling_days=draw(days),
        protection_days=protection,
        max_extension_days=draw(days),
        collection_days=draw(days),
        post_completion_days=draw(days),
        earliest_dispute_days=min(draw(days), protection),
        fast_delivery_days=draw(st.sampled_from([0.0, 5.0, 10.0])),
        seller_response_days=draw(days),
        seller_silence=draw(st.sampled_from(["refund", "escalate"])),
        manual_escalation=draw(
            st.sampled_from(["after_days", "seller_silent_days", "after_seller_answer"])
        ),
        manual_escalation_days=draw(days),
        auto_escalation_days=draw(st.floats(1.0, 40.0)),
        reason_change_days=draw(days),
        return_ship_days=draw(days),
        return_confirm_days=draw(days),
        max_image_mb=draw(st.sampled_from([1.0, 2.0, 5.0])),
        forbid_chinese_text=draw(st.booleans()),
        evidence_days=draw(st.floats(0.5, 20.0)),
        appeals=draw(st.booleans()),
        appeal_days=draw(st.floats(0.5, 20.0)),
        max_appeals=draw(st.integers(1, 3)),
        bank_days_min=bank[0],
        bank_days_max=bank[1],
        refund_fee_rate=draw(st.sampled_from([0.0, 0.01, 0.05])),
    )


amounts = st.one_of(
    st.sampled_from([0, 1, PRICE // 2, PRICE, PRICE + 1]), st.integers(-5, PRICE + 5)
)
any_requests = st.builds(
    DisputeRequest,
    reason=st.sampled_from(list(Reason)),
    kind=st.sampled_from(list(RequestKind)),
    amount=amounts,
    largest_image_mb=st.sampled_from([0.0, 0.5, 1.9, 2.0, 3.0]),
    text_has_chinese=st.booleans(),
)
acceptable_forms = st.builds(
    DisputeRequest,
    reason=st.sampled_from(list(Reason)),
    kind=st.sampled_from(list(RequestKind)),
    amount=st.integers(1, PRICE),
)
# Three in four forms pass the form checks, so walks get deep into disputes and cases.
requests = st.integers(0, 3).flatmap(lambda k: acceptable_forms if k else any_requests)

PAYLOADS: dict[str, st.SearchStrategy[Payload]] = {
    "open_dispute": st.builds(Payload, request=requests),
    "modify_request": st.builds(Payload, request=requests),
    "change_reason": st.builds(Payload, request=requests),
    "seller_rejects": st.builds(Payload, amount=amounts),
    "decide": st.builds(Payload, amount=amounts),
    "decide_appeal": st.builds(Payload, amount=amounts),
    "buyer_repays_seller": st.builds(Payload, amount=amounts),
    "extend_protection": st.builds(Payload, amount=st.integers(-2, 40)),
    "request_evidence": st.builds(Payload, party=st.sampled_from([*Party, None])),
}


def payload_for(trigger: str) -> st.SearchStrategy[Payload]:
    """The payload a trigger takes (an empty dict for most)."""
    return PAYLOADS.get(trigger, st.just(Payload()))


def order_attributes() -> st.SearchStrategy[dict[str, object]]:
    """Per-order data the world would draw: promised delivery and return terms."""
    return st.fixed_dictionaries(
        {
            "promised_days": st.sampled_from([3.0, 5.0, 12.0, 25.0]),
            "return_free": st.booleans(),
            "return_postage": st.integers(0, 3_000),
        }
    )
