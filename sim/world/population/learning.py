"""Buyers who learn, sellers who adapt, enter and leave (sim.world.population.adaptation's rules).

Every order's row, as the world writes it, is also noted here with the instant of the
order's last event. As with the monitor's counts, a row waits for the day it ended to close: at the
start of each day (`close_day`) the rows of the days before change the buyers' chances of
a false claim, the buyers' purchase frequencies and the sellers' answers; and every
`every_days` the sellers decide to leave or enter. Each day's outcomes act in one fixed
order (counted per buyer and seller, applied in closed form), so the result does not
depend on the order the engine finished the orders in: both engines stay identical.

New orders read the changed traits when they are placed, as they read a seller's
standing; an order already placed keeps what it was drawn with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.world.records.recorder import Columns
from sim.world.records.tables import ORDER_COLUMNS
from sim.world.records.truth import Truth

if TYPE_CHECKING:
    from sim.world.population.individuals import People
    from sim.world.scenario import Scenario

NOTED = ("closed_at", "seller_id", "buyer_id", "price", "refunded", "surcharge", "truth",
         "false_claim", "disputed", "decision", "shipped_at")  # fmt: skip
_INDEX = [tuple(ORDER_COLUMNS).index(name) for name in NOTED]
OK = int(Truth.OK)

PATH_COLUMNS: dict[str, str] = {
    "day": "d",
    "false_claim_chance": "d",
    "demand": "d",
    "honest_sellers": "q",
    "dishonest_sellers": "q",
    "entered": "q",
    "left": "q",
    "agrees": "d",
    "short_of_reserve": "q",
}
PATH_SCHEMA: dict[str, str] = {
    "day": "day of the row (days since the run's first day)",
    "false_claim_chance": "buyers' chance of a false claim, weighted by how often each buys",
    "demand": "buyers' purchases as a share of those at the start (churn lowers it)",
    "honest_sellers": "honest sellers able to take orders (entered, not gone or suspended)",
    "dishonest_sellers": "dishonest sellers able to take orders",
    "entered": "sellers entered from the reserve so far",
    "left": "sellers who left so far",
    "agrees": "sellers' chance of agreeing to a dispute, weighted by their share of orders",
    "short_of_reserve": "sellers who would have entered so far but found their profile's "
    "reserve used up (population.adaptation.sellers.reserve)",
}


class Learner:
    """The adaptive behaviour of one run's buyers and sellers."""

    def __init__(self, scenario: Scenario, people: People) -> None:
        self.rules = scenario.population.adaptation
        self.people = people
        self.sellers, self.buyers = people.sellers, people.buyers
        profiles = scenario.sellers
        self._cost = np.array([p.goods_cost_share for p in profiles])
        self._fee_points = scenario.policy.restricted_fee_points
        self._rows: list[tuple] = []
        self._waiting: dict[int, list[np.ndarray]] = {}  # rows, by the day their orders ended
        self.day = -1
        self._margins: dict[int, np.ndarray] = {}  # by day: per seller (kept, sales, orders)
        self._entry_due = np.zeros(len(profiles))
        self._heard = np.zeros(2, dtype=np.int64)  # others' wins and losses, to be heard
        self.entered = 0
        self.left = 0
        self.short_of_reserve = 0  # entries due that found the reserve used up
        self.path = Columns(PATH_COLUMNS)
        self._start_demand = float(self.buyers.weight.sum())

    def demand(self) -> float:
        """Buyers' purchases as a share of those at the start (churn lowers it)."""
        return float(self.buyers.weight.sum()) / self._start_demand

    # --- what happened, as the world writes it ---------------------------------------

    def note_row(self, row: tuple, last_event: float) -> None:
        """One finished order's row (an engine's one-by-one path), dated by its last
        event (which may come after the end state was reached: goods arriving after a
        refund, say), as both engines see it."""
        self._rows.append((last_event, *(row[i] for i in _INDEX[1:])))

    def note_rows(self, chunk: dict[str, np.ndarray], last_event: np.ndarray | None = None) -> None:
        """Many finished orders' rows (the world's block paths), in the buckets of the
        days they ended: their last event's (`last_event`; default: their end state's)."""
        first = chunk[NOTED[0]] if last_event is None else last_event
        columns = [first, *(chunk[name] for name in NOTED[1:])]
        self._bucket(np.column_stack(columns).astype(np.float64))

    def _bucket(self, rows: np.ndarray) -> None:
        """Rows (one column per NOTED name) into the buckets of the days they ended."""
        if not len(rows):
            return
        days = np.floor(rows[:, 0]).astype(np.int64)
        if int(days.min()) < self.day:
            raise AssertionError(f"an order ended on day {days.min()} after day {self.day} began")
        order = np.argsort(days, kind="stable")
        days, rows = days[order], rows[order]
        starts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
        for start, stop in zip(starts.tolist(), [*starts[1:].tolist(), len(days)], strict=True):
            self._waiting.setdefault(int(days[start]), []).append(rows[start:stop])

    def _closed_before(self, day: int) -> dict[str, np.ndarray]:
        """The rows of orders that ended before `day`, by column; the others keep waiting."""
        if self._rows:
            self._bucket(np.array(self._rows, dtype=np.float64))
            self._rows = []
        parts = [part for d in sorted(d for d in self._waiting if d < day)
                 for part in self._waiting.pop(d)]  # fmt: skip
        rows = np.concatenate(parts) if parts else np.empty((0, len(NOTED)))
        return {name: rows[:, i] for i, name in enumerate(NOTED)}

    # --- the start of a day -------------------------------------------------------------

    def close_day(self, day: int, newly_reviewed: np.ndarray, *, last: bool = False) -> None:
        """Learn from the orders that ended before `day` (and from the buyers put under
        review at the day before's start); every `every_days`, spread what was heard and
        let sellers leave and enter."""
        rows = self._closed_before(day)
        self._buyers_learn(rows, newly_reviewed)
        self._sellers_learn(rows)
        self._note_margins(day, rows)
        every = self.rules.sellers.every_days
        if day % every == 0 and day > 0:
            self._word_of_mouth()
            self._exits_and_entries(day)
        if day % every == 0 or last:
            self._write_path(day)
        self.day = day

    def _buyers_learn(self, rows: dict[str, np.ndarray], reviewed: np.ndarray) -> None:
        """Each buyer's own outcomes move the log-odds of its chance of a false claim (a
        paid false claim up, an unpaid one or a review down); a refusal on a real problem
        lowers how often it buys."""
        rules, buyers = self.rules.buyers, self.buyers
        buyer = rows["buyer_id"].astype(np.int64)
        false = rows["false_claim"] == 1
        paid = rows["refunded"] > 0
        won = buyer[false & paid]
        lost = np.concatenate((buyer[false & ~paid], np.flatnonzero(reviewed)))
        self._heard += (len(won), len(lost))
        touched, index = np.unique(np.concatenate((won, lost)), return_inverse=True)
        if len(touched):
            wins = np.bincount(index[: len(won)], minlength=len(touched))
            losses = np.bincount(index[len(won) :], minlength=len(touched))
            chance = buyers.traits["false_claim"]
            step = rules.success * wins - rules.failure * losses
            moving = touched[step != 0]
            chance[moving] = _moved(chance[moving], step[step != 0], rules.ceiling)
        real_loss = (rows["disputed"] == 1) & (rows["truth"] != OK) & ~paid
        if rules.churn_after_loss and real_loss.any():
            hit, times = np.unique(buyer[real_loss], return_counts=True)
            buyers.weight[hit] *= (1.0 - rules.churn_after_loss) ** times
            buyers.reweigh()

    def _word_of_mouth(self) -> None:
        """Others' outcomes since the last time, heard and spread over every buyer in
        expectation."""
        rules, chance = self.rules.buyers, self.buyers.traits["false_claim"]
        wins, losses = self._heard.tolist()
        self._heard = np.zeros(2, dtype=np.int64)
        heard = rules.word_of_mouth * rules.heard_weight / len(chance)
        step = heard * (rules.success * wins - rules.failure * losses)
        if step:
            chance[:] = _moved(chance, step, rules.ceiling)

    def _sellers_learn(self, rows: dict[str, np.ndarray]) -> None:
        rate = self.rules.sellers.answer_learning
        if not rate:
            return
        sellers = self.sellers
        ruled = rows["decision"] >= 0
        seller = rows["seller_id"].astype(np.int64)
        against = np.bincount(seller[ruled & (rows["decision"] > 0)], minlength=sellers.size)
        for_it = np.bincount(seller[ruled & (rows["decision"] == 0)], minlength=sellers.size)
        touched = np.flatnonzero(against | for_it)
        if not len(touched):
            return
        traits = sellers.traits
        before = 1.0 - traits["agrees"][touched]
        agrees = 1.0 - before * (1.0 - rate) ** against[touched]
        agrees *= (1.0 - rate) ** for_it[touched]
        after = 1.0 - agrees
        scale = np.divide(after, before, out=np.zeros_like(after), where=before > 0)
        traits["agrees"][touched] = agrees
        for name in ("rejects", "counter_offers"):  # they keep their shares of the rest
            traits[name][touched] *= scale

    def _note_margins(self, day: int, rows: dict[str, np.ndarray]) -> None:
        """Each seller's takings, sales and orders by the day its orders ended."""
        n = self.sellers.size
        seller = rows["seller_id"].astype(np.int64)
        price = rows["price"].astype(np.float64)
        shipped = ~np.isnan(rows["shipped_at"])
        cost = self._cost[self.sellers.profile[seller]] * price * shipped
        kept = price - rows["refunded"] - rows["surcharge"] - cost
        self._margins[day] = np.stack((
            np.bincount(seller, kept, minlength=n),
            np.bincount(seller, price, minlength=n),
            np.bincount(seller, minlength=n).astype(np.float64),
        ))  # fmt: skip
        oldest = day - round(self.rules.sellers.margin_window_days)
        for d in [d for d in self._margins if d <= oldest]:
            del self._margins[d]

    def margins(self) -> tuple[np.ndarray, np.ndarray]:
        """Each seller's margin over the window (NaN: no sales) and its orders in it."""
        kept, sales, orders = sum(self._margins.values())  # type: ignore[misc]
        margin = np.divide(kept, sales, out=np.full_like(kept, np.nan), where=sales > 0)
        return margin, orders

    def _exits_and_entries(self, day: int) -> None:
        """Sellers whose margin fell below the line leave; profiles whose margin clears the
        hurdle draw new sellers from the reserve."""
        rules, sellers = self.rules.sellers, self.sellers
        if not self._margins:
            return
        margin, orders = self.margins()
        present = sellers.present(day)
        leaving = present & (orders >= rules.exit_min_orders) & (margin < rules.exit_below)
        sellers.leave(np.flatnonzero(leaving), day)
        self.left += int(leaving.sum())
        if not rules.entry_rate:
            return
        for code in range(len(self._cost)):
            mine = present & ~leaving & (sellers.profile == code) & (orders > 0)
            if not mine.any():
                continue
            profile_margin = float((margin[mine] * orders[mine]).sum() / orders[mine].sum())
            clear = max(profile_margin - rules.entry_hurdle, 0.0)
            self._entry_due[code] += rules.entry_rate * mine.sum() * clear * rules.every_days / 365
            due = int(self._entry_due[code])
            if due:
                self._entry_due[code] -= due
                came = sellers.enter_from_reserve(code, due, day)
                self.entered += came
                self.short_of_reserve += due - came

    def _write_path(self, day: int) -> None:
        buyers, sellers = self.buyers, self.sellers
        weight = buyers.weight
        chance = float((buyers.traits["false_claim"] * weight).sum() / weight.sum())
        present = sellers.present(day)
        share = self.people.share()
        self.path.append((
            float(day), chance, self.demand(),
            int((present & sellers.honest).sum()), int((present & ~sellers.honest).sum()),
            self.entered, self.left, float((sellers.traits["agrees"] * share).sum()),
            self.short_of_reserve,
        ))  # fmt: skip


def _moved(chance: np.ndarray, step: np.ndarray | float, ceiling: float) -> np.ndarray:
    """`chance` with `step` added to its log-odds, at most `ceiling` (or itself, for a
    chance above it); a chance of exactly 0 or 1 stays put."""
    inside = (chance > 0.0) & (chance < 1.0)
    p = np.where(inside, chance, 0.5)
    logit = np.clip(np.log(p) - np.log1p(-p) + step, -700.0, 700.0)
    moved = 1.0 / (1.0 + np.exp(-logit))
    return np.where(inside, np.minimum(moved, np.maximum(ceiling, chance)), chance)
