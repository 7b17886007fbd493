"""What really happens to each order, drawn when the order is created.

One `numpy.random.SeedSequence` per run is spawned into one stream per actor (market,
seller, buyer, carrier, team, bank). Orders are drawn in blocks of `BLOCK` rows, each
attribute as one vectorised draw, in order of creation. Nothing drawn here depends on the
policy, so two policies run with the same seed see the same orders, sellers, parcels and
decisions (common random numbers), and the world never draws again later.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from machine.standards import Standing
from sim.world.individuals import People, anonymous_columns
from sim.world.scenario import Scenario

BLOCK = 4_096
STREAMS = (
    "market",
    "seller",
    "buyer",
    "carrier",
    "team",
    "bank",
    "forms",
    "population",
    "adaptation",
)
"""A new stream is added at the end, so that the streams before it draw as they did."""

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
    # population (sim.world.individuals): who, and their standing when it was placed;
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
_make_facts = Facts._make


def streams(seed: np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """One independent generator per actor, spawned from the run's seed sequence."""
    return {
        name: np.random.Generator(np.random.PCG64(child))
        for name, child in zip(STREAMS, seed.spawn(len(STREAMS)), strict=True)
    }


def _column(profiles: tuple, field: str, kind: np.ndarray) -> np.ndarray:
    """A profile field for every row, by each row's profile index."""
    return np.array([getattr(profile, field) for profile in profiles], dtype=float)[kind]


def _chance(gen: np.random.Generator, p: np.ndarray) -> np.ndarray:
    return gen.random(p.shape[0]) < p


def _lognormal(
    gen: np.random.Generator, median: np.ndarray, sigma: float | np.ndarray
) -> np.ndarray:
    return median * np.exp(sigma * gen.standard_normal(median.shape[0]))


def _quality(
    gen: np.random.Generator, mean: np.ndarray, concentration: float, margin: float
) -> np.ndarray:
    """Beta-distributed quality around `mean`, kept `margin` off 0 and 1 (where the Beta
    degenerates: CaseTeam.evidence_mean_margin)."""
    mean = np.clip(mean, margin, 1.0 - margin)
    return gen.beta(mean * concentration, (1.0 - mean) * concentration)


class Block:
    """The drawn attributes of `size` consecutive orders, as one numpy column each.

    `rows(indices)` hands out `Facts` tuples of plain Python values: each column becomes
    Python values in one C loop (`tolist`) and the rows are zipped, so an engine that
    resolves most orders column-wise converts only the few it runs one by one.
    """

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        self.columns = columns
        self.size = len(next(iter(columns.values())))

    def rows(self, indices: np.ndarray | None = None) -> list[Facts]:
        """The `Facts` of the rows at `indices` (default: every row), in that order."""
        columns = self.columns.values()
        if indices is not None:
            columns = (column[indices] for column in columns)  # type: ignore[assignment]
        return list(map(_make_facts, zip(*(column.tolist() for column in columns), strict=True)))


