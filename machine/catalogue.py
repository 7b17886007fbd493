"""The rule catalogue: every rule of the source documents, with its id and sources.

The project's own copy of the source documents' rules, so that it owns its
specification. `machine.traceability` maps each id to the states, transitions, guards, actions
and levers that implement it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: id, section of the catalogue, text, source documents (000 to 004, docs/sources.md)."""

    id: str
    section: str
    text: str
    sources: tuple[str, ...]


SECTIONS: dict[str, str] = {
    "A": "The order lifecycle",
    "B": "The dispute",
    "C": "Escalation, decision, appeal, payout",
    "D": "Seller feedback, seller standards and their enforcement",
}

RULES: tuple[Rule, ...] = (
    Rule(
        "L1",
        "A",
        "An order is paid, then waits for the seller to ship it.",
        ("002",),
    ),
    Rule(
        "L2",
        "A",
        "Before shipment the buyer may cancel (mistake, change of mind) and gets a full refund. A cancellation takes 5 to 7 days to go through; the seller may race it by adding a tracking number, which turns the order into a shipped one.",
        ("001", "002"),
    ),
    Rule(
        "L3",
        "A",
        "A cancellation inside the first 24 hours after payment is immediate; the money then reaches the buyer after at least another 24 hours.",
        ("001",),
    ),
    Rule(
        "L4",
        "A",
        "If the seller does not ship within the expected handling time, the buyer can get a refund (order not shipped).",
        ("002",),
    ),
    Rule(
        "L5",
        "A",
        "Shipping method: free standard post (slow) or a paid courier (faster, costs money by destination country). Standard post is the usual choice.",
        ("000",),
    ),
    Rule(
        "L6",
        "A",
        "A tracking number may show nothing for 3 to 7 days after shipment before the carrier updates it.",
        ("003",),
    ),
    Rule(
        "L7",
        "A",
        "A parcel can be lost by the post or held by customs; a dishonest seller may never send it, reuse one tracking number for several buyers, or give a number that shows only domestic movement.",
        ("001", "004"),
    ),
    Rule(
        "L8",
        "A",
        "A parcel that reaches the buyer's post office but is never collected ends the order as finished, with no protection left.",
        ("004",),
    ),
    Rule(
        "L9",
        "A",
        "Each order has a Purchase Protection period (30, 45, 60 days or more, by seller and shipping method; the delivery deadline is at most 60 days in one source). When it runs out without a dispute the order is Finished and the payment is released to the seller.",
        ("000", "002", "004"),
    ),
    Rule(
        "L10",
        "A",
        "The seller may extend the protection period if the buyer contacts them before it expires.",
        ("000",),
    ),
    Rule(
        "L11",
        "A",
        "The buyer confirms receipt, or the order completes by itself at the end of protection; after completion a dispute can still be opened within 15 days.",
        ("002", "003"),
    ),
    Rule(
        "D1",
        "B",
        "Reasons: not received; not as described (includes poor quality, does not work, used instead of new); damaged or faulty; order cancelled.",
        ("000", "001", "002"),
    ),
    Rule(
        "D2",
        "B",
        "The buyer is advised to contact the seller first and wait for an answer before opening a dispute.",
        ("000", "002", "003"),
    ),
    Rule(
        "D3",
        "B",
        "A dispute can be opened only while protection runs (or within 15 days after completion), and not after an agreement was reached with the seller.",
        ("000", "002", "003"),
    ),
    Rule(
        "D4",
        "B",
        "The earliest day a dispute can be opened after shipment is a policy variant (table D).",
        ("002", "003", "004"),
    ),
    Rule(
        "D5",
        "B",
        'The buyer asks for "refund only" or "return and refund", for a full or partial amount; the amount can never exceed what was paid.',
        ("001", "003"),
    ),
    Rule(
        "D6",
        "B",
        "Evidence (photos, video, tracking screenshots) is attached to the dispute; only images under 2 MB are accepted, and text must contain no Chinese characters. A form that breaks these rules is refused.",
        ("002", "003"),
    ),
    Rule(
        "D7",
        "B",
        "The seller must answer within 5 days. If the seller agrees, or stays silent for 5 days, the refund is processed as the buyer asked.",
        ("002", "003"),
    ),
    Rule(
        "D8",
        "B",
        "The seller may reject and propose another solution (e.g. a partial refund); the buyer may accept it, or modify the request and negotiate further.",
        ("002", "003"),
    ),
    Rule(
        "D9",
        "B",
        "If no agreement is reached within 15 days of opening, the dispute goes to the platform's Case Management Team by itself.",
        ("000", "004"),
    ),
    Rule(
        "D10",
        "B",
        "The buyer may escalate by hand earlier: the timing is a policy variant (table D). Once escalated, the request can no longer be modified.",
        ("000", "002", "004"),
    ),
    Rule(
        "D11",
        "B",
        "\"Return and refund\": the buyer ships the item back to the seller's confirmed address, either free of charge (free return) or at the buyer's cost (which can exceed the item's value); the refund follows the seller's confirmation of receipt. Some sellers offer a domestic return (unused, original packaging).",
        ("002", "003", "004"),
    ),
    Rule(
        "D12",
        "B",
        "While a not-received dispute is open, tracking goes on; if the parcel is then delivered, the buyer is told and should cancel the dispute, or change its reason to not as described within 5 days.",
        ("004",),
    ),
    Rule(
        "D13",
        "B",
        "The buyer may cancel a dispute; if protection has already run out, the payment is released to the seller.",
        ("003",),
    ),
    Rule(
        "E1",
        "C",
        "The Case Management Team reviews the evidence of both sides, may ask either for more, and takes weeks (longer in sales seasons and at Christmas).",
        ("002", "004"),
    ),
    Rule(
        "E2",
        "C",
        "A claim is cancelled if the buyer provides no evidence within the period that the team sets.",
        ("004",),
    ),
    Rule(
        "E3",
        "C",
        "The team decides: full refund, partial refund, or none. Evidence quality decides the outcome.",
        ("002", "003", "004"),
    ),
    Rule(
        "E4",
        "C",
        "Decisions are final in one source; another allows an appeal within 7 days and a dispute survey within 15 days. Policy variant.",
        ("003", "004"),
    ),
    Rule(
        "E5",
        "C",
        "When a dispute closes against the buyer, the buyer can still contact customer support.",
        ("001", "003"),
    ),
    Rule(
        "P1",
        "C",
        "A refund from cancellation, agreement or mediation is made at once on the platform; the bank then takes 3 to 15 business days to credit it. One source says 15 to 30 working days after the dispute.",
        ("002", "003"),
    ),
    Rule(
        "P2",
        "C",
        "Refunds go back to the original payment method; bank fees may apply; a cashback reward is cancelled on refund.",
        ("002",),
    ),
    Rule(
        "P3",
        "C",
        "A buyer who receives the goods after being refunded should contact the seller and return the money.",
        ("003",),
    ),
    Rule(
        "F1",
        "D",
        "Before buying, the buyer reviews the seller's feedback; after the order, the buyer leaves honest, fair, factual feedback that other buyers see.",
        ("004",),
    ),
    Rule(
        "F2",
        "D",
        "A shady seller may reuse one tracking number for several buyers' orders.",
        ("001",),
    ),
    Rule(
        "S1",
        "D",
        "The platform measures each seller on a rolling window at set instants: a rate of disputes, claims, rulings against the seller or defects over the seller's orders, with a minimum count below which the seller is not rated (AliExpress, eBay, Amazon, Visa and Mastercard each define theirs).",
        ("sources.md",),
    ),
    Rule(
        "S2",
        "D",
        "A seller whose rate exceeds a tier's threshold is warned, or restricted: a fee surcharge on its sales, a longer hold on its money, fewer new orders. The standing is set at an evaluation and holds until the next.",
        ("sources.md",),
    ),
    Rule(
        "S3",
        "D",
        "A suspended seller gets no new orders; its open orders finish under the same rules.",
        ("sources.md",),
    ),
    Rule(
        "S4",
        "D",
        "A buyer with more than a set number of claims in a set number of days is under abuse review: claims on orders placed while under review go straight to the case team.",
        ("sources.md",),
    ),
)

RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in RULES)
