"""A world too big for the machine is refused before it starts, in one line naming the key."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from sim.errors import UserError
from sim.experiments.scenario import load_scenario, scenario_from_dict
from sim.world.records import footprint
from sim.world.runner import run

ROOT = Path(__file__).resolve().parent.parent
HUGE = '[scenario]\nname = "huge"\n[market]\norders_per_day = 1e12\n'


def _small(rate: float = 300.0, days: int = 20) -> object:
    return scenario_from_dict(
        {
            "scenario": {"name": "small"},
            "market": {"orders_per_day": rate},
            "run": {"start": "2026-10-22", "days": days, "warmup_days": 0},
        }
    )


def test_expected_orders_count_the_season():
    """Ten days before the season and ten in it (factor 1.6): 300 x (10 + 16) orders."""
    scenario = _small()
    assert footprint.expected_orders(scenario) == pytest.approx(300 * (10 + 10 * 1.6))
    result = run(scenario, 3)
    assert abs(len(result.orders) - 7_800) < 4 * 7_800**0.5  # Poisson: within 4 sigma


def test_the_estimate_bounds_a_real_run():
    """Events a run writes stay below the estimate's per-order allowance."""
    result = run(_small(), 4)
    need = footprint.estimate(_small())
    assert len(result.events) < need.events
    assert need.bytes > footprint.BASE_BYTES


def test_a_stated_limit_refuses_what_fits_once_but_not_on_two_workers(monkeypatch):
    scenario = _small()
    one = footprint.estimate(scenario).bytes / footprint.GB
    monkeypatch.setenv(footprint.MEMORY_VARIABLE, repr(one * 1.5))
    footprint.require_room([scenario], concurrent=1)
    with pytest.raises(UserError, match=r"on each of 2 workers.*--memory GB"):
        footprint.require_room([scenario], concurrent=2)
    monkeypatch.setenv(footprint.MEMORY_VARIABLE, "lots")
    with pytest.raises(UserError, match="expected a number of gigabytes"):
        footprint.require_room([scenario])


def _limited(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command line under an 8 GB address-space limit, as a small machine has."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (8 * 2**30, 8 * 2**30))

    return subprocess.run(
        [sys.executable, "-m", "sim.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=limit,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_a_huge_rate_is_refused_in_one_line_with_nothing_written(tmp_path):
    (tmp_path / "huge.toml").write_text(HUGE)
    out = tmp_path / "out"
    result = _limited("run", "huge.toml", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "key 'market.orders_per_day' = 1e+12" in result.stderr
    assert "more than the" in result.stderr and "GB" in result.stderr
    assert not out.exists() or not any(out.rglob("*.parquet"))
    checked = _limited("validate", "huge.toml", cwd=tmp_path)
    assert checked.returncode == 2 and "market.orders_per_day" in checked.stderr


def test_memory_option_states_the_limit(tmp_path):
    """--memory overrides the machine's figure both ways: here, far below any run."""
    result = _limited(
        "run", str(ROOT / "scenarios/baseline.toml"), "--days", "1", "--memory", "0.001",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "the 0.001 GB stated with --memory" in result.stderr


def test_shipped_scenarios_fit_and_validate_names_their_size():
    baseline = load_scenario(ROOT / "scenarios/baseline.toml")
    footprint.require_room([baseline])
    assert 1e6 < footprint.expected_orders(baseline) < 2e6
