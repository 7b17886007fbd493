"""Who sells and who buys: behaviour profiles mixed in configurable shares.

Each field is a probability, a share or a median delay in days; delays are log-normal
around their median, with the profile's `delay_spread`. A chance of 1.0 means always and
0.0 never. Defaults come from sources.md where it has a figure (the field's source says
so), from the calibration against published figures (`scenarios/targets/`, "calibrated"),
or are otherwise assumed, chosen to give plausible orders of magnitude.
"""

from __future__ import annotations

from pydantic import model_validator

from sim.world.params import Params, duration, fraction, param, spread

CALIBRATION = "scenarios/targets/aliexpress.toml"


class SellerProfile(Params):
    """A kind of seller: shipping, honesty, and how they answer disputes (L2, L4, L7, D7, D8)."""

    name: str = param("reliable", "Name used in the tables.")
    share: float = fraction(0.73, "Share of orders from this kind of seller.")
    honest: bool = param(
        True, "Whether this kind of seller is honest (the figures on fraud count the others)."
    )
    ships: float = fraction(0.9995, "Chance the seller ships at all (L4).")
    fake_tracking: float = fraction(0.0, "Chance a shipment has fake or reused tracking (L7).")
    handling_median_days: float = duration(2.0, "Median time to ship.", low=0.01)
    not_as_described: float = fraction(
        0.0004,
        "Chance the goods differ from the listing (D1).",
        source=f"calibrated ({CALIBRATION}): about 1% of orders disputed (eBay)",
    )
    agrees: float = fraction(0.75, "Chance of agreeing to a dispute (D7).")
    rejects: float = fraction(
        0.034,
        "Chance of a plain rejection (D8).",
        source=f"calibrated ({CALIBRATION}): at most 10% of disputes escalated (eBay, PayPal)",
    )
    counter_offers: float = fraction(0.12, "Chance of a counter-offer (D8); the rest is silence.")
    answer_deadline_share: float = param(
        0.2,
        "Median time to answer a dispute, as a share of the policy's answer deadline (D7): "
        "sellers work to the deadline, so a shorter one brings answers sooner.",
        gt=0.0,
        le=10.0,
    )
    contests_fine_goods: float = fraction(
        0.7,
        "Chance that a seller who would counter-offer or stay silent rejects outright a claim "
        "on goods that arrived fine (they know the goods were fine); agreements stand.",
    )
    offer_share: float = fraction(0.5, "Counter-offer as a share of the amount asked.")
    extends_protection: float = fraction(0.8, "Chance of extending protection when asked (L10).")
    evidence_quality: float = fraction(0.8, "Mean quality of the evidence given (E3).")
    goods_cost_share: float = fraction(
        0.7,
        "What the goods it ships cost the seller, as a share of the price: its margin, "
        "which sellers who adapt weigh (sim.world.population.adaptation; assumed).",
    )
    replies_to_team: float = fraction(0.9, "Chance of answering the team's evidence request (E1).")
    accepts_cancellation: float = fraction(0.9, "Chance of accepting a cancellation at once (L2).")
    races_cancellation: float = fraction(0.05, "Chance of shipping to beat a cancellation (L2).")
    confirm_return_median_days: float = duration(3.0, "Median time to confirm a return (D11).")
    free_returns: float = fraction(0.3, "Chance the seller offers free returns (D11).")
    cancel_answer_median_days: float = duration(
        1.0,
        "Median time to answer a cancellation request (L2).",
        source="sources.md: the seller has 48 h to answer a cancellation",
        low=0.01,
    )
    extension_days: int = param(
        15, "Days of protection granted when asked to extend it (L10).", ge=0, le=365
    )
    delay_spread: float = spread(
        0.5,
        "Log-normal sigma of this seller's delays (shipping, answers, confirmations).",
    )

    @model_validator(mode="after")
    def _answers_are_a_distribution(self) -> SellerProfile:
        if self.agrees + self.rejects + self.counter_offers > 1.0 + 1e-9:
            raise ValueError("agrees + rejects + counter_offers must not exceed 1")
        return self


