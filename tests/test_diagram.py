"""Diagrams are drawn from the table: every state and trigger appears."""

from __future__ import annotations

import shutil

import pytest

from machine.diagram import DiagramError, dot, mermaid, render
from machine.table import END_STATES, STATES, TRANSITIONS

pytestmark = pytest.mark.rules("L1", "D11", "E4")
MOVING_TRIGGERS = {t.trigger for t in TRANSITIONS if t.dest is not None}


def test_mermaid_shows_every_state_and_trigger():
    text = mermaid()
    assert text.startswith("stateDiagram-v2")
    for state in STATES:
        assert state.name in text
    for trigger in MOVING_TRIGGERS:
        assert trigger in text
    for end in END_STATES:
        assert f"{end} --> [*]" in text


def test_dot_marks_end_states_and_keeps_every_state_changing_trigger():
    text = dot()
    for end in END_STATES:
        assert f"{end} [peripheries=2" in text
    for trigger in MOVING_TRIGGERS - {"cancel_dispute"}:  # drawn thin, named in the legend
        assert trigger in text
    assert "cancel_dispute" in text


def test_svg_and_png_are_rendered_by_graphviz():
    assert shutil.which("dot"), (
        "Graphviz is missing: run 'apt-get install graphviz' (make test does)"
    )
    svg = render("svg")
    assert b"<svg" in svg and b"dispute_open" in svg
    assert render("png").startswith(b"\x89PNG")


def test_unknown_format_is_refused():
    with pytest.raises(DiagramError, match="expected one of"):
        render("gif")
