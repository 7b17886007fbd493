"""The seller's answer to a dispute: it agrees, rejects with a counter-offer or without, or
stays silent until the deadline (D7, D8); the parcel may show up first (D12).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from machine import deadlines
from sim.world.behaviour.actors import P, S
from sim.world.behaviour.facts import AGREE, COUNTER, REJECT, SILENT
from sim.world.engines.settled import dispute
from sim.world.engines.settled.states import INF, OK, OTHER, RETURN
from sim.world.engines.timetable import earliest, moments, on, timer_wins

if TYPE_CHECKING:
    from sim.world.engines.settled.walked import Walked


def dispute_open(w: Walked, at: np.ndarray) -> None:
    """The seller agrees, rejects (with a counter-offer or without), or the silence
    runs out (D7, D8); the parcel shows up (D12); an escalation or the team's timer
    first: not followed."""
    f, policy = w.f, w.policy
    request_at = w.at["opened"][at]
    late, what = dispute.late_parcel(w, at)
    answer = f["answer1"][at]
    contests = (w.truth[at] == OK) & f["contests_fine_goods"][at]
    answer = np.where(((answer == COUNTER) | (answer == SILENT)) & contests, REJECT, answer)
    answered = request_at + f["answer_delay1"][at] * policy.seller_response_days
    seller = np.where(answer == SILENT, INF, answered)
    opened = on(opened_at=request_at, seller_answered_at=None, seller_responded=False)
    opens = deadlines.manual_escalation_opens(opened, policy)
    wanted = request_at + f["escalation_delay"][at]
    escalation = dispute.escalation(w, at, opens, wanted)
    which, time = earliest(late, seller, escalation)
    deadline = moments(deadlines.seller_deadline(on(request_at=request_at), policy))
    silence = policy.seller_silence == "refund"  # guards.silence_means_refund (D7)
    timer = timer_wins(deadline, time) if silence else np.zeros(len(at), dtype=bool)
    time = np.where(timer, deadline, time)
    auto = moments(deadlines.auto_escalation(on(opened_at=request_at), policy))
    agrees = (which == 1) & (answer == AGREE)
    offer = np.maximum(1, np.rint(f["offer_share"][at] * w.asked[at])).astype(np.int64)
    counters = ~timer & (which == 1) & (answer == COUNTER) & (offer <= f["price"][at])
    rejects = ~timer & (which == 1) & (answer == REJECT)
    offer = np.where(rejects, 0, offer)  # a rejection offers nothing
    counters |= rejects
    parcel = ~timer & (which == 0) & (what != OTHER)
    back = timer_wins(auto, time) | ~(timer | agrees | counters | parcel)
    w.hand_back(at[back])
    keep = ~back
    dispute.parcel_during_dispute(w, at[keep & parcel], time[keep & parcel], what[keep & parcel])
    keep &= ~parcel
    at, time, timer, counters, offer = (v[keep] for v in (at, time, timer, counters, offer))
    rejects = w.fire(at[counters], time[counters], "seller_rejects", S, "negotiating",
                     {"amount": offer[counters]})  # fmt: skip
    w.at["answered"][at[counters]] = rejects  # actions.record_seller_answer
    w.amount[at[counters]] = offer[counters]
    at, time, timer = at[~counters], time[~counters], timer[~counters]
    returns = w.kind[at] == RETURN
    for chosen, trigger, actor in ((timer, "seller_deadline", P), (~timer, "seller_agrees", S)):
        refunds = chosen & ~returns
        refund = w.fire(at[refunds], time[refunds], trigger, actor, "refund_clearing")
        w.at["refund"][at[refunds]] = refund  # actions.refund_requested
        agreed = chosen & returns
        agree = w.fire(at[agreed], time[agreed], trigger, actor, "awaiting_return")
        w.at["return_agreed"][at[agreed]] = agree  # actions.record_return_agreed