class BuyerProfile(Params):
    """A kind of buyer: patience, diligence and honesty (L2, L10, D2, D5, D8, D11, E4, P3)."""

    name: str = param("diligent", "Name used in the tables.")
    share: float = fraction(0.60, "Share of orders from this kind of buyer.")
    cancels: float = fraction(0.02, "Chance of cancelling before shipment (L2).")
    cancel_median_days: float = duration(0.5, "Median time from payment to cancelling.", low=0.01)
    contacts_seller: float = fraction(
        0.65,
        "Chance of contacting the seller before a dispute (D2).",
        source="sources.md: 53% of card disputes skip the merchant; mix gives about 47% contact",
    )
    patience_days: float = duration(
        12.0,
        "Median wait past the promised delivery before a claim.",
        source=f"calibrated ({CALIBRATION}): about 1% of orders disputed (eBay)",
    )
    min_patience_days: float = param(
        0.05,
        "Shortest median patience: a smaller patience_days (0 for a buyer who claims at "
        "once) counts as this, since a log-normal wait needs a positive median.",
        gt=0.0,
        le=730.0,
    )
    misses_window: float = fraction(0.02, "Chance of forgetting to claim before protection ends.")
    notice_median_days: float = duration(2.0, "Median time to notice a problem with the goods.")
    false_claim: float = fraction(
        0.0005,
        "Chance of claiming on goods that were fine.",
        source="sources.md: about 11% of online returns are fraudulent; mix gives about that",
    )
    asks_partial: float = fraction(0.2, "Chance of asking for part of the price only (D5).")
    asks_return: float = fraction(0.4, "Chance of asking for a return when goods are faulty (D11).")
    form_error: float = fraction(
        0.03,
        "Chance the first dispute form breaks a form rule: an image too large, or text "
        "in Chinese characters (D6).",
    )
    form_text_fault: float = fraction(
        0.3,
        "Of the forms that break a rule, the share whose fault is Chinese text rather than "
        "an oversized image (D6); refused only where the policy forbids such text.",
    )
    image_mb: float = param(
        0.5, "Largest evidence image the buyer attaches to a form, in MB (D6).", gt=0.0, le=1000.0
    )
    oversized_image_mb: float = param(
        5.0,
        "Largest image on a form whose fault is an image too large, in MB (D6).",
        gt=0.0,
        le=1000.0,
    )
    fixed_image_share: float = param(
        0.5,
        "Told an image is too large, the buyer resizes it to this share of the limit (D6).",
        gt=0.0,
        lt=1.0,
    )
    evidence_quality: float = fraction(0.8, "Mean quality of the evidence of a real problem (E3).")
    accepts_offer: float = fraction(0.6, "Chance of accepting a counter-offer (D8).")
    modifies_request: float = fraction(0.3, "Chance of modifying a rejected request (D8).")
    gives_up: float | None = param(
        None,
        "Chance that a buyer whose request the seller rejected gives the dispute up, rather "
        "than wait for the case team, as a log shows it (`disputesim fit`); None: a buyer "
        "who claimed on fine goods gives up, one with a real problem does not (D8, D13).",
        ge=0.0,
        le=1.0,
    )
    max_modifications: int = param(
        1,
        "Most times a buyer who modifies a rejected request sends a smaller one before "
        "escalating or giving up (D8); the seller answers a third round as the second.",
        ge=0,
        le=10,
    )
    escalates: float = fraction(
        0.032,
        "Chance of escalating by hand when allowed (D10).",
        source=f"calibrated ({CALIBRATION}): at most 10% of disputes escalated (eBay, PayPal)",
    )
    escalation_median_days: float = duration(2.0, "Median wait before escalating by hand.")
    return_tolerance: float = fraction(0.5, "Largest return postage, as a share of price, paid.")
    return_median_days: float = duration(3.0, "Median time to ship a return (D11).")
    confirms_receipt: float = fraction(0.6, "Chance of confirming receipt (L11).")
    confirm_median_days: float = duration(3.0, "Median time to confirm receipt.")
    collects_parcel: float = fraction(
        0.97, "Chance of collecting a parcel at the post office (L8)."
    )
    collect_median_days: float = duration(2.0, "Median time to collect a parcel.")
    replies_to_team: float = fraction(0.9, "Chance of answering the team's evidence request (E2).")
    appeals: float = fraction(0.5, "Chance of appealing a lost decision when allowed (E4).")
    contacts_support: float = fraction(0.3, "Chance of contacting support after losing (E5).")
    repays_late_goods: float = fraction(
        0.8, "Chance of repaying for goods arriving after a refund."
    )
    false_claims_not_received: float = fraction(
        0.5, "Share of false claims that say 'not received' (the rest 'not as described')."
    )
    partial_share: float = param(
        0.5, "Share of the price asked for in a partial request (D5).", gt=0.0, le=1.0
    )
    modified_share: float = param(
        0.75,
        "Share of the previous amount asked for in a modified request (D8).",
        gt=0.0,
        le=1.0,
    )
    contact_lead_days: float = duration(
        3.0, "A buyer who contacts the seller first does so this long before the claim (D2)."
    )
    last_minute_days: float = duration(
        2.0,
        "A waiting buyer claims at the latest this long before protection ends.",
        source="001: open the dispute a few days beforehand",
    )
    escalation_patience_days: float = duration(
        10.0,
        "Patience with a wait for escalation (D10): a buyer who must wait W days longer than "
        "they wanted to still escalates by hand with chance exp(-W / patience).",
        low=0.01,
    )
    reaction_median_days: float = duration(
        1.0, "Median time to react to news (an answer, a decision, a delivery).", low=0.01
    )
    delay_spread: float = spread(
        0.6,
        "Log-normal sigma of this buyer's delays (cancelling, noticing, returning, ...).",
    )


