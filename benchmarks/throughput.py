"""Throughput of the simulated world beside a bare SimPy skeleton, in the same run.

The skeleton replays the world's own run: the same arrival times, and for each order one
`timeout` per fired event with the same delays, so it schedules the same number of events
per order with the same heap sizes, but has no machine, no actors and no records. The
ratio of the two times is the price of the machine, the behaviour and the recording.

Timings on a shared virtual machine wander by 10-20% from run to run, so each side runs
`--repeat` times, alternating, and the fastest run of each is reported (as `timeit` does):
the minimum is the run least disturbed by the rest of the machine. The issue's targets
are printed beside the figures.

Usage: python benchmarks/throughput.py [--orders N] [--scenario FILE] [--seed S] [--repeat R]
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


def main() -> None:
    args = arguments(__doc__ or "", repeat=3)
    seconds, bare, events, peak_mb = world_and_skeleton(
        load_scenario(args.scenario), args.seed, args.orders, args.repeat
    )
    ratio = seconds / bare
    print(
        f"scenario {Path(args.scenario).name}, {args.orders:,} orders, {events:,} events, "
        f"best of {args.repeat}"
    )
    print(
        f"world:    {seconds:8.2f} s  {args.orders / seconds:>10,.0f} orders/s  "
        f"{seconds / events * 1e6:6.2f} us/event  peak memory {peak_mb:,.0f} MB"
    )
    print(
        f"skeleton: {bare:8.2f} s  {args.orders / bare:>10,.0f} orders/s  "
        f"{bare / events * 1e6:6.2f} us/event  (same arrivals and delays, bare SimPy)"
    )
    print(f"ratio world / skeleton: {ratio:.2f}  (target at most {TARGET_RATIO})")
    if args.orders >= 1_000_000:
        print(f"1M target: at most {TARGET_SECONDS_1M:.0f} s and {TARGET_PEAK_GB_1M} GB peak")


if __name__ == "__main__":
    main()
