"""The shared `transitions` Machine built from the table, and firing triggers on orders.

One Machine serves every order (`model=None`, no auto transitions): an order is passed to
each trigger as the model, so no per-order Machine or `add_model` is ever made. Guards and
actions are plain callables resolved from the registries when the Machine is built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import cache
from typing import cast

from transitions import Machine

# Guards, actions and deadlines register themselves on import; the table names them.
from machine import actions as _actions  # noqa: F401
from machine import deadlines as _deadlines  # noqa: F401
from machine import guards as _guards  # noqa: F401
from machine.context import Context
from machine.order import Order
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


def conditions(spec: TransitionSpec) -> list[Guard]:
    """A row's guards that must hold: its deadline's, if timed, then its `when`."""
    timed = [deadline_passed(spec.after)] if spec.after else []
    return [*timed, *(GUARDS[name] for name in spec.when)]


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

    def new_order(self, order_id: int, price: int, **attributes: object) -> Order:
        """An order in the initial state."""
        return Order(order_id, price, state=self.machine.initial, **attributes)  # type: ignore[arg-type]


PROCESS = Process()
"""The module-level process every part of the project shares."""
