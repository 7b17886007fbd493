"""`run(scenario, seed)`: one simulated world, start to finish, as a `RunResult`."""

from __future__ import annotations

from typing import Literal

import numpy as np

from machine.dispatch import FAST, FastProcess
from machine.process import Process
from sim.world.engines.fast import FastWorld
from sim.world.engines.marketplace import Marketplace
from sim.world.engines.reference import ReferenceWorld
from sim.world.population.learning import PATH_COLUMNS
from sim.world.population.monitor import SELLER_COLUMNS
from sim.world.records.footprint import require_room
from sim.world.records.heap import give_back
from sim.world.records.recorder import TRIGGER_CODE, Columns, EventLog
from sim.world.records.results import (
    EVENT_CATEGORIES,
    MARKED,
    RunResult,
    Table,
    order_categories,
    seller_categories,
)
from sim.world.scenario import Scenario
from sim.world.seeds import replication_seed

Engine = Literal["fast", "reference"]
ENGINES: dict[str, type[Marketplace]] = {"fast": FastWorld, "reference": ReferenceWorld}
"""`fast` (the default) keeps orders off the event heap; `reference` is all-SimPy. Both
give identical tables for the same scenario and seed."""


def run(
    scenario: Scenario,
    seed: int | np.random.SeedSequence | None = None,
    *,
    replication: int = 0,
    orders: int | None = None,
    engine: Engine = "fast",
    process: Process | FastProcess = FAST,
    check_invariants: bool = False,
    check_memory: bool = True,
    events: bool = True,
) -> RunResult:
    """Simulate replication `replication` of `scenario` under root seed `seed` (default:
    the scenario's own) over its window: the very world `disputesim run --seed SEED` runs
    as its replication `replication` (a `SeedSequence` is used as it is).

    The run simulates the warm-up and the window (`scenario.window()`), then follows the
    window's orders to their end. `orders=N` instead simulates exactly N orders from an
    empty marketplace and measures them all (a shorthand for tests and benchmarks).
    The same scenario and seed give identical tables, whichever the engine. With
    `check_invariants`, every order and its trace are checked against the machine's
    invariants as it finishes. A world estimated not to fit in memory is refused first
    (`sim.world.records.footprint`), unless `check_memory` is off because the caller checked.
    `events=False` keeps no event log (its table is empty): every figure is the same, and
    a run whose figures are all that is wanted skips the log's sorting (a sweep that
    keeps figures only, a search, a calibration).
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if check_memory:
        require_room([scenario], orders=orders)
    if seed is None:
        seed = scenario.run.seed
    sequence = (
        seed if isinstance(seed, np.random.SeedSequence) else replication_seed(seed, replication)
    )
    world = ENGINES[engine](
        scenario, sequence, orders=orders, process=process, check_invariants=check_invariants
    )
    world.run()
    categories = order_categories(
        tuple(s.name for s in scenario.sellers),
        tuple(b.name for b in scenario.buyers),
        tuple(c.name for c in scenario.market.carriers),
    )
    give_back()  # the engine's buffers, before the tables are built
    # the orders first: the log's sort needs the most room
    order_columns = world.books.order_table(world.tally.feedback())
    give_back()
    if events:
        event_columns = world.books.event_table()
        count, end, marked = _glance(event_columns)
    else:
        count, end, marked = world.books.log.glance(world.books.left_out(), MARKED)
        world.books.log = EventLog()
        event_columns = world.books.log.columns()
    give_back()
    window = world.window
    monitor, learner = world.tally.monitor, world.tally.learner
    sellers = (monitor.table if monitor else Columns(SELLER_COLUMNS)).columns()
    path = (learner.path if learner else Columns(PATH_COLUMNS)).columns()
    return RunResult(
        scenario_name=scenario.name,
        seed=int(sequence.entropy) if isinstance(sequence.entropy, int) else 0,
        orders=Table(order_columns, categories),
        events=Table(event_columns, EVENT_CATEGORIES),
        queue=Table(world.office.queue_columns(end)),
        sellers=Table(sellers, seller_categories(tuple(s.name for s in scenario.sellers))),
        path=Table(path),
        team_capacity=scenario.team.capacity,
        team_busy_days=world.office.busy_case_days(window.first_day, min(window.end_day, end)),
        team_reviews=world.office.reviews,
        horizon=end,
        window=window,
        event_count=count,
        marked=marked,
    )


def _glance(events: dict[str, np.ndarray]) -> tuple[int, float, dict[str, np.ndarray]]:
    """What `EventLog.glance` tells of a log, read from its table: how many events, the
    last one's time, and which orders fired each of the `MARKED` triggers (sorted ids)."""
    time, trigger, order_id = events["time"], events["trigger"], events["order_id"]
    marked = {
        name: np.unique(order_id[trigger == TRIGGER_CODE[name]]).astype(np.int64) for name in MARKED
    }
    return len(time), (float(time[-1]) if len(time) else 0.0), marked
