"""Who sells and who buys: behaviour profiles mixed in configurable shares.

Each field is a probability, a share or a median delay in days; delays are log-normal
around their median. Defaults come from peers.md where it has a figure (the field's
source says so) and are otherwise assumed, chosen to give plausible orders of magnitude.
"""

from __future__ import annotations

from pydantic import model_validator

from sim.world.params import Params, duration, fraction, param


class SellerProfile(Params):
    """A kind of seller: shipping, honesty, and how they answer disputes (L2, L4, L7, D7, D8)."""

    name: str = param("reliable", "Name used in the tables.")
    share: float = fraction(0.73, "Share of orders from this kind of seller.")
    ships: float = fraction(0.9995, "Chance the seller ships at all (L4).")
    fake_tracking: float = fraction(0.0, "Chance a shipment has fake or reused tracking (L7).")
    handling_median_days: float = duration(2.0, "Median time to ship.", low=0.01)
    not_as_described: float = fraction(
        0.0015,
        "Chance the goods differ from the listing (D1).",
        source="peers.md: about 1% of orders have a problem (all causes together)",
    )
    agrees: float = fraction(0.75, "Chance of agreeing to a dispute (D7).")
    rejects: float = fraction(0.05, "Chance of a plain rejection (D8).")
    counter_offers: float = fraction(0.12, "Chance of a counter-offer (D8); the rest is silence.")
    answer_median_days: float = duration(1.0, "Median time to answer a dispute.", low=0.01)
    offer_share: float = fraction(0.5, "Counter-offer as a share of the amount asked.")
    extends_protection: float = fraction(0.8, "Chance of extending protection when asked (L10).")
    evidence_quality: float = fraction(0.8, "Mean quality of the evidence given (E3).")
    replies_to_team: float = fraction(0.9, "Chance of answering the team's evidence request (E1).")
    accepts_cancellation: float = fraction(0.9, "Chance of accepting a cancellation at once (L2).")
    races_cancellation: float = fraction(0.05, "Chance of shipping to beat a cancellation (L2).")
    confirm_return_median_days: float = duration(3.0, "Median time to confirm a return (D11).")
    free_returns: float = fraction(0.3, "Chance the seller offers free returns (D11).")

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
        source="peers.md: 53% of card disputes skip the merchant; mix gives about 47% contact",
    )
    patience_days: float = duration(3.0, "Median wait past the promised delivery before a claim.")
    misses_window: float = fraction(0.02, "Chance of forgetting to claim before protection ends.")
    notice_median_days: float = duration(2.0, "Median time to notice a problem with the goods.")
    false_claim: float = fraction(
        0.0005,
        "Chance of claiming on goods that were fine.",
        source="peers.md: about 11% of online returns are fraudulent; mix gives about that",
    )
    asks_partial: float = fraction(0.2, "Chance of asking for part of the price only (D5).")
    asks_return: float = fraction(0.4, "Chance of asking for a return when goods are faulty (D11).")
    form_error: float = fraction(0.03, "Chance the first dispute form is refused (D6).")
    evidence_quality: float = fraction(0.8, "Mean quality of the evidence of a real problem (E3).")
    accepts_offer: float = fraction(0.6, "Chance of accepting a counter-offer (D8).")
    modifies_request: float = fraction(0.3, "Chance of modifying a rejected request (D8).")
    escalates: float = fraction(
        0.15,
        "Chance of escalating by hand when allowed (D10).",
        source="peers.md: over 90% of disputes settle without a third party",
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


def default_sellers() -> tuple[SellerProfile, ...]:
    """Reliable, slow, negotiating and fraudulent sellers."""
    return (
        SellerProfile(),
        SellerProfile(
            name="slow",
            share=0.15,
            ships=0.997,
            handling_median_days=3.5,
            not_as_described=0.004,
            agrees=0.4,
            rejects=0.1,
            counter_offers=0.1,
            answer_median_days=3.5,
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
            not_as_described=0.006,
            agrees=0.15,
            rejects=0.15,
            counter_offers=0.6,
            answer_median_days=1.5,
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
            ships=0.93,
            fake_tracking=0.1,
            handling_median_days=2.0,
            not_as_described=0.04,
            agrees=0.05,
            rejects=0.45,
            counter_offers=0.1,
            answer_median_days=2.0,
            offer_share=0.1,
            extends_protection=0.3,
            evidence_quality=0.4,
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
            patience_days=10.0,
            misses_window=0.25,
            notice_median_days=6.0,
            false_claim=0.0002,
            form_error=0.08,
            evidence_quality=0.5,
            accepts_offer=0.7,
            modifies_request=0.1,
            escalates=0.08,
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
            escalates=0.5,
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
