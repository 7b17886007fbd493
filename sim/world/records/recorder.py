"""Columnar buffers for the event log and the per-order table.

Events go into typed `array.array` columns, one append each, or into numpy chunks a
column at a time; rows are buffered briefly and turned into numpy columns in blocks.
Nothing builds a dict or an object per event.
"""

from __future__ import annotations

from array import array
from typing import Any

import numpy as np

from machine.order import Party, Reason, RequestKind
from machine.spec import Actor
from machine.table import STATE_NAMES, TRIGGERS
from sim.world.records.heap import give_back

STATE_CODE = {name: code for code, name in enumerate(STATE_NAMES)}
TRIGGER_CODE = {name: code for code, name in enumerate(TRIGGERS)}
ACTORS = tuple(actor.value for actor in Actor)
ACTOR_CODE = {actor: code for code, actor in enumerate(Actor)}


TRIGGER_BITS, STATE_BITS, ACTOR_BITS = 7, 5, 3
assert len(TRIGGERS) < 2**TRIGGER_BITS and len(STATE_NAMES) < 2**STATE_BITS
assert len(ACTORS) < 2**ACTOR_BITS


def pack(trigger: int, source: int, dest: int, actor: int) -> int:
    """Trigger, source, destination and actor codes in one 32-bit integer."""
    return (((trigger << STATE_BITS | source) << STATE_BITS | dest) << ACTOR_BITS) | actor


def unpack(codes: np.ndarray) -> dict[str, np.ndarray]:
    """The four code columns of packed events."""
    codes = codes.astype(np.int32, copy=False)
    state = 2**STATE_BITS - 1
    # each column made and narrowed in turn: one 32-bit temporary at a time
    return {
        "trigger": (codes >> (ACTOR_BITS + 2 * STATE_BITS)).astype(np.int16),
        "source": ((codes >> (ACTOR_BITS + STATE_BITS)) & state).astype(np.int8),
        "dest": ((codes >> ACTOR_BITS) & state).astype(np.int8),
        "actor": (codes & (2**ACTOR_BITS - 1)).astype(np.int8),
    }


STEP_BITS = 16  # an order's events are numbered below 2**16


class Chunks:
    """Arrays of one column, added a block at a time and joined once at the end.

    Small arrays come from the allocator's heap, which a process never hands back to the
    system; every `MERGE` of them are joined into one large array, which is. So the
    memory of a run's columns is returned when they are joined into the final table.
    """

    MERGE = 256

    def __init__(self) -> None:
        self._small: list[np.ndarray] = []
        self._large: list[np.ndarray] = []

    def __len__(self) -> int:
        return sum(len(a) for a in self._small) + sum(len(a) for a in self._large)

    def append(self, values: np.ndarray) -> None:
        self._small.append(values)
        if len(self._small) >= self.MERGE:
            self._large.append(np.concatenate(self._small))
            self._small = []

    def parts(self) -> list[np.ndarray]:
        """The arrays added so far, joined or not, in order (left as they are)."""
        return [*self._large, *self._small]

    def take(self, dtype: type[np.generic], first: np.ndarray | None = None) -> np.ndarray:
        """Every array joined (after `first`, if given), as `dtype`; the chunks are let go."""
        parts = ([] if first is None else [first]) + self._large + self._small
        self._small, self._large = [], []
        return np.concatenate([np.empty(0, dtype=dtype), *parts]).astype(dtype, copy=False)


# The payload columns of the event log: what a trigger carried, -1 where it carried nothing.
PAYLOAD_COLUMNS = ("amount", "days", "party", "reason", "kind")
PARTIES = tuple(party.value for party in Party)
REASONS = tuple(reason.value for reason in Reason)
KINDS = tuple(kind.value for kind in RequestKind)
PARTY_CODE = {party: code for code, party in enumerate(Party)}
REASON_CODE = {reason: code for code, reason in enumerate(Reason)}
KIND_CODE = {kind: code for code, kind in enumerate(RequestKind)}


