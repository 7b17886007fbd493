"""A simulated run read as a log: the events a results folder keeps, as the `EventFrame`
a platform's log becomes, so that `disputesim fidelity` holds both to the same measures.

The events are read column-wise from the run's partition, named as the project's export
names them (`sim.views.export.activity`), with what each case began with (payment, price,
promised delivery, seller and buyer); only the orders paid in the measured window are
kept, as a log holds the orders of its own window.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from machine.activities import AMBIGUOUS
from sim.fitting.frame import EventFrame
from sim.fitting.mapping import OWN
from sim.fitting.reading import frame_of_columns

PAYLOAD = ("amount", "days", "party", "reason", "kind")


class RunFiles(Protocol):
    """Where one run's tables are (`sim.views.export.Run` is one)."""

    @property
    def events(self) -> Path: ...
    @property
    def orders(self) -> Path: ...
    @property
    def start(self) -> dt.datetime: ...  # midnight UTC of day 0 of the run's time axis
    @property
    def promised(self) -> dict[str, float] | None: ...  # each carrier's promised delivery


def run_frame(run: RunFiles) -> EventFrame:
    """The events of the orders paid in `run`'s measured window, as a log of them."""
    orders = pq.read_table(
        run.orders,
        columns=["order_id", "created_at", "measured", "price", "carrier", "seller_id", "buyer_id"],
    )
    measured = orders.filter(pc.equal(orders.column("measured"), 1))
    events = pq.read_table(run.events)
    events = events.filter(pc.is_in(events.column("order_id"), measured.column("order_id")))
    order = np.lexsort((events.column("seq").to_numpy(), events.column("order_id").to_numpy()))
    events = events.take(order)
    case = events.column("order_id")
    trigger = pc.cast(events.column("trigger"), pa.string())
    dest = pc.cast(events.column("dest"), pa.string())
    named = pc.if_else(
        pc.is_in(trigger, pa.array(sorted(AMBIGUOUS), pa.string())),
        pc.binary_join_element_wise(trigger, dest, " -> "),
        trigger,
    )
    raw = {
        "case": case,
        "activity": named,
        "timestamp": events.column("time"),
        "line": np.arange(1, events.num_rows + 1, dtype=np.int64),
    }
    for name in PAYLOAD:
        if name in events.column_names:
            raw[name] = _none_for_missing(events.column(name))
    raw.update(_case_columns(measured, case, run))
    mapping = OWN.model_copy(update={"time_format": "days", "epoch": run.start.date()})
    return frame_of_columns(run.events, raw, mapping)


def _none_for_missing(column: pa.ChunkedArray) -> pa.Array:
    """A payload column with the run's "none" (-1, or no value) as a null."""
    array = column.combine_chunks()
    if pa.types.is_dictionary(array.type):
        return pc.cast(array, pa.string())
    return pc.if_else(pc.equal(array, -1), pa.scalar(None, array.type), array)


def _case_columns(orders: pa.Table, case: pa.ChunkedArray, run: RunFiles) -> dict[str, pa.Array]:
    """What each case began with, on every one of its events (a log's case attributes)."""
    at = pc.index_in(case, orders.column("order_id"))
    promised = run.promised or {}
    carrier = pc.cast(orders.column("carrier"), pa.string()).to_pylist()
    days = pa.array([promised.get(str(name)) for name in carrier], pa.float64())
    found: dict[str, pa.Array] = {
        "paid": orders.column("created_at").take(at),
        "price": orders.column("price").take(at),
        "promised": days.take(at),
    }
    for field, column in (("seller", "seller_id"), ("buyer", "buyer_id")):
        ids = orders.column(column).combine_chunks()
        found[field] = pc.if_else(pc.less(ids, 0), pa.scalar(None, ids.type), ids).take(at)
    return found
