"""The policy levers: every deadline, window and variant of the catalogue's table D, in one object.

Defaults follow the current AliExpress help page (seed 004); where it is silent the value
comes from the other seeds or is marked `assumed` (see `Policy.lever_info`). A lever's
metadata names the rule ids it implements, so `disputesim rules` can trace them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.json_schema import JsonDict

DAYS_MAX = 730.0

StandardMetric = Literal[
    "none",
    "aliexpress_dispute_rate",
    "aliexpress_claim_rate",
    "aliexpress_ruling_rate",
    "ebay_defect_rate",
    "ebay_unresolved_rate",
    "amazon_odr",
    "visa_vamp",
    "mastercard_ecp",
]


class PolicyError(ValueError):
    """A lever has a value outside what the process allows; the message names the lever."""


@dataclass(frozen=True, slots=True)
class LeverInfo:
    """What a lever means: its rule ids, source, unit and whether its default is assumed."""

    name: str
    default: Any
    rules: tuple[str, ...]
    source: str
    unit: str
    doc: str
    assumed: bool
    expected: str


def lever(
    default: Any,
    doc: str,
    *,
    rules: tuple[str, ...],
    source: str,
    unit: str = "days",
    assumed: bool = False,
    ge: float | None = None,
    le: float | None = None,
) -> Any:
    """A pydantic field carrying the lever's traceability metadata."""
    extra: JsonDict = {"rules": list(rules), "source": source, "unit": unit, "assumed": assumed}
    return Field(default, description=doc, ge=ge, le=le, json_schema_extra=extra)


def _days(default: float, doc: str, **meta: Any) -> Any:
    return lever(default, doc, ge=0.0, le=DAYS_MAX, **meta)


