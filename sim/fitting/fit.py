"""Fitting the world from a replayed log: every number with its 95% interval.

Each race (`sim.fitting.races`) is fitted by censored maximum likelihood in every family,
with a share of actors who never act where the world has such a share (a seller who never
answers, a buyer who never confirms), and the family of least AIC is kept; the log's own
curve (Kaplan-Meier) gives the delay's knots, the family its tail (`sim.fitting.knots`); the
parcel's transit is read from the cases and the team's reviews from its queue
(`sim.fitting.queue`). Choices (agree, reject or counter; accept an offer; appeal; a
return or a refund only) are shares among the actors who chose. Arrivals, prices, the
bank's clearing and, where the log names sellers, how much sellers differ, complete it.

Intervals come from a Poisson bootstrap over cases, or over sellers where the log names
them (a seller's orders are not independent witnesses): every estimate is made again on
the same reweighted cases, so that each bootstrap replicate is one whole parameter set
(kept for `compare --fit-uncertainty`). What the log cannot identify
keeps the base scenario's value and is listed as such, with the reason.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from machine.calendar import add_business_days
from machine.policy import Policy
from machine.table import TRIGGERS
from sim.fitting import families, knots
from sim.fitting.arrivals import Arrivals, fit_arrivals
from sim.fitting.choices import MIN_CHOSEN, Choice, Ratio, choices, weigh
from sim.fitting.families import EXACT, RIGHT, Fit, Sample
from sim.fitting.queue import Queue
from sim.fitting.races import RACES, Race, observations
from sim.fitting.replay import Replay
from sim.fitting.survival import kaplan_meier
from sim.world.behaviour.distributions import median
from sim.world.scenario import Scenario

MIN_SEEN = 20  # fewer times seen than this: the race is not identified
CURE_FAMILIES = ("weibull", "lognormal", "gamma", "loglogistic", "exponential")
T = {name: code for code, name in enumerate(TRIGGERS)}


@dataclass(frozen=True)
class Estimate:
    """One fitted number: its value and 95% interval, from how many observations and what
    share of them were censored."""

    key: str  # where it goes in the scenario (dotted; `*` for every profile)
    value: float
    low: float
    high: float
    n: int
    censored: float  # NaN where nothing is censored (a share, a rate)
    what: str


@dataclass
class RaceFit:
    """A race fitted: its sample, the model chosen, every candidate, the naive fit that
    ignores censoring, and the Kaplan-Meier curve it is shown against."""

    race: Race
    sample: Sample
    best: Fit
    candidates: list[Fit]
    naive: Fit
    km: tuple[np.ndarray, np.ndarray]
    theta: np.ndarray | None = None  # the parameters the best fit was found at
    inverse: np.ndarray | None = None  # the inverse information there (the bootstrap's step)


@dataclass
class LogFit:
    """Everything fitted from a log."""

    replay: Replay
    base: Scenario
    races: dict[str, RaceFit]
    estimates: list[Estimate]
    unidentified: list[tuple[str, str]]  # (what, why)
    replicates: list[dict[str, float]]  # each bootstrap replicate's values, by key
    point: dict[str, float]  # the point estimates, by key
    delays: dict[str, dict[str, Any]]  # fitted delays for the scenario: family, lever
    arrivals: Arrivals | None
    capacity: int | None

    @property
    def cases(self) -> int:
        return self.replay.frame.n_cases

    @property
    def censored_share(self) -> float:
        """The share of replayed cases still open at the log's end."""
        replayed = self.replay.replayed
        return float((self.replay.status[replayed] == 1).mean()) if replayed.any() else 0.0


