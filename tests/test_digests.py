"""Behaviour kept: every shipped scenario's tables equal their stored digests.

A change that alters behaviour on purpose refreshes them (see tests/digests.py) and says
why in its commit; any other change must leave them as they are.
"""

from __future__ import annotations

import json

from tests.digests import STORED, current, differences


def test_every_shipped_scenario_gives_its_stored_tables():
    moved = differences(json.loads(STORED.read_text()), current())
    assert not moved, (
        f"tables changed: {moved}; if on purpose, run "
        "'.venv/bin/python -m tests.digests --write' and commit tests/data/digests.json"
    )


def test_a_moved_column_is_named_and_an_added_one_is_marked():
    stored = {"s": {"orders": {"a": "1", "b": "2"}, "team": [1, 2, 3]}}
    found = {"s": {"orders": {"a": "1", "b": "9", "c": "3"}, "team": [1, 2, 3]}, "t": {}}
    assert differences(stored, found) == {"s": ["orders.b", "+orders.c"], "t": ["+scenario"]}
    assert differences(stored, stored) == {}
