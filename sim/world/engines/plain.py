"""Orders on the plain path, resolved a block at a time with numpy.

Most orders never meet a dispute: paid, shipped, tracked (held by customs and released, on
the way, for some), delivered (or collected from the post office), confirmed or protected
to the end, finished; or cancelled (at once, or after the seller's answer or the request's
processing time), or never shipped in time, and refunded through the bank. For them the
actors' choices reduce to comparing a few drawn times with the platform's timetable, which
numpy does for a whole block at once. `resolve` finds the orders whose drawn facts can only
take this path, writes their events and rows as columns, and returns the rest, which
the engine walks (`sim.world.engines.settled`) or runs one by one.

This and the walk are the two places that restate what `sim.world.behaviour.actors` would
decide, so they are proven rather than trusted: `tests/test_engines.py` runs every shipped
scenario through both engines and demands identical tables. The timetable itself is not
restated: the deadlines come from `machine.deadlines`, called on columns instead of one
order, and ties are decided by the rules of `sim.world.engines.timetable`, as the engines
decide them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from machine import deadlines
from machine.calendar import add_business_days_array
from sim.world.behaviour.actors import B, C, K, P, S, cancellation_days, clearing_days
from sim.world.engines.timetable import fired_at, moments, on, timer_wins
from sim.world.engines.written import Written
from sim.world.population import feedback as fb
from sim.world.records.lazy import rows_of
from sim.world.records.recorder import STATE_CODE
from sim.world.records.truth import Truth

if TYPE_CHECKING:
    from sim.world.engines.arrivals import Arrivals
    from sim.world.engines.marketplace import Marketplace

NAN = np.nan


def resolve(world: Marketplace, arrivals: Arrivals) -> np.ndarray:
    """Write the plain-path orders of `arrivals` to the world's tables; return the rows
    (indices into the block) that must be run one by one."""
    n, c, policy = arrivals.size, arrivals.block.columns, world.policy
    col = rows_of(c, slice(0, n))  # the rows that arrived, as views
    paid = arrivals.created

    # paid: cancel (listed first) or ship, unless the handling time has run out (L2, L3, L4)
    ship_at = paid + col["handling"]
    cancel_at = paid + col["cancel_delay"]
    handling_ends = moments(deadlines.handling_deadline(on(paid_at=paid), policy))
    cancels = col["cancels"] & (~col["ships"] | (cancel_at <= ship_at))
    ships = col["ships"] & ~cancels
    acts_at = np.where(cancels, cancel_at, np.where(ships, ship_at, np.inf))
    expires = timer_wins(handling_ends, acts_at)
    cancel_fired = fired_at(cancel_at, paid)
    instant = cancels & ~expires & (cancel_fired - paid <= policy.instant_cancel_hours / 24.0)

    shipped = fired_at(ship_at, paid)
    protection_ends = shipped + policy.protection_days  # machine.actions.record_shipment
    held = np.where(col["customs"], col["customs_days"], 0.0)
    arrives = shipped + col["transit"] + held  # Marketplace._dispatch_parcel
    plain = ships & ~expires & (arrivals.truth == Truth.OK) & ~col["false_claim"]
    # shipped: arrival comes before protection ends, and before the buyer's patience does
    plain &= arrives < protection_ends
    plain &= col["misses_window"] | (arrives <= shipped + col["promised"] + col["patience"])

    out = Written(world, arrivals)
    rows = np.flatnonzero(plain)
    if len(rows):
        _write_delivered(out, rows, shipped[rows], arrives[rows], protection_ends[rows])
    code = world.books.codes
    unshipped = code["handling_time_expires", "paid", "refund_clearing", P]
    cancelled = code["cancel_order", "paid", "refund_clearing", B]
    for done, refund_at, event, at_once in (
        (expires, np.maximum(handling_ends, paid), unshipped, False),
        (instant, cancel_fired, cancelled, True),
    ):
        rows = np.flatnonzero(done)
        if len(rows):
            _write_refunded(out, rows, refund_at[rows], event, at_once)
    # cancel_requested: the seller accepts (listed first, so it wins a tie) or the
    # processing time completes it, unless the seller races to ship (L2)
    late = cancels & ~expires & ~instant & ~(col["ships"] & col["races_cancel"])
    rows = np.flatnonzero(late)
    if len(rows):
        takes = cancellation_days(policy, col["cancel_u"])  # as actors.cancel_requested
        accept_at = cancel_fired + col["cancel_answer"]
        complete_at = cancel_fired + takes
        accepts = col["accepts_cancel"] & (accept_at <= complete_at)
        refund_at = fired_at(np.where(accepts, accept_at, complete_at), cancel_fired)
        answered = np.where(
            accepts,
            code["seller_accepts_cancellation", "cancel_requested", "refund_clearing", S],
            code["cancellation_completes", "cancel_requested", "refund_clearing", P],
        )
        request = code["cancel_order", "paid", "cancel_requested", B]
        _write_refunded(out, rows, refund_at[rows], answered[rows], False,
                        requested=(cancel_fired[rows], request))  # fmt: skip
    out.flush()
    return np.flatnonzero(~(plain | expires | instant | late))


def _write_refunded(
    out: Written,
    rows: np.ndarray,
    refund_at: np.ndarray,
    event: int | np.ndarray,
    at_once: bool,
    requested: tuple[np.ndarray, int] | None = None,
) -> None:
    """Orders refunded in full before shipment, then credited by the bank (L2, L3, L4, P1);
    `requested`: the instants and event of a cancellation request the refund answers."""
    world = out.world
    policy = world.policy
    f = out.facts(rows)
    days = clearing_days(policy, f["bank_u"])  # as actors.refund_clearing draws them
    credited_at = add_business_days_array(refund_at, days, world.epoch_weekday)
    earliest = deadlines.bank_credit_earliest_many(refund_at, at_once, policy, world.epoch_weekday)
    credited_at = np.maximum(credited_at, earliest)  # the machine's floor (P1, L3)
    n = len(rows)
    step = np.zeros(n, dtype=np.int32)
    asked_at = refund_at
    if requested is not None:
        asked_at = requested[0]
        out.events(rows, asked_at, requested[1], step)
        step = step + 1
    out.events(rows, refund_at, event, step)
    out.events(rows, credited_at, world.books.codes["bank_credits_refund", "refund_clearing",
                                              "refunded", K], step + 1)  # fmt: skip
    truth = np.where(out.arrivals.truth[rows] == Truth.NOT_SHIPPED, Truth.NOT_SHIPPED, Truth.OK)
    price = f["price"]
    fee = np.rint(price * policy.refund_fee_rate).astype(np.int64)  # actions.record_credit
    out.orders(
        rows, np.full(n, fb.CANCELLED if at_once or requested is not None else fb.REFUNDED),
        credited_at, truth=truth, final_state=np.full(n, STATE_CODE["refunded"]),
        refunded=price, released=np.zeros(n, dtype=np.int64), buyer_costs=fee,
        asked_at=asked_at, shipped_at=np.full(n, NAN), delivered_at=np.full(n, NAN),
        protection_ends_at=np.full(n, NAN), refund_at=refund_at, credited_at=credited_at,
    )  # fmt: skip


def _write_delivered(
    out: Written,
    rows: np.ndarray,
    shipped: np.ndarray,
    arrives: np.ndarray,
    protection_ends: np.ndarray,
) -> None:
    """The events and rows of the shipped plain orders at `rows`."""
    world = out.world
    policy, code = world.policy, world.books.codes
    f = out.facts(rows)
    step = np.zeros(len(rows), dtype=np.int32)

    def emit(mask: np.ndarray, time: np.ndarray, event: np.ndarray | int) -> None:
        chosen = event[mask] if isinstance(event, np.ndarray) else event
        out.events(rows[mask], time[mask], chosen, step[mask].copy())
        step[mask] += 1

    everyone = np.ones(len(rows), dtype=bool)
    emit(everyone, shipped, code["ship", "paid", "shipped", S])
    # shipped: tracking shows (listed before the arrival, so it wins a tie), then arrival;
    # a parcel customs holds (L7) is held on the way (the hold wins a tie with tracking)
    # and released (the release wins a tie), and tracking may show before, during or after
    tracked_at = fired_at(shipped + f["tracking_lag"], shipped)
    tracked = tracked_at <= arrives
    customs = f["customs"]
    hold_at = shipped + f["customs_at_share"] * f["transit"]
    release_at = hold_at + f["customs_days"]
    before, during = tracked_at < hold_at, tracked_at < release_at
    on_the_way = code["tracking_update", "shipped", "shipped", C]
    emit(tracked & (~customs | before), tracked_at, on_the_way)
    emit(customs, hold_at, code["customs_hold", "shipped", "in_customs", C])
    emit(customs & ~before & during, tracked_at,
         code["tracking_update", "in_customs", "in_customs", C])  # fmt: skip
    emit(customs, release_at, code["customs_release", "in_customs", "shipped", C])
    emit(customs & ~during & tracked, tracked_at, on_the_way)
    clock = np.where(tracked, tracked_at, shipped)
    arrived = fired_at(arrives, clock)
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
    holding_ends = moments(deadlines.collection_deadline(on(collection_started_at=arrived), policy))
    collect_at = arrived + f["collect_delay"]
    collected = post & f["collects"] & (collect_at < holding_ends)
    uncollected = post & ~collected
    collected_at = fired_at(collect_at, arrived)
    emit(collected, collected_at, code["collect_parcel", "awaiting_collection", "delivered", B])
    unclaimed_at = fired_at(holding_ends, arrived)
    emit(
        uncollected,
        unclaimed_at,
        code["collection_period_ends", "awaiting_collection", "finished_uncollected", P],
    )
    delivered = ~uncollected
    delivered_at = np.where(collected, collected_at, arrived)
    # delivered: the buyer confirms, unless protection has run out (L9, L11)
    confirm_at = delivered_at + f["confirm_delay"]
    confirms = f["confirms"] & (confirm_at < protection_ends)
    completed_at = fired_at(np.where(confirms, confirm_at, protection_ends), delivered_at)
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
    window_ends = moments(deadlines.completion_window_end(on(completed_at=completed_at), policy))
    finished_at = fired_at(window_ends, completed_at)
    emit(delivered, finished_at, code["completion_window_closes", "completed", "finished", P])

    n = len(rows)
    closed_at = np.where(uncollected, unclaimed_at, finished_at)
    out.orders(
        rows, np.full(n, fb.SMOOTH), closed_at, truth=np.full(n, int(Truth.OK)),
        final_state=np.where(uncollected, STATE_CODE["finished_uncollected"],
                             STATE_CODE["finished"]),
        refunded=np.zeros(n, dtype=np.int64), released=f["price"],
        buyer_costs=np.zeros(n, dtype=np.int64), asked_at=np.full(n, NAN),
        shipped_at=shipped, delivered_at=np.where(delivered, delivered_at, NAN),
        protection_ends_at=protection_ends, refund_at=np.full(n, NAN),
        credited_at=np.full(n, NAN),
    )  # fmt: skip