class Policy(BaseModel):
    """Every lever of the buyer-protection process. Immutable; build variants with `evolve`."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_default=True, allow_inf_nan=False
    )

    # A. The order lifecycle
    instant_cancel_hours: float = lever(
        24.0,
        "A cancellation this soon after payment is immediate.",
        rules=("L3",),
        source="001",
        unit="hours",
        ge=0.0,
        le=24.0 * 30,
    )
    instant_cancel_credit_hours: float = lever(
        24.0,
        "After an immediate cancellation, the money reaches the buyer no sooner than this.",
        rules=("L3",),
        source="001",
        unit="hours",
        ge=0.0,
        le=24.0 * 30,
    )
    cancel_days_min: float = _days(
        5.0,
        "Shortest time a cancellation request takes to go through.",
        rules=("L2",),
        source="002",
    )
    cancel_days_max: float = _days(
        7.0, "Longest time a cancellation request takes to go through.", rules=("L2",), source="002"
    )
    handling_days: float = _days(
        7.0,
        "Seller's handling time; after it an unshipped order is refunded.",
        rules=("L4",),
        source="002 (no figure; 7 assumed)",
        assumed=True,
    )
    protection_days: float = lever(
        60.0,
        "Purchase Protection period, counted from shipment.",
        rules=("L9",),
        source="002, 000",
        ge=1.0,
        le=DAYS_MAX,
    )
    max_extension_days: float = _days(
        30.0,
        "Most the seller may extend protection by, in total.",
        rules=("L10",),
        source="000 (no figure; 30 assumed)",
        assumed=True,
    )
    collection_days: float = _days(
        15.0,
        "How long the post office holds a parcel before the order is finished.",
        rules=("L8",),
        source="004 (no figure; 15 assumed)",
        assumed=True,
    )
    post_completion_days: float = _days(
        15.0,
        "Window after completion during which a dispute can still be opened.",
        rules=("L11", "D3"),
        source="002, 003",
    )

    # B. The dispute
    earliest_dispute_days: float = _days(
        5.0,
        "Earliest day after shipment a dispute can be opened (table D).",
        rules=("D4",),
        source="004; 002 says 0; 003 says 11",
    )
    fast_delivery_days: float = _days(
        5.0,
        "If the promised delivery is this short or shorter, disputes open at shipment "
        "(0 disables the waiver).",
        rules=("D4",),
        source="004",
    )
    seller_response_days: float = _days(
        5.0, "Time the seller has to answer a dispute.", rules=("D7",), source="002, 003"
    )
    seller_silence: Literal["refund", "escalate"] = lever(
        "refund",
        "What the seller's silence leads to: the buyer's refund at the deadline, "
        "or automatic escalation at the end of the dispute window (table D).",
        rules=("D7", "D9"),
        source="002, 003; 000 says escalate",
        unit="variant",
    )
    manual_escalation: Literal["after_days", "seller_silent_days", "after_seller_answer"] = lever(
        "after_days",
        "When the buyer may escalate by hand (table D).",
        rules=("D10",),
        source="004; 000 says seller_silent_days; 002 after_seller_answer",
        unit="variant",
    )
    manual_escalation_days: float = _days(
        3.0,
        "Days after opening for the after_days and seller_silent_days variants.",
        rules=("D10",),
        source="004, 000",
    )
    auto_escalation_days: float = lever(
        15.0,
        "Days after opening when an unresolved dispute goes to the case team.",
        rules=("D9",),
        source="000, 004",
        ge=1.0,
        le=DAYS_MAX,
    )
    reason_change_days: float = _days(
        5.0,
        "Time to change a not-received dispute's reason once tracking shows delivery.",
        rules=("D12",),
        source="004",
    )
    return_ship_days: float = _days(
        10.0,
        "Time the buyer has to ship a return; after it the payment goes to the seller.",
        rules=("D11",),
        source="seller guides (sources.md)",
    )
    return_confirm_days: float = _days(
        15.0,
        "Time the seller has to confirm a shipped return; after it the refund is made.",
        rules=("D11",),
        source="003 (no figure; 15 assumed)",
        assumed=True,
    )
    max_image_mb: float = lever(
        2.0,
        "Largest evidence image the dispute form accepts.",
        rules=("D6",),
        source="002, 003",
        unit="MB",
        ge=0.1,
        le=1000.0,
    )
    forbid_chinese_text: bool = lever(
        True,
        "Whether the dispute form refuses Chinese characters.",
        rules=("D6",),
        source="003",
        unit="flag",
    )

    # C. Escalation, decision, appeal, payout
    evidence_days: float = lever(
        7.0,
        "Time the case team gives a party to provide evidence.",
        rules=("E1", "E2"),
        source="004 (no figure; 7 assumed)",
        assumed=True,
        ge=0.5,
        le=DAYS_MAX,
    )
    appeals: bool = lever(
        False,
        "Whether a case-team decision can be appealed (table D).",
        rules=("E4",),
        source="004 (final); 003 allows appeal",
        unit="flag",
    )
    appeal_days: float = lever(
        7.0,
        "Time to appeal a decision, when appeals are allowed.",
        rules=("E4",),
        source="003",
        ge=0.5,
        le=DAYS_MAX,
    )
    max_appeals: int = lever(
        1,
        "Appeals allowed per order.",
        rules=("E4",),
        source="seller guides (sources.md)",
        unit="count",
        ge=1,
        le=10,
    )
    bank_days_min: int = lever(
        3,
        "Fewest business days the bank takes to credit a refund.",
        rules=("P1",),
        source="003; 002 says 15",
        unit="business days",
        ge=0,
        le=120,
    )
    bank_days_max: int = lever(
        15,
        "Most business days the bank takes to credit a refund.",
        rules=("P1",),
        source="003; 002 says 30",
        unit="business days",
        ge=0,
        le=120,
    )

    refund_fee_rate: float = lever(
        0.0,
        "Share of a refund the buyer's bank keeps as a fee (refunds go back to the "
        "original payment method).",
        rules=("P2",),
        source="002 (fees may apply; 0 assumed)",
        unit="share",
        assumed=True,
        ge=0.0,
        le=1.0,
    )

    # D. Seller feedback (F1), tracking reuse (F2)
    feedback_shown: bool = lever(
        True,
        "Whether buyers see each seller's feedback score before buying (and so may avoid "
        "low scores, as far as the population's score_weight says).",
        rules=("F1",),
        source="004: review the seller's feedback before buying",
        unit="flag",
    )
    tracking_reuse_check: bool = lever(
        True,
        "Whether the case team treats a tracking number found on another buyer's order "
        "of the same seller as proof the parcel was not sent.",
        rules=("F2", "L7"),
        source="001: shady sellers reuse one tracking number for several buyers",
        unit="flag",
    )

    # D. Seller standards and their enforcement (S1-S4): read only by a marketplace of
    # individual sellers and buyers (a scenario's `population`); "never" is a share of 1.
    standard: StandardMetric = lever(
        "none",
        "The seller metric the platform enforces (machine.standards defines each): "
        "'none' rates sellers without acting on it.",
        rules=("S1",),
        source="sources.md: seller standards of AliExpress, eBay, Amazon, Visa, Mastercard",
        unit="metric",
    )
    standard_window_days: float = lever(
        30.0,
        "Days of the rolling window the enforced metric counts.",
        rules=("S1",),
        source="sources.md: AliExpress 30 days, eBay 3 months, Amazon 60 days",
        ge=1.0,
        le=365.0,
    )
    standard_fallback_days: float = lever(
        0.0,
        "A longer window for sellers with fewer orders than the minimum in the first "
        "(0: such sellers are not rated).",
        rules=("S1",),
        source="sources.md: eBay, 12 months below 400 transactions",
        ge=0.0,
        le=365.0,
    )
    standard_min_orders: int = lever(
        0,
        "Fewest orders in the window for a seller to be rated.",
        rules=("S1",),
        source="sources.md: eBay 400 transactions",
        unit="orders",
        ge=0,
        le=1_000_000,
    )
    standard_min_events: int = lever(
        0,
        "Fewest counted events (the metric's numerator) for a tier to apply.",
        rules=("S1",),
        source="sources.md: Visa 1,500 a month, Mastercard 100",
        unit="events",
        ge=0,
        le=1_000_000,
    )
    standard_every_days: int = lever(
        1,
        "Days between evaluations of the enforced metric (the first at day 0 of the run).",
        rules=("S1", "S2"),
        source="sources.md: eBay monthly (on the 20th, taken as every 30 days); daily assumed",
        assumed=True,
        ge=1,
        le=365,
    )
    warn_above: float = lever(
        1.0,
        "A rate above this warns the seller (1: never).",
        rules=("S2",),
        source="sources.md: eBay Top Rated at most 0.5%",
        unit="share",
        ge=0.0,
        le=1.0,
    )
    restrict_above: float = lever(
        1.0,
        "A rate above this restricts the seller (fee surcharge, hold, exposure) (1: never).",
        rules=("S2",),
        source="sources.md: eBay Below Standard above 2%",
        unit="share",
        ge=0.0,
        le=1.0,
    )
    suspend_above: float = lever(
        1.0,
        "A rate above this suspends the seller for good (1: never).",
        rules=("S2", "S3"),
        source="sources.md: Amazon may deactivate above 1% order defects",
        unit="share",
        ge=0.0,
        le=1.0,
    )
    restricted_fee_points: float = lever(
        0.0,
        "Extra fee a restricted seller pays on each sale, in percentage points of the price.",
        rules=("S2",),
        source="sources.md: eBay Below Standard +6 points of final value fee",
        unit="points",
        ge=0.0,
        le=100.0,
    )
    restricted_hold_days: float = lever(
        0.0,
        "Extra days a restricted seller's money is held after an order completes.",
        rules=("S2",),
        source="sources.md: eBay fund holds (no figure; 0 assumed)",
        assumed=True,
        ge=0.0,
        le=180.0,
    )
    restricted_exposure: float = lever(
        1.0,
        "Share of its usual new orders a restricted seller still gets (lower placement).",
        rules=("S2",),
        source="sources.md: eBay lower search placement (no figure; 1 assumed)",
        unit="share",
        assumed=True,
        ge=0.0,
        le=1.0,
    )
    buyer_review_claims: int = lever(
        0,
        "A buyer with more than this many claims in the review window is under abuse "
        "review (0: no review).",
        rules=("S4",),
        source="assumed: platforms review repeat claimants but publish no figure",
        unit="claims",
        assumed=True,
        ge=0,
        le=1_000,
    )
    buyer_review_days: float = lever(
        90.0,
        "Days of the window the buyer's claims are counted over.",
        rules=("S4",),
        source="sources.md: many who succeed file again within 90 days",
        ge=1.0,
        le=365.0,
    )

    @model_validator(mode="after")
    def _ranges_are_ordered(self) -> Policy:
        pairs = (
            ("cancel_days_min", "cancel_days_max"),
            ("bank_days_min", "bank_days_max"),
            ("earliest_dispute_days", "protection_days"),
        )
        for low, high in pairs:
            if getattr(self, low) > getattr(self, high):
                raise ValueError(
                    f"{low} ({getattr(self, low)}) must not exceed {high} ({getattr(self, high)})"
                )
        if 0 < self.standard_fallback_days < self.standard_window_days:
            raise ValueError(
                f"standard_fallback_days ({self.standard_fallback_days}) must be 0 or at "
                f"least standard_window_days ({self.standard_window_days})"
            )
        return self

    @classmethod
    def create(cls, **levers: Any) -> Policy:
        """Build a policy, turning pydantic's report into one line naming the lever."""
        try:
            return cls(**levers)
        except ValidationError as err:
            raise PolicyError(describe_error(err)) from None

    def evolve(self, **changes: Any) -> Policy:
        """A copy with some levers changed, validated like a new policy."""
        return Policy.create(**{**self.model_dump(), **changes})

    @classmethod
    def lever_info(cls) -> dict[str, LeverInfo]:
        """Each lever's metadata, in declaration order."""
        return {name: _info(name) for name in cls.model_fields}


