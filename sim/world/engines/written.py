"""What a block path hands the world: the events and rows of orders resolved as columns.

The block paths (`sim.world.engines.plain`, `sim.world.engines.settled`) decide many orders
at once and gather what they decided here, a group of orders at a time; `flush` gives it to
the world once per block. Each of the world's calls (the log, the sellers' counts, the feedback,
the table) has a cost of its own, which a few dozen small groups a block would pay many
times over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.world.records.lazy import LazyColumns
from sim.world.records.recorder import PAYLOAD_COLUMNS
from sim.world.records.tables import ORDER_COLUMNS

if TYPE_CHECKING:
    from sim.world.engines.arrivals import Arrivals
    from sim.world.engines.marketplace import Marketplace

NAN = np.nan


class Written:
    """A block's resolved orders' events and rows, gathered, then handed over at once."""

    def __init__(self, world: Marketplace, arrivals: Arrivals) -> None:
        self.world, self.arrivals, self.col = world, arrivals, arrivals.block.columns
        # the warm-up's orders alone: the log keeps none of their events, only the
        # sellers' counts read them (`Marketplace.log_columns`)
        self._counted_only = not arrivals.measured.any()
        self._events: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self._payloads: list[tuple[int, dict[str, np.ndarray]]] = []  # (group, columns)
        self._opened: list[tuple[np.ndarray, np.ndarray]] = []
        self._orders: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None,
                                 dict[str, np.ndarray]]] = []  # fmt: skip

    def facts(self, rows: np.ndarray) -> LazyColumns:
        """The drawn facts of the block's `rows`, each read when first asked for."""
        return self.col.read_at(rows)

    def events(
        self,
        rows: np.ndarray,
        times: np.ndarray,
        codes: np.ndarray | int,
        steps: np.ndarray,
        payload: dict[str, np.ndarray] | None = None,
    ) -> None:
        """Events of the orders at block `rows` (`steps`: each one's number in its order);
        `payload`: what each carried (some of `PAYLOAD_COLUMNS`, the rest -1)."""
        if self._counted_only:
            counted = self.world.tally.counted_codes[codes] >= 0
            if self.world.tally.monitor is None or not counted.any():
                return
            if not isinstance(codes, int) and not counted.all():
                rows, times, codes, steps = (
                    rows[counted],
                    times[counted],
                    codes[counted],
                    steps[counted],
                )
                payload = None if payload is None else {n: v[counted] for n, v in payload.items()}
        if isinstance(codes, int):
            codes = np.full(len(rows), codes, dtype=np.int32)
        if payload is not None:
            none = np.full(len(rows), -1, dtype=np.int64)
            self._payloads.append(
                (len(self._events), {name: payload.get(name, none) for name in PAYLOAD_COLUMNS})
            )
        self._events.append((rows, times, codes, steps))

    def opened(self, rows: np.ndarray, times: np.ndarray) -> None:
        """The first disputes of the orders at `rows`, opened at `times` (the sellers'
        and buyers' counts of them)."""
        self._opened.append((rows, times))

    def orders(
        self,
        rows: np.ndarray,
        outcome: np.ndarray,
        closed_at: np.ndarray,
        last_event: np.ndarray | None = None,
        **varying: np.ndarray,
    ) -> None:
        """The rows of ended orders: the columns that differ from a plain order's
        (`varying`, a value per row), their feedback outcome, the time they reached
        their end state and of their last event (which the feedback follows; default:
        the end state's)."""
        assert all(len(values) == len(rows) for values in varying.values()), varying.keys()
        self._orders.append((rows, outcome, closed_at, last_event, varying))

    def flush(self) -> None:
        """Everything gathered, to the world, in one call of each kind (the sellers'
        counts of them all at once)."""
        with self.world.tally.together():
            self._flush()

    def _flush(self) -> None:
        world, arrivals = self.world, self.arrivals
        if self._events:
            self._log()
        if self._opened:
            rows, times = (np.concatenate(c) for c in zip(*self._opened, strict=True))
            world.tally.opened(arrivals.ids_of(rows), times, self.col["buyer_id"][rows])
        if not self._orders:
            return
        rows, outcome, closed_at = (
            np.concatenate([part[i] for part in self._orders]) for i in range(3)
        )
        dated = any(part[3] is not None for part in self._orders)
        last = np.concatenate([part[2] if part[3] is None else part[3] for part in self._orders])
        names = {name for part in self._orders for name in part[4]}
        varying = {name: np.concatenate([_part(part, name) for part in self._orders])
                   for name in names}  # fmt: skip
        f = self.facts(rows)
        ids = arrivals.ids_of(rows)
        feedback, feedback_at = world.tally.feedback_columns(ids, outcome, last, f)
        kept = arrivals.measured[rows]
        if world.tally.learner is None and not kept.all():  # rows only the table would read
            if not kept.any():  # the warm-up's: the table keeps none (`write_orders`)
                return
            rows, closed_at, feedback, feedback_at, last = (
                values[kept] for values in (rows, closed_at, feedback, feedback_at, last)
            )
            varying = {name: values[kept] for name, values in varying.items()}
            f = self.facts(rows)
        world.write_orders(
            order_columns(self.arrivals, rows, f, closed_at=closed_at, feedback=feedback,
                          feedback_at=feedback_at, **varying),
            last if dated else None,
        )  # fmt: skip

    def _log(self) -> None:
        """The gathered events to the world's log, with their payloads."""
        world = self.world
        sizes = np.array([len(group[0]) for group in self._events])
        rows, times, codes, steps = (np.concatenate(c) for c in zip(*self._events, strict=True))
        payloads = None
        if self._payloads:
            starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
            # increasing: the groups were noted in turn, each one's events in order
            where = np.concatenate([starts[g] + np.arange(sizes[g]) for g, _ in self._payloads])
            values = {name: np.concatenate([v[name] for _, v in self._payloads])
                      for name in PAYLOAD_COLUMNS}  # fmt: skip
            payloads = where, values
        kept = self.arrivals.measured[rows]  # the warm-up's orders are not kept
        world.log_columns(
            self.arrivals.ids_of(rows), times, codes, steps, None if kept.all() else kept, payloads
        )


