"""Calibration: targets files, the optimiser finding known parameters, the command's outputs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from sim.errors import UserError
from sim.experiments.calibration import calibrate
from sim.experiments.scenario import load_scenario
from sim.experiments.targets import load_targets
from tests.helpers import disputesim

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "scenarios" / "targets" / "aliexpress.toml"

SMALL_MARKET = """
[scenario]
name = "small"

[market]
orders_per_day = 500
peak_factor = 1.0

[policy]
seller_silence = "escalate"  # silent sellers' disputes reach the team: a hundred decisions

[team]
review_median_days = 8.0

[run]
start = 2026-03-01
days = 40
warmup_days = 21
seed = 5
"""


def targets_file(tmp_path: Path, body: str, name: str = "targets.toml") -> Path:
    (tmp_path / "small.toml").write_text(SMALL_MARKET)
    path = tmp_path / name
    path.write_text(
        '[calibration]\nname = "t"\nscenario = "small.toml"\nreplications = 1\nseed = 3\n' + body
    )
    return path


def target(figure: str, value: float, fit: bool = True) -> str:
    return (
        f'[[targets]]\nfigure = "{figure}"\nvalue = {value}\nlow = {value * 0.9}\n'
        f'high = {value * 1.1}\nplatform = "the simulator"\nsource = "synthetic"\n'
        f"fit = {'true' if fit else 'false'}\n"
    )


def test_calibration_recovers_parameters_from_targets_the_simulator_made(tmp_path):
    """Synthetic truth: targets computed at a known value are found again from afar.

    The team's review time is what the decision time identifies, with silent sellers'
    disputes escalated so that a hundred cases are decided. (The buyers' patience, once
    fitted beside it, is not identified by these figures: protection's end caps a
    patient buyer's claim, so the loss is flat above the truth and the fit wandered with
    the seed.)
    """
    figures = ("team_decision_days_mean", "dispute_rate", "escalation_rate")
    probe = targets_file(tmp_path, "".join(target(f, 1.0) for f in figures), "probe.toml")
    truth = calibrate(*load_targets(probe), tmp_path / "truth", quiet=True, source=str(probe))
    means = truth.best.means()  # the base scenario itself: review 8 days

    free = '[[free]]\nkey = "team.review_median_days"\nlow = 3.0\nhigh = 16.0\n'
    fitted = target(figures[0], means[figures[0]]) + "".join(
        target(f, means[f], fit=False) for f in figures[1:]
    )
    path = targets_file(tmp_path, fitted + free)
    found = calibrate(
        *load_targets(path), tmp_path / "fit", trials=20, quiet=True, source=str(path)
    )

    chosen = found.best.values
    assert chosen["team.review_median_days"] == pytest.approx(8.0, rel=0.1)
    assert found.best.loss < 0.1
    assert found.scenario.team.review_median_days == chosen["team.review_median_days"]


def test_the_shipped_targets_file_validates_and_names_real_figures():
    targets, base = load_targets(SHIPPED)
    assert base.name == "baseline"
    assert targets.fitted and targets.held_out and targets.free
    assert all(t.source and t.platform for t in targets.targets)
    result = disputesim("validate", str(SHIPPED))
    assert result.returncode == 0, result.stderr
    assert "targets aliexpress-baseline" in result.stdout


def test_calibrate_writes_the_scenario_the_trials_and_a_report_and_resumes(tmp_path):
    out = tmp_path / "cal"
    args = ("calibrate", str(SHIPPED), "--out", str(out), "--days", "7", "--replications", "1")
    first = disputesim(*args, "--trials", "2", "--quiet")
    assert first.returncode == 0, first.stderr
    calibrated = out / "calibrated.toml"
    scenario = load_scenario(calibrated)
    assert scenario.name == "baseline-calibrated"
    report = (out / "report.md").read_text()
    assert "## Validation: figures held out of the fit" in report
    assert "dispute_rate" in report and "PayPal (proxy)" in report
    trials = pd.read_parquet(out / "trials.parquet")
    assert sorted(trials["point"].unique()) == [0, 1]
    assert {"figure", "value", "loss", "sellers.*.rejects"} <= set(trials.columns)

    kept = {p: p.read_bytes() for p in (out / "summary").rglob("*.parquet")}
    again = disputesim(*args, "--trials", "3", "--quiet")
    assert again.returncode == 0, again.stderr
    assert "3 trials" in again.stdout
    after = list((out / "summary").rglob("*.parquet"))
    assert len(after) == 3 and all(p.read_bytes() == data for p, data in kept.items())
    chosen = tomllib.loads(calibrated.read_text())
    assert "team" in chosen and "review_median_days" in chosen["team"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (target("no_such_figure", 1.0), "unknown figure 'no_such_figure'"),
        (target("dispute_rate", 0.01) * 2, "target 'dispute_rate' is given twice"),
        (
            target("dispute_rate", 0.01) + '[[free]]\nkey = "team.nothing"\nlow = 1\nhigh = 2\n',
            "team.nothing",
        ),
        (
            target("dispute_rate", 0.01) + '[[free]]\nkey = "buyers.*.escalates"\nlow = 1\n'
            "high = 2\n",
            "'*' needs scale = true",
        ),
    ],
)
def test_a_bad_targets_file_is_one_line_naming_it(tmp_path, body, expected):
    path = targets_file(tmp_path, body)
    with pytest.raises(UserError, match=expected.replace("*", r"\*")):
        load_targets(path)
    result = disputesim("calibrate", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr
    assert not (tmp_path / "out").exists()
