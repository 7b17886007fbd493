"""What analysts actually run, timed: a scenario's own window (warm-up included, as `run`
does), the default engine beside the reference; the same for a marketplace whose seller
standard is enforced; a 120-day window of every shipped study; and a small sweep of
120-day windows on two jobs. Each workload runs in a fresh process, so its peak memory is
its own.

Times are CPU seconds of the child process (`time.process_time`), the fastest of
`--repeat` (the run least disturbed on a shared machine); the engines alternate. Peak
memory is the child's high-water resident size. Figures, not assertions: the targets are
printed beside them.

A sweep's figure is wall time (its work is spread over processes) beside the CPU time of
its workers. The small sweep runs at two sizes (2 and 4 replications of its 4 points):
their difference is what a run adds to the wall time, and what is left of the smaller
one is paid once a sweep (starting the pool's processes, importing); the projection to
the 100-point, 5-replication sweep of the speed targets is that once plus 500 runs.

Usage: python benchmarks/workloads.py [--year] [--scenario FILE] [--arm K] [--enforced]
                                      [--studies] [--sweep] [--days D]
                                      [--engine fast|both] [--repeat R] [--seed S]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {  # the year-window targets of the speed issue (CPU seconds, GB, ratio)
    "baseline.toml": "at most 5 s CPU and 0.6 GB; at least 30x the reference",
    "study-seller-standards.toml": "at most 7 s CPU",
}
ENFORCED = ("study-seller-standards.toml", 1)  # 2,000 sellers, eBay's standard enforced
SWEEP = ROOT / "scenarios" / "sweeps" / "deadlines-grid.toml"
SWEEP_POINTS, SWEEP_REPLICATIONS, SWEEP_JOBS = 4, (2, 4), 2  # the small sweeps: 8, 16 runs
TARGET_RUNS, TARGET_WALL = 500, "at most 10 minutes wall on 2 cores"  # 100 points x 5


class Measured(NamedTuple):
    """One workload in one child process."""

    seconds: float  # CPU seconds of the run alone
    peak_gb: float  # the child's peak resident memory
    orders: int  # orders in the measured window
    events: int


def _child(
    path: str, arm: int, engine: str, days: int | None, seed: int, found: multiprocessing.Queue
) -> None:
    from sim.experiments.scenario import load_arms
    from sim.world.runner import run

    scenario = load_arms(path)[arm]
    if days is not None:
        scenario = scenario.with_run(days=days)
    start = time.process_time()
    result = run(scenario, seed, engine=engine)  # type: ignore[arg-type]
    seconds = time.process_time() - start
    orders = int(result.orders["measured"].sum())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    found.put(Measured(seconds, peak, orders, len(result.events)))


def _in_fresh_process(target: Callable[..., None], *args: object) -> Any:
    """What `target(*args, queue)` puts on its queue, run in a fresh interpreter (so that
    its peak memory is its own)."""
    context = multiprocessing.get_context("spawn")
    found: multiprocessing.Queue = context.Queue()
    child = context.Process(target=target, args=(*args, found))
    child.start()
    result = found.get()
    child.join()
    return result


def measured(path: Path, arm: int, engine: str, days: int | None, seed: int) -> Measured:
    """The workload run once in a fresh interpreter."""
    return _in_fresh_process(_child, str(path), arm, engine, days, seed)


def best(path: Path, arm: int, engines: tuple[str, ...], days: int | None, seed: int,
         repeat: int) -> dict[str, Measured]:  # fmt: skip
    """The fastest of `repeat` runs of each engine, alternating."""
    found: dict[str, Measured] = {}
    for _ in range(repeat):
        for engine in engines:
            m = measured(path, arm, engine, days, seed)
            if engine not in found or m.seconds < found[engine].seconds:
                found[engine] = m
    return found


def window(
    path: Path, engines: tuple[str, ...], days: int | None, seed: int, repeat: int, arm: int = 0
) -> None:
    """A scenario's window, as `disputesim run` runs one replication of it."""
    found = best(path, arm, engines, days, seed, repeat)
    fast = found["fast"]
    span = f"{days}-day window" if days else "own window"
    named = f"{path.name} arm {arm}" if arm else path.name
    print(f"{named} ({span}, warm-up included): {fast.orders:,} orders in the window, "
          f"{fast.events:,} events, best of {repeat} (CPU time)")  # fmt: skip
    for engine, m in found.items():
        print(f"  {engine + ':':11}{m.seconds:8.2f} s   peak memory {m.peak_gb:5.2f} GB")
    if "reference" in found:
        print(
            f"  speedup over the reference engine: {found['reference'].seconds / fast.seconds:.1f}x"
        )
    if path.name in TARGETS and days is None:
        print(f"  targets: {TARGETS[path.name]}")


