"""Event logs for process-mining tools, written by the project itself:

- CSV with the usual column names (case:concept:name, concept:name, time:timestamp,
  org:resource, lifecycle:transition), then the trigger, states and payload;
- XES, the IEEE 1849 XML standard;
- OCEL 2.0 JSON, with the order as the object every event relates to.

Timestamps are ISO 8601 at millisecond precision; within an order, events that happened
at the same instant are one millisecond apart, in the order they happened.

An activity is the trigger's name, with its destination where the trigger may lead to
several states (`machine.activities`). An event's payload (the amount asked,
offered, awarded or repaid, the extension's days, the party owing evidence, a request's
reason and kind) is written as attributes where the event carried one. Each case begins
with its payment (`pay`), so that an order with nothing else yet is in the log, and carries
what the order began with: when it was paid, its price, the delivery time promised, and its
seller's and buyer's ids where the run had a population (`disputesim fit` reads them back).

The log is streamed: one run's partition is read, sorted and written at a time, so the
memory an export needs is that of one run, however many points and replications the
folder holds. `--point` and `--replication` choose which runs go in.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

import numpy as np

from machine.activities import ACTIVITIES, PAY, activity
from sim.errors import UserError
from sim.experiments.folder import ResultsFolder
from sim.files import atomic_stream, check_writable
from sim.world.scenario import epoch_of

FORMATS = ("csv", "xes", "ocel")
EVENT_COLUMNS = ("order_id", "seq", "time", "trigger", "source", "dest", "actor")
CASE_ATTRIBUTES = ("paid", "price", "promised_days", "seller_id", "buyer_id")
"""What a case carries in every format: its payment (a timestamp), price (cents), the
delivery time promised (days), and its seller's and buyer's ids (none without a
population)."""
PAYLOAD = ("amount", "days", "party", "reason", "kind")  # written where present
ORDER_ATTRIBUTES = ("truth", "final_state", "seller", "buyer", "carrier")
# Bytes an event takes in each format (its order's share of the trace included), measured
# on the baseline, to say what an export will write before writing it.
BYTES_PER_EVENT = {"csv": 168, "xes": 427, "ocel": 431}
BATCH = 50_000  # events turned into Python values at a time


def case_id(point: int, replication: int, order: int) -> str:
    return f"p{point}-r{replication}-{order}"


@dataclass(frozen=True)
class Run:
    """One run's partition of the folder: its point, replication and files."""

    point: int
    replication: int
    events: Path
    orders: Path
    start: dt.datetime  # midnight UTC of day 0 of the run's time axis
    promised: dict[str, float] | None = None  # each carrier's promised delivery, by name


def runs(folder: ResultsFolder, point: int | None, replication: int | None) -> list[Run]:
    """The runs to export, in (point, replication) order, refusing a selection the
    folder does not hold with one line."""
    _check_selection(folder, point, replication)
    starts = [
        dt.datetime.combine(epoch_of(p["scenario"]), dt.time(), tzinfo=dt.UTC)
        for p in folder.manifest["points"]
    ]
    promised = [
        {c["name"]: float(c["promised_days"]) for c in p["scenario"]["market"]["carriers"]}
        for p in folder.manifest["points"]
    ]
    found = []
    for events in sorted((folder.path / "events").glob("point=*/replication=*/part.parquet")):
        p = int(events.parent.parent.name.split("=", 1)[1])
        r = int(events.parent.name.split("=", 1)[1])
        if (point is None or p == point) and (replication is None or r == replication):
            orders = folder.path / "orders" / events.parent.parent.name / events.parent.name
            found.append(Run(p, r, events, orders / "part.parquet", starts[p], promised[p]))
    return found


def _check_selection(folder: ResultsFolder, point: int | None, replication: int | None) -> None:
    """Refuse a point or replication the folder does not hold, with one line."""
    stored = folder.sql("select distinct point, replication from summary")
    for flag, value, column in (
        ("--point", point, "point"),
        ("--replication", replication, "replication"),
    ):
        if value is None:
            continue
        held = sorted(int(v) for v in stored[column].unique())
        if value not in held:
            shown = f"{held[0]} to {held[-1]}" if held else "none"
            raise UserError(f"{flag} {value}: not in {folder.path} (it holds {column}s {shown})")


