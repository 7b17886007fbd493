"""Reading a log: CSV, Parquet, XES or OCEL 2.0 JSON, into an `EventFrame`.

CSV and Parquet are read a batch of columns at a time by pyarrow, only the columns the
mapping names; XES is parsed element by element and OCEL's JSON once, both into columns.
Every way a log can be unusable is one line naming the file, the line (or event) or case,
and what was expected: a missing file or column, an empty or truncated file, a label the
mapping neither maps nor ignores, a case whose events are out of time order, a repeated
event, a case without events.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from machine.order import Party, Reason, RequestKind
from sim.errors import UserError
from sim.fitting.frame import NONE, EventFrame
from sim.fitting.mapping import OWN, Columns, Mapping

FORMATS = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".xes": "xes",
    ".jsonocel": "ocel",
    ".json": "ocel",
}
REASONS, KINDS, PARTIES = tuple(Reason), tuple(RequestKind), tuple(Party)
EVENT_FIELDS = ("amount", "days", "reason", "kind", "party", "resource")
CASE_FIELDS = ("paid", "price", "promised", "seller", "buyer")
XES_KEYS = {
    "price": "case:disputesim:price",
    "paid": "case:disputesim:paid",
    "promised": "case:disputesim:promised_days",
    "seller": "case:disputesim:seller_id",
    "buyer": "case:disputesim:buyer_id",
    "amount": "disputesim:amount",
    "days": "disputesim:days",
    "reason": "disputesim:reason",
    "kind": "disputesim:kind",
    "party": "disputesim:party",
}


class LogError(UserError):
    """A log that cannot be read as a log of the process: one line, exit 2."""


def format_of(path: Path) -> str:
    """The log's format, from its name."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise LogError(f"{path}: expected a .csv, .parquet, .xes or .jsonocel (OCEL 2.0) log")
    return FORMATS[suffix]


def own_mapping(fmt: str) -> Mapping:
    """How the project's own export of `fmt` is read (`disputesim export`)."""
    if fmt == "xes":
        keys = {name: XES_KEYS[name] for name in (*CASE_FIELDS, *EVENT_FIELDS) if name in XES_KEYS}
        return OWN.model_copy(update={"columns": Columns(**keys)})
    if fmt == "ocel":
        return OWN.model_copy(
            update={"columns": Columns(case="order", timestamp="time", activity="type")}
        )
    return OWN


def read_log(path: str | Path, mapping: Mapping | None = None) -> EventFrame:
    """The log at `path` as an `EventFrame`, read through `mapping` (default: the project's
    own export's); one line (exit 2) for anything that makes it unusable."""
    path = Path(path)
    fmt = format_of(path)
    if not path.exists():
        raise LogError(f"{path}: no such file")
    if not path.is_file():
        raise LogError(f"{path}: not a file (expected a log)")
    mapping = mapping or own_mapping(fmt)
    reader = {"csv": _csv, "parquet": _parquet, "xes": _xes, "ocel": _ocel}[fmt]
    raw = reader(path, mapping.columns)
    if not len(raw["case"]):
        raise LogError(f"{path}: no events (an empty log)")
    return frame_of_columns(path, raw, mapping)


# --- the formats, each into raw columns (one entry a row) ----------------------------------


def _wanted(columns: Columns) -> dict[str, str]:
    """The log's column for each field the mapping names (the three required first)."""
    named = {"case": columns.case, "activity": columns.activity, "timestamp": columns.timestamp}
    for name in (*EVENT_FIELDS, *CASE_FIELDS):
        column = getattr(columns, name)
        if column is not None:
            named[name] = column
    return named


def _csv(path: Path, columns: Columns) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    header = _csv_header(path)
    wanted = {
        f: c
        for f, c in _wanted(columns).items()
        if f in ("case", "activity", "timestamp") or c in header
    }
    _require(path, header, wanted)
    options = pacsv.ConvertOptions(
        include_columns=list(dict.fromkeys(wanted.values())),
        column_types=dict.fromkeys(wanted.values(), pa.string()),
        strings_can_be_null=True,
    )
    batches = []
    try:
        reader = pacsv.open_csv(
            path, convert_options=options, read_options=pacsv.ReadOptions(block_size=1 << 22)
        )
        batches = list(reader)
    except pa.ArrowInvalid as err:
        raise LogError(_csv_problem(path, len(header), str(err))) from None
    table = pa.Table.from_batches(batches) if batches else None
    raw: dict[str, Any] = {}
    for field, column in wanted.items():
        raw[field] = (
            table.column(column).combine_chunks()
            if table is not None
            else pa.array([], pa.string())
        )
    raw["line"] = np.arange(2, len(raw["case"]) + 2, dtype=np.int64)
    return raw


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8") as stream:
            return next(csv.reader(stream), [])
    except UnicodeDecodeError:
        raise LogError(f"{path}: not a text file (expected UTF-8 CSV)") from None


