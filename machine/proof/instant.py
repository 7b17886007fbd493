"""Symbolic instants: what the verifier puts in an order's time fields, so that the table's
own guards, deadlines and actions run unchanged on every day at once.

An `Instant` is a variable of the current zone plus a fixed number of days (a deadline
such as "shipped + protection_days" is the shipment's variable plus the lever). Adding
days gives an instant; subtracting two instants of one variable gives days, of two
variables a `Gap`. Comparing asks the Running `Choices`: when the zone decides the
answer it is returned; otherwise the zone is split and the run is tried both ways, one
after the other (each run of a move is a path through the guards' comparisons).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from machine.proof.zone import Zone


class InfeasibleError(Exception):
    """The run's assumptions leave no instant: this path of the move cannot happen."""


class ForgottenInstantError(RuntimeError):
    """A guard read an instant the verifier judged it would never read again (a bug in
    what a configuration remembers)."""


@dataclass
class Choices:
    """One run of a move under a zone: the answers scripted for the undecided comparisons
    met so far, and the alternatives left to try."""

    zone: Zone
    unit: float
    script: list[bool] = field(default_factory=list)
    position: int = 0
    pending: list[list[bool]] = field(default_factory=list)
    asked: int = 0  # comparisons met, decided by the zone or not

    def steps(self, days: float) -> int:
        steps = days / self.unit
        whole = round(steps)
        if abs(steps - whole) > 1e-6:
            raise ValueError(f"{days!r} days is not on the verifier's grid of {self.unit} days")
        return whole

    def decide(self, i: int, j: int, days: float) -> bool:
        """Whether x_i - x_j <= days, splitting the zone if it does not decide."""
        self.asked += 1
        if i < 0 or j < 0:
            raise ForgottenInstantError("a guard read an instant the verifier had forgotten")
        c = self.steps(days)
        if i == j:
            return c >= 0
        zone = self.zone
        if zone.implies(i, j, c):
            return True
        if zone.excludes(i, j, c):
            return False
        if self.position < len(self.script):
            answer = self.script[self.position]
        else:
            answer = True
            self.pending.append([*self.script[: self.position], False])
            self.script.append(True)
        self.position += 1
        if answer:
            zone.constrain(i, j, c)
        else:
            zone.constrain(j, i, -c - 1)
        return answer

    def assume(self, i: int, j: int, days: float) -> None:
        """Keep only the part of the zone where x_i - x_j <= days (no alternative)."""
        if not self.zone.constrain(i, j, self.steps(days)):
            raise InfeasibleError


_current: list[Choices] = []


def current() -> Choices:
    if not _current:
        raise RuntimeError("a symbolic instant was compared outside a verifier run")
    return _current[-1]


class Running:
    """`with Running(choices):` makes symbolic comparisons answer from `choices`."""

    def __init__(self, choices: Choices) -> None:
        self.choices = choices

    def __enter__(self) -> Choices:
        _current.append(self.choices)
        return self.choices

    def __exit__(self, *exc: object) -> None:
        _current.pop()


class Instant:
    """Variable `var` of the zone plus `days`."""

    __slots__ = ("days", "var")

    def __init__(self, var: int, days: float = 0.0) -> None:
        self.var = var
        self.days = days

    def __repr__(self) -> str:
        return f"x{self.var}{self.days:+g}" if self.days else f"x{self.var}"

    def __add__(self, days: float) -> Instant:
        if isinstance(days, Instant | Gap):
            return NotImplemented
        return Instant(self.var, self.days + days)

    __radd__ = __add__

    def __sub__(self, other: object) -> Instant | Gap | float:
        if isinstance(other, Instant):
            if other.var == self.var:
                return self.days - other.days
            return Gap(self.var, other.var, self.days - other.days)
        if isinstance(other, int | float):
            return Instant(self.var, self.days - other)
        return NotImplemented

    # x_a + p <= x_b + q  <=>  x_a - x_b <= q - p
    def __le__(self, other: Instant) -> bool:
        return current().decide(self.var, other.var, other.days - self.days)

    def __lt__(self, other: Instant) -> bool:
        return not current().decide(other.var, self.var, self.days - other.days)

    def __ge__(self, other: Instant) -> bool:
        return current().decide(other.var, self.var, self.days - other.days)

    def __gt__(self, other: Instant) -> bool:
        return not current().decide(self.var, other.var, other.days - self.days)


class Gap:
    """x_a - x_b + days: how far apart two instants of different variables are."""

    __slots__ = ("a", "b", "days")

    def __init__(self, a: int, b: int, days: float) -> None:
        self.a, self.b, self.days = a, b, days

    def __repr__(self) -> str:
        return f"x{self.a}-x{self.b}{self.days:+g}"

    def __sub__(self, days: float) -> Gap:
        return Gap(self.a, self.b, self.days - days)

    def __add__(self, days: float) -> Gap:
        return Gap(self.a, self.b, self.days + days)

    def __le__(self, days: float) -> bool:
        return current().decide(self.a, self.b, days - self.days)

    def __gt__(self, days: float) -> bool:
        return not self.__le__(days)

    def __ge__(self, days: float) -> bool:
        return current().decide(self.b, self.a, self.days - days)

    def __lt__(self, days: float) -> bool:
        return not self.__ge__(days)


def symbolic(value: object) -> Instant:
    """An order's time field, or a deadline computed from one, as the symbolic instant the
    verifier put there (the order's fields are typed as the simulation's floats)."""
    if not isinstance(value, Instant):
        raise TypeError(f"expected a symbolic instant, got {value!r}")
    return value


FORGOTTEN = Instant(-1)
"""What a time field holds once nothing the order can still do reads its value."""