def fit_log(replay: Replay, base: Scenario, *, bootstrap: int = 200, seed: int = 1) -> LogFit:
    """Fit the world from `replay` (the log replayed under the base scenario's policy)."""
    unidentified: list[tuple[str, str]] = []
    races = _choose_races(replay, base, unidentified)
    queue = _team_queue(replay)
    capacity = _capacity(queue, base, unidentified)
    review = _review_fit(queue, capacity, replay, unidentified)
    if review is not None:
        races["review"] = review
    chosen = choices(replay, {c.promised_days: c.name for c in base.market.carriers})
    point = _estimate(replay, base, races, chosen, None, capacity)
    gen = np.random.default_rng(seed)
    replicates = [
        _estimate(replay, base, races, chosen, _resampled(replay, gen), capacity)
        for _ in range(bootstrap)
    ]
    estimates = _intervals(point, replicates, replay, races)
    spread = _sellers_spread(replay)
    if spread is not None:
        value, low, high = spread
        point["population.agrees_concentration"] = value
        n = int((replay.frame.cases["seller"] >= 0).sum())
        estimates.append(
            Estimate(
                "population.agrees_concentration",
                value,
                low,
                high,
                n,
                math.nan,
                "how much sellers differ in agreeing (partial "
                "pooling; a profile-likelihood interval)",
            )
        )
    for name, why in _missing(point, replay):
        unidentified.append((name, why))
    unidentified += population_notes(replay, base)
    delays = {name: _header(fit, replay.policy) for name, fit in races.items()}
    arrivals = _arrivals(replay, base, None)
    return LogFit(
        replay, base, races, estimates, unidentified, replicates, point, delays, arrivals, capacity
    )


# --- the races --------------------------------------------------------------------------


def _header(fit: RaceFit, policy: Policy) -> dict[str, Any]:
    """A fitted delay's family and the deadline it raced, with that deadline's length under
    the log's policy (a scaling timing stretches by the lever against it)."""
    header: dict[str, Any] = {"family": fit.best.family}
    if fit.race.lever is not None:
        header["lever"] = fit.race.lever
        header["lever_days"] = float(getattr(policy, fit.race.lever))
    return header


def _choose_races(
    replay: Replay, base: Scenario, unidentified: list[tuple[str, str]]
) -> dict[str, RaceFit]:
    found = {}
    for race in RACES:
        sample = observations(replay, race)
        if sample is None or sample.seen < MIN_SEEN:
            seen = 0 if sample is None else sample.seen
            unidentified.append(
                (
                    f"fitted.delays.{race.name}",
                    f"{race.doc}: {seen} times seen in the log (at least "
                    f"{MIN_SEEN} needed); the profile's delay is kept",
                )
            )
            continue
        if race.by_carrier:
            found.update(_per_carrier(race, sample, replay, base))
        else:
            found[race.name] = _fit_race(race, sample)
    found.update(_transit(replay, base, unidentified))
    return found


def _per_carrier(race: Race, sample: Sample, replay: Replay, base: Scenario) -> dict[str, RaceFit]:
    """`race` fitted for each carrier the log tells apart by its promise and shows often
    enough (`NAME:CARRIER`), the rest together (`NAME`)."""
    promised = replay.frame.cases["promised"][sample.case]
    found = {}
    rest = np.ones(sample.size, dtype=bool)
    for carrier in base.market.carriers:
        mine = promised == carrier.promised_days
        if (sample.kind[mine] == EXACT).sum() < MIN_SEEN:
            continue
        name = f"{race.name}:{carrier.name}"
        part = Sample.of(sample.times[mine], sample.kind[mine], sample.case[mine])
        doc = f"{race.doc}, by {carrier.name}"
        found[name] = _fit_race(dataclasses.replace(race, name=name, doc=doc), part)
        rest &= ~mine
    if (sample.kind[rest] == EXACT).sum() >= MIN_SEEN:
        part = Sample.of(sample.times[rest], sample.kind[rest], sample.case[rest])
        found[race.name] = _fit_race(race, part)
    return found


SHARE_OF_PROMISE = "of the promise"


