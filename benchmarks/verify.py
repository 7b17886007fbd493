"""The cost of `disputesim verify`: one policy checked on every configuration of an order.

Each policy is verified in a child process, as a user runs it; its CPU time (user and
system) and peak memory come from the operating system's accounting of the child, so they
do not depend on how busy the machine is. Printed beside the configurations explored and
the issue's target (one policy in at most 10 s of CPU).

Usage: python benchmarks/verify.py [SCENARIO.toml ...]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_CPU_SECONDS = 10.0
DEFAULT = ("scenarios/baseline.toml", "scenarios/study-appeals-on.toml")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=DEFAULT)
    args = parser.parse_args()
    print(f"{'scenario':<40} {'configurations':>15} {'moves':>10} {'CPU s':>7} {'peak MB':>8}")
    for scenario in args.scenarios:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            [sys.executable, "-m", "sim.cli", "verify", scenario, "--json"],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            sys.exit(f"{scenario}: {done.stderr.strip()}")
        found = json.loads(done.stdout)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak = after.ru_maxrss / 1024
        print(
            f"{Path(scenario).stem:<40} {found['configurations']:>15,} {found['moves']:>10,} "
            f"{cpu:>7.1f} {peak:>8.0f}"
        )
    print(f"target: one policy in at most {TARGET_CPU_SECONDS:.0f} s of CPU")


if __name__ == "__main__":
    main()
