"""What a configuration must remember, state by state: the values some way ahead reads,
the instants whose value it reads (zone variables), the instants of which only whether
they are set matters; and the instants compared only with each other."""

from __future__ import annotations

import inspect
from typing import NamedTuple

from machine import deadlines, guards
from machine.order import Order
from machine.proof.fields import (
    called_deadlines,
    compared,
    deadlines_used,
    live_fields,
    reads,
    value_read,
)
from machine.registry import GUARDS
from machine.spec import TransitionSpec
from machine.table import STATE_NAMES

TIME_FIELDS = tuple(name for name in Order.__slots__ if name.endswith("_at"))
ALWAYS_KEPT = ("updated_at",)  # the last event: time never goes back before it
WORLD_READS = {  # what the promises and the properties read, beside the table
    "refund_clearing": frozenset(("refund_at", "cancelled_at_once")),
    "cancel_requested": frozenset(("cancel_requested_at",)),
    "escalated": frozenset(("escalated_at",)),
    "awaiting_evidence": frozenset(("escalated_at",)),
}
ALWAYS_READ = frozenset((*ALWAYS_KEPT, "paid", "escrow", "refunded", "released", "state"))


class Memory(NamedTuple):
    """What a configuration of one state remembers: values, instants kept as zone
    variables, and instants of which only whether they are set matters."""

    values: tuple[str, ...]
    timed: tuple[str, ...]
    flags: tuple[str, ...]


def memory(transitions: tuple[TransitionSpec, ...]) -> dict[str, Memory]:
    """Each state's `Memory`, from the table's liveness."""
    extra = {state: WORLD_READS.get(state, frozenset()) | ALWAYS_READ for state in STATE_NAMES}
    alive = live_fields(transitions, STATE_NAMES, extra)
    by_value = value_read() | set(ALWAYS_KEPT) | {f for r in WORLD_READS.values() for f in r}
    found = {}
    for state in STATE_NAMES:
        fields = [name for name in Order.__slots__ if name in alive[state] and name != "id"]
        found[state] = Memory(
            values=tuple(f for f in fields if f not in TIME_FIELDS),
            timed=tuple(f for f in fields if f in TIME_FIELDS and f in by_value),
            flags=tuple(f for f in fields if f in TIME_FIELDS and f not in by_value),
        )
    return found


def compared_apart(transitions: tuple[TransitionSpec, ...]) -> dict[str, frozenset[str]]:
    """Time fields that guards only ever compare with other recorded instants (never with
    now, never counted from by a deadline or a promise) -> the fields they are compared
    with. How such an instant stands against now or any other instant matters only
    through those: the zone keeps its bounds against them alone (which may admit
    configurations, never lose one)."""
    names = {g for spec in transitions for g in (*spec.when, *spec.unless)}
    with_now = set(ALWAYS_KEPT) | {f for r in WORLD_READS.values() for f in r}
    pairs: dict[str, set[str]] = {}
    for name in names:
        fields = compared(name)
        if "ctx.now" in inspect.getsource(GUARDS[name]) or called_deadlines(guards.__name__, name):
            with_now |= fields
        else:
            for f in fields:
                pairs.setdefault(f, set()).update(fields - {f})
    for name in deadlines_used():
        with_now |= reads(deadlines.__name__, name)
    return {f: frozenset(others) for f, others in pairs.items() if f not in with_now and others}