def _transit(
    replay: Replay, base: Scenario, unidentified: list[tuple[str, str]]
) -> dict[str, RaceFit]:
    """The parcel's transit: as a share of the delivery time promised where the log says
    what was promised, for each carrier whose promise it is (a carrier is known by its
    promise), else in days for all."""
    transit = _transit_sample(replay)
    if transit is None or transit.seen < MIN_SEEN:
        unidentified.append(("fitted.delays.transit", "too few parcels seen to arrive"))
        return {}
    promised = replay.frame.cases["promised"][transit.case]
    doc = (
        "shipment to the parcel's arrival{}, customs holds left out; lost parcels are not "
        "in it (L5-L8)"
    )
    if np.isnan(promised).any() or (promised <= 0).any():
        race = Race("transit", (), (), doc.format(""), never=True)
        return {"transit": _fit_race(race, transit)}
    shares = Sample.of(transit.times / promised, transit.kind, transit.case)
    carriers = {c.promised_days: c.name for c in base.market.carriers}
    found = {}
    pooled = np.ones(shares.size, dtype=bool)
    for value in np.unique(promised):
        mine = promised == value
        name = carriers.get(float(value))
        if name is None or (shares.kind[mine] == EXACT).sum() < MIN_SEEN:
            continue
        part = Sample.of(shares.times[mine], shares.kind[mine], shares.case[mine])
        key = f"transit_share:{name}"
        race = Race(
            key,
            (),
            (),
            doc.format(f" by {name} (promised {value:g} days), as a share of the promise"),
            never=True,
            unit=SHARE_OF_PROMISE,
        )
        found[key] = _fit_race(race, part)
        pooled &= ~mine
    if pooled.any() and (shares.kind[pooled] == EXACT).sum() >= MIN_SEEN:
        part = Sample.of(shares.times[pooled], shares.kind[pooled], shares.case[pooled])
        race = Race(
            "transit_share",
            (),
            (),
            doc.format(" as a share of the delivery time promised"),
            never=True,
            unit=SHARE_OF_PROMISE,
        )
        found["transit_share"] = _fit_race(race, part)
    return found


def _fit_race(race: Race, sample: Sample) -> RaceFit:
    best, candidates = families.choose(sample)
    if race.cure is not None or race.never:
        # Where some may never act, the share is always fitted (it may come out as nought):
        # choosing it in or out by AIC would leave that choice out of the bootstrap's
        # intervals, and the log cannot tell a long tail from a share who never act.
        best, more = families.choose(sample, cure=True, families=CURE_FAMILIES)
        candidates += more
    seen = sample.kind == EXACT
    naive_sample = Sample.of(sample.times[seen], sample.kind[seen], sample.case[seen])
    naive = families.fit_family(best.family, naive_sample)[0]
    cured = race.cure is not None or race.never
    best, theta = families.fit_family(best.family, sample, cure=cured)
    inverse = families.curvature(best, sample, theta)
    return RaceFit(race, sample, best, candidates, naive, kaplan_meier(sample), theta, inverse)


def _transit_sample(replay: Replay) -> Sample | None:
    """Shipment to arrival (at the door, the post office, or shown during a dispute), the
    customs holds taken out; right-censored where the case ended or the log did first.
    Parcels declared lost are left out: they never arrive (the loss rate says how often)."""
    i, v = replay.instants, replay.visits
    shipped = i["shipped_at"]
    arrived = np.fmin(
        np.fmin(i["collection_started_at"], i["delivered_at"]), i["delivered_during_dispute_at"]
    )
    lost = np.zeros(replay.frame.n_cases, dtype=bool)
    lost[v.case[v.of("lost")]] = True
    held = _held(replay)
    usable = replay.replayed & ~np.isnan(shipped) & ~lost
    end = np.where(np.isnan(replay.closed_at), replay.end, replay.closed_at)
    stop = np.where(np.isnan(arrived), end, arrived)
    times = stop - shipped - held
    kind = np.where(np.isnan(arrived), RIGHT, EXACT)
    cases = np.flatnonzero(usable & (times > 0))
    if not len(cases):
        return None
    return Sample.of(times[cases], kind[cases], cases)


