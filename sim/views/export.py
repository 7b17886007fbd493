"""Event logs for process-mining tools, written by the project itself:

- CSV with the usual column names (case:concept:name, concept:name, time:timestamp,
  org:resource, lifecycle:transition);
- XES, the IEEE 1849 XML standard;
- OCEL 2.0 JSON, with the order as the object every event relates to.

Timestamps are ISO 8601 at millisecond precision; within an order, events that happened
at the same instant are one millisecond apart, in the order they happened.

An activity is the trigger's name; a trigger that leads to different states (a decision
for a refund or for none) is named with its destination, `decide -> refund_clearing`, so a
trace names its path through the machine exactly.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from machine.table import TRANSITIONS
from sim.errors import UserError
from sim.experiments.scenario import epoch_of
from sim.files import atomic_stream
from sim.views.plots.data import Folder

FORMATS = ("csv", "xes", "ocel")
_DESTINATIONS: dict[str, set[str | None]] = {}
for _spec in TRANSITIONS:
    _DESTINATIONS.setdefault(_spec.trigger, set()).add(_spec.dest)
AMBIGUOUS = frozenset(t for t, dests in _DESTINATIONS.items() if len(dests) > 1)


def activity(trigger: str, dest: str) -> str:
    """The activity name of an event: the trigger, with its destination when ambiguous."""
    return f"{trigger} -> {dest}" if trigger in AMBIGUOUS else trigger


def case_id(point: int, replication: int, order: int) -> str:
    return f"p{point}-r{replication}-{order}"


def _events(folder: Folder, where: str) -> Iterator[dict[str, Any]]:
    """Events in log order, each with a `stamp`: its ISO time, made strictly increasing
    within a case (by a millisecond where two events share an instant), because
    process-mining tools sort by time and would otherwise reorder simultaneous events."""
    sql = (
        "select e.point, e.replication, e.order_id, e.time, e.trigger, e.source, e.dest, e.actor "
        f"from events e {where} order by e.point, e.replication, e.order_id, e.seq"
    )
    frame = folder.sql(sql)
    starts = _starts(folder)
    case, last = None, None
    for event in frame.to_dict("records"):
        moment = starts[event["point"]] + dt.timedelta(days=float(event["time"]))
        moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
        key = (event["point"], event["replication"], event["order_id"])
        if key == case and last is not None and moment <= last:
            moment = last + dt.timedelta(milliseconds=1)
        case, last = key, moment
        event["stamp"] = moment.isoformat(timespec="milliseconds")
        yield event


def _orders(folder: Folder, where: str) -> list[dict[str, Any]]:
    return folder.sql(
        "select point, replication, order_id, price, truth, final_state, seller, buyer, carrier, "
        f"refunded from orders e {where} order by point, replication, order_id"
    ).to_dict("records")


def _starts(folder: Folder) -> list[dt.datetime]:
    """Midnight UTC of each point's start date: day 0 of its time axis."""
    return [
        dt.datetime.combine(
            epoch_of(p["scenario"]),
            dt.time(),
            tzinfo=dt.UTC,
        )
        for p in folder.manifest["points"]
    ]


def export(
    path: Path, fmt: str, target: Path, point: int | None = None, replication: int | None = None
) -> int:
    """Write the folder's event log (one point or replication if given); return its size."""
    if fmt not in FORMATS:
        raise UserError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    folder = Folder.open(path)
    _check_selection(folder, point, replication)
    filters = [f"e.point = {int(point)}"] if point is not None else []
    filters += [f"e.replication = {int(replication)}"] if replication is not None else []
    where = ("where " + " and ".join(filters)) if filters else ""
    writer = {"csv": _csv, "xes": _xes, "ocel": _ocel}[fmt]
    with atomic_stream(target) as stream:
        return writer(folder, where, stream)


def _check_selection(folder: Folder, point: int | None, replication: int | None) -> None:
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


