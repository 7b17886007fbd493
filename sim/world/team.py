"""The Case Management Team: staff, review times, and how evidence decides (E1-E4)."""

from __future__ import annotations

from typing import Literal

from sim.world.params import Params, duration, fraction, param


class CaseTeam(Params):
    """Staff working cases one at a time; decisions weigh the truth and both sides' evidence.

    A case's score is `truth_weight` (if the problem is real) plus `evidence_weight` times
    the buyer's evidence quality minus the seller's, plus normal noise. Above
    `full_threshold` the buyer gets a full refund, above `partial_threshold` the
    `partial_share`, otherwise nothing.
    """

    staff: int = param(
        16,
        "Case officers working in parallel. The baseline's load is about 10.9 officers off "
        "the season and about 26 in it, 13.4 over a year: 16 keep the queue stable over the "
        "year (about 84% busy), while the season still overloads it (E1).",
        ge=1,
        le=100_000,
    )
    review_median_days: float = duration(0.8, "Median staff time to review a case.", low=0.001)
    review_spread: float = param(0.5, "Log-normal sigma of the review time.", ge=0.0, le=3.0)
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
    truth_weight: float = param(2.0, "Weight of a real problem in the score.", ge=0.0, le=100.0)
    evidence_weight: float = param(1.5, "Weight of the evidence gap.", ge=0.0, le=100.0)
    noise: float = param(0.7, "Standard deviation of the decision noise.", ge=0.0, le=100.0)
    full_threshold: float = param(1.0, "Score above which the refund is full.")
    partial_threshold: float = param(0.4, "Score above which a partial refund is given.")
    partial_share: float = fraction(0.5, "Share of the amount asked given as a partial refund.")
    monitor_every_days: float = duration(
        1.0, "Sampling interval of the queue statistics.", low=0.01
    )
