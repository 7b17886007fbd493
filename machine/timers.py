"""The platform's timers: which timed rows an order's state offers, and when they fire.

A timed row of the table names its deadline (`after`). In a given state, the order's
enabled timers are the timed rows from that state whose deadline exists and whose other
guards would pass at that moment; each trigger is listed once, at its first such row.
The world fires a timer at its moment unless an actor moves before it. At the very
instant of the deadline the timer wins: the deadline's guard says it has passed then,
and a window that closes at it (`now < closes`) is already shut.
"""

from __future__ import annotations

from typing import NamedTuple

from machine import process as _process  # noqa: F401  (fills the registries)
from machine.context import Context
from machine.order import Order
from machine.registry import DEADLINES, GUARDS, Deadline, Guard
from machine.spec import TransitionSpec
from machine.table import STATE_NAMES, TRANSITIONS


class Timer(NamedTuple):
    """A timed trigger and the moment its deadline passes."""

    moment: float
    trigger: str


class _TimedRow(NamedTuple):
    trigger: str
    deadline: Deadline
    when: tuple[Guard, ...]
    unless: tuple[Guard, ...]


TimedRows = dict[str, tuple[_TimedRow, ...]]


def timed_rows(transitions: tuple[TransitionSpec, ...] = TRANSITIONS) -> TimedRows:
    """State -> the timed rows leaving it, in table order (of the table, or of a variant
    of it, as the verifier's mutants are)."""
    rows: dict[str, list[_TimedRow]] = {state: [] for state in STATE_NAMES}
    for spec in transitions:
        if spec.after is None:
            continue
        timed = _TimedRow(
            spec.trigger,
            DEADLINES[spec.after],
            tuple(GUARDS[name] for name in spec.when),
            tuple(GUARDS[name] for name in spec.unless),
        )
        for source in spec.source:
            rows[source].append(timed)
    return {state: tuple(found) for state, found in rows.items()}


TIMED_ROWS = timed_rows()


def timers(order: Order, ctx: Context, table: TimedRows = TIMED_ROWS) -> list[Timer]:
    """The enabled timers of `order` in its state, in table order (a past moment is
    returned as it is: the timer is due at once). `ctx` gives the policy; its `now` is
    not used, and is left as it was. `table` is the table's timed rows, or a variant's."""
    rows = table.get(order.state, ())
    if not rows:
        return []
    policy = ctx.policy
    found: list[Timer] = []
    probe: Context | None = None
    for trigger, deadline, when, unless in rows:
        if found and any(timer.trigger == trigger for timer in found):
            continue  # a trigger's first enabled row is its timer
        moment = deadline(order, policy)
        if moment is None:
            continue
        if when or unless:  # the row's other guards, asked at the timer's moment
            if probe is None:
                probe = Context(policy, epoch_weekday=ctx.epoch_weekday)
            probe.now = moment
            if not all(g(order, probe) for g in when) or any(g(order, probe) for g in unless):
                continue
        found.append(Timer(moment, trigger))
    return found
