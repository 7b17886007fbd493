"""The documentation stays true: the process page's diagram is the table's, every command
it names exists and every command exists in it, every printed block is what the command
prints, the site builds without a warning and its reference is the code's."""

from __future__ import annotations

import re
from pathlib import Path

from machine.diagram import mermaid
from machine.table import STATES, TRANSITIONS
from sim.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PROCESS = (ROOT / "docs" / "explanation" / "process.md").read_text(encoding="utf-8")


def written_pages() -> dict[Path, str]:
    """The README and the site's hand-written pages (the reference is generated)."""
    from sim.tooling.readme import documents

    return {path: path.read_text(encoding="utf-8") for path in documents()}


def test_the_process_page_s_diagram_is_the_tables():
    block = re.search(r"```mermaid\n(.*?)```", PROCESS, re.S)
    assert block, "the process page has no mermaid block"
    assert block.group(1) == mermaid(), "regenerate it: disputesim diagram --format mermaid"


def test_the_engines_page_s_counts_match_the_table():
    engines = (ROOT / "docs" / "explanation" / "engines.md").read_text(encoding="utf-8")
    assert f"{len(STATES)} states and {len(TRANSITIONS)} rows" in engines


def test_every_documented_command_exists():
    verbs = set(build_parser()._subparsers._group_actions[0].choices)
    documented = set(re.findall(r"`disputesim (\w+)", README))
    assert documented <= verbs, documented - verbs
    assert verbs <= documented, f"not in the README's table: {verbs - documented}"
    for path, text in written_pages().items():
        named = set(re.findall(r"`disputesim (\w+)", text))
        named |= set(re.findall(r"^\$ disputesim (\w+)", text, re.M))
        assert named <= verbs, (path.name, named - verbs)


def test_the_readme_stays_a_door_into_the_site():
    assert len(README.splitlines()) <= 300
    linked = set(re.findall(r"\]\(docs/([\w/-]+\.md)\)", README))
    for page in linked:
        assert (ROOT / "docs" / page).is_file(), page
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    listed = {f"{name}.md" for name in re.findall(r"^([\w/-]+)$", index, re.M)}
    hand_written = {name for name in listed if not name.startswith("reference/")}
    assert hand_written <= linked | {"index.md"}, hand_written - linked


def test_committed_svg_shows_every_state():
    svg = (ROOT / "docs" / "machine.svg").read_text(encoding="utf-8")
    for state in STATES:
        assert state.name in svg


def test_the_model_document_has_current_parameter_tables():
    from sim.tooling.modeldoc import splice

    document = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert splice(document) == document, "regenerate with: python -m sim.tooling.modeldoc"
    for heading in (
        "## 1. Objectives",
        "## 2. Logic",
        "## 3. Data",
        "## 4. Experimentation",
        "## 5. Implementation",
        "## 6. Code access",
    ):
        assert heading in document


def test_the_pages_printed_blocks_match_what_their_commands_print(tmp_path):
    """Every output block of the README and the site, its command run small here: each
    line a page shows must still be printed, in the same words (numbers masked), so a
    renamed label, a new unit or a reworded line makes the page stale and this test says
    which line."""
    from sim.tooling import readme

    cwd = readme.scratch_folder(tmp_path)
    checked = []
    every = [block for text in written_pages().values() for block in readme.blocks(text)]
    for block in every:
        if block.kind != "output":
            continue
        assert block.commands and block.output.strip(), "an output block shows nothing"
        printed = "\n".join(
            readme.run(f"{command} {block.test_args}".strip(), cwd) for command in block.commands
        )
        stale = readme.stale_lines(block.output, printed)
        assert not stale, f"{block.commands[0]}: regenerate with make docs; stale: {stale}"
        checked.append(block.commands[0].split()[1])
    assert {"run", "compare", "sweep", "threshold", "rules", "presets"} <= set(checked)


def test_a_line_s_shape_keeps_its_words_and_masks_its_numbers():
    from sim.tooling.readme import shape, stale_lines

    assert shape("  orders disputed     1.29% ± 0.02%") == shape("  orders disputed  13.4% ± 1.5%")
    assert shape("  x  6.67% [0.00%, 35.35%]") == shape("  x 1.00% ± 0.20%") == shape("x n/a")
    assert shape("   2  8.30% [7.51%, 9.10%]  <- below") == shape("   2  9.30% ± 0.2%")
    assert shape("  orders disputed 1.29%") != shape("  orders opened 1.29%")
    assert stale_lines("a 1\nprecision: reached", "a 2") == []
    assert stale_lines("a 1\nb 2", "a 3") == ["b 2"]


def _user_files() -> list[Path]:
    """What a user of the project reads: the README, docs/, scenarios/ and notebooks/."""
    found = [ROOT / "README.md"]
    for folder in ("docs", "scenarios", "notebooks"):
        found += [p for p in (ROOT / folder).rglob("*") if p.suffix in (".md", ".toml", ".ipynb")]
    return found


def test_the_docs_stand_alone():
    """No user-facing file sends readers outside the project (to the steering folder, its
    rule list or its notes), and every citation of sources.md finds the page."""
    outside = ("../shared", "shared/seeds", "RULES.md", "peers.md", "DESIGN.md")
    files = _user_files()
    assert len(files) > 30
    for path in files:
        text = path.read_text(encoding="utf-8")
        for needle in outside:
            assert needle not in text, f"{path.relative_to(ROOT)} mentions {needle}"
    assert (ROOT / "docs" / "sources.md").is_file()


def test_the_sources_page_names_every_source_document_and_every_cited_figure():
    page = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for source in ("000", "001", "002", "003", "004"):
        assert f"| {source} |" in page, source
    from machine.catalogue import RULES

    cited = {s for rule in RULES for s in rule.sources}
    assert cited <= {"000", "001", "002", "003", "004", "sources.md"}
    model = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    quoted = re.findall(r"sources\.md: ([^|]+)", model)
    assert len(quoted) >= 5
    for citation in (
        q.split(";")[0] for q in quoted
    ):  # what is quoted, not what the model makes of it
        for figure in re.findall(r"\d[\d.]*%|\d+ to \d+ days", citation):
            assert figure in page, (figure, citation)


def _generated() -> object:
    """docs/_ext/generated.py, the extension that writes the site's reference pages."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generated", ROOT / "docs/_ext/generated.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_site_s_reference_lists_every_lever_levers_prints_and_every_command():
    from tests.helpers import disputesim

    generated = _generated()
    printed = disputesim("levers").stdout
    names = set(re.findall(r"^(\w+) = ", printed, re.M))
    assert len(names) > 40
    page = generated.levers_page()
    assert names <= set(re.findall(r"^\| `(\w+)` \|", page, re.M)), names
    cli = generated.cli_page()
    for verb in build_parser()._subparsers._group_actions[0].choices:
        assert f"## disputesim {verb}\n" in cli, verb
    api = generated.api_page()
    import sim

    for name in sim.__all__:
        assert f"## `sim.{name}`" in api, name
