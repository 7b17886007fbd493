"""The money and the end: the bank credits the refund (P1), goods that come after it and
the honest buyer's repayment (P3), and a buyer who lost turning to support (E5).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from machine import deadlines
from machine.calendar import add_business_days_array
from sim.world.behaviour.actors import B, C, K, clearing_days
from sim.world.engines.settled.states import CLEARING, INF
from sim.world.engines.timetable import earliest

if TYPE_CHECKING:
    from sim.world.engines.settled.walked import Walked


def payout(w: Walked, at: np.ndarray) -> None:
    """The bank credits the refund (P1); goods that come after it, and the honest
    buyer's repayment (P3); a refunded order with neither is done."""
    f, policy, weekday = w.f, w.policy, w.world.epoch_weekday
    refund_at = w.at["refund"][at]
    days = clearing_days(policy, f["bank_u"][at])  # as actors.refund_clearing
    credit = np.maximum(
        add_business_days_array(refund_at, days, weekday),
        deadlines.bank_credit_earliest_many(refund_at, False, policy, weekday),
    )
    credit = np.where(w.state[at] == CLEARING, credit, INF)
    known = ~np.isnan(w.at["late_goods"][at])
    comes = ~known & np.isnan(w.at["delivered"][at]) & (w.arrives[at] < INF)
    repays = known & f["repays"][at] & (w.repaid[at] == 0) & (w.amount[at] > 0)
    repay_at = w.at["late_goods"][at] + f["step"][at]
    late = np.where(comes, w.arrives[at], np.where(repays, repay_at, INF))
    which, time = earliest(credit, late)
    w.walking[at[time == INF]] = False  # refunded, nothing more to come
    bank = (which == 0) & (time < INF)
    credited = w.fire(at[bank], time[bank], "bank_credits_refund", K, "refunded")
    w.at["credited"][at[bank]] = credited
    refunded = w.amount[at[bank]]
    w.costs[at[bank]] += np.rint(refunded * policy.refund_fee_rate).astype(
        np.int64
    )  # record_credit
    goods = (which == 1) & comes
    arrived = w.fire(at[goods], time[goods], "goods_arrive_after_refund", C)
    w.at["late_goods"][at[goods]] = arrived  # actions.record_late_goods
    pays = (which == 1) & ~comes & (time < INF)
    w.fire(at[pays], time[pays], "buyer_repays_seller", B, payload={"amount": w.amount[at[pays]]})
    w.repaid[at[pays]] = w.amount[at[pays]]


def closed(w: Walked, at: np.ndarray) -> None:
    """Closed against the buyer: one who would turns to customer support (E5)."""
    turns = w.f["contacts_support"][at] & ~w.support[at]
    w.walking[at[~turns]] = False
    at = at[turns]
    w.fire(at, w.clock[at] + w.f["step"][at], "contact_support", B)
    w.support[at] = True
