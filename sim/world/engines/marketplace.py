"""What both engines share: the orders arriving, an order's next move, firing it, and its end.

An engine decides only *when* it asks an order for its next move and how it waits for it;
everything an order does is computed here, by the actors (sim.world.behaviour.actors) and
the compiled machine, from the order's drawn facts and the time it is asked at. Orders meet
only at the Case Management Team (`office`), a SimPy `Resource` on the world's `Clock`.
What a run writes goes to its `books`; what the population hears of it, to its `tally`.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np

from machine.calendar import add_business_days
from machine.context import Context
from machine.deadlines import bank_credit_earliest
from machine.dispatch import FAST, FastProcess
from machine.guards import evidence_form_accepted
from machine.invariants import Event, check
from machine.order import DisputeRequest
from machine.process import Opening, Process, window
from machine.table import END_STATES, REQUEST_TRIGGERS
from machine.timers import timers
from sim.world.behaviour import actors
from sim.world.behaviour.actors import Move
from sim.world.behaviour.draws import streams
from sim.world.behaviour.worldorder import WorldOrder
from sim.world.engines.arrivals import MAX_ORDERS, OrderStream, Season
from sim.world.engines.books import Books
from sim.world.engines.case_office import CaseOffice
from sim.world.engines.clock import Clock
from sim.world.engines.tally import Tally
from sim.world.window import Window

if TYPE_CHECKING:  # the world reads a scenario; it never loads one
    from sim.world.scenario import Scenario


class WorldError(RuntimeError):
    """The world proposed a move the machine refused: a bug in the actors, not in the input."""


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
        self.process = process
        self.env = Clock()
        gens = streams(seed)
        self.epoch_weekday = self.window.epoch.weekday()
        self.ctx = Context(self.policy, epoch_weekday=self.epoch_weekday)
        self._probe = Context(self.policy, epoch_weekday=self.epoch_weekday)  # for `allows`
        self.season = Season(scenario.market, self.window.epoch)
        self.books = Books(self.window)
        self.tally = Tally(scenario, self.window, gens, self.books.codes)
        self.arriving = OrderStream(
            scenario, gens, self.window, self.season,
            orders if orders is not None else MAX_ORDERS, self.tally.people, self.tally.learner,
        )  # fmt: skip
        self.office = CaseOffice(
            self.env, scenario.team, self.policy, self.season.in_peak, self.fire
        )
        self.now = 0.0  # the clock as the actors read it, set before each move
        self.check_invariants = check_invariants
        self.traces: dict[int, list[Event]] = defaultdict(list)
        log = self.books.log
        self._log = (log.order_id.append, log.time.append, log.code.append, log.step.append)
        self._codes, self._counted = self.books.codes, self.tally.counted

    def run(self) -> Marketplace:
        """Simulate every order to its end state (each engine says how)."""
        raise NotImplementedError

    # --- what the actors ask ----------------------------------------------------------------

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
        log_order, log_time, log_code, log_step = self._log
        log_order(order.id)
        log_time(now)
        code = self._codes[trigger, source, dest, move.actor]
        log_code(code)
        log_step(order.steps)
        if code in self._counted:
            self.tally.count(order, trigger, code, now)
        order.steps += 1
        if move.amount is not None or move.request is not None or move.party is not None:
            self.books.note_payload(move)
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

    # --- the end of an order --------------------------------------------------------------

    def finish(self, order: WorldOrder) -> None:
        """Write the order's row; check its invariants if asked; forget it."""
        if order.state not in END_STATES:
            raise WorldError(f"order {order.id}: no move in non-end state {order.state}")
        if self.check_invariants:
            check(order, self.traces.pop(order.id, []), self.policy)
        self.tally.ended(order, self.books.ended(order))

    def log_columns(
        self,
        ids: np.ndarray,
        times: np.ndarray,
        codes: np.ndarray,
        steps: np.ndarray,
        kept: np.ndarray | None = None,
        payloads: tuple[np.ndarray, dict[str, np.ndarray]] | None = None,
    ) -> None:
        """Many events fired at once (the block paths): logged (`Books.log_columns`) and
        every one counted for its seller, kept or not."""
        self.books.log_columns(ids, times, codes, steps, kept, payloads)
        self.tally.count_events(ids, times, codes)

    def write_orders(
        self, chunk: dict[str, np.ndarray], last_event: np.ndarray | None = None
    ) -> None:
        """Rows of many finished orders (the block paths), told to the learner too, dated
        by their last event (`last_event`; default: their end state's)."""
        self.tally.rows_ended(chunk, last_event)
        self.books.rows_ended(chunk)


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
