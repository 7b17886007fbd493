"""The shared `transitions` Machine built from the table, and firing triggers on orders.

One Machine serves every order (`model=None`, no auto transitions): an order is passed to
each trigger as the model, so no per-order Machine or `add_model` is ever made. Guards and
actions are plain callables resolved from the registries when the Machine is built.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from functools import cache
from typing import NamedTuple, cast

from transitions import Machine

# Guards, actions and deadlines register themselves on import; the table names them.
from machine import actions as _actions  # noqa: F401
from machine import deadlines as _deadlines  # noqa: F401
from machine import guards as _guards  # noqa: F401
from machine.context import Context
from machine.order import Order
from machine.policy import Policy
from machine.registry import ACTIONS, DEADLINES, GUARDS, Guard
from machine.spec import StateSpec, TransitionSpec
from machine.table import INITIAL, STATES, TRANSITIONS

# INFO logging on every trigger triples its cost; the process never needs it.
logging.getLogger("transitions").setLevel(logging.WARNING)


class TimeWentBackwardsError(ValueError):
    """A trigger was fired at a time earlier than the order's last event."""


def ensure_forward(order: Order, trigger: str, now: float) -> None:
    """Refuse a trigger dated before the order's last event: time never goes backwards."""
    if now < order.updated_at:
        raise TimeWentBackwardsError(
            f"order {order.id}: {trigger} at {now} is before its last event at {order.updated_at}"
        )


@cache
def deadline_passed(name: str) -> Guard:
    """The guard of a timed row: the deadline `name` exists and `now` has reached it."""
    deadline = DEADLINES[name]

    def passed(order: Order, ctx: Context) -> bool:
        moment = deadline(order, ctx.policy)
        return moment is not None and ctx.now >= moment

    passed.__name__ = passed.__qualname__ = f"{name}_passed"
    passed.__doc__ = f"The deadline {name} has passed (derived from the table's `after`)."
    return passed


@cache
def before_deadline(name: str) -> Guard:
    """The guard of a window that closes: the deadline `name` exists and `now` is before it
    (at its very moment the window is shut, as a timer at that moment has fired)."""
    deadline = DEADLINES[name]

    def open_until(order: Order, ctx: Context) -> bool:
        moment = deadline(order, ctx.policy)
        return moment is not None and ctx.now < moment

    open_until.__name__ = open_until.__qualname__ = f"before_{name}"
    open_until.__doc__ = f"Before the deadline {name} (derived from the table's `closes`)."
    return open_until


def conditions(spec: TransitionSpec) -> list[Guard]:
    """A row's guards that must hold: its deadline's, if timed; its window's, if it names
    one (`opens` has passed, `closes` has not); then its `when`."""
    derived = [deadline_passed(name) for name in (spec.after, spec.opens) if name]
    if spec.closes:
        derived.append(before_deadline(spec.closes))
    return [*derived, *(GUARDS[name] for name in spec.when)]


class Opening(NamedTuple):
    """When a trigger may fire from an order's state, as far as deadlines say: from
    `opens` (-inf: no opening deadline; inf: not open, or never) until before `closes`
    (inf: no closing deadline; -inf: shut); (inf, -inf) for a trigger the state does not
    offer. Other guards may still refuse (`can`)."""

    opens: float
    closes: float


def _windows() -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """(state, trigger) -> the deadlines that open and close the trigger's first row."""
    found: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for spec in TRANSITIONS:
        for source in spec.source:
            found.setdefault((source, spec.trigger), (spec.opens, spec.closes))
    return found


WINDOWS = _windows()


def window(order: Order, trigger: str, policy: Policy) -> Opening:
    """The window in which `trigger` may fire from `order`'s state: the platform's dates
    ("Open Dispute available from ... until ..."), for an actor to plan by."""
    if (order.state, trigger) not in WINDOWS:
        return Opening(math.inf, -math.inf)  # the trigger never fires from this state
    opens_name, closes_name = WINDOWS[order.state, trigger]
    opens, closes = -math.inf, math.inf
    if opens_name:
        moment = DEADLINES[opens_name](order, policy)
        opens = math.inf if moment is None else moment
    if closes_name:
        moment = DEADLINES[closes_name](order, policy)
        closes = -math.inf if moment is None else moment
    return Opening(opens, closes)


def build_machine(
    states: Iterable[StateSpec] = STATES,
    transitions: Iterable[TransitionSpec] = TRANSITIONS,
    initial: str = INITIAL,
) -> Machine:
    """A `transitions` Machine with no model, straight from the table's rows."""
    machine = Machine(
        model=None,
        states=[state.name for state in states],
        initial=initial,
        auto_transitions=False,
        send_event=False,
        ignore_invalid_triggers=False,
    )
    for spec in transitions:
        machine.add_transition(
            trigger=spec.trigger,
            source=list(spec.source),
            dest=spec.dest,
            conditions=cast(list[str | Callable[..., bool | None]], conditions(spec)),
            unless=[GUARDS[name] for name in spec.unless],
            after=[ACTIONS[name] for name in spec.actions],
        )
    return machine


class Process:
    """The process of the table, ready to fire triggers on any number of orders.

    `fire` returns True when a transition happened, False when the trigger is not valid
    from the order's state or no row's guards pass. It never changes an order otherwise.
    """

    def __init__(self, machine: Machine | None = None) -> None:
        self.machine = machine if machine is not None else build_machine()
        self.events = self.machine.events
        self.valid: dict[str, frozenset[str]] = {
            state: frozenset(
                name for name, event in self.events.items() if state in event.transitions
            )
            for state in self.machine.states
        }

    def fire(self, order: Order, trigger: str, ctx: Context) -> bool:
        """Fire `trigger` on `order` at `ctx.now`; True if a transition happened."""
        event = self.events[trigger]  # an unknown trigger name is a KeyError: a bug, not a refusal
        ensure_forward(order, trigger, ctx.now)
        if trigger not in self.valid[order.state]:
            return False
        # The order is both the model and the first argument: guards and actions are
        # called as f(order, ctx) without a bound method per order.
        if event.trigger(order, order, ctx):
            order.updated_at = ctx.now
            return True
        return False

    def can(self, order: Order, trigger: str, ctx: Context) -> bool:
        """Whether `trigger` would fire on `order` at `ctx.now` with `ctx`'s payload (as
        `transitions`' `may_<trigger>`); nothing is changed."""
        if trigger not in self.valid[order.state]:
            return False
        return any(
            all(g(order, ctx) for g in when) and not any(g(order, ctx) for g in unless)
            for when, unless in ROWS[trigger, order.state]
        )

    def new_order(self, order_id: int, price: int, **attributes: object) -> Order:
        """An order in the initial state."""
        return Order(order_id, price, state=self.machine.initial, **attributes)  # type: ignore[arg-type]


def _rows() -> dict[tuple[str, str], list[tuple[list[Guard], list[Guard]]]]:
    """(trigger, state) -> each row's guards that must hold and must not, in table order."""
    found: dict[tuple[str, str], list[tuple[list[Guard], list[Guard]]]] = {}
    for spec in TRANSITIONS:
        for source in spec.source:
            guards = (conditions(spec), [GUARDS[name] for name in spec.unless])
            found.setdefault((spec.trigger, source), []).append(guards)
    return found


ROWS = _rows()

PROCESS = Process()
"""The module-level process every part of the project shares."""
