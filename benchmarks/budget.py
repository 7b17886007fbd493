"""Where the world's time goes, piece by piece, against what the ratio target allows.

`throughput.py` says how much slower the world is than a bare SimPy skeleton; this says
why. It runs the world once with a stopwatch around each piece of work that the skeleton
does not do (the machine's firing, the actors' decisions, drawing, creating and writing
orders), subtracts the stopwatch's own cost, and prints each piece in microseconds per
fired event beside the skeleton's cost per event and the budget that a world/skeleton
ratio of 1.5 leaves for everything that is not SimPy. The whole world and the skeleton
are timed without stopwatches, best of `--repeat` alternating runs, as in throughput.py.

Usage: python benchmarks/budget.py [--orders N] [--scenario FILE] [--seed S] [--repeat R]
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from throughput import TARGET_RATIO, arguments, world_and_skeleton

import sim.world
from machine.context import Context
from machine.dispatch import FastProcess
from machine.order import Order
from sim import actors
from sim.scenario import Scenario, load_scenario
from sim.worldorder import WorldOrder

clock = time.perf_counter


class Stopwatch:
    """Seconds and calls accumulated by one piece of work."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0

    def wrap(self, work: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any) -> Any:
            start = clock()
            result = work(*args)
            self.seconds += clock() - start
            self.calls += 1
            return result

        return timed


def stopwatch_cost(calls: int = 200_000) -> float:
    """Seconds a stopwatch reads around a call that does nothing (to subtract)."""
    watch = Stopwatch()
    empty = watch.wrap(lambda *args: None)
    for _ in range(calls):
        empty(1, 2)
    return watch.seconds / calls


class TimedProcess(FastProcess):
    """The compiled machine, with a stopwatch around each trigger."""

    def __init__(self) -> None:
        super().__init__()
        self.watch = Stopwatch()
        self._timed_fire = self.watch.wrap(super().fire)

    def fire(self, order: Order, trigger: str, ctx: Context) -> bool:
        return bool(self._timed_fire(order, trigger, ctx))


def timed_run(scenario: Scenario, seed: int, orders: int) -> dict[str, Stopwatch]:
    """One world run with a stopwatch around each piece of work, by piece."""
    watches = {name: Stopwatch() for name in ("actors", "draw", "create", "finish")}
    process = TimedProcess()
    world = sim.world.World(scenario, np.random.SeedSequence(seed), orders=orders, process=process)
    saved = dict(actors.MOVES), sim.world.draw_block, sim.world.WorldOrder  # module state
    actors.MOVES.update({state: watches["actors"].wrap(f) for state, f in saved[0].items()})
    sim.world.draw_block = watches["draw"].wrap(saved[1])
    sim.world.WorldOrder = watches["create"].wrap(WorldOrder)  # type: ignore[misc,assignment]
    # This world's own methods: nothing to restore, the world is dropped after the run.
    world._truth = watches["create"].wrap(world._truth)  # type: ignore[method-assign]
    world._finish = watches["finish"].wrap(world._finish)  # type: ignore[method-assign]
    try:
        world.run()
    finally:
        actors.MOVES.update(saved[0])
        sim.world.draw_block, sim.world.WorldOrder = saved[1], saved[2]  # type: ignore[misc]
    return {"machine": process.watch, **watches}


def main() -> None:
    args = arguments(__doc__ or "", repeat=2)
    scenario = load_scenario(args.scenario)
    overhead = stopwatch_cost()
    seconds, bare, events, _ = world_and_skeleton(scenario, args.seed, args.orders, args.repeat)
    watches = timed_run(scenario, args.seed, args.orders)

    def per_event(watch: Stopwatch) -> float:
        return (watch.seconds - watch.calls * overhead) / events * 1e6

    world_us = seconds / events * 1e6
    bare_us = bare / events * 1e6
    labels = {
        "machine": "the machine: FastProcess.fire (guards, actions)",
        "actors": "the actors: deciding each next move",
        "draw": "drawing every order's facts (numpy, then Facts rows)",
        "create": "creating orders and fixing what really happens",
        "finish": "writing each finished order's row",
    }
    pieces = {label: per_event(watches[name]) for name, label in labels.items()}
    rest = world_us - bare_us - sum(pieces.values())
    print(
        f"scenario {Path(args.scenario).name}, {args.orders:,} orders, {events:,} events "
        f"({events / args.orders:.2f} an order); microseconds per fired event"
    )
    print(f"  {'bare SimPy skeleton (same events)':52s} {bare_us:6.2f}")
    for label, value in pieces.items():
        print(f"+ {label:52s} {value:6.2f}")
    print(f"+ {'the rest: the order loop, recording, memory':52s} {rest:6.2f}")
    print(f"= {'the world':52s} {world_us:6.2f}   ratio {world_us / bare_us:.2f}")
    budget = (TARGET_RATIO - 1.0) * bare_us
    named = sum(pieces.values())
    print(
        f"A ratio of {TARGET_RATIO} leaves {budget:.2f} us an event beyond SimPy; the named "
        f"pieces alone take {named:.2f} ({named / budget:.1f} times the budget)."
    )


if __name__ == "__main__":
    main()
