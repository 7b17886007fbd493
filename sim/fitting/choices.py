"""The choices a log shows: where parcels go, what buyers ask for and how they reply, how
sellers answer, what the case team does. Each is a share of the visits (or cases) that
chose among the same options, in the order the world asks them (`sim.world.behaviour.actors`);
the masks are found once, and each bootstrap replicate only weighs them again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from machine.table import TRIGGERS
from sim.fitting.replay import STATE, Replay

MIN_CHOSEN = 20  # fewer choices than this: the share is not identified
T = {name: code for code, name in enumerate(TRIGGERS)}


@dataclass(frozen=True)
class Choice:
    """One choice: which of its chooser's (visits or cases) chose it, and their cases."""

    key: str
    chosen: np.ndarray  # bool, one per chooser
    case: np.ndarray  # the case of each chooser

    def share(self, weights: np.ndarray | None) -> float:
        """The (weighted) share who chose it (NaN: too few chose at all)."""
        if len(self.case) < MIN_CHOSEN:
            return math.nan
        w = np.ones(len(self.case)) if weights is None else weights[self.case]
        total = float(w.sum())
        return float(w[self.chosen].sum()) / total if total > 0 else math.nan


@dataclass(frozen=True)
class Ratio:
    """A typical ratio (a weighted median): an offer's share of the amount asked, say."""

    key: str
    values: np.ndarray  # sorted
    case: np.ndarray  # in the same order

    def median(self, weights: np.ndarray | None) -> float:
        if len(self.values) < MIN_CHOSEN:
            return math.nan
        w = np.ones(len(self.case)) if weights is None else weights[self.case]
        cumulative = np.cumsum(w)
        if cumulative[-1] <= 0:
            return math.nan
        return float(self.values[np.searchsorted(cumulative, cumulative[-1] / 2)])


def _among(key: str, chosen: np.ndarray, among: np.ndarray, case: np.ndarray) -> Choice:
    return Choice(key, chosen[among], case[among])


def _ratio(key: str, values: np.ndarray, case: np.ndarray) -> Ratio:
    order = np.argsort(values, kind="stable")
    return Ratio(key, values[order], case[order])


def choices(
    replay: Replay, carriers: dict[float, str] | None = None
) -> tuple[list[Choice], list[Ratio]]:
    """Every choice and typical ratio of the replayed cases; the carriers' by carrier
    where the log states each case's promised delivery (`carriers`: promise -> name)."""
    v, i, ok = replay.visits, replay.instants, replay.replayed
    cases = np.arange(replay.frame.n_cases)
    found: list[Choice] = []
    shipped = ok & ~np.isnan(i["shipped_at"])
    customs, lost = _visited(replay, "in_customs"), _visited(replay, "lost")
    post = ~np.isnan(i["collection_started_at"])
    door = ~post & ~np.isnan(i["delivered_at"])
    for name, mine in _by_carrier(replay, carriers or {}).items():
        found += [
            _among(f"market.carriers.{name}.customs_rate", customs, shipped & mine, cases),
            _among(f"market.carriers.{name}.declared_losses", lost, shipped & mine, cases),
            _among(
                f"market.carriers.{name}.post_office_rate", post, ok & mine & (post | door), cases
            ),
        ]
    disputed = ok & replay.disputed
    contacted = ~np.isnan(i["contacted_seller_at"]) & (i["contacted_seller_at"] <= i["opened_at"])
    faulty = disputed & np.isin(replay.reason, (1, 2))  # not as described, damaged
    priced = disputed & ~np.isnan(replay.asked) & (replay.price > 1)
    partial = priced & (replay.asked < replay.price)
    found += [
        _among("buyers.*.contacts_seller", contacted, disputed, cases),
        _among("buyers.*.asks_return", replay.kind == 1, faulty, cases),
        _among("buyers.*.asks_partial", partial, priced, cases),
    ]
    ratios = [
        _ratio("buyers.*.partial_share", (replay.asked / replay.price)[partial], cases[partial])
    ]
    # the seller's answer, among the answers given (the silent are the answer race's)
    requests = v.of("dispute_open") & ok[v.case]
    agree = v.exit == T["seller_agrees"]
    reject = v.exit == T["seller_rejects"]
    counter = reject & (np.nan_to_num(v.amount) > 0)
    answered = requests & (agree | reject)
    found += [
        _among("answer.agrees", agree, answered, v.case),
        _among("answer.rejects", reject & ~counter, answered, v.case),
        _among("answer.counter_offers", counter, answered, v.case),
    ]
    asked = replay.asked[v.case]
    offers = requests & counter & ~np.isnan(asked)
    ratios.append(_ratio("sellers.*.offer_share", (v.amount / asked)[offers], v.case[offers]))
    # the buyer's reply to a rejection, in the order the world asks: accept the offer, else
    # modify the request, else give up or wait for the case team (the parcel showing up,
    # which ends some disputes whatever the buyer wanted, is left out)
    negotiating = v.of("negotiating") & ok[v.case] & ~_parcel_shown(replay) & ~np.isnan(v.left)
    accepted, modified = v.exit == T["accept_offer"], v.exit == T["modify_request"]
    rest = negotiating & ~accepted
    found += [
        _among("buyers.*.accepts_offer", accepted, negotiating & _entered_with_offer(v), v.case),
        _among("buyers.*.modifies_request", modified, rest, v.case),
        _among("buyers.*.gives_up", v.exit == T["cancel_dispute"], rest & ~modified, v.case),
    ]
    # the team: evidence asked for, decisions (by amount), appeals of a decision lost
    first_review = v.of("escalated") & ok[v.case] & _first_of_case(v, "escalated")
    done = first_review & np.isin(v.exit, [T["decide"], T["request_evidence"]])
    decisions = v.of("escalated") & (v.exit == T["decide"]) & ok[v.case] & ~np.isnan(v.amount)
    lost_decision = v.of("decided") & ok[v.case] & _entered_losing(v, replay)
    appealed = lost_decision & np.isin(v.exit, [T["file_appeal"], T["decision_final"]])
    found += [
        _among("team.asks_evidence", v.exit == T["request_evidence"], done, v.case),
        _among("team.decision_shares.0", v.amount >= asked - 0.5, decisions, v.case),
        _among("team.decision_shares.2", v.amount <= 0, decisions, v.case),
        _among("buyers.*.appeals", v.exit == T["file_appeal"], appealed, v.case),
    ]
    return found, ratios


