"""Orders on the plain path, resolved a block at a time with numpy.

Most orders never meet a dispute: paid, shipped, tracked, delivered (or collected from
the post office), confirmed or protected to the end, finished. For them the actors'
choices reduce to comparing a few drawn times with the platform's timetable, which numpy
does for a whole block at once. `resolve` finds the orders whose drawn facts can only
take this path, writes their events and rows as columns, and returns the rest, which
the engine runs one by one.

This is the one place that restates what `sim.world.actors` would decide, so it is
proven rather than trusted: `tests/test_engines.py` runs every shipped scenario through
both engines and demands identical tables. The timetable itself is not restated: the
deadlines come from `machine.deadlines`, called on columns instead of one order. Ties
are decided as the engines do: between actors the one listed first wins, and a timer
beats an actor at its very instant (a deadline has passed at its moment); every move
fires at the later of its own time and the order's clock, as in `engine.FastWorld`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np

from machine import deadlines
from sim.world.actors import B, C, P, S
from sim.world.recorder import STATE_CODE
from sim.world.tables import ORDER_COLUMNS
from sim.world.truth import Truth

if TYPE_CHECKING:
    from sim.world.marketplace import Arrivals, Marketplace

NAN = np.nan


def resolve(world: Marketplace, arrivals: Arrivals) -> np.ndarray:
    """Write the plain-path orders of `arrivals` to the world's tables; return the rows
    (indices into the block) that must be run one by one."""
    n, c, policy = arrivals.size, arrivals.block.columns, world.policy
    col = {name: values[:n] for name, values in c.items()}
    paid = arrivals.created
    order = SimpleNamespace(paid_at=paid)

    # paid: cancel (listed first) or ship, unless the handling time has run out (L2, L4)
    ship_at = paid + col["handling"]
    handling_ends = deadlines.handling_deadline(order, policy)  # type: ignore[arg-type]
    cancel_at = paid + col["cancel_delay"]
    plain = (arrivals.truth == Truth.OK) & col["ships"] & ~col["false_claim"] & ~col["customs"]
    plain &= ~col["cancels"] | (cancel_at > ship_at)
    plain &= ship_at < handling_ends
    shipped = np.maximum(ship_at, paid)
    protection_ends = shipped + policy.protection_days  # machine.actions.record_shipment
    arrives = shipped + col["transit"]  # Marketplace._dispatch_parcel, no customs
    # shipped: arrival comes before protection ends, and before the buyer's patience does
    plain &= arrives < protection_ends
    plain &= col["misses_window"] | (arrives <= shipped + col["promised"] + col["patience"])

    rows = np.flatnonzero(plain)
    if len(rows):
        _write(world, arrivals, rows, col, shipped[rows], arrives[rows], protection_ends[rows])
    return np.flatnonzero(~plain)


def _write(
    world: Marketplace,
    arrivals: Arrivals,
    rows: np.ndarray,
    col: dict[str, np.ndarray],
    shipped: np.ndarray,
    arrives: np.ndarray,
    protection_ends: np.ndarray,
) -> None:
    """The events and rows of the plain orders at `rows`."""
    policy, code = world.policy, world.codes
    f = {name: values[rows] for name, values in col.items()}
    ids = arrivals.first_id + rows
    events: list[tuple[np.ndarray, np.ndarray, np.ndarray | int, np.ndarray]] = []
    step = np.zeros(len(rows), dtype=np.int32)

    def emit(mask: np.ndarray, time: np.ndarray, event: np.ndarray | int) -> None:
        chosen = event[mask] if isinstance(event, np.ndarray) else event
        events.append((ids[mask], time[mask], chosen, step[mask].copy()))
        step[mask] += 1

    everyone = np.ones(len(rows), dtype=bool)
    emit(everyone, shipped, code["ship", "paid", "shipped", S])
    # shipped: tracking shows (listed before the arrival, so it wins a tie), then arrival
    tracked_at = shipped + f["tracking_lag"]
    tracked = tracked_at <= arrives
    emit(tracked, np.maximum(tracked_at, shipped), code["tracking_update", "shipped", "shipped", C])
    clock = np.where(tracked, np.maximum(tracked_at, shipped), shipped)
    arrived = np.maximum(arrives, clock)
    post = f["post_office"]
    emit(
        everyone,
        arrived,
        np.where(
            post,
            code["arrive_at_post_office", "shipped", "awaiting_collection", C],
            code["deliver", "shipped", "delivered", C],
        ),
    )
    # awaiting_collection: the buyer collects, unless the holding time has ended (L8)
    waiting = SimpleNamespace(collection_started_at=arrived)
    holding_ends = deadlines.collection_deadline(waiting, policy)  # type: ignore[arg-type]
    assert holding_ends is not None
    collect_at = arrived + f["collect_delay"]
    collected = post & f["collects"] & (collect_at < holding_ends)
    uncollected = post & ~collected
    emit(
        collected,
        np.maximum(collect_at, arrived),
        code["collect_parcel", "awaiting_collection", "delivered", B],
    )
    unclaimed_at = np.maximum(holding_ends, arrived)
    emit(
        uncollected,
        unclaimed_at,
        code["collection_period_ends", "awaiting_collection", "finished_uncollected", P],
    )
    delivered = ~uncollected
    delivered_at = np.where(collected, np.maximum(collect_at, arrived), arrived)
    # delivered: the buyer confirms, unless protection has run out (L9, L11)
    confirm_at = delivered_at + f["confirm_delay"]
    confirms = f["confirms"] & (confirm_at < protection_ends)
    completed_at = np.maximum(np.where(confirms, confirm_at, protection_ends), delivered_at)
    emit(
        delivered,
        completed_at,
        np.where(
            confirms,
            code["confirm_receipt", "delivered", "completed", B],
            code["protection_expires", "delivered", "completed", P],
        ),
    )
    # completed: the post-completion window closes (L11)
    done = SimpleNamespace(completed_at=completed_at)
    window_ends = deadlines.completion_window_end(done, policy)  # type: ignore[arg-type]
    assert window_ends is not None
    finished_at = np.maximum(window_ends, completed_at)
    emit(delivered, finished_at, code["completion_window_closes", "completed", "finished", P])

    for order_id, time, event, steps in events:
        codes = event if isinstance(event, np.ndarray) else np.full(len(order_id), event)
        world.log.extend(order_id, time, codes, steps)
    world.orders.extend(
        _rows(arrivals, rows, f, shipped, delivered, delivered_at, uncollected, unclaimed_at,
              finished_at)
    )  # fmt: skip


def _rows(
    arrivals: Arrivals,
    rows: np.ndarray,
    f: dict[str, np.ndarray],
    shipped: np.ndarray,
    delivered: np.ndarray,
    delivered_at: np.ndarray,
    uncollected: np.ndarray,
    unclaimed_at: np.ndarray,
    finished_at: np.ndarray,
) -> dict[str, np.ndarray]:
    """The orders-table columns of plain orders: no money back, the seller paid in full."""
    n = len(rows)
    none, never, zero = np.full(n, -1), np.full(n, NAN), np.zeros(n, dtype=np.int64)
    state = np.where(uncollected, STATE_CODE["finished_uncollected"], STATE_CODE["finished"])
    columns = {
        "order_id": arrivals.first_id + rows,
        "created_at": arrivals.created[rows],
        "price": f["price"],
        "seller": f["seller"],
        "buyer": f["buyer"],
        "carrier": f["carrier"],
        "truth": np.full(n, int(Truth.OK)),
        "final_state": state,
        "refunded": zero,
        "released": f["price"],
        "buyer_costs": zero,
        "repaid": zero,
        "disputed": zero,
        "false_claim": zero,
        "reason": none,
        "kind": none,
        "escalated": zero,
        "appealed": zero,
        "decision": none,
        "asked_at": never,
        "shipped_at": shipped,
        "delivered_at": np.where(delivered, delivered_at, NAN),
        "opened_at": never,
        "refund_at": never,
        "credited_at": never,
        "closed_at": np.where(uncollected, unclaimed_at, finished_at),
        "team_wait": never,
    }
    assert tuple(columns) == tuple(ORDER_COLUMNS)
    return columns
