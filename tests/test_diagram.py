"""Diagrams are drawn from the table: every state and trigger appears."""

from __future__ import annotations

import re
import shutil

import pytest

from machine.diagram import DiagramError, dot, edges, mermaid, render
from machine.table import END_STATES, STATE_NAMES, STATES, TRANSITIONS, TRIGGERS
from sim.world.runner import run
from tests.world_runs import baseline

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


def drawn_edges(text: str) -> list[str]:
    return [line for line in text.splitlines() if " -> " in line and "start ->" not in line]


@pytest.mark.parametrize("complete", [False, True], ids=["default", "complete"])
def test_every_dot_edge_is_labelled_with_its_triggers(complete):
    lines = drawn_edges(dot(complete=complete))
    assert lines and all('label="' in line for line in lines)
    quiet = [line for line in lines if "cancel_dispute" in line]
    assert len(quiet) >= 10  # it leaves every dispute and case state, each edge named


def test_the_complete_view_draws_every_row_including_those_that_keep_the_state():
    expected = {(source, t.trigger, t.dest or source) for t in TRANSITIONS for source in t.source}
    assert edges(complete=True) == expected
    internal = {t.trigger for t in TRANSITIONS if t.dest is None}
    assert internal and not internal & {trigger for _, trigger, _ in edges(complete=False)}
    text = dot(complete=True)
    assert re.search(r"shipped -> shipped \[label=\"[^\"]*tracking_update", text)
    assert "delivered --> delivered : contact_seller" in mermaid(complete=True)


def test_a_simulated_log_fits_the_complete_diagram_and_not_the_default_one():
    events = run(baseline(), 3, orders=5_000).events
    steps = {
        (STATE_NAMES[s], TRIGGERS[t], STATE_NAMES[d])
        for s, t, d in zip(events["source"], events["trigger"], events["dest"], strict=True)
    }
    assert steps <= edges(complete=True)
    assert steps - edges(complete=False)  # tracking updates and contacts are not drawn there
