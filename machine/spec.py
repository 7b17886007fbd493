"""The vocabulary of the process table: states and transitions as plain, frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Actor(StrEnum):
    """Who fires a trigger in the world; the machine only records it."""

    BUYER = "buyer"
    SELLER = "seller"
    CARRIER = "carrier"
    PLATFORM = "platform"  # the platform's own timers and rules
    TEAM = "team"  # the Case Management Team
    BANK = "bank"


class Phase(StrEnum):
    """Which part of the process a state belongs to (groups the diagram)."""

    ORDER = "order"
    DISPUTE = "dispute"
    CASE = "case"
    PAYOUT = "payout"
    END = "end"


@dataclass(frozen=True, slots=True)
class StateSpec:
    """A state: its name, what it means, the rules behind it, and whether it ends the order."""

    name: str
    doc: str
    phase: Phase
    rules: tuple[str, ...] = ()

    @property
    def is_end(self) -> bool:
        return self.phase is Phase.END


@dataclass(frozen=True, slots=True)
class TransitionSpec:
    """One row of the table: a trigger from some states to one state (or internal, dest None).

    Rows with the same trigger and source are tried in table order; the first whose guards
    pass (all of `when` true, all of `unless` false) fires, then runs its `actions`.

    A timed row names its deadline in `after` (a function of `machine.deadlines`, as
    XState's `after` names a delay): the row cannot fire before that moment, and the
    platform fires it at that moment by itself (`machine.timers`). An actor's row may
    name the deadlines of its window: `opens` (it cannot fire before that moment) and
    `closes` (nor from that moment on); `machine.process.window` tells an actor the
    window and `can` whether the row would fire. `payload` names what the trigger
    carries (`amount`, `request`, `party`); a trigger without one carries nothing.
    """

    trigger: str
    source: tuple[str, ...]
    dest: str | None
    actor: Actor
    rules: tuple[str, ...]
    doc: str
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    after: str | None = None
    payload: tuple[str, ...] = ()
    opens: str | None = None
    closes: str | None = None


PAYLOAD_FIELDS = ("amount", "request", "party")  # machine.context.Payload's keys


def row(
    trigger: str,
    source: str | tuple[str, ...],
    dest: str | None,
    *,
    by: Actor,
    rules: str,
    doc: str,
    when: tuple[str, ...] | str = (),
    unless: tuple[str, ...] | str = (),
    do: tuple[str, ...] | str = (),
    after: str | None = None,
    takes: tuple[str, ...] | str = (),
    opens: str | None = None,
    closes: str | None = None,
) -> TransitionSpec:
    """Shorthand for a table row: single names may be given without a tuple."""

    def names(value: tuple[str, ...] | str) -> tuple[str, ...]:
        return (value,) if isinstance(value, str) else value

    return TransitionSpec(
        trigger=trigger,
        source=names(source),
        dest=dest,
        actor=by,
        rules=tuple(rules.split()),
        doc=doc,
        when=names(when),
        unless=names(unless),
        actions=names(do),
        after=after,
        payload=names(takes),
        opens=opens,
        closes=closes,
    )
