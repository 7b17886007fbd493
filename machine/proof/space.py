"""The verifier's world: one order, every choice that could move it, and time as zones.

A node is an order whose time fields hold symbolic instants, the zone of those instants
(the current one equal to the last event's) and, while a refund is with the bank, the
weekday of the refund's day. From a node, time may pass up to the earliest timer and the
world's promises (the bank's longest business days, a cancellation's longest processing
time, the team's review); then either the timer fires at its moment (at its very instant
it wins, as in the simulation; an overdue timer fires at once) or, before it, an actor
fires a trigger with one class of payload. Every move runs through the compiled machine,
on a copy of the order, once per way the guards' comparisons can go.
"""

from __future__ import annotations

import inspect
from collections.abc import Hashable, Iterator
from typing import NamedTuple

from machine import deadlines
from machine.context import Context
from machine.dispatch import FastProcess
from machine.order import DisputeRequest, Order
from machine.policy import Policy
from machine.proof.assumptions import Assumptions
from machine.proof.bank import bank_span, symbolic_process
from machine.proof.clock import Clock, clock
from machine.proof.fields import compared, reads, value_read_deadlines
from machine.proof.instant import (
    FORGOTTEN,
    Choices,
    InfeasibleError,
    Instant,
    Running,
    symbolic,
)
from machine.proof.memory import TIME_FIELDS, compared_apart, memory
from machine.proof.moves import Kind, Move, payload_classes
from machine.proof.zone import NOW, Zone
from machine.registry import GUARDS, Guard
from machine.spec import Actor, TransitionSpec
from machine.table import INITIAL, STATE_NAMES, TRANSITIONS
from machine.timers import TimedRows, Timer, timed_rows, timers


class Node(NamedTuple):
    """An order with symbolic instants, their zone, the refund day's weekday, and what
    tells it apart beside its zone (`Space.key`, computed once)."""

    order: Order
    zone: Zone
    weekday: int | None
    key: Hashable


class Situation(NamedTuple):
    """Where time may stand for each kind of move from a node: the zone in which actors
    may move (None: none, a timer is due at once) and, per timer, the zone in which it
    fires."""

    acting: Zone | None
    firing: dict[str, Zone]


class Step(NamedTuple):
    """One way a move went from a node: the node it leads to, the table row that fired
    (its index in the table), or the error it raised. `node` None and `error` None: the
    machine refused the move on this path."""

    move: Move
    node: Node | None
    row: int | None
    error: str | None = None


def first_passing(process: FastProcess, order: Order, trigger: str, ctx: Context) -> int | None:
    """The position, among the trigger's rows from the order's state, of the first whose
    guards pass (the one `process.fire` fires), or None."""
    for position, (when, unless, _, _) in enumerate(process.rows[trigger].get(order.state, ())):
        if all(c(order, ctx) for c in when) and not any(c(order, ctx) for c in unless):
            return position
    return None


def clone(order: Order) -> Order:
    """A field-for-field copy of an order (slots, no dict)."""
    new = Order.__new__(Order)
    for name in Order.__slots__:
        setattr(new, name, getattr(order, name))
    return new


def timeless(guard: object) -> bool:
    """Whether a guard of the table reads no time: not the current instant, no deadline,
    no instant's value (whether one is set may be read)."""
    name = getattr(guard, "__name__", "")
    if name not in GUARDS.entries or GUARDS[name] is not guard:
        return False  # a derived window or deadline guard, or the bank's
    source = inspect.getsource(GUARDS[name])
    return "ctx.now" not in source and "deadlines." not in source and not compared(name)


def timeless_rows(
    process: FastProcess,
) -> dict[tuple[str, str], list[tuple[tuple[Guard, ...], tuple[Guard, ...]]]]:
    """(trigger, state) -> each row's guards that read no time, must hold and must not:
    a row whose timeless guards refuse is refused on every day."""
    found = {}
    for trigger, per_state in process.rows.items():
        for state, rows in per_state.items():
            found[trigger, state] = [
                (
                    tuple(g for g in when if timeless(g)),
                    tuple(g for g in unless if timeless(g)),
                )
                for when, unless, _, _ in rows
            ]
    return found