def _info(name: str) -> LeverInfo:
    field = Policy.model_fields[name]
    extra = field.json_schema_extra or {}
    assert isinstance(extra, dict) and isinstance(extra["rules"], list)
    return LeverInfo(
        name=name,
        default=field.default,
        rules=tuple(str(rule) for rule in extra["rules"]),
        source=str(extra["source"]),
        unit=str(extra["unit"]),
        doc=field.description or "",
        assumed=bool(extra["assumed"]),
        expected=expected_value(name),
    )


def expected_value(name: str) -> str:
    """In words, what a lever accepts: for error messages and the docs."""
    field = Policy.model_fields[name]
    annotation = field.annotation
    if annotation is bool:
        return "true or false"
    choices = getattr(annotation, "__args__", None)
    if choices and all(isinstance(c, str) for c in choices):
        return "one of " + ", ".join(repr(c) for c in choices)
    low = next((m.ge for m in field.metadata if isinstance(m, annotated_types.Ge)), None)
    high = next((m.le for m in field.metadata if isinstance(m, annotated_types.Le)), None)
    kind = "a whole number" if annotation is int else "a number"
    unit = (field.json_schema_extra or {}).get("unit", "")  # type: ignore[union-attr]
    return f"{kind} from {low:g} to {high:g} ({unit})"


def describe_error(err: ValidationError) -> str:
    """One line for the first problem: the lever, what was expected, what was given."""
    first = err.errors()[0]
    name = ".".join(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden":
        return f"unknown policy lever '{name}' (known levers: {', '.join(Policy.model_fields)})"
    if name in Policy.model_fields:
        return f"policy lever '{name}': expected {expected_value(name)}, got {first['input']!r}"
    return f"policy: {first['msg'].removeprefix('Value error, ')}"
