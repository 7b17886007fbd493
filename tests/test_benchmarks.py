"""The benchmark commands run and report what they claim to measure (no timing asserted)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from sim.world.runner import run
from tests.helpers import ROOT
from tests.world_runs import baseline

ORDERS = 1_500


def bench(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_throughput_times_both_engines_on_the_same_world_and_ends_with_the_two_figures():
    out = bench("throughput.py", "--orders", str(ORDERS), "--seed", "3", "--repeat", "2")
    header = re.search(r"([\d,]+) orders, ([\d,]+) events, best of 2 \(CPU time\)", out)
    assert header, out
    assert int(header[2].replace(",", "")) == len(run(baseline(), 3, orders=ORDERS).events)
    seconds = {}
    for engine in ("fast", "reference"):
        row = re.search(
            rf"^{engine}:\s+([\d.]+) s\s+([\d,]+) orders/s\s+[\d.]+ us/event", out, re.M
        )
        assert row, out
        seconds[engine] = float(row[1])
    last = out.strip().splitlines()[-2:]
    speedup = re.fullmatch(r"speedup over the reference engine: (\d+\.\d)x", last[0])
    per_second = re.fullmatch(r"orders per CPU second: ([\d,]+)", last[1])
    assert speedup and per_second, last
    assert len(seconds) == 2
    # the closing figures are the rows' own: seconds are printed to 0.005 s
    fast, reference = seconds["fast"], seconds["reference"]
    low, high = (reference - 0.005) / (fast + 0.005), (reference + 0.005) / (fast - 0.005)
    assert low - 0.05 <= float(speedup[1]) <= high + 0.05, (speedup[1], low, high)
    orders = int(header[1].replace(",", ""))
    printed = int(per_second[1].replace(",", ""))
    assert orders / (fast + 0.005) - 1 <= printed <= orders / (fast - 0.005) + 1


def test_trigger_cost_compares_three_ways_of_firing():
    out = bench("trigger_cost.py", "--orders", "500", "--repeat", "2")
    for row in ("bare transitions trigger", "Process.fire", "FastProcess.fire"):
        assert re.search(rf"^{re.escape(row)}.*\s\d+\.\d\d\s+\d+\.\d\d$", out, re.M), out


def test_scaling_compares_a_tenth_of_the_orders_with_all_of_them():
    out = bench(
        "throughput.py", "--orders", str(ORDERS), "--repeat", "1", "--scaling", "--engine", "fast"
    )
    sizes = [int(n.replace(",", "")) for n in re.findall(r"([\d,]+) orders, [\d,]+ events", out)]
    assert sizes == [ORDERS // 10, ORDERS]
    events = [int(n.replace(",", "")) for n in re.findall(r"orders, ([\d,]+) events", out)]
    line = re.search(r"take (\d+\.\d) times .*target at most 11\.0.*events (\d+\.\d) times", out)
    assert line, out
    assert float(line[2]) == round(events[1] / events[0], 1)
    assert out.strip().splitlines()[-2].endswith("not measured (--engine fast)")


def test_workloads_time_a_scenarios_own_window_in_a_fresh_process(tmp_path):
    from sim.experiments.scenario import load_scenario

    path = tmp_path / "small.toml"
    path.write_text(
        '[scenario]\nname = "small"\n[market]\norders_per_day = 400\n'
        "[population]\nsellers = 50\nbuyers = 2000\n"
        "[run]\nstart = 2026-03-01\ndays = 4\nwarmup_days = 2\nseed = 1\n",
        encoding="utf-8",
    )
    out = bench("workloads.py", "--scenario", str(path), "--seed", "3")
    header = re.search(r"own window, warm-up included\): ([\d,]+) orders in the window", out)
    assert header, out
    expected = run(load_scenario(path), 3)
    assert int(header[1].replace(",", "")) == int(expected.orders["measured"].sum())
    rows = re.findall(r"^  (fast|reference):\s+([\d.]+) s\s+peak memory\s+([\d.]+) GB$", out, re.M)
    assert [engine for engine, _, _ in rows] == ["fast", "reference"], out
    assert all(0.0 < float(gb) < 8.0 for _, _, gb in rows)  # a peak was read, in GB
    assert re.search(r"speedup over the reference engine: \d+\.\dx", out)


def test_the_small_sweep_prints_its_wall_time_and_the_projection_it_implies():
    """A sweep keeping its figures only, at two sizes (`make bench` times the other way of
    storing too, through the same code); the projection is what the two sizes imply."""
    out = bench(
        "workloads.py",
        "--sweep",
        "--days",
        "2",
        "--kept",
        "figures",
        "--sweep-replications",
        "1",
        "2",
    )
    assert "every run's tables" not in out, out  # the way asked for, alone
    header = r"figures only \(tables = false\)"
    block = re.search(
        r"4 points x 1 and 2 replications of 2-day windows .*, 2 jobs, " + header
        + r":\n(.*\n.*\n.*\n.*)",
        out,
    )  # fmt: skip
    assert block, out
    walls = re.findall(
        r"(\d+) runs: wall\s+([\d.]+) s\s+CPU of the pool\s+([\d.]+) s\s+"
        r"peak memory\s+([\d.]+) GB",
        block[1],
    )
    assert [int(runs) for runs, _, _, _ in walls] == [4, 8], out
    assert all(float(w) > 0 and float(c) > 0 and 0 < float(gb) < 8 for _, w, c, gb in walls)
    (_, small, _, _), (_, large, _, _) = walls
    each = (float(large) - float(small)) / 4
    once = float(small) - 4 * each
    if each <= 0 or once < 0:  # noise: the larger sweep's wall time a run
        each, once = float(large) / 8, 0.0
    added = re.search(r"a run adds ([\d.]+) s wall; a sweep pays ([\d.]+) s once", block[1])
    assert added, out
    assert abs(float(added[1]) - each) <= 0.006 and abs(float(added[2]) - once) <= 0.06
    projected = re.search(r"projected to 100 points x 5 replications: ([\d.]+) minutes", block[1])
    assert projected and abs(float(projected[1]) - (once + 500 * each) / 60) <= 0.06


def test_the_fit_benchmark_times_a_whole_fit_of_a_log_in_a_child_process():
    out = bench("fitting.py", "--events", "6000", "--bootstrap", "5")
    log = re.search(r"^log: ([\d,]+) events of ([\d,]+) cases, \d+ MB of CSV$", out, re.M)
    assert log and int(log[1].replace(",", "")) > 3_000, out
    cpu = re.search(r"CPU ([\d.]+) s \(user ([\d.]+) s \+ system ([\d.]+) s\)", out)
    assert cpu and float(cpu[1]) == pytest.approx(float(cpu[2]) + float(cpu[3]), abs=0.11), out
    assert float(cpu[2]) > 0  # the child's time was read, not the parent's
    peak = re.search(r"peak memory ([\d.]+) GB", out)
    assert peak and 0.05 < float(peak[1]) < 8, out
    assert "target for a million events: at most 60 s CPU and 2 GB" in out
