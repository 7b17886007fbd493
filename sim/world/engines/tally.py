"""What the population hears of a run: the orders placed with each seller, the events that
count for its standards, each buyer's claims, the feedback left, and the start of each day,
when the sellers are evaluated and buyers and sellers learn from the days before.

Without a population nothing is counted and every call is a no-op (feedback is none), so
the engines call it alike for every scenario.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

import numpy as np

from machine.standards import COUNT
from sim.world.population import feedback as fb
from sim.world.population.individuals import People
from sim.world.population.learning import Learner
from sim.world.population.monitor import Monitor

if TYPE_CHECKING:
    from sim.world.behaviour.worldorder import WorldOrder
    from sim.world.engines.arrivals import Arrivals, Tick
    from sim.world.scenario import Scenario
    from sim.world.window import Window

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
"""What a seller standard counts (machine.standards.COUNTS), by (trigger, destination); a
first dispute also counts as "disputed", which `Tally.count` sees as it is fired."""

Feedback = tuple[np.ndarray, np.ndarray, np.ndarray]  # order ids, sentiment, when left


class Tally:
    """The population of one run (`people`), its seller monitor and its learner, and what
    they are told as orders are placed, move and end."""

    def __init__(
        self,
        scenario: Scenario,
        window: Window,
        gens: dict[str, np.random.Generator],
        codes: dict[tuple[str, str, str, int], int],
    ) -> None:
        """`codes`: the packed event code of every (trigger, source, destination, actor)."""
        self.people: People | None = None
        self.monitor: Monitor | None = None
        self.learner: Learner | None = None
        self.counted: dict[int, int] = {}  # packed event code -> COUNT code
        self._feedback = scenario.population.feedback
        self._placed = 0  # orders placed since the last day's start
        self._seller_of = np.empty(0, dtype=np.int32)  # by order id
        self._ended: list[tuple[int, int, float, int, float, float, float]] = []
        self._settled: list[Feedback] = []
        self._new_reviews = np.zeros(0, dtype=bool)
        if scenario.population.active:
            adaptive = scenario.population.adaptive
            reserve = gens["adaptation"] if adaptive else None
            self.people = People(scenario, window, gens["population"], reserve)
            self.monitor = Monitor(self.people, scenario.policy)
            if adaptive:
                self.learner = Learner(scenario, self.people)
                self._new_reviews = np.zeros(len(self.people.buyers.weight), dtype=bool)
            self.counted = {
                code: COUNT[COUNTED.get((t, dst), COUNTED.get((t, None), ""))]
                for (t, _, dst, _), code in codes.items()
                if (t, dst) in COUNTED or (t, None) in COUNTED
            }
        self.counted_codes = np.full(max(codes.values()) + 1, -1, dtype=np.int8)
        for code, what in self.counted.items():
            self.counted_codes[code] = what

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
        n = arrivals.size
        sellers = arrivals.block.columns["seller_id"][:n]
        self._placed += n
        end = arrivals.first_id + n
        if end > len(self._seller_of):
            grown = np.empty(max(end, 2 * len(self._seller_of)), dtype=np.int32)
            grown[: len(self._seller_of)] = self._seller_of
            self._seller_of = grown
        self._seller_of[arrivals.first_id : end] = sellers
        self.monitor.count(arrivals.created, sellers, np.full(n, COUNT["orders"], dtype=np.int64))

    def count(self, order: WorldOrder, trigger: str, code: int, now: float) -> None:
        """What one fired event (`code`, one of `counted`) counts for the order's seller,
        and a claim for its buyer."""
        monitor, seller = self.monitor, order.facts.seller_id
        assert monitor is not None
        monitor.count_one(now, seller, self.counted[code])
        if trigger == "open_dispute":
            monitor.claim(now, order.facts.buyer_id)
            if order.disputes_opened == 1:
                monitor.count_one(now, seller, COUNT["disputed"])

    def count_events(self, ids: np.ndarray, times: np.ndarray, codes: np.ndarray) -> None:
        """What many events fired at once (the block paths) count for their sellers."""
        if self.monitor is None:
            return
        what = self.counted_codes[codes]
        counted = what >= 0
        if counted.any():
            sellers = self._seller_of[ids[counted]].astype(np.int64)
            self.monitor.count(times[counted], sellers, what[counted].astype(np.int64))

    def opened(self, ids: np.ndarray, times: np.ndarray, buyers: np.ndarray) -> None:
        """First disputes opened on many orders at once (the block paths): each counts as
        its seller's disputed order and its buyer's claim, as `count` counts one."""
        if self.monitor is None:
            return
        sellers = self._seller_of[ids].astype(np.int64)
        self.monitor.count(times, sellers, np.full(len(ids), COUNT["disputed"], dtype=np.int64))
        self.monitor.claims(times, buyers)

    def together(self) -> AbstractContextManager[None]:
        """The sellers' counts noted inside added as one (`Monitor.together`)."""
        return nullcontext() if self.monitor is None else self.monitor.together()

    def ended(self, order: WorldOrder, row: tuple) -> None:
        """An order run one by one ended: its feedback is settled with the others' (F1),
        and the learner reads its row."""
        if self.monitor is not None:
            f = order.facts
            self._ended.append(
                (order.id, fb.outcome(order), order.updated_at, f.seller_id,
                 f.feedback_u, f.sentiment_u, f.feedback_delay)
            )  # fmt: skip
        if self.learner is not None:
            self.learner.note_row(row, order.updated_at)

    def rows_ended(self, chunk: dict[str, np.ndarray], last_event: np.ndarray | None) -> None:
        """Rows of many orders ended at once (the block paths), for the learner, dated by
        their last event (`last_event`; default: their end state's)."""
        if self.learner is not None:
            self.learner.note_rows(chunk, last_event)

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

    def feedback(self) -> Iterator[Feedback]:
        """The feedback on every order ended one by one (for the orders table)."""
        self._settle_feedback()
        return iter(self._settled)

    def _settle_feedback(self) -> None:
        """The feedback on the orders ended one by one since the last settling."""
        if not self._ended:
            return
        ids, what, closed_at, seller, u, v, delay = map(np.array, zip(*self._ended, strict=True))
        self._ended = []
        facts = {"feedback_u": u, "sentiment_u": v, "feedback_delay": delay, "seller_id": seller}
        sentiment, at = self.feedback_columns(ids, what, closed_at, facts)
        self._settled.append((ids, sentiment, at))
