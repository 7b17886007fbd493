"""A dispatch table compiled from the shared Machine, for the simulation's hot path.

It is read *from* the built `transitions` Machine (its transitions, conditions, callbacks),
not from the table directly, so the two cannot drift apart; a test walks both at random
and compares the traces. Firing skips the EventData and partial objects of `transitions`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from transitions import Machine

from machine.context import Context
from machine.order import Order
from machine.process import PROCESS, ensure_forward

Check = Callable[[Order, Context], bool]
Step = Callable[[Order, Context], None]
Row = tuple[tuple[Check, ...], tuple[Check, ...], str | None, tuple[Step, ...]]


def compile_rows(machine: Machine) -> dict[str, dict[str, tuple[Row, ...]]]:
    """trigger -> source state -> rows in the Machine's order of trial."""
    table: dict[str, dict[str, tuple[Row, ...]]] = {}
    for trigger, event in machine.events.items():
        per_state: dict[str, tuple[Row, ...]] = {}
        for source, transitions in event.transitions.items():
            rows = []
            for transition in transitions:
                # The table hands the Machine functions, never names (machine.process).
                when = tuple(cast(Check, c.func) for c in transition.conditions if c.target)
                unless = tuple(cast(Check, c.func) for c in transition.conditions if not c.target)
                steps = tuple(cast(Step, step) for step in transition.after)
                rows.append((when, unless, transition.dest, steps))
            per_state[source] = tuple(rows)
        table[trigger] = per_state
    return table


class FastProcess:
    """Same behaviour as `machine.process.Process`, firing through the compiled table."""

    def __init__(self, machine: Machine | None = None) -> None:
        self.machine = machine if machine is not None else PROCESS.machine
        self.rows = compile_rows(self.machine)

    def fire(self, order: Order, trigger: str, ctx: Context) -> bool:
        """Fire `trigger` on `order` at `ctx.now`; True if a transition happened."""
        per_state = self.rows[trigger]
        if ctx.now < order.updated_at:
            ensure_forward(order, trigger, ctx.now)  # raises
        rows = per_state.get(order.state)
        if rows is None:
            return False
        # Explicit loops: the hot path of the simulation, several times cheaper than all().
        for when, unless, dest, steps in rows:
            for check in when:
                if not check(order, ctx):
                    break
            else:
                for check in unless:
                    if check(order, ctx):
                        break
                else:
                    if dest is not None:
                        order.state = dest
                    for step in steps:
                        step(order, ctx)
                    order.updated_at = ctx.now
                    return True
        return False

    def can(self, order: Order, trigger: str, ctx: Context) -> bool:
        """Whether `trigger` would fire on `order` at `ctx.now` with `ctx`'s payload;
        nothing is changed."""
        for when, unless, _, _ in self.rows[trigger].get(order.state, ()):
            if all(check(order, ctx) for check in when) and not any(
                check(order, ctx) for check in unless
            ):
                return True
        return False


FAST = FastProcess()
"""The compiled process the simulation fires through."""
