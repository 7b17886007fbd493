"""The Case Management Team: staff, review times, and how evidence decides (E1-E4)."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from sim.world.params import Params, duration, fraction, param, spread


class CaseTeam(Params):
    """Case officers each carrying a caseload; decisions weigh the truth and the evidence.

    The team's capacity is `staff x caseload` cases in review at once: an officer works
    several cases side by side, so a review takes days of calendar time (E1: "weeks")
    while using a fraction of an officer. Cases beyond the capacity wait in one queue.

    A case's score is `truth_weight` (if the problem is real) plus `evidence_weight` times
    the buyer's evidence quality minus the seller's, plus normal noise. Above
    `full_threshold` the buyer gets a full refund, above `partial_threshold` the
    `partial_share`, otherwise nothing.
    """

    staff: int = param(
        8,
        "Case officers. With the caseload below the baseline's reviews fill about 30% of the "
        "capacity off the season and about 85% in it, so the queue stays stable over the "
        "year and decisions still slow down in the season (E1).",
        ge=1,
        le=100_000,
    )
    caseload: int = param(
        15,
        "Cases a case officer carries at once; the team's capacity is staff x caseload.",
        ge=1,
        le=1_000,
    )
    review_median_days: float = duration(
        6.6,
        "Median calendar time of a review, from the case's pick-up to its outcome.",
        source="calibrated (scenarios/targets/aliexpress.toml): PayPal claims take 10 to 14 "
        "days on average; E1: the team takes weeks",
        low=0.001,
    )
    review_spread: float = spread(0.5, "Log-normal sigma of the review time.")
    review_distribution: Literal["lognormal", "exponential"] = param(
        "lognormal",
        "Shape of the review time; both have the median above (exponential: for "
        "queueing theory checks).",
    )
    peak_review_factor: float = param(
        1.5,
        "Review time multiplier in the sales season.",
        ge=1.0,
        le=10.0,
        source="002, 004: longer in sales seasons and at Christmas; factor assumed",
    )
    asks_evidence: float = fraction(0.35, "Chance the team asks a party for more evidence (E1).")
    asks_buyer: float = fraction(0.6, "Chance that party is the buyer.")
    reply_median_days: float = duration(2.0, "Median time for a party to send evidence.")
    reply_spread: float = spread(0.6, "Log-normal sigma of that time.")
    evidence_concentration: float = param(
        6.0,
        "Beta concentration of a party's evidence quality around its profile's mean: "
        "higher means parties of one kind give more alike evidence (E3).",
        gt=0.0,
        le=1_000.0,
    )
    evidence_mean_margin: float = param(
        0.02,
        "A profile's mean evidence quality is held this far inside 0 and 1 before the Beta "
        "draw, where the Beta would degenerate to a point (E3).",
        gt=0.0,
        lt=0.5,
    )
    false_claim_evidence_factor: float = fraction(
        0.5,
        "Weight of a false claimant's evidence relative to an honest one's: an invented "
        "problem is harder to show (E3).",
    )
    truth_weight: float = param(2.0, "Weight of a real problem in the score.", ge=0.0, le=100.0)
    evidence_weight: float = param(1.5, "Weight of the evidence gap.", ge=0.0, le=100.0)
    noise: float = param(0.7, "Standard deviation of the decision noise.", ge=0.0, le=100.0)
    full_threshold: float = param(1.0, "Score above which the refund is full.")
    partial_threshold: float = param(0.4, "Score above which a partial refund is given.")
    partial_share: float = fraction(0.5, "Share of the amount asked given as a partial refund.")
    decision_shares: tuple[float, float, float] | None = param(
        None,
        "The team's decisions as shares of full refunds, partial refunds and none, instead "
        "of weighing truth and evidence (as a log shows them: `disputesim fit`); the "
        "decision noise, which must then be above 0, is the draw that picks (E3, E4).",
    )
    monitor_every_days: float = duration(
        1.0, "Sampling interval of the queue statistics.", low=0.01
    )

    @model_validator(mode="after")
    def _shares_are_a_distribution(self) -> CaseTeam:
        shares = self.decision_shares
        if shares is not None:
            if min(shares) < 0 or abs(sum(shares) - 1.0) > 1e-6:
                raise ValueError("decision_shares: expected three shares from 0 to 1 adding to 1")
            if self.noise <= 0:
                raise ValueError("decision_shares: the noise, which picks, must be above 0")
        return self

    @property
    def capacity(self) -> int:
        """Cases in review at once: staff times caseload."""
        return self.staff * self.caseload
