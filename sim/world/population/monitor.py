"""Seller monitoring: counts by seller and day, rolling windows, standings, abuse review.

Everything a seller standard counts (`machine.standards.COUNTS`) reaches the monitor as
it happens (an order placed, an event fired, feedback left), dated by when it happened.
Engines may learn of an event before its time (the default engine runs an order's private
moves ahead), so a count waits in the bucket of its day and is added only when the world
closes that day. At the start of each day (`close_day`), every count of the days before is
in; the monitor keeps each day's counts, sparse (most sellers do nothing on most days), for
as many days as the longest window needs, and sums a window's days when it is asked.

At the day's start it then evaluates (on the standard's days): the enforced metric sets
each seller's standing (S2, S3), buyers with too many recent claims are put under review
(S4), and the sellers' weights for the day's new orders follow from size, standing and
score (F1). Every `table_every_days`, and on the last day, it writes one row per seller to
the sellers table: each platform's metric as it defines it, its tier, and the standing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np

from machine.standards import COUNT, COUNTS, METRICS, Metric, Standing, enforced, rate, standing
from sim.world.population import feedback as fb
from sim.world.records.recorder import Columns

if TYPE_CHECKING:
    from machine.policy import Policy
    from sim.world.population.individuals import People

SELLER_COLUMNS: dict[str, str] = {
    "day": "d",
    "seller_id": "q",
    "profile": "b",
    "honest": "b",
    "entered_at": "d",
    "active": "b",
    "standing": "b",
    "flagged_at": "d",
    "suspended_at": "d",
    "left_at": "d",
    "orders": "q",
    "orders_30d": "q",
    "score": "d",
    "lost_orders": "d",
    **{name: "d" for name in METRICS},
    **{f"{name}_tier": "b" for name in METRICS},
}
SELLER_SCHEMA: dict[str, str] = {
    "day": "day of the evaluation (days since the run's first day); counts are of the days before",
    "seller_id": "the seller's id",
    "profile": "the seller's profile (code)",
    "honest": "1 if the seller's profile is honest",
    "entered_at": "day the seller entered the marketplace",
    "active": "1 if the seller may take new orders (entered, not suspended)",
    "standing": "standing under the enforced standard (code: good, warned, restricted, suspended)",
    "flagged_at": "day the seller was first warned or worse (NaN: never)",
    "suspended_at": "day the seller was suspended (NaN: never)",
    "left_at": "day the seller left the marketplace for good (NaN: still in it)",
    "orders": "orders placed with the seller so far",
    "orders_30d": "orders placed with the seller in the last 30 days",
    "score": "the seller's public feedback score (F1)",
    "lost_orders": "orders the seller did not get because of its standing, so far (expected)",
    **{name: f"{METRICS[name].title} (NaN: nothing to rate)" for name in METRICS},
    **{f"{name}_tier": f"tier under {METRICS[name].title}'s published thresholds (code)"
       for name in METRICS},
}  # fmt: skip


MOVE = 31  # days a kept window may move on by (`Monitor.sums`)


class Monitor:
    """The counts, windows and standings of one run's sellers and buyers."""

    def __init__(self, people: People, policy: Policy) -> None:
        self.people = people
        self.policy = policy
        self.population = people.population
        self.metric: Metric | None = enforced(policy)
        metrics = [*METRICS.values(), *([self.metric] if self.metric else [])]
        self.ring = (
            MOVE
            + 2
            + max(
                int(max(m.window_days, m.fallback_days)) * (2 if m.lagged else 1) for m in metrics
            )
        )  # days kept: the longest window, and the days a kept window may move on by
        n = people.sellers.size
        self._totals = np.zeros((len(COUNTS), n), dtype=np.int64)
        # each closed day's counts, sparse: flat keys (count * sellers + seller) and sums
        self._days: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        # the last answer for each window (width, lag): its first and end day, and sums
        self._windows: dict[tuple[int, int], tuple[int, int, np.ndarray]] = {}
        # counts of days not yet closed, by day: flat keys (count * sellers + seller)
        self._waiting: dict[int, list[np.ndarray]] = defaultdict(list)
        self._one: list[tuple[float, int, int]] = []  # counts noted one at a time
        self._held: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None  # together
        self._claims: dict[int, list[np.ndarray]] = defaultdict(list)  # by day: buyer ids
        self._one_claims: list[tuple[float, int]] = []
        self._expected = np.zeros(n)  # share of new orders each would have had, freely
        self._shares = np.zeros(n)
        self.table = Columns(SELLER_COLUMNS)
        self.day = -1

    # --- what happens, as it happens --------------------------------------------------

    @contextmanager
    def together(self) -> Iterator[None]:
        """The counts noted inside are added as one: a block path's events, first
        disputes and feedback fall on much the same days, and each addition costs a
        step a day it spans."""
        self._held = []
        try:
            yield
        finally:
            held, self._held = self._held, None
            if held:
                self.count(*(np.concatenate(parts) for parts in zip(*held, strict=True)))

    def count(self, day: np.ndarray, seller: np.ndarray, what: np.ndarray) -> None:
        """Counts of `what` (COUNT codes) for sellers on days (floats: when it happened)."""
        if self._held is not None:
            self._held.append((day, seller, what))
            return
        days = np.floor(day).astype(np.int64)
        if not len(days):
            return
        low, high = int(days.min()), int(days.max())
        if low < self.day:
            raise AssertionError(f"a count for day {low} came after day {self.day} began")
        keys = what * self._totals.shape[1] + seller
        if low == high:  # one day's counts (the orders placed on it, say)
            self._waiting[low].append(keys)
            return
        offset = days - low  # small: sorted by radix, then each day's counts are one slice
        order = np.argsort(offset.astype(np.int16) if high - low < 2**15 else offset, kind="stable")
        days, keys = days[order], keys[order]
        starts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]]).tolist()
        for start, stop in zip(starts, [*starts[1:], len(days)], strict=True):
            self._waiting[int(days[start])].append(keys[start:stop])

    def count_one(self, time: float, seller: int, what: int) -> None:
        """One count, noted as the engine fires it."""
        self._one.append((time, seller, what))

    def claim(self, time: float, buyer: int) -> None:
        """A buyer's claim (a dispute opened), for the abuse review (S4)."""
        self._one_claims.append((time, buyer))

    def claims(self, time: np.ndarray, buyer: np.ndarray) -> None:
        """Many buyers' claims at once (the block paths), by the days they were made."""
        days = np.floor(time).astype(np.int64)
        if len(days) and int(days.min()) < self.day:
            raise AssertionError(f"a claim on day {days.min()} came after day {self.day} began")
        for d in np.unique(days).tolist():
            self._claims[d].append(buyer[days == d].astype(np.int64))

    def feedback(self, time: np.ndarray, seller: np.ndarray, sentiment: np.ndarray) -> None:
        """Feedback left (F1): counted as negative, neutral or positive."""
        given = sentiment >= 0
        codes = np.array([COUNT["negative"], COUNT["neutral"], COUNT["positive"]])
        self.count(time[given], seller[given], codes[sentiment[given]])

    # --- the start of a day -------------------------------------------------------------

    def close_day(self, day: int, orders_yesterday: int, *, last: bool = False) -> None:
        """Add every count of the days before `day`, then evaluate as the policy says
        (`last`: the window's end, which always gets its rows in the sellers table)."""
        self._gather()
        for d in sorted(k for k in self._waiting if k < day):
            flat = np.concatenate(self._waiting.pop(d))
            counted = np.bincount(flat, minlength=self._totals.size)
            keys = np.flatnonzero(counted)
            sums = counted[keys]
            self._days[d] = (keys, sums)
            self._totals.reshape(-1)[keys] += sums
        for d in [d for d in self._days if d < day - self.ring]:
            del self._days[d]
        sellers = self.people.sellers
        if orders_yesterday:
            sellers.lost_orders += orders_yesterday * np.maximum(self._expected - self._shares, 0)
        metric = self.metric
        if metric is not None and day % metric.every_days == 0:
            self._enforce(day, metric)
        if self.policy.buyer_review_claims:
            self._review(day)
        self._set_weights(day)
        if day % self.population.table_every_days == 0 or last:
            self._write_rows(day)
        self.day = day

    def _gather(self) -> None:
        if self._one:
            time, seller, what = (np.array(c) for c in zip(*self._one, strict=True))
            self.count(time, seller.astype(np.int64), what.astype(np.int64))
            self._one = []
        if self._one_claims:
            time, buyer = (np.array(c) for c in zip(*self._one_claims, strict=True))
            self._one_claims = []
            self.claims(time, buyer)

    def sums(self, day: int, days: float, lag: int = 0) -> np.ndarray:
        """Each count's sum by seller over the `days` before `day` (minus `lag` windows).

        A window is kept from one evaluation to the next and moved on: the days it gains
        are added and the days it loses taken away (integer counts: exact), unless it
        moved so far that adding it up again is as cheap, or its lost days are gone."""
        width = round(days)
        end, start = day - lag * width, day - (lag + 1) * width
        held = self._windows.get((width, lag))
        if held is not None and held[0] == start:
            return held[2]
        if held is not None and held[0] <= start < held[0] + width and held[0] >= day - self.ring:
            summed = held[2].reshape(-1).copy()  # the last answer may still be in use
            self._add(summed, held[1], end)
            self._add(summed, held[0], start, sign=-1)
        else:
            summed = np.zeros(self._totals.size, dtype=np.int64)
            self._add(summed, start, end)
        window = summed.reshape(self._totals.shape)
        self._windows[width, lag] = (start, end, window)
        return window

    def _add(self, summed: np.ndarray, first: int, end: int, sign: int = 1) -> None:
        """Add (or take away) the counts of days `first` to `end` (excluded) to `summed`."""
        for d in range(max(first, 0), end):
            if d in self._days:
                keys, counts = self._days[d]
                summed[keys] += sign * counts  # a day's keys are distinct

    def evaluate(self, day: int, metric: Metric) -> tuple[np.ndarray, np.ndarray]:
        """Each seller's metric at `day`, and its tier under the metric's thresholds."""
        window = self.sums(day, metric.window_days)
        before = self.sums(day, metric.window_days, lag=1) if metric.lagged else window
        value, events = rate(metric, window, before)
        orders = window[COUNT["orders"]]
        rated = orders >= metric.min_orders
        if metric.fallback_days and not rated.all():
            longer = self.sums(day, metric.fallback_days)
            long_value, long_events = rate(metric, longer, longer)
            short = ~rated
            value = np.where(short, long_value, value)
            events = np.where(short, long_events, events)
            rated = rated | (longer[COUNT["orders"]] > 0)
        return value, standing(metric, value, events, rated)

    def _enforce(self, day: int, metric: Metric) -> None:
        """The enforced metric sets each entered seller's standing (S2); a suspension is
        for good (S3)."""
        sellers = self.people.sellers
        _, tier = self.evaluate(day, metric)
        present = sellers.present(day)
        sellers.standing = np.where(present, tier, sellers.standing).astype(np.int8)
        new_flag = present & (tier >= Standing.WARNED) & np.isnan(sellers.flagged_at)
        sellers.flagged_at[new_flag] = day
        new_suspension = present & (tier == Standing.SUSPENDED)
        sellers.suspended_at[new_suspension] = day

    def _review(self, day: int) -> None:
        """Buyers with more claims than allowed in the review window are under review (S4)."""
        first = day - round(self.policy.buyer_review_days)
        for d in [d for d in self._claims if d < first]:
            del self._claims[d]
        recent = [ids for d, parts in self._claims.items() if d < day for ids in parts]
        under = self.people.buyers.under_review
        under[:] = False
        if recent:
            ids, counts = np.unique(np.concatenate(recent), return_counts=True)
            under[ids[counts > self.policy.buyer_review_claims]] = True

    def _set_weights(self, day: int) -> None:
        """The sellers' chances of the day's new orders: size, standing, score (F1)."""
        sellers, feedback = self.people.sellers, self.population.feedback
        shown = self.score()
        weight = feedback.score_weight if self.policy.feedback_shown else 0.0
        free = sellers.weights(day, 1.0, shown, weight, standing=False)
        weights = sellers.weights(day, self.policy.restricted_exposure, shown, weight)
        self.people.set_weights(weights, free)
        self._expected = free / free.sum() if free.sum() > 0 else free
        self._shares = weights / weights.sum() if weights.sum() > 0 else weights

    def score(self) -> np.ndarray:
        """Every seller's public score (F1)."""
        totals = self._totals
        return fb.score(
            totals[COUNT["positive"]], totals[COUNT["negative"]], self.population.feedback
        )

    def _write_rows(self, day: int) -> None:
        sellers = self.people.sellers
        entered = sellers.enters <= day
        ids = np.flatnonzero(entered)
        if not len(ids):
            return
        n = len(ids)
        recent = self.sums(day, 30.0)
        columns: dict[str, np.ndarray] = {
            "day": np.full(n, float(day)),
            "seller_id": ids,
            "profile": sellers.profile[ids],
            "honest": sellers.honest[ids],
            "entered_at": sellers.enters[ids],
            "active": sellers.present(day)[ids],
            "standing": sellers.standing[ids],
            "flagged_at": sellers.flagged_at[ids],
            "suspended_at": sellers.suspended_at[ids],
            "left_at": sellers.left_at[ids],
            "orders": self._totals[COUNT["orders"]][ids],
            "orders_30d": recent[COUNT["orders"]][ids],
            "score": self.score()[ids],
            "lost_orders": sellers.lost_orders[ids],
        }
        tiers = {}
        for name, metric in METRICS.items():
            value, tier = self.evaluate(day, metric)
            columns[name] = value[ids]
            tiers[f"{name}_tier"] = tier[ids]
        self.table.extend({**columns, **tiers})