class Space:
    """The configurations of one order under `policy` and the moves between them, for the
    table (or a variant of it: `transitions`)."""

    def __init__(
        self,
        policy: Policy,
        transitions: tuple[TransitionSpec, ...] = TRANSITIONS,
        assumptions: Assumptions | None = None,
    ) -> None:
        self.policy = policy
        self.transitions = transitions
        self.assumptions = assumptions or Assumptions()
        self.clock: Clock = clock(policy)
        self.process = symbolic_process(transitions)
        self.timed: TimedRows = timed_rows(transitions)
        self.rows_of: dict[tuple[str, str], tuple[int, ...]] = {}
        self.actor_of: dict[str, Actor] = {}
        acting: dict[str, dict[str, None]] = {state: {} for state in STATE_NAMES}
        takes: dict[str, set[str]] = {}
        for index, spec in enumerate(transitions):
            self.actor_of.setdefault(spec.trigger, spec.actor)
            takes.setdefault(spec.trigger, set()).update(spec.payload)
            for source in spec.source:
                self.rows_of[spec.trigger, source] = (
                    *self.rows_of.get((spec.trigger, source), ()),
                    index,
                )
                if spec.after is None:
                    acting[source][spec.trigger] = None
        self.acting = {state: tuple(found) for state, found in acting.items()}
        self.takes = {trigger: frozenset(kinds) for trigger, kinds in takes.items()}
        limits: dict[str, set[str]] = {}
        for spec in transitions:
            limits.setdefault(spec.trigger, set()).update((*spec.when, *spec.unless))
        self.limits = {trigger: frozenset(names) for trigger, names in limits.items()}
        self.memory = memory(transitions)
        self.apart = compared_apart(transitions)
        self._request_classes: dict[DisputeRequest, Hashable] = {}
        self._request_guards = [
            GUARDS[name]
            for name in dict.fromkeys(g for spec in transitions for g in (*spec.when, *spec.unless))
            if "order.request" in inspect.getsource(GUARDS[name])
        ]
        self._request_probes = [
            move.request
            for move in self.payloads("open_dispute", Order(1, self.assumptions.price))
            if move.request is not None
        ]
        self.ctx = Context(policy)
        self._refused: set[tuple[Hashable, Move]] = set()
        self._timeless = timeless_rows(self.process)
        self.watch_weekday = policy.bank_days_min > 0 or policy.bank_days_max > 0
        self.ceilings = self.field_ceilings()

    def field_ceilings(self) -> dict[str, int]:
        """Each time field -> the most steps after it that anything compares with: the
        deadlines counted from it (probed on an order whose instants are all zero), the
        world's promises; the horizon for fields a guard compares with another instant."""
        policy, steps = self.policy, self.clock.steps
        probe = Order(1, self.assumptions.price)
        for name in TIME_FIELDS:
            setattr(probe, name, 0.0)
        probe.decision = 1
        horizon = steps(self.horizon_days())
        found = {name: horizon for name in TIME_FIELDS}
        counted: dict[str, int] = {}
        for name in value_read_deadlines():
            moment = getattr(deadlines, name)(probe, policy)
            for field in reads(deadlines.__name__, name):
                if field in TIME_FIELDS and isinstance(moment, float):
                    counted[field] = max(counted.get(field, 0), steps(abs(moment)))
        found.update(counted)
        found["paid_at"] = max(counted.get("paid_at", 0), steps(policy.instant_cancel_hours / 24))
        found["refund_at"] = steps(bank_span(policy, policy.bank_days_max, 4, True))
        found["cancel_requested_at"] = steps(max(policy.cancel_days_max, policy.cancel_days_min))
        found["escalated_at"] = steps(self.assumptions.review_days)
        found["updated_at"] = steps(self.assumptions.review_days)  # the appeal's review
        return found

    def horizon_days(self) -> float:
        """A span no order's life can exceed unless something loops: every timing lever
        once, the bank's longest clearance and the team's reviews. Instants further apart
        than this are all alike to the zones."""
        policy = self.policy
        total = sum(
            getattr(policy, name) / (24 if Policy.lever_info()[name].unit == "hours" else 1)
            for name in self.clock.levers
        )
        total += bank_span(policy, policy.bank_days_max, 4, True)
        total += self.assumptions.review_days * (2 + policy.max_appeals)
        return float(int(total) + 1)

    # --- where exploration starts ----------------------------------------------------

    def initial(self) -> list[Node]:
        """An order just paid, for each class of what the machine reads at payment: a
        delivery promised fast or not, a buyer under abuse review or not."""
        policy = self.policy
        promised = sorted({policy.fast_delivery_days, policy.fast_delivery_days + 1.0} - {0.0})
        reviewed = (False, True) if policy.buyer_review_claims > 0 else (False,)
        nodes = []
        for days in promised or [20.0]:
            for review in reviewed:
                order = Order(
                    1,
                    self.assumptions.price,
                    paid_at=Instant(1),  # type: ignore[arg-type]
                    promised_days=days,
                    return_postage=500,
                    under_review=review,
                    state=INITIAL,
                )
                nodes.append(Node(order, Zone(2), None, self.discrete(order, None)))
        return nodes

    # --- what a configuration must remember ------------------------------------------

    def key(self, node: Node) -> Hashable:
        """What tells configurations apart beside their zones: the values the future can
        read, where the instants are (the node is normalised already), which others are
        set, and the weekday while clearing. Nodes of one key differ only in time."""
        return node.key

    def discrete(self, order: Order, weekday: int | None) -> Hashable:
        """`key`, from its parts."""
        remembered = self.memory[order.state]
        return (
            weekday,
            tuple(
                self.request_class(order.request) if name == "request" else getattr(order, name)
                for name in remembered.values
            ),
            tuple(
                None if (i := getattr(order, name)) is None else (i.var, i.days)
                for name in remembered.timed
            ),
            tuple(getattr(order, name) is None for name in remembered.flags),
        )

    def request_class(self, request: DisputeRequest | None) -> Hashable:
        """What the machine can ever tell of a request on record: its amount, and the
        answer of every guard that reads the request on record, against every class of
        request that could follow it. Requests alike in all are one configuration (a
        damaged item and one not as described, as far as the table goes)."""
        if request is None:
            return None
        found = self._request_classes.get(request)
        if found is None:
            probe = Order(1, self.assumptions.price)
            probe.request = request
            ctx = Context(self.policy)
            answers = []
            for guard in self._request_guards:
                for other in self._request_probes:
                    ctx.at(0.0, request=other)
                    answers.append(guard(probe, ctx))
            found = self._request_classes[request] = (request.amount, tuple(answers))
        return found

    def normalise(self, order: Order, zone: Zone, weekday: int | None) -> Node:
        """Forget the instants whose value nothing ahead reads (whether they are set is
        kept), number the rest in field order, and widen bounds beyond the horizon."""
        keep, index, ceilings, sharing = [NOW], {NOW: 0}, [0], [0]
        kept = self.memory[order.state].timed
        unit, field_ceilings = self.clock.unit, self.ceilings
        for name in TIME_FIELDS:
            instant = getattr(order, name)
            if instant is None or instant is FORGOTTEN:
                continue
            if name not in kept:
                setattr(order, name, FORGOTTEN)
                continue
            var = instant.var
            reach = round(max(instant.days, 0.0) / unit) + field_ceilings[name]
            at = index.get(var)
            if at is None:
                at = index[var] = len(keep)
                keep.append(var)
                ceilings.append(reach)
                sharing.append(1)
            else:
                sharing[at] += 1
                if reach > ceilings[at]:
                    ceilings[at] = reach
            setattr(order, name, Instant(at, instant.days))
        clearing = order.refund_at is not None and order.credited_at is None
        projected = zone.project(keep, ceilings)
        for name, comparands in self.apart.items():
            instant = getattr(order, name)
            if name not in kept or instant is None or instant is FORGOTTEN:
                continue
            own = instant.var
            if sharing[own] > 1:
                continue  # the instant is also another field's, compared with now
            partners = {
                getattr(order, f).var
                for f in comparands
                if f in kept and getattr(order, f) is not None
            }
            projected.forget_between(own, sorted(partners - {own}))
        weekday = weekday if clearing else None
        return Node(order, projected, weekday, self.discrete(order, weekday))

    # --- the world's promises --------------------------------------------------------

    def promise(self, order: Order, weekday: int | None) -> Instant | None:
        """The instant by which someone must act in this state: the bank within its
        longest business days (P1), a cancellation within its longest processing time
        (L2), the team within the assumed review time (of an escalation, or of the end of
        an appeal window)."""
        policy, state = self.policy, order.state
        if state == "refund_clearing" and order.refund_at is not None:
            span = bank_span(policy, policy.bank_days_max, weekday or 0, order.cancelled_at_once)
            return symbolic(order.refund_at) + span
        if state == "cancel_requested" and order.cancel_requested_at is not None:
            return symbolic(order.cancel_requested_at) + policy.cancel_days_max
        review = self.assumptions.review_days
        if state == "escalated" and order.escalated_at is not None:
            due = symbolic(order.escalated_at) + review  # evidence rounds may have used it:
            last = symbolic(order.updated_at)
            return due if last <= due else last  # then at once
        if state == "appeal_review":
            return symbolic(order.updated_at) + review
        return None

    # --- the moves -------------------------------------------------------------------

    def payloads(self, trigger: str, order: Order) -> list[Move]:
        """Every class of payload the trigger could carry from `order` (`payload_classes`)."""
        return payload_classes(
            trigger,
            self.actor_of[trigger],
            self.takes.get(trigger, frozenset()),
            self.limits.get(trigger, frozenset()),
            order,
            self.policy,
        )

    def moves(self, node: Node) -> list[Move]:
        """Every move to try from `node`: its timers, then each actor's triggers."""
        order = node.order
        found = [
            Move(Kind.TIMER, trigger, self.actor_of[trigger])
            for trigger in dict.fromkeys(row.trigger for row in self.timed.get(order.state, ()))
        ]
        for trigger in self.acting[order.state]:
            found += self.payloads(trigger, order)
        return found

    def situations(self, node: Node) -> Iterator[Situation]:
        """How time can stand at `node`, once per way its timers' comparisons go: an
        overdue timer fires at once; otherwise time passes up to the earliest timer and
        the promise, and each timer may fire at its moment (a tie goes to the table's
        first) or an actor move before all of them."""
        order, unit = node.order, self.clock.unit
        probe = Context(self.policy, epoch_weekday=node.weekday or 0)
        now = Instant(NOW)
        scripts: list[list[bool]] = [[]]
        while scripts:
            choices = Choices(node.zone.copy(), unit, scripts.pop())
            with Running(choices):
                try:
                    enabled: list[Timer] = timers(order, probe, self.timed)
                    overdue = [t for t in enabled if symbolic(t.moment) <= now]
                    if overdue:
                        due = overdue[0]
                        for timer in overdue[1:]:
                            if symbolic(timer.moment) < symbolic(due.moment):
                                due = timer
                        yield Situation(None, {due.trigger: choices.zone})
                    else:
                        yield self._passing(order, node.weekday, enabled, choices)
                except InfeasibleError:
                    pass
            scripts.extend(choices.pending)

    def _passing(
        self, order: Order, weekday: int | None, enabled: list[Timer], choices: Choices
    ) -> Situation:
        zone = choices.zone
        promised = self.promise(order, weekday)
        if promised is None or not promised < Instant(NOW):  # else: the promised acts now
            zone.let_time_pass()
            for timer in enabled:
                moment = symbolic(timer.moment)
                choices.assume(NOW, moment.var, moment.days)
            if promised is not None:
                choices.assume(NOW, promised.var, promised.days)
        acting: Zone | None = zone.copy()
        for timer in enabled:  # at its very instant, the timer wins
            m = symbolic(timer.moment)
            if acting is not None and not acting.constrain(NOW, m.var, choices.steps(m.days) - 1):
                acting = None
        firing: dict[str, Zone] = {}
        for position, timer in enumerate(enabled):
            at = zone.copy()
            m = symbolic(timer.moment)
            fits = at.constrain(m.var, NOW, -choices.steps(m.days))  # now >= moment
            for earlier in enabled[:position]:
                e = symbolic(earlier.moment)
                fits = fits and at.constrain(NOW, e.var, choices.steps(e.days) - 1)
            if fits:
                firing[timer.trigger] = at
        return Situation(acting, firing)

    def steps(self, node: Node) -> Iterator[Step]:
        """Every way every move can go from `node`, refusals and errors included."""
        moves = self.moves(node)
        try:
            situations = list(self.situations(node))
        except Exception as error:  # a deadline that raised: a finding
            yield Step(moves[0], None, None, f"{type(error).__name__}: {error}")
            return
        for situation in situations:
            for move in moves:
                if move.kind is Kind.ACT and (
                    (node.key, move) in self._refused or self.refused_outright(node, move)
                ):
                    yield Step(move, None, None)
                    continue
                zone = (
                    situation.acting
                    if move.kind is Kind.ACT
                    else situation.firing.get(move.trigger)
                )
                if zone is not None:
                    yield from self.run(node, move, zone)

    def refused_outright(self, node: Node, move: Move) -> bool:
        """Whether every row of the move fails a guard that reads no time (a form the
        platform refuses, an amount beyond what was paid): refused whatever the day."""
        rows = self._timeless.get((move.trigger, node.order.state))
        if not rows:
            return False
        ctx = self.ctx
        ctx.epoch_weekday = node.weekday or 0
        ctx.at(Instant(NOW), amount=move.amount, request=move.request, party=move.party)  # type: ignore[arg-type]
        order = node.order
        return all(
            not all(g(order, ctx) for g in when) or any(g(order, ctx) for g in unless)
            for when, unless in rows
        )

    def run(self, node: Node, move: Move, zone: Zone) -> Iterator[Step]:
        """The move from `node` within `zone`, once per way its comparisons can go."""
        scripts: list[list[bool]] = [[]]
        while scripts:
            choices = Choices(zone.copy(), self.clock.unit, scripts.pop())
            with Running(choices):
                try:
                    found = list(self.attempt(node, move, choices))
                    if (
                        move.kind is Kind.ACT
                        and choices.asked == 0
                        and len(found) == 1
                        and found[0].node is None
                        and found[0].error is None
                    ):  # refused without looking at the time: refused at every time
                        self._refused.add((node.key, move))
                    yield from found
                except InfeasibleError:
                    pass
                except Exception as error:  # a guard or action that raised: a finding
                    yield Step(move, None, None, f"{type(error).__name__}: {error}")
            scripts.extend(choices.pending)

    def attempt(self, node: Node, move: Move, choices: Choices) -> Iterator[Step]:
        """One path of `move` from `node` under `choices`: the row that fires, if any."""
        order = node.order
        ctx = self.ctx
        ctx.epoch_weekday = node.weekday or 0
        ctx.at(Instant(NOW), amount=move.amount, request=move.request, party=move.party)  # type: ignore[arg-type]
        position = first_passing(self.process, order, move.trigger, ctx)
        if position is None:
            yield Step(move, None, None)
            return
        after = clone(order)
        if not self.process.fire(after, move.trigger, ctx):
            yield Step(move, None, None, "the row whose guards passed did not fire")
            return
        row = self.rows_of[move.trigger, order.state][position]
        zone = choices.zone
        event = zone.add_copy_of(NOW)
        refunded_now = False
        for name in TIME_FIELDS:
            instant = getattr(after, name)
            if isinstance(instant, Instant) and instant.var == NOW:
                setattr(after, name, Instant(event, instant.days))
                refunded_now = refunded_now or name == "refund_at"
        if refunded_now and self.watch_weekday:
            for day in range(7):
                yield Step(move, self.normalise(clone(after), zone, day), row)
        else:
            yield Step(move, self.normalise(after, zone, node.weekday), row)
