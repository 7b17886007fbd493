"""Experiments: replications with CIs, comparisons on common random numbers, sweeps,
resumable results folders, and identical results whatever the executor."""

from __future__ import annotations

import json
import math
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from sim.experiments.experiment import Plan, Point, carry_out, compare, estimates
from sim.experiments.folder import ResultsFolder
from sim.experiments.stats import estimate, paired_difference
from sim.experiments.study import StudyError, apply_parameters, load_study
from sim.measures.metrics import ALL_FIGURES
from tests.helpers import disputesim as cli
from tests.world_runs import ROOT, baseline, one_day

SWEEPS = ROOT / "scenarios" / "sweeps"
BASE = (ROOT / "scenarios" / "baseline.toml").as_posix()


def test_confidence_intervals_follow_student_t():
    est = estimate([1.0, 2.0, 3.0, 4.0])
    assert est.mean == 2.5
    assert est.half_width == pytest.approx(3.182446 * np.std([1, 2, 3, 4], ddof=1) / 2, rel=1e-5)
    assert math.isnan(estimate([5.0]).half_width)
    diff = paired_difference([2.0, 3.0, 4.0], [1.0, 2.0, 3.0])
    assert diff.mean == 1.0 and diff.half_width == 0.0 and diff.significant


def test_a_spread_interval_holds_a_new_run_and_does_not_shrink_with_more_runs():
    """Where each replication ran its own draw of uncertain parameters, the interval is
    where a further run falls (95% of the time), not where the mean of the runs is: more
    runs leave it as wide, and a new draw lands inside it as often as promised."""
    rng = np.random.default_rng(5)
    held, trials = 0, 4000
    for _ in range(trials):
        runs = rng.normal(size=9)
        found = estimate(runs[:8], spread=True)
        held += found.low <= runs[8] <= found.high
    assert abs(held / trials - 0.95) < 0.015
    few, many = (estimate(rng.normal(size=n), spread=True) for n in (10, 1000))
    assert many.half_width > 0.8 * few.half_width
    assert many.half_width > 10 * estimate(rng.normal(size=1000)).half_width
    diff = paired_difference([2.0, 3.0, 5.0], [1.0, 1.0, 1.0], spread=True)
    assert diff.half_width == pytest.approx(
        4.302653 * np.std([1, 2, 4], ddof=1) * math.sqrt(4 / 3), rel=1e-5
    )


def test_replications_give_a_mean_and_an_interval():
    plan = Plan("run", (Point(one_day(baseline())),), replications=3, seed=4)
    summaries = carry_out(plan, quiet=True)
    assert [s["replication"] for s in summaries] == [0, 1, 2]
    refund = estimates(summaries)["refund_rate"]
    values = [s["refund_rate"] for s in summaries]
    assert refund.mean == pytest.approx(np.mean(values)) and refund.half_width > 0
    assert len(set(values)) == 3, "replications must differ"


def test_compare_uses_common_random_numbers():
    base = baseline()
    same = base.model_copy(update={"name": "same"})
    faster = base.model_copy(
        update={"policy": base.policy.evolve(seller_response_days=2), "name": "fast"}
    )
    # three days: a day's twenty-odd disputes may hold no seller who answers after 2 days
    plan = Plan("compare", tuple(Point(one_day(s, 3)) for s in (base, same, faster)), 4, 8)
    results = {c.figure: c for c in compare(carry_out(plan, quiet=True), 3)}
    identical = results["refund_rate"].differences[0]
    assert identical.mean == 0 and identical.half_width == 0 and not identical.significant
    assert results["dispute_rate"].differences[1].mean == 0  # the same disputes are opened
    assert results["escalation_rate"].differences[1].mean < 0