def _by_carrier(replay: Replay, carriers: dict[float, str]) -> dict[str, np.ndarray]:
    """The cases of each carrier, told apart by the delivery time the log says was
    promised; all as one (`*`) where the log says none, or names no carrier's."""
    promised = replay.frame.cases["promised"]
    found = {name: promised == days for days, name in carriers.items()}
    found = {name: mine for name, mine in found.items() if mine.any()}
    return found or {"*": np.ones(replay.frame.n_cases, dtype=bool)}


def weigh(
    found: list[Choice], ratios: list[Ratio], answers: float, weights: np.ndarray | None
) -> dict[str, float]:
    """Every choice's share and every ratio, on the cases weighted by `weights`; the
    seller's answers as shares of all requests, the silent (1 - `answers`) apart."""
    shares = {c.key: c.share(weights) for c in found}
    shares.update({r.key: r.median(weights) for r in ratios})
    for name in ("agrees", "rejects", "counter_offers"):
        shares[f"sellers.*.{name}"] = answers * shares.pop(f"answer.{name}")
    full, none = shares["team.decision_shares.0"], shares["team.decision_shares.2"]
    shares["team.decision_shares.1"] = max(0.0, 1.0 - full - none)
    return {key: value for key, value in shares.items() if not math.isnan(value)}


def _visited(replay: Replay, state: str) -> np.ndarray:
    """Whether each case went through `state`."""
    v = replay.visits
    found = np.zeros(replay.frame.n_cases, dtype=bool)
    found[v.case[v.of(state)]] = True
    return found


def _parcel_shown(replay: Replay) -> np.ndarray:
    """Whether the parcel had shown up during the dispute by the time each visit ended."""
    v = replay.visits
    shown = replay.instants["delivered_during_dispute_at"][v.case]
    left = np.where(np.isnan(v.left), replay.end, v.left)
    return ~np.isnan(shown) & (shown <= left)


def _before(v: Any) -> np.ndarray:
    """Each visit's previous visit of the same case (-1: none)."""
    before = np.r_[-1, np.arange(len(v.case) - 1)]
    same = np.r_[False, v.case[1:] == v.case[:-1]]
    return np.where(same, before, -1)


def _entered_with_offer(v: Any) -> np.ndarray:
    """Whether each visit was entered by a rejection that offered something."""
    before = _before(v)
    at = np.maximum(before, 0)
    return (before >= 0) & (v.exit[at] == T["seller_rejects"]) & (np.nan_to_num(v.amount[at]) > 0)


def _entered_losing(v: Any, replay: Replay) -> np.ndarray:
    """Whether each visit was entered by a decision that gave less than asked."""
    before = _before(v)
    at = np.maximum(before, 0)
    decided = np.isin(v.exit[at], [T["decide"], T["decide_appeal"]])
    asked = replay.asked[v.case]
    return (before >= 0) & decided & (np.nan_to_num(v.amount[at]) < asked - 0.5)


def _first_of_case(v: Any, state: str) -> np.ndarray:
    """Whether each visit is its case's first in `state`."""
    first = np.zeros(len(v.case), dtype=bool)
    rows = np.flatnonzero(v.state == STATE[state])
    _, where = np.unique(v.case[rows], return_index=True)
    first[rows[where]] = True
    return first
