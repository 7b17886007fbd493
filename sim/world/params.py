"""The common base of the world's typed parameters: frozen, unknown keys refused."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Params(BaseModel):
    """Base of every parameter block: immutable, and a typo never passes silently."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_default=True, allow_inf_nan=False
    )


def param(default: Any, doc: str, *, source: str = "assumed", **bounds: Any) -> Any:
    """A field with its meaning and where its default comes from (`assumed` if nowhere)."""
    return Field(default, description=doc, json_schema_extra={"source": source}, **bounds)


def fraction(default: float, doc: str, *, source: str = "assumed") -> Any:
    """A probability or share, between 0 and 1."""
    return param(default, doc, source=source, ge=0.0, le=1.0)


def duration(default: float, doc: str, *, source: str = "assumed", low: float = 0.0) -> Any:
    """A duration in days."""
    return param(default, doc, source=source, ge=low, le=730.0)


def spread(default: float, doc: str, *, source: str = "assumed", high: float = 3.0) -> Any:
    """A log-normal sigma: how widely a quantity varies around its median."""
    return param(default, doc, source=source, ge=0.0, le=high)


def describe(err: ValidationError, tables: dict[str, str] | None = None) -> str:
    """The first validation problem as `key 'a.b': expected ..., got ...`; `tables` names
    the file's table of top-level fields (`name` is written under `[scenario]`)."""
    first = err.errors()[0]
    loc = [str(part) for part in first["loc"]]
    if loc and loc[0] in (tables or {}):
        loc.insert(0, (tables or {})[loc[0]])
    key = ".".join(loc)
    if first["type"] == "extra_forbidden":
        return f"unknown key '{key}'"
    if first["type"] == "missing":
        return f"key '{key}': required but missing"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"].startswith("value_error") or first["type"] == "assertion_error":
        return f"key '{key}': {message}" if key else message
    given = first.get("input")
    shown = repr(given) if not isinstance(given, dict | list) else type(given).__name__
    return f"key '{key}': {message[0].lower()}{message[1:]}, got {shown}"