@dataclass(frozen=True)
class Size:
    """What an export will write: events, orders and an estimate of the bytes."""

    events: int
    orders: int
    estimate: int

    def describe(self) -> str:
        return f"{self.events:,} events of {self.orders:,} orders, about {_bytes(self.estimate)}"


def size(chosen: list[Run], fmt: str) -> Size:
    """The size of an export, from the Parquet files' metadata (nothing is read)."""
    import pyarrow.parquet as pq

    events = sum(pq.ParquetFile(run.events).metadata.num_rows for run in chosen)
    orders = sum(pq.ParquetFile(run.orders).metadata.num_rows for run in chosen)
    events += orders  # each order's payment
    return Size(events, orders, events * BYTES_PER_EVENT[fmt])


def _bytes(count: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:,.0f} {unit}" if unit == "bytes" else f"{count:,.1f} {unit}"
        count /= 1000
    raise AssertionError("unreachable")


def prepare(
    path: Path, fmt: str, target: Path, point: int | None = None, replication: int | None = None
) -> tuple[ResultsFolder, list[Run], Size]:
    """What an export of the folder would write, checked before anything is written:
    the format, the selection, the target, and room for it on the target's disk."""
    if fmt not in FORMATS:
        raise UserError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    folder = ResultsFolder.open(path)
    folder.require_tables("export")
    chosen = runs(folder, point, replication)
    check_writable(target)
    found = size(chosen, fmt)
    free = _free_space(target)
    if free is not None and found.estimate > free:
        raise UserError(
            f"{target}: the export needs about {_bytes(found.estimate)} and its disk has "
            f"{_bytes(free)} free (choose runs with --point and --replication)"
        )
    return folder, chosen, found


def _free_space(target: Path) -> int | None:
    folder = target.resolve().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def export(
    path: Path,
    fmt: str,
    target: Path,
    point: int | None = None,
    replication: int | None = None,
    starting: Callable[[list[Run], Size], None] | None = None,
) -> int:
    """Write the folder's event log (some points or replications, if given) to `target`;
    return the number of events written. `starting` hears what will be written, once
    everything is checked and before the first byte (the command line says so)."""
    _, chosen, found = prepare(path, fmt, target, point, replication)
    if starting is not None:
        starting(chosen, found)
    writer = {"csv": _csv, "xes": _xes, "ocel": _ocel}[fmt]
    with atomic_stream(target) as stream:
        return writer(chosen, stream)


# --- reading one run at a time ---------------------------------------------------------


def _events(run: Run) -> Iterator[dict[str, Any]]:
    """The run's events by case, then in log order, each with its ISO `stamp` (strictly
    increasing within a case, by a millisecond where two events share an instant, since
    process-mining tools sort by time) and its payload where it carried one; each case
    begins with its payment, so that an order with nothing else yet is in the log too."""
    import pyarrow.parquet as pq

    table = pq.read_table(run.events)
    present = [c for c in PAYLOAD if c in table.column_names]
    table = _with_payments(table.select([*EVENT_COLUMNS, *present]), run)
    order = np.lexsort((table.column("seq").to_numpy(), table.column("order_id").to_numpy()))
    table = table.take(order)
    case, last = None, None
    for start in range(0, table.num_rows, BATCH):
        batch = table.slice(start, BATCH).to_pydict()
        names = list(batch)
        for values in zip(*batch.values(), strict=True):
            event = dict(zip(names, values, strict=True))
            moment = run.start + dt.timedelta(days=float(event["time"]))
            moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
            if event["order_id"] == case and last is not None and moment <= last:
                moment = last + dt.timedelta(milliseconds=1)
            case, last = event["order_id"], moment
            event["stamp"] = moment.isoformat(timespec="milliseconds")
            event["payload"] = _payload(event, present)
            yield event