def test_a_difference_from_an_arm_where_the_figure_is_undefined_is_n_a_and_untested():
    """The team's decision time is undefined in an arm no case reached the team: its
    difference is printed as n/a, with no verdict, in the console and in the answers."""
    from sim.experiments.scenario import scenario_from_dict
    from sim.views import answers, console
    from sim.views.found import Compared

    key = "team_decision_days_median"
    arms = tuple(scenario_from_dict({"scenario": {"name": name}}) for name in ("none", "some"))
    summaries = [
        {"point": point, "replication": r, "orders": 100, "events": 500,
         key: math.nan if point == 0 else 8.0 + r}
        for point in (0, 1) for r in range(4)
    ]  # fmt: skip
    found = Compared(arms, 1, summaries, compare(summaries, 2, [key]))
    line = next(line for line in console.compare_lines(found) if " diff " in line)
    assert "diff n/a" in line and "significant" not in line, line
    said = answers.for_comparison(key, summaries, ["none", "some"], "USD")
    assert "(n/a)" in said and "significant" not in said, said
    defined = [dict(s, **{key: 5.0 + s["replication"]}) if s["point"] == 0 else s
               for s in summaries]  # fmt: skip
    again = Compared(arms, 1, defined, compare(defined, 2, [key]))
    line = next(line for line in console.compare_lines(again) if " diff " in line)
    assert line.rstrip().endswith("significant"), line


def test_same_results_with_one_or_two_jobs():
    plan = Plan("run", (Point(one_day(baseline())),), replications=3, seed=2)
    import pandas as pd

    one, two = carry_out(plan, jobs=1, quiet=True), carry_out(plan, jobs=2, quiet=True)
    assert pd.DataFrame(one).equals(pd.DataFrame(two))  # NaN-aware


def test_parameters_reach_policy_team_and_profiles():
    s = apply_parameters(
        baseline(),
        {"policy.seller_response_days": 3, "team.staff": 4.4, "sellers.fraudulent.share": 0.2},
    )
    assert s.policy.seller_response_days == 3 and s.team.staff == 4
    shares = {p.name: p.share for p in s.sellers}
    assert shares["fraudulent"] == 0.2 and sum(shares.values()) == pytest.approx(1.0)
    with pytest.raises(StudyError, match=r"policy\.nope"):
        apply_parameters(baseline(), {"policy.nope": 1})


@pytest.mark.parametrize(
    ("name", "points"),
    [("deadlines-grid", 12), ("screening-morris", 70), ("sensitivity-sobol", 256)],
)
def test_designs_have_the_expected_points(name, points):
    study, _ = load_study(SWEEPS / f"{name}.toml")
    design = study.design()
    assert len(design) == points
    for parameter in study.parameters:
        values = [row[parameter.key] for row in design]
        if parameter.low is not None:
            assert min(values) >= parameter.low and max(values) <= parameter.high


def test_lhs_covers_every_stratum(tmp_path):
    study = tmp_path / "lhs.toml"
    study.write_text(
        f'[study]\nscenario = "{BASE}"\nmethod = "lhs"\n'
        'samples = 10\n[[parameters]]\nkey = "policy.seller_response_days"\nlow = 0\nhigh = 10\n'
    )
    loaded, _ = load_study(study)
    values = sorted(row["policy.seller_response_days"] for row in loaded.design())
    assert [int(v) for v in values] == list(range(10))


def test_a_whole_number_lever_is_sampled_as_whole_numbers_each_equally_often(tmp_path):
    """team.staff holds whole officers: an LHS over 2..12 samples whole numbers (no flag
    needed), and 22 samples give each of the 11 values exactly two strata."""
    study = tmp_path / "lhs.toml"
    study.write_text(
        f'[study]\nscenario = "{BASE}"\nmethod = "lhs"\nsamples = 22\n'
        '[[parameters]]\nkey = "team.staff"\nlow = 2\nhigh = 12\n'
    )
    loaded, _ = load_study(study)
    assert loaded.parameters[0].integer
    values = [row["team.staff"] for row in loaded.design()]
    assert all(float(v).is_integer() for v in values)
    assert sorted(values) == sorted([float(n) for n in range(2, 13)] * 2)


