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
    """Every fired transition: order id, time, and the packed trigger/source/dest/actor.

    Three appends an event; the codes are unpacked into columns only at the end.
    """

    def __init__(self) -> None:
        self.order_id = array("q")
        self.time = array("d")
        self.code = array("i")

    def __len__(self) -> int:
        return len(self.order_id)

    def columns(self) -> dict[str, np.ndarray]:
        """The log as numpy columns (codes for the categorical ones); `seq` is the firing
        order, which also orders events that happened at the same instant."""
        return {
            "seq": np.arange(len(self.order_id), dtype=np.int64),
            "order_id": np.frombuffer(self.order_id, dtype=np.int64).copy(),
            "time": np.frombuffer(self.time, dtype=np.float64).copy(),
            **unpack(np.frombuffer(self.code, dtype=np.int32)),
        }


class Columns:
    """A table filled one row at a time into typed columns declared up front."""

    def __init__(self, spec: dict[str, str]) -> None:
        self.spec = spec
        self.data: dict[str, array[Any]] = {name: array(code) for name, code in spec.items()}

    def __len__(self) -> int:
        first = next(iter(self.data.values()))
        return len(first)

    def columns(self) -> dict[str, np.ndarray]:
        return {
            name: np.array(values, dtype=_DTYPES[self.spec[name]])
            for name, values in self.data.items()
        }


_DTYPES = {"q": np.int64, "d": np.float64, "b": np.int8, "h": np.int16, "B": np.uint8}