def _csv_problem(path: Path, fields: int, message: str) -> str:
    """The first line whose number of fields is not the header's (a truncated file)."""
    with path.open(newline="", encoding="utf-8") as stream:
        for number, row in enumerate(csv.reader(stream), start=1):
            if row and len(row) != fields:
                return (
                    f"{path} line {number}: expected {fields} fields as in the header, "
                    f"got {len(row)} (a truncated or damaged file?)"
                )
    return f"{path}: not a readable CSV ({message.splitlines()[0]})"


def _require(path: Path, found: list[str] | set[str], wanted: dict[str, str]) -> None:
    for field in ("case", "activity", "timestamp"):
        if wanted[field] not in found:
            shown = ", ".join(list(found)[:12])
            raise LogError(
                f"{path}: no column {wanted[field]!r} (the mapping's columns.{field}); "
                f"the log has: {shown}"
            )


def _parquet(path: Path, columns: Columns) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (pa.ArrowInvalid, OSError) as err:
        raise LogError(
            f"{path}: not a readable Parquet file ({str(err).splitlines()[0]})"
        ) from None
    names = set(schema.names)
    wanted = {
        f: c
        for f, c in _wanted(columns).items()
        if f in ("case", "activity", "timestamp") or c in names
    }
    _require(path, names, wanted)
    try:
        table = pq.read_table(path, columns=list(dict.fromkeys(wanted.values())))
    except (pa.ArrowInvalid, OSError) as err:
        raise LogError(
            f"{path}: not a readable Parquet file ({str(err).splitlines()[0]})"
        ) from None
    raw: dict[str, Any] = {
        field: table.column(column).combine_chunks() for field, column in wanted.items()
    }
    raw["line"] = np.arange(1, table.num_rows + 1, dtype=np.int64)
    return raw


