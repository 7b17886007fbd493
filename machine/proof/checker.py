"""Verify a policy: explore every configuration of one order and check each property on
the explored graph, with the shortest trace to every violation."""

from __future__ import annotations

import inspect
import time
from collections import deque
from dataclasses import dataclass, field

from machine import deadlines
from machine.context import Context
from machine.policy import Policy
from machine.proof.assumptions import Assumptions
from machine.proof.fields import reads, writes
from machine.proof.graph import Graph, StopExploringError, explore
from machine.proof.properties import Property, chosen
from machine.proof.space import Move, Space, Step
from machine.registry import ACTIONS, DEADLINES, GUARDS
from machine.spec import TransitionSpec
from machine.table import END_STATES, TRANSITIONS


@dataclass(frozen=True, slots=True)
class Link:
    """One move of a trace: from a configuration, the move, the row that fired."""

    source: int
    move: Move
    row: int | None
    target: int | None


@dataclass
class Verdict:
    """A property's outcome: held, or the shortest trace that breaks it."""

    prop: Property
    held: bool
    detail: str = ""
    trace: list[Link] = field(default_factory=list)
    dead_rows: tuple[int, ...] = ()


@dataclass
class Verification:
    """Everything `verify` found for one policy."""

    policy: Policy
    space: Space
    graph: Graph
    verdicts: list[Verdict]
    cpu_seconds: float

    @property
    def held(self) -> bool:
        return all(v.held for v in self.verdicts)

    @property
    def configurations(self) -> int:
        return len(self.graph.nodes)


def verify(
    policy: Policy,
    properties: list[str] | tuple[str, ...] | None = None,
    *,
    transitions: tuple[TransitionSpec, ...] = TRANSITIONS,
    assumptions: Assumptions | None = None,
    limit: int = 400_000,
    stop_at_violation: bool = False,
) -> Verification:
    """Explore every configuration of one order under `policy` and check `properties`
    (every property when None); raises `UnknownPropertyError` for a name it does not know
    and `TooLargeError` past `limit` configurations. With `stop_at_violation`, stop at the
    first move that breaks a property of steps (the others are then not checked)."""
    wanted = chosen(properties)
    started = time.process_time()
    space = Space(policy, transitions, assumptions or Assumptions())
    stepwise = [p for p in wanted if p.step is not None]
    broken: dict[str, Link] = {}

    def on_edge(graph: Graph, source: int, step: Step, target: int) -> None:
        before, after = graph.nodes[source].order, graph.nodes[target].order
        for prop in stepwise:
            if prop.name not in broken and not prop.step(before, after):  # type: ignore[misc]
                broken[prop.name] = Link(source, step.move, step.row, target)
                if stop_at_violation:
                    raise StopExploringError

    graph = explore(space, limit=limit, on_edge=on_edge)
    verdicts = []
    for prop in wanted if graph.complete else [p for p in wanted if p.name in broken]:
        if prop.step is not None:
            link = broken.get(prop.name)
            verdicts.append(
                Verdict(prop, True)
                if link is None
                else Verdict(prop, False, prop.claim, trace_to(graph, link))
            )
        elif prop.name == "always_ends":
            verdicts.append(always_ends(prop, graph))
        elif prop.name == "every_row_fires":
            verdicts.append(every_row_fires(prop, graph, transitions))
        elif prop.name == "never_raises":
            verdicts.append(never_raises(prop, graph))
    return Verification(policy, space, graph, verdicts, time.process_time() - started)


def trace_to(graph: Graph, last: Link | None = None, node: int | None = None) -> list[Link]:
    """The shortest way to `node`, or to the source of `last` and then `last`."""
    end = last.source if last is not None else node
    assert end is not None
    links = [Link(s, m, r, t) for s, m, r, t in graph.path(end)]
    return [*links, last] if last is not None else links