def _part(part: tuple, name: str) -> np.ndarray:
    """A group's values of a varying column: its own, or a plain order's."""
    rows, varying = part[0], part[4]
    if name in varying:
        return _filled(varying[name], len(rows))
    return np.full(len(rows), PLAIN_DEFAULTS[name])


def _filled(value: np.ndarray | float | int, n: int) -> np.ndarray:
    """`value` for each of `n` rows: an array as it is, a single value repeated."""
    value = np.asarray(value)
    return value if value.ndim else np.full(n, value)


PLAIN_DEFAULTS: dict[str, float | int] = {
    "repaid": 0,
    "disputed": 0,
    "false_claim": 0,
    "reason": -1,
    "kind": -1,
    "escalated": 0,
    "appealed": 0,
    "decision": -1,
    "opened_at": NAN,
    "escalated_at": NAN,
    "decided_at": NAN,
    "team_wait": NAN,
}
"""The columns of an order that never met a dispute or the team, as a plain order has them."""


def order_columns(
    arrivals: Arrivals, rows: np.ndarray, f: dict[str, np.ndarray], **varying: np.ndarray | int
) -> dict[str, np.ndarray]:
    """The orders-table columns of orders resolved as a block: the drawn facts, and the
    columns that differ by path (`varying`); what is not given is a plain order's."""
    n = len(rows)
    columns = {
        "order_id": arrivals.ids_of(rows),
        "created_at": arrivals.created[rows],
        "measured": arrivals.measured[rows],
        "price": f["price"],
        "seller": f["seller"],
        "buyer": f["buyer"],
        "carrier": f["carrier"],
        "seller_id": f["seller_id"],
        "buyer_id": f["buyer_id"],
        "standing": f["standing"],
        "reused_tracking": f["reused_tracking"],
        "surcharge": f["surcharge"],
        "hold_days": f["hold_days"],
    }
    for name in ORDER_COLUMNS:
        if name not in columns:
            columns[name] = _filled(
                varying.pop(name) if name in varying else PLAIN_DEFAULTS[name], n
            )
    assert not varying, varying
    return {name: columns[name] for name in ORDER_COLUMNS}
