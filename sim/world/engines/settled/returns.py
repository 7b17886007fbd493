"""Returns: the buyer ships the goods back in time if the postage is worth it, and the
seller confirms the return, or a deadline passes (D11).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from machine import deadlines
from sim.world.behaviour.actors import B, P, S
from sim.world.engines.settled.states import INF
from sim.world.engines.timetable import moments, on, timer_wins

if TYPE_CHECKING:
    from sim.world.engines.settled.walked import Walked


def awaiting_return(w: Walked, at: np.ndarray) -> None:
    """The buyer ships the goods back in time, if the postage is worth it; else the
    deadline passes and the seller is paid (D11)."""
    f, policy = w.f, w.policy
    agreed = w.at["return_agreed"][at]
    postage = np.where(f["free_return"][at], 0, f["return_postage"][at])
    ship_at = agreed + f["return_delay"][at]
    deadline = moments(deadlines.return_ship_deadline(on(return_agreed_at=agreed), policy))
    worth = postage <= f["return_tolerance"][at] * f["price"][at]
    ships = np.where(worth & (ship_at < deadline), ship_at, INF)  # and the window is open
    timer = timer_wins(deadline, ships)
    w.fire(at[timer], deadline[timer], "return_deadline", P, "closed_against_buyer")
    at, ships, postage = at[~timer], ships[~timer], postage[~timer]
    shipped = w.fire(at, ships, "ship_return", B, "return_in_transit")
    w.at["return_shipped"][at] = shipped
    w.costs[at] += postage  # actions.record_return_shipped


def return_in_transit(w: Walked, at: np.ndarray) -> None:
    """The seller confirms the return, or its deadline passes: refund as asked (D11)."""
    f, policy = w.f, w.policy
    shipped = w.at["return_shipped"][at]
    confirm = shipped + f["return_transit"][at] + f["confirm_return"][at]
    deadline = moments(deadlines.return_confirm_deadline(on(return_shipped_at=shipped), policy))
    timer = timer_wins(deadline, confirm)
    for chosen, when, trigger, actor in (
        (timer, deadline, "return_confirm_deadline", P),
        (~timer, confirm, "seller_confirms_return", S),
    ):
        refund = w.fire(at[chosen], when[chosen], trigger, actor, "refund_clearing")
        w.at["refund"][at[chosen]] = refund  # actions.refund_requested