def draw_block(
    scenario: Scenario,
    gens: dict[str, np.random.Generator],
    n: int,
    people: People | None = None,
) -> Block:
    """Draw everything that will happen to the next `n` orders (with `people`, each from
    one seller and one buyer of the population, whose own traits it draws by)."""
    market, sellers, buyers, team = (
        scenario.market,
        scenario.sellers,
        scenario.buyers,
        scenario.team,
    )
    carriers = market.carriers
    g = gens
    cols: dict[str, np.ndarray] = {}

    # Market: who sells, who buys, how it ships, what it costs
    if people is None:
        seller = g["market"].choice(len(sellers), size=n, p=[s.share for s in sellers])
        buyer = g["market"].choice(len(buyers), size=n, p=[b.share for b in buyers])
        extra = anonymous_columns(n)
    else:
        seller_id, buyer_id = people.choose(n)
        seller = people.sellers.profile[seller_id].astype(np.int64)
        buyer = people.buyers.profile[buyer_id].astype(np.int64)
        extra = people.columns(n, seller_id, buyer_id)
    carrier = g["market"].choice(len(carriers), size=n, p=[c.share for c in carriers])
    item = np.maximum(
        market.price_min_cents,
        np.rint(
            market.price_median_cents * np.exp(market.price_spread * g["market"].standard_normal(n))
        ),
    )
    shipping = np.array([c.price_cents for c in carriers])[carrier]
    cols.update(
        seller=seller, buyer=buyer, carrier=carrier, price=(item + shipping).astype(np.int64)
    )
    cols["promised"] = _column(carriers, "promised_days", carrier)

    # Seller (L2, L4, L7, D7, D8, D11)
    gs = g["seller"]

    def sc(field: str) -> np.ndarray:
        if people is not None and field in people.sellers.traits:
            return people.sellers.traits[field][extra["seller_id"]]
        return _column(sellers, field, seller)

    cols["ships"] = _chance(gs, sc("ships"))
    cols["fake_tracking"] = _chance(gs, sc("fake_tracking"))
    spread = sc("delay_spread")
    cols["handling"] = _lognormal(gs, sc("handling_median_days"), spread)
    cols["not_as_described"] = _chance(gs, sc("not_as_described"))
    answer_p = np.stack([sc("agrees"), sc("rejects"), sc("counter_offers")], axis=1).cumsum(axis=1)
    for round_ in (1, 2):
        u = gs.random(n)[:, None]
        cols[f"answer{round_}"] = (u >= answer_p).sum(axis=1)  # 0..2, or 3 = silence
        cols[f"answer_delay{round_}"] = _lognormal(gs, sc("answer_deadline_share"), spread)
    cols["offer_share"] = sc("offer_share")
    cols["contests_fine_goods"] = _chance(gs, sc("contests_fine_goods"))
    cols["extension_days"] = sc("extension_days").astype(np.int64)
    cols["extends"] = _chance(gs, sc("extends_protection"))
    cols["seller_evidence"] = _quality(
        gs, sc("evidence_quality"), team.evidence_concentration, team.evidence_mean_margin
    )
    cols["seller_replies"] = _chance(gs, sc("replies_to_team"))
    cols["accepts_cancel"] = _chance(gs, sc("accepts_cancellation"))
    cols["races_cancel"] = _chance(gs, sc("races_cancellation"))
    cols["cancel_answer"] = _lognormal(gs, sc("cancel_answer_median_days"), spread)
    cols["confirm_return"] = _lognormal(gs, sc("confirm_return_median_days"), spread)
    cols["free_return"] = _chance(gs, sc("free_returns"))

    # Carrier (L5-L8)
    gc, cc = g["carrier"], (lambda f: _column(carriers, f, carrier))
    cols["transit"] = _lognormal(gc, cc("transit_median_days"), cc("transit_spread"))
    cols["customs_at_share"] = cc("customs_at_share")
    cols["lost_declared_after"] = cc("lost_declared_after")
    lag_lo, lag_hi = cc("tracking_lag_min_days"), cc("tracking_lag_max_days")
    cols["tracking_lag"] = lag_lo + (lag_hi - lag_lo) * gc.random(n)
    cols["loss_u"] = gc.random(n)  # compared with the loss rate of the shipping season
    cols["loss_rate"] = cc("loss_rate")
    cols["declared_lost"] = _chance(gc, cc("declared_lost_share"))
    cols["customs"] = _chance(gc, cc("customs_rate"))
    cols["customs_days"] = _lognormal(gc, cc("customs_median_days"), cc("customs_spread"))
    cols["post_office"] = _chance(gc, cc("post_office_rate"))
    cols["damaged"] = _chance(gc, cc("damage_rate"))
    cols["return_transit"] = _lognormal(gc, cc("transit_median_days"), cc("transit_spread"))
    postage = market.return_postage_median_cents * np.exp(
        market.return_postage_spread * gc.standard_normal(n)
    )
    cols["return_postage"] = np.rint(np.maximum(market.return_postage_min_cents, postage)).astype(
        np.int64
    )

    # Buyer (L2, L8, L10, L11, D2, D5, D6, D8, D10, D11, E4, E5, P3)
    gb = g["buyer"]

    def bc(field: str) -> np.ndarray:
        if people is not None and field in people.buyers.traits:
            return people.buyers.traits[field][extra["buyer_id"]]
        return _column(buyers, field, buyer)

    spread = bc("delay_spread")
    cols["cancels"] = _chance(gb, bc("cancels"))
    cols["cancel_delay"] = _lognormal(gb, bc("cancel_median_days"), spread)
    cols["contacts"] = _chance(gb, bc("contacts_seller"))
    patience = np.maximum(bc("patience_days"), bc("min_patience_days"))
    cols["patience"] = _lognormal(gb, patience, spread)
    cols["misses_window"] = _chance(gb, bc("misses_window"))
    cols["notice"] = _lognormal(gb, bc("notice_median_days"), spread)
    cols["false_claim"] = _chance(gb, bc("false_claim"))
    cols["false_not_received"] = _chance(gb, bc("false_claims_not_received"))
    cols["partial"] = _chance(gb, bc("asks_partial"))
    cols["partial_share"] = bc("partial_share")
    cols["modified_share"] = bc("modified_share")
    cols["contact_lead"] = bc("contact_lead_days")
    cols["last_minute"] = bc("last_minute_days")
    cols["asks_return"] = _chance(gb, bc("asks_return"))
    cols["form_error"] = _chance(gb, bc("form_error"))
    cols["form_text_fault"] = _chance(g["forms"], bc("form_text_fault"))
    cols["image_mb"] = bc("image_mb")
    cols["oversized_image_mb"] = bc("oversized_image_mb")
    cols["fixed_image_share"] = bc("fixed_image_share")
    cols["buyer_evidence"] = _quality(
        gb, bc("evidence_quality"), team.evidence_concentration, team.evidence_mean_margin
    )
    cols["accepts_offer"] = _chance(gb, bc("accepts_offer"))
    cols["modifies"] = _chance(gb, bc("modifies_request"))
    cols["max_modifications"] = bc("max_modifications")
    cols["escalates"] = _chance(gb, bc("escalates"))
    cols["escalation_delay"] = _lognormal(gb, bc("escalation_median_days"), spread)
    cols["escalation_patience_u"] = gb.random(n)
    cols["escalation_patience"] = bc("escalation_patience_days")
    cols["return_tolerance"] = bc("return_tolerance")
    cols["return_delay"] = _lognormal(gb, bc("return_median_days"), spread)
    cols["confirms"] = _chance(gb, bc("confirms_receipt"))
    cols["confirm_delay"] = _lognormal(gb, bc("confirm_median_days"), spread)
    cols["collects"] = _chance(gb, bc("collects_parcel"))
    cols["collect_delay"] = _lognormal(gb, bc("collect_median_days"), spread)
    cols["buyer_replies"] = _chance(gb, bc("replies_to_team"))
    cols["appeals"] = _chance(gb, bc("appeals"))
    cols["contacts_support"] = _chance(gb, bc("contacts_support"))
    cols["repays"] = _chance(gb, bc("repays_late_goods"))
    cols["step"] = _lognormal(gb, bc("reaction_median_days"), spread)

    # Case Management Team (E1-E4)
    gt = g["team"]
    for k in (1, 2, 3):
        if team.review_distribution == "exponential":  # the same median: mean = median / ln 2
            cols[f"review{k}"] = team.review_median_days / np.log(2) * gt.standard_exponential(n)
        else:
            spread = team.review_spread * gt.standard_normal(n)
            cols[f"review{k}"] = team.review_median_days * np.exp(spread)
    cols["team_asks"] = gt.random(n) < team.asks_evidence
    cols["team_asks_buyer"] = gt.random(n) < team.asks_buyer
    cols["reply_delay"] = team.reply_median_days * np.exp(team.reply_spread * gt.standard_normal(n))
    cols["noise1"] = team.noise * gt.standard_normal(n)
    cols["noise2"] = team.noise * gt.standard_normal(n)

    # Bank (P1) and the cancellation's processing time (L2): policy-free uniforms
    cols["bank_u"] = g["bank"].random(n)
    cols["cancel_u"] = g["bank"].random(n)

    # Population: who, their standing, and a fraudulent seller's one reused number (F2)
    cols.update(extra)
    cols["reused_tracking"] = (
        people.reused_tracking(extra["seller_id"], cols["fake_tracking"])
        if people is not None
        else np.full(n, -1, dtype=np.int64)
    )
    restricted = extra["standing"] == Standing.RESTRICTED
    points = scenario.policy.restricted_fee_points
    cols["surcharge"] = np.where(restricted, np.rint(cols["price"] * points / 100), 0).astype(
        np.int64
    )
    cols["hold_days"] = np.where(restricted, scenario.policy.restricted_hold_days, 0.0)
    assert set(cols) == set(FACT_NAMES), "draw_block and FACT_NAMES disagree"
    cols = {name: cols[name] for name in FACT_NAMES}
    return Block(cols)
