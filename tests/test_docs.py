"""The README stays true: its diagram is the table's, its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from machine.diagram import mermaid
from machine.table import STATES, TRANSITIONS
from sim.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_diagram_is_the_tables():
    block = re.search(r"```mermaid\n(.*?)```", README, re.S)
    assert block, "the README has no mermaid block"
    assert block.group(1) == mermaid(), "regenerate it: disputesim diagram --format mermaid"


def test_readme_counts_match_the_table():
    assert f"{len(STATES)} states and {len(TRANSITIONS)} rows" in README


def test_every_documented_command_exists():
    verbs = set(build_parser()._subparsers._group_actions[0].choices)
    documented = set(re.findall(r"`disputesim (\w+)", README))
    assert documented <= verbs, documented - verbs
    assert verbs <= documented, f"undocumented: {verbs - documented}"


def test_committed_svg_shows_every_state():
    svg = (ROOT / "docs" / "machine.svg").read_text(encoding="utf-8")
    for state in STATES:
        assert state.name in svg


def test_the_model_document_has_current_parameter_tables():
    from sim.views.modeldoc import splice

    document = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert splice(document) == document, "regenerate with: python -m sim.views.modeldoc"
    for heading in (
        "## 1. Objectives",
        "## 2. Logic",
        "## 3. Data",
        "## 4. Experimentation",
        "## 5. Implementation",
        "## 6. Code access",
    ):
        assert heading in document
