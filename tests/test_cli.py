"""The command line, run as a user runs it: exit codes, one-line errors, no traceback."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from machine.catalogue import RULES
from tests.helpers import disputesim as run_cli

ROOT = Path(__file__).resolve().parent.parent


def disputesim(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The command line with only the project on the path (no site-installed tools)."""
    return run_cli(*args, cwd=cwd, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_rules_traces_every_id_to_code_and_tests():
    result = disputesim("rules")
    assert result.returncode == 0, result.stderr
    n = len(RULES)
    assert f"{n} rules, {n} implemented, {n} tested (" in result.stdout
    assert "test: NONE" not in result.stdout
    assert "tests/test_rules_dispute.py::test_five_days_of_silence_refund_as_asked" in result.stdout


def test_rules_fails_when_an_id_has_no_test(tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_one.py").write_text(
        "import pytest\n\n@pytest.mark.rules('L1', 'L2')\ndef test_x():\n    assert True\n"
    )
    result = disputesim("rules", "--tests", str(tests))
    assert result.returncode == 1
    assert "no test: L3" in result.stderr and "L1," not in result.stderr


def test_rules_with_a_missing_folder_is_a_user_error(tmp_path):
    result = disputesim("rules", "--tests", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "nope" in result.stderr


def test_check_reports_no_defect():
    result = disputesim("check")
    assert result.returncode == 0
    assert "unreachable states: none" in result.stdout and result.stdout.strip().endswith("OK")
    assert "appeal_review" in result.stdout


def test_diagram_writes_each_format(tmp_path):
    for fmt, magic in (("mermaid", b"stateDiagram"), ("dot", b"digraph"), ("svg", b"<svg")):
        target = tmp_path / f"machine.{fmt}"
        result = disputesim("diagram", "--format", fmt, "-o", str(target))
        assert result.returncode == 0, result.stderr
        assert magic in target.read_bytes()
    assert not list(tmp_path.glob(".*.part")), "no temporary file left behind"


def test_diagram_without_graphviz_is_one_clear_line(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim.cli",
            "diagram",
            "--format",
            "svg",
            "-o",
            str(tmp_path / "x.svg"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": str(tmp_path)},  # no `dot` on this PATH
    )
    assert result.returncode == 2
    assert "apt-get install graphviz" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.svg").exists()


def test_usage_errors_exit_2():
    result = disputesim("diagram", "--format", "gif")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_run_prints_the_headline_figures():
    result = disputesim(
        "run", "scenarios/baseline.toml", "--days", "1", "--warmup-days", "0", "--seed", "5"
    )
    assert result.returncode == 0, result.stderr
    shares = ("real problems refunded", "false claims paid", "case-team utilisation")
    for label in (*shares, "days to money, median", "buyer loss", "seller loss"):
        line = next(line for line in result.stdout.splitlines() if label in line)
        value = re.search(r"  (\d+\.\d\d)(%| days)? ", line)
        assert value, line  # a number, printed with its unit
        if label in shares:
            assert value[2] == "%" and 0.0 <= float(value[1]) <= 100.0, line
    assert "warning: 1 replication" in result.stdout  # one run: the user is told


def test_run_json_is_one_object_and_reproducible():
    import json

    runs = [
        disputesim("run", "scenarios/baseline.toml", "--days", "1", "--warmup-days", "0", "--json")
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout
    data = json.loads(runs[0].stdout)
    assert data["window"] == {"start": "2026-11-01", "days": 1} and data["warmup_days"] == 0
    assert data["replications"] == 1 and 0 <= data["refund_rate"] <= 1
    assert 3_500 < data["orders_per_replication"] < 5_300  # a season's day: 1.6 x 2,740


def test_run_with_a_bad_scenario_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "bad"\n[run]\ndays = "many"\n')
    result = disputesim("run", str(bad))
    assert result.returncode == 2
    assert (
        result.stderr.count("\n") == 1 and str(bad) in result.stderr and "run.days" in result.stderr
    )


def test_run_gives_the_same_figures_with_either_engine():
    args = (
        "run",
        "scenarios/study-fraud-heavy-sellers.toml",
        "--days",
        "1",
        "--warmup-days",
        "0",
        "--json",
    )
    fast, reference = disputesim(*args), disputesim(*args, "--engine", "reference")
    assert fast.returncode == reference.returncode == 0, fast.stderr + reference.stderr
    assert fast.stdout == reference.stdout


def _crash(args: object) -> int:
    raise RuntimeError("the world fell over\nsecond line")


def test_an_internal_error_is_one_line_exit_70_with_the_traceback_in_a_file(
    monkeypatch, capsys, tmp_path
):
    from sim import cli

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(cli.tempfile, "tempdir", None)  # re-read TMPDIR
    monkeypatch.setattr(cli, "cmd_check", _crash)
    assert cli.main(["check"]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    expected = "disputesim: internal error in 'check': RuntimeError: the world fell over"
    assert err.startswith(expected)
    saved = next(tmp_path.glob("disputesim-error-*.txt"))
    assert str(saved) in err
    text = saved.read_text()
    assert "Traceback" in text and "_crash" in text and "second line" in text


def test_debug_shows_the_traceback_of_an_internal_error(monkeypatch, capsys):
    from sim import cli

    monkeypatch.setattr(cli, "cmd_check", _crash)
    assert cli.main(["--debug", "check"]) == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and "in _crash" in err
    assert err.rstrip().splitlines()[-1].startswith("disputesim: internal error in 'check'")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    from sim.cli import build_parser

    parser = build_parser()
    verbs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(verbs.choices)


def test_top_level_help_is_printed_not_a_traceback():
    result = disputesim("--help")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for verb in _subcommands():
        assert verb in result.stdout, verb


def test_every_subcommand_has_help_that_formats():
    """argparse %-formats help strings: a literal '%' anywhere must not break a page."""
    verbs = _subcommands()
    assert {"run", "compare", "sweep", "threshold", "export"} <= set(verbs)
    for name, sub in verbs.items():
        page = sub.format_help()
        assert page.startswith(f"usage: disputesim {name}"), name
    assert "95% CI" in verbs["threshold"].format_help()


def test_no_command_points_to_help():
    result = disputesim()
    assert result.returncode == 2
    assert "see 'disputesim --help'" in result.stderr and "Traceback" not in result.stderr


HEAVY = ("scipy.stats", "matplotlib", "distributed", "duckdb", "pm4py", "SALib")


def test_running_a_scenario_loads_no_library_it_does_not_use(tmp_path):
    """A command starts in about half a second: `validate` and `run` (with --out) load
    none of the libraries of plotting, discovery, clusters, queries or exports, whose
    imports cost more than the run of a small scenario."""
    probe = (
        "import sys\nfrom sim.cli import main\n"
        f"main(sys.argv[1:])\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    for args in (
        ["validate", "scenarios/baseline.toml"],
        ["run", "scenarios/baseline.toml", "--days", "1", "--warmup-days", "0",
         "--replications", "2", "--quiet", "--out", str(tmp_path / "run")],
    ):  # fmt: skip
        result = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT,
                                capture_output=True, text=True, check=False)  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == "", (args[0], result.stdout.splitlines()[-1])
    assert (tmp_path / "run" / "manifest.json").exists()


def test_version_prints_the_installed_distribution_s_version():
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = disputesim("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"disputesim {declared}"