def _with_payments(table: Any, run: Run) -> Any:
    """The events with a `pay` event first in every order (sequence -1), at its payment."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    orders = pq.read_table(run.orders, columns=["order_id", "created_at"])
    n = orders.num_rows
    columns = {}
    for field in table.schema:
        kind = pa.string() if pa.types.is_dictionary(field.type) else field.type
        columns[field.name] = pc.cast(table.column(field.name), kind)
    plain = pa.table(columns)
    fixed = {
        "order_id": orders.column("order_id"),
        "seq": pa.array(np.full(n, -1, dtype=np.int32)),
        "time": orders.column("created_at"),
        "trigger": pa.array([PAY] * n, pa.string()),
        "source": pa.array([""] * n, pa.string()),
        "dest": pa.array(["paid"] * n, pa.string()),
        "actor": pa.array(["buyer"] * n, pa.string()),
    }
    payments = pa.table(
        {f.name: fixed.get(f.name, pa.nulls(n, f.type)).cast(f.type) for f in plain.schema}
    )
    return pa.concat_tables([plain, payments])


def _payload(event: dict[str, Any], present: list[str]) -> dict[str, Any]:
    """The attributes the event carried (-1 and missing mean none)."""
    found = {}
    for name in present:
        value = event[name]
        if value is not None and value != -1:
            found[name] = value
    return found


def _orders(run: Run) -> dict[int, dict[str, Any]]:
    """The run's orders by id, with the attributes a trace carries (`CASE_ATTRIBUTES` and
    `ORDER_ATTRIBUTES`)."""
    import pyarrow.parquet as pq

    columns = ["order_id", "created_at", "price", "seller_id", "buyer_id", *ORDER_ATTRIBUTES]
    rows = pq.read_table(run.orders, columns=columns).to_pylist()
    promised = run.promised or {}
    for row in rows:
        row["paid"] = _stamp(run.start + dt.timedelta(days=float(row["created_at"])))
        row["promised_days"] = promised.get(str(row["carrier"]))
        for who in ("seller_id", "buyer_id"):
            row[who] = None if row[who] < 0 else int(row[who])
    return {row["order_id"]: row for row in rows}


def _stamp(moment: dt.datetime) -> str:
    """ISO 8601 at millisecond precision (truncated, as the events are)."""
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return moment.isoformat(timespec="milliseconds")


# --- the formats -------------------------------------------------------------------------

CSV_HEADER = [
    "case:concept:name",
    "concept:name",
    "time:timestamp",
    "org:resource",
    "lifecycle:transition",
    "trigger",
    "from_state",
    "to_state",
    "day",
    *PAYLOAD,
    *(f"case:{name}" for name in CASE_ATTRIBUTES),
]


def _csv(chosen: list[Run], stream: IO[Any]) -> int:
    import csv

    out = csv.writer(stream)
    out.writerow(CSV_HEADER)
    count = 0
    for run in chosen:
        orders = _orders(run)
        for e in _events(run):
            payload, o = e["payload"], orders[e["order_id"]]
            out.writerow(
                [
                    case_id(run.point, run.replication, e["order_id"]),
                    activity(e["trigger"], e["dest"]),
                    e["stamp"],
                    e["actor"],
                    "complete",
                    e["trigger"],
                    e["source"],
                    e["dest"],
                    f"{e['time']:.6f}",
                    *(payload.get(name, "") for name in PAYLOAD),
                    *("" if o[name] is None else o[name] for name in CASE_ATTRIBUTES),
                ]
            )
            count += 1
    return count


XES_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <global scope="trace"><string key="concept:name" value="__INVALID__"/></global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
  <string key="concept:name" value="disputesim"/>
"""


def _xes_attribute(name: str, value: Any) -> str:
    if isinstance(value, int):
        return f'<int key="disputesim:{name}" value="{value}"/>'
    return f'<string key="disputesim:{name}" value={quoteattr(str(value))}/>'


