"""Structural checks on the table as a graph, ignoring guards: what can reach what.

A sound process has every state reachable from the initial one, every non-end state able
to reach an end state (no trap), and end states with no way out (absorbing).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from machine.spec import StateSpec, TransitionSpec
from machine.table import INITIAL, STATES, TRANSITIONS


@dataclass(frozen=True)
class Report:
    """What the checks found; `ok` when there is no defect."""

    shortest_paths: dict[str, tuple[str, ...]]
    unreachable: tuple[str, ...]
    traps: tuple[str, ...]
    leaky_end_states: tuple[str, ...]
    unknown_states: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not (self.unreachable or self.traps or self.leaky_end_states or self.unknown_states)


def edges(transitions: tuple[TransitionSpec, ...]) -> list[tuple[str, str, str]]:
    """(source, trigger, dest) for every state-changing transition."""
    return [
        (source, spec.trigger, spec.dest)
        for spec in transitions
        if spec.dest is not None
        for source in spec.source
        if source != spec.dest
    ]


def analyse(
    states: tuple[StateSpec, ...] = STATES,
    transitions: tuple[TransitionSpec, ...] = TRANSITIONS,
    initial: str = INITIAL,
) -> Report:
    """Reachability, traps, absorbing end states and shortest trigger paths."""
    names = [state.name for state in states]
    ends = {state.name for state in states if state.is_end}
    graph = edges(transitions)
    mentioned = {s for spec in transitions for s in spec.source} | {
        spec.dest for spec in transitions if spec.dest
    }
    unknown = tuple(sorted(mentioned - set(names)))

    forward: dict[str, list[tuple[str, str]]] = {name: [] for name in names}
    backward: dict[str, set[str]] = {name: set() for name in names}
    for source, trigger, dest in graph:
        if source in forward and dest in backward:
            forward[source].append((trigger, dest))
            backward[dest].add(source)

    paths: dict[str, tuple[str, ...]] = {initial: ()}
    queue = deque([initial])
    while queue:
        state = queue.popleft()
        for trigger, dest in forward[state]:
            if dest not in paths:
                paths[dest] = (*paths[state], trigger)
                queue.append(dest)

    can_end = set(ends)
    queue = deque(ends)
    while queue:
        for source in backward[queue.popleft()]:
            if source not in can_end:
                can_end.add(source)
                queue.append(source)

    return Report(
        shortest_paths={name: paths[name] for name in names if name in paths},
        unreachable=tuple(name for name in names if name not in paths),
        traps=tuple(name for name in names if name not in can_end),
        leaky_end_states=tuple(sorted({s for s, _, _ in graph if s in ends})),
        unknown_states=unknown,
    )
