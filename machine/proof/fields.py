"""What a configuration must remember: the order's fields that some way ahead reads
before it writes them.

Derived from the table and the source of the guards, deadlines, actions and ledger (a field
only ever assigned or added to, such as a counter kept for the world, is not a read), so
that a new field read by a new guard is remembered without a list to keep up to date.
Once a refund is with the bank, when protection would have ended no longer matters; once
a dispute is escalated, its request does not either (a new dispute writes a new one).
"""

from __future__ import annotations

import inspect
import re
from functools import cache

from machine import actions, deadlines, guards, ledger
from machine.order import Order
from machine.registry import DEADLINES
from machine.spec import TransitionSpec

_FIELD = re.compile(r"order\.(\w+)(\s*[-+]?=(?!=))?")
_NONE_CHECK = re.compile(r"order\.\w+ is (not )?None")
_CALLS = re.compile(r"deadlines\.(\w+)\(")
_TOP_ASSIGN = re.compile(r"^    order\.(\w+)\s*=(?!=)", re.MULTILINE)
_CALLS_ACTION = re.compile(r"^    (\w+)\(order, ctx\)", re.MULTILINE)
_LEDGER = frozenset(("paid", "escrow", "refunded", "released", "repaid_off_platform"))


@cache
def reads(module_name: str, name: str) -> frozenset[str]:
    """The order's fields function `name` of the machine's module reads, directly or
    through the deadlines and ledger entries it calls."""
    module = {m.__name__: m for m in (actions, deadlines, guards, ledger)}[module_name]
    source = inspect.getsource(getattr(module, name))
    found = {field for field, assigned in _FIELD.findall(source) if not assigned}
    for called in _CALLS.findall(source):
        if called != name and hasattr(deadlines, called):
            found |= reads(deadlines.__name__, called)
    if "ledger." in source:
        found |= _LEDGER
    return frozenset(found & set(Order.__slots__))


@cache
def compared(name: str) -> frozenset[str]:
    """The instants guard `name` itself reads for more than whether they are set (with
    the current instant or with each other; a deadline it calls is read there)."""
    source = inspect.getsource(getattr(guards, name))
    source = _NONE_CHECK.sub("", source)
    return frozenset(f for f, assigned in _FIELD.findall(source) if f.endswith("_at"))


def called_deadlines(module_name: str, name: str) -> frozenset[str]:
    """The deadlines a guard or action calls."""
    module = {m.__name__: m for m in (actions, guards)}[module_name]
    return frozenset(
        d for d in _CALLS.findall(inspect.getsource(getattr(module, name))) if hasattr(deadlines, d)
    )


@cache
def writes(name: str) -> frozenset[str]:
    """The fields action `name` always assigns (at the top of its body, not under a
    condition): whatever they held before is gone after it."""
    source = inspect.getsource(getattr(actions, name))
    found = {m.group(1) for m in _TOP_ASSIGN.finditer(source)}
    for called in _CALLS_ACTION.findall(source):
        if called != name and hasattr(actions, called):
            found |= writes(called)
    return frozenset(found & set(Order.__slots__))


def row_reads(spec: TransitionSpec) -> frozenset[str]:
    """The fields a row reads: its guards, its deadlines and its actions."""
    found: set[str] = set()
    for name in (*spec.when, *spec.unless):
        found |= reads(guards.__name__, name)
    for deadline in (spec.after, spec.opens, spec.closes):
        if deadline:
            found |= reads(deadlines.__name__, deadline)
    for name in spec.actions:
        found |= reads(actions.__name__, name) - self_kept(name)
    return frozenset(found)


@cache
def self_kept(name: str) -> frozenset[str]:
    """Fields action `name` reads only to decide whether to write them ("the first
    contact is kept"): such a read tells nothing to the rest of the machine, so it keeps
    no field alive by itself. (The ledger's fields are always kept.)"""
    source = inspect.getsource(getattr(actions, name))
    assigned = {field for field, op in _FIELD.findall(source) if op}
    return frozenset(assigned - _LEDGER)


def row_writes(spec: TransitionSpec) -> frozenset[str]:
    found: set[str] = set()
    for name in spec.actions:
        found |= writes(name)
    return frozenset(found)


def live_fields(
    transitions: tuple[TransitionSpec, ...],
    states: tuple[str, ...],
    extra: dict[str, frozenset[str]],
) -> dict[str, frozenset[str]]:
    """State -> the fields some way ahead reads before writing them (classic liveness,
    to a fixed point over the table); `extra` adds what the world reads in a state."""
    found = {state: frozenset(extra.get(state, ())) for state in states}
    rows = [(spec, row_reads(spec), row_writes(spec)) for spec in transitions]
    changed = True
    while changed:
        changed = False
        for spec, read, written in rows:
            for source in spec.source:
                dest = spec.dest or source
                grown = found[source] | read | (found[dest] - written)
                if grown != found[source]:
                    found[source] = grown
                    changed = True
    return found


def value_read() -> frozenset[str]:
    """The time fields whose value (not only whether they are set) some guard or
    deadline reads: the instants the verifier keeps as zone variables when live."""
    found: set[str] = set()
    for name, func in inspect.getmembers(guards, inspect.isfunction):
        if func.__module__ == guards.__name__:
            found |= compared(name)
    for name, func in inspect.getmembers(deadlines, inspect.isfunction):
        if func.__module__ == deadlines.__name__:
            found |= reads(deadlines.__name__, name)
    return frozenset(name for name in found if name.endswith("_at"))


def value_read_deadlines() -> tuple[str, ...]:
    """The deadline functions of `machine.deadlines` the table's rows and guards use."""
    return tuple(
        name
        for name, func in inspect.getmembers(deadlines, inspect.isfunction)
        if func.__module__ == deadlines.__name__
        and name in deadlines_used()
        and name in DEADLINES.entries
    )


@cache
def deadlines_used() -> frozenset[str]:
    from machine.table import TRANSITIONS

    found = {d for spec in TRANSITIONS for d in (spec.after, spec.opens, spec.closes) if d}
    for name in {g for spec in TRANSITIONS for g in (*spec.when, *spec.unless)}:
        found |= called_deadlines(guards.__name__, name)
    return frozenset(found)
