"""The walk's rounds: every order still walking moves on in the phase of its state, phase
after phase, until each has ended or been handed back."""

from __future__ import annotations

import numpy as np

from sim.world.engines.settled import answer, claims, payout, reply, returns, transport
from sim.world.engines.settled.states import (
    AWAITING_RETURN,
    CLEARING,
    CLOSED,
    COLLECTION,
    COMPLETED,
    DELIVERED,
    IN_CUSTOMS,
    LOST,
    NEGOTIATING,
    OPEN,
    PAID,
    REFUNDED,
    RETURN_TRANSIT,
    SHIPPED,
    among,
)
from sim.world.engines.settled.walked import Walked

PHASES = (
    ((PAID,), transport.paid),
    ((SHIPPED, IN_CUSTOMS, LOST), transport.transport),
    ((COLLECTION,), transport.awaiting_collection),
    ((DELIVERED,), claims.delivered),
    ((COMPLETED,), claims.completed),
    ((OPEN,), answer.dispute_open),
    ((NEGOTIATING,), reply.negotiating),
    ((AWAITING_RETURN,), returns.awaiting_return),
    ((RETURN_TRANSIT,), returns.return_in_transit),
    ((CLEARING, REFUNDED), payout.payout),
    ((CLOSED,), payout.closed),
)
"""Each phase's states and its move, in the order of an order's life."""


class Walk(Walked):
    """The orders being walked, walked to their end."""

    def run(self) -> np.ndarray:
        """Walk every order to its end or hand it back; which ones ended here.

        Orders do not touch each other, and hardly any move goes back to an earlier phase
        of the order (transport, collection, delivery, completion, dispute, payout), so
        each phase is walked to its end before the next begins; the phases are walked
        again while any order is left."""
        inside = [(among(states), move) for states, move in PHASES]
        while self.walking.any():  # again, for the few a cancelled dispute sends back (D13)
            for states_in, move in inside:
                while True:
                    going = np.flatnonzero(self.walking)
                    going = going[states_in[self.state[going]]]
                    if not len(going):
                        break
                    move(self, going)
        return ~self.handed_back
