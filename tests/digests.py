"""Digests of every shipped scenario's tables, so that a change meant to keep behaviour
(a refactoring) is proven to: `tests/test_digests.py` compares them with the stored ones.

When behaviour changes on purpose, write them anew and commit the file with the change:

    .venv/bin/python -m tests.digests --write
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


def table_digest(table: Any) -> str:
    """A digest of a table's columns: names, types, values to the bit, and the labels of
    coded columns."""
    digest = hashlib.sha256()
    for name, column in table.columns.items():
        array = np.ascontiguousarray(column)
        digest.update(f"{name}:{array.dtype.str}:{len(array)}".encode())
        digest.update(array.tobytes())
        digest.update(repr(table.categories.get(name, ())).encode())
    return digest.hexdigest()[:20]


def run_digest(result: Any) -> dict[str, Any]:
    return {
        **{name: table_digest(getattr(result, name)) for name in ("orders", "events", "queue")},
        "team": [result.team_busy_days, result.team_reviews, result.horizon],
    }


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
        stored = json.loads(STORED.read_text())
        changed = sorted(k for k in found if stored.get(k) != found[k])
        print("changed: " + (", ".join(changed) if changed else "none"))


if __name__ == "__main__":
    main()