def always_ends(prop: Property, graph: Graph) -> Verdict:
    """No configuration without a move, and an end state reachable from every one."""
    nodes = graph.nodes
    for index, node in enumerate(nodes):
        if node.order.state not in END_STATES and not graph.out[index]:
            return Verdict(prop, False, f"stuck in {node.order.state}", trace_to(graph, node=index))
    back: list[list[int]] = [[] for _ in nodes]
    for source, moves in enumerate(graph.out):
        for _, target, _ in moves:
            back[target].append(source)
    ends = deque(i for i, n in enumerate(nodes) if n.order.state in END_STATES)
    reaches = [False] * len(nodes)
    for i in ends:
        reaches[i] = True
    while ends:
        for source in back[ends.popleft()]:
            if not reaches[source]:
                reaches[source] = True
                ends.append(source)
    for index, ok in enumerate(reaches):
        if not ok:
            state = nodes[index].order.state
            return Verdict(
                prop, False, f"no end reachable from {state}", trace_to(graph, node=index)
            )
    return Verdict(prop, True)


def fired_rows(graph: Graph) -> set[int]:
    return {row for moves in graph.out for _, _, row in moves if row is not None}


def every_row_fires(
    prop: Property, graph: Graph, transitions: tuple[TransitionSpec, ...]
) -> Verdict:
    """Rows that fire on no way through the process, under this policy, beside the rows
    the policy switches off on purpose (a guard that reads only the policy and refuses,
    a deadline counted from data the world sets from a lever, or a state only such rows
    lead to)."""
    fired = fired_rows(graph)
    dead = [i for i in range(len(transitions)) if i not in fired]
    reached = {node.order.state for node in graph.nodes}
    switched = {i: why for i in dead if (why := switched_off(graph, transitions, i, reached))}
    unexplained = tuple(i for i in dead if i not in switched)
    off = "; ".join(f"{describe_row(transitions, i)} ({why})" for i, why in switched.items())
    if not unexplained:
        return Verdict(prop, True, f"switched off by the policy: {off}" if off else "")
    names = ", ".join(describe_row(transitions, i) for i in unexplained)
    first = transitions[unexplained[0]]
    sources = [i for i, n in enumerate(graph.nodes) if n.order.state in first.source]
    trace = trace_to(graph, node=sources[0]) if sources else []
    return Verdict(prop, False, f"dead rows: {names}", trace, unexplained)


def switched_off(
    graph: Graph, transitions: tuple[TransitionSpec, ...], index: int, reached: set[str]
) -> str:
    """Why the policy itself keeps row `index` from firing, or "" when it does not."""
    spec = transitions[index]
    policy = graph.space.policy
    for name, wanted in [*((g, True) for g in spec.when), *((g, False) for g in spec.unless)]:
        if policy_only(name) and GUARDS[name](None, Context(policy)) is not wanted:  # type: ignore[arg-type]
            return f"{name} is {'off' if wanted else 'on'} under this policy"
    if not reached & set(spec.source):
        return f"{'/'.join(spec.source)} is never reached"
    for deadline in (spec.after, spec.opens):
        if (
            deadline
            and world_data(deadline)
            and all(
                DEADLINES[deadline](n.order, policy) is None
                for n in graph.nodes
                if n.order.state in spec.source
            )
        ):
            return (
                f"{deadline} never comes: the policy never sets {', '.join(world_data(deadline))}"
            )
    return ""


def policy_only(guard: str) -> bool:
    """Whether a guard reads nothing but the policy (a switch)."""
    source = inspect.getsource(GUARDS[guard])
    body = source.split('"""')[-1]
    return (
        "order." not in body
        and "ctx." in body
        and not any(
            f"ctx.{name}" in body for name in ("now", "amount", "request", "party", "epoch_weekday")
        )
    )


def world_data(deadline: str) -> tuple[str, ...]:
    """The fields a deadline reads that no action writes: data the world sets on the
    order when it is paid (from its levers), such as a buyer under abuse review."""
    written = {f for name in ACTIONS.entries for f in writes(name)}
    read = reads(deadlines.__name__, deadline)
    return tuple(sorted(f for f in read if not f.endswith("_at") and f not in written))


def describe_row(transitions: tuple[TransitionSpec, ...], index: int) -> str:
    spec = transitions[index]
    return f"row {index + 1} {spec.trigger} {'|'.join(spec.source)} -> {spec.dest or '(stays)'}"


def never_raises(prop: Property, graph: Graph) -> Verdict:
    if not graph.errors:
        return Verdict(prop, True)
    source, step = graph.errors[0]
    link = Link(source, step.move, None, None)
    return Verdict(prop, False, step.error or "", trace_to(graph, link))
