"""The site's reference pages, written from the code before every build: every lever,
behaviour parameter and figure (from their catalogues, as docs/model.md's tables are),
the command line (from the argument parser) and the Python API (from docstrings)."""

from __future__ import annotations

import argparse
import inspect
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parent.parent / "reference"


def _fenced(text: str) -> str:
    return "```text\n" + text.rstrip() + "\n```\n"


def levers_page() -> str:
    from machine.policy import Policy

    lines = [
        "# Policy levers",
        "",
        "Every lever of the buyer-protection process, as `disputesim levers` prints it: its",
        "default, the values it accepts, the rule ids it implements and its source.",
        "",
        "| lever | default | accepts | rules | source | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for name, info in Policy.lever_info().items():
        source = info.source + (" (assumed)" if info.assumed else "")
        lines.append(
            f"| `{name}` | `{info.default}` | {info.expected} | {' '.join(info.rules)} | "
            f"{source} | {info.doc} |".replace("\n", " ")
        )
    return "\n".join(lines) + "\n"


def model_tables_page() -> str:
    from sim.tooling.modeldoc import tables

    body = tables()  # docs/model.md's generated section: its headings one level up here
    body = body.replace("\n### ", "\n## ").removeprefix("### ")
    return (
        "# Parameters and figures\n\n"
        "Every behaviour parameter with its default and source, and every figure with its "
        "unit and definition, generated from their catalogues.\n\n" + body
    )


def _parser_pages(parser: argparse.ArgumentParser) -> list[str]:
    lines = ["# Command line", "", "Generated from the argument parser.", "", "## disputesim", ""]
    lines.append(_fenced(parser.format_help()))
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                lines += [f"## disputesim {name}", "", _fenced(sub.format_help())]
    return lines


def cli_page() -> str:
    from sim.arguments import build_parser

    return "\n".join(_parser_pages(build_parser()))


def _entry(qualified: str, obj: Any) -> list[str]:
    try:
        signature = str(inspect.signature(obj)) if callable(obj) else ""
    except (TypeError, ValueError):
        signature = ""
    doc = inspect.getdoc(obj) or ""
    summary, _, rest = doc.partition("\n\n")
    lines = [f"## `{qualified}`", "", f"`{qualified}{signature}`" if signature else "", ""]
    lines.append(summary.replace("\n", " ") if summary else "")
    lines.append("")
    if rest.strip():
        lines.append(_fenced(rest))
    return lines


def api_page() -> str:
    import machine
    import sim

    lines = [
        "# Python API",
        "",
        "What `sim` and `machine` export, from their docstrings. Scripts and notebooks use",
        "these names and nothing deeper.",
        "",
    ]
    for module in (sim, machine):
        for name in sorted(module.__all__):
            lines += _entry(f"{module.__name__}.{name}", getattr(module, name))
    return "\n".join(lines)


PAGES = {
    "levers.md": levers_page,
    "parameters.md": model_tables_page,
    "cli.md": cli_page,
    "api.md": api_page,
}


def write_reference(_app: object = None) -> None:
    """Write every reference page (only where its text changed, so a rebuild is quiet)."""
    REFERENCE.mkdir(exist_ok=True)
    for name, page in PAGES.items():
        path = REFERENCE / name
        text = page()
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def setup(app: Any) -> dict[str, Any]:
    from pygments.lexers.special import TextLexer

    app.add_lexer("mermaid", TextLexer)  # the process diagram's source, shown as text
    app.connect("builder-inited", write_reference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
