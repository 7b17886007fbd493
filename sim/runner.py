"""`run(scenario, seed)`: one simulated world, start to finish, as a `RunResult`."""

from __future__ import annotations

import numpy as np

from machine.dispatch import FAST, FastProcess
from machine.process import Process
from sim.results import EVENT_CATEGORIES, RunResult, Table, order_categories
from sim.scenario import Scenario
from sim.world import World


def run(
    scenario: Scenario,
    seed: int | np.random.SeedSequence | None = None,
    *,
    orders: int | None = None,
    process: Process | FastProcess = FAST,
    check_invariants: bool = False,
) -> RunResult:
    """Simulate `scenario` from `seed` (default: the scenario's own).

    The same scenario and seed give identical tables. With `check_invariants`, every
    order and its trace are checked against the machine's invariants as it finishes.
    """
    if seed is None:
        seed = scenario.run.seed
    sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    world = World(
        scenario, sequence, orders=orders, process=process, check_invariants=check_invariants
    )
    world.run()
    categories = order_categories(
        tuple(s.name for s in scenario.sellers),
        tuple(b.name for b in scenario.buyers),
        tuple(c.name for c in scenario.market.carriers),
    )
    order_columns = world.orders.columns()
    by_id = np.argsort(order_columns["order_id"], kind="stable")
    order_columns = {name: column[by_id] for name, column in order_columns.items()}
    events = world.log.columns()
    return RunResult(
        scenario_name=scenario.name,
        seed=int(sequence.entropy) if isinstance(sequence.entropy, int) else 0,
        orders=Table(order_columns, categories),
        events=Table(events, EVENT_CATEGORIES),
        queue=Table(world.queue.columns()),
        team_staff=scenario.team.staff,
        team_busy_days=world.busy_days,
        team_reviews=world.reviews,
        horizon=float(world.env.now),
    )
