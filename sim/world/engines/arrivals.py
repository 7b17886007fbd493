"""The orders of a run, arriving in blocks in order of payment: their drawn facts, payment
times and ground truths.

Each block draws its facts, then its gaps between payments (a Poisson process whose rate is
higher in the sales season, and moves with the day of the week where the market says so):
the same draws, in the same order, for every engine. With a population, orders come a day
at a time, each day after a `Tick` at which the engine brings the world to the day's
start, since who sells a new order depends on the days before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.world.behaviour.dispute_facts import draw_dispute_facts, may_dispute
from sim.world.behaviour.draws import BLOCK, draw_block
from sim.world.behaviour.fact_columns import Block
from sim.world.behaviour.worldorder import WorldOrder
from sim.world.population.individuals import NoSellerLeftError, People
from sim.world.records.truth import Truth

if TYPE_CHECKING:  # the world reads a scenario; it never loads one
    from sim.world.market import Market
    from sim.world.population.learning import Learner
    from sim.world.scenario import Scenario
    from sim.world.window import Window

TRUTH_OF_CODE = tuple(Truth)
MAX_ORDERS = 10**12  # no cap on the count: the window's end stops arrivals
SEASON_DAYS = 11 * 366  # the calendar the season flags cover (a run's arrivals and drain)


@dataclass(frozen=True)
class Tick:
    """The start of a day of a marketplace with a population: before its orders are
    placed, every event of the days before has happened and the day is evaluated."""

    day: int
    last: bool = False  # the day after the last orders (the window's end)


@dataclass(frozen=True)
class Arrivals:
    """A block of orders: their drawn facts, payment times and truths. A block as drawn
    holds consecutive orders from `first_id` on; one gathered from several blocks (rows
    set aside, `sim.world.engines.aside`) names each row's order in `ids`."""

    block: Block
    first_id: int
    created: np.ndarray  # day of payment of each row (may be fewer rows than the block)
    truth: np.ndarray  # Truth codes
    measured: np.ndarray  # whether each was paid in the measured window
    disputable: np.ndarray  # whether each had its dispute facts drawn (`may_dispute`)
    ids: np.ndarray | None = None  # each row's order id, if not `first_id` on

    @property
    def size(self) -> int:
        return len(self.created)

    def ids_of(self, rows: np.ndarray) -> np.ndarray:
        """The order ids of the block's `rows`."""
        return self.first_id + rows if self.ids is None else self.ids[rows]

    def taken(self, rows: np.ndarray) -> Arrivals:
        """The block's `rows` alone, as a block of their own."""
        columns = self.block.columns.picked(rows)
        return Arrivals(Block(columns), -1, self.created[rows], self.truth[rows],
                        self.measured[rows], self.disputable[rows], self.ids_of(rows))  # fmt: skip

    @staticmethod
    def joined(parts: list[Arrivals]) -> Arrivals:
        """Several blocks as one, row after row."""
        if len(parts) == 1:
            return parts[0]
        names = parts[0].block.columns
        columns = {name: np.concatenate([p.block.columns[name] for p in parts]) for name in names}
        every = {field: np.concatenate([getattr(p, field) for p in parts])
                 for field in ("created", "truth", "measured", "disputable")}  # fmt: skip
        ids = np.concatenate([p.ids_of(np.arange(p.size)) for p in parts])
        return Arrivals(Block(columns), -1, ids=ids, **every)

    def orders(self, rows: np.ndarray | None = None) -> list[WorldOrder]:
        """World orders for the given rows of the block (default: every row that arrived)."""
        if rows is None:
            rows = np.arange(self.size)
        facts = self.block.rows(rows)
        created, truth = self.created[rows].tolist(), self.truth[rows].tolist()
        ids = self.ids_of(rows).tolist()
        return [
            WorldOrder(order_id, fact, paid_at, TRUTH_OF_CODE[code])
            for order_id, fact, paid_at, code in zip(ids, facts, created, truth, strict=True)
        ]


class Season:
    """Which days of a run fall in the market's sales season, counted from its epoch."""

    def __init__(self, market: Market, epoch: dt.date, days: int = SEASON_DAYS) -> None:
        self.flags = np.array([market.in_peak(epoch + dt.timedelta(days=d)) for d in range(days)])
        self._listed = self.flags.tolist()

    def in_peak(self, time: float) -> bool:
        """Whether day `time` falls in the sales season."""
        day = int(time)
        return self._listed[day] if day < len(self._listed) else False

    def in_peak_days(self, times: np.ndarray) -> np.ndarray:
        """`in_peak` for an array of times."""
        days = times.astype(np.int64)
        inside = days < len(self.flags)
        return inside & self.flags[np.minimum(days, len(self.flags) - 1)]


