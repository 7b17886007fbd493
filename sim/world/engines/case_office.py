"""The case team at work: one queue of escalated cases, officers reviewing them, and the
award that truth, evidence and noise decide (E1-E4).

The team's parameters are `sim.world.behaviour.team.CaseTeam`; this is what the team does with them
in a run: it takes a case from the queue, reviews it for the days its facts say (longer in
the sales season), then asks for evidence once or decides, and keeps the log of its queue
and busy officers that the run's queue table and the team's figures are read from.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import numpy as np
import simpy
from scipy import special

from machine.order import Party
from machine.policy import Policy
from sim.world.behaviour import actors
from sim.world.behaviour.actors import Move
from sim.world.behaviour.team import CaseTeam
from sim.world.behaviour.worldorder import WorldOrder
from sim.world.engines.clock import Clock
from sim.world.records.recorder import Columns
from sim.world.records.truth import Truth

TEAM_COLUMNS = {"time": "d", "queue": "q", "busy": "q"}


class CaseOffice:
    """The case team of one run: its officers (a SimPy resource), its queue and its log."""

    def __init__(
        self,
        env: Clock,
        team: CaseTeam,
        policy: Policy,
        in_peak: Callable[[float], bool],
        fire: Callable[[WorldOrder, Move, float], None],
    ) -> None:
        """`fire` passes the team's move to the machine (the marketplace's own)."""
        self.env, self.params, self.policy = env, team, policy
        self.in_peak, self.fire = in_peak, fire
        self.officers = simpy.Resource(env, capacity=team.capacity)
        self.log = Columns(TEAM_COLUMNS)  # the team's state after every change
        self.waiting = 0
        self.busy_days = 0.0
        self.reviews = 0

    def review(self, order: WorldOrder) -> Generator[simpy.Event, None, None]:
        """A case officer reviews the case, then asks for evidence or decides (E1, E3, E4)."""
        f, team, env = order.facts, self.params, self.env
        appeal = order.state == "appeal_review"
        second = order.evidence_requested_at is not None
        request = self.officers.request()
        queued = env.now
        self._changed(waiting=+1)
        yield request
        self._changed(waiting=-1)
        order.team_wait += env.now - queued
        base = f.review3 if appeal else f.review2 if second else f.review1
        work = base * (team.peak_review_factor if self.in_peak(env.now) else 1.0)
        yield env.at(env.now + work)
        self.officers.release(request)
        self._changed()
        self.busy_days += work
        self.reviews += 1
        now = env.now
        if not appeal and not second and f.team_asks:
            party = Party.BUYER if f.team_asks_buyer else Party.SELLER
            self.fire(order, Move(now, "request_evidence", actors.T, party=party), now)
            return
        amount = self.award(order, f.noise2 if appeal else f.noise1)
        trigger = "decide_appeal" if appeal else "decide"
        if not appeal:
            order.team_decided_at = now
        self.fire(order, Move(now, trigger, actors.T, amount=amount), now)

    def _changed(self, waiting: int = 0) -> None:
        """Note the team's queue and busy officers after a request, a start or a release."""
        self.waiting += waiting
        self.log.append((self.env.now, self.waiting, self.officers.count))

    def award(self, order: WorldOrder, noise: float) -> int:
        """The team's decision: truth and the evidence gap, plus noise (E3); or, where the
        team decides by shares (a fitted scenario), the share its noise falls in.

        Where the seller's silence escalates (D7, source 000: "the dispute will
        automatically be escalated, and buyers will get the refund"), a case whose seller
        never answered is refunded as asked; so is one whose tracking number the seller
        reused on other buyers' orders, where the team checks for it (F2, L7).
        """
        f, team = order.facts, self.params
        assert order.request is not None
        asked = min(order.request.amount, order.paid - order.refunded)
        if self.policy.seller_silence == "escalate" and not order.seller_responded:
            return asked
        if self.policy.tracking_reuse_check and order.facts.reused_tracking >= 0:
            return asked  # one number on several buyers' orders: the parcel was never sent
        if team.decision_shares is not None:  # the shares a log showed, picked by the noise
            full, partial, _ = team.decision_shares
            u = float(special.ndtr(noise / team.noise))
            if u < full:
                return asked
            return max(1, round(team.partial_share * asked)) if u < full + partial else 0
        buyer = f.buyer_evidence * (
            team.false_claim_evidence_factor if order.truth is Truth.OK else 1.0
        )
        seller = 0.0 if seller_ignored_the_team(order) else f.seller_evidence
        score = (
            team.truth_weight * order.truth.problem
            + team.evidence_weight * (buyer - seller)
            + noise
        )
        if score > team.full_threshold:
            return asked
        if score > team.partial_threshold:
            return max(1, round(team.partial_share * asked))
        return 0

    def busy_case_days(self, start: float, end: float) -> float:
        """Case-days the team had in review between `start` and `end`, from its log."""
        log = self.log.peek()
        times = np.concatenate(([0.0], log["time"], [np.inf]))
        busy = np.concatenate(([0], log["busy"]))
        spans = np.clip(times[1:], start, end) - np.clip(times[:-1], start, end)
        return float((busy * spans).sum())

    def queue_columns(self, end: float) -> dict[str, np.ndarray]:
        """The team's queue and busy officers sampled every `monitor_every_days` up to `end`.

        A sample is the state after every change at or before its instant, read off the
        team's own log, so it does not depend on the order the engine woke things in.
        """
        every = self.params.monitor_every_days
        ticks = np.arange(int(end // every) + 1, dtype=np.float64) * every
        log = self.log.peek()
        # Row 0 is the empty team before any change; change k is row k + 1.
        index = np.searchsorted(log["time"], ticks, side="right")
        queue, busy = (np.concatenate(([0], log[name]))[index] for name in ("queue", "busy"))
        return {"time": ticks, "queue": queue, "busy": busy}


def seller_ignored_the_team(order: WorldOrder) -> bool:
    """Whether the team asked the seller for evidence and got none (it decides without)."""
    return (
        order.evidence_requested_at is not None
        and not order.facts.team_asks_buyer
        and not order.facts.seller_replies
    )
