"""The races a log shows: in a state, one actor's time to act against everything else that
may end the state first (other actors, the policy's deadlines, the log's end).

Each race is data: the states it runs in, the triggers that are its actor acting, the
instant its clock starts (the state's entry, or an instant the order recorded, such as the
request the seller answers), the moment the policy lets the actor act at all (an actor
seen acting exactly then had wanted to before: left-censored), the deadline lever that
raced it (for the timing assumption of a counterfactual), whether some actors never act
(a cure share: a buyer who never confirms), and the fitted delay and profile field it
gives the world. `observations` turns the replayed visits into a `Sample`: an actor seen
acting is an exact time; one overtaken by anything else, a deadline above all, is
right-censored at that moment, never a separate probability.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from machine.table import TRIGGERS
from sim.fitting.families import EXACT, LEFT, RIGHT, Sample
from sim.fitting.replay import STATE, Replay

TIE = 1e-6  # days: an action this close to the moment it was allowed came at that moment


@dataclass(frozen=True)
class Race:
    """One actor's time to act in `states` (see the module's docstring)."""

    name: str  # the fitted delay (sim.world.behaviour.fitted.DELAYS)
    states: tuple[str, ...]
    acts: tuple[str, ...]
    doc: str
    anchors: dict[str, str] = field(default_factory=dict)  # state -> instant its clock starts
    opens: str | None = None  # instant the policy lets the actor act (left-censoring)
    lever: str | None = None  # the deadline lever that raced it
    spell: bool = False  # consecutive visits of `states` are one race, from the first entry
    cure: tuple[str, str] | None = None  # (profiles, field): the chance that the actor acts
    never: bool = False  # some never act, though no field of the world says how many
    unit: str = "days"  # what its times count: days, or a share of the promised delivery
    by_carrier: bool = False  # fitted for each carrier the log tells apart (by its promise)

    @property
    def side(self) -> str:
        return self.cure[0] if self.cure else ""


RACES: tuple[Race, ...] = (
    Race(
        "handling",
        ("paid", "cancel_requested"),
        ("ship",),
        "payment to shipment, raced by the handling deadline and cancellations (L1, L2, L4)",
        lever="handling_days",
        spell=True,
    ),
    Race(
        "cancel",
        ("paid",),
        ("cancel_order",),
        "payment to a cancellation request, raced by the shipment (L2)",
        cure=("buyers", "cancels"),
    ),
    Race(
        "cancel_answer",
        ("cancel_requested",),
        ("seller_accepts_cancellation",),
        "a cancellation request to the seller's acceptance, raced by its processing (L2)",
        cure=("sellers", "accepts_cancellation"),
    ),
    Race("customs", ("in_customs",), ("customs_release",), "a customs hold (L7)", by_carrier=True),
    Race(
        "collect",
        ("awaiting_collection",),
        ("collect_parcel",),
        "the post office's notice to the collection, raced by its holding time (L8)",
        lever="collection_days",
        cure=("buyers", "collects_parcel"),
    ),
    Race(
        "confirm",
        ("delivered",),
        ("confirm_receipt",),
        "delivery to the buyer's confirmation, raced by protection's end and claims (L11)",
        cure=("buyers", "confirms_receipt"),
    ),
    Race(
        "answer",
        ("dispute_open",),
        ("seller_agrees", "seller_rejects"),
        "a request to the seller's answer, raced by the answer deadline, escalation and the "
        "parcel (D7, D8)",
        anchors={"dispute_open": "request_at"},
        lever="seller_response_days",
        cure=("sellers", "answers"),
    ),
    Race(
        "escalation",
        ("dispute_open", "negotiating"),
        ("escalate",),
        "a request (or the seller's answer) to the buyer's escalation by hand, raced by the "
        "seller, the timers and the parcel (D9, D10)",
        anchors={"dispute_open": "request_at", "negotiating": "answered_at"},
        opens="escalation_opens",
        cure=("buyers", "escalates"),
    ),
    Race(
        "return",
        ("awaiting_return",),
        ("ship_return",),
        "an agreed return to its shipment, raced by the return deadline (D11); some buyers "
        "never ship (the postage is more than they will pay)",
        lever="return_ship_days",
        never=True,
    ),
    Race(
        "return_confirmation",
        ("return_in_transit",),
        ("seller_confirms_return",),
        "a return's shipment to the seller's confirmation, raced by its deadline (D11)",
        lever="return_confirm_days",
    ),
    Race(
        "reply",
        ("awaiting_evidence",),
        ("submit_evidence",),
        "the team's evidence request to the reply, raced by the evidence deadline (E1, E2)",
        lever="evidence_days",
    ),
)
"""The races fitted from visits (the parcel's transit and the team's reviews are read from
the cases and from the team's queue: `sim.fitting.fit`)."""


def observations(replay: Replay, race: Race) -> Sample | None:
    """The race's observations in the replayed cases (None: the log has none)."""
    v = replay.visits
    usable = replay.replayed[v.case] & v.of(*race.states)
    rows = np.flatnonzero(usable)
    if not len(rows):
        return None
    entered, left, exit_ = v.entered[rows], v.left[rows], v.exit[rows]
    if race.spell:  # a visit that continues the one before it joins it
        codes = [STATE[s] for s in race.states]
        previous = np.r_[-1, rows[:-1]]
        joins = (
            (previous >= 0)
            & (v.case[previous] == v.case[rows])
            & np.isin(v.dest[np.maximum(previous, 0)], codes)
            & (previous == rows - 1)
        )
        first = np.flatnonzero(~joins)
        last = np.r_[first[1:], len(rows)] - 1
        entered, left, exit_ = entered[first], left[last], exit_[last]
        rows = rows[first]
    start = entered.copy()
    for state, instant in race.anchors.items():
        here = v.state[rows] == STATE[state]
        start = np.where(here, v.since[instant][rows], start)
    stop = np.where(np.isnan(left), replay.end, left)
    times = stop - start
    keep = ~np.isnan(start) & (times >= -TIE)
    acted = np.isin(exit_, [TRIGGERS.index(t) for t in race.acts])
    kind = np.where(acted, EXACT, RIGHT)
    if race.opens is not None:  # acted the moment the policy let them: wanted to before
        opens = v.since[race.opens][rows]
        at_opening = acted & (np.abs(stop - opens) <= TIE) & (opens > start + TIE)
        kind = np.where(at_opening, LEFT, kind)
    rows, times, kind = rows[keep], times[keep], kind[keep]
    if not len(rows):
        return None
    return Sample.of(times, kind, v.case[rows])
