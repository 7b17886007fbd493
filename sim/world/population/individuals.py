"""The sellers and buyers of a population, as columns indexed by id.

A seller's or buyer's state is one entry in each of a few numpy arrays (its profile, size,
own traits, standing, ...), so a million buyers cost megabytes, not objects. The pools are
drawn once, from the run's `population` stream, before the first order; nothing in them
depends on the policy, so two policies on one seed meet the same sellers and buyers.

`People.choose` picks the seller and buyer of each new order: a buyer by purchase
frequency, a seller by size, score and standing (as the last evaluation left them, see
`sim.world.population.monitor`). An order keeps the standing it was placed under (S2-S4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from machine.standards import Standing
from sim.errors import UserError
from sim.world.population.settings import VARYING_BUYER_TRAITS, VARYING_SELLER_TRAITS, Population
from sim.world.population.weighted import WeightedPick, thinned

if TYPE_CHECKING:
    from sim.world.scenario import Scenario
    from sim.world.window import Window


def _sizes(gen: np.random.Generator, n: int, spread: float) -> np.ndarray:
    """Heavy-tailed sizes (log-normal), each seller's or buyer's relative weight."""
    return np.exp(spread * gen.standard_normal(n))


def _around(gen: np.random.Generator, mean: np.ndarray, concentration: float) -> np.ndarray:
    """Each individual's own chance, Beta around its profile's `mean` (exact at 0 and 1)."""
    inside = (mean > 0.0) & (mean < 1.0)
    m = np.where(inside, mean, 0.5)
    drawn = gen.beta(m * concentration, (1.0 - m) * concentration)
    return np.where(inside, drawn, mean)


def _shares_within(profile: np.ndarray, size: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Each one's share of all orders: its profile's share, split in proportion to size."""
    totals = np.bincount(profile, weights=size, minlength=len(shares))
    return shares[profile] * size / totals[profile]


