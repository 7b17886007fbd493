"""What may happen while a dispute is open, whoever's turn it is: the parcel showing up
after all and the honest buyer cancelling (D12, D13), and the buyer escalating by hand (D9),
which the walk does not follow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.world.behaviour.actors import B, C
from sim.world.engines.settled.states import CANCELS, FAULTY, INF, OTHER, SHOWS
from sim.world.engines.timetable import fired_at

if TYPE_CHECKING:
    from sim.world.engines.settled.walked import Walked


def parcel_during_dispute(w: Walked, at: np.ndarray, time: np.ndarray, what: np.ndarray) -> None:
    """Tracking shows the parcel delivered after all; the honest buyer then cancels
    the dispute, back to the goods in hand, or to the end if protection is over (D12,
    D13)."""
    shows = what == SHOWS
    shown = w.fire(at[shows], time[shows], "tracking_shows_delivered", C)
    w.at["delivered"][at[shows]] = w.at["shown"][at[shows]] = shown
    dispute_cancelled(w, at[~shows], time[~shows])


def dispute_cancelled(w: Walked, at: np.ndarray, time: np.ndarray) -> None:
    """The buyer cancels the dispute (the goods came after all, or a false claim is
    given up): the seller is paid if protection is over (the order completed, or its
    protection ran out), else back to the goods in hand, or to the parcel still awaited
    (D13; the table's rows in their order)."""
    when = fired_at(time, w.clock[at])
    over = ~np.isnan(w.at["completed"][at]) | (when >= w.at["protection_ends"][at])
    delivered = ~over & ~np.isnan(w.at["delivered"][at])
    awaited = ~over & ~delivered
    for chosen, dest in ((over, "finished"), (delivered, "delivered"), (awaited, "shipped")):
        w.fire(at[chosen], when[chosen], "cancel_dispute", B, dest)


def escalation(w: Walked, at: np.ndarray, opens: float | None, wanted: np.ndarray) -> np.ndarray:
    """When the buyer would escalate by hand, from the moment it opens (None: never)
    and the one the buyer wants; the buyer may give up waiting for it
    (actors._manual_escalation), which the walk counts as escalating: it hands back."""
    if opens is None:
        return np.full(len(at), INF)
    return np.where(w.f["escalates"][at], np.maximum(opens, wanted), INF)


def late_parcel(w: Walked, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What tracking and the buyer do about a parcel that had not come when the
    dispute opened (D12), as `actors._late_parcel` proposes: when, and which (`SHOWS`
    it delivered; the honest buyer `CANCELS`; faulty goods change the reason, `OTHER`,
    which the walk does not follow); INF: nothing, as for a dishonest buyer."""
    f = w.f
    undelivered = np.isnan(w.at["delivered"][at])
    waiting = np.isnan(w.at["collection_started"][at]) | f["collects"][at]
    shows = undelivered & waiting & (w.arrives[at] < INF)
    shown = w.at["shown"][at]
    react = shown + f["step"][at]
    faulty = FAULTY[w.truth[at]]
    reacts = ~np.isnan(shown) & (faulty | ~f["false_claim"][at])
    time = np.where(shows, w.arrives[at], np.where(reacts, react, INF))
    what = np.where(shows, SHOWS, np.where(faulty, OTHER, CANCELS))
    return time, what
