"""The cost of fitting a platform's log: `disputesim fit` on a log of about a million events.

The log is made first (the baseline run over as many days as give the events asked for,
exported as CSV, as a platform would hand it over) and is not timed. The fit then runs as
a user runs it, in a child process: reading the CSV, replaying every case on the machine,
fitting every race, choice and pattern, and the bootstrap's replicates. Its CPU time (user
and system) and peak memory are read from the operating system's accounting of the
child, so neither depends on how busy the machine is with other work.

Usage: python benchmarks/fitting.py [--events N] [--bootstrap B] [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from sim.experiments.experiment import Plan, Point, carry_out
from sim.experiments.scenario import load_scenario
from sim.views.export import export

ROOT = Path(__file__).resolve().parent.parent
EVENTS_PER_ORDER = 6.1  # the baseline's, its payment included (measured)
OFF_SEASON = dt.date(2026, 3, 1)  # a window of the base rate (the season sells 1.6 times more)
TARGET_CPU_SECONDS = 60.0  # for a million events
TARGET_PEAK_GB = 2.0


def make_log(events: int, seed: int, folder: Path) -> tuple[Path, int, int]:
    """A CSV log of about `events` events of the baseline; its path, events and cases."""
    baseline = load_scenario(ROOT / "scenarios" / "baseline.toml")
    days = max(1, round(events / EVENTS_PER_ORDER / baseline.market.orders_per_day))
    scenario = baseline.with_run(start=OFF_SEASON, days=days, warmup_days=0)
    carry_out(Plan("run", (Point(scenario),), 1, seed), out=folder / "run", quiet=True)
    log = folder / "log.csv"
    written = export(folder / "run", "csv", log)
    with log.open() as stream:
        cases = len({row[0] for row in csv.reader(stream)}) - 1
    return log, written, cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fit-bench-") as tmp:
        folder = Path(tmp)
        log, events, cases = make_log(args.events, args.seed, folder)
        size = log.stat().st_size / 1e6
        print(f"log: {events:,} events of {cases:,} cases, {size:,.0f} MB of CSV")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        fitted = subprocess.run(
            [sys.executable, "-m", "sim.cli", "fit", str(log), "--out", str(folder / "fit"),
             "--bootstrap", str(args.bootstrap)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if fitted.returncode != 0:
            sys.exit(f"the fit failed: {fitted.stderr.strip()}")
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    peak_gb = after.ru_maxrss * 1024 / 1e9  # kilobytes on Linux
    print(f"fit with {args.bootstrap} bootstrap replicates (read, replay, fit), one process:")
    print(f"  CPU {user + system:.1f} s (user {user:.1f} s + system {system:.1f} s)")
    print(f"  peak memory {peak_gb:.2f} GB")
    print(
        f"target for a million events: at most {TARGET_CPU_SECONDS:.0f} s CPU and "
        f"{TARGET_PEAK_GB:.0f} GB (the cost does not shrink with the log: a small one pays "
        "the start-up and the families' fits)"
    )


if __name__ == "__main__":
    main()
