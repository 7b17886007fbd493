"""Named policy presets: each variant of the rule catalogue's table D, each AliExpress source, and
other platforms' processes from sources.md. Each cites its sources and lists the levers
whose values were assumed (not found in a source, or converted from another unit).

Business days are turned into calendar days at 7/5 where a peer gives them; that is an
assumption and is marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from machine.policy import Policy

# sources.md gives China-to-buyer standard delivery as 10 to 18 days on average: an
# "estimated delivery" of 20 days turns windows counted from it into days from shipment.
ESTIMATED_DELIVERY_DAYS = 20.0
BUSINESS_TO_CALENDAR = 7.0 / 5.0


@dataclass(frozen=True)
class Preset:
    """A named set of lever values on top of the defaults (the 2024 help page, seed 004)."""

    name: str
    title: str
    sources: tuple[str, ...]
    levers: dict[str, Any] = field(default_factory=dict)
    assumed: dict[str, str] = field(default_factory=dict)
    variant_of: str | None = None  # the table D parameter this preset is a variant of

    def policy(self) -> Policy:
        """The policy this preset describes."""
        return Policy.create(**self.levers)


def _variant(parameter: str, name: str, title: str, sources: str, **levers: Any) -> Preset:
    return Preset(name, title, tuple(sources.split()), levers, variant_of=parameter)


TABLE_D_VARIANTS: tuple[Preset, ...] = (
    _variant(
        "earliest dispute after shipment",
        "earliest-dispute-at-shipment",
        "Disputes can be opened at shipment",
        "002",
        earliest_dispute_days=0.0,
        fast_delivery_days=0.0,
    ),
    _variant(
        "earliest dispute after shipment",
        "earliest-dispute-day-5",
        "Disputes from day 5 after shipment, at once if delivery is promised in 5 days",
        "004",
        earliest_dispute_days=5.0,
        fast_delivery_days=5.0,
    ),
    _variant(
        "earliest dispute after shipment",
        "earliest-dispute-day-11",
        "Disputes from the 11th day after shipment",
        "003",
        earliest_dispute_days=11.0,
        fast_delivery_days=0.0,
    ),
    _variant(
        "seller silence",
        "silence-refunds",
        "A seller silent for 5 days concedes the refund",
        "002 003",
        seller_silence="refund",
    ),
    _variant(
        "seller silence",
        "silence-escalates",
        "A silent seller's dispute escalates after the 15-day window, then refunds",
        "000",
        seller_silence="escalate",
    ),
    _variant(
        "manual escalation available",
        "manual-escalation-after-3-days",
        "The buyer may escalate 3 days after the request",
        "004",
        manual_escalation="after_days",
        manual_escalation_days=3.0,
    ),
    _variant(
        "manual escalation available",
        "manual-escalation-seller-silent-3-days",
        "The buyer may escalate when the seller has not answered in 3 days",
        "000",
        manual_escalation="seller_silent_days",
        manual_escalation_days=3.0,
    ),
    _variant(
        "manual escalation available",
        "manual-escalation-after-seller-answer",
        "The buyer may escalate as soon as the seller answers",
        "002",
        manual_escalation="after_seller_answer",
    ),
    _variant(
        "auto-escalation",
        "auto-escalation-15-days",
        "Unresolved disputes go to the case team 15 days after opening",
        "000 004",
        auto_escalation_days=15.0,
    ),
    _variant(
        "post-completion dispute window",
        "post-completion-15-days",
        "Disputes may be opened up to 15 days after completion",
        "002 003",
        post_completion_days=15.0,
    ),
    _variant(
        "protection period",
        "protection-30-days",
        "30 days of Purchase Protection",
        "000",
        protection_days=30.0,
    ),
    _variant(
        "protection period",
        "protection-45-days",
        "45 days of Purchase Protection",
        "000",
        protection_days=45.0,
    ),
    _variant(
        "protection period",
        "protection-60-days",
        "60 days of Purchase Protection (the longest delivery deadline)",
        "000 002",
        protection_days=60.0,
    ),
    _variant("appeal", "appeal-none", "Case-team decisions are final", "004", appeals=False),
    _variant(
        "appeal",
        "appeal-7-days",
        "One appeal within 7 days of the decision",
        "003",
        appeals=True,
        appeal_days=7.0,
        max_appeals=1,
    ),
    _variant(
        "cancellation",
        "cancellation-24h-then-5-7-days",
        "Immediate in the first 24 h, otherwise 5 to 7 days",
        "001 002",
        instant_cancel_hours=24.0,
        cancel_days_min=5.0,
        cancel_days_max=7.0,
    ),
    _variant(
        "bank clearance",
        "bank-3-15-business-days",
        "The bank credits refunds in 3 to 15 business days",
        "003",
        bank_days_min=3,
        bank_days_max=15,
    ),
    _variant(
        "bank clearance",
        "bank-15-30-business-days",
        "The bank credits refunds in 15 to 30 working days",
        "002",
        bank_days_min=15,
        bank_days_max=30,
    ),
)

ALIEXPRESS: tuple[Preset, ...] = (
    Preset(
        "aliexpress-2024",
        "AliExpress help page, current (the default policy)",
        ("004", "003 for the bank, silence and form rules"),
        {},
    ),
    Preset(
        "aliexpress-2020",
        "AliExpress help text 2020-22",
        ("003",),
        dict(
            earliest_dispute_days=11.0,
            fast_delivery_days=0.0,
            appeals=True,
            appeal_days=7.0,
            seller_silence="refund",
        ),
    ),
    Preset(
        "aliexpress-guide-002",
        "A dropshipping guide's account (DSers)",
        ("002",),
        dict(
            earliest_dispute_days=0.0,
            fast_delivery_days=0.0,
            manual_escalation="after_seller_answer",
            bank_days_min=15,
            bank_days_max=30,
        ),
    ),
    Preset(
        "aliexpress-guide-000",
        "A buyer's guide: silence escalates, escalation after 3 silent days",
        ("000",),
        dict(
            seller_silence="escalate", manual_escalation="seller_silent_days", protection_days=45.0
        ),
    ),
    Preset(
        "aliexpress-escrow-faq",
        "An older escrow FAQ: disputes from day 6, manual "
        "escalation from day 4, automatic on day 16",
        ("sources.md (AliExpress over time)",),
        dict(
            earliest_dispute_days=6.0,
            fast_delivery_days=0.0,
            protection_days=39.0,
            manual_escalation="after_days",
            manual_escalation_days=4.0,
            auto_escalation_days=16.0,
        ),
        assumed={"protection_days": "39 days: the China Post window, the usual carrier"},
    ),
)

PEERS: tuple[Preset, ...] = (
    Preset(
        "ebay-money-back",
        "eBay Money Back Guarantee",
        ("sources.md: eBay help pages",),
        dict(
            protection_days=ESTIMATED_DELIVERY_DAYS + 30.0,
            earliest_dispute_days=0.0,
            fast_delivery_days=0.0,
            seller_response_days=3 * BUSINESS_TO_CALENDAR,
            seller_silence="escalate",
            manual_escalation="after_days",
            manual_escalation_days=3 * BUSINESS_TO_CALENDAR,
            auto_escalation_days=21 * BUSINESS_TO_CALENDAR,
            appeals=True,
            appeal_days=30.0,
            bank_days_min=3,
            bank_days_max=5,
            evidence_days=2.0,
        ),
        assumed={
            "protection_days": "30 days after an estimated delivery of 20 days",
            "seller_response_days": "3 business days at 7/5",
            "seller_silence": "eBay steps in when asked; no automatic refund found",
            "auto_escalation_days": "21 business days of inactivity, at 7/5",
            "evidence_days": "eBay answers in about 48 h",
        },
    ),
    Preset(
        "paypal",
        "PayPal Buyer Protection",
        ("sources.md: PayPal help pages, 2° sources",),
        dict(
            protection_days=180.0,
            earliest_dispute_days=7.0,
            fast_delivery_days=0.0,
            seller_response_days=10.0,
            seller_silence="escalate",
            manual_escalation="after_days",
            manual_escalation_days=7.0,
            auto_escalation_days=20.0,
            appeals=True,
            appeal_days=10.0,
        ),
        assumed={
            "seller_silence": "no automatic refund found: the buyer must escalate",
            "earliest_dispute_days": "7 days after payment, counted here from shipment",
            "manual_escalation_days": "escalation to a claim assumed possible after 7 days",
            "auto_escalation_days": "a dispute not escalated in 20 days closes; modelled as "
            "escalation at 20 days",
            "bank_days_min": "not found: AliExpress default kept",
        },
    ),
    Preset(
        "amazon-a-to-z",
        "Amazon A-to-z Guarantee",
        ("sources.md: Amazon help pages",),
        dict(
            protection_days=ESTIMATED_DELIVERY_DAYS + 90.0,
            earliest_dispute_days=ESTIMATED_DELIVERY_DAYS + 3.0,
            fast_delivery_days=0.0,
            seller_response_days=3.0,
            seller_silence="refund",
            manual_escalation="after_days",
            manual_escalation_days=2.0,
            appeals=True,
            appeal_days=30.0,
        ),
        assumed={
            "protection_days": "90 days after an estimated delivery of 20 days",
            "earliest_dispute_days": "not-received claims 3 days after that estimate",
            "appeals": "the appeal found is the seller's, within 30 days",
            "bank_days_min": "not found: AliExpress default kept",
        },
    ),
    Preset(
        "visa-chargeback",
        "Card chargeback, Visa",
        ("sources.md: Visa rules",),
        dict(
            protection_days=120.0,
            earliest_dispute_days=0.0,
            fast_delivery_days=0.0,
            seller_response_days=30.0,
            seller_silence="refund",
            manual_escalation="after_seller_answer",
            auto_escalation_days=60.0,
            appeals=True,
            appeal_days=30.0,
        ),
        assumed={
            "seller_silence": "a merchant who does not answer loses the chargeback",
            "auto_escalation_days": "30 days for the merchant, then 30 of pre-arbitration",
            "appeals": "arbitration by the card scheme treated as the appeal",
            "bank_days_min": "not found: AliExpress default kept",
        },
    ),
    Preset(
        "mastercard-chargeback",
        "Card chargeback, Mastercard",
        ("sources.md: Mastercard rules",),
        dict(
            protection_days=120.0,
            earliest_dispute_days=0.0,
            fast_delivery_days=0.0,
            seller_response_days=45.0,
            seller_silence="refund",
            manual_escalation="after_seller_answer",
            auto_escalation_days=90.0,
            appeals=True,
            appeal_days=45.0,
        ),
        assumed={
            "seller_silence": "a merchant who does not answer loses the chargeback",
            "auto_escalation_days": "45 days for the merchant, then 45 of pre-arbitration",
            "appeals": "arbitration by the card scheme treated as the appeal",
            "bank_days_min": "not found: AliExpress default kept",
        },
    ),
)

PRESETS: dict[str, Preset] = {p.name: p for p in (*ALIEXPRESS, *TABLE_D_VARIANTS, *PEERS)}
DEFAULT_PRESET = "aliexpress-2024"

# Seller standards and buyer review (S1-S4): applied on top of a process preset, as a
# scenario's `policy.standards`. Thresholds are each platform's own where it publishes
# them (docs/sources.md); AliExpress publishes none, so its thresholds are assumed.
_SOURCES = ("sources.md: seller standards",)


def _vamp(year: str, since: str, excessive: float) -> Preset:
    """Visa VAMP as dated: excessive from a ratio, above 1,500 fraud reports and disputes."""
    return Preset(
        f"visa-vamp-{year}",
        f"Visa VAMP from {since}: excessive from {excessive:.1%} above 1,500 a month",
        ("sources.md: Visa VAMP",),
        dict(standard="visa_vamp", standard_window_days=30.0, standard_min_events=1_500,
             standard_every_days=30, restrict_above=excessive, restricted_fee_points=1.0),
        assumed={"restricted_fee_points": "$8 per dispute, taken as 1 point of the price"},
    )  # fmt: skip


STANDARDS: tuple[Preset, ...] = (
    Preset("none", "No seller standard enforced (sellers are rated, nothing follows)",
           _SOURCES, dict(standard="none")),
    Preset(
        "aliexpress-dispute-rate",
        "AliExpress 30-day dispute rate, daily",
        ("sources.md: AliExpress dispute rate definition",),
        dict(standard="aliexpress_dispute_rate", standard_window_days=30.0,
             standard_min_orders=30, standard_every_days=1, warn_above=0.02,
             restrict_above=0.05, suspend_above=0.1, restricted_exposure=0.5),
        assumed={
            "standard_min_orders": "AliExpress publishes no minimum: 30 assumed",
            "warn_above": "no public thresholds: 2%, 5% and 10% assumed",
            "restrict_above": "no public thresholds: 5% assumed",
            "suspend_above": "no public thresholds: 10% assumed (freeze or closure)",
            "restricted_exposure": "service-score penalties: half the exposure assumed",
        },
    ),
    Preset(
        "ebay-seller-standards",
        "eBay transaction defect rate, monthly over 3 months (12 below 400 sales)",
        ("sources.md: eBay seller performance policy",),
        dict(standard="ebay_defect_rate", standard_window_days=90.0,
             standard_fallback_days=365.0, standard_min_orders=400, standard_every_days=30,
             warn_above=0.005, restrict_above=0.02, restricted_fee_points=6.0,
             restricted_exposure=0.5),
        assumed={
            "standard_every_days": "monthly on the 20th, taken as every 30 days",
            "restricted_exposure": "lower search placement: half the exposure assumed",
        },
    ),
    Preset(
        "amazon-odr",
        "Amazon order defect rate over 60 days, suspension above 1%",
        ("sources.md: Amazon order defect rate",),
        dict(standard="amazon_odr", standard_window_days=60.0, standard_min_orders=100,
             standard_every_days=1, suspend_above=0.01),
        assumed={
            "standard_min_orders": "no minimum published: 100 orders assumed",
            "standard_every_days": "daily assumed",
        },
    ),
    _vamp("2025", "June 2025", 0.022),
    _vamp("2026", "April 2026", 0.015),
    Preset(
        "vamp-style",
        "VAMP's ratio and 1.5% for a marketplace's sellers: monthly, suspension from 3%",
        ("sources.md: Visa VAMP",),
        dict(standard="visa_vamp", standard_window_days=30.0, standard_min_events=3,
             standard_every_days=30, restrict_above=0.015, suspend_above=0.03,
             restricted_fee_points=1.0, restricted_exposure=0.5),
        assumed={
            "standard_min_events": "1,500 a month is a card merchant's scale: 3 assumed",
            "suspend_above": "VAMP fines, it does not suspend: 3% assumed (twice the level)",
            "restricted_exposure": "half the exposure assumed",
        },
    ),
    Preset(
        "mastercard-ecp",
        "Mastercard excessive chargeback programme: 1.5% of last month's sales, 100 a month",
        ("sources.md: Mastercard ECP",),
        dict(standard="mastercard_ecp", standard_window_days=30.0, standard_min_events=100,
             standard_every_days=30, warn_above=0.01, restrict_above=0.015,
             restricted_fee_points=1.0),
        assumed={"restricted_fee_points": "issuer reimbursement fee, taken as 1 point"},
    ),
    Preset(
        "buyer-review-90d",
        "Abuse review: more than 3 claims in 90 days sends a buyer's claims to the team",
        ("sources.md: repeat claimants",),
        dict(buyer_review_claims=3, buyer_review_days=90.0),
        assumed={"buyer_review_claims": "no platform publishes a figure: 3 assumed"},
    ),
)  # fmt: skip
STANDARD_PRESETS: dict[str, Preset] = {p.name: p for p in STANDARDS}


def preset(name: str) -> Preset:
    """The preset of that name; the error lists the known names."""
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(f"unknown policy preset '{name}' (known: {', '.join(PRESETS)})") from None