def _csv(folder: Folder, where: str, stream: Any) -> int:
    import csv

    out = csv.writer(stream)
    out.writerow(
        [
            "case:concept:name",
            "concept:name",
            "time:timestamp",
            "org:resource",
            "lifecycle:transition",
            "trigger",
            "from_state",
            "to_state",
            "day",
        ]
    )
    count = 0
    for e in _events(folder, where):
        out.writerow(
            [
                case_id(e["point"], e["replication"], e["order_id"]),
                activity(e["trigger"], e["dest"]),
                e["stamp"],
                e["actor"],
                "complete",
                e["trigger"],
                e["source"],
                e["dest"],
                f"{e['time']:.6f}",
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


def _xes(folder: Folder, where: str, stream: Any) -> int:
    orders = {(o["point"], o["replication"], o["order_id"]): o for o in _orders(folder, where)}
    stream.write(XES_HEAD)
    current, count = None, 0
    for e in _events(folder, where):
        key = (e["point"], e["replication"], e["order_id"])
        if key != current:
            if current is not None:
                stream.write("  </trace>\n")
            o = orders[key]
            stream.write(
                f'  <trace>\n    <string key="concept:name" value={quoteattr(case_id(*key))}/>\n'
            )
            for name in ("truth", "final_state", "seller", "buyer", "carrier"):
                stream.write(
                    f'    <string key="disputesim:{name}" value={quoteattr(str(o[name]))}/>\n'
                )
            stream.write(f'    <int key="disputesim:price" value="{int(o["price"])}"/>\n')
            current = key
        stream.write(
            "    <event>"
            f'<string key="concept:name" value={quoteattr(activity(e["trigger"], e["dest"]))}/>'
            f'<date key="time:timestamp" value="{e["stamp"]}"/>'
            f'<string key="org:resource" value={quoteattr(str(e["actor"]))}/>'
            '<string key="lifecycle:transition" value="complete"/>'
            f'<string key="disputesim:from" value={quoteattr(str(e["source"]))}/>'
            f'<string key="disputesim:to" value={quoteattr(str(e["dest"]))}/>'
            "</event>\n"
        )
        count += 1
    if current is not None:
        stream.write("  </trace>\n")
    stream.write("</log>\n")
    return count


def _ocel(folder: Folder, where: str, stream: Any) -> int:
    epoch = "1970-01-01T00:00:00.000+00:00"
    objects = []
    for o in _orders(folder, where):
        attributes: list[dict[str, object]] = [
            {"name": n, "time": epoch, "value": str(o[n])}
            for n in ("truth", "final_state", "seller", "buyer", "carrier")
        ]
        attributes.append({"name": "price", "time": epoch, "value": int(o["price"])})
        objects.append(
            {
                "id": case_id(o["point"], o["replication"], o["order_id"]),
                "type": "order",
                "attributes": attributes,
                "relationships": [],
            }
        )
    events, types = [], set()
    for n, e in enumerate(_events(folder, where)):
        name = activity(e["trigger"], e["dest"])
        types.add(name)
        events.append(
            {
                "id": f"e{n}",
                "type": name,
                "time": e["stamp"],
                "attributes": [
                    {"name": "actor", "value": str(e["actor"])},
                    {"name": "from", "value": str(e["source"])},
                    {"name": "to", "value": str(e["dest"])},
                ],
                "relationships": [
                    {
                        "objectId": case_id(e["point"], e["replication"], e["order_id"]),
                        "qualifier": "order",
                    }
                ],
            }
        )
    document = {
        "objectTypes": [
            {
                "name": "order",
                "attributes": [
                    *(
                        {"name": n, "type": "string"}
                        for n in ("truth", "final_state", "seller", "buyer", "carrier")
                    ),
                    {"name": "price", "type": "integer"},
                ],
            }
        ],
        "eventTypes": [
            {
                "name": t,
                "attributes": [{"name": a, "type": "string"} for a in ("actor", "from", "to")],
            }
            for t in sorted(types)
        ],
        "objects": objects,
        "events": events,
    }
    json.dump(document, stream)
    return len(events)
