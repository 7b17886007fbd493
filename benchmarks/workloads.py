"""What analysts actually run, timed: a scenario's own window (warm-up included, as `run`
does), the default engine beside the reference, and a 120-day window of every shipped
study; each workload in a fresh process, so its peak memory is its own.

Times are CPU seconds of the child process (`time.process_time`), the fastest of
`--repeat` (the run least disturbed on a shared machine); the engines alternate. Peak
memory is the child's high-water resident size. Figures, not assertions: the targets are
printed beside them.

Usage: python benchmarks/workloads.py [--year] [--scenario FILE] [--studies] [--days D]
                                      [--engine fast|both] [--repeat R] [--seed S]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {  # the year-window targets of the speed issue (CPU seconds, GB, ratio)
    "baseline.toml": "at most 5 s CPU and 0.6 GB; at least 30x the reference",
}


class Measured(NamedTuple):
    """One workload in one child process."""

    seconds: float  # CPU seconds of the run alone
    peak_gb: float  # the child's peak resident memory
    orders: int  # orders in the measured window
    events: int


def _child(
    path: str, engine: str, days: int | None, seed: int, found: multiprocessing.Queue
) -> None:
    from sim.experiments.scenario import load_scenario
    from sim.world.runner import run

    scenario = load_scenario(path)
    if days is not None:
        scenario = scenario.with_run(days=days)
    start = time.process_time()
    result = run(scenario, seed, engine=engine)  # type: ignore[arg-type]
    seconds = time.process_time() - start
    orders = int(result.orders["measured"].sum())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    found.put(Measured(seconds, peak, orders, len(result.events)))


def measured(path: Path, engine: str, days: int | None, seed: int) -> Measured:
    """The workload run once in a fresh interpreter."""
    context = multiprocessing.get_context("spawn")
    found: multiprocessing.Queue = context.Queue()
    child = context.Process(target=_child, args=(str(path), engine, days, seed, found))
    child.start()
    result = found.get()
    child.join()
    return result


def best(path: Path, engines: tuple[str, ...], days: int | None, seed: int, repeat: int
         ) -> dict[str, Measured]:  # fmt: skip
    """The fastest of `repeat` runs of each engine, alternating."""
    found: dict[str, Measured] = {}
    for _ in range(repeat):
        for engine in engines:
            m = measured(path, engine, days, seed)
            if engine not in found or m.seconds < found[engine].seconds:
                found[engine] = m
    return found


def window(path: Path, engines: tuple[str, ...], days: int | None, seed: int, repeat: int) -> None:
    """A scenario's window, as `disputesim run` runs one replication of it."""
    found = best(path, engines, days, seed, repeat)
    fast = found["fast"]
    span = f"{days}-day window" if days else "own window"
    print(f"{path.name} ({span}, warm-up included): {fast.orders:,} orders in the window, "
          f"{fast.events:,} events, best of {repeat} (CPU time)")  # fmt: skip
    for engine, m in found.items():
        print(f"  {engine + ':':11}{m.seconds:8.2f} s   peak memory {m.peak_gb:5.2f} GB")
    if "reference" in found:
        print(
            f"  speedup over the reference engine: {found['reference'].seconds / fast.seconds:.1f}x"
        )
    if path.name in TARGETS and days is None:
        print(f"  targets: {TARGETS[path.name]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--year", action="store_true", help="the scenario's own window")
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "baseline.toml"))
    parser.add_argument("--studies", action="store_true", help="a window of every study")
    parser.add_argument("--days", type=int, default=120, help="the studies' window (120)")
    parser.add_argument("--engine", choices=("both", "fast"), default="both")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    engines = ("fast", "reference") if args.engine == "both" else ("fast",)
    if args.year or not args.studies:
        window(Path(args.scenario), engines, None, args.seed, args.repeat)
    if args.studies:
        for path in sorted((ROOT / "scenarios").glob("study-*.toml")):
            window(path, ("fast",), args.days, args.seed, args.repeat)


if __name__ == "__main__":
    main()
