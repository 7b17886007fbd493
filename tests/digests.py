"""Digests of every shipped scenario's tables, so that a change meant to keep behaviour
(a refactoring) is proven to: `tests/test_digests.py` compares them with the stored ones.

When behaviour changes on purpose, write them anew and commit the file with the change:

    .venv/bin/python -m tests.digests --write

Each column has its own digest, so a failure names the columns that moved (and a column
added to a table shows as added, not as everything changed). Floats are hashed rounded to
a millionth: numpy's vectorised `exp` and `log` may differ in the last bit between CPUs
and numpy builds, and a digest should catch a change of behaviour, not of hardware.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
STORED = ROOT / "tests" / "data" / "digests.json"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
SEED = 7
ORDERS = 20_000  # from an empty marketplace: every path of the process, in seconds
WINDOW = {"days": 10, "warmup_days": 5}  # the baseline's calendar path as `run` takes it


TABLES = ("orders", "events", "queue", "sellers", "path")


def column_digest(column: np.ndarray, labels: tuple[str, ...]) -> str:
    """A digest of one column: type, length, values (floats to a millionth), labels."""
    array = np.ascontiguousarray(column)
    values = np.round(array, 6) if array.dtype.kind == "f" else array
    digest = hashlib.sha256(f"{array.dtype.str}:{len(array)}:{labels!r}".encode())
    digest.update(np.ascontiguousarray(values).tobytes())
    return digest.hexdigest()[:12]


def table_digest(table: Any) -> dict[str, str]:
    """Each column's digest, by name."""
    return {
        name: column_digest(column, tuple(table.categories.get(name, ())))
        for name, column in table.columns.items()
    }


def run_digest(result: Any) -> dict[str, Any]:
    tables = {name: getattr(result, name, None) for name in TABLES}
    return {
        **{name: table_digest(table) for name, table in tables.items() if table is not None},
        "team": [round(result.team_busy_days, 6), result.team_reviews, round(result.horizon, 6)],
    }


def differences(stored: dict[str, Any], found: dict[str, Any]) -> dict[str, list[str]]:
    """By scenario, what moved: `table.column`, `+table.column` (added), `-...` (gone)."""
    moved: dict[str, list[str]] = {}
    for scenario in sorted(set(stored) | set(found)):
        old, new = stored.get(scenario), found.get(scenario)
        if old is None or new is None:
            moved[scenario] = ["+scenario" if old is None else "-scenario"]
            continue
        items = []
        for table in sorted(set(old) | set(new)):
            if table == "team":
                items += ["team"] if old.get(table) != new.get(table) else []
                continue
            a, b = old.get(table, {}), new.get(table, {})
            items += [f"{table}.{c}" for c in a if c in b and a[c] != b[c]]
            items += [f"+{table}.{c}" for c in b if c not in a]
            items += [f"-{table}.{c}" for c in a if c not in b]
        if items:
            moved[scenario] = items
    return moved


def current() -> dict[str, Any]:
    """The digests the code gives now, by scenario file."""
    from sim.experiments.scenario import load_scenario
    from sim.world.runner import run

    found = {}
    for path in SCENARIOS:
        found[path.stem] = run_digest(run(load_scenario(path), SEED, orders=ORDERS))
    baseline = load_scenario(ROOT / "scenarios" / "baseline.toml").with_run(**WINDOW)
    found["baseline (window)"] = run_digest(run(baseline, SEED))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="store the current digests")
    args = parser.parse_args()
    found = current()
    if args.write:
        STORED.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
        print(f"wrote {len(found)} digests to {STORED.relative_to(ROOT)}")
    else:
        moved = differences(json.loads(STORED.read_text()), found)
        for scenario, items in moved.items():
            print(f"{scenario}: {', '.join(items)}")
        print(f"{len(moved)} scenarios changed")


if __name__ == "__main__":
    main()
