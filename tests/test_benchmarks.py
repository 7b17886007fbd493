"""The benchmark commands run and report what they claim to measure (no timing asserted)."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np

from sim.world import World
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


def events_of_a_world(seed: int) -> int:
    return len(World(baseline(), np.random.SeedSequence(seed), orders=ORDERS).run().log)


def test_throughput_replays_exactly_the_world_s_events():
    out = bench("throughput.py", "--orders", str(ORDERS), "--seed", "3", "--repeat", "2")
    header = re.search(r"([\d,]+) orders, ([\d,]+) events, best of 2", out)
    assert header, out
    assert int(header[2].replace(",", "")) == events_of_a_world(3)
    for side in ("world", "skeleton"):
        assert re.search(rf"^{side}:\s+[\d.]+ s\s+[\d,]+ orders/s\s+[\d.]+ us/event", out, re.M)
    assert re.search(r"ratio world / skeleton: \d+\.\d\d\s+\(target at most 1\.5\)", out)


def test_budget_pieces_add_up_to_the_world():
    out = bench("budget.py", "--orders", str(ORDERS), "--seed", "4")
    assert f"{events_of_a_world(4):,} events" in out
    values = [float(v) for v in re.findall(r"^[ +=] .*?(-?\d+\.\d\d)(?:\s+ratio.*)?$", out, re.M)]
    assert len(values) == 8, out  # skeleton, five pieces, the rest, the world
    assert abs(sum(values[:-1]) - values[-1]) < 0.05  # the rest is what the pieces leave
    assert all(v > 0 for v in values[1:6]), "every named piece took some time"
    assert "leaves" in out and "times the budget" in out


def test_trigger_cost_compares_three_ways_of_firing():
    out = bench("trigger_cost.py", "--orders", "500", "--repeat", "2")
    for row in ("bare transitions trigger", "Process.fire", "FastProcess.fire"):
        assert re.search(rf"^{re.escape(row)}.*\s\d+\.\d\d\s+\d+\.\d\d$", out, re.M), out


def test_scaling_compares_a_tenth_of_the_orders_with_all_of_them():
    out = bench("throughput.py", "--orders", str(ORDERS), "--repeat", "1", "--scaling")
    sizes = [int(n.replace(",", "")) for n in re.findall(r"([\d,]+) orders, [\d,]+ events", out)]
    assert sizes == [ORDERS // 10, ORDERS]
    events = [int(n.replace(",", "")) for n in re.findall(r"orders, ([\d,]+) events", out)]
    line = re.search(r"take (\d+\.\d) times .*target at most 11\.0.*events (\d+\.\d) times", out)
    assert line, out
    assert float(line[2]) == round(events[1] / events[0], 1)
