"""What is drawn for an order: its `Facts`, and which of them only a dispute reads.

`Facts` names every fact an order carries from its creation (`sim.world.behaviour.draws`
draws them): who sells and buys it, how it ships, what each actor will do and when, as
outcomes, uniforms and durations in days. The facts only a cancellation or a dispute reads
(`DISPUTE_FACTS`) are drawn for the orders that may have one (`dispute_facts`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

# Seller answers to a dispute (D7, D8)
AGREE, REJECT, COUNTER, SILENT = range(4)


class Facts(NamedTuple):
    """Everything drawn for one order, read as `facts.transit`, `facts.ships`, ...

    Chances are drawn as outcomes (bool); `*_u` fields are uniforms compared with a
    policy-dependent threshold later; delays and durations are in days.
    """

    # market: who sells, who buys, how it ships, what it costs
    seller: int  # seller profile index
    buyer: int  # buyer profile index
    carrier: int  # shipping method index
    price: int  # item and shipping, cents
    promised: float  # promised delivery time (L5)
    # seller (L2, L4, L7, D7, D8, D11)
    ships: bool  # ships at all (L4)
    fake_tracking: bool  # fake or reused tracking number (L7)
    handling: float  # payment to shipment
    not_as_described: bool  # the goods differ from the listing
    answer1: int  # answer to the first request: AGREE, REJECT, COUNTER or SILENT
    answer_delay1: float  # as a share of the policy's answer deadline
    answer2: int  # answer to a modified request
    answer_delay2: float  # as a share of the policy's answer deadline
    offer_share: float  # counter-offer as a share of the amount asked
    contests_fine_goods: bool  # rejects, instead of countering or silence, when goods are fine
    extension_days: int  # protection days granted when asked (L10)
    extends: bool  # extends protection when asked (L10)
    seller_evidence: float  # quality of the seller's evidence, 0-1 (E3)
    seller_replies: bool  # answers the team's evidence request (E1)
    accepts_cancel: bool  # accepts a cancellation request (L2)
    races_cancel: bool  # ships to beat a cancellation (L2)
    cancel_answer: float  # time to answer a cancellation request
    confirm_return: float  # time to confirm a returned parcel (D11)
    free_return: bool  # offers free returns (D11)
    # carrier (L5-L8)
    transit: float  # shipment to arrival
    customs_at_share: float  # where on the journey customs holds the parcel
    lost_declared_after: float  # a declared loss comes after this multiple of the transit
    tracking_lag: float  # shipment to the first tracking update (L7)
    loss_u: float  # uniform, compared with the season's loss rate
    loss_rate: float  # the carrier's loss rate outside the peak
    declared_lost: bool  # the carrier declares a lost parcel lost
    customs: bool  # held by customs
    customs_days: float  # length of the customs hold
    post_office: bool  # left at a post office for collection (L8)
    damaged: bool  # damaged in transit
    return_transit: float  # transit of a returned parcel
    return_postage: int  # return postage, cents (D11)
    # buyer (L2, L8, L10, L11, D2, D5, D6, D8, D10, D11, E4, E5, P3)
    cancels: bool  # cancels before shipment (L2)
    cancel_delay: float  # payment to the cancellation request
    contacts: bool  # contacts the seller before a claim (D2)
    patience: float  # wait past the promised delivery before claiming
    misses_window: bool  # forgets to claim before protection ends
    notice: float  # delivery to noticing a problem
    false_claim: bool  # claims on goods that arrived fine
    false_not_received: bool  # a false claim says "not received" (else "not as described")
    partial: bool  # asks for part of the price only (D5)
    partial_share: float  # ... this share of it
    modified_share: float  # a modified request asks this share of the previous amount (D8)
    contact_lead: float  # contacts the seller this long before the claim (D2)
    last_minute: float  # claims at the latest this long before protection ends
    asks_return: bool  # asks to return faulty goods (D11)
    form_error: bool  # the first dispute form breaks a rule of the form (D6)
    form_text_fault: bool  # ... by Chinese text (else by an image too large)
    image_mb: float  # the largest image the buyer attaches (D6)
    oversized_image_mb: float  # ... on a form whose fault is the image
    fixed_image_share: float  # a resized image, as a share of the form's limit
    buyer_evidence: float  # quality of the buyer's evidence, 0-1 (E3)
    accepts_offer: bool  # accepts a counter-offer (D8)
    modifies: bool  # modifies a rejected request (D8)
    gives_up: int  # gives a rejected dispute up: 1 or 0 as fitted, -1 as its truth says (D13)
    max_modifications: int  # ... at most this many times
    escalates: bool  # escalates by hand (D9)
    escalation_delay: float  # wait before escalating by hand
    escalation_patience_u: float  # uniform, compared with the patience for a longer wait (D10)
    escalation_patience: float  # that patience, in days
    return_tolerance: float  # largest return postage paid, as a share of the price
    return_delay: float  # agreement to shipping a return
    confirms: bool  # confirms receipt (L11)
    confirm_delay: float  # delivery to confirming receipt
    collects: bool  # collects a parcel left at the post office (L8)
    collect_delay: float
    buyer_replies: bool  # answers the team's evidence request (E2)
    appeals: bool  # appeals a lost decision when allowed (E4)
    contacts_support: bool  # contacts support after losing (E5)
    repays: bool  # pays the seller back for goods that came after a refund (P3)
    step: float  # a buyer's small reaction time
    # case team (E1-E4)
    review1: float  # first review
    review2: float  # review after evidence was asked for
    review3: float  # appeal review
    team_asks: bool  # the first review asks for evidence
    team_asks_buyer: bool  # ... from the buyer (else from the seller)
    reply_delay: float  # request to evidence
    noise1: float  # noise in the decision
    noise2: float  # noise in the appeal decision
    # bank (P1) and the cancellation's processing time (L2)
    bank_u: float  # uniform, placed in the policy's clearance range
    cancel_u: float  # uniform, placed in the policy's cancellation range
    # population (sim.world.population.individuals): who, and their standing when it was placed;
    # -1, 0 and False without a population
    seller_id: int  # the seller's id
    buyer_id: int  # the buyer's id
    standing: int  # the seller's standing (machine.standards.Standing) (S2)
    under_review: bool  # the buyer was under abuse review (S4)
    reused_tracking: int  # a fake number the seller gave an earlier order too: its id (F2)
    surcharge: int  # the restricted seller's extra fee on the sale, cents (S2)
    hold_days: float  # the restricted seller's extra hold on its money (S2)
    feedback_u: float  # uniform: whether the buyer leaves feedback (F1)
    sentiment_u: float  # uniform: which feedback
    feedback_delay: float  # the order's end to the feedback


FACT_NAMES: tuple[str, ...] = Facts._fields


BOOL, INT, FLOAT = np.dtype(bool), np.dtype(np.int64), np.dtype(np.float64)
DISPUTE_FACTS: dict[str, np.dtype] = {
    **dict.fromkeys(("answer1", "answer2", "extension_days", "return_postage", "gives_up"), INT),
    **dict.fromkeys(
        ("contests_fine_goods", "extends", "seller_replies", "accepts_cancel", "races_cancel",
         "free_return", "contacts", "false_not_received", "partial", "asks_return",
         "form_error", "form_text_fault", "accepts_offer", "modifies", "escalates",
         "buyer_replies", "appeals", "contacts_support", "repays", "team_asks",
         "team_asks_buyer"),
        BOOL,
    ),
    **dict.fromkeys(
        ("answer_delay1", "answer_delay2", "offer_share", "seller_evidence", "cancel_answer",
         "confirm_return", "return_transit", "cancel_delay", "notice", "partial_share",
         "modified_share", "contact_lead", "last_minute", "image_mb", "oversized_image_mb",
         "fixed_image_share", "buyer_evidence", "max_modifications", "escalation_delay",
         "escalation_patience_u", "escalation_patience", "return_tolerance", "return_delay",
         "step", "review1", "review2", "review3", "reply_delay", "noise1", "noise2",
         "cancel_u"),
        FLOAT,
    ),
}  # fmt: skip
"""The facts only a cancellation or a dispute reads: the seller's answers, the buyer's
claim and its form, returns, escalation, the case team's draws. An order that can have
neither never reads them, whatever the policy, so they are drawn for the others only
(`sim.world.behaviour.dispute_facts`); the other rows hold `_NOT_DRAWN`."""
DISPUTE_FACTS_BY_TYPE = {
    dtype: tuple(name for name, kind in DISPUTE_FACTS.items() if kind == dtype)
    for dtype in (BOOL, INT, FLOAT)
}
