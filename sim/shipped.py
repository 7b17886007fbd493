"""The scenarios, studies, searches and targets that ship with the tool.

In a checkout they are the repository's `scenarios/` folder; `sim/scenarios` points at it,
so that an installed package carries the same files as package data and finds them in the
same place (nothing reads the repository's folders once installed).
"""

from __future__ import annotations

from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "scenarios"
STARTER = Path(__file__).resolve().parent / "starter"  # the starter project's own files


def shipped(relative: str) -> Path:
    """A shipped file, by its path inside `scenarios/` (e.g. "targets/aliexpress.toml")."""
    return SHIPPED / relative