def test_morris_over_a_whole_number_lever_needs_a_grid_of_whole_numbers(tmp_path):
    study = tmp_path / "morris.toml"
    text = (
        f'[study]\nscenario = "{BASE}"\nmethod = "morris"\nsamples = 2\nlevels = LEVELS\n'
        '[[parameters]]\nkey = "team.staff"\nlow = 2\nhigh = 12\n'
        '[[parameters]]\nkey = "policy.seller_response_days"\nlow = 1\nhigh = 10\n'
    )
    study.write_text(text.replace("LEVELS", "4"))
    with pytest.raises(
        StudyError, match=r"team\.staff.*levels = 4 would sample 5\.33.*e\.g\. 2, 3, 6"
    ):
        load_study(study)
    study.write_text(text.replace("LEVELS", "6"))
    loaded, _ = load_study(study)
    assert {row["team.staff"] for row in loaded.design()} <= {2.0, 4.0, 6.0, 8.0, 10.0, 12.0}


def test_a_sweep_records_the_value_each_point_ran(tmp_path):
    """What is recorded is what ran: the manifest, the results table and the point's own
    scenario agree on a whole number of officers, and on a float lever's value."""
    study = tmp_path / "lhs.toml"
    study.write_text(
        f'[study]\nscenario = "{BASE}"\nmethod = "lhs"\nsamples = 3\ndays = 1\n'
        'warmup_days = 0\n[[parameters]]\nkey = "team.staff"\nlow = 2\nhigh = 12\n'
        '[[parameters]]\nkey = "policy.seller_response_days"\nlow = 1\nhigh = 10\n'
    )
    out = tmp_path / "out"
    result = cli("sweep", str(study), "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    tidy = pq.read_table(out / "results.parquet").to_pandas()
    for index, point in enumerate(manifest["points"]):
        staff = point["parameters"]["team.staff"]
        assert float(staff).is_integer() and point["scenario"]["team"]["staff"] == staff
        days = point["parameters"]["policy.seller_response_days"]
        assert point["scenario"]["policy"]["seller_response_days"] == days
        rows = tidy[tidy["point"] == index]
        assert set(rows["team_staff"]) == {staff}


def test_sweep_writes_a_tidy_table_and_sobol_indices(tmp_path):
    study = tmp_path / "sobol.toml"
    study.write_text(
        f'[study]\nscenario = "{BASE}"\n'
        'method = "sobol"\nsamples = 4\ndays = 1\nwarmup_days = 0\n'
        '[[parameters]]\nkey = "policy.seller_response_days"\nlow = 1\nhigh = 10\n'
        '[[parameters]]\nkey = "buyers.opportunistic.share"\nlow = 0.0\nhigh = 0.5\n'
    )
    out = tmp_path / "out"
    result = cli("sweep", str(study), "--out", str(out), "--jobs", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    tidy = pq.read_table(out / "results.parquet").to_pandas()
    assert len(tidy) == 4 * (2 + 2) * len(ALL_FIGURES)  # points x figures
    assert {"policy_seller_response_days", "buyers_opportunistic_share", "figure", "value"} <= set(
        tidy
    )
    indices = pq.read_table(out / "sensitivity.parquet").to_pandas()
    assert set(indices["index"]) == {"S1", "ST"} and indices["confidence"].notna().all()


def test_query_runs_sql_over_the_folder(tmp_path):
    out = tmp_path / "q"
    assert (
        cli(
            "run",
            "scenarios/baseline.toml",
            "--days",
            "1",
            "--warmup-days",
            "0",
            "--replications",
            "2",
            "--out",
            str(out),
            "--quiet",
        ).returncode
        == 0
    )
    result = cli(
        "query",
        str(out),
        "select replication, count(*) as n from orders where measured = 1 group by 1 order by 1",
    )
    assert result.returncode == 0, result.stderr
    counts = [str(int(s["orders"])) for s in ResultsFolder(out).summaries()]
    assert result.stdout.split()[2:] == ["0", counts[0], "1", counts[1]]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"]["root"] == 20261121 and "simpy" in manifest["versions"]
    bad = cli("query", str(out), "select nope from orders")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_a_folder_holding_another_experiment_is_refused(tmp_path):
    out = tmp_path / "x"
    assert (
        cli(
            "run",
            "scenarios/baseline.toml",
            "--days",
            "1",
            "--warmup-days",
            "0",
            "--out",
            str(out),
            "--quiet",
        ).returncode
        == 0
    )
    again = cli(
        "run", "scenarios/baseline.toml", "--days", "2", "--warmup-days", "0", "--out", str(out)
    )
    assert again.returncode == 2 and "different experiment" in again.stderr


def tables(folder: Path) -> dict[str, object]:
    found = {}
    for path in sorted(folder.rglob("*.parquet")):
        found[str(path.relative_to(folder))] = pq.read_table(path).to_pandas()
    return found


def test_a_killed_sweep_resumes_to_exactly_the_uninterrupted_tables(tmp_path):
    shipped = (SWEEPS / "deadlines-grid.toml").read_text()
    study = tmp_path / "grid.toml"  # the shipped grid over a shorter window: the same code
    study.write_text(
        shipped.replace(
            'scenario = "../baseline.toml"', f'scenario = "{ROOT / "scenarios" / "baseline.toml"}"'
        )
        .replace("days = 30", "days = 4", 1)
        .replace("warmup_days = 91", "warmup_days = 10", 1)
    )
    args = ["sweep", str(study), "--jobs", "2", "--quiet"]
    whole = tmp_path / "whole"
    assert cli(*args, "--out", str(whole)).returncode == 0
    broken = tmp_path / "broken"
    total = len(list((whole / "summary").rglob("*.parquet")))
    chance = random.Random(20261121)
    stored, codes = [], []
    for delay in [chance.uniform(1.0, 3.5) for _ in range(4)]:  # killed at random points
        process = subprocess.Popen(
            [sys.executable, "-m", "sim.cli", *args, "--out", str(broken)],
            cwd=ROOT,
            start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        codes.append(process.wait())
        stored.append(len(list((broken / "summary").rglob("*.parquet"))))
    assert codes[0] == -signal.SIGKILL and stored[0] < total  # the first kill interrupted it
    assert stored == sorted(stored)  # each restart kept what the last one finished
    assert cli(*args, "--out", str(broken)).returncode == 0
    assert not list(broken.rglob(".*.part")), "a partial file was left"
    expected, got = tables(whole), tables(broken)
    assert expected.keys() == got.keys()
    for name, frame in expected.items():
        assert frame.equals(got[name]), name


def test_dask_gives_the_same_results_as_local(dask_cluster, tmp_path):
    run_args = [
        "run",
        "scenarios/baseline.toml",
        "--days",
        "1",
        "--warmup-days",
        "0",
        "--replications",
        "3",
        "--quiet",
    ]
    folders = {}
    for name, extra in {
        "one": [],
        "two": ["--jobs", "2"],
        "dask": ["--scheduler", dask_cluster],
    }.items():
        folders[name] = tmp_path / name
        assert cli(*run_args, *extra, "--out", str(folders[name])).returncode == 0
    one = tables(folders["one"])
    for name in ("two", "dask"):
        other = tables(folders[name])
        assert one.keys() == other.keys()
        for table, frame in one.items():
            assert frame.equals(other[table]), (name, table)
    args = [
        "compare",
        "scenarios/study-appeals-off.toml",
        "scenarios/study-appeals-on.toml",
        "--days",
        "1",
        "--warmup-days",
        "0",
        "--replications",
        "3",
        "--json",
        "--quiet",
    ]
    on_dask = cli(*args, "--scheduler", dask_cluster)
    assert on_dask.returncode == 0, on_dask.stderr
    assert on_dask.stdout == cli(*args, "--jobs", "2").stdout == cli(*args).stdout
