"""What the commands that run nothing found: files validated, and rules traced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from machine.catalogue import Rule
    from machine.traceability import Implementation


@dataclass(frozen=True)
class Validated:
    """One file checked: what it is (`targets`, `study` or `scenario`), its name, what it
    holds, and the mistake that refused it (None when it is valid)."""

    path: str
    kind: str | None = None
    name: str | None = None
    details: tuple[str, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class RuleTrace:
    """Each rule id, where the machine implements it, and the tests whose own body
    exercises it."""

    rules: tuple[Rule, ...]  # in catalogue order
    code: dict[str, Implementation]  # rule id -> where the machine implements it
    tests: dict[str, list[str]]  # rule id -> tests carrying its marker

    @property
    def untested(self) -> list[str]:
        return [rule.id for rule in self.rules if not self.tests.get(rule.id)]

    @property
    def unimplemented(self) -> list[str]:
        return [rule.id for rule in self.rules if not self.code[rule.id]]

    @property
    def links(self) -> int:
        return sum(len(self.tests.get(rule.id, [])) for rule in self.rules)
