"""`verify`: every reachable configuration of one order checked under a scenario's or a
preset's policy, with counterexamples told as stories and, on request, written as tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from machine.proof import Verdict, Verification, verify
from machine.proof.checker import trace_to
from machine.proof.graph import TooLargeError
from machine.proof.lint import Fix, smallest_fixes
from machine.proof.mutants import Outcome, judge, policy_mutants, sample, table_mutants
from machine.proof.properties import UnknownPropertyError
from machine.proof.story import concrete, tell, test_source
from sim.api.fitting import base_scenario
from sim.errors import UserError
from sim.files import write_atomic


@dataclass
class Verified:
    """What `verify` found, ready to print or to dump as JSON."""

    name: str
    verification: Verification
    stories: dict[str, list[str]] = field(default_factory=dict)
    mutants: list[Outcome] = field(default_factory=list)
    fixes: dict[int, list[Fix]] = field(default_factory=dict)
    emitted: Path | None = None

    @property
    def held(self) -> bool:
        return self.verification.held

    def lines(self) -> list[str]:
        v = self.verification
        space, graph = v.space, v.graph
        out = [
            f"verify {self.name}: {space.clock.describe()}; zones over the recorded instants",
            f"  assumed: {space.assumptions.describe()}",
            f"  {v.configurations:,} configurations ({graph.expanded:,} expanded, the others "
            f"inside a larger zone), {graph.edges:,} moves, "
            f"{graph.refusals:,} refused, in {v.cpu_seconds:.1f} s CPU",
        ]
        for verdict in v.verdicts:
            mark = "held  " if verdict.held else "BROKEN"
            rules = " ".join(verdict.prop.rules)
            shown = f" [{rules}]" if rules else ""
            out.append(f"  {mark} {verdict.prop.name:<22} {verdict.prop.claim}{shown}")
            if verdict.held and verdict.detail:
                out.append(f"         {verdict.detail}")
        for name, story in self.stories.items():
            out.append("")
            out += story if name else []
        if self.mutants:
            decided = [o for o in self.mutants if not o.undecided]
            killed = sum(o.killed for o in decided)
            out += ["", f"mutants: {killed} of {len(decided)} killed ({share(killed, decided)})"]
            for outcome in self.mutants:
                said = (
                    "undecided (too large)"
                    if outcome.undecided
                    else f"killed by {', '.join(outcome.broken)}"
                    if outcome.killed
                    else "SURVIVED"
                )
                out.append(f"  {outcome.mutant.kind:<9} {outcome.mutant.what}: {said}")
        if self.emitted is not None:
            out.append(f"wrote {self.emitted}")
        return out

    def as_dict(self) -> dict[str, Any]:
        v = self.verification
        return {
            "scenario": self.name,
            "held": self.held,
            "configurations": v.configurations,
            "expanded": v.graph.expanded,
            "moves": v.graph.edges,
            "refused": v.graph.refusals,
            "cpu_seconds": round(v.cpu_seconds, 3),
            "time_step_days": v.space.clock.unit,
            "assumptions": v.space.assumptions.describe(),
            "properties": [
                {
                    "name": verdict.prop.name,
                    "rules": list(verdict.prop.rules),
                    "held": verdict.held,
                    "detail": verdict.detail,
                    "story": self.stories.get(verdict.prop.name, []),
                    "dead_rows": [
                        {
                            "row": row + 1,
                            "trigger": v.space.transitions[row].trigger,
                            "smallest_fixes": [
                                {"lever": f.lever, "from": f.old, "to": f.new}
                                for f in self.fixes.get(row, [])
                            ],
                        }
                        for row in verdict.dead_rows
                    ],
                }
                for verdict in v.verdicts
            ],
            "emitted_test": str(self.emitted) if self.emitted else None,
            "mutants": [
                {
                    "kind": o.mutant.kind,
                    "what": o.mutant.what,
                    "killed_by": list(o.broken),
                    "undecided": o.undecided,
                }
                for o in self.mutants
            ],
        }


def share(killed: int, decided: list[Outcome]) -> str:
    return f"{killed / len(decided):.0%}" if decided else "none decided"


def verify_policy(
    scenario: str | Path | None = None,
    preset: str | None = None,
    properties: list[str] | None = None,
    emit_test: str | Path | None = None,
    mutate: int = 0,
    seed: int = 1,
) -> Verified:
    """Verify the policy of `scenario` (or of `preset`; the default preset when neither):
    each property held or its shortest counterexample as a story; with `emit_test`, the
    first counterexample (or, when all held, the first property's witness: the shortest
    way to a refund) written as a pytest; with `mutate`, that many mutants of the table
    and the policy (spread over the kinds, drawn with `seed`) verified like it."""
    base = base_scenario(scenario, preset, "policy")
    name = Path(scenario).stem if scenario is not None else (preset or base.preset or "policy")
    try:
        verification = verify(base.policy, properties)
    except UnknownPropertyError as error:
        raise UserError(str(error.args[0])) from None
    except TooLargeError as error:
        raise UserError(
            f"{name}: the policy's state space is too large to verify ({error})"
        ) from None
    found = Verified(name, verification)
    for verdict in verification.verdicts:
        if not verdict.held:
            story = concrete(verification, verdict.trace) if verdict.trace else None
            lines = tell(verification, verdict, story)
            for row in verdict.dead_rows:
                fixes = smallest_fixes(verification, row)
                found.fixes[row] = fixes
                if fixes:
                    shown = " or ".join(fix.describe() for fix in fixes)
                    lines.append(f"  smallest fix for row {row + 1}: {shown}")
            found.stories[verdict.prop.name] = lines
    if emit_test is not None:
        found.emitted = emit(verification, Path(emit_test))
    if mutate:
        policy = verification.policy
        candidates = table_mutants(policy) + policy_mutants(policy, verification.space.clock.levers)
        found.mutants = [judge(verification, m) for m in sample(candidates, mutate, seed)]
    return found


def emit(verification: Verification, path: Path) -> Path:
    """Write the first broken property's trace (or the first property's witness) as a
    pytest at `path`."""
    broken = [v for v in verification.verdicts if not v.held and v.prop.step is not None]
    verdict = broken[0] if broken else witness(verification)
    story = concrete(verification, verdict.trace)
    if story is None:
        raise UserError(f"{path}: the trace did not replay on whole days; nothing written")
    write_atomic(path, test_source(verification, verdict, story).encode())
    return path


def witness(verification: Verification) -> Verdict:
    """The first step property's verdict with, as its trace, the shortest way to a
    refund credited by the bank: a trace on which it holds."""
    graph = verification.graph
    target = next(i for i, n in enumerate(graph.nodes) if n.order.state == "refunded")
    prop = next(v.prop for v in verification.verdicts if v.prop.step is not None)
    return Verdict(prop, True, "a witness", trace_to(graph, node=target))
