"""Exploring every reachable configuration breadth first: the graph the properties are
checked on, with the first way each configuration was reached (so the trace to any of
them is a shortest one)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from machine.proof.moves import Kind
from machine.proof.space import Move, Node, Space, Step
from machine.spec import Actor


class TooLargeError(RuntimeError):
    """The exploration passed its node budget."""


class StopExploringError(Exception):
    """Raised by an `on_edge` callback: what was explored so far is enough."""


@dataclass
class Graph:
    """Nodes (one representative per configuration), edges (source, move, target, row)
    and each node's first parent; `refusals` counts moves the machine refused and
    `errors` the moves that raised instead."""

    space: Space
    nodes: list[Node] = field(default_factory=list)
    index: dict[Hashable, list[int]] = field(default_factory=dict)
    out: list[list[tuple[Move, int, int | None]]] = field(default_factory=list)
    parent: list[tuple[int, Move, int | None] | None] = field(default_factory=list)
    errors: list[tuple[int, Step]] = field(default_factory=list)
    refusals: int = 0
    complete: bool = True  # False: stopped by a callback before the end
    covered: dict[int, int] = field(default_factory=dict)  # not expanded: inside this one

    @property
    def expanded(self) -> int:
        """The configurations whose moves were tried (the others lie inside one of them)."""
        return len(self.nodes) - len(self.covered)

    @property
    def edges(self) -> int:
        """The moves found (links to a covering configuration not counted)."""
        return sum(len(moves) for moves in self.out) - len(self.covered)

    def path(self, target: int) -> list[tuple[int, Move, int | None, int]]:
        """The shortest way from an initial node to `target`: (source, move, row, dest)."""
        found = []
        while (link := self.parent[target]) is not None:
            source, move, row = link
            found.append((source, move, row, target))
            target = source
        found.reverse()
        return found

    def root(self, target: int) -> int:
        """The initial node `target` was first reached from."""
        while (link := self.parent[target]) is not None:
            target = link[0]
        return target


OnEdge = Callable[[Graph, int, Step, int], None]
COVERED = Move(Kind.TIMER, "(inside a larger zone)", Actor.PLATFORM)
"""The link from a configuration never expanded to the one whose zone holds it."""


def explore(space: Space, limit: int = 500_000, on_edge: OnEdge | None = None) -> Graph:
    """Every configuration reachable from `space`'s initial ones (at most `limit`);
    `on_edge(graph, source, step, target)` sees each move that fired, as it is found."""
    graph = Graph(space)
    queue: deque[int] = deque()

    waiting: set[int] = set()  # added, not yet expanded

    def add(node: Node, link: tuple[int, Move, int | None] | None) -> int:
        key = space.key(node)
        known = graph.index.setdefault(key, [])
        for other in known:  # a zone inside one already met holds nothing new
            if graph.nodes[other].zone.includes(node.zone):
                return other
        if len(graph.nodes) >= limit:
            raise TooLargeError(f"more than {limit:,} configurations")
        new = len(graph.nodes)
        for other in known:  # one waiting inside the new zone need not be expanded
            if other in waiting and node.zone.includes(graph.nodes[other].zone):
                waiting.discard(other)
                graph.covered[other] = new
        known.append(new)
        waiting.add(new)
        graph.nodes.append(node)
        graph.out.append([])
        graph.parent.append(link)
        queue.append(len(graph.nodes) - 1)
        return len(graph.nodes) - 1

    for node in space.initial():
        add(node, None)
    while queue:
        source = queue.popleft()
        if source in graph.covered:  # its moves are among its coverer's
            graph.out[source].append((COVERED, graph.covered[source], None))
            continue
        waiting.discard(source)
        for step in space.steps(graph.nodes[source]):
            if step.error is not None:
                graph.errors.append((source, step))
                continue
            if step.node is None:
                graph.refusals += 1
                continue
            target = add(step.node, (source, step.move, step.row))
            graph.out[source].append((step.move, target, step.row))
            if on_edge is not None:
                try:
                    on_edge(graph, source, step, target)
                except StopExploringError:
                    graph.complete = False
                    return graph
    return graph
