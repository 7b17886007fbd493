"""The buyer's reply to a rejection: accepting the seller's offer, or giving up a false
claim (D8, D13); the parcel may show up first (D12).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from machine import deadlines
from sim.world.behaviour.actors import B
from sim.world.engines.settled import dispute
from sim.world.engines.settled.states import INF, OK, OTHER
from sim.world.engines.timetable import earliest, moments, on, timer_wins

if TYPE_CHECKING:
    from sim.world.engines.settled.walked import Walked


def negotiating(w: Walked, at: np.ndarray) -> None:
    """The seller rejected: the buyer accepts the offer, or gives up a false claim
    (D8, D13); the parcel shows up (D12). A modified request, an escalation or the
    team's timer first: not followed. As `actors.negotiating` proposes, in the first
    round (the walk follows no modified request, so there is no other)."""
    f, policy = w.f, w.policy
    answered, opened_at = w.at["answered"][at], w.at["opened"][at]
    respond = answered + f["step"][at]
    accepts = f["accepts_offer"][at] & (w.amount[at] > 0)
    modifies = ~accepts & f["modifies"][at] & (f["max_modifications"][at] >= 1)  # rounds: 1
    by_truth = (w.truth[at] == OK) & ~f["escalates"][at]  # a false claim (or, fitted, any)
    gives_up = (
        ~accepts & ~modifies & np.where(f["gives_up"][at] < 0, by_truth, f["gives_up"][at] == 1)
    )
    reply = np.where(accepts | modifies, respond,
                     np.where(gives_up, respond + f["step"][at], INF))  # fmt: skip
    answer = on(opened_at=opened_at, seller_answered_at=answered, seller_responded=True)
    opens = deadlines.manual_escalation_opens(answer, policy)
    wanted = answered + f["escalation_delay"][at]
    escalation = dispute.escalation(w, at, opens, wanted)
    late, what = dispute.late_parcel(w, at)
    which, time = earliest(late, reply, escalation)
    auto = moments(deadlines.auto_escalation(on(opened_at=opened_at), policy))
    parcel = (which == 0) & (what != OTHER)
    settles = (which == 1) & ~modifies & (time < INF)
    back = timer_wins(auto, time) | ~(parcel | settles)
    w.hand_back(at[back])
    keep = ~back
    dispute.parcel_during_dispute(w, at[keep & parcel], time[keep & parcel], what[keep & parcel])
    accept, give_up = keep & settles & accepts, keep & settles & gives_up
    w.at["refund"][at[accept]] = w.fire(
        at[accept], time[accept], "accept_offer", B, "refund_clearing"
    )  # actions.refund_offer
    dispute.dispute_cancelled(w, at[give_up], time[give_up])
