"""Named guards and actions: the table refers to them by name, each names its rule ids."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from machine.context import Context
    from machine.order import Order
    from machine.policy import Policy

F = TypeVar("F", bound=Callable[..., object])


@dataclass(frozen=True, slots=True)
class Entry(Generic[F]):
    """A registered function with the rule ids it implements and its first doc line."""

    name: str
    func: F
    rules: tuple[str, ...]
    doc: str


class Registry(Generic[F]):
    """A name -> function map filled by a decorator, so the table can stay pure data."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.entries: dict[str, Entry[F]] = {}

    def __call__(self, *rules: str) -> Callable[[F], F]:
        def register(func: F) -> F:
            name = func.__name__
            if name in self.entries:
                raise ValueError(f"{self.kind} {name!r} is registered twice")
            doc = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else ""
            self.entries[name] = Entry(name, func, tuple(rules), doc)
            return func

        return register

    def __getitem__(self, name: str) -> F:
        try:
            return self.entries[name].func
        except KeyError:
            raise KeyError(f"unknown {self.kind} {name!r}") from None


Guard = Callable[["Order", "Context"], bool]
Action = Callable[["Order", "Context"], None]
Deadline = Callable[["Order", "Policy"], "float | None"]

GUARDS: Registry[Guard] = Registry("guard")
ACTIONS: Registry[Action] = Registry("action")
DEADLINES: Registry[Deadline] = Registry("deadline")