class OrderStream:
    """The orders of one run in blocks, in order of payment, until the count or the
    window's end (iterate it once): each block's drawn facts, payment times and truths,
    and with a population a `Tick` at each day's start."""

    def __init__(
        self,
        scenario: Scenario,
        gens: dict[str, np.random.Generator],
        window: Window,
        season: Season,
        count: int = MAX_ORDERS,
        people: People | None = None,
        learner: Learner | None = None,
    ) -> None:
        """`count`: how many orders at most; `people` and `learner`: the population who
        sells and buys them, and the buyers' demand as they learn."""
        self.scenario, self.gens, self.window, self.season = scenario, gens, window, season
        self.count, self.people, self.learner = count, people, learner
        weekly = np.array(scenario.market.weekday_factors)
        self.weekly = None if (weekly == 1.0).all() else weekly

    def __iter__(self) -> Iterator[Arrivals | Tick]:
        if self.people is not None:
            yield from self._by_day(self.people)
            return
        market = self.scenario.market
        rate, peak = market.orders_per_day, market.peak_factor
        horizon = self.window.end_day  # arrivals stop with the window; the drain follows
        created, now = 0, 0.0
        while created < self.count:
            size = min(BLOCK, self.count - created)
            block = draw_block(self.scenario, self.gens, size)
            gaps = self.gens["market"].standard_exponential(size)
            paid, stopped = self._payment_times(gaps, now, rate, peak, horizon)
            yield self._arrived(block, created, paid)
            created += len(paid)
            if stopped or not len(paid):
                return
            now = float(paid[-1])

    def _by_day(self, people: People) -> Iterator[Arrivals | Tick]:
        """Arrivals a day at a time: payment times first (in blocks, as without a
        population), then, at the day's start, the facts of the day's orders."""
        market = self.scenario.market
        rate, peak = market.orders_per_day, market.peak_factor
        horizon = self.window.end_day
        created, day, stopped, last_paid = 0, 0, False, 0.0
        pending = np.empty(0)
        while True:
            yield Tick(day)
            end = day + 1
            while not stopped and (not len(pending) or pending[-1] < end):
                gaps = self.gens["market"].standard_exponential(BLOCK)
                now = float(pending[-1]) if len(pending) else last_paid
                times, stopped = self._payment_times(gaps, now, rate, peak, horizon)
                stopped = stopped or not len(times)
                pending = np.concatenate((pending, times))
                if len(times):
                    last_paid = float(times[-1])
            today = int(np.searchsorted(pending, end, side="left"))
            paid_today, pending = pending[:today], pending[today:]
            if self.learner is not None and self.learner.demand() < 1.0:  # buyers who churned
                kept = self.gens["adaptation"].random(len(paid_today)) < self.learner.demand()
                paid_today = paid_today[kept]
            today = min(len(paid_today), self.count - created)
            paid_today = paid_today[:today]
            for start in range(0, today, BLOCK):
                paid = paid_today[start : start + BLOCK]
                try:
                    block = draw_block(self.scenario, self.gens, len(paid), people)
                except NoSellerLeftError as err:
                    raise NoSellerLeftError(f"{self.scenario.name}: day {day}: {err}") from None
                yield self._arrived(block, created, paid)
                created += len(paid)
            day = end
            if created >= self.count or (stopped and not len(pending)):
                yield Tick(day, last=True)
                return

    def _arrived(self, block: Block, first_id: int, paid: np.ndarray) -> Arrivals:
        """The block's orders as paid at `paid`: their truths, and the dispute facts of
        those that may meet a cancellation or a dispute (drawn now, in every engine)."""
        truth = self.truths(block, paid)
        disputable = may_dispute(block.columns, truth)
        draw_dispute_facts(self.scenario, self.gens, block, np.flatnonzero(disputable), self.people)
        return Arrivals(block, first_id, paid, truth, paid >= self.window.first_day, disputable)

    def _payment_times(
        self, gaps: np.ndarray, now: float, rate: float, peak: float, horizon: float
    ) -> tuple[np.ndarray, bool]:
        """Each payment `gap / rate` after the one before (the rate of the day the previous
        payment fell on), stopping before the horizon; and whether the horizon stopped it.

        Summed as one loop would (`now = now + wait`): `cumsum` adds in sequence, and a run
        is cut where the previous payment moves into or out of the season.
        """
        runs: list[np.ndarray] = []
        start = 0
        while start < len(gaps):
            if self.weekly is None:
                in_peak = self.season.in_peak(now)
                waits = gaps[start:] / (rate * (peak if in_peak else 1.0))
                times = np.cumsum(np.concatenate(([now], waits)))[1:]
                switched = np.flatnonzero(self.season.in_peak_days(times[:-1]) != in_peak)
            else:  # the rate also moves with the day of the week
                factor = self._factors(np.array([now]), peak)[0]
                waits = gaps[start:] / (rate * factor)
                times = np.cumsum(np.concatenate(([now], waits)))[1:]
                switched = np.flatnonzero(self._factors(times[:-1], peak) != factor)
            times = times[: switched[0] + 1] if len(switched) else times
            late = np.flatnonzero(times > horizon)
            if len(late):
                runs.append(times[: late[0]])
                return np.concatenate(runs), True
            runs.append(times)
            start += len(times)
            now = float(times[-1])
        return (np.concatenate(runs) if runs else np.empty(0)), False

    def _factors(self, times: np.ndarray, peak: float) -> np.ndarray:
        """The arrival rate's multiplier on the days of `times`: the season's, times the
        day of the week's (`Market.weekday_factors`)."""
        assert self.weekly is not None
        days = times.astype(np.int64)
        seasonal = np.where(self.season.in_peak_days(times), peak, 1.0)
        return seasonal * self.weekly[(days + self.window.epoch.weekday()) % 7]

    def truths(self, block: Block, created: np.ndarray) -> np.ndarray:
        """What will really happen to each order, fixed when it is created (Truth codes)."""
        n = len(created)
        c = block.columns
        ships_on = created + c["handling"][:n]
        peak_loss = np.where(
            self.season.in_peak_days(ships_on), self.scenario.market.peak_loss_factor, 1.0
        )
        lost = c["loss_u"][:n] < c["loss_rate"][:n] * peak_loss
        truth = np.select(
            [~c["ships"][:n], c["fake_tracking"][:n], lost, c["damaged"][:n],
             c["not_as_described"][:n]],
            [Truth.NOT_SHIPPED, Truth.FAKE_TRACKING, Truth.LOST, Truth.DAMAGED,
             Truth.NOT_AS_DESCRIBED],
            default=Truth.OK,
        )  # fmt: skip
        return truth.astype(np.int8)
