"""Columnar buffers for the event log and the per-order table.

Each column is a typed `array.array` that grows by appending one value; nothing builds a
dict or an object per event. At the end the buffers become numpy arrays without copying
row by row.
"""

from __future__ import annotations

from array import array
from typing import Any

import numpy as np

from machine.spec import Actor
from machine.table import STATE_NAMES, TRIGGERS

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
    codes = codes.astype(np.int64)
    actor = codes & (2**ACTOR_BITS - 1)
    codes = codes >> ACTOR_BITS
    dest = codes & (2**STATE_BITS - 1)
    codes = codes >> STATE_BITS
    source = codes & (2**STATE_BITS - 1)
    trigger = codes >> STATE_BITS
    return {
        "trigger": trigger.astype(np.int16),
        "source": source.astype(np.int8),
        "dest": dest.astype(np.int8),
        "actor": actor.astype(np.int8),
    }


class EventLog:
    """Every fired transition: order id, time, the packed trigger/source/dest/actor, and
    the event's number within its order (`step`).

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
        self._chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return len(self.order_id) + sum(len(chunk[0]) for chunk in self._chunks)

    def extend(
        self, order_id: np.ndarray, time: np.ndarray, code: np.ndarray, step: np.ndarray
    ) -> None:
        """Add many events at once (equal-length columns)."""
        self._chunks.append(
            (
                order_id.astype(np.int64, copy=False),
                time.astype(np.float64, copy=False),
                code.astype(np.int32, copy=False),
                step.astype(np.int32, copy=False),
            )
        )

    def columns(self) -> dict[str, np.ndarray]:
        """The log as numpy columns in its defined order (codes for the coded ones)."""
        parts = [
            (
                np.frombuffer(self.order_id, dtype=np.int64),
                np.frombuffer(self.time, dtype=np.float64),
                np.frombuffer(self.code, dtype=np.int32),
                np.frombuffer(self.step, dtype=np.int32),
            ),
            *self._chunks,
        ]
        order_id, time, code, step = (np.concatenate(column) for column in zip(*parts, strict=True))
        order = np.lexsort((step, order_id, time))
        return {
            "seq": np.arange(len(order), dtype=np.int64),
            "order_id": order_id[order],
            "time": time[order],
            **unpack(code[order]),
        }


class Columns:
    """A table filled a row at a time, or many rows at a time, into typed columns."""

    def __init__(self, spec: dict[str, str]) -> None:
        self.spec = spec
        self.data: dict[str, array[Any]] = {name: array(code) for name, code in spec.items()}
        self._chunks: list[dict[str, np.ndarray]] = []

    def __len__(self) -> int:
        first = next(iter(self.data.values()))
        return len(first) + sum(len(next(iter(chunk.values()))) for chunk in self._chunks)

    def append(self, row: tuple[Any, ...]) -> None:
        """One row, in the order of the spec."""
        for column, value in zip(self.data.values(), row, strict=True):
            column.append(value)

    def extend(self, chunk: dict[str, np.ndarray]) -> None:
        """Many rows at once: one array per column of the spec."""
        if tuple(chunk) != tuple(self.spec):
            raise ValueError(f"columns {tuple(chunk)} do not match {tuple(self.spec)}")
        self._chunks.append(chunk)

    def columns(self) -> dict[str, np.ndarray]:
        return {
            name: np.concatenate(
                [
                    np.array(values, dtype=_DTYPES[self.spec[name]]),
                    *(chunk[name].astype(_DTYPES[self.spec[name]]) for chunk in self._chunks),
                ]
            )
            for name, values in self.data.items()
        }


_DTYPES = {"q": np.int64, "d": np.float64, "b": np.int8, "h": np.int16, "B": np.uint8}