class Swept(NamedTuple):
    """The small sweep, run once in a fresh process with its own pool."""

    wall: float  # seconds on the clock
    cpu: float  # CPU seconds of the parent and its workers
    peak_gb: float  # the largest worker's (or the parent's) peak resident memory
    runs: int


def _sweep_child(
    days: int, folder: str, tables: bool, replications: int, found: multiprocessing.Queue
) -> None:
    from sim.api.studies import sweep_study
    from sim.experiments.study import load_study

    study, base = load_study(SWEEP)
    parameters = [p.model_copy(update={"values": (p.values or [])[:2]}) for p in study.parameters]
    study = study.model_copy(update={"parameters": parameters[:2], "tables": tables,
                                     "replications": replications})  # fmt: skip
    runs = replications * len(parameters[0].values or []) * len(parameters[1].values or [])
    assert runs == SWEEP_POINTS * replications
    start, cpu = time.perf_counter(), time.process_time()
    sweep_study(study, base=base, out=folder, days=days, jobs=SWEEP_JOBS)
    wall = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
    peak = max(children.ru_maxrss, own.ru_maxrss) / 1024**2
    found.put(Swept(wall, cpu, peak, runs))


def _swept(days: int, tables: bool, replications: int) -> Swept:
    """One small sweep, in a fresh process with its own pool."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        return _in_fresh_process(_sweep_child, days, f"{scratch}/sweep", tables, replications)


def projected_minutes(small: Swept, large: Swept) -> tuple[float, float, float]:
    """What a run adds to a sweep's wall time and what a sweep pays once (seconds), from
    two sizes of one sweep, and the 500-run sweep's wall time they imply (minutes); where
    noise leaves no sensible difference, the larger sweep's wall time a run."""
    each = (large.wall - small.wall) / (large.runs - small.runs)
    once = small.wall - small.runs * each
    if each <= 0 or once < 0:
        each, once = large.wall / large.runs, 0.0
    return each, once, (once + TARGET_RUNS * each) / 60


def small_sweep(days: int, kept: str = "both", sizes: tuple[int, int] = SWEEP_REPLICATIONS) -> None:
    """A grid of the seller's deadline and the escalation delay, `days` measured a run, at
    two sizes: storing every run's tables, then keeping the figures only (`tables = false`);
    `kept` "tables" or "figures" times one of the two."""
    for tables in {"both": (True, False), "tables": (True,), "figures": (False,)}[kept]:
        small, large = (_swept(days, tables, r) for r in sizes)
        kept = "every run's tables stored" if tables else "figures only (tables = false)"
        print(f"{SWEEP.name}, {SWEEP_POINTS} points x {sizes[0]} and "
              f"{sizes[1]} replications of {days}-day windows (warm-up "
              f"included), {SWEEP_JOBS} jobs, {kept}:")  # fmt: skip
        for swept in (small, large):
            print(f"  {swept.runs} runs: wall {swept.wall:8.2f} s   CPU of the pool "
                  f"{swept.cpu:7.2f} s   peak memory {swept.peak_gb:5.2f} GB")  # fmt: skip
        each, once, minutes = projected_minutes(small, large)
        print(f"  a run adds {each:.2f} s wall; a sweep pays {once:.2f} s once")
        print(f"  projected to 100 points x 5 replications: {minutes:.1f} minutes wall "
              f"(target: {TARGET_WALL})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--year", action="store_true", help="the scenario's own window")
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "baseline.toml"))
    parser.add_argument("--arm", type=int, default=0, help="the scenario's arm (0: the first)")
    parser.add_argument("--enforced", action="store_true",
                        help="also the year window of an enforced seller standard")  # fmt: skip
    parser.add_argument("--sweep", action="store_true", help="a small sweep on two jobs")
    parser.add_argument("--kept", choices=("both", "tables", "figures"), default="both",
                        help="the sweep's storage: tables, figures only, or both")  # fmt: skip
    parser.add_argument("--sweep-replications", type=int, nargs=2, metavar=("SMALL", "LARGE"),
                        default=SWEEP_REPLICATIONS, help="the two sizes (2 and 4)")  # fmt: skip
    parser.add_argument("--studies", action="store_true", help="a window of every study")
    parser.add_argument("--days", type=int, default=120, help="the studies' window (120)")
    parser.add_argument("--engine", choices=("both", "fast"), default="both")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    engines = ("fast", "reference") if args.engine == "both" else ("fast",)
    if args.year or not (args.studies or args.sweep):
        window(Path(args.scenario), engines, None, args.seed, args.repeat, args.arm)
    if args.enforced:
        name, arm = ENFORCED
        window(ROOT / "scenarios" / name, engines, None, args.seed, args.repeat, arm)
    if args.sweep:
        small_sweep(args.days, args.kept, tuple(args.sweep_replications))
    if args.studies:
        for path in sorted((ROOT / "scenarios").glob("study-*.toml")):
            window(path, ("fast",), args.days, args.seed, args.repeat)


if __name__ == "__main__":
    main()