def _held(replay: Replay) -> np.ndarray:
    """Each case's days held by customs."""
    v = replay.visits
    customs = v.of("in_customs")
    length = np.where(np.isnan(v.left), replay.end, v.left) - v.entered
    return np.bincount(v.case[customs], weights=length[customs], minlength=replay.frame.n_cases)


# --- the team ---------------------------------------------------------------------------


def _team_queue(replay: Replay) -> Queue:
    v = replay.visits
    stays = v.of("escalated", "appeal_review") & replay.replayed[v.case]
    order = np.argsort(v.entered[stays], kind="stable")
    rows = np.flatnonzero(stays)[order]
    return Queue(v.entered[rows], v.left[rows], v.case[rows])


def _capacity(queue: Queue, base: Scenario, unidentified: list[tuple[str, str]]) -> int | None:
    """The team's capacity: at least the most cases the log shows with it at once, and the
    base scenario's where that is more (how much more it could hold, no log can show)."""
    if len(queue.arrived) < MIN_SEEN:
        unidentified.append(
            (
                "team.staff",
                f"{len(queue.arrived)} cases reached the team "
                f"(at least {MIN_SEEN} needed); the team's size is kept",
            )
        )
        return None
    held = queue.held_at_once()
    if held <= base.team.capacity:
        unidentified.append(
            (
                "team.staff",
                f"the log shows the team holding at most {held} "
                "cases at once, within the base scenario's capacity of "
                f"{base.team.capacity}: no case is seen waiting, so the capacity "
                "is kept (only its lower bound is in the log)",
            )
        )
        return None
    return held


def _review_fit(
    queue: Queue, capacity: int | None, replay: Replay, unidentified: list[tuple[str, str]]
) -> RaceFit | None:
    """A review, read as a case's whole stay with the team (none is seen waiting)."""
    if len(queue.arrived) < MIN_SEEN:
        return None
    seen = ~np.isnan(queue.left)
    times = np.where(seen, queue.left, replay.end) - queue.arrived
    keep = times > 0
    sample = Sample.of(times[keep], np.where(seen, EXACT, RIGHT)[keep], queue.case[keep])
    race = Race(
        "review",
        ("escalated", "appeal_review"),
        (),
        "a case's stay with the team, "
        "read as its review (a wait for an officer is not in the log) (E1, E4)",
    )
    return _fit_race(race, sample)


# --- every estimate, on the log or on one bootstrap replicate -----------------------------


def _estimate(
    replay: Replay,
    base: Scenario,
    races: dict[str, RaceFit],
    chosen: tuple[list[Choice], list[Ratio]],
    drawn: Resample | None,
    capacity: int | None,
) -> dict[str, float]:
    """Every fitted number, on the cases as they are (`drawn` None) or reweighted by one
    bootstrap replicate: behaviour by the seller-clustered weights, arrivals and prices
    (which no seller drives) by the cases' own."""
    weights = None if drawn is None else drawn.behaviour
    counted = None if drawn is None else drawn.cases
    found: dict[str, float] = {}
    for name, race_fit in races.items():
        fit = race_fit.best
        if weights is not None:
            fit = _refit(race_fit, weights[race_fit.sample.case])
        found[f"fitted.delays.{name}.shape"] = fit.shape
        found[f"fitted.delays.{name}.scale"] = fit.scale
        mine = None if weights is None else weights[race_fit.sample.case]
        race = race_fit.race
        deadline = None if race.lever is None else float(getattr(replay.policy, race.lever))
        levels, curve = knots.knots(race_fit.sample, fit.cure, mine, deadline)
        for k, (level, days) in enumerate(zip(levels, curve, strict=True)):
            found[f"fitted.delays.{name}.knots.{k}"] = days
            found[f"fitted.delays.{name}.levels.{k}"] = level
        found[f"fitted.delays.{name}.median"] = median(
            fit.family, fit.shape, fit.scale, curve, levels
        )
        if deadline is not None:
            found[f"fitted.delays.{name}.by_deadline"] = knots.by(race_fit.sample, deadline, mine)
        if race.cure is not None:
            side, name_ = race.cure
            found[f"{side}.*.{name_}"] = 1.0 - fit.cure
    found.update(weigh(*chosen, found.pop("sellers.*.answers", 1.0), weights))
    arrivals = _arrivals(replay, base, counted)
    if arrivals is not None:
        found["market.orders_per_day"] = arrivals.rate
        if arrivals.peak is not None:
            found["market.peak_factor"] = arrivals.peak
        for day, factor in enumerate(arrivals.weekday or ()):
            found[f"market.weekday_factors.{day}"] = factor
    found.update(_prices(replay, counted))
    if capacity is not None:
        found["team.staff"] = float(capacity)
    if weights is None:  # the bank's range and the population's size: as the log shows them
        found.update(_bank(replay))
        found.update(_population(replay, base))
    return found


