"""Throughput of the simulated world beside a bare SimPy skeleton, in the same run.

The skeleton replays the world's own run: the same arrival times, and for each order one
`timeout` per fired event with the same delays, so it schedules the same number of events
per order with the same heap sizes, but has no machine, no actors and no records. The
ratio of the two times is the price of the machine, the behaviour and the recording.

Timings on a shared virtual machine wander by 10-20% from run to run, so each side runs
`--repeat` times, alternating, and the fastest run of each is reported (as `timeit` does):
the minimum is the run least disturbed by the rest of the machine. The issue's targets
are printed beside the figures.

`--scaling` first runs a tenth of the orders, then all of them, in the same process, and
compares the two times: on a machine whose speed wanders, only a comparison made within one
session means anything.

Usage: python benchmarks/throughput.py [--orders N] [--scenario FILE] [--seed S] [--repeat R]
                                       [--scaling]
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Generator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import simpy

from sim.scenario import Scenario, load_scenario
from sim.world import World, paused_gc

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5  # issue 3: world at most 1.5 times the bare skeleton
TARGET_SECONDS_1M = 90.0  # issue 3: a million baseline orders in one process
TARGET_PEAK_GB_1M = 1.5
TARGET_SCALING = 11.0  # issue 3: 1M orders in at most 11 times the time of 100k


def replay_plan(
    created: np.ndarray, order_ids: np.ndarray, times: np.ndarray
) -> tuple[list[float], list[list[float]]]:
    """Gaps between arrivals, and each order's delays between its events."""
    order = np.lexsort((times, order_ids))
    ids, stamps = order_ids[order], times[order]
    starts = np.searchsorted(ids, np.arange(len(created)))
    ends = np.append(starts[1:], len(ids))
    delays = []
    for n, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        previous = np.concatenate(([created[n]], stamps[a : b - 1]))
        delays.append(np.maximum(stamps[a:b] - previous, 0.0).tolist())
    gaps = np.diff(np.concatenate(([0.0], created))).tolist()
    return gaps, delays


def skeleton(gaps: list[float], delays: list[list[float]]) -> float:
    """Replay arrivals and per-order event delays in bare SimPy; seconds taken."""
    env = simpy.Environment()

    def life(steps: list[float]) -> Generator[simpy.Event, None, None]:
        for step in steps:
            yield env.timeout(step)

    def arrivals() -> Generator[simpy.Event, None, None]:
        for gap, steps in zip(gaps, delays, strict=True):
            yield env.timeout(gap)
            env.process(life(steps))

    env.process(arrivals())
    start = time.perf_counter()
    with paused_gc():
        env.run()
    return time.perf_counter() - start


def timed_world(scenario: Scenario, seed: int, orders: int) -> tuple[float, World]:
    world = World(scenario, np.random.SeedSequence(seed), orders=orders)
    start = time.perf_counter()
    world.run()
    return time.perf_counter() - start, world


def arguments(doc: str, repeat: int) -> argparse.Namespace:
    """The command line both world benchmarks share."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "baseline.toml"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=repeat, help="runs of each side")
    parser.add_argument(
        "--scaling", action="store_true", help="also run a tenth of the orders, and compare"
    )
    return parser.parse_args()


class Measured(NamedTuple):
    """The world and its skeleton, best of the alternating runs."""

    seconds: float  # the world
    bare: float  # the skeleton
    events: int
    peak_mb: float  # one world's peak resident memory


def world_and_skeleton(scenario: Scenario, seed: int, orders: int, repeat: int) -> Measured:
    """Time the world, then its skeleton, `repeat` times each, alternating; keep the best."""
    seconds, world = timed_world(scenario, seed, orders)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    events = len(world.log)
    log, table = world.log.columns(), world.orders.columns()
    del world
    plan = replay_plan(np.sort(table["created_at"]), log["order_id"], log["time"])
    bare = skeleton(*plan)
    for _ in range(repeat - 1):  # alternate, so both sides see the same disturbances
        seconds = min(seconds, timed_world(scenario, seed, orders)[0])
        bare = min(bare, skeleton(*plan))
    return Measured(seconds, bare, events, peak_mb)


def report(scenario: str, orders: int, repeat: int, m: Measured) -> None:
    print(f"scenario {scenario}, {orders:,} orders, {m.events:,} events, best of {repeat}")
    print(
        f"world:    {m.seconds:8.2f} s  {orders / m.seconds:>10,.0f} orders/s  "
        f"{m.seconds / m.events * 1e6:6.2f} us/event  peak memory {m.peak_mb:,.0f} MB"
    )
    print(
        f"skeleton: {m.bare:8.2f} s  {orders / m.bare:>10,.0f} orders/s  "
        f"{m.bare / m.events * 1e6:6.2f} us/event  (same arrivals and delays, bare SimPy)"
    )
    print(f"ratio world / skeleton: {m.seconds / m.bare:.2f}  (target at most {TARGET_RATIO})")
    if orders >= 1_000_000:
        print(f"1M target: at most {TARGET_SECONDS_1M:.0f} s and {TARGET_PEAK_GB_1M} GB peak")


def main() -> None:
    args = arguments(__doc__ or "", repeat=3)
    scenario = load_scenario(args.scenario)
    sizes = (args.orders // 10, args.orders) if args.scaling else (args.orders,)
    runs = []
    for orders in sizes:  # the smaller first: peak memory is the process's high-water mark
        runs.append(world_and_skeleton(scenario, args.seed, orders, args.repeat))
        report(Path(args.scenario).name, orders, args.repeat, runs[-1])
    if args.scaling:
        small, large = runs
        print(
            f"{args.orders:,} orders take {large.seconds / small.seconds:.1f} times "
            f"{args.orders // 10:,} (target at most {TARGET_SCALING}); the skeleton "
            f"{large.bare / small.bare:.1f} times; events {large.events / small.events:.1f} times"
        )


if __name__ == "__main__":
    main()
