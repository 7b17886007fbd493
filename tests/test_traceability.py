"""Traceability is honest: a rule id counts for a test only when the test carries it."""

from __future__ import annotations

import ast
from pathlib import Path

from sim.tooling.rule_tests import find_rule_tests, module_rule_marks

TESTS = Path(__file__).resolve().parent


def test_no_test_file_claims_rules_for_all_its_tests():
    claims = {
        path.name: module_rule_marks(ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(TESTS.glob("test_*.py"))
    }
    assert not {name: ids for name, ids in claims.items() if ids}


def test_a_file_wide_marker_is_not_counted_and_a_state_machine_is(tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_wide.py").write_text(
        "import pytest\npytestmark = pytest.mark.rules('L1')\n\ndef test_a():\n    pass\n"
    )
    (tests / "test_machine.py").write_text(
        "import pytest\nfrom hypothesis.stateful import RuleBasedStateMachine, invariant\n\n"
        "class Walk(RuleBasedStateMachine):\n"
        "    @pytest.mark.rules('D9')\n    @invariant()\n    def holds(self):\n        pass\n\n"
        "    def helper(self):\n        pass\n\n"
        "TestWalk = Walk.TestCase\n"
    )
    found = find_rule_tests(tests)
    assert found == {"D9": ["tests/test_machine.py::TestWalk"]}


def test_the_shipped_suite_traces_the_edge_rules_to_their_own_tests():
    found = find_rule_tests(TESTS)
    assert "tests/test_stateful.py::TestRandomProcess" in found["D10"]
    assert any("seller_silent_variant_stays_closed" in t for t in found["D10"])
    assert any("a_day_after_an_instant_cancellation" in t for t in found["L3"])
    assert not any("erlang" in t for t in found["D10"])  # escalation timing is not its subject