def _resampled(replay: Replay, gen: np.random.Generator) -> Resample:
    """One bootstrap replicate's weights of the cases: the Poisson bootstrap, each case
    counted Poisson(1) times (so that a count, such as the orders a day, varies as a count
    does); for behaviour, by seller where the log names sellers: a seller's orders share
    one weight, since they share one seller's ways (a bootstrap over cases would take a
    hundred orders of one seller for a hundred independent witnesses, and its intervals for
    whatever sellers do would be too narrow)."""
    n = replay.frame.n_cases
    seller = replay.frame.cases["seller"]
    cases = gen.poisson(1.0, n).astype(float)
    behaviour = cases.copy()
    named = seller >= 0
    if named.any():
        by_seller = gen.poisson(1.0, int(seller.max()) + 1).astype(float)
        behaviour[named] = by_seller[seller[named]]
    return Resample(cases, behaviour)


@dataclass(frozen=True)
class Resample:
    """One bootstrap replicate's weight of each case, for counts and for behaviour."""

    cases: np.ndarray  # each case its own Poisson(1)
    behaviour: np.ndarray  # by seller where the log names them, else the cases' own


def _refit(race: RaceFit, weights: np.ndarray) -> Fit:
    """The race's fit on reweighted cases: one Newton step from the fit, or a full refit
    where the step is not to be trusted (no curvature, or a step out of the family)."""
    if race.inverse is not None and race.theta is not None:
        found = families.one_step(race.best, race.sample, race.theta, race.inverse, weights)
        if all(math.isfinite(x) for x in (found.shape, found.scale, found.cure)):
            return found
    best = race.best
    return families.fit_family(
        best.family,
        race.sample,
        cure=race.race.cure is not None or race.race.never,
        weights=weights,
        start=race.theta,
    )[0]


def _arrivals(replay: Replay, base: Scenario, weights: np.ndarray | None) -> Arrivals | None:
    paid = replay.paid
    known = ~np.isnan(paid)
    if known.sum() < MIN_CHOSEN:
        return None
    return fit_arrivals(
        paid[known], replay.frame.epoch, base.market, None if weights is None else weights[known]
    )


def _prices(replay: Replay, weights: np.ndarray | None) -> dict[str, float]:
    """The order's price, log-normal: its median and spread (weighted quantiles)."""
    price = replay.price
    known = price > 1
    if known.sum() < MIN_CHOSEN:
        return {}
    logs = np.log(price[known])
    w = np.ones(len(logs)) if weights is None else weights[known]
    order = np.argsort(logs)
    cumulative = np.cumsum(w[order]) / w.sum()
    q = {p: float(logs[order][np.searchsorted(cumulative, p)]) for p in (0.1587, 0.5, 0.8413)}
    return {
        "market.price_median_cents": math.exp(q[0.5]),
        "market.price_spread": (q[0.8413] - q[0.1587]) / 2.0,
        "market.price_min_cents": float(price[known].min()),
    }


