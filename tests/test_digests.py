"""Behaviour kept: every shipped scenario's tables equal their stored digests.

A change that alters behaviour on purpose refreshes them (see tests/digests.py) and says
why in its commit; any other change must leave them as they are.
"""

from __future__ import annotations

import json

from tests.digests import STORED, current


def test_every_shipped_scenario_gives_its_stored_tables():
    stored = json.loads(STORED.read_text())
    found = current()
    assert set(found) == set(stored), "a scenario was added or removed: refresh the digests"
    changed = {name: (stored[name], found[name]) for name in found if stored[name] != found[name]}
    assert not changed, (
        f"tables changed for {sorted(changed)}; if on purpose, run "
        "'.venv/bin/python -m tests.digests --write' and commit tests/data/digests.json"
    )