class EventLog:
    """Every fired transition: order id, time, the packed trigger/source/dest/actor, and
    the event's number within its order (`step`); and the few payloads, kept sparse.

    A payload (the amount asked, offered, awarded or repaid; the days a protection is
    extended by; the party owing evidence; the request's reason and kind) is noted with
    the index of its event and spread into dense columns once, in `columns()`: they are
    carried by the events of disputes, a few percent of the log.

    Engines append events in whatever order they fire them, one at a time or a column at
    a time. `columns()` puts the log in its defined order, which does not depend on the
    engine: by time, then order id, then step (an order's events at one instant keep
    the order they fired in). `seq` numbers the events in that order.
    """

    def __init__(self) -> None:
        self.order_id = array("q")
        self.time = array("d")
        self.code = array("i")
        self.step = array("i")
        # Events added a column at a time, kept per column so that each can be freed as
        # soon as it is joined into the final table.
        self._chunks = {name: Chunks() for name in ("order_id", "time", "code", "step")}
        self._payload_at = array("q")  # index into the appended events
        self._payload = {name: array("q") for name in PAYLOAD_COLUMNS}
        # the payloads of events added a column at a time: index into those events
        self._extended = 0
        self._chunk_payload_at = Chunks()
        self._chunk_payload = {name: Chunks() for name in PAYLOAD_COLUMNS}

    def note_payload(self, amount: int, days: int, party: int, reason: int, kind: int) -> None:
        """The payload of the event appended last (each -1 where there is none)."""
        self._payload_at.append(len(self.order_id) - 1)
        for name, value in zip(PAYLOAD_COLUMNS, (amount, days, party, reason, kind), strict=True):
            self._payload[name].append(value)

    def __len__(self) -> int:
        return len(self.order_id) + len(self._chunks["order_id"])

    def extend(
        self,
        order_id: np.ndarray,
        time: np.ndarray,
        code: np.ndarray,
        step: np.ndarray,
        payloads: tuple[np.ndarray, dict[str, np.ndarray]] | None = None,
    ) -> None:
        """Add many events at once (equal-length columns); `payloads`: which of them
        (increasing indices into these columns) carried one, and its columns
        (`PAYLOAD_COLUMNS`, -1 where there is none)."""
        chunks = self._chunks
        chunks["order_id"].append(order_id.astype(np.int32, copy=False))
        chunks["time"].append(time.astype(np.float64, copy=False))
        chunks["code"].append(code.astype(np.int32, copy=False))
        chunks["step"].append(step.astype(np.int16, copy=False))
        if payloads is not None and len(payloads[0]):
            where, values = payloads
            self._chunk_payload_at.append(self._extended + where.astype(np.int64))
            for name in PAYLOAD_COLUMNS:
                self._chunk_payload[name].append(values[name].astype(np.int64, copy=False))
        self._extended += len(order_id)

    def _joined(self, name: str, dtype: type[np.generic]) -> np.ndarray:
        """One column of every event, appended and extended; its chunks are let go."""
        buffer = getattr(self, name)
        appended = np.frombuffer(buffer, dtype=np.dtype(buffer.typecode)).astype(dtype)
        setattr(self, name, array(buffer.typecode))
        return self._chunks[name].take(dtype, appended)

    def glance(
        self, leaving: np.ndarray, triggers: tuple[str, ...]
    ) -> tuple[int, float, dict[str, np.ndarray]]:
        """What the log holds, read as it is, unordered and left intact: how many events
        the orders not in `leaving` (orders run one by one) have, the last one's time,
        and which of those orders fired each of `triggers` (sorted ids). A run that keeps
        no event log answers its figures from this alone."""
        wanted = {TRIGGER_CODE[trigger]: trigger for trigger in triggers}
        shift = ACTOR_BITS + 2 * STATE_BITS
        count, last = 0, -np.inf
        found: dict[str, list[np.ndarray]] = {trigger: [] for trigger in triggers}
        appended = tuple(
            np.frombuffer(buffer, dtype=np.dtype(buffer.typecode))
            for buffer in (self.order_id, self.time, self.code)
        )
        chunks = (self._chunks[name].parts() for name in ("order_id", "time", "code"))
        for part, (order_id, time, code) in enumerate((appended, *zip(*chunks, strict=True))):
            # the orders left out ran one by one: their events are among the appended
            if part == 0 and len(leaving):
                kept = ~np.isin(order_id, leaving)
                order_id, time, code = order_id[kept], time[kept], code[kept]
            count += len(order_id)
            if len(time):
                last = max(last, float(time.max()))
            trigger = code >> shift
            for value, name in wanted.items():
                found[name].append(order_id[trigger == value])
        marked = {
            name: np.unique(np.concatenate([np.empty(0, np.int64), *ids]).astype(np.int64))
            for name, ids in found.items()
        }
        return count, (last if count else 0.0), marked

    def columns(self, leaving: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """The log as numpy columns in its defined order (codes for the coded ones),
        without the events of the orders in `leaving`.

        It empties the log: the columns are built once, at the end of a run.
        """
        appended = len(self.order_id)
        time = self._joined("time", np.float64)
        order_id = self._joined("order_id", np.int32)
        step = self._joined("step", np.int32)
        if len(step) and step.max() >= 2**STEP_BITS:
            raise OverflowError(f"an order has more than {2**STEP_BITS} events")
        if len(time) >= 2**31:
            raise OverflowError("a run has more than 2**31 events")
        order = log_order(time, order_id, step)
        del step
        if leaving is not None and len(leaving):
            order = order[~np.isin(order_id, leaving)[order]]
        columns = {"seq": np.arange(len(order), dtype=np.int32), "time": time[order]}
        del time
        carried = self._payload_places(order, appended, len(order_id))
        columns["order_id"] = order_id[order]
        del order_id
        code = self._joined("code", np.int32)[order]
        del order
        give_back()  # the sort's buffers, before the columns that remain are made
        coded = unpack(code)
        del code
        return {
            "seq": columns["seq"],
            "order_id": columns["order_id"],
            "time": columns["time"],
            **coded,
            **self._payload_columns(len(columns["seq"]), *carried),
        }

    def _payload_places(
        self, order: np.ndarray, appended: int, joined: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Where the events that carried a payload land in the log's order (`order`: the
        sorting permutation of the `joined` events, the `appended` ones first), and which
        noted payload each is; found without a permutation's inverse (8 bytes an event)."""
        at = np.concatenate((  # increasing: the appended events', then the columns' in turn
            np.frombuffer(self._payload_at, dtype=np.int64),
            appended + self._chunk_payload_at.take(np.int64),
        ))  # fmt: skip
        if not len(at):
            return at, at
        carries = np.zeros(joined, dtype=bool)  # a byte an event
        carries[at] = True
        where = np.flatnonzero(carries[order])
        return where, np.searchsorted(at, order[where])

    def _payload_columns(
        self, size: int, where: np.ndarray, rows: np.ndarray
    ) -> dict[str, np.ndarray]:
        """The payload columns: -1 everywhere but at `where`, which carry payloads `rows`."""
        columns = {}
        for name, dtype in PAYLOAD_DTYPES.items():
            noted = self._chunk_payload[name].take(
                np.int64, np.frombuffer(self._payload[name], dtype=np.int64)
            )
            dense = np.full(size, -1, dtype=dtype)
            dense[where] = noted[rows]
            columns[name] = dense
        self._payload_at = array("q")
        self._payload = {name: array("q") for name in PAYLOAD_COLUMNS}
        self._extended = 0
        return columns


def log_order(time: np.ndarray, order_id: np.ndarray, step: np.ndarray) -> np.ndarray:
    """The permutation that puts events in the log's order: by time, then order id, then
    step.

    A sort of packed keys, not an argsort (which numpy does not vectorise; the keys' sort
    it does, several times faster): a non-negative double's bits order as an integer does,
    so each key is the time's leading bits with the event's index in the low bits. The
    events whose times share those leading bits (every tie, and times a few parts in a
    billion apart) are then put in order by their full keys, a few percent of the log.
    """
    n = len(time)
    bits = max(1, (n - 1).bit_length())
    index = np.int32 if n < 2**31 else np.int64  # 4 bytes an event where they do
    if n < 2 or bits > 40 or np.signbit(time).any():  # no room, or bits that do not order
        order = np.argsort(time).astype(index)
        coarse = time[order]
    else:
        key = time.view(np.int64) >> bits
        key <<= bits
        key |= np.arange(n, dtype=np.int64)
        key.sort()
        order = np.bitwise_and(key, (1 << bits) - 1, out=np.empty(n, index), casting="unsafe")
        key >>= bits
        coarse = key
    shared = np.flatnonzero(coarse[1:] == coarse[:-1])
    del coarse
    if len(shared):
        # every member of every run of shared bits, sorted by their full keys at once:
        # a run's times all come before the next run's, so each keeps its places
        at = np.union1d(shared, shared + 1)
        chosen = order[at]
        key = order_id[chosen].astype(np.int64) << STEP_BITS | step[chosen]
        order[at] = chosen[np.lexsort((key, time[chosen]))]
    return order


# name, meaning: the events table's columns, in the order `EventLog.columns()` gives them.
EVENT_SCHEMA: tuple[tuple[str, str], ...] = (
    ("seq", "the event's number in the log's order (time, then order id, then step)"),
    ("order_id", "the order it happened to"),
    ("time", "day it happened (days since the run's first day)"),
    ("trigger", "what happened: the machine's trigger (code)"),
    ("source", "state before (code)"),
    ("dest", "state after (code; the same state for events that only record data)"),
    ("actor", "who fired it: buyer, seller, carrier, platform, team or bank (code)"),
    ("amount", "cents asked (open_dispute, modify_request, change_reason), offered "
               "(seller_rejects), awarded (decide, decide_appeal) or repaid "
               "(buyer_repays_seller); -1: none"),
    ("days", "days a protection is extended by (extend_protection); -1: none"),
    ("party", "the party asked for evidence (request_evidence; code, -1: none)"),
    ("reason", "the request's reason (open_dispute, modify_request, change_reason; code, "
               "-1: none)"),
    ("kind", "refund only or return and refund, likewise (code, -1: none)"),
)  # fmt: skip

PAYLOAD_DTYPES: dict[str, type[np.generic]] = {
    "amount": np.int64,  # cents
    "days": np.int16,
    "party": np.int8,
    "reason": np.int8,
    "kind": np.int8,
}


class Columns:
    """A table filled a row at a time, or many rows at a time, into typed columns.

    Rows are buffered as tuples and turned into numpy columns a few thousand at a time,
    so a run holds typed arrays, not Python objects, for the rows it has written.
    """

    FLUSH = 4_096

    def __init__(self, spec: dict[str, str]) -> None:
        self.spec = spec
        self._rows: list[tuple[Any, ...]] = []
        self._chunks = {name: Chunks() for name in spec}

    def __len__(self) -> int:
        return len(self._rows) + len(next(iter(self._chunks.values())))

    def append(self, row: tuple[Any, ...]) -> None:
        """One row, in the order of the spec."""
        self._rows.append(row)
        if len(self._rows) >= self.FLUSH:
            self._flush()

    def extend(self, chunk: dict[str, np.ndarray]) -> None:
        """Many rows at once: one array per column of the spec."""
        if tuple(chunk) != tuple(self.spec):
            raise ValueError(f"columns {tuple(chunk)} do not match {tuple(self.spec)}")
        for name, values in chunk.items():
            self._chunks[name].append(values.astype(_DTYPES[self.spec[name]], copy=False))

    def _flush(self) -> None:
        if self._rows:
            values = zip(*self._rows, strict=True)
            for (name, code), column in zip(self.spec.items(), values, strict=True):
                self._chunks[name].append(np.array(column, dtype=_DTYPES[code]))
            self._rows = []

    def peek(self) -> dict[str, np.ndarray]:
        """The table as numpy columns, leaving it as it was (for a small table read
        during a run, such as the team's log)."""
        columns = self.columns()
        self.extend(columns)
        return columns

    def columns(self, by: str | None = None) -> dict[str, np.ndarray]:
        """The table as numpy columns (sorted by column `by`, if given).

        It empties the table, a column at a time, so that the rows are held only once.
        """
        self._flush()
        order = None
        if by is not None:
            key = self._chunks[by].take(_DTYPES[self.spec[by]])
            order = np.argsort(key, kind="stable")
            self._chunks[by].append(key)
        columns = {}
        for name, code in self.spec.items():
            joined = self._chunks[name].take(_DTYPES[code])
            columns[name] = joined if order is None else joined[order]
        return columns


_DTYPES: dict[str, type[np.generic]] = {
    "q": np.int64,
    "i": np.int32,
    "d": np.float64,
    "b": np.int8,
    "h": np.int16,
    "B": np.uint8,
}