def _bank(replay: Replay) -> dict[str, float]:
    """The bank's fewest and most business days from a refund to its credit."""
    refund, credit = replay.refund_at, replay.credited_at
    both = ~np.isnan(refund) & ~np.isnan(credit)
    if both.sum() < MIN_CHOSEN:
        return {}
    weekday = replay.frame.epoch.weekday()
    days = [_business_days(r, c, weekday) for r, c in zip(refund[both], credit[both], strict=True)]
    return {"policy.bank_days_min": float(min(days)), "policy.bank_days_max": float(max(days))}


def _business_days(start: float, end: float, weekday: int) -> int:
    """The fewest business days after `start` that reach `end` (within a minute)."""
    days = 0
    while add_business_days(start, days, weekday) < end - 1e-3 and days < 400:
        days += 1
    return days


def _population(replay: Replay, base: Scenario) -> dict[str, float]:
    """Where the log names sellers and buyers: at least as many as it shows. Those who sold
    or bought nothing in the log's window are invisible, so the count seen is a lower
    bound: the base scenario's is kept where it is larger (see `population_notes`)."""
    seen = _seen(replay)
    found = {}
    for key, count in seen.items():
        given = getattr(base.population, key.split(".")[1])
        if count > given:
            found[key] = float(count)
    return found


def _seen(replay: Replay) -> dict[str, int]:
    """How many sellers and buyers the log names (none: it names none)."""
    found = {}
    for side, key in (("seller", "population.sellers"), ("buyer", "population.buyers")):
        ids = replay.frame.cases[side]
        if (ids >= 0).any():
            found[key] = len(np.unique(ids[ids >= 0]))
    return found


def population_notes(replay: Replay, base: Scenario) -> list[tuple[str, str]]:
    """The population sizes the log shows only a lower bound of, said as such."""
    notes = []
    for key, count in _seen(replay).items():
        given = getattr(base.population, key.split(".")[1])
        if count <= given:
            notes.append(
                (
                    key,
                    f"the log names {count:,}, within the base scenario's {given:,}: those "
                    "who sold or bought nothing in its window are invisible, so the base's "
                    "size is kept (only its lower bound is in the log)",
                )
            )
    return notes


def _sellers_spread(replay: Replay) -> tuple[float, float, float] | None:
    """How much sellers differ in agreeing to a dispute: the Beta concentration of a
    beta-binomial across sellers (partial pooling of each seller's answers), with its 95%
    profile-likelihood interval (a bootstrap over cases would mix sellers' answers and
    bias the spread); None where too few sellers answered twice."""
    from scipy import optimize, special

    seller = replay.frame.cases["seller"]
    v = replay.visits
    answered = v.of("dispute_open") & np.isin(v.exit, [T["seller_agrees"], T["seller_rejects"]])
    who = seller[v.case[answered]]
    keep = who >= 0
    if keep.sum() < MIN_CHOSEN:
        return None
    agree = (v.exit[answered] == T["seller_agrees"])[keep].astype(float)
    trials = np.bincount(who[keep]).astype(float)
    wins = np.bincount(who[keep], weights=agree, minlength=len(trials))
    several = trials >= 2
    if several.sum() < 10:
        return None
    k, m = wins[several], trials[several]
    mean = float(k.sum() / m.sum())
    if not 0 < mean < 1:
        return None

    def loglik(log_c: float) -> float:
        c = math.exp(log_c)
        a, b = mean * c, (1 - mean) * c
        return float((special.betaln(k + a, m - k + b) - special.betaln(a, b)).sum())

    low_bound, high_bound = math.log(0.1), math.log(1e5)
    best = optimize.minimize_scalar(
        lambda x: -loglik(x), bounds=(low_bound, high_bound), method="bounded"
    )
    top = loglik(best.x)

    def drop(x: float) -> float:
        return top - loglik(x) - 1.92  # chi-square(1) at 95%, halved

    low = optimize.brentq(drop, low_bound, best.x) if drop(low_bound) > 0 else low_bound
    high = optimize.brentq(drop, best.x, high_bound) if drop(high_bound) > 0 else high_bound
    return math.exp(best.x), math.exp(low), math.exp(high)