def _xes(path: Path, columns: Columns) -> dict[str, Any]:
    """Traces and events of an XES file; trace attributes as `case:KEY`."""
    wanted = _wanted(columns)
    rows: dict[str, list[Any]] = {field: [] for field in wanted}
    rows["line"] = []
    case_attributes: dict[str, Any] = {}
    in_trace = in_event = False
    event: dict[str, Any] = {}
    count = events_in_trace = 0
    try:
        for kind, element in ET.iterparse(path, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if kind == "start":
                if tag == "trace":
                    in_trace, case_attributes, events_in_trace = True, {}, 0
                elif tag == "event" and in_trace:
                    in_event, event = True, {}
                continue
            if tag == "event" and in_event:
                count += 1
                events_in_trace += 1
                merged = {**case_attributes, **event}
                for field, key in wanted.items():
                    rows[field].append(merged.get(key))
                rows["line"].append(count)
                in_event = False
                element.clear()
            elif tag == "trace":
                if not events_in_trace:
                    name = case_attributes.get("case:concept:name", "?")
                    raise LogError(f"{path}: case {name!r} has no events (a trace with none)")
                in_trace = False
                element.clear()
            elif "key" in element.attrib and in_trace:
                key, value = element.attrib["key"], element.attrib.get("value")
                if in_event:
                    event[key] = value
                else:
                    case_attributes[f"case:{key}"] = value
    except ET.ParseError as err:
        line = err.position[0] if hasattr(err, "position") else "?"
        raise LogError(
            f"{path} line {line}: not well-formed XES ({err}; a truncated file?)"
        ) from None
    return {
        field: np.array(values, dtype=object)
        if field != "line"
        else np.array(values, dtype=np.int64)
        for field, values in rows.items()
    }


def _ocel(path: Path, columns: Columns) -> dict[str, Any]:
    """Events of an OCEL 2.0 JSON file; the case is the related object of the type the
    mapping names (`columns.case`), its attributes `case:NAME`."""
    try:
        data = json.loads(path.read_bytes())
    except json.JSONDecodeError as err:
        raise LogError(
            f"{path} line {err.lineno}: not valid OCEL 2.0 JSON ({err.msg}; a truncated file?)"
        ) from None
    except UnicodeDecodeError:
        raise LogError(f"{path}: not a text file (expected OCEL 2.0 JSON)") from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise LogError(f"{path}: not OCEL 2.0 JSON (expected 'objects' and 'events')")
    kind = columns.case
    objects = {o.get("id"): o for o in data.get("objects", []) if o.get("type") == kind}
    attributes = {
        oid: {f"case:{a.get('name')}": a.get("value") for a in o.get("attributes", [])}
        for oid, o in objects.items()
    }
    wanted = _wanted(columns)
    rows: dict[str, list[Any]] = {field: [] for field in wanted}
    rows["line"] = []
    seen: set[Any] = set()
    for number, event in enumerate(data["events"], start=1):
        related = [
            r.get("objectId")
            for r in event.get("relationships", [])
            if r.get("objectId") in objects
        ]
        if not related:
            raise LogError(
                f"{path} event {number}: relates to no object of type {kind!r} "
                "(the mapping's columns.case)"
            )
        case = related[0]
        seen.add(case)
        own = {a.get("name"): a.get("value") for a in event.get("attributes", [])}
        values = {
            "order": case,
            "type": event.get("type"),
            "time": event.get("time"),
            **attributes[case],
            **own,
        }
        for field, key in wanted.items():
            rows[field].append(case if field == "case" else values.get(key))
        rows["line"].append(number)
    empty = [oid for oid in objects if oid not in seen]
    if empty:
        raise LogError(f"{path}: case {empty[0]!r} has no events (an object no event relates to)")
    return {
        field: np.array(values, dtype=object)
        if field != "line"
        else np.array(values, dtype=np.int64)
        for field, values in rows.items()
    }


# --- raw columns into a frame ---------------------------------------------------------------


def _arrow(values: Any) -> pa.Array:
    """A raw column as an arrow array (text where the log wrote text)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values
    return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def _text(values: Any) -> pa.Array:
    """A raw column as text, an empty value as none."""
    array = _arrow(values)
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = pc.cast(array, pa.string())
    return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)


def _strings(values: Any) -> np.ndarray:
    """Values as an object array of strings, None where missing."""
    return np.asarray(_text(values).to_numpy(zero_copy_only=False), dtype=object)


def _codes(values: Any) -> tuple[np.ndarray, list[str]]:
    """A text column coded in order of first appearance: the codes (-1: none) and names."""
    encoded = pc.dictionary_encode(_text(values))
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, [str(name) for name in encoded.dictionary.to_pylist()]


def frame_of_columns(path: Path, raw: dict[str, Any], mapping: Mapping) -> EventFrame:
    """Raw columns (one entry an event, the fields a mapping names) as an `EventFrame`."""
    line = np.asarray(raw["line"])
    case_codes, case_names = _codes(raw["case"])
    label_codes, label_names = _codes(raw["activity"])
    for field, codes in (("case", case_codes), ("activity", label_codes)):
        missing = np.flatnonzero(codes < 0)
        if len(missing):
            raise LogError(
                f"{_at(path, line[missing[0]])}: no {field} "
                f"(column {getattr(mapping.columns, field)!r})"
            )
    stamps = _times(path, raw["timestamp"], mapping, line, "timestamp")
    order = np.lexsort((line, case_codes))
    case, time, label, line = case_codes[order], stamps[order], label_codes[order], line[order]
    _check_order(path, case, time, label, line, case_names, label_names)
    first_day = _midnight(np.nanmin(stamps))
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=first_day)
    events = _event_columns(path, raw, mapping, order, line)
    cases = _case_columns(path, raw, mapping, order, case, len(case_names), line)
    cases["paid"] = cases["paid"] - first_day
    _check_labels(path, label_names, label, line, mapping)
    return EventFrame(
        path,
        epoch,
        case.astype(np.int32),
        np.asarray(case_names, dtype=object),
        time - first_day,
        label.astype(np.int32),
        np.asarray(label_names, dtype=object),
        line,
        events,
        cases,
    )


def _at(path: Path, line: int) -> str:
    unit = "line" if path.suffix.lower() == ".csv" else "event"
    return f"{path} {unit} {int(line)}"


def _midnight(days: float) -> float:
    return float(np.floor(days))


def _times(path: Path, values: Any, mapping: Mapping, line: np.ndarray, what: str) -> np.ndarray:
    """Timestamps as days since 1970-01-01 UTC (NaN where missing, for optional columns):
    read by arrow where it can, by pandas (naive times, formats) where it cannot."""
    array = _arrow(values)
    if pa.types.is_timestamp(array.type):
        micros = pc.cast(array, pa.timestamp("us", array.type.tz)).cast(pa.int64())
        parsed = micros.to_numpy(zero_copy_only=False).astype(float) / 86_400e6
    elif mapping.time_format == "days":
        parsed = _numbers(path, values, line, what, "") + (
            (mapping.epoch - dt.date(1970, 1, 1)).days if mapping.epoch else 0
        )
    else:
        text = _text(array)
        try:
            if mapping.time_format != "iso":
                raise pa.ArrowInvalid("a format of its own")
            micros = pc.cast(text, pa.timestamp("us", "UTC")).cast(pa.int64())
            parsed = micros.to_numpy(zero_copy_only=False).astype(float) / 86_400e6
            parsed[pc.is_null(text).to_numpy(zero_copy_only=False)] = np.nan
        except pa.ArrowInvalid:
            parsed = _pandas_times(path, text, mapping, line, what)
    if what == "timestamp":
        missing = np.flatnonzero(np.isnan(parsed))
        if len(missing):
            raise LogError(f"{_at(path, line[missing[0]])}: no timestamp")
    return parsed


def _pandas_times(
    path: Path, text: pa.Array, mapping: Mapping, line: np.ndarray, what: str
) -> np.ndarray:
    """Timestamps arrow does not read: naive ones (taken as UTC), or in a format of the
    mapping's; one line for the first that is not a time at all."""
    shown = np.asarray(text.to_numpy(zero_copy_only=False), dtype=object)
    fmt = "ISO8601" if mapping.time_format == "iso" else mapping.time_format
    stamp = pd.to_datetime(pd.Series(shown), utc=True, format=fmt, errors="coerce")
    micros = (stamp - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(microseconds=1)
    parsed = micros.astype(float).to_numpy() / 86_400e6  # as arrow's times are computed
    bad = np.flatnonzero(np.isnan(parsed) & ~pd.isna(shown))
    if len(bad):
        expected = "an ISO 8601 timestamp" if fmt == "ISO8601" else f"a time as {fmt}"
        raise LogError(
            f"{_at(path, line[bad[0]])}: {what} {shown[bad[0]]!r} is not "
            f"{expected} (the mapping's time_format)"
        )
    return parsed


def _check_order(
    path: Path,
    case: np.ndarray,
    time: np.ndarray,
    label: np.ndarray,
    line: np.ndarray,
    case_names: Any,
    label_names: Any,
) -> None:
    """Within a case, events come in time order and no event is logged twice."""
    same = case[1:] == case[:-1]
    back = np.flatnonzero(same & (time[1:] < time[:-1]))
    if len(back):
        k = back[0] + 1
        raise LogError(
            f"{_at(path, line[k])}: case {case_names[case[k]]!r}: this event comes "
            f"before the one at {_where_short(path, line[k - 1])} (a case's events "
            "must be in time order)"
        )
    twice = np.flatnonzero(same & (time[1:] == time[:-1]) & (label[1:] == label[:-1]))
    if len(twice):
        k = twice[0] + 1
        raise LogError(
            f"{_at(path, line[k])}: case {case_names[case[k]]!r} repeats the event "
            f"{label_names[label[k]]!r} of {_where_short(path, line[k - 1])} at the "
            "same time (a duplicate event)"
        )


def _where_short(path: Path, line: int) -> str:
    return f"{'line' if path.suffix.lower() == '.csv' else 'event'} {int(line)}"


def _check_labels(
    path: Path, names: Any, label: np.ndarray, line: np.ndarray, mapping: Mapping
) -> None:
    """Every label is mapped or ignored, unless the mapping lets unknown ones be reported."""
    if mapping.unknown_labels == "report":
        return
    for code, name in enumerate(names):
        if name in mapping.ignore or mapping.activity(str(name)) is not None:
            continue
        first = int(line[np.flatnonzero(label == code).min()])
        raise LogError(
            f"{_at(path, first)}: activity {str(name)!r} is neither mapped to a trigger nor "
            "ignored (add it to the mapping's labels or ignore)"
        )


def _numbers(path: Path, values: Any, line: np.ndarray, field: str, column: str) -> np.ndarray:
    """A numeric column (NaN where empty); one line for a value that is not a number."""
    array = _arrow(values)
    if pa.types.is_integer(array.type) or pa.types.is_floating(array.type):
        return array.cast(pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False)
    text = _text(array)
    try:
        return pc.cast(text, pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        shown = np.asarray(text.to_numpy(zero_copy_only=False), dtype=object)
        parsed = pd.to_numeric(pd.Series(shown), errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(np.isnan(parsed) & ~pd.isna(shown))
        raise LogError(
            f"{_at(path, line[bad[0]])}: {field} {shown[bad[0]]!r} is not a number "
            f"(column {column!r})"
        ) from None


def _coded(
    path: Path,
    values: Any,
    line: np.ndarray,
    known: tuple[Any, ...],
    to_member: Any,
    field: str,
) -> np.ndarray:
    """A categorical column as codes into `known` (NONE where empty)."""
    codes, names = _codes(values)
    mapped = np.full(len(names) + 1, NONE, dtype=np.int8)  # the last: none
    for index, value in enumerate(names):
        member = to_member(value)
        if member is None:
            row = np.flatnonzero(codes == index)[0]
            allowed = ", ".join(m.value for m in known)
            raise LogError(
                f"{_at(path, line[row])}: {field} {value!r} is not one of {allowed} "
                f"(map it in the mapping's {field}s)"
            )
        mapped[index] = known.index(member)
    return mapped[np.where(codes < 0, len(names), codes)]


def _party(value: str) -> Party | None:
    try:
        return Party(value)
    except ValueError:
        return None


def _event_columns(
    path: Path, raw: dict[str, Any], mapping: Mapping, order: np.ndarray, line: np.ndarray
) -> dict[str, np.ndarray]:
    columns = mapping.columns
    scale = 100.0 if mapping.amount_unit == "units" else 1.0
    found: dict[str, np.ndarray] = {}
    raw_line = np.asarray(raw["line"])
    for field in ("amount", "days"):
        if field in raw:
            values = _numbers(path, raw[field], raw_line, field, getattr(columns, field))
            found[field] = (np.rint(values * scale) if field == "amount" else values)[order]
    for field, known, to_member in (
        ("reason", REASONS, mapping.reason),
        ("kind", KINDS, mapping.kind),
        ("party", PARTIES, _party),
    ):
        if field in raw:
            found[field] = _coded(path, raw[field], raw_line, known, to_member, field)[order]
    if "resource" in raw:
        found["resource"] = _strings(raw["resource"])[order]
    return found


def _case_columns(
    path: Path,
    raw: dict[str, Any],
    mapping: Mapping,
    order: np.ndarray,
    case: np.ndarray,
    n_cases: int,
    line: np.ndarray,
) -> dict[str, np.ndarray]:
    """Each case's paid time, price, promised delivery, seller and buyer (NaN or NONE where
    the log does not say): the first value logged on any of its rows."""
    columns = mapping.columns
    raw_line = np.asarray(raw["line"])
    first_of = np.searchsorted(case, np.arange(n_cases))
    found: dict[str, np.ndarray] = {"paid": np.full(n_cases, np.nan)}
    if "paid" in raw:
        stamps = _times(path, raw["paid"], mapping, raw_line, "payment time")[order]
        found["paid"] = _first_present(stamps, case, n_cases, first_of)
    scale = 100.0 if mapping.amount_unit == "units" else 1.0
    for field in ("price", "promised"):
        values = np.full(len(case), np.nan)
        if field in raw:
            values = _numbers(path, raw[field], raw_line, field, getattr(columns, field))[order]
        if field == "price":
            values = np.rint(values * scale)  # whole cents, as amounts are
        found[field] = _first_present(values, case, n_cases, first_of)
    for field in ("seller", "buyer"):
        codes = np.full(n_cases, NONE, dtype=np.int64)
        if field in raw:
            per_event = _codes(raw[field])[0][order]
            codes = np.full(n_cases, NONE, dtype=np.int64)
            np.maximum.at(codes, case, per_event)  # any logged id of the case
        found[field] = codes
    return found


def _first_present(
    values: np.ndarray, case: np.ndarray, n_cases: int, first_of: np.ndarray
) -> np.ndarray:
    """Each case's first non-NaN value (NaN where it has none)."""
    found = np.full(n_cases, np.nan)
    present = np.flatnonzero(~np.isnan(values))
    if len(present):
        cases, first = np.unique(case[present], return_index=True)
        found[cases] = values[present[first]]
    return found


def events_of(frame: EventFrame) -> Iterator[tuple[int, int, int]]:
    """Each case's code and the span of its events (start, end)."""
    starts = frame.starts()
    for case in range(frame.n_cases):
        yield case, int(starts[case]), int(starts[case + 1])
