"""The ready scenarios: each validates, says the question it answers, and runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from machine.presets import PEERS, TABLE_D_VARIANTS
from sim.experiments.scenario import load_scenario
from sim.world.runner import run
from tests.world_runs import ROOT

SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))


def test_there_is_a_scenario_per_variant_per_peer_and_per_study():
    names = {path.stem for path in SCENARIOS}
    assert "baseline" in names
    assert {f"variant-{v.name}" for v in TABLE_D_VARIANTS} <= names
    assert {f"peer-{p.name}" for p in PEERS} <= names
    studies = {
        "study-fraud-heavy-sellers",
        "study-opportunistic-buyers",
        "study-understaffed-peak",
        "study-shorter-seller-deadline",
        "study-appeals-on",
        "study-appeals-off",
    }
    assert studies <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_each_scenario_states_its_question_and_runs(path):
    text = path.read_text()
    assert text.startswith("# ") and "Question:" in text.split("[scenario]")[0]
    scenario = load_scenario(path)
    assert scenario.question
    result = run(scenario, 3, orders=800)  # a refused move would raise here
    assert len(result.orders) == 800


def test_validate_accepts_every_file_and_no_progress_bar_off_a_terminal():
    files = [str(p) for p in SCENARIOS] + [
        str(p)
        for folder in ("sweeps", "searches")
        for p in (ROOT / "scenarios" / folder).glob("*.toml")
    ]
    result = subprocess.run(
        [sys.executable, "-m", "sim.cli", "validate", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("ok  ") == len(files)
    quiet = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim.cli",
            "run",
            "scenarios/baseline.toml",
            "--days",
            "1",
            "--warmup-days",
            "0",
            "--replications",
            "2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_validate_reports_each_bad_file_and_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "bad"\n[run]\nseed = -1\n')
    command = [sys.executable, "-m", "sim.cli", "validate", "scenarios/baseline.toml", str(bad)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "ok  scenarios/baseline.toml" in result.stdout and "run.seed" in result.stderr
