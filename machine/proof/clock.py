"""Time made finite: deadlines are whole multiples of a unit from recorded instants, so
exploring integer multiples of the unit is exact (the digital-clocks result for timed
automata whose constraints are closed or compare instants on the same grid).

The unit is the largest that divides every timing lever the machine reads (a day, or an
hour where a lever is set in hours).
"""

from __future__ import annotations

import inspect
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from machine import actions, deadlines, guards
from machine.policy import Policy

SMALLEST_UNIT = Fraction(1, 24)  # an hour: a lever finer than that is refused
_POLICY_READ = re.compile(r"policy\.(\w+)")


class ClockError(ValueError):
    """A timing lever is not on a grid the verifier can explore exactly."""


@cache
def levers_read() -> dict[str, tuple[str, ...]]:
    """Each deadline's and guard's name -> the policy levers its code reads (derived from
    the source, so a new lever is picked up without a list to keep)."""
    sources = {
        name: inspect.getsource(func)
        for module in (deadlines, guards)
        for name, func in inspect.getmembers(module, inspect.isfunction)
        if func.__module__ == module.__name__
    }
    helpers = {name for name, func in inspect.getmembers(deadlines, inspect.isfunction)}

    def read(name: str, seen: frozenset[str]) -> tuple[str, ...]:
        source = sources[name]
        found = list(_POLICY_READ.findall(source))
        for called in re.findall(r"(\w+)\(", source.split(":", 1)[1]):
            if called in helpers and called in sources and called not in seen | {name}:
                found += read(called, seen | {name})
        return tuple(dict.fromkeys(found))

    return {name: read(name, frozenset()) for name in sources}


@cache
def timing_levers() -> tuple[str, ...]:
    """The levers, in days or hours, that a deadline or guard of the machine reads."""
    info = Policy.lever_info()
    read = {lever for names in levers_read().values() for lever in names}
    read |= set(_POLICY_READ.findall(inspect.getsource(actions)))
    read |= {"bank_days_max", "cancel_days_max"}  # the world's promised bounds
    return tuple(sorted(name for name in read if info[name].unit in ("days", "hours")))


def _in_days(policy: Policy, name: str) -> Fraction:
    value = getattr(policy, name)
    unit = Policy.lever_info()[name].unit
    days = Fraction(value).limit_denominator(24 * 60)
    if unit == "hours":
        days /= 24
    if abs(float(days) - (value / 24 if unit == "hours" else value)) > 1e-9:
        raise ClockError(f"{name} = {value:g} {unit} is not a whole number of minutes")
    return days


@dataclass(frozen=True, slots=True)
class Clock:
    """The exploration's time grid: `unit` days per step, and the timing levers."""

    unit: float
    levers: tuple[str, ...]

    def steps(self, days: float) -> int:
        return round(days / self.unit)

    def describe(self) -> str:
        unit = "a day" if self.unit == 1 else f"{self.unit * 24:g} hours"
        return f"time in whole steps of {unit}"


def clock(policy: Policy) -> Clock:
    """The grid on which `policy`'s deadlines all fall: the largest unit (at least an
    hour) dividing every timing lever."""
    levers = timing_levers()
    values = {name: _in_days(policy, name) for name in levers}
    unit = Fraction(1)
    for name, days in values.items():
        if days:
            unit = Fraction(
                math.gcd(unit.numerator * days.denominator, days.numerator * unit.denominator),
                unit.denominator * days.denominator,
            )
        if unit < SMALLEST_UNIT:
            raise ClockError(
                f"{name} = {getattr(policy, name):g} puts deadlines on a grid finer than an "
                "hour: verify needs levers in whole hours"
            )
    return Clock(float(unit), levers)