def default_sellers() -> tuple[SellerProfile, ...]:
    """Reliable, slow, negotiating and fraudulent sellers."""
    return (
        SellerProfile(),
        SellerProfile(
            name="slow",
            share=0.15,
            ships=0.997,
            handling_median_days=3.5,
            not_as_described=0.0011,
            agrees=0.4,
            rejects=0.067,
            counter_offers=0.1,
            answer_deadline_share=0.7,
            offer_share=0.4,
            extends_protection=0.5,
            evidence_quality=0.6,
            replies_to_team=0.6,
            accepts_cancellation=0.5,
            races_cancellation=0.3,
            confirm_return_median_days=8.0,
            free_returns=0.1,
        ),
        SellerProfile(
            name="negotiating",
            share=0.10,
            ships=0.999,
            handling_median_days=2.5,
            not_as_described=0.0016,
            agrees=0.15,
            rejects=0.10,
            counter_offers=0.6,
            answer_deadline_share=0.3,
            offer_share=0.3,
            extends_protection=0.6,
            evidence_quality=0.7,
            replies_to_team=0.8,
            accepts_cancellation=0.8,
            races_cancellation=0.2,
            confirm_return_median_days=4.0,
            free_returns=0.2,
        ),
        SellerProfile(
            name="fraudulent",
            share=0.02,
            honest=False,
            ships=0.93,
            fake_tracking=0.1,
            handling_median_days=2.0,
            not_as_described=0.011,
            agrees=0.05,
            rejects=0.30,
            counter_offers=0.1,
            answer_deadline_share=0.4,
            offer_share=0.1,
            extends_protection=0.3,
            evidence_quality=0.4,
            goods_cost_share=0.2,  # what it ships is cheaper than described (assumed)
            replies_to_team=0.5,
            accepts_cancellation=0.3,
            races_cancellation=0.7,
            confirm_return_median_days=12.0,
            free_returns=0.0,
        ),
    )


def default_buyers() -> tuple[BuyerProfile, ...]:
    """Diligent, forgetful and opportunistic buyers."""
    return (
        BuyerProfile(),
        BuyerProfile(
            name="forgetful",
            share=0.30,
            contacts_seller=0.35,
            patience_days=39.0,
            misses_window=0.25,
            notice_median_days=6.0,
            false_claim=0.0002,
            form_error=0.08,
            evidence_quality=0.5,
            accepts_offer=0.7,
            modifies_request=0.1,
            escalates=0.017,
            escalation_median_days=5.0,
            return_tolerance=0.3,
            return_median_days=6.0,
            confirms_receipt=0.3,
            confirm_median_days=10.0,
            collects_parcel=0.85,
            collect_median_days=6.0,
            replies_to_team=0.6,
            appeals=0.2,
            contacts_support=0.1,
            repays_late_goods=0.5,
        ),
        BuyerProfile(
            name="opportunistic",
            share=0.10,
            cancels=0.04,
            contacts_seller=0.2,
            patience_days=0.0,
            misses_window=0.0,
            notice_median_days=1.0,
            false_claim=0.012,
            asks_partial=0.3,
            form_error=0.05,
            evidence_quality=0.5,
            accepts_offer=0.45,
            modifies_request=0.4,
            escalates=0.11,
            escalation_median_days=0.5,
            return_tolerance=0.8,
            confirms_receipt=0.5,
            confirm_median_days=2.0,
            collects_parcel=0.95,
            replies_to_team=0.7,
            appeals=0.7,
            contacts_support=0.5,
            repays_late_goods=0.05,
        ),
    )
