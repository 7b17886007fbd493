"""The run's books: the event log as moves are fired and the orders table as orders end,
with what the window keeps of them.

An order paid in the warm-up is kept only if it reaches the case team in the window
(`Window.keeps`); the others are left out of both tables, and the log forgets their events
at the end (`EventLog.columns`), so every engine keeps the same rows whichever order it
ends them in.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from machine.invariants import LEGAL
from sim.world.behaviour.actors import Move
from sim.world.behaviour.worldorder import WorldOrder, order_row
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
from sim.world.records.tables import ORDER_COLUMNS, OrderRow
from sim.world.window import Window


class Books:
    """The event log and the orders table of one run, and the orders they leave out."""

    def __init__(self, window: Window) -> None:
        self.window = window
        self.log = EventLog()
        self.orders = Columns(ORDER_COLUMNS)
        self.codes = {  # (trigger, source, dest, actor) -> packed event code
            (t, src, dst, a): pack(TRIGGER_CODE[t], STATE_CODE[src], STATE_CODE[dst], a)
            for src, t, dst in LEGAL
            for a in range(len(ACTORS))
        }
        self._left_out: list[int] = []  # orders run one by one that the tables do not keep

    def note_payload(self, move: Move) -> None:
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

    def log_columns(
        self,
        ids: np.ndarray,
        times: np.ndarray,
        codes: np.ndarray,
        steps: np.ndarray,
        kept: np.ndarray | None = None,
        payloads: tuple[np.ndarray, dict[str, np.ndarray]] | None = None,
    ) -> None:
        """Many events at once (the block paths); `kept`: which of them the log keeps
        (default: all); `payloads`: which of them carried one, and its columns
        (`EventLog.extend`)."""
        if kept is None:
            self.log.extend(ids, times, codes, steps, payloads)
        elif kept.any():
            if payloads is not None:  # the payloads' places among the kept events
                where, values = payloads
                held = kept[where]
                place = np.cumsum(kept) - 1
                payloads = place[where[held]], {n: v[held] for n, v in values.items()}
            self.log.extend(ids[kept], times[kept], codes[kept], steps[kept], payloads)

    def ended(self, order: WorldOrder) -> OrderRow:
        """The row of an order run one by one that has ended, kept if the window keeps it."""
        row = order_row(order, order.paid_at >= self.window.first_day)
        if self.window.keeps(order.paid_at, order.escalated_at):
            self.orders.append(row)
        else:
            self._left_out.append(order.id)
        return row

    def rows_ended(self, chunk: dict[str, np.ndarray]) -> None:
        """Rows of many orders ended at once (the block paths): the table keeps the
        measured ones (a block path's orders never meet the team, so no other is kept:
        `Window.keeps`)."""
        kept = chunk["measured"].astype(bool)
        if not kept.all():
            chunk = {name: values[kept] for name, values in chunk.items()}
        self.orders.extend(chunk)

    def order_table(
        self, feedback: Iterable[tuple[np.ndarray, np.ndarray, np.ndarray]]
    ) -> dict[str, np.ndarray]:
        """The orders table at the end of the run, by order id, with the `feedback`
        (order ids, sentiment, when) settled for the orders run one by one."""
        columns = self.orders.columns(by="order_id")
        settled = list(feedback)
        if settled:
            ids, sentiment, at = (np.concatenate(c) for c in zip(*settled, strict=True))
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
