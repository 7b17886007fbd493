"""Where a results folder keeps its discoveries: one JSON record per condition, in
DIR/discovery, which the report reads back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sim.discovery.design import Condition

DISCOVERIES = "discovery"


def slug(condition: Condition) -> str:
    """A file name for a condition: `team_mean_wait-above-10`."""
    side = "above" if condition.above else "below"
    return f"{condition.figure}-{side}-{condition.level:g}"


def record_path(folder: Path, condition: Condition) -> Path:
    return folder / DISCOVERIES / f"{slug(condition)}.json"


def recorded(folder: Path) -> list[dict[str, Any]]:
    """The discoveries a folder keeps, by name; a damaged record is left out of the
    report (never shown half)."""
    found = []
    for path in sorted((folder / DISCOVERIES).glob("*.json")):
        try:
            found.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
    return found
