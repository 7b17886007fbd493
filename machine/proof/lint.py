"""Policy lint: for a row the policy's timing leaves dead, the smallest lever change that
lets it fire again, found by the checker rather than by hand-written conditions.

A timed row is dead when, in every configuration of its state, another timer always
comes first; a row whose window opens on a deadline, when a timer always fires before
the window opens. Where it stands in each explored configuration's zone says by how much a
lever read by its deadline (or by a rival's) would have to move for it to come first;
each candidate, smallest first, is then confirmed by exploring the changed policy until
the row fires.
"""

from __future__ import annotations

from dataclasses import dataclass

from machine.context import Context
from machine.policy import Policy, PolicyError
from machine.proof.checker import Verification
from machine.proof.clock import levers_read
from machine.proof.graph import Graph, StopExploringError, explore
from machine.proof.instant import Choices, InfeasibleError, Running, symbolic
from machine.proof.space import Node, Space, Step
from machine.registry import DEADLINES
from machine.timers import timers

MOST_STEPS = 60  # how far a lever is moved, in steps of the clock, before giving up


@dataclass(frozen=True, slots=True)
class Fix:
    """Setting `lever` from `old` to `new` lets the dead row fire."""

    lever: str
    old: float
    new: float

    def describe(self) -> str:
        return f"{self.lever} {self.old:g} -> {self.new:g}"


def row_fires(policy: Policy, verification: Verification, row: int) -> bool:
    """Whether `row` fires on some way through the process under `policy` (explores
    until it does, so a live row is found fast)."""
    space = Space(policy, verification.space.transitions, verification.space.assumptions)

    def on_edge(graph: Graph, source: int, step: Step, target: int) -> None:
        if step.row == row:
            raise StopExploringError

    return not explore(space, on_edge=on_edge).complete


def comes_first(space: Space, nodes: list[Node], policy: Policy, row: int) -> bool:
    """Whether, under `policy`'s constants and in some explored configuration's zone of
    the row's state, the row's timer could be the one that fires."""
    spec = space.transitions[row]
    probe = Context(policy)
    for node in nodes:
        choices = Choices(node.zone.copy(), space.clock.unit)
        with Running(choices):
            try:
                enabled = timers(node.order, probe, space.timed)
                if spec.after is not None:  # a timer: first, a tie to the table's first
                    mine = next((t for t in enabled if t.trigger == spec.trigger), None)
                    if mine is None:
                        continue
                    m, position = symbolic(mine.moment), enabled.index(mine)
                else:  # a window: open strictly before every timer
                    opens = DEADLINES[spec.opens or ""](node.order, policy)
                    if opens is None:
                        continue
                    m, position = symbolic(opens), -1
                for index, other in enumerate(enabled):
                    if index == position:
                        continue
                    o = symbolic(other.moment)
                    strict = position < 0 or index < position
                    step = choices.steps(o.days - m.days) - (1 if strict else 0)
                    choices.assume(m.var, o.var, step * space.clock.unit)
                return True
            except InfeasibleError:
                continue
    return False


def smallest_fixes(verification: Verification, row: int) -> list[Fix]:
    """For a dead timed row, the smallest change of each lever that lets it fire (each
    confirmed by exploring the changed policy), smallest first; [] for an untimed row
    or when no lever within reach helps."""
    space, policy = verification.space, verification.policy
    spec = space.transitions[row]
    if spec.after is None and spec.opens is None:
        return []
    nodes = [n for n in verification.graph.nodes if n.order.state in spec.source]
    levers: set[str] = set()
    if spec.opens is not None:
        levers |= set(levers_read().get(spec.opens, ()))
    for source in spec.source:
        for timed in space.timed.get(source, ()):
            levers |= set(levers_read().get(timed.deadline.__name__, ()))
    levers &= set(space.clock.levers)
    unit = space.clock.unit
    found = []
    for lever in sorted(levers):
        old = getattr(policy, lever)
        scale = 24 if Policy.lever_info()[lever].unit == "hours" else 1
        for steps in range(1, MOST_STEPS + 1):
            fix = None
            for sign in (1, -1):
                new = old + sign * steps * unit * scale
                try:
                    changed = policy.model_copy(update={lever: new})
                    changed = Policy(**changed.model_dump())
                except (PolicyError, ValueError):
                    continue
                if comes_first(space, nodes, changed, row) and row_fires(
                    changed, verification, row
                ):
                    fix = Fix(lever, old, new)
                    break
            if fix is not None:
                found.append(fix)
                break
    return sorted(found, key=lambda f: abs(f.new - f.old))
