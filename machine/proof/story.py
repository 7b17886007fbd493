"""Counterexamples as stories: a trace of the zone graph made concrete (whole days on
which every move happens, replayed on the real machine), told day by day and written as
a pytest that replays it.

The zones say that *some* days fit a trace; the replay finds them, earliest first, by
trying each move on every day up to the first timer that would pre-empt it and keeping
the first days on which the whole rest of the trace still goes through the same rows of
the real machine (with the real bank calendar, on every weekday the week could start).
"""

from __future__ import annotations

from dataclasses import dataclass

from machine.context import Context
from machine.dispatch import FastProcess
from machine.order import Order
from machine.policy import Policy
from machine.process import build_machine
from machine.proof.checker import Link, Verdict, Verification, describe_row
from machine.proof.clock import levers_read
from machine.proof.space import Kind, Move, clone, first_passing
from machine.registry import DEADLINES
from machine.spec import TransitionSpec
from machine.table import TRANSITIONS
from machine.timers import timed_rows, timers

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
BUDGET = 200_000  # moves tried before giving up on making a trace concrete


@dataclass(frozen=True, slots=True)
class Happening:
    """One move of a concrete trace: on `day`, `move` took the order from `before` to
    `after` through table row `row`."""

    day: float
    move: Move
    row: int | None
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Story:
    """A trace made concrete: the order it starts from, the week's first weekday, and
    what happened on which day."""

    start: Order
    epoch_weekday: int
    happenings: tuple[Happening, ...]
    end: Order  # the order after the last happening


class Replayer:
    """Replays moves on concrete orders through the real machine (the table's, or a
    variant's), the world's timer rule included."""

    def __init__(
        self, policy: Policy, transitions: tuple[TransitionSpec, ...] = TRANSITIONS
    ) -> None:
        self.policy = policy
        self.process = FastProcess(build_machine(transitions=transitions))
        self.timed = timed_rows(transitions)
        self.rows_of: dict[tuple[str, str], list[int]] = {}
        for index, spec in enumerate(transitions):
            for source in spec.source:
                self.rows_of.setdefault((spec.trigger, source), []).append(index)

    def fire(self, order: Order, move: Move, day: float, weekday: int) -> tuple[Order, int] | None:
        """The order after `move` on `day` and the row that fired, or None when the
        machine refuses it or a timer would have fired first."""
        ctx = Context(self.policy, day, epoch_weekday=weekday)
        enabled = timers(order, ctx, self.timed)
        if move.kind is Kind.TIMER:
            due = min(enabled, key=lambda t: t.moment, default=None)
            if (
                due is None
                or due.trigger != move.trigger
                or max(due.moment, order.updated_at) != day
            ):
                return None
        elif any(t.moment <= day for t in enabled):
            return None
        ctx.at(day, amount=move.amount, request=move.request, party=move.party)
        position = first_passing(self.process, order, move.trigger, ctx)
        after = clone(order)
        if position is None or not self.process.fire(after, move.trigger, ctx):
            return None
        return after, self.rows_of[move.trigger, order.state][position]

    def latest(self, order: Order, weekday: int, horizon: float) -> float:
        """The last day a move can come before a timer pre-empts it."""
        ctx = Context(self.policy, order.updated_at, epoch_weekday=weekday)
        moments = [t.moment for t in timers(order, ctx, self.timed)]
        return min([*moments, order.updated_at + horizon])


def concrete(verification: Verification, trace: list[Link]) -> Story | None:
    """Days on which `trace` happens on the real machine, earliest first; None when no
    days are found within the budget (the zones over-approximate, or the trace is long)."""
    space, graph = verification.space, verification.graph
    replayer = Replayer(space.policy, space.transitions)
    root = graph.root(trace[0].source) if trace else 0
    start = clone(graph.nodes[root].order)
    start.paid_at = start.updated_at = 0.0
    unit = space.clock.unit
    horizon = space.horizon_days()
    tried = 0

    ends: list[Order] = []

    def search(k: int, order: Order, weekday: int) -> list[Happening] | None:
        nonlocal tried
        if k == len(trace):
            ends.append(order)
            return []
        link = trace[k]
        day, last = order.updated_at, replayer.latest(order, weekday, horizon)
        while day <= last and tried < BUDGET:
            tried += 1
            fired = replayer.fire(order, link.move, day, weekday)
            if fired is not None and (link.row is None or fired[1] == link.row):
                after, row = fired
                rest = search(k + 1, after, weekday)
                if rest is not None:
                    return [Happening(day, link.move, row, order.state, after.state), *rest]
            day += unit
        return None

    for weekday in range(7):
        found = search(0, start, weekday)
        if found is not None:
            return Story(start, weekday, tuple(found), ends[-1])
    return None


