"""The buyer's claim: a parcel that never came, or goods that came wrong (or said to), from
delivery to the end of the post-completion window; the message to the seller first, for a
buyer who writes, then the dispute (D1-D6, L9, L11).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from machine import deadlines
from sim.world.behaviour.actors import B, P
from sim.world.engines.settled.states import (
    COMPLETED,
    DAMAGED,
    DAMAGED_GOODS,
    INF,
    NOT_AS_DESCRIBED,
    NOT_RECEIVED,
    OK,
    REFUND_ONLY,
    RETURN,
    WRONG_GOODS,
)
from sim.world.engines.timetable import earliest, moments, on, timer_wins

if TYPE_CHECKING:
    from sim.world.engines.settled.walked import Walked


def _goods_claim_time(w: Walked, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """When and why the buyer complains about delivered goods (INF: never), as
    `actors._goods_claim_time` says: real faults, or a false claim."""
    delivered, reason = w.at["delivered"][at], complaints(w, at)
    complains = (reason >= 0) & ~np.isnan(delivered) & np.isnan(w.at["opened"][at])
    return np.where(complains, delivered + w.f["notice"][at], INF), reason


def complaints(w: Walked, at: np.ndarray) -> np.ndarray:
    """Why each buyer would complain about the goods delivered (-1: not, or too late to
    bother, `misses_window`): a real fault, or a false claim."""
    f, truth = w.f, w.truth[at]
    false_reason = np.where(f["false_not_received"][at], NOT_RECEIVED, NOT_AS_DESCRIBED)
    reason = np.select(
        [truth == DAMAGED_GOODS, truth == WRONG_GOODS, (truth == OK) & f["false_claim"][at]],
        [DAMAGED, NOT_AS_DESCRIBED, false_reason],
        default=-1,
    )
    return np.where(f["misses_window"][at] & (truth != OK), -1, reason)


def _goods_claim(w: Walked, at: np.ndarray, complains: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The buyer's claim about the goods from the current state, who would complain at
    `complains` (`_goods_claim_time`): its time (INF: none), and whether it is the
    message to the seller (D1-D6)."""
    opens, closes = _dispute_window(w, at)
    when = np.maximum(np.maximum(complains, opens), w.clock[at])
    claims = (complains < INF) & (when < closes)
    time, contact = _claim(w, at, when)
    return np.where(claims, time, INF), contact


def delivered(w: Walked, at: np.ndarray) -> None:
    """Delivered: the buyer complains or confirms; protection may run out (L9, L11, D1)."""
    f = w.f
    complains, reason = _goods_claim_time(w, at)
    claim, contact = _goods_claim(w, at, complains)
    confirm_at = w.at["delivered"][at] + f["confirm_delay"][at]
    confirms = f["confirms"][at] & (complains > confirm_at)
    which, time = earliest(claim, np.where(confirms, confirm_at, INF))
    expires = timer_wins(w.at["protection_ends"][at], time)
    w.protection_expires(at[expires], w.at["protection_ends"][at[expires]])
    claims = ~expires & (which == 0)
    _goods_claimed(w, at[claims], time[claims], contact[claims], reason[claims])
    confirm = ~expires & (which == 1)
    completed = w.fire(at[confirm], time[confirm], "confirm_receipt", B, "completed")
    w.at["completed"][at[confirm]] = completed


def completed(w: Walked, at: np.ndarray) -> None:
    """Completed, the seller paid: a claim within the post-completion window, or the
    window closes (L11)."""
    complains, reason = _goods_claim_time(w, at)
    claim, contact = _goods_claim(w, at, complains)
    done = on(completed_at=w.at["completed"][at])
    closes = moments(deadlines.completion_window_end(done, w.policy))
    timer = timer_wins(closes, claim)
    w.fire(at[timer], closes[timer], "completion_window_closes", P, "finished")
    claims = ~timer
    _goods_claimed(w, at[claims], claim[claims], contact[claims], reason[claims])


def _goods_claimed(
    w: Walked, at: np.ndarray, time: np.ndarray, contact: np.ndarray, reason: np.ndarray
) -> None:
    """A claim about the goods: a return and refund when they are faulty and the
    buyer wants to send them back, else a refund only (D1, D11)."""
    faulty = reason != NOT_RECEIVED
    kind = np.where(faulty & w.f["asks_return"][at], RETURN, REFUND_ONLY)
    claimed(w, at, time, contact, reason, kind)


def _dispute_window(w: Walked, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """When a dispute may be opened from each order's state (D3, D4, L11)."""
    ends = w.at["protection_ends"][at]
    timing = on(shipped_at=w.at["shipped"][at], promised_days=w.f["promised"][at],
                 completed_at=None, protection_ends_at=ends)  # fmt: skip
    opens = moments(deadlines.dispute_opens(timing, w.policy))
    closes = moments(deadlines.dispute_closes(timing, w.policy))
    done = on(completed_at=w.at["completed"][at])
    after = moments(deadlines.completion_window_end(done, w.policy))
    completed = w.state[at] == COMPLETED
    return opens, np.where(completed, after, closes)


def not_received(w: Walked, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """When the buyer who waited in vain claims (INF: never), and whether it is the
    message to the seller first (D1, D2); as `actors._not_received_claim` proposes."""
    f = w.f
    wanted = w.at["shipped"][at] + f["promised"][at] + f["patience"][at]
    opens, closes = _dispute_window(w, at)
    latest = np.minimum(wanted, closes - f["last_minute"][at])
    when = np.maximum(np.maximum(opens, latest), w.clock[at])
    claims = ~f["misses_window"][at] & (w.arrives[at] > wanted) & (when < closes)
    claims &= np.isnan(w.at["opened"][at])  # the buyer makes one claim
    time, contact = _claim(w, at, when)
    return np.where(claims, time, INF), contact


def _claim(w: Walked, at: np.ndarray, when: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The claim's first move at `when`: the message to the seller, earlier, if the
    buyer writes first and has not yet (actors._claim)."""
    f = w.f
    contact = f["contacts"][at] & np.isnan(w.at["contacted"][at])
    first = np.maximum(np.maximum(when - f["contact_lead"][at], w.at["shipped"][at]),
                       w.clock[at])  # fmt: skip
    return np.where(contact, first, when), contact


def claimed(
    w: Walked,
    at: np.ndarray,
    time: np.ndarray,
    contact: np.ndarray,
    reason: np.ndarray | int,
    kind: np.ndarray | int = REFUND_ONLY,
) -> None:
    """Fire the claim's move: the message to the seller, or the dispute."""
    why = np.broadcast_to(np.asarray(reason), at.shape)
    what = np.broadcast_to(np.asarray(kind), at.shape)
    wrote = w.fire(at[contact], time[contact], "contact_seller", B)
    w.at["contacted"][at[contact]] = wrote
    at, time, why, what = at[~contact], time[~contact], why[~contact], what[~contact]
    price = w.f["price"][at]
    share = w.f["partial_share"][at]
    asked = np.where(w.f["partial"][at], np.rint(price * share), price)
    amount = np.maximum(1, asked).astype(np.int64)
    back = amount > price  # the machine would refuse it (D5): not this path's to say why
    w.hand_back(at[back])
    at, time, amount = at[~back], time[~back], amount[~back]
    why, what = why[~back], what[~back]
    payload = {"amount": amount, "reason": why, "kind": what}
    opened = w.fire(at, time, "open_dispute", B, "dispute_open", payload)
    w.at["opened"][at] = opened
    w.asked[at], w.amount[at], w.reason[at], w.kind[at] = amount, amount, why, what
