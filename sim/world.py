"""The simulated marketplace: SimPy processes that drive the dispute machine.

One process per order asks the actors (sim.actors) for the earliest next move, waits for
it with `env.timeout`, and fires it through the machine. Orders interact only through
the Case Management Team, a SimPy `Resource` with a fixed staff. Every fired transition
is recorded in columnar buffers; each finished order becomes one row of the orders table.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from collections import defaultdict
from collections.abc import Generator, Iterator
from contextlib import contextmanager

import numpy as np
import simpy

from machine.calendar import add_business_days
from machine.context import Context
from machine.dispatch import FAST, FastProcess
from machine.invariants import LEGAL as LEGAL_MOVES
from machine.invariants import Event, check
from machine.order import Party, Reason, RequestKind
from machine.process import Process
from machine.table import END_STATES
from sim import actors
from sim.draws import BLOCK, Facts, draw_block, streams
from sim.recorder import ACTORS, STATE_CODE, TRIGGER_CODE, Columns, EventLog, pack
from sim.scenario import Scenario
from sim.truth import Truth
from sim.worldorder import WorldOrder

NAN = math.nan
# The orders table: name, array type code, meaning. One row per order, written when it ends.
# fmt: off
ORDER_SCHEMA: tuple[tuple[str, str, str], ...] = (
    ("order_id", "q", "the order's number, from 0 in order of payment"),
    ("created_at", "d", "day of payment"),
    ("price", "q", "amount paid, cents (item and shipping)"),
    ("seller", "b", "seller profile (code)"),
    ("buyer", "b", "buyer profile (code)"),
    ("carrier", "b", "shipping method (code)"),
    ("truth", "b", "what really happened (code, sim.truth)"),
    ("final_state", "b", "end state (code)"),
    ("refunded", "q", "refunded to the buyer, cents"),
    ("released", "q", "paid out to the seller, cents"),
    ("buyer_costs", "q", "the buyer's own costs (return postage, bank fee), cents"),
    ("repaid", "q", "paid back by the buyer outside the platform, cents"),
    ("disputed", "b", "1 if a dispute was opened"),
    ("false_claim", "b", "1 if a buyer claimed on goods that arrived fine"),
    ("reason", "b", "the dispute's reason (code, -1: none)"),
    ("kind", "b", "refund only or return and refund (code, -1: none)"),
    ("escalated", "b", "1 if the case went to the Case Management Team"),
    ("appealed", "b", "1 if a decision was appealed"),
    ("decision", "q", "the team's last award, cents (-1: none)"),
    ("asked_at", "d", "day the buyer asked for money back (cancel, dispute, unshipped)"),
    ("shipped_at", "d", "day of shipment"),
    ("delivered_at", "d", "day of delivery"),
    ("opened_at", "d", "day the (last) dispute was opened"),
    ("refund_at", "d", "day of the refund on the platform"),
    ("credited_at", "d", "day the bank credited the refund"),
    ("closed_at", "d", "day the order reached its end state"),
    ("team_wait", "d", "days queued for a case officer (escalated orders)"),
)
# fmt: on
ORDER_COLUMNS = {name: code for name, code, _ in ORDER_SCHEMA}
REASONS = tuple(Reason)
KINDS = tuple(RequestKind)
REQUEST_TRIGGERS = frozenset({"open_dispute", "modify_request", "change_reason"})


class WorldError(RuntimeError):
    """The world proposed a move the machine refused: a bug in the actors, not in the input."""


class World:
    """One simulated marketplace run: build it, `run()` it, read its buffers."""

    def __init__(
        self,
        scenario: Scenario,
        seed: np.random.SeedSequence,
        *,
        orders: int | None = None,
        process: Process | FastProcess = FAST,
        check_invariants: bool = False,
    ) -> None:
        self.scenario = scenario
        self.policy = scenario.policy
        self.n_orders = orders if orders is not None else scenario.run.orders
        self.process = process
        self.env = simpy.Environment()
        self.team = simpy.Resource(self.env, capacity=scenario.team.staff)
        self.gens = streams(seed)
        self.epoch_weekday = scenario.market.start_date.weekday()
        self.ctx = Context(self.policy, epoch_weekday=self.epoch_weekday)
        self.season = self._season_flags(scenario, days=11 * 366)
        self.log = EventLog()
        self._log_order, self._log_time = self.log.order_id.append, self.log.time.append
        self._log_code = self.log.code.append
        self._codes = {  # (trigger, source, dest, actor) -> packed event code
            (t, src, dst, a): pack(TRIGGER_CODE[t], STATE_CODE[src], STATE_CODE[dst], a)
            for src, t, dst in LEGAL_MOVES
            for a in range(len(ACTORS))
        }
        self.orders = Columns(ORDER_COLUMNS)
        self._order_appends = tuple(column.append for column in self.orders.data.values())
        self.queue = Columns({"time": "d", "queue": "q", "busy": "q"})
        self.active = 0
        self.now = 0.0  # the clock as the actors read it, set before each move
        self.arriving = True
        self.busy_days = 0.0
        self.reviews = 0
        self.check_invariants = check_invariants
        self.traces: dict[int, list[Event]] = defaultdict(list)

    # --- time ---------------------------------------------------------------------------

    @staticmethod
    def _season_flags(scenario: Scenario, days: int) -> bytearray:
        start = scenario.market.start_date
        return bytearray(scenario.market.in_peak(start + dt.timedelta(days=d)) for d in range(days))

    def in_peak(self, time: float) -> bool:
        """Whether day `time` falls in the sales season."""
        day = int(time)
        return bool(self.season[day]) if day < len(self.season) else False

    def business_days_after(self, time: float, days: int) -> float:
        return add_business_days(time, days, self.epoch_weekday)

    # --- processes ----------------------------------------------------------------------

    def run(self) -> World:
        """Simulate every order to its end state."""
        self.env.process(self._arrivals())
        self.env.process(self._monitor())
        with paused_gc():
            self.env.run()
        return self

    def _arrivals(self) -> Generator[simpy.Event, None, None]:
        market = self.scenario.market
        rate, peak = market.orders_per_day, market.peak_factor
        created = 0
        horizon = self.scenario.run.horizon_days or float("inf")
        while created < self.n_orders:
            size = min(BLOCK, self.n_orders - created)
            block = draw_block(self.scenario, self.gens, size)
            gaps = self.gens["market"].standard_exponential(size).tolist()
            for row in range(size):
                now = self.env.now
                wait = gaps[row] / (rate * (peak if self.in_peak(now) else 1.0))
                if now + wait > horizon:
                    self.arriving = False
                    return
                yield self.env.timeout(wait)
                facts = block.facts(row)
                order = WorldOrder(created, facts, self.env.now, self._truth(facts))
                created += 1
                self.active += 1
                self.env.process(self._life(order))
        self.arriving = False

    def _truth(self, facts: Facts) -> Truth:
        """What will really happen to the order, fixed when it is created."""
        if not facts.ships:
            return Truth.NOT_SHIPPED
        if facts.fake_tracking:
            return Truth.FAKE_TRACKING
        ships_on = self.env.now + facts.handling
        loss = facts.loss_rate * (
            self.scenario.market.peak_loss_factor if self.in_peak(ships_on) else 1.0
        )
        if facts.loss_u < loss:
            return Truth.LOST
        if facts.damaged:
            return Truth.DAMAGED
        if facts.not_as_described:
            return Truth.NOT_AS_DESCRIBED
        return Truth.OK

    def _life(self, order: WorldOrder) -> Generator[simpy.Event, None, None]:
        env, moves = self.env, actors.MOVES
        while True:
            self.now = env.now
            move = moves[order.state](self, order)
            if move is None:
                break
            if move[1] is actors.REVIEW:
                yield from self._review(order)
                continue
            delay = move[0] - env.now
            if delay > 0:
                yield env.timeout(delay)
            self._fire(order, move)
        if order.state not in END_STATES:
            raise WorldError(f"order {order.id}: no move in non-end state {order.state}")
        self._finish(order)

    def _fire(self, order: WorldOrder, move: actors.Move) -> None:
        when, trigger, actor, amount, request, party = move
        # After `timeout(when - now)` the clock may sit a rounding error before `when`;
        # the move happens at `when` (a past move, noticed late, happens now).
        now = when if when > self.env.now else self.env.now
        source = order.state
        ctx = self.ctx
        ctx.now, ctx.amount, ctx.request, ctx.party = now, amount, request, party
        if not self.process.fire(order, trigger, ctx):
            self._refused(order, trigger, request)
            return
        dest = order.state
        self._log_order(order.id)
        self._log_time(now)
        self._log_code(self._codes[trigger, source, dest, actor])
        if self.check_invariants:
            self.traces[order.id].append(Event(order.id, now, trigger, source, dest))
        if trigger in REQUEST_TRIGGERS:
            order.rounds += 1
            order.claimed = True
            if order.asked_at is None:
                order.asked_at = now
        elif trigger == "ship":
            self._dispatch_parcel(order)
        elif trigger in ("cancel_order", "handling_time_expires") and order.asked_at is None:
            order.asked_at = now  # the moment the buyer asked for, or became owed, the money
        if dest in END_STATES and order.closed_at is None:
            order.closed_at = now

    def _refused(self, order: WorldOrder, trigger: str, request: object) -> None:
        """A refusal the actors expect (a form with an oversized image, D6) or a bug."""
        if trigger == "open_dispute" and not order.form_fixed and order.facts.form_error:
            order.form_fixed = True  # the buyer corrects the form and sends it again
            return
        raise WorldError(
            f"order {order.id}: the machine refused {trigger} in {order.state} at "
            f"{self.env.now:.4f} (request {request})"
        )

    def _dispatch_parcel(self, order: WorldOrder) -> None:
        """The parcel's real journey, fixed at shipment (customs delays it)."""
        if not order.truth.arrives:
            return
        f = order.facts
        assert order.shipped_at is not None
        order.arrives_at = order.shipped_at + f.transit + (f.customs_days if f.customs else 0.0)

    def _review(self, order: WorldOrder) -> Generator[simpy.Event, None, None]:
        """A case officer reviews the case, then asks for evidence or decides (E1, E3, E4)."""
        f, team = order.facts, self.scenario.team
        appeal = order.state == "appeal_review"
        second = order.evidence_requested_at is not None
        request = self.team.request()
        queued = self.env.now
        yield request
        order.team_wait += self.env.now - queued
        base = f.review3 if appeal else f.review2 if second else f.review1
        work = base * (team.peak_review_factor if self.in_peak(self.env.now) else 1.0)
        yield self.env.timeout(work)
        self.team.release(request)
        self.busy_days += work
        self.reviews += 1
        now = self.env.now
        if not appeal and not second and f.team_asks:
            party = Party.BUYER if f.team_asks_buyer else Party.SELLER
            self._fire(order, (now, "request_evidence", actors.T, None, None, party))
            return
        amount = self._award(order, f.noise2 if appeal else f.noise1)
        self._fire(
            order, (now, "decide_appeal" if appeal else "decide", actors.T, amount, None, None)
        )

    def _award(self, order: WorldOrder, noise: float) -> int:
        """The team's decision: truth and the evidence gap, plus noise (E3)."""
        f, team = order.facts, self.scenario.team
        assert order.request is not None
        buyer = f.buyer_evidence * (0.5 if order.truth is Truth.OK else 1.0)
        seller = 0.0 if seller_ignored_the_team(order) else f.seller_evidence
        score = (
            team.truth_weight * order.truth.problem
            + team.evidence_weight * (buyer - seller)
            + noise
        )
        asked = min(order.request.amount, order.paid - order.refunded)
        if score > team.full_threshold:
            return asked
        if score > team.partial_threshold:
            return max(1, round(team.partial_share * asked))
        return 0

    def _monitor(self) -> Generator[simpy.Event, None, None]:
        """Sample the case team's queue and busy staff at a fixed interval."""
        every = self.scenario.team.monitor_every_days
        queue = self.queue.data
        while self.arriving or self.active:
            queue["time"].append(self.env.now)
            queue["queue"].append(len(self.team.queue))
            queue["busy"].append(self.team.count)
            yield self.env.timeout(every)

    def _finish(self, order: WorldOrder) -> None:
        """Write the order's row; check its invariants if asked; forget it."""
        self.active -= 1
        if self.check_invariants:
            check(order, self.traces.pop(order.id, []), self.policy)
        for append, value in zip(self._order_appends, order_row(order), strict=True):
            append(value)


