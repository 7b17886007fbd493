"""The bank on symbolic instants: its business days counted from the refund's day, whose
weekday the verifier carries (each refund is tried on all seven), with the calendar of
`machine.calendar`; and the compiled machine with that guard in place of the bank's."""

from __future__ import annotations

from types import SimpleNamespace

from machine import deadlines, guards
from machine.calendar import add_business_days
from machine.context import Context
from machine.dispatch import FastProcess
from machine.order import Order
from machine.policy import Policy
from machine.process import build_machine
from machine.spec import TransitionSpec


def bank_span(policy: Policy, business_days: int, weekday: int, at_once: bool) -> float:
    """Days from a refund at the start of a day on `weekday` to the bank's credit after
    `business_days` (P1; an immediate cancellation's floor, L3, included)."""
    refund = SimpleNamespace(refund_at=0.0, cancelled_at_once=at_once)
    floor = deadlines.instant_cancel_credit(refund, policy)  # type: ignore[arg-type]
    moment = add_business_days(0.0, business_days, weekday)
    return moment if floor is None else max(moment, floor)


def bank_clearance_elapsed(order: Order, ctx: Context) -> bool:
    """The bank's guard on symbolic instants: the calendar of `machine.calendar` counted
    from the refund's day, whose weekday the context carries."""
    if order.refund_at is None:
        return False
    span = bank_span(
        ctx.policy, ctx.policy.bank_days_min, ctx.epoch_weekday, order.cancelled_at_once
    )
    return ctx.now >= order.refund_at + span


def symbolic_process(transitions: tuple[TransitionSpec, ...]) -> FastProcess:
    process = FastProcess(build_machine(transitions=transitions))
    for per_state in process.rows.values():
        for state, rows in per_state.items():
            per_state[state] = tuple(
                (
                    tuple(
                        bank_clearance_elapsed if g is guards.bank_clearance_elapsed else g
                        for g in when
                    ),
                    unless,
                    dest,
                    steps,
                )
                for when, unless, dest, steps in rows
            )
    return process