def _xes(chosen: list[Run], stream: IO[Any]) -> int:
    stream.write(XES_HEAD)
    count = 0
    for run in chosen:
        orders = _orders(run)
        current = None
        for e in _events(run):
            if e["order_id"] != current:
                if current is not None:
                    stream.write("  </trace>\n")
                current = e["order_id"]
                o = orders[current]
                name = quoteattr(case_id(run.point, run.replication, current))
                stream.write(f'  <trace>\n    <string key="concept:name" value={name}/>\n')
                for attribute in ORDER_ATTRIBUTES:
                    stream.write(f"    {_xes_attribute(attribute, str(o[attribute]))}\n")
                stream.write(f'    <int key="disputesim:price" value="{int(o["price"])}"/>\n')
                stream.write(f'    <date key="disputesim:paid" value="{o["paid"]}"/>\n')
                if o["promised_days"] is not None:
                    stream.write('    <float key="disputesim:promised_days" '
                                 f'value="{o["promised_days"]}"/>\n')  # fmt: skip
                for who in ("seller_id", "buyer_id"):
                    if o[who] is not None:
                        stream.write(f"    {_xes_attribute(who, o[who])}\n")
            carried = "".join(_xes_attribute(k, v) for k, v in e["payload"].items())
            stream.write(
                "    <event>"
                f'<string key="concept:name" value={quoteattr(activity(e["trigger"], e["dest"]))}/>'
                f'<date key="time:timestamp" value="{e["stamp"]}"/>'
                f'<string key="org:resource" value={quoteattr(str(e["actor"]))}/>'
                '<string key="lifecycle:transition" value="complete"/>'
                f'<string key="disputesim:from" value={quoteattr(str(e["source"]))}/>'
                f'<string key="disputesim:to" value={quoteattr(str(e["dest"]))}/>'
                f"{carried}</event>\n"
            )
            count += 1
        if current is not None:
            stream.write("  </trace>\n")
    stream.write("</log>\n")
    return count


EPOCH = "1970-01-01T00:00:00.000+00:00"
OCEL_EVENT_ATTRIBUTES = (
    *(("actor", "string"), ("from", "string"), ("to", "string")),
    *(("amount", "integer"), ("days", "integer")),
    *(("party", "string"), ("reason", "string"), ("kind", "string")),
)


def _ocel(chosen: list[Run], stream: IO[Any]) -> int:
    """OCEL 2.0 JSON, written piece by piece: the types, every run's orders as objects,
    then every run's events (the event types are every activity the machine allows)."""
    types = {
        "objectTypes": [
            {
                "name": "order",
                "attributes": [
                    *({"name": n, "type": "string"} for n in ORDER_ATTRIBUTES),
                    {"name": "price", "type": "integer"},
                    {"name": "paid", "type": "time"},
                    {"name": "promised_days", "type": "float"},
                    {"name": "seller_id", "type": "integer"},
                    {"name": "buyer_id", "type": "integer"},
                ],
            }
        ],
        "eventTypes": [
            {
                "name": name,
                "attributes": [{"name": a, "type": t} for a, t in OCEL_EVENT_ATTRIBUTES],
            }
            for name in sorted(ACTIVITIES)
        ],
    }
    stream.write(json.dumps(types)[:-1] + ', "objects": [')
    first = True
    for run in chosen:
        for o in _orders(run).values():
            attributes: list[dict[str, object]] = [
                {"name": n, "time": EPOCH, "value": str(o[n])} for n in ORDER_ATTRIBUTES
            ]
            attributes.append({"name": "price", "time": EPOCH, "value": int(o["price"])})
            attributes += [
                {"name": name, "time": EPOCH, "value": o[name]}
                for name in ("paid", "promised_days", "seller_id", "buyer_id")
                if o[name] is not None
            ]
            item = {
                "id": case_id(run.point, run.replication, o["order_id"]),
                "type": "order",
                "attributes": attributes,
                "relationships": [],
            }
            stream.write(("" if first else ", ") + json.dumps(item))
            first = False
    stream.write('], "events": [')
    count = 0
    for run in chosen:
        for e in _events(run):
            carried = [{"name": k, "value": v} for k, v in e["payload"].items()]
            item = {
                "id": f"e{count}",
                "type": activity(e["trigger"], e["dest"]),
                "time": e["stamp"],
                "attributes": [
                    {"name": "actor", "value": str(e["actor"])},
                    {"name": "from", "value": str(e["source"])},
                    {"name": "to", "value": str(e["dest"])},
                    *carried,
                ],
                "relationships": [
                    {
                        "objectId": case_id(run.point, run.replication, e["order_id"]),
                        "qualifier": "order",
                    }
                ],
            }
            stream.write(("" if count == 0 else ", ") + json.dumps(item))
            count += 1
    stream.write("]}")
    return count
