"""Who the sellers and buyers are: a population of individuals, each with an id and a history.

Without a population (`sellers = 0`) every order meets a new seller and a new buyer drawn
from the profiles, as in the first versions of the model. With one (the default), each seller
has a profile (by the profiles' shares of orders), a size (its share of its profile's
orders: log-normal, heavy-tailed), its own traits drawn around its profile's means (Beta,
with a concentration: the larger, the closer to the mean) and an entry day; each buyer has
a profile and a purchase frequency (log-normal), so that one buyer buys and claims again.
Buyers choose a seller by size and public feedback score (F1). The figures behind the
defaults are in docs/sources.md; the rest are assumed and say so.
"""

from __future__ import annotations

from pydantic import model_validator

from sim.world.params import Params, duration, fraction, param, spread
from sim.world.population.adaptation import Adaptation

VARYING_SELLER_TRAITS = ("not_as_described", "agrees", "ships", "fake_tracking")
"""The seller traits that differ between sellers of one profile (each a Beta around the
profile's chance); the others are the profile's own."""
VARYING_BUYER_TRAITS = ("false_claim",)


class Feedback(Params):
    """How buyers leave feedback after an order (F1), and what its score does to choice."""

    leaves: float = fraction(
        0.3, "Chance a buyer leaves feedback once the order has ended (assumed)."
    )
    delay_median_days: float = duration(
        2.0, "Median time from the order's end to the feedback.", low=0.01
    )
    delay_spread: float = spread(0.6, "Log-normal sigma of the feedback's delay.")
    negative_smooth: float = fraction(0.01, "Chance feedback is negative after a smooth order.")
    negative_refunded: float = fraction(
        0.35, "Chance feedback is negative after a problem the buyer was refunded for."
    )
    negative_unresolved: float = fraction(
        0.8, "Chance feedback is negative after a claim that refunded nothing."
    )
    neutral_share: float = fraction(0.3, "Of the feedback that is not negative, the neutral share.")
    prior_orders: float = param(
        20.0,
        "Weight of the score's prior, in feedback counts: a new seller starts at the "
        "prior's score and moves toward its own as feedback comes in.",
        ge=0.0,
        le=10_000.0,
    )
    prior_positive: float = fraction(0.95, "The prior's share of positive feedback.")
    score_weight: float = param(
        0.0,
        "How much the public score moves buyers (F1): a seller's chance of each new order "
        "is multiplied by score ** weight (0: buyers ignore the score).",
        ge=0.0,
        le=200.0,
    )


class Cohort(Params):
    """Sellers of one profile who enter the marketplace together (a fraud wave, say)."""

    profile: str = param("fraudulent", "Name of the seller profile they have.")
    sellers: int = param(20, "How many enter.", ge=1, le=1_000_000)
    enters_day: int = param(
        0,
        "Day of the measured window they enter on (0: its first day; negative: in the warm-up).",
        ge=-3650,
        le=3650,
    )
    share: float = param(
        0.02,
        "Share of the marketplace's orders they draw together on entering, before the "
        "score and standards act.",
        gt=0.0,
        lt=1.0,
    )


class Population(Params):
    """Sellers and buyers as individuals with ids and history (off while `sellers` is 0)."""

    sellers: int = param(
        2_000,
        "Sellers in the marketplace from the start: 2,000 gives the baseline year's "
        "million orders some 500 orders a seller (assumed). 0: no population, every "
        "order meets a new seller and a new buyer drawn from the profiles.",
        ge=0,
        le=1_000_000,
    )
    buyers: int = param(
        300_000,
        "Buyers: about 3 orders each over the baseline year (assumed).",
        ge=1,
        le=50_000_000,
    )
    seller_size_spread: float = spread(
        1.5,
        "Log-normal sigma of sellers' sizes (their shares of orders): 1.5 puts nearly 60% of "
        "the orders with the largest tenth of sellers (assumed).",
        high=4.0,
    )
    buyer_frequency_spread: float = spread(
        1.0, "Log-normal sigma of buyers' purchase frequencies (repeat buyers).", high=4.0
    )
    trait_concentration: float = param(
        50.0,
        "Concentration of each seller's and buyer's own traits around its profile's "
        "means (Beta(m c, (1 - m) c)): large is alike, small is varied (assumed).",
        gt=0.0,
        le=1e9,
    )
    agrees_concentration: float | None = param(
        None,
        "Concentration of sellers' chances of agreeing to a dispute around their profile's "
        "(default: trait_concentration): how much sellers differ in answering, as a log "
        "that names its sellers shows it (`disputesim fit`).",
        gt=0.0,
        le=1e9,
    )
    table_every_days: int = param(
        30,
        "Days between the rows the sellers table keeps for each seller (a row also at "
        "the window's end).",
        ge=1,
        le=365,
    )
    feedback: Feedback = param(Feedback(), "Buyers' feedback and its public score (F1).")
    cohorts: tuple[Cohort, ...] = param((), "Sellers who enter later, together.")
    adaptation: Adaptation = param(
        Adaptation(), "Buyers who learn, sellers who adapt, enter and leave (off by default)."
    )

    @property
    def active(self) -> bool:
        """Whether the marketplace has individual sellers and buyers."""
        return self.sellers > 0

    @property
    def adaptive(self) -> bool:
        """Whether behaviour responds to the policy (sim.world.population.learning)."""
        return self.active and self.adaptation.enabled

    @model_validator(mode="after")
    def _cohorts_need_a_population(self) -> Population:
        if self.cohorts and not self.sellers:
            raise ValueError("cohorts need a population: set sellers above 0")
        if self.adaptation.enabled and not self.sellers:
            raise ValueError("adaptation.enabled needs a population: set sellers above 0")
        return self
