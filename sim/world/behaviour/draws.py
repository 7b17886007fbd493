"""What really happens to each order, drawn when the order is created.

One `numpy.random.SeedSequence` per run is spawned into one stream per actor (market,
seller, buyer, carrier, team, bank). Orders are drawn in blocks of `BLOCK` rows, each
attribute as one vectorised draw, in order of creation. Nothing drawn here depends on the
policy, so two policies run with the same seed see the same orders, sellers, parcels and
decisions (common random numbers), and the world never draws again later.

A block is drawn in two stages: `draw_block` draws what every order needs up to its
delivery; `sim.world.behaviour.dispute_facts` then draws the facts of a cancellation or a dispute
for the orders whose first facts leave room for one (a tenth of them or so), so most
orders never pay for the 56 columns only a dispute reads.
"""

from __future__ import annotations

import numpy as np

from machine.standards import Standing
from sim.world.behaviour.distributions import from_normal
from sim.world.behaviour.fact_columns import Block, FactColumns
from sim.world.behaviour.facts import DISPUTE_FACTS, FACT_NAMES
from sim.world.population.individuals import People, anonymous_columns
from sim.world.scenario import Scenario

BLOCK = 8_192
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


def streams(seed: np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """One independent generator per actor, spawned from the run's seed sequence."""
    return {
        name: np.random.Generator(np.random.PCG64(child))
        for name, child in zip(STREAMS, seed.spawn(len(STREAMS)), strict=True)
    }


def _column(profiles: tuple, field: str, kind: np.ndarray) -> np.ndarray:
    """A profile field for every row, by each row's profile index."""
    return _profile_values(profiles, field)[kind]


_PROFILE_VALUES: dict[tuple[int, str], tuple[tuple, np.ndarray]] = {}
"""Each profile field's values by profile, built once a scenario rather than once a block
(a run draws hundreds of blocks): keyed by the profiles' tuple, which the entry holds, so
its id stays its own; the profiles are frozen."""


def _profile_values(profiles: tuple, field: str) -> np.ndarray:
    key = (id(profiles), field)
    held = _PROFILE_VALUES.get(key)
    if held is None:
        if len(_PROFILE_VALUES) >= 4_096:  # a long session of many scenarios
            _PROFILE_VALUES.clear()
        values = np.array([getattr(profile, field) for profile in profiles], dtype=float)
        values.flags.writeable = False
        held = _PROFILE_VALUES[key] = (profiles, values)
    return held[1]


def chance(gen: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """Whether each row's event of chance `p` happens."""
    return gen.random(p.shape[0]) < p


def lognormal(
    gen: np.random.Generator, median: np.ndarray, sigma: float | np.ndarray
) -> np.ndarray:
    """A log-normal duration per row, of median `median` and log-spread `sigma`."""
    return median * np.exp(sigma * gen.standard_normal(median.shape[0]))


class Durations:
    """A scenario's durations: each the profile's log-normal, or the fitted delay of that
    name (`sim.world.behaviour.fitted`), from one standard normal deviate a row, so that
    either way the same random numbers are drawn. A delay fitted for one profile of a side
    (`NAME:PROFILE`) applies to that profile's rows, before one fitted for all."""

    def __init__(self, scenario: Scenario) -> None:
        self.fitted, self.policy = scenario.fitted, scenario.policy

    def __call__(
        self,
        gen: np.random.Generator,
        name: str,
        median: np.ndarray,
        sigma: float | np.ndarray,
        side: Side | None = None,
    ) -> np.ndarray:
        z = np.asarray(gen.standard_normal(len(median)))
        return self.of(name, median * np.exp(sigma * z), z, side)

    def of(
        self, name: str, profiled: np.ndarray, z: np.ndarray, side: Side | None = None
    ) -> np.ndarray:
        """The fitted delay `name` at the deviates `z`, stretched as the timing says; or,
        where none is fitted, the profile's duration `profiled` drawn from them."""
        delays, drawn = self.fitted.delays, profiled
        if name in delays:
            drawn = from_normal(delays[name], z) * self.fitted.stretch(name, self.policy)
        if side is not None and any(key.startswith(f"{name}:") for key in delays):
            for code, profile in enumerate(side.profiles):
                key = f"{name}:{profile.name}"
                rows = side.kind == code
                if key in delays and rows.any():
                    drawn = np.where(
                        rows,
                        from_normal(delays[key], z) * self.fitted.stretch(key, self.policy),
                        drawn,
                    )
        return drawn


def quality(
    gen: np.random.Generator, mean: np.ndarray, concentration: float, margin: float
) -> np.ndarray:
    """Beta-distributed quality around `mean`, kept `margin` off 0 and 1 (where the Beta
    degenerates: CaseTeam.evidence_mean_margin)."""
    mean = np.clip(mean, margin, 1.0 - margin)
    return gen.beta(mean * concentration, (1.0 - mean) * concentration)


class Side:
    """One side's value of a profile field for each row: the individual's own trait with
    a population (`traits`, by id), else the row's profile's."""

    def __init__(
        self,
        profiles: tuple,
        kind: np.ndarray,
        traits: dict[str, np.ndarray] | None = None,
        ids: np.ndarray | None = None,
    ) -> None:
        self.profiles, self.kind, self.traits, self.ids = profiles, kind, traits, ids

    def __call__(self, field: str) -> np.ndarray:
        if self.traits is not None and field in self.traits:
            return self.traits[field][self.ids]
        return _column(self.profiles, field, self.kind)

    def at(self, rows: np.ndarray) -> Side:
        """The same side for `rows` only."""
        ids = None if self.ids is None else self.ids[rows]
        return Side(self.profiles, self.kind[rows], self.traits, ids)


def sides(scenario: Scenario, columns: dict[str, np.ndarray], people: People | None
          ) -> tuple[Side, Side, Side]:  # fmt: skip
    """The sellers', the buyers' and the carriers' fields of a block's rows."""
    seller_traits = people.sellers.traits if people is not None else None
    buyer_traits = people.buyers.traits if people is not None else None
    return (
        Side(scenario.sellers, columns["seller"], seller_traits, columns["seller_id"]),
        Side(scenario.buyers, columns["buyer"], buyer_traits, columns["buyer_id"]),
        Side(scenario.market.carriers, columns["carrier"]),
    )


def draw_block(
    scenario: Scenario,
    gens: dict[str, np.random.Generator],
    n: int,
    people: People | None = None,
) -> Block:
    """Draw what will happen to the next `n` orders up to their delivery (with `people`,
    each from one seller and one buyer of the population, whose own traits it draws by).

    The facts only a cancellation or a dispute reads (`DISPUTE_FACTS`) are left for
    `sim.world.behaviour.dispute_facts.draw_dispute_facts`, which draws them for the orders that
    may have one: most orders never do.
    """
    market = scenario.market
    carriers = market.carriers
    g = gens
    cols: dict[str, np.ndarray] = {}

    # Market: who sells, who buys, how it ships, what it costs
    if people is None:
        seller = g["market"].choice(len(scenario.sellers), size=n,
                                    p=[s.share for s in scenario.sellers])  # fmt: skip
        buyer = g["market"].choice(len(scenario.buyers), size=n,
                                   p=[b.share for b in scenario.buyers])  # fmt: skip
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
    cols.update(extra)
    sc, bc, cc = sides(scenario, cols, people)
    cols["promised"] = cc("promised_days")

    # Seller (L4, L7): whether and when it ships, and what
    gs = g["seller"]
    cols["ships"] = chance(gs, sc("ships"))
    cols["fake_tracking"] = chance(gs, sc("fake_tracking"))
    durations = Durations(scenario)
    cols["handling"] = durations(gs, "handling", sc("handling_median_days"), sc("delay_spread"))
    cols["not_as_described"] = chance(gs, sc("not_as_described"))

    # Carrier (L5-L8)
    gc = g["carrier"]
    z = np.asarray(gc.standard_normal(n))  # one deviate a parcel, however its transit is given
    transit = durations.of(
        "transit", cc("transit_median_days") * np.exp(cc("transit_spread") * z), z, cc
    )
    if any(key.split(":")[0] == "transit_share" for key in scenario.fitted.delays):
        shared = durations.of("transit_share", transit / cols["promised"], z, cc)  # of the promise
        transit = shared * cols["promised"]
    cols["transit"] = transit
    cols["customs_at_share"] = cc("customs_at_share")
    cols["lost_declared_after"] = cc("lost_declared_after")
    lag_lo, lag_hi = cc("tracking_lag_min_days"), cc("tracking_lag_max_days")
    cols["tracking_lag"] = lag_lo + (lag_hi - lag_lo) * gc.random(n)
    cols["loss_u"] = gc.random(n)  # compared with the loss rate of the shipping season
    cols["loss_rate"] = cc("loss_rate")
    cols["declared_lost"] = chance(gc, cc("declared_lost_share"))
    cols["customs"] = chance(gc, cc("customs_rate"))
    cols["customs_days"] = durations(gc, "customs", cc("customs_median_days"),
                                     cc("customs_spread"), cc)  # fmt: skip
    cols["post_office"] = chance(gc, cc("post_office_rate"))
    cols["damaged"] = chance(gc, cc("damage_rate"))

    # Buyer (L2, L8, L11, D1): whether they cancel or claim, and how they take delivery
    gb = g["buyer"]
    spread = bc("delay_spread")
    cols["cancels"] = chance(gb, bc("cancels"))
    patience = np.maximum(bc("patience_days"), bc("min_patience_days"))
    cols["patience"] = durations(gb, "patience", patience, spread)
    cols["misses_window"] = chance(gb, bc("misses_window"))
    cols["false_claim"] = chance(gb, bc("false_claim"))
    cols["confirms"] = chance(gb, bc("confirms_receipt"))
    cols["confirm_delay"] = durations(gb, "confirm", bc("confirm_median_days"), spread)
    cols["collects"] = chance(gb, bc("collects_parcel"))
    cols["collect_delay"] = durations(gb, "collect", bc("collect_median_days"), spread)

    # Bank (P1): a policy-free uniform
    cols["bank_u"] = g["bank"].random(n)

    # Population: a fraudulent seller's one reused number (F2), a restricted seller's costs
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
    # the dispute facts are drawn later, for the orders that need them
    assert set(cols) | set(DISPUTE_FACTS) == set(FACT_NAMES), "draw_block and FACT_NAMES disagree"
    return Block(FactColumns(cols, n))
