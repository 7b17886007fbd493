"""Behaviour that answers back: the parameters of buyers who learn and sellers who adapt,
enter and leave (off until `enabled`; sim.world.population.learning applies them).

Buyers learn by reinforcement on the log-odds of their chance of a false claim (logistic
learning, the form of Bayesian and softmax learners): a paid false claim adds `success` to
the log-odds, an unpaid one, or being put under abuse review (S4), takes `failure` off;
the chance never passes the `ceiling`. Each outcome is also heard by `word_of_mouth` other
buyers, for whom it weighs `heard_weight` of one's own: spread over every buyer in
expectation, so no draw is needed. The steps add up, so the order outcomes come in does
not matter, and a chance on the log-odds scale never leaves (0, 1) (a buyer whose chance
is exactly 0 never learns). The chance holds still where the share of false claims paid is
failure / (success + failure): the defaults put that at 3 in 4, about what today's
AliExpress policy pays (assumed: so that today's policy is roughly its own long run).

Sellers adapt their answers to how the team rules on them (a ruling against moves the
chance of agreeing `answer_learning` of the way to 1, a ruling for it toward 0; rejections
and counter-offers keep their proportions of the rest), leave when their margin over the
last `margin_window_days` falls below `exit_below`, and new sellers of a profile enter in
proportion to how far the profile's margin clears `entry_hurdle`. Every rate is assumed:
the literature gives directions (learned friendly fraud; low-quality sellers leaving
faster under protection, Hui et al.; strategic sellers drawn in, Cai et al.) and few sizes.
"""

from __future__ import annotations

from sim.world.params import Params, duration, fraction, param


class BuyerLearning(Params):
    """How buyers' chances of a false claim follow their own and others' outcomes."""

    ceiling: float = fraction(
        0.2, "The highest chance of a false claim learning can bring a buyer to (assumed)."
    )
    success: float = param(
        0.5,
        "Log-odds a buyer's chance of a false claim gains with each of its own paid false "
        "claims (friendly fraud as learned behaviour; assumed size).",
        ge=0.0,
        le=10.0,
    )
    failure: float = param(
        1.5,
        "Log-odds it loses with each of its own unpaid false claims, or on being put under "
        "abuse review (S4) (assumed: three successes' worth, see the module).",
        ge=0.0,
        le=10.0,
    )
    word_of_mouth: float = param(
        20.0, "Other buyers who hear of each false claim's outcome (assumed).", ge=0.0, le=1e4
    )
    heard_weight: float = fraction(0.05, "What a heard outcome weighs against one's own (assumed).")
    churn_after_loss: float = fraction(
        0.3,
        "A buyer refused on a real problem buys this share less from then on (assumed).",
    )


class SellerLearning(Params):
    """How sellers' answers, exits and entries follow the team's rulings and their margins."""

    answer_learning: float = fraction(
        0.05,
        "After a team ruling against it, a seller's chance of agreeing to a dispute moves "
        "this share of the way to 1; after one for it, this share toward 0 (assumed).",
    )
    every_days: int = param(7, "Days between the sellers' exit and entry decisions.", ge=1, le=365)
    margin_window_days: float = duration(
        90.0, "Days of orders a seller's margin is taken over.", low=1.0
    )
    exit_below: float = param(
        0.0,
        "A seller leaves when its margin (what it keeps after refunds, fees and the goods "
        "it shipped, as a share of its sales) falls below this (assumed: when it loses money).",
        ge=-1.0,
        le=1.0,
    )
    exit_min_orders: int = param(
        20, "Orders in the window a seller needs before it decides to leave.", ge=1, le=10**6
    )
    entry_rate: float = param(
        0.5,
        "New sellers of a profile a year, per active seller of it, per unit of the "
        "profile's margin above the hurdle (assumed).",
        ge=0.0,
        le=100.0,
    )
    entry_hurdle: float = fraction(
        0.1, "The margin a profile must clear before new sellers of it enter (assumed)."
    )
    reserve: float = param(
        0.5,
        "Sellers who may enter, as a share of those at the start: drawn before the first "
        "order from their own stream; entries stop once it is used up (run says so).",
        ge=0.0,
        le=10.0,
    )


class Adaptation(Params):
    """Behaviour that responds to the policy (off: behaviour is fixed, as without it)."""

    enabled: bool = param(False, "Whether buyers learn and sellers adapt, enter and leave.")
    buyers: BuyerLearning = param(BuyerLearning(), "How buyers learn.")
    sellers: SellerLearning = param(SellerLearning(), "How sellers adapt, enter and leave.")
