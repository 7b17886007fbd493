"""Runs that keep their figures only: no event log, the same figures, and sweeps that
store summaries alone (`tables = false`)."""

from __future__ import annotations

import math

import pyarrow.parquet as pq
import pytest

from sim.experiments.scenario import load_scenario
from sim.measures.metrics import every_figure
from sim.world.runner import run
from tests.helpers import ROOT
from tests.helpers import disputesim as cli

BASE = ROOT / "scenarios" / "baseline.toml"


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize("name", ["baseline", "study-buyer-review"])
def test_a_run_without_its_event_log_gives_every_figure_the_same(name):
    """Figures read the log for the orders that contacted the seller and those abuse
    review sent to the team: noted as the run ends, they need no log."""
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml").with_run(days=8, warmup_days=4)
    full, light = run(scenario, 3), run(scenario, 3, events=False)
    assert len(light.events) == 0 and not light.events_kept and full.events_kept
    assert light.n_events == full.n_events == len(full.events) > 0
    assert light.horizon == full.horizon == full.events["time"][-1]
    figures, lighter = every_figure(full), every_figure(light)
    assert figures.keys() == lighter.keys()
    assert all(_same(figures[k], lighter[k]) for k in figures), [
        k for k in figures if not _same(figures[k], lighter[k])
    ]
    assert 0 < figures["disputes_without_contact"] < 1  # the marked orders mattered


def _study(path, tables: bool) -> None:
    path.write_text(
        f'[study]\nscenario = "{BASE}"\nmethod = "grid"\nreplications = 2\ndays = 1\n'
        f"warmup_days = 0\ntables = {'true' if tables else 'false'}\n"
        '[[parameters]]\nkey = "policy.seller_response_days"\nvalues = [2, 7]\n'
    )


def test_a_sweep_of_figures_only_stores_summaries_and_the_same_results(tmp_path):
    """`tables = false`: the same results table as a sweep that stores its tables, no
    table file, a report drawn from the figures, a second run that only reads, and a
    trace or export refused in one line."""
    results = {}
    for tables in (True, False):
        study, out = tmp_path / f"s{tables}.toml", tmp_path / f"out{tables}"
        _study(study, tables)
        done = cli("sweep", str(study), "--out", str(out), "--jobs", "2", "--quiet")
        assert done.returncode == 0, done.stderr
        results[tables] = pq.read_table(out / "results.parquet").to_pandas()
    assert results[True].equals(results[False])
    light = tmp_path / "outFalse"
    assert not list(light.glob("orders/**/*.parquet")) + list(light.glob("events/**/*.parquet"))
    assert len(list(light.glob("summary/**/*.parquet"))) == 4
    assert list((tmp_path / "outTrue").glob("events/**/*.parquet"))

    before = (light / "results.parquet").stat().st_mtime_ns
    again = cli("sweep", str(tmp_path / "sFalse.toml"), "--out", str(light), "--quiet")
    assert again.returncode == 0, again.stderr
    assert (light / "results.parquet").stat().st_mtime_ns == before  # read, not rerun

    report = cli("report", str(light))
    assert report.returncode == 0, report.stderr
    trace, export = ("trace", str(light), "--order", "1"), ("export", str(light), "--format", "csv")
    for command in (trace, export):
        refused = cli(*command)
        assert refused.returncode == 2, refused.stderr
        line = refused.stderr.strip()
        assert "\n" not in line and "tables = false" in line and command[0] in line, line
