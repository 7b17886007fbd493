"""Throughput of the simulated world beside a bare SimPy skeleton, in the same run.

The skeleton replays the world's own run: the same arrival times, and for each order one
`timeout` per fired event with the same delays, so it schedules the same number of events
per order with the same heap sizes, but has no machine, no actors and no records. The
ratio of the two times is the price of the machine, the behaviour and the recording.

Usage: python benchmarks/throughput.py [--orders N] [--scenario FILE] [--seed S]
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Generator
from pathlib import Path

import numpy as np
import simpy

from sim.scenario import load_scenario
from sim.world import World, paused_gc

ROOT = Path(__file__).resolve().parent.parent


def skeleton(created: np.ndarray, order_ids: np.ndarray, times: np.ndarray) -> tuple[float, int]:
    """Replay arrivals and per-order event delays in bare SimPy; (seconds, events)."""
    order = np.lexsort((times, order_ids))
    ids, stamps = order_ids[order], times[order]
    starts = np.searchsorted(ids, np.arange(len(created)))
    ends = np.append(starts[1:], len(ids))
    delays = []
    for n, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        previous = np.concatenate(([created[n]], stamps[a : b - 1]))
        delays.append(np.maximum(stamps[a:b] - previous, 0.0).tolist())
    gaps = np.diff(np.concatenate(([0.0], created))).tolist()
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
    return time.perf_counter() - start, len(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "baseline.toml"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    scenario = load_scenario(args.scenario)
    world = World(scenario, np.random.SeedSequence(args.seed), orders=args.orders)
    start = time.perf_counter()
    world.run()
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    events = len(world.log)
    log, orders = world.log.columns(), world.orders.columns()
    created = np.sort(orders["created_at"])
    bare, bare_events = skeleton(created, log["order_id"], log["time"])

    print(f"scenario {Path(args.scenario).name}, {args.orders:,} orders, {events:,} events")
    print(
        f"world:    {seconds:8.2f} s  {args.orders / seconds:>10,.0f} orders/s  "
        f"{seconds / events * 1e6:6.2f} us/event  peak memory {peak_mb:,.0f} MB"
    )
    print(
        f"skeleton: {bare:8.2f} s  {args.orders / bare:>10,.0f} orders/s  "
        f"{bare / bare_events * 1e6:6.2f} us/event  (same arrivals and delays, bare SimPy)"
    )
    print(f"ratio world / skeleton: {seconds / bare:.2f}")


if __name__ == "__main__":
    main()