def order_row(order: WorldOrder) -> tuple[object, ...]:
    """The order's row of the orders table, in ORDER_SCHEMA's order."""
    f, request = order.facts, order.request
    truth = order.truth
    if order.shipped_at is None and truth is not Truth.NOT_SHIPPED:
        truth = Truth.OK  # cancelled before anything could go wrong
    opened = order.disputes_opened > 0
    escalated = order.escalated_at is not None
    return (
        order.id, order.paid_at, order.paid, f.seller, f.buyer, f.carrier, truth,
        STATE_CODE[order.state], order.refunded, order.released, order.buyer_costs,
        order.repaid_off_platform, opened,
        opened and truth is Truth.OK and f.false_claim and _after_delivery(order),
        REASONS.index(request.reason) if request else -1,
        KINDS.index(request.kind) if request else -1,
        escalated, order.appeals_filed > 0,
        order.decision if order.decision is not None else -1,
        _or_nan(order.asked_at), _or_nan(order.shipped_at), _or_nan(order.delivered_at),
        _or_nan(order.opened_at), _or_nan(order.refund_at), _or_nan(order.credited_at),
        _or_nan(order.closed_at), order.team_wait if escalated else NAN,
    )  # fmt: skip


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector, collecting once at the end.

    A run keeps a hundred thousand order processes alive; every full collection walks
    them all and found nothing to free, at a third of the run time. Reference counting
    still frees every finished order at once.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


def seller_ignored_the_team(order: WorldOrder) -> bool:
    """Whether the team asked the seller for evidence and got none (it decides without)."""
    return (
        order.evidence_requested_at is not None
        and not order.facts.team_asks_buyer
        and not order.facts.seller_replies
    )


def _after_delivery(order: WorldOrder) -> bool:
    """Whether the dispute was opened with the goods already delivered."""
    return (
        order.delivered_at is not None
        and order.opened_at is not None
        and order.delivered_at <= order.opened_at
    )


def _or_nan(value: float | None) -> float:
    return NAN if value is None else value
