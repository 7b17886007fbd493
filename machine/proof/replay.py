"""Replaying one step of a verifier's trace on the real machine, for emitted tests."""

from __future__ import annotations

from typing import Any

from machine.context import Context
from machine.dispatch import FastProcess
from machine.order import Order
from machine.proof.properties import PROPERTIES
from machine.proof.space import clone
from machine.timers import timers


def replay_step(
    name: str,
    process: FastProcess,
    order: Order,
    ctx: Context,
    day: float,
    trigger: str,
    kind: str,
    payload: dict[str, Any],
) -> Order:
    """Fire `trigger` on a copy of `order` on `day` as the world would (no timer may be
    due before it; a timer only at its moment) and assert property `name` on the step;
    the order after it."""
    ctx.at(day)
    due = [t for t in timers(order, ctx) if t.moment <= day]
    if kind == "timer":
        assert due and min(due, key=lambda t: t.moment).trigger == trigger, (
            f"day {day}: {trigger} is not the timer due"
        )
    else:
        assert not due, f"day {day}: the timer {due[0].trigger} fires before {trigger}"
    after = clone(order)
    assert process.fire(after, trigger, ctx.at(day, **payload)), f"day {day}: {trigger} refused"
    check = PROPERTIES[name].step
    if check is not None:
        assert check(order, after), f"day {day}: {trigger} breaks {name}"
    return after
