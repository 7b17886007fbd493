"""What both engines share: arrivals, an order's next move, firing it, the case team.

An engine decides only *when* it asks an order for its next move and how it waits for it;
everything an order does is computed here, by the actors (sim.world.behaviour.actors) and the
compiled machine, from the order's drawn facts and the time it is asked at. Orders meet
only at the Case Management Team, a SimPy `Resource` on the world's `Clock`.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Generator, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import simpy

from machine.calendar import add_business_days
from machine.context import Context
from machine.deadlines import bank_credit_earliest
from machine.dispatch import FAST, FastProcess
from machine.guards import evidence_form_accepted
from machine.invariants import LEGAL as LEGAL_MOVES
from machine.invariants import Event, check
from machine.order import DisputeRequest
from machine.process import Opening, Process, window
from machine.standards import COUNT
from machine.table import END_STATES, REQUEST_TRIGGERS
from machine.timers import timers
from sim.world.behaviour import actors
from sim.world.behaviour.actors import Move
from sim.world.behaviour.dispute_facts import draw_dispute_facts, may_dispute
from sim.world.behaviour.draws import BLOCK, draw_block, streams
from sim.world.behaviour.fact_columns import Block
from sim.world.behaviour.worldorder import WorldOrder, order_row
from sim.world.engines.case_office import CaseOffice
from sim.world.engines.clock import Clock
from sim.world.population import feedback as fb
from sim.world.population.individuals import NoSellerLeftError, People
from sim.world.population.learning import Learner
from sim.world.population.monitor import Monitor
from sim.world.records.recorder import (
    ACTORS,
    KIND_CODE,
    PARTY_CODE,
    REASON_CODE,
    STATE_CODE,
    TRIGGER_CODE,
    Columns,
    EventLog,
    pack,
)
from sim.world.records.tables import ORDER_COLUMNS
from sim.world.records.truth import Truth
from sim.world.window import Window

if TYPE_CHECKING:  # the world reads a scenario; it never loads one
    from sim.world.market import Market
    from sim.world.scenario import Scenario

TRUTH_OF_CODE = tuple(Truth)
MAX_ORDERS = 10**12  # no cap on the count: the window's end stops arrivals
SEASON_DAYS = 11 * 366  # the calendar the season flags cover (a run's arrivals and drain)


# What a seller standard counts (machine.standards.COUNTS), by (trigger, destination);
# a first dispute also counts as "disputed", which the engine sees as it fires it.
COUNTED: dict[tuple[str, str | None], str] = {
    ("open_dispute", None): "disputes",
    ("cancel_dispute", None): "buyer_cancelled",
    ("confirm_receipt", None): "confirmed",
    ("protection_expires", None): "confirmed",
    ("escalate", None): "claims",
    ("auto_escalate", None): "claims",
    ("refer_to_team", None): "claims",
    ("decide", "refund_clearing"): "rulings_against",
    ("decision_final", "refund_clearing"): "rulings_against",
    ("handling_time_expires", None): "unshipped",
}


@dataclass(frozen=True)
class Tick:
    """The start of a day of a marketplace with a population: before its orders are
    placed, every event of the days before has happened and the day is evaluated."""

    day: int
    last: bool = False  # the day after the last orders (the window's end)


class WorldError(RuntimeError):
    """The world proposed a move the machine refused: a bug in the actors, not in the input."""


@dataclass(frozen=True)
class Arrivals:
    """A block of orders: their drawn facts, payment times and truths. A block as drawn
    holds consecutive orders from `first_id` on; one gathered from several blocks (rows
    set aside, `sim.world.engines.settled`) names each row's order in `ids`."""

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


