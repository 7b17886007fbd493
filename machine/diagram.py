"""Diagrams of the table: Mermaid and Graphviz DOT as text, SVG and PNG through `dot`.

All three come from the same rows as the Machine, so the picture is the process. The
default view draws the rows that change state; the complete view (`complete=True`) adds
every row that keeps the state (tracking updates, contacts, extensions, late goods, ...)
as a self-loop, so that every event of a simulated log is an edge of the drawing: that is
the view to check a mined process or an event log against.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict

from machine.spec import Actor, Phase, StateSpec, TransitionSpec
from machine.table import INITIAL, STATES, TRANSITIONS

FORMATS = ("mermaid", "dot", "svg", "png")

ACTOR_COLOURS = {  # distinct in grayscale too: the edge style carries the actor as well
    Actor.BUYER: ("#1f4e79", "solid"),
    Actor.SELLER: ("#7f3f00", "solid"),
    Actor.CARRIER: ("#555555", "dashed"),
    Actor.PLATFORM: ("#000000", "dotted"),
    Actor.TEAM: ("#5b2c6f", "bold"),
    Actor.BANK: ("#1e6b30", "dashed"),
}
PHASE_FILLS = {  # light fills that stay distinct in grayscale
    Phase.ORDER: "#ffffff",
    Phase.DISPUTE: "#eeeeee",
    Phase.CASE: "#dddddd",
    Phase.PAYOUT: "#f4f4f4",
    Phase.END: "#cccccc",
}
# cancel_dispute leaves every dispute and case state: drawn thin, with a small label.
QUIET_TRIGGER = "cancel_dispute"
QUIET_COLOUR = "#9fb6cc"
# Edges that go back to an earlier phase: drawn, but left out of the left-to-right ranking.
BACKWARD_TRIGGERS = frozenset(
    {"cancel_dispute", "customs_release", "modify_request", "change_reason"}
)


class DiagramError(RuntimeError):
    """A diagram cannot be rendered here; the message says what to install."""


def _edges(
    transitions: tuple[TransitionSpec, ...], complete: bool = False
) -> dict[tuple[str, str], list[TransitionSpec]]:
    """Rows grouped by (source, dest), each trigger once; with `complete`, rows that keep
    the state too, as (state, state) self-loops."""
    grouped: dict[tuple[str, str], list[TransitionSpec]] = defaultdict(list)
    for spec in transitions:
        for source in spec.source:
            dest = spec.dest or source
            if dest == source and not complete:
                continue
            triggers = [t.trigger for t in grouped[(source, dest)]]
            if spec.trigger not in triggers:
                grouped[(source, dest)].append(spec)
    return grouped


def edges(complete: bool = False) -> set[tuple[str, str, str]]:
    """Every drawn (source, trigger, dest): what a log checked against the drawing needs."""
    return {
        (source, spec.trigger, dest)
        for (source, dest), specs in _edges(TRANSITIONS, complete).items()
        for spec in specs
    }


def _timed(spec: TransitionSpec) -> str:
    """A DOT edge label: the trigger, and the deadline a timed row waits for."""
    return f"{spec.trigger} (after {spec.after})" if spec.after else spec.trigger


def mermaid(
    states: tuple[StateSpec, ...] = STATES,
    transitions: tuple[TransitionSpec, ...] = TRANSITIONS,
    complete: bool = False,
) -> str:
    """A Mermaid `stateDiagram-v2` of the table (GitHub renders it in Markdown)."""
    lines = ["stateDiagram-v2", f"    [*] --> {INITIAL}"]
    for (source, dest), specs in _edges(transitions, complete).items():
        label = " / ".join(spec.trigger for spec in specs)
        lines.append(f"    {source} --> {dest} : {label}")
    lines += [f"    {state.name} --> [*]" for state in states if state.is_end]
    return "\n".join(lines) + "\n"


def dot(
    states: tuple[StateSpec, ...] = STATES,
    transitions: tuple[TransitionSpec, ...] = TRANSITIONS,
    complete: bool = False,
) -> str:
    """Graphviz DOT: states clustered by phase, end states double-circled, edges by actor,
    every edge labelled with its triggers."""
    lines = [
        "digraph dispute_process {",
        '    graph [rankdir=LR, fontname="Helvetica", label="disputesim: the buyer-protection '
        'process", labelloc=t, fontsize=18, nodesep=0.35, ranksep=0.55, newrank=true];',
        '    node [shape=box, style="rounded", fontname="Helvetica", fontsize=11];',
        '    edge [fontname="Helvetica", fontsize=9];',
        '    start [shape=point, width=0.15, label=""];',
        f"    start -> {INITIAL};",
    ]
    for phase in Phase:
        members = [state for state in states if state.phase is phase]
        if phase is Phase.END:  # end states line up on the right
            lines.append("    { rank=sink; " + " ".join(s.name for s in members) + "; }")
        for state in members:
            border = "peripheries=2, " if state.is_end else ""
            fill = PHASE_FILLS[phase]
            tooltip = state.doc.replace('"', "'")
            lines.append(
                f'    {state.name} [{border}style="rounded,filled", fillcolor="{fill}", '
                f'tooltip="{tooltip}"];'
            )
    for (source, dest), specs in _edges(transitions, complete).items():
        colour, style = ACTOR_COLOURS[specs[0].actor]
        label = "\\n".join(_timed(spec) for spec in specs)
        backward = source == dest or any(spec.trigger in BACKWARD_TRIGGERS for spec in specs)
        if [spec.trigger for spec in specs] == [QUIET_TRIGGER]:
            lines.append(
                f'    {source} -> {dest} [label="{QUIET_TRIGGER}", color="{QUIET_COLOUR}", '
                f'fontcolor="{QUIET_COLOUR}", fontsize=7, penwidth=0.6, arrowsize=0.5, '
                "constraint=false];"
            )
            continue
        lines.append(
            f'    {source} -> {dest} [label="{label}", color="{colour}", '
            f'fontcolor="{colour}", style={style}{", constraint=false" if backward else ""}];'
        )
    lines += _legend()
    lines.append("}")
    return "\n".join(lines) + "\n"


def _legend() -> list[str]:
    """A key to the edge styles: who fires the trigger."""
    rows = "".join(
        f'<TR><TD><FONT COLOR="{colour}">{actor.value}</FONT></TD>'
        f'<TD><FONT COLOR="{colour}">{style}</FONT></TD></TR>'
        for actor, (colour, style) in ACTOR_COLOURS.items()
    )
    rows += (
        f'<TR><TD COLSPAN="2"><FONT COLOR="{QUIET_COLOUR}">thin: {QUIET_TRIGGER} (buyer)</FONT>'
        "</TD></TR>"
    )
    header = '<TR><TD COLSPAN="2"><B>fired by</B></TD></TR>'
    table = f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0">{header}{rows}</TABLE>>'
    return [f"    legend [shape=plaintext, label={table}];"]


def render(fmt: str, complete: bool = False) -> bytes:
    """The diagram in one of FORMATS, as bytes ready to write."""
    if fmt == "mermaid":
        return mermaid(complete=complete).encode()
    if fmt == "dot":
        return dot(complete=complete).encode()
    if fmt not in FORMATS:
        raise DiagramError(f"unknown diagram format '{fmt}' (expected one of {', '.join(FORMATS)})")
    executable = shutil.which("dot")
    if executable is None:
        raise DiagramError(
            f"{fmt.upper()} needs Graphviz's 'dot': install it with 'apt-get install graphviz' "
            "(Mermaid and DOT output need nothing)"
        )
    result = subprocess.run(
        [executable, f"-T{fmt}"],
        input=dot(complete=complete).encode(),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise DiagramError(f"dot failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout
