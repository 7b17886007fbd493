"""The facts of a cancellation or a dispute, drawn only for the orders that may have one.

Most orders are paid, shipped, delivered before the buyer's patience runs out and kept:
they never read the seller's answers, the buyer's claim, returns, escalation or the case
team's draws (`DISPUTE_FACTS`), whatever the policy. Which orders may read them is
decided from the facts drawn first and the truth alone (`may_dispute`), never from the
policy, so two policies run with one seed still draw every fact of every order alike
(common random numbers), and both engines see the same facts.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from sim.world.behaviour.draws import Durations, chance, lognormal, quality, sides
from sim.world.behaviour.fact_columns import Block
from sim.world.behaviour.facts import DISPUTE_FACTS
from sim.world.population.individuals import People
from sim.world.records.truth import Truth
from sim.world.scenario import Scenario

SLACK = 1e-6  # days: a parcel this close to the buyer's patience counts as late


def may_dispute(columns: dict[str, np.ndarray], truth: np.ndarray) -> np.ndarray:
    """Which of the first `len(truth)` rows may meet a cancellation or a dispute.

    The others ship, have nothing wrong and are not falsely claimed on, and their parcel
    comes before the buyer's patience runs out (or the buyer would miss the window
    anyway): on every path they can take (delivered, held by customs, left at the post
    office, protection running out first, the seller's handling time running out) no
    actor reads a dispute fact. The buyer's patience is measured from the shipment, as
    `actors._not_received_claim` does; `SLACK` keeps rounding on the safe side.
    """
    n = len(truth)
    c = {name: columns[name][:n] for name in (
        "cancels", "false_claim", "misses_window", "transit", "customs", "customs_days",
        "promised", "patience")}  # fmt: skip
    journey = c["transit"] + np.where(c["customs"], c["customs_days"], 0.0)
    late = journey > c["promised"] + c["patience"] - SLACK
    return c["cancels"] | (truth != Truth.OK) | c["false_claim"] | (~c["misses_window"] & late)


def draw_dispute_facts(
    scenario: Scenario,
    gens: dict[str, np.random.Generator],
    block: Block,
    rows: np.ndarray,
    people: People | None = None,
) -> None:
    """Draw the dispute facts of the block's `rows` into its columns (in place)."""
    n = len(rows)
    if not n:
        return
    team = scenario.team
    sides_all = sides(scenario, block.columns, people)
    sc, bc, cc = (side.at(rows) for side in sides_all)
    drawn: dict[str, np.ndarray] = {}

    # Seller (L2, D7, D8, D11, E1, E3, L10)
    gs = gens["seller"]
    spread = sc("delay_spread")
    answer_p = np.stack([sc("agrees"), sc("rejects"), sc("counter_offers")], axis=1).cumsum(axis=1)
    durations = Durations(scenario)
    deadline = scenario.policy.seller_response_days  # a fitted answer is days, not a share
    for round_ in (1, 2):
        u = gs.random(n)[:, None]
        drawn[f"answer{round_}"] = (u >= answer_p).sum(axis=1)  # 0..2, or 3 = silence
        share = durations(gs, "answer", sc("answer_deadline_share"), spread)
        if "answer" in scenario.fitted.delays:
            share = share / deadline if deadline > 0 else np.zeros(n)
        drawn[f"answer_delay{round_}"] = share
    drawn["offer_share"] = sc("offer_share")
    drawn["contests_fine_goods"] = chance(gs, sc("contests_fine_goods"))
    drawn["extension_days"] = sc("extension_days")
    drawn["extends"] = chance(gs, sc("extends_protection"))
    drawn["seller_evidence"] = quality(
        gs, sc("evidence_quality"), team.evidence_concentration, team.evidence_mean_margin
    )
    drawn["seller_replies"] = chance(gs, sc("replies_to_team"))
    drawn["accepts_cancel"] = chance(gs, sc("accepts_cancellation"))
    drawn["races_cancel"] = chance(gs, sc("races_cancellation"))
    drawn["cancel_answer"] = durations(gs, "cancel_answer", sc("cancel_answer_median_days"), spread)
    drawn["confirm_return"] = durations(gs, "return_confirmation",
                                        sc("confirm_return_median_days"), spread)  # fmt: skip
    drawn["free_return"] = chance(gs, sc("free_returns"))

    # Carrier: a returned parcel (D11)
    gc, market = gens["carrier"], scenario.market
    drawn["return_transit"] = lognormal(gc, cc("transit_median_days"), cc("transit_spread"))
    if "return_confirmation" in scenario.fitted.delays:  # fitted as one delay, transit in it
        drawn["return_transit"] = np.zeros(n)
    postage = market.return_postage_median_cents * np.exp(
        market.return_postage_spread * gc.standard_normal(n)
    )
    drawn["return_postage"] = np.rint(np.maximum(market.return_postage_min_cents, postage))

    # Buyer (L2, L10, D2, D5, D6, D8, D10, D11, E2, E4, E5, P3)
    gb = gens["buyer"]
    spread = bc("delay_spread")
    drawn["cancel_delay"] = durations(gb, "cancel", bc("cancel_median_days"), spread)
    drawn["contacts"] = chance(gb, bc("contacts_seller"))
    drawn["notice"] = durations(gb, "notice", bc("notice_median_days"), spread)
    drawn["false_not_received"] = chance(gb, bc("false_claims_not_received"))
    drawn["partial"] = chance(gb, bc("asks_partial"))
    drawn["partial_share"] = bc("partial_share")
    drawn["modified_share"] = bc("modified_share")
    drawn["contact_lead"] = bc("contact_lead_days")
    drawn["last_minute"] = bc("last_minute_days")
    drawn["asks_return"] = chance(gb, bc("asks_return"))
    drawn["form_error"] = chance(gb, bc("form_error"))
    drawn["form_text_fault"] = chance(gens["forms"], bc("form_text_fault"))
    drawn["image_mb"] = bc("image_mb")
    drawn["oversized_image_mb"] = bc("oversized_image_mb")
    drawn["fixed_image_share"] = bc("fixed_image_share")
    drawn["buyer_evidence"] = quality(
        gb, bc("evidence_quality"), team.evidence_concentration, team.evidence_mean_margin
    )
    drawn["accepts_offer"] = chance(gb, bc("accepts_offer"))
    drawn["modifies"] = chance(gb, bc("modifies_request"))
    drawn["max_modifications"] = bc("max_modifications")
    drawn["escalates"] = chance(gb, bc("escalates"))
    drawn["escalation_delay"] = durations(gb, "escalation", bc("escalation_median_days"), spread)
    drawn["escalation_patience_u"] = gb.random(n)
    drawn["escalation_patience"] = bc("escalation_patience_days")
    drawn["return_tolerance"] = bc("return_tolerance")
    drawn["return_delay"] = durations(gb, "return", bc("return_median_days"), spread)
    drawn["buyer_replies"] = chance(gb, bc("replies_to_team"))
    drawn["appeals"] = chance(gb, bc("appeals"))
    drawn["contacts_support"] = chance(gb, bc("contacts_support"))
    drawn["repays"] = chance(gb, bc("repays_late_goods"))
    drawn["step"] = lognormal(gb, bc("reaction_median_days"), spread)
    drawn["gives_up"] = np.full(n, -1)  # as the claim's truth says, unless fitted
    if any(profile.gives_up is not None for profile in scenario.buyers):  # drawn only then
        fitted = np.array([-1.0 if p.gives_up is None else p.gives_up for p in scenario.buyers])
        share = fitted[block.columns["buyer"][rows]]
        drawn["gives_up"] = np.where(share < 0, -1, gb.random(n) < share).astype(np.int64)

    # Case Management Team (E1-E4)
    gt = gens["team"]
    for k in (1, 2, 3):
        if team.review_distribution == "exponential":  # the same median: mean = median / ln 2
            e = gt.standard_exponential(n)
            z = special.ndtri(-np.expm1(-e))  # the same draw as a normal deviate
            drawn[f"review{k}"] = durations.of("review", team.review_median_days / np.log(2) * e, z)
        else:
            z = gt.standard_normal(n)
            drawn[f"review{k}"] = durations.of("review", team.review_median_days
                                               * np.exp(team.review_spread * z), z)  # fmt: skip
    drawn["team_asks"] = gt.random(n) < team.asks_evidence
    drawn["team_asks_buyer"] = gt.random(n) < team.asks_buyer
    z = gt.standard_normal(n)
    drawn["reply_delay"] = durations.of("reply", team.reply_median_days
                                        * np.exp(team.reply_spread * z), z)  # fmt: skip
    drawn["noise1"] = team.noise * gt.standard_normal(n)
    drawn["noise2"] = team.noise * gt.standard_normal(n)

    # The cancellation's processing time (L2): a policy-free uniform
    drawn["cancel_u"] = gens["bank"].random(n)

    assert drawn.keys() == DISPUTE_FACTS.keys(), "draw_dispute_facts and DISPUTE_FACTS disagree"
    block.columns.drawn(rows, drawn)