# --- intervals, and what the log cannot say ----------------------------------------------


def _intervals(
    point: dict[str, float],
    replicates: list[dict[str, float]],
    replay: Replay,
    races: dict[str, RaceFit],
) -> list[Estimate]:
    estimates = []
    for key, value in point.items():
        if ".knots." in key or ".levels." in key:
            continue  # the curve's points: in the scenario, not each an estimate
        values = np.array([r.get(key, np.nan) for r in replicates])
        values = values[~np.isnan(values)]
        low, high = np.percentile(values, [2.5, 97.5]) if len(values) >= 10 else (np.nan, np.nan)
        n, censored, what = _provenance(key, replay, races)
        estimates.append(Estimate(key, value, float(low), float(high), n, censored, what))
    return estimates


def _provenance(key: str, replay: Replay, races: dict[str, RaceFit]) -> tuple[int, float, str]:
    parts = key.split(".")
    if parts[0] == "fitted":
        fit = races[parts[2]]
        censored = float((fit.sample.kind == RIGHT).mean())
        if parts[3] == "by_deadline":
            return (
                fit.sample.size,
                censored,
                f"the share who act within the deadline in: {fit.race.doc}",
            )
        return fit.sample.size, censored, fit.race.doc
    for fit in races.values():
        if fit.race.cure is not None and key == f"{fit.race.cure[0]}.*.{fit.race.cure[1]}":
            return (
                fit.sample.size,
                float((fit.sample.kind == RIGHT).mean()),
                f"the share who ever act in: {fit.race.doc} (past the deadline the log "
                "shows no one: the family's tail tells the late from the never)",
            )
    return int(replay.replayed.sum()), math.nan, ""


def _missing(point: dict[str, float], replay: Replay) -> list[tuple[str, str]]:
    """The choices and patterns the log did not show enough of."""
    wanted = {
        "sellers.*.agrees": "the seller's answers (agree, reject, counter)",
        "buyers.*.accepts_offer": "buyers answering a counter-offer",
        "buyers.*.appeals": "buyers appealing a decision",
        "team.asks_evidence": "the team asking for evidence",
        "team.decision_shares.0": "the team's decisions with their amounts",
        "market.peak_factor": "days both in and out of the sales season",
        "policy.bank_days_min": "the bank's credits of refunds",
        "population.agrees_concentration": "sellers who answered several disputes",
    }
    return [
        (key, f"too few {what} in the log; the base scenario's value is kept")
        for key, what in wanted.items()
        if key not in point
    ]


NOT_IN_A_LOG = (
    (
        "what really happened to an order (a false claim, goods not as described, damaged, lost "
        "without a word)",
        "no log shows the truth: the profiles' chances are kept",
    ),
    (
        "the buyer's patience before a claim and the time to notice faulty goods",
        "a buyer who never claims is invisible, so their delay cannot be told from no problem",
    ),
    (
        "the team's weighing of truth and evidence",
        "the log shows decisions, not the evidence: the team decides by the shares it showed",
    ),
    (
        "a seller who never ships, apart from one who ships after the handling deadline",
        "both are refunded at the deadline: the fitted handling time's tail past it holds "
        "them both, and every seller ships (sellers.*.ships = 1) in the fitted scenario",
    ),
    (
        "how each actor's timing moves when a deadline moves",
        "one log shows one policy: the "
        "fitted scenario's timing ('fixed' or 'scaling') is an assumption of every "
        "counterfactual",
    ),
)
"""What no log of this process can identify, whatever its size."""
