"""The documentation's printed blocks and the README's tour, from the very commands shown.

A console block after `<!-- output -->` starts with `$ COMMAND` (continued with a
trailing backslash) and shows what COMMAND prints; `<!-- output; test: ARGS -->` also says
which arguments, appended, make the command quick enough for the test suite. A console
block after `<!-- commands -->` is run but shows nothing (the tour that draws the README's
figures). Between `<!-- tour -->` and `<!-- /tour -->` is a paragraph written from the
tour's results.

`python -m sim.tooling.readme` (run by `make docs`) runs every block's commands in order,
in a scratch folder where `scenarios/` and `docs/` are the project's, and writes what each
printed into the page (the README and every page of docs/). `tests/test_docs.py` runs each
output block small and checks that every line a page shows still has the shape the code
prints: the same words, with numbers where numbers are.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def documents() -> list[Path]:
    """The hand-written pages whose blocks are run, in reading order: the README, then the
    site's pages as docs/index.md lists them (a page's commands may use what an earlier
    page's made; the reference pages are generated at every build and hold no block)."""
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    listed = re.findall(r"^([\w/-]+)$", index, re.M)
    pages = [ROOT / "docs" / f"{name}.md" for name in listed if not name.startswith("reference/")]
    return [README, *(page for page in pages if page.is_file())]


MARKER = re.compile(r"<!-- (output|commands)(?:; test: (?P<test>[^>]*?))? -->\n```console\n")
TOUR = re.compile(r"(<!-- tour -->\n)(.*?)(<!-- /tour -->)", re.S)
TOUR_FOLDER = "results/tour"
TOUR_FIGURES = (
    "escalation_rate",
    "dispute_days_to_money_median",
    "false_claims_paid",
    "team_utilisation",
    "team_mean_wait",
    "team_decision_days_median",
)


@dataclass(frozen=True)
class Block:
    """One marked console block of the README."""

    kind: str  # output | commands
    test_args: str  # appended to the command to run it small in the tests
    commands: list[str]
    output: str
    body: tuple[int, int]  # where the block's text (after its opening fence) lies


def blocks(text: str) -> list[Block]:
    """Every marked console block, in order."""
    found = []
    for marker in MARKER.finditer(text):
        start = marker.end()
        end = text.index("```", start)
        lines = text[start:end].splitlines()
        commands, i = [], 0
        while i < len(lines) and lines[i].startswith("$ "):
            command = lines[i][2:]
            while command.endswith("\\"):
                i += 1
                command = command[:-1].rstrip() + " " + lines[i].strip()
            commands.append(command)
            i += 1
        output = "\n".join(lines[i:])
        found.append(Block(marker.group(1), marker.group("test") or "", commands, output,
                           (start, end)))  # fmt: skip
    return found


def scratch_folder(path: Path) -> Path:
    """A folder to run the README's commands in: `scenarios/`, `docs/` and `tests/` are the
    project's, and what the commands write stays inside."""
    path.mkdir(parents=True, exist_ok=True)
    for name in ("scenarios", "docs", "tests"):
        link = path / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    return path


def run(command: str, cwd: Path) -> str:
    """What a command prints (standard output and error), run as a user would in a shell
    where `disputesim` is this interpreter's."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return (done.stdout + done.stderr).rstrip("\n")


def regenerate(text: str, cwd: Path, log: bool = True, only: str | None = None) -> str:
    """The README with every output block's output printed anew (or only those of the
    command `only`, reusing what the scratch folder holds), and the tour paragraph
    written from the tour's results."""
    pieces, last = [], 0
    for block in blocks(text):
        if only is not None and block.commands[0].split()[1] != only:
            continue
        outputs = []
        for command in block.commands:
            if log:
                print(f"$ {command}", file=sys.stderr)
            outputs.append(run(command, cwd))
        if block.kind != "output":
            continue
        start, end = block.body
        shown = "\n".join(f"$ {c}" for c in _wrapped(text[start:end])) + "\n"
        pieces += [text[last:start], shown, "\n".join(outputs) + "\n"]
        last = end
    text = "".join([*pieces, text[last:]])
    tour = cwd / TOUR_FOLDER
    if (tour / "manifest.json").exists():
        text = TOUR.sub(lambda m: m.group(1) + tour_paragraph(tour) + "\n" + m.group(3), text)
    return text


def _wrapped(body: str) -> list[str]:
    """The command lines of a block as written (continuations kept)."""
    lines, kept = body.splitlines(), []
    i = 0
    while i < len(lines) and lines[i].startswith("$ "):
        kept.append(lines[i][2:])
        while kept[-1].endswith("\\"):
            i += 1
            kept[-1] += "\n" + lines[i]
        i += 1
    return kept


def tour_paragraph(folder: Path) -> str:
    """What the tour's comparison says, one sentence per figure, from its results."""
    from sim.experiments.folder import ResultsFolder
    from sim.views import answers

    opened = ResultsFolder.open(folder)
    summaries = opened.summary().to_dict("records")
    names = opened.point_names
    return "\n".join(
        answers.for_comparison(key, summaries, names, opened.currency) for key in TOUR_FIGURES
    )


NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)%?|n/a")
WARNING = re.compile(r"\s*\(warning: [^)]*\)")


def shape(line: str) -> str:
    """A printed line with its numbers masked and warnings dropped: what must not change
    when only the numbers do. An estimate reads as one number whether it is printed
    `a ± h`, `a [l, h]` (cut by its range) or `n/a` (nothing to count in a small run)."""
    masked = NUMBER.sub("#", WARNING.sub("", line))
    masked = re.sub(r"# (± #|\[#, #\])", "#", masked)
    masked = masked.replace("not significant", "significant")  # a verdict, not a word
    masked = re.sub(r"\s*<- (below|above)\s*$", "", masked)  # a row's verdict, likewise
    return re.sub(r"\s+", " ", masked).strip()


# Lines whose words depend on the run: a precision reached or not, a level crossed or not.
VARYING = re.compile(r"^\s*precision: | is (below|above) ")


def stale_lines(shown: str, printed: str) -> list[str]:
    """The README lines whose shape the command no longer prints."""
    have = {shape(line) for line in printed.splitlines()}
    return [
        line
        for line in shown.splitlines()
        if line.strip() and not VARYING.search(line) and shape(line) not in have
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scratch", default="out/docs", help="where the commands run")
    parser.add_argument("--readme", help="one page only (default: the README and docs/)")
    parser.add_argument("--only", metavar="VERB", help="only the blocks of this command")
    args = parser.parse_args(argv)
    cwd = scratch_folder(Path(args.scratch).resolve())
    for path in [Path(args.readme)] if args.readme else documents():
        before = path.read_text(encoding="utf-8")
        if not blocks(before) and not TOUR.search(before):
            continue
        text = regenerate(before, cwd, only=args.only)
        path.write_text(text, encoding="utf-8")
        print(f"updated {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
