"""Do the checks bite? Mutants of the table (a row dropped, sent elsewhere, a guard
negated) and of the policy (a deadline moved by a day, a switch flipped), each verified
like the original: a mutant is killed when a property that held on the original breaks.

Mutants of the policy are behaviour the rules allow: a survivor there says the properties
do not pin that lever down (they are claims every policy should meet), not that they miss
a bug. Mutants of the table are bugs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Literal, get_args

from machine.policy import Policy, PolicyError
from machine.proof.checker import Verification, describe_row, verify
from machine.proof.graph import TooLargeError
from machine.spec import TransitionSpec
from machine.table import END_STATES, STATE_NAMES, TRANSITIONS

Kind = Literal["drop", "retarget", "negate", "deadline", "switch"]
KINDS: tuple[Kind, ...] = get_args(Kind)


@dataclass(frozen=True, slots=True)
class Mutant:
    """A changed table or policy, and what was changed."""

    kind: Kind
    what: str
    transitions: tuple[TransitionSpec, ...]
    policy: Policy


@dataclass(frozen=True, slots=True)
class Outcome:
    """A mutant and the properties it broke (none: it survived); `undecided` when its
    space outgrew the exploration's budget."""

    mutant: Mutant
    broken: tuple[str, ...]
    undecided: bool = False

    @property
    def killed(self) -> bool:
        return bool(self.broken)


def table_mutants(policy: Policy) -> list[Mutant]:
    """Every row dropped; every row with a destination sent to another state; every row's
    guards negated one at a time."""
    found = []
    for index, spec in enumerate(TRANSITIONS):
        row = describe_row(TRANSITIONS, index)
        rest = TRANSITIONS[:index] + TRANSITIONS[index + 1 :]
        found.append(Mutant("drop", f"{row} dropped", rest, policy))
        if spec.dest is not None:
            other = next(s for s in (*sorted(END_STATES), *STATE_NAMES) if s != spec.dest)
            moved = (*TRANSITIONS[:index], replace(spec, dest=other), *TRANSITIONS[index + 1 :])
            found.append(Mutant("retarget", f"{row} sent to {other}", moved, policy))
        for guard in spec.when:
            negated = replace(
                spec,
                when=tuple(g for g in spec.when if g != guard),
                unless=(*spec.unless, guard),
            )
            table = (*TRANSITIONS[:index], negated, *TRANSITIONS[index + 1 :])
            found.append(Mutant("negate", f"{row}: {guard} negated", table, policy))
    return found


def policy_mutants(policy: Policy, levers: tuple[str, ...]) -> list[Mutant]:
    """Each timing lever moved a day later; each switch lever flipped."""
    found = []
    for name in levers:
        try:
            moved = Policy(**{**policy.model_dump(), name: getattr(policy, name) + 1})
        except (PolicyError, ValueError):
            continue
        found.append(Mutant("deadline", f"{name} + 1", TRANSITIONS, moved))
    for name, field in Policy.model_fields.items():
        value = getattr(policy, name)
        if isinstance(value, bool):
            choices: list[object] = [not value]
        elif isinstance(value, str) and get_args(field.annotation):
            choices = [c for c in get_args(field.annotation) if c != value]
        else:
            continue
        for choice in choices:
            try:
                flipped = Policy(**{**policy.model_dump(), name: choice})
            except (PolicyError, ValueError):
                continue
            found.append(Mutant("switch", f"{name} = {choice}", TRANSITIONS, flipped))
    return found


def sample(mutants: list[Mutant], count: int, seed: int) -> list[Mutant]:
    """`count` mutants spread over the kinds in turn, each kind's drawn at random."""
    rng = random.Random(seed)
    pools = {kind: [m for m in mutants if m.kind == kind] for kind in KINDS}
    for pool in pools.values():
        rng.shuffle(pool)
    chosen: list[Mutant] = []
    while len(chosen) < count and any(pools.values()):
        for kind in KINDS:
            if pools[kind] and len(chosen) < count:
                chosen.append(pools[kind].pop())
    return chosen


def judge(original: Verification, mutant: Mutant, limit: int = 100_000) -> Outcome:
    """The properties that held on the original and break on the mutant."""
    held = [v.prop.name for v in original.verdicts if v.held]
    try:
        found = verify(
            mutant.policy,
            held,
            transitions=mutant.transitions,
            assumptions=original.space.assumptions,
            limit=limit,
            stop_at_violation=True,
        )
    except TooLargeError:
        return Outcome(mutant, (), undecided=True)
    return Outcome(mutant, tuple(v.prop.name for v in found.verdicts if not v.held))
