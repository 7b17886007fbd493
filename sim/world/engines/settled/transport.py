"""Before a claim: the seller ships, unless the handling time runs out first; the parcel on
its way (customs, tracking, loss, the seller extending protection for a buyer who asks),
arriving at the door or the post office, and collected or left there (L1, L4-L10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import numpy as np

from machine import deadlines
from sim.world.behaviour.actors import B, C, P, S
from sim.world.engines.settled import claims
from sim.world.engines.settled.states import IN_CUSTOMS, INF, LOST, LOST_GOODS, NOT_RECEIVED
from sim.world.engines.timetable import earliest, moments, on, timer_wins

if TYPE_CHECKING:
    from sim.world.engines.settled.walked import Walked


def paid(w: Walked, at: np.ndarray) -> None:
    """The seller ships, unless the handling time runs out first (L1, L4)."""
    f, policy = w.f, w.policy
    ship_at = w.paid_at[at] + f["handling"][at]
    expires = moments(deadlines.handling_deadline(on(paid_at=w.paid_at[at]), policy))
    back = timer_wins(expires, ship_at)
    w.hand_back(at[back])
    at, ship_at = at[~back], ship_at[~back]
    shipped = w.fire(at, ship_at, "ship", S, "shipped")
    w.at["shipped"][at] = shipped
    w.at["protection_ends"][at] = shipped + policy.protection_days  # record_shipment
    held = np.where(f["customs"][at], f["customs_days"][at], 0.0)
    journey = shipped + f["transit"][at] + held  # Marketplace._dispatch_parcel
    w.arrives[at] = np.where(w.arriving[at], journey, INF)


def transport(w: Walked, at: np.ndarray) -> None:
    """On the way, held by customs, or declared lost."""
    lost = w.state[at] == LOST
    if lost.any():
        _lost(w, at[lost])
    if not lost.all():
        in_transit(w, at[~lost])


def in_transit(w: Walked, at: np.ndarray) -> None:
    """On the way, or held by customs: customs, the tracking, the carrier losing or
    delivering it, the seller extending protection, the buyer's claim; protection
    may run out first (L5-L10, D1, D2)."""
    f = w.f
    shipped, clock = w.at["shipped"][at], w.clock[at]
    held = w.state[at] == IN_CUSTOMS
    customs_at = shipped + f["customs_at_share"][at] * f["transit"][at]
    holds = ~held & f["customs"][at] & w.arriving[at] & ~w.cleared[at]
    customs = np.where(held, customs_at + f["customs_days"][at],
                       np.where(holds & (clock <= customs_at), customs_at, INF))  # fmt: skip
    tracking = np.where(w.seen[at], INF, shipped + f["tracking_lag"][at])
    declared = (w.truth[at] == LOST_GOODS) & f["declared_lost"][at]
    lost_at = np.where(declared, shipped + f["lost_declared_after"][at] * f["transit"][at], INF)
    extension, days = _extension(w, at)
    claim, contact = claims.not_received(w, at)
    which, time = earliest(customs, tracking, lost_at, w.arrives[at], extension, claim)
    expires = timer_wins(w.at["protection_ends"][at], time)
    w.protection_expires(at[expires], w.at["protection_ends"][at[expires]])
    go = ~expires
    hold, release = go & (which == 0) & ~held, go & (which == 0) & held
    w.fire(at[hold], time[hold], "customs_hold", C, "in_customs")
    w.fire(at[release], time[release], "customs_release", C, "shipped")
    w.cleared[at[release]] = True
    seen = go & (which == 1)
    w.fire(at[seen], time[seen], "tracking_update", C)
    w.seen[at[seen]] = True
    lost = go & (which == 2)
    w.fire(at[lost], time[lost], "parcel_lost", C, "lost")
    arrived = go & (which == 3)
    _arrive(w, at[arrived], time[arrived])
    extends = go & (which == 4)
    w.fire(at[extends], time[extends], "extend_protection", S, payload={"days": days[extends]})
    w.at["protection_ends"][at[extends]] += days[extends]  # actions.extend_protection
    w.extended[at[extends]] = True
    claiming = go & (which == 5)
    claims.claimed(w, at[claiming], time[claiming], contact[claiming], NOT_RECEIVED)


def _extension(w: Walked, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """When a seller asked by a buyer still waiting extends protection, and by how many
    whole days (INF: not); as `actors._extension` proposes and the machine allows."""
    f, policy = w.f, w.policy
    contacted, ends = w.at["contacted"][at], w.at["protection_ends"][at]
    order = on(shipped_at=w.at["shipped"][at], protection_ends_at=ends)
    room = cast(np.ndarray, deadlines.extension_room(order, policy))
    days = np.trunc(np.minimum(f["extension_days"][at], room))
    when = contacted + f["answer_delay1"][at] * policy.seller_response_days
    allowed = (contacted < ends) & (days > 0) & (days <= room) & (when < ends)
    asks = ~np.isnan(contacted) & f["extends"][at] & ~w.extended[at] & allowed
    return np.where(asks, when, INF), days.astype(np.int64)


def _arrive(w: Walked, at: np.ndarray, time: np.ndarray) -> None:
    """The parcel reaches the buyer's door or post office (L8, L11)."""
    post = w.f["post_office"][at]
    waits = w.fire(at[post], time[post], "arrive_at_post_office", C, "awaiting_collection")
    w.at["collection_started"][at[post]] = waits
    door = w.fire(at[~post], time[~post], "deliver", C, "delivered")
    w.at["delivered"][at[~post]] = door


def _lost(w: Walked, at: np.ndarray) -> None:
    """Declared lost: the buyer claims, unless protection runs out first (L7, D1)."""
    claim, contact = claims.not_received(w, at)
    expires = timer_wins(w.at["protection_ends"][at], claim)
    w.protection_expires(at[expires], w.at["protection_ends"][at[expires]])
    claims.claimed(w, at[~expires], claim[~expires], contact[~expires], NOT_RECEIVED)


def awaiting_collection(w: Walked, at: np.ndarray) -> None:
    """The buyer collects it, unless the holding time ends first (L8)."""
    f, policy = w.f, w.policy
    started = w.at["collection_started"][at]
    collect = np.where(f["collects"][at], started + f["collect_delay"][at], INF)
    ends = moments(deadlines.collection_deadline(on(collection_started_at=started), policy))
    timer = timer_wins(ends, collect)
    w.fire(at[timer], ends[timer], "collection_period_ends", P, "finished_uncollected")
    collected = w.fire(at[~timer], collect[~timer], "collect_parcel", B, "delivered")
    w.at["delivered"][at[~timer]] = collected