def tell(verification: Verification, verdict: Verdict, story: Story | None) -> list[str]:
    """The trace day by day: state, trigger and its payload, actor, the row's guards and
    the levers that set its window."""
    transitions = verification.space.transitions
    lines = [f"{verdict.prop.name}: {verdict.detail}"]
    if story is None:
        lines.append("  (no whole days were found on which the trace replays on the machine)")
        return lines
    start = story.start
    lines.append(
        f"  an order of {start.paid / 100:.2f} paid on day 0, a {WEEKDAYS[story.epoch_weekday]}"
        f" (delivery promised in {start.promised_days:g} day"
        f"{'' if start.promised_days == 1 else 's'}"
        f"{', the buyer under abuse review' if start.under_review else ''}):"
    )
    for happening in story.happenings:
        move = happening.move
        index = happening.row
        because = ""
        if index is not None:
            spec = transitions[index]
            guards = [*spec.when, *(f"not {g}" for g in spec.unless)]
            windows = [d for d in (spec.after, spec.opens, spec.closes) if d]
            levers = sorted({lever for d in windows for lever in levers_read().get(d, ())})
            parts = [f"rules {' '.join(spec.rules)}"]
            if guards:
                parts.append(f"guards {', '.join(guards)}")
            if windows:
                parts.append(f"window {', '.join(windows)} set by {', '.join(levers) or '-'}")
            because = f"  [{describe_row(transitions, index)}; {'; '.join(parts)}]"
        arrow = (
            happening.before
            if happening.after == happening.before
            else (f"{happening.before} -> {happening.after}")
        )
        who = f"by the {move.actor.value}"
        lines.append(f"  day {happening.day:g}: {move.describe()} {who}: {arrow}{because}")
    return lines + what_comes_first(verification, verdict, story)


def what_comes_first(verification: Verification, verdict: Verdict, story: Story) -> list[str]:
    """For a dead row, the deadlines waiting at the end of the trace, earliest first: why
    the row never gets its turn."""
    if not verdict.dead_rows:
        return []
    policy, end = verification.policy, story.end
    ctx = Context(policy, end.updated_at, epoch_weekday=story.epoch_weekday)
    waiting = [
        (t.moment, t.trigger) for t in timers(end, ctx, timed_rows(verification.space.transitions))
    ]
    spec = verification.space.transitions[verdict.dead_rows[0]]
    if spec.after is None and spec.opens is not None:
        opens = DEADLINES[spec.opens](end, policy)
        if opens is not None:
            waiting.append((opens, f"{spec.trigger} (its window opens)"))
    if not waiting:
        return []
    shown = ", ".join(f"{name} on day {moment:g}" for moment, name in sorted(waiting))
    return [f"  then, if nobody acts: {shown}"]


def test_source(verification: Verification, verdict: Verdict, story: Story) -> str:
    """A pytest module replaying `story` on the real machine, step by step, with the
    property's own check on every step: it passes where the property holds on this trace
    and fails at the step that breaks it."""
    policy = verification.policy
    changed = {
        name: getattr(policy, name)
        for name in type(policy).model_fields
        if getattr(policy, name) != type(policy).model_fields[name].default
    }
    steps = []
    for h in story.happenings:
        m = h.move
        payload: dict[str, str] = {}
        if m.amount is not None:
            payload["amount"] = repr(m.amount)
        if m.party is not None:
            payload["party"] = f"Party.{m.party.name}"
        if m.request is not None:
            r = m.request
            payload["request"] = (
                f"DisputeRequest(Reason.{r.reason.name}, RequestKind.{r.kind.name}, {r.amount}, "
                f"largest_image_mb={r.largest_image_mb!r}, text_has_chinese={r.text_has_chinese!r})"
            )
        args = ", ".join(f"{k!r}: {v}" for k, v in payload.items())
        kind = "timer" if m.kind is Kind.TIMER else "act"
        steps.append(f"    ({h.day!r}, {m.trigger!r}, {kind!r}, {{{args}}}, {h.after!r}),")
    start = story.start
    name = verdict.prop.name
    used = ["Order"]
    if any(h.move.request is not None for h in story.happenings):
        used += ["DisputeRequest", "Reason", "RequestKind"]
    if any(h.move.party is not None for h in story.happenings):
        used.append("Party")
    imported = ", ".join(sorted(used))
    outcome = "holds" if verdict.held else "breaks"
    return f'''"""A trace found by `disputesim verify`: {name} {outcome} on it.

Replayed on the real machine with the world's timer rule (a due timer fires first); every
step is checked by the property's own predicate. Written by disputesim; edit freely.
"""

from machine.context import Context
from machine.dispatch import FAST
from machine.order import {imported}
from machine.policy import Policy
from machine.proof.replay import replay_step

POLICY = Policy(**{changed!r})
STEPS = [  # day, trigger, how it comes about, payload, state after
{chr(10).join(steps)}
]


def test_{name}_on_the_trace() -> None:
    order = Order(
        1,
        {start.paid},
        paid_at=0.0,
        promised_days={start.promised_days!r},
        return_postage={start.return_postage},
        under_review={start.under_review!r},
    )
    ctx = Context(POLICY, epoch_weekday={story.epoch_weekday})
    for day, trigger, kind, payload, state in STEPS:
        order = replay_step({name!r}, FAST, order, ctx, day, trigger, kind, payload)
        assert order.state == state, f"day {{day}}: {{trigger}} left the order in {{order.state}}"
'''