class SellerPool:
    """Every seller's profile, size, own traits, entry day and standing; with adaptation,
    also a reserve of sellers who may enter later and the day each seller left."""

    def __init__(
        self,
        scenario: Scenario,
        window: Window,
        gen: np.random.Generator,
        reserve_gen: np.random.Generator | None = None,
    ) -> None:
        population = scenario.population
        profiles = scenario.sellers
        names = [p.name for p in profiles]
        shares = np.array([p.share for p in profiles])
        n0 = population.sellers
        profile = gen.choice(len(profiles), size=n0, p=shares)
        size = _sizes(gen, n0, population.seller_size_spread)
        base = _shares_within(profile, size, shares)
        enters = np.zeros(n0)
        for cohort in population.cohorts:
            code = names.index(cohort.profile)
            grown = _sizes(gen, cohort.sellers, population.seller_size_spread)
            profile = np.concatenate((profile, np.full(cohort.sellers, code)))
            base = np.concatenate((base, cohort.share * grown / grown.sum()))
            enters = np.concatenate(
                (enters, np.full(cohort.sellers, float(window.first_day + cohort.enters_day)))
            )
        traits = self._traits(scenario, gen, profile)
        if reserve_gen is not None:  # who may enter later (sim.world.population.learning)
            extra, typical = self._reserve(scenario, profile[:n0], size, reserve_gen)
            more = self._traits(scenario, reserve_gen, extra)
            traits = {f: np.concatenate((traits[f], more[f])) for f in traits}
            profile = np.concatenate((profile, extra))
            base = np.concatenate((base, typical))
            enters = np.concatenate((enters, np.full(len(extra), np.inf)))
        self.size = len(profile)
        self.profile = profile.astype(np.int8)
        self.base = base
        self.enters = np.maximum(enters, 0.0)
        self.honest = np.array([p.honest for p in profiles])[self.profile]
        self.traits = traits
        self.standing = np.zeros(self.size, dtype=np.int8)
        self.flagged_at = np.full(self.size, np.nan)
        self.suspended_at = np.full(self.size, np.nan)
        self.left_at = np.full(self.size, np.nan)
        self.lost_orders = np.zeros(self.size)

    @staticmethod
    def _reserve(
        scenario: Scenario, profile: np.ndarray, size: np.ndarray, gen: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """The reserve's profiles (`reserve` of each profile's sellers at the start) and
        base weights: each enters as a typical seller of its profile would, adding to the
        profile's share of orders."""
        population, n = scenario.population, len(scenario.sellers)
        shares = np.array([p.share for p in scenario.sellers])
        wanted = np.ceil(np.bincount(profile, minlength=n) * population.adaptation.sellers.reserve)
        extra = np.repeat(np.arange(n), wanted.astype(np.int64))
        grown = _sizes(gen, len(extra), population.seller_size_spread)
        totals = np.bincount(profile, weights=size, minlength=n)
        return extra, shares[extra] * grown / np.where(totals[extra] > 0, totals[extra], 1.0)

    @staticmethod
    def _traits(
        scenario: Scenario, gen: np.random.Generator, profile: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Each seller's own chances; rejections and counter-offers keep their profile's
        proportions of what agreement leaves."""
        population = scenario.population
        c = population.trait_concentration
        agrees = population.agrees_concentration
        profiles = scenario.sellers
        mean = {f: np.array([getattr(p, f) for p in profiles])[profile] for f in (
            *VARYING_SELLER_TRAITS, "rejects", "counter_offers")}  # fmt: skip
        traits = {
            f: _around(gen, mean[f], agrees if f == "agrees" and agrees else c)
            for f in VARYING_SELLER_TRAITS
        }
        left = 1.0 - mean["agrees"]
        scale = np.where(left > 0, (1.0 - traits["agrees"]) / np.where(left > 0, left, 1.0), 0.0)
        traits["rejects"] = mean["rejects"] * scale
        traits["counter_offers"] = mean["counter_offers"] * scale
        return traits

    def present(self, day: float) -> np.ndarray:
        """The sellers able to take orders on `day`: entered, not suspended, not gone."""
        return (self.enters <= day) & (self.standing != Standing.SUSPENDED) & np.isnan(self.left_at)

    def leave(self, ids: np.ndarray, day: float) -> None:
        """These sellers leave the marketplace for good."""
        self.left_at[ids] = day

    def enter_from_reserve(self, profile: int, count: int, day: float) -> int:
        """Up to `count` reserve sellers of `profile` enter on `day`; how many did."""
        waiting = np.flatnonzero((self.profile == profile) & np.isinf(self.enters))[:count]
        self.enters[waiting] = day
        return len(waiting)

    def weights(
        self,
        day: float,
        exposure: float,
        score: np.ndarray,
        weight: float,
        *,
        standing: bool = True,
    ) -> np.ndarray:
        """Each seller's weight for the new orders of `day`: entered, by size and score
        (F1), and (with `standing`) none when suspended (S3), less when restricted (S2)."""
        w = np.where((self.enters <= day) & np.isnan(self.left_at), self.base, 0.0)
        if standing:
            w = np.where(self.standing == Standing.SUSPENDED, 0.0, w)
            w = np.where(self.standing == Standing.RESTRICTED, w * exposure, w)
        return w * score**weight if weight else w


class BuyerPool:
    """Every buyer's profile, purchase frequency, own traits and review status."""

    def __init__(self, scenario: Scenario, gen: np.random.Generator) -> None:
        population = scenario.population
        profiles = scenario.buyers
        shares = np.array([p.share for p in profiles])
        n = population.buyers
        self.profile = gen.choice(len(profiles), size=n, p=shares).astype(np.int8)
        frequency = _sizes(gen, n, population.buyer_frequency_spread)
        self.weight = _shares_within(self.profile.astype(np.int64), frequency, shares)
        self.picker = WeightedPick(self.weight)
        self.traits = {
            f: _around(gen, np.array([getattr(p, f) for p in profiles])[self.profile],
                       population.trait_concentration)
            for f in VARYING_BUYER_TRAITS
        }  # fmt: skip
        self.under_review = np.zeros(n, dtype=bool)

    def reweigh(self) -> None:
        """The purchase frequencies changed (churn): new orders follow the new ones."""
        self.picker = WeightedPick(self.weight)

    def choose(self, u: np.ndarray) -> np.ndarray:
        """The buyer of each order (uniforms `u`), by purchase frequency."""
        return self.picker.draw(u)


class People:
    """A population's sellers and buyers, and how new orders find them."""

    def __init__(
        self,
        scenario: Scenario,
        window: Window,
        gen: np.random.Generator,
        reserve_gen: np.random.Generator | None = None,
    ) -> None:
        """`reserve_gen`: with adaptation, the stream the sellers who may enter later are
        drawn from (so the others are the same with adaptation on or off)."""
        self.population: Population = scenario.population
        self.gen = gen
        self.sellers = SellerPool(scenario, window, gen, reserve_gen)
        self.buyers = BuyerPool(scenario, gen)
        self._weights = self.sellers.base
        self._picker = WeightedPick(self.sellers.base)  # the free weights, no standard's
        self._keep: np.ndarray | None = None  # each seller's chance to keep an order drawn
        self._fakes = np.zeros(self.sellers.size, dtype=np.int64)  # fake numbers given so far

    def set_weights(self, weights: np.ndarray, free: np.ndarray | None = None) -> None:
        """The sellers' weights for the orders to come (after an evaluation); `free`: the
        same without the standards' restrictions (default: `weights`). Orders are drawn
        from the free weights and kept with chance `weights / free`, drawn again where
        refused (`weighted.thinned`): a restricted seller's lost orders go to others, and
        no other order changes seller."""
        free = weights if free is None else free
        self._weights = weights
        self._picker = WeightedPick(free)
        restricted = weights < free
        self._keep = None
        if restricted.any():
            self._keep = np.divide(weights, free, out=np.zeros_like(weights), where=free > 0)

    def share(self) -> np.ndarray:
        """Each seller's chance of the next order."""
        total = float(self._weights.sum())
        return self._weights / total if total > 0 else np.zeros_like(self._weights)

    def choose(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The seller and buyer ids of the next `n` orders (two uniforms each)."""
        u_seller, u_buyer = self.gen.random(n), self.gen.random(n)
        if not (self._weights > 0).any():
            raise NoSellerLeftError(
                "every seller is suspended or yet to enter, so no order can be placed: "
                "loosen the standard (policy.suspend_above) or add sellers (population.sellers)"
            )
        return thinned(self._picker, self._keep, u_seller), self.buyers.choose(u_buyer)

    def columns(self, n: int, seller: np.ndarray, buyer: np.ndarray) -> dict[str, np.ndarray]:
        """The facts a population adds to each order: who, their standing when it was
        placed, and the buyer's later feedback draws (F1)."""
        gen, feedback = self.gen, self.population.feedback
        return {
            "seller_id": seller,
            "buyer_id": buyer,
            "standing": self.sellers.standing[seller],
            "under_review": self.buyers.under_review[buyer],
            "feedback_u": gen.random(n),
            "sentiment_u": gen.random(n),
            "feedback_delay": feedback.delay_median_days
            * np.exp(feedback.delay_spread * gen.standard_normal(n)),
        }

    def reused_tracking(self, seller: np.ndarray, fake: np.ndarray) -> np.ndarray:
        """For each order with a fake tracking number, the seller whose one number it
        reuses, if the seller gave it to an earlier order (F2); -1 otherwise."""
        reused = np.full(len(seller), -1, dtype=np.int64)
        rows = np.flatnonzero(fake)
        if not len(rows):
            return reused
        ids = seller[rows]
        _, first = np.unique(ids, return_index=True)
        again = np.ones(len(ids), dtype=bool)
        again[first] = False  # a seller's first fake number in the block is new...
        earlier = again | (self._fakes[ids] > 0)  # ...unless it gave one before
        reused[rows[earlier]] = ids[earlier]
        self._fakes += np.bincount(ids, minlength=len(self._fakes))
        return reused


class NoSellerLeftError(UserError):
    """The marketplace has no seller left to take an order."""


def anonymous_columns(n: int) -> dict[str, np.ndarray]:
    """The same facts without a population: nobody has an id, a standing or a review."""
    none = np.full(n, -1, dtype=np.int64)
    return {
        "seller_id": none,
        "buyer_id": none,
        "standing": np.zeros(n, dtype=np.int8),
        "under_review": np.zeros(n, dtype=bool),
        "feedback_u": np.ones(n),
        "sentiment_u": np.ones(n),
        "feedback_delay": np.zeros(n),
    }
