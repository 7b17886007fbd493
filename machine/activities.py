"""How the machine's transitions are named in an event log.

An activity is the trigger's name; a trigger that leads to different states (a decision
for a refund or for none) is named with its destination, `decide -> refund_clearing`, so
that a trace names its path through the machine exactly. The payment that starts an order
is the activity `pay`, which leads into the first state.
"""

from __future__ import annotations

from machine.table import TRANSITIONS

PAY = "pay"
"""The payment that starts an order: each case's first event, not a transition."""

_DESTINATIONS: dict[str, set[str | None]] = {}
for _spec in TRANSITIONS:
    _DESTINATIONS.setdefault(_spec.trigger, set()).add(_spec.dest)
AMBIGUOUS = frozenset(t for t, dests in _DESTINATIONS.items() if len(dests) > 1)
"""The triggers that lead to different states, named with their destination."""


def activity(trigger: str, dest: str) -> str:
    """The activity name of an event: the trigger, with its destination when ambiguous."""
    return f"{trigger} -> {dest}" if trigger in AMBIGUOUS else trigger


_NAMED = (activity(spec.trigger, spec.dest or s) for spec in TRANSITIONS for s in spec.source)
ACTIVITIES = (PAY, *dict.fromkeys(_NAMED))
"""Every activity a log of the machine may hold, in the table's order."""
