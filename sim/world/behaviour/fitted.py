"""Behaviour fitted from a platform's own log: delays given as a distribution of a named
family, beside the profiles (`disputesim fit` writes them; docs/model.md, "Your own log").

A profile gives each delay as a log-normal median and spread. A fitted scenario may give a
delay instead as the distribution the log showed (`[fitted.delays.NAME]`: a family, its
shape and scale in days), fitted with the policy's deadlines as censoring. Every engine
draws it from the very normal deviate the profile's log-normal would have used, so a
scenario with no fitted delay draws exactly as before, and two policies compared on one
seed still see the same orders.

A log shows one policy. How a fitted actor's timing moves when the deadline it raced moves
cannot be learnt from it: `timing = "fixed"` keeps the fitted days whatever the policy;
`"scaling"` stretches them with the deadline (`lever`, whose value in the log was
`lever_days`), as the seller profiles assume of answers today.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from sim.world.params import Params, param

FAMILIES = ("exponential", "weibull", "lognormal", "gamma", "loglogistic")
Family = Literal["exponential", "weibull", "lognormal", "gamma", "loglogistic"]

DELAYS: dict[str, str] = {
    "handling": "payment to shipment (the seller; L1, L4)",
    "transit": "shipment to the parcel's arrival (the carrier; L5-L8)",
    "transit_share": "shipment to the parcel's arrival, as a share of the delivery time the "
    "carrier promised (L5-L8; instead of transit, where the log says what was promised)",
    "customs": "a customs hold (the carrier; L7)",
    "patience": "the promised delivery to a claim on a parcel that has not come (the buyer; D1)",
    "notice": "delivery to a claim on the goods (the buyer; D1)",
    "cancel": "payment to a cancellation request, for a buyer who cancels (L2)",
    "cancel_answer": "a cancellation request to the seller's acceptance (L2)",
    "answer": "a dispute to the seller's answer (D7, D8)",
    "escalation": "the moment the buyer wants to escalate by hand, from the dispute (D9, D10)",
    "return": "an agreed return to its shipment (the buyer; D11)",
    "return_confirmation": "a return's shipment to the seller's confirmation (D11)",
    "confirm": "delivery to the buyer's confirmation, for a buyer who confirms (L11)",
    "collect": "a parcel at the post office to its collection, for a buyer who collects (L8)",
    "review": "a case officer's review, from its pick-up (the case team; E1, E4)",
    "reply": "the team's evidence request to the party's reply (E1, E2)",
}
"""The delays a scenario may give as fitted distributions, and what each measures."""


FIT = "`disputesim fit`: the platform's own log"

KNOT_LEVELS = tuple(round(0.05 * k, 2) for k in range(1, 20))
"""The shares of the actors who act by each of a delay's knots: 5%, 10%, ..., 95%."""


class Delay(Params):
    """One delay's distribution in days: `family` with its `shape` (none for the
    exponential; the log-spread sigma for the log-normal) and `scale` (the exponential's
    mean, the log-normal's and log-logistic's median, the Weibull's and gamma's scale).

    With `knots`, the delay is the log's own curve where the log shows it and the family
    only beyond: knot k is the time by which `KNOT_LEVELS[k]` of the actors have acted
    (read from the Kaplan-Meier curve, so whatever the shape of the times the log saw);
    past the last knot the family's tail continues it, and below the first the family
    scaled to meet it."""

    family: Family = param("lognormal", "The distribution's family.", source=FIT)
    shape: float = param(
        1.0, "Shape (ignored for the exponential).", source=FIT, gt=0.0, le=1_000.0
    )
    scale: float = param(1.0, "Scale, in days.", source=FIT, gt=0.0, le=100_000.0)
    lever: str | None = param(
        None,
        "The policy lever whose deadline raced this delay in the log (None: none did).",
        source=FIT,
    )
    lever_days: float | None = param(
        None,
        "That lever's value under the log's policy (for timing = 'scaling').",
        source=FIT,
        ge=0.0,
    )
    knots: tuple[float, ...] = param(
        (),
        "Days by which 5%, 10%, ... of the actors have acted, as far as the log shows "
        "(none: the family throughout).",
        source=FIT,
    )
    levels: tuple[float, ...] = param(
        (),
        "The share of the actors who have acted by each knot (none: 5%, 10%, ... in turn); "
        "a fit adds the share by the deadline the actor raced, so that the world keeps it.",
        source=FIT,
    )

    @property
    def knot_levels(self) -> tuple[float, ...]:
        """The share of the actors by each knot."""
        return self.levels or KNOT_LEVELS[: len(self.knots)]

    @model_validator(mode="after")
    def _knots_rise(self) -> Delay:
        if len(self.knots) > len(KNOT_LEVELS) and not self.levels:
            raise ValueError(f"at most {len(KNOT_LEVELS)} knots (5% to 95%) without levels")
        if self.levels and len(self.levels) != len(self.knots):
            raise ValueError("levels and knots go together, one level a knot")
        if any(not 0.0 < p < 1.0 for p in self.levels) or any(
            b <= a for a, b in zip(self.levels, self.levels[1:], strict=False)
        ):
            raise ValueError("levels must rise between 0 and 1")
        if any(k <= 0 for k in self.knots) or any(
            b < a for a, b in zip(self.knots, self.knots[1:], strict=False)
        ):
            raise ValueError("knots must be positive days that never decrease")
        return self

    @model_validator(mode="after")
    def _a_lever_has_its_days(self) -> Delay:
        if (self.lever is None) != (self.lever_days is None):
            raise ValueError("lever and lever_days go together")
        return self


class Fitted(Params):
    """What a fit from a platform's log gives the world beside its profiles."""

    source: str = param(
        "", "Where the numbers come from (the log, its cases, its censoring).", source=FIT
    )
    timing: Literal["fixed", "scaling"] = param(
        "fixed",
        "How a fitted delay moves when the deadline it raced moves: fixed in days, or "
        "scaling with the deadline (an assumption: one log shows one policy).",
    )
    delays: dict[str, Delay] = param(
        {}, "Fitted delays by name (sim.world.behaviour.fitted.DELAYS)."
    )

    def stretch(self, name: str, policy: object) -> float:
        """How much the delay `name` is stretched under `policy`: 1 with fixed timing or
        no deadline raced; the deadline's ratio to the log's with scaling timing."""
        delay = self.delays[name]
        if self.timing == "fixed" or delay.lever is None or not delay.lever_days:
            return 1.0
        return float(getattr(policy, delay.lever)) / delay.lever_days

    @model_validator(mode="after")
    def _known_delays(self) -> Fitted:
        unknown = sorted({key for key in self.delays if key.split(":")[0] not in DELAYS})
        if unknown:
            raise ValueError(f"unknown delay {unknown[0]!r} (expected one of: {', '.join(DELAYS)})")
        return self