class Marketplace:
    """One simulated marketplace run; an engine's `run()` drives it to the end."""

    def __init__(
        self,
        scenario: Scenario,
        seed: np.random.SeedSequence,
        *,
        window: Window | None = None,
        orders: int | None = None,
        process: Process | FastProcess = FAST,
        check_invariants: bool = False,
    ) -> None:
        """`window`: what the run measures (default: the scenario's); `orders`: instead,
        simulate exactly this many orders from an empty marketplace, all measured."""
        self.scenario = scenario
        self.policy = scenario.policy
        self.window = window if window is not None else scenario.window()
        if orders is not None:
            self.window = Window(self.window.start, None, 0)
        self.n_orders = orders if orders is not None else MAX_ORDERS
        self.process = process
        self.env = Clock()
        self.gens = streams(seed)
        self.epoch_weekday = self.window.epoch.weekday()
        self.ctx = Context(self.policy, epoch_weekday=self.epoch_weekday)
        self._probe = Context(self.policy, epoch_weekday=self.epoch_weekday)  # for `allows`
        self.season = season_flags(scenario.market, self.window.epoch, SEASON_DAYS)
        self._season_list = self.season.tolist()
        self.log = EventLog()
        self._log = (self.log.order_id.append, self.log.time.append, self.log.code.append)
        self._log_step = self.log.step.append
        self.codes = {  # (trigger, source, dest, actor) -> packed event code
            (t, src, dst, a): pack(TRIGGER_CODE[t], STATE_CODE[src], STATE_CODE[dst], a)
            for src, t, dst in LEGAL_MOVES
            for a in range(len(ACTORS))
        }
        self.orders = Columns(ORDER_COLUMNS)
        self.now = 0.0  # the clock as the actors read it, set before each move
        self.office = CaseOffice(self.env, scenario.team, self.policy, self.in_peak, self.fire)
        self.check_invariants = check_invariants
        self.traces: dict[int, list[Event]] = defaultdict(list)
        self.people: People | None = None
        self.monitor: Monitor | None = None
        self._counted: dict[int, int] = {}  # packed event code -> COUNT code
        self._placed = 0  # orders placed since the last day's start
        self._seller_of = np.empty(0, dtype=np.int32)  # by order id, with a population
        self._feedback = scenario.population.feedback
        self._ended: list[tuple[int, int, float, int, float, float, float]] = []
        self._left_out: list[int] = []  # orders run one by one that the tables do not keep
        self._settled: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.learner: Learner | None = None
        self._new_reviews = np.zeros(0, dtype=bool)
        if scenario.population.active:
            adaptive = scenario.population.adaptive
            reserve = self.gens["adaptation"] if adaptive else None
            self.people = People(scenario, self.window, self.gens["population"], reserve)
            self.monitor = Monitor(self.people, self.policy)
            if adaptive:
                self.learner = Learner(scenario, self.people)
                self._new_reviews = np.zeros(len(self.people.buyers.weight), dtype=bool)
            self._counted = {
                code: COUNT[COUNTED.get((t, dst), COUNTED.get((t, None), ""))]
                for (t, _, dst, _), code in self.codes.items()
                if (t, dst) in COUNTED or (t, None) in COUNTED
            }
        self.counted_codes = np.full(max(self.codes.values()) + 1, -1, dtype=np.int8)
        for code, what in self._counted.items():
            self.counted_codes[code] = what

    def run(self) -> Marketplace:
        """Simulate every order to its end state (each engine says how)."""
        raise NotImplementedError

    # --- time -----------------------------------------------------------------------------

    def in_peak(self, time: float) -> bool:
        """Whether day `time` falls in the sales season."""
        day = int(time)
        return self._season_list[day] if day < SEASON_DAYS else False

    def in_peak_days(self, times: np.ndarray) -> np.ndarray:
        """`in_peak` for an array of times."""
        days = times.astype(np.int64)
        inside = days < SEASON_DAYS
        return inside & self.season[np.minimum(days, SEASON_DAYS - 1)]

    def business_days_after(self, time: float, days: int) -> float:
        return add_business_days(time, days, self.epoch_weekday)

    def opening(self, order: WorldOrder, trigger: str) -> Opening:
        """When the machine lets `trigger` fire from the order's state (its deadlines)."""
        return window(order, trigger, self.policy)

    def earliest_credit(self, order: WorldOrder) -> float:
        """The first moment the bank may credit the order's refund (P1, L3)."""
        moment = bank_credit_earliest(order, self.policy, self.epoch_weekday)
        assert moment is not None, "asked before the refund"
        return moment

    def allows(
        self,
        order: WorldOrder,
        trigger: str,
        when: float,
        *,
        amount: int | None = None,
        request: DisputeRequest | None = None,
    ) -> bool:
        """Whether the machine would let `trigger` fire at `when` with this payload, the
        order as it is now: actors ask instead of re-deriving a rule."""
        probe = self._probe
        probe.now, probe.amount, probe.request, probe.party = when, amount, request, None
        return self.process.can(order, trigger, probe)

    # --- arrivals -------------------------------------------------------------------------

    def arrivals(self) -> Iterator[Arrivals | Tick]:
        """The orders in blocks, in order of payment, until the count or the horizon.

        Each block draws its facts, then its gaps between payments (a Poisson process
        whose rate is higher in the season): the same draws, in the same order, for
        every engine. With a population, the orders come a day at a time, each day after
        a `Tick` at which the engine brings the world to the day's start
        (`open_day`), since who sells a new order depends on the days before.
        """
        if self.people is not None:
            yield from self._arrivals_by_day()
            return
        market = self.scenario.market
        rate, peak = market.orders_per_day, market.peak_factor
        horizon = self.window.end_day  # arrivals stop with the window; the drain follows
        created, now = 0, 0.0
        while created < self.n_orders:
            size = min(BLOCK, self.n_orders - created)
            block = draw_block(self.scenario, self.gens, size)
            gaps = self.gens["market"].standard_exponential(size)
            paid, stopped = self._payment_times(gaps, now, rate, peak, horizon)
            yield self._arrived(block, created, paid)
            created += len(paid)
            if stopped or not len(paid):
                return
            now = float(paid[-1])

    def _arrivals_by_day(self) -> Iterator[Arrivals | Tick]:
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
            today = min(len(paid_today), self.n_orders - created)
            paid_today = paid_today[:today]
            for start in range(0, today, BLOCK):
                paid = paid_today[start : start + BLOCK]
                try:
                    block = draw_block(self.scenario, self.gens, len(paid), self.people)
                except NoSellerLeftError as err:
                    raise NoSellerLeftError(f"{self.scenario.name}: day {day}: {err}") from None
                yield self._arrived(block, created, paid)
                created += len(paid)
            day = end
            if created >= self.n_orders or (stopped and not len(pending)):
                yield Tick(day, last=True)
                return

    def _arrived(self, block: Block, first_id: int, paid: np.ndarray) -> Arrivals:
        """The block's orders as paid at `paid`: their truths, and the dispute facts of
        those that may meet a cancellation or a dispute (drawn now, in every engine)."""
        truth = self.truths(block, paid)
        disputable = may_dispute(block.columns, truth)
        draw_dispute_facts(self.scenario, self.gens, block, np.flatnonzero(disputable), self.people)
        return Arrivals(block, first_id, paid, truth, paid >= self.window.first_day, disputable)

    def open_day(self, tick: Tick) -> None:
        """The start of a day: buyers and sellers learn from the days before (with
        adaptation), then the monitor adds them and evaluates (S1-S4)."""
        assert self.monitor is not None and self.people is not None
        self._settle_feedback()
        if self.learner is None:
            self.monitor.close_day(tick.day, self._placed, last=tick.last)
        else:
            self.learner.close_day(tick.day, self._new_reviews, last=tick.last)
            before = self.people.buyers.under_review.copy()
            self.monitor.close_day(tick.day, self._placed, last=tick.last)
            self._new_reviews = self.people.buyers.under_review & ~before
        self._placed = 0

    def placed(self, arrivals: Arrivals) -> None:
        """Orders placed: counted for their sellers."""
        if self.monitor is None:
            return
        c = arrivals.block.columns
        n = arrivals.size
        sellers = c["seller_id"][:n]
        self._placed += n
        end = arrivals.first_id + n
        if end > len(self._seller_of):
            grown = np.empty(max(end, 2 * len(self._seller_of)), dtype=np.int32)
            grown[: len(self._seller_of)] = self._seller_of
            self._seller_of = grown
        self._seller_of[arrivals.first_id : end] = sellers
        self.monitor.count(arrivals.created, sellers, np.full(n, COUNT["orders"], dtype=np.int64))

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
            in_peak = self.in_peak(now)
            waits = gaps[start:] / (rate * (peak if in_peak else 1.0))
            times = np.cumsum(np.concatenate(([now], waits)))[1:]
            switched = np.flatnonzero(self.in_peak_days(times[:-1]) != in_peak)
            times = times[: switched[0] + 1] if len(switched) else times
            late = np.flatnonzero(times > horizon)
            if len(late):
                runs.append(times[: late[0]])
                return np.concatenate(runs), True
            runs.append(times)
            start += len(times)
            now = float(times[-1])
        return (np.concatenate(runs) if runs else np.empty(0)), False

    def truths(self, block: Block, created: np.ndarray) -> np.ndarray:
        """What will really happen to each order, fixed when it is created (Truth codes)."""
        n = len(created)
        c = block.columns
        ships_on = created + c["handling"][:n]
        peak_loss = np.where(
            self.in_peak_days(ships_on), self.scenario.market.peak_loss_factor, 1.0
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

    # --- one order's moves ----------------------------------------------------------------

    def next_move(self, order: WorldOrder, now: float) -> Move | None:
        """What the order's actors do next, asked at `now` (None: nothing, ever)."""
        self.now = now
        move = actors.MOVES[order.state](self, order)
        for timer in timers(order, self.ctx):  # a deadline has passed at its very instant
            if move is None or timer.moment <= move.time:
                move = Move(timer.moment, timer.trigger, actors.P)
        return move

    def fire(self, order: WorldOrder, move: Move, now: float) -> None:
        """Fire `move` at `now` (its own time, or later if it was noticed late)."""
        trigger = move.trigger
        source = order.state
        ctx = self.ctx
        ctx.now, ctx.amount, ctx.request, ctx.party = now, move.amount, move.request, move.party
        if not self.process.fire(order, trigger, ctx):
            self._refused(order, move, now)
            return
        dest = order.state
        log_order, log_time, log_code = self._log
        log_order(order.id)
        log_time(now)
        code = self.codes[trigger, source, dest, move.actor]
        log_code(code)
        self._log_step(order.steps)
        if self.monitor is not None and code in self._counted:
            self._count(order, trigger, code, now)
        order.steps += 1
        if move.amount is not None or move.request is not None or move.party is not None:
            self._note_payload(move)
        if self.check_invariants:
            self.traces[order.id].append(Event(order.id, now, trigger, source, dest))
        if trigger in REQUEST_TRIGGERS:
            order.rounds += 1
            order.claimed = True
            if order.asked_at is None:
                order.asked_at = now
        elif trigger == "ship":
            self._dispatch_parcel(order)
        elif trigger == "customs_release":
            order.cleared_customs = True
        elif trigger == "extend_protection":
            order.extended = True
        elif trigger in ("cancel_order", "handling_time_expires") and order.asked_at is None:
            order.asked_at = now  # the moment the buyer asked for, or became owed, the money
        if dest in END_STATES and order.closed_at is None:
            order.closed_at = now

    def _count(self, order: WorldOrder, trigger: str, code: int, now: float) -> None:
        """What the event counts for the order's seller, and a claim for its buyer."""
        monitor, seller = self.monitor, order.facts.seller_id
        assert monitor is not None
        monitor.count_one(now, seller, self._counted[code])
        if trigger == "open_dispute":
            monitor.claim(now, order.facts.buyer_id)
            if order.disputes_opened == 1:
                monitor.count_one(now, seller, COUNT["disputed"])

    def log_columns(
        self,
        ids: np.ndarray,
        times: np.ndarray,
        codes: np.ndarray,
        steps: np.ndarray,
        kept: np.ndarray | None = None,
        payloads: tuple[np.ndarray, dict[str, np.ndarray]] | None = None,
    ) -> None:
        """Many events at once (the block paths), counted for their sellers as well;
        `kept`: which of them the log keeps (default: all; every one is counted);
        `payloads`: which of them carried one, and its columns (`EventLog.extend`)."""
        if kept is None:
            self.log.extend(ids, times, codes, steps, payloads)
        elif kept.any():
            if payloads is not None:  # the payloads' places among the kept events
                where, values = payloads
                held = kept[where]
                place = np.cumsum(kept) - 1
                payloads = place[where[held]], {n: v[held] for n, v in values.items()}
            self.log.extend(ids[kept], times[kept], codes[kept], steps[kept], payloads)
        if self.monitor is None:
            return
        what = self.counted_codes[codes]
        counted = what >= 0
        if counted.any():
            sellers = self._seller_of[ids[counted]].astype(np.int64)
            self.monitor.count(times[counted], sellers, what[counted].astype(np.int64))

    def counts_together(self) -> AbstractContextManager[None]:
        """The sellers' counts noted inside added as one (`Monitor.together`)."""
        return nullcontext() if self.monitor is None else self.monitor.together()

    def opened_columns(self, ids: np.ndarray, times: np.ndarray, buyers: np.ndarray) -> None:
        """First disputes opened on many orders at once (the block paths): each counts as
        its seller's disputed order and its buyer's claim, as `_count` counts one."""
        if self.monitor is None:
            return
        sellers = self._seller_of[ids].astype(np.int64)
        self.monitor.count(times, sellers, np.full(len(ids), COUNT["disputed"], dtype=np.int64))
        self.monitor.claims(times, buyers)

    def _note_payload(self, move: Move) -> None:
        """What the event just logged carried: an amount in cents (asked, offered,
        awarded, repaid), the days a protection is extended by, the party owing
        evidence, and a request's reason and kind."""
        request, amount, days = move.request, move.amount, -1
        if move.trigger == "extend_protection":
            amount, days = None, move.amount or 0
        elif request is not None:
            amount = request.amount
        self.log.note_payload(
            -1 if amount is None else amount,
            days,
            -1 if move.party is None else PARTY_CODE[move.party],
            -1 if request is None else REASON_CODE[request.reason],
            -1 if request is None else KIND_CODE[request.kind],
        )

    def _refused(self, order: WorldOrder, move: Move, now: float) -> None:
        """A refusal the world expects, or a bug. Expected: a dispute form the machine
        refuses for its images or text (D6), asked of the machine's own rule; the buyer
        corrects it and sends it again."""
        form_refused = move.trigger in REQUEST_TRIGGERS and not evidence_form_accepted(
            order, self.ctx
        )
        if form_refused and order.form_refused_at is None:
            order.form_refused_at = now
            return
        raise WorldError(
            f"order {order.id}: the machine refused {move.trigger} in {order.state} at "
            f"{now:.6f} (request {move.request})"
        )

    def _dispatch_parcel(self, order: WorldOrder) -> None:
        """The parcel's real journey, fixed at shipment (customs delays it)."""
        if not order.truth.arrives:
            return
        f = order.facts
        assert order.shipped_at is not None
        order.arrives_at = order.shipped_at + f.transit + (f.customs_days if f.customs else 0.0)

    # --- the case team --------------------------------------------------------------------

    def review(self, order: WorldOrder) -> Generator[simpy.Event, None, None]:
        """The case team reviews an escalated case or an appeal (sim.world.engines.case_office)."""
        return self.office.review(order)

    # --- the end of an order, and of the run -----------------------------------------------

    def finish(self, order: WorldOrder) -> None:
        """Write the order's row; check its invariants if asked; forget it."""
        if order.state not in END_STATES:
            raise WorldError(f"order {order.id}: no move in non-end state {order.state}")
        if self.check_invariants:
            check(order, self.traces.pop(order.id, []), self.policy)
        if self.monitor is not None:  # its feedback is settled with the others' (F1)
            f = order.facts
            self._ended.append(
                (order.id, fb.outcome(order), order.updated_at, f.seller_id,
                 f.feedback_u, f.sentiment_u, f.feedback_delay)
            )  # fmt: skip
        row = order_row(order, order.paid_at >= self.window.first_day)
        if self.window.keeps(order.paid_at, order.escalated_at):
            self.orders.append(row)
        else:
            self._left_out.append(order.id)
        if self.learner is not None:
            self.learner.note_row(row, order.updated_at)

    def write_orders(
        self, chunk: dict[str, np.ndarray], last_event: np.ndarray | None = None
    ) -> None:
        """Rows of many finished orders (the block paths), told to the learner too, dated
        by their last event (`last_event`; default: their end state's); the table keeps
        the measured ones (a block path's orders never meet the team, so no other is
        kept: `Window.keeps`)."""
        if self.learner is not None:
            self.learner.note_rows(chunk, last_event)
        kept = chunk["measured"].astype(bool)
        if not kept.all():
            chunk = {name: values[kept] for name, values in chunk.items()}
        self.orders.extend(chunk)

    def _settle_feedback(self) -> None:
        """The feedback on the orders ended one by one since the last settling."""
        if not self._ended:
            return
        ids, what, closed_at, seller, u, v, delay = map(np.array, zip(*self._ended, strict=True))
        self._ended = []
        facts = {"feedback_u": u, "sentiment_u": v, "feedback_delay": delay, "seller_id": seller}
        sentiment, at = self.feedback_columns(ids, what, closed_at, facts)
        self._settled.append((ids, sentiment, at))

    def order_table(self) -> dict[str, np.ndarray]:
        """The orders table at the end of the run, by order id, every feedback in it."""
        columns = self.orders.columns(by="order_id")
        self._settle_feedback()
        if self._settled:
            ids, sentiment, at = (np.concatenate(c) for c in zip(*self._settled, strict=True))
            known = columns["order_id"]
            rows = np.minimum(np.searchsorted(known, ids), max(len(known) - 1, 0))
            kept = known[rows] == ids if len(known) else np.zeros(len(ids), dtype=bool)
            columns["feedback"][rows[kept]] = sentiment[kept]
            columns["feedback_at"][rows[kept]] = at[kept]
        return columns

    def left_out(self) -> np.ndarray:
        """The orders the tables leave out (the warm-up's, run one by one), sorted."""
        return np.sort(np.array(self._left_out, dtype=np.int64))

    def event_table(self) -> dict[str, np.ndarray]:
        """The event log at the end of the run, in its defined order, of the kept orders."""
        return self.log.columns(leaving=self.left_out())

    def feedback_columns(
        self, ids: np.ndarray, what: np.ndarray, last_event: np.ndarray, f: dict[str, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The feedback on many ended orders, a delay after each one's last event (so
        after it is done in every engine), counted for their sellers."""
        if self.monitor is None:
            return np.full(len(ids), -1, dtype=np.int8), np.full(len(ids), np.nan)
        sentiment = fb.sentiment(what, f["feedback_u"], f["sentiment_u"], self._feedback)
        at = np.where(sentiment >= 0, last_event + f["feedback_delay"], np.nan)
        self.monitor.feedback(at, f["seller_id"], sentiment)
        return sentiment, at


def season_flags(market: Market, epoch: dt.date, days: int) -> np.ndarray:
    """Whether each day from the epoch on falls in the sales season."""
    return np.array([market.in_peak(epoch + dt.timedelta(days=d)) for d in range(days)])


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector, collecting once at the end.

    A run keeps many order objects alive; every full collection walks them all and
    finds nothing to free. Reference counting still frees every finished order at once.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()
