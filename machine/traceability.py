"""Traceability: for each rule id, the states, transitions, guards, deadlines, actions and
levers that implement it, read from the table, the registries and the policy's metadata."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from machine import process as _process  # noqa: F401  (fills the guard and action registries)
from machine.catalogue import RULE_IDS
from machine.policy import Policy
from machine.registry import ACTIONS, DEADLINES, GUARDS
from machine.table import STATES, TRANSITIONS


@dataclass
class Implementation:
    """Where one rule lives in the machine."""

    states: list[str] = field(default_factory=list)
    transitions: list[str] = field(default_factory=list)
    guards: list[str] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    levers: list[str] = field(default_factory=list)

    def items(self) -> list[tuple[str, list[str]]]:
        """The non-empty kinds, in a fixed order."""
        kinds = ("states", "transitions", "guards", "deadlines", "actions", "levers")
        return [(kind, getattr(self, kind)) for kind in kinds if getattr(self, kind)]

    def __bool__(self) -> bool:
        return bool(self.items())


def implementations() -> dict[str, Implementation]:
    """Every rule id of the catalogue with where it is implemented (empty if nowhere)."""
    found: dict[str, Implementation] = defaultdict(Implementation)

    def add(kind: str, rules: tuple[str, ...], name: str) -> None:
        for rule in rules:
            names = getattr(found[rule], kind)
            if name not in names:
                names.append(name)

    for state in STATES:
        add("states", state.rules, state.name)
    for spec in TRANSITIONS:
        add("transitions", spec.rules, f"{spec.trigger} -> {spec.dest or '(internal)'}")
    for guard in GUARDS.entries.values():
        add("guards", guard.rules, guard.name)
    for deadline in DEADLINES.entries.values():
        add("deadlines", deadline.rules, deadline.name)
    for action in ACTIONS.entries.values():
        add("actions", action.rules, action.name)
    for info in Policy.lever_info().values():
        add("levers", info.rules, info.name)
    unknown = set(found) - set(RULE_IDS)
    if unknown:
        raise ValueError(f"implementation names unknown rule ids: {sorted(unknown)}")
    return {rule: found.get(rule, Implementation()) for rule in RULE_IDS}
