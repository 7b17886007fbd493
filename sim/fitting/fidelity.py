"""How faithful a fitted world is to the log it was fitted from, within the log's noise.

Both the log and the simulated runs are replayed on the machine (`sim.fitting.replay`) and
read as the same `Cases`: each case's trace (its variant), its cycle time, its stays in
each state, the races a deadline could win, and the headline figures. Each measure is a
distance between two sets of cases: the n-gram and control-flow distances on traces, the
Wasserstein distance on cycle times and on each state's waiting times, and the difference
of each race's share won by its deadline and of each headline figure.

The noise floor is the same measure between two random halves of the log. The model's
distance is taken between one half and as many cases drawn from the simulated runs, so
both see samples of the same size: over `splits` random halvings, a measure is within the
noise when the model's median distance is at most the 95th percentile of the floor's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from machine.table import STATE_NAMES
from sim.fitting.distances import Variant, control_flow_distance, ngram_distance, wasserstein
from sim.fitting.races import RACES
from sim.fitting.replay import STATE, TIMERS, TRIGGER, Replay

MIN_STAYS = 50  # a state's waiting times are compared where the log shows this many stays
SPLITS = 10


class Variants:
    """The traces of both logs as one numbering of variants (tuples of activity codes)."""

    def __init__(self) -> None:
        self.index: dict[Variant, int] = {}
        self.variants: list[Variant] = []

    def code(self, variant: Variant) -> int:
        found = self.index.get(variant)
        if found is None:
            found = self.index[variant] = len(self.variants)
            self.variants.append(variant)
        return found


@dataclass(frozen=True)
class Cases:
    """The replayed cases of one log as the measures read them (see the module)."""

    variant: np.ndarray  # per case: its variant's code
    cycle: np.ndarray  # per case: payment to its end, in days (NaN: open or unknown)
    disputed: np.ndarray  # per case
    escalated: np.ndarray  # per case
    refunded: np.ndarray  # per case: any money back
    to_money: np.ndarray  # per case: asking for money back to the bank's credit (NaN: none)
    stay_case: np.ndarray  # per stay that ended: its case
    stay_state: np.ndarray  # its state
    stay_days: np.ndarray  # its length
    stay_timer: np.ndarray  # whether a deadline ended it

    @property
    def size(self) -> int:
        return len(self.variant)

    def take(self, cases: np.ndarray) -> Cases:
        """The cases `cases` (indices), with their stays."""
        keep = np.zeros(self.size, dtype=bool)
        keep[cases] = True
        stays = keep[self.stay_case]
        return Cases(
            self.variant[cases],
            self.cycle[cases],
            self.disputed[cases],
            self.escalated[cases],
            self.refunded[cases],
            self.to_money[cases],
            self.stay_case[stays],
            self.stay_state[stays],
            self.stay_days[stays],
            self.stay_timer[stays],
        )

    @staticmethod
    def join(parts: Sequence[Cases]) -> Cases:
        """Several logs' cases as one (the simulated replications pooled)."""
        offsets = np.cumsum([0, *(p.size for p in parts)])[:-1]
        joined = {f: np.concatenate([getattr(p, f) for p in parts]) for f in _JOINED}
        shifted = [p.stay_case + o for p, o in zip(parts, offsets, strict=True)]
        return Cases(**joined, stay_case=np.concatenate(shifted))


_JOINED = (
    *("variant", "cycle", "disputed", "escalated", "refunded", "to_money"),
    *("stay_state", "stay_days", "stay_timer"),
)


def cases_of(replay: Replay, variants: Variants) -> Cases:
    """The replayed cases (fit, or open at the log's end) of `replay`."""
    kept = np.flatnonzero(replay.replayed)
    renumber = np.full(len(replay.replayed), -1)
    renumber[kept] = np.arange(len(kept))
    visits = replay.visits
    mine = renumber[visits.case] >= 0
    case, exit_, dest = renumber[visits.case[mine]], visits.exit[mine], visits.dest[mine]
    token = np.where(exit_ >= 0, exit_.astype(np.int64) * len(STATE_NAMES) + dest, -1)
    order = np.argsort(case, kind="stable")
    bounds = np.searchsorted(case[order], np.arange(len(kept) + 1))
    tokens = token[order]
    codes = np.empty(len(kept), dtype=np.int64)
    for i in range(len(kept)):
        steps = tokens[bounds[i] : bounds[i + 1]]
        codes[i] = variants.code(tuple(int(t) for t in steps if t >= 0))
    ended = mine & ~np.isnan(visits.left)
    timers = np.array([TRIGGER[name] for name in TIMERS])
    return Cases(
        codes,
        (replay.closed_at - replay.paid)[kept],
        replay.disputed[kept].astype(bool),
        replay.escalated[kept].astype(bool),
        replay.refunded[kept] > 0,
        (replay.credited_at - replay.asked_at)[kept],
        renumber[visits.case[ended]],
        visits.state[ended],
        (visits.left - visits.entered)[ended],
        np.isin(visits.exit[ended], timers),
    )


# --- the measures ---------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """One way two logs may differ: `distance` between two sets of cases, and, for the
    figures and shares, `value` on one set (shown beside the distance)."""

    name: str
    unit: str  # "share", "days", or "" for a distance in [0, 1]
    distance: Callable[[Cases, Cases, np.random.Generator], float]
    value: Callable[[Cases], float] | None = None


def measures(variants: Variants, log: Cases) -> list[Measure]:
    """Every measure, the per-state and per-race ones where the log shows enough."""
    found = [
        Measure(
            "n-gram distance (3 activities)",
            "",
            lambda a, b, rng: ngram_distance(
                variants.variants, *_counts(a, b, len(variants.variants))
            ),
        ),
        Measure(
            "control-flow distance (CFLD)",
            "",
            lambda a, b, rng: control_flow_distance(
                variants.variants, *_counts(a, b, len(variants.variants)), rng
            ),
        ),
        Measure("cycle time, Wasserstein", "days", lambda a, b, rng: wasserstein(a.cycle, b.cycle)),
    ]
    for name, value, unit in (
        ("dispute rate", lambda c: _share(c.disputed), "share"),
        ("escalation rate (of disputes)", lambda c: _share(c.escalated[c.disputed]), "share"),
        ("refund rate", lambda c: _share(c.refunded), "share"),
        ("days to money, median", lambda c: _median(c.to_money), "days"),
    ):
        found.append(Measure(name, unit, _difference(value), value))
    for race in RACES:
        if race.lever is None:
            continue
        states = np.array([STATE[s] for s in race.states])
        if np.isin(log.stay_state, states).sum() < MIN_STAYS:
            continue
        share = _deadline_share(states)
        found.append(Measure(f"{race.name}: share won by {race.lever}", "share",
                             _difference(share), share))  # fmt: skip
    counted = np.bincount(log.stay_state.astype(np.int64), minlength=len(STATE_NAMES))
    for code in np.flatnonzero(counted >= MIN_STAYS):
        found.append(
            Measure(
                f"waiting in {STATE_NAMES[code]}, Wasserstein",
                "days",
                _waiting(int(code)),
            )
        )
    return found


def _counts(a: Cases, b: Cases, n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.bincount(a.variant, minlength=n), np.bincount(b.variant, minlength=n)


def _share(flags: np.ndarray) -> float:
    return float(flags.mean()) if len(flags) else float("nan")


def _median(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    return float(np.median(values)) if len(values) else float("nan")


def _difference(
    value: Callable[[Cases], float],
) -> Callable[[Cases, Cases, np.random.Generator], float]:
    return lambda a, b, rng: abs(value(a) - value(b))


def _deadline_share(states: np.ndarray) -> Callable[[Cases], float]:
    def share(cases: Cases) -> float:
        mine = np.isin(cases.stay_state, states)
        return _share(cases.stay_timer[mine])

    return share


def _waiting(state: int) -> Callable[[Cases, Cases, np.random.Generator], float]:
    def distance(a: Cases, b: Cases, rng: np.random.Generator) -> float:
        return wasserstein(a.stay_days[a.stay_state == state], b.stay_days[b.stay_state == state])

    return distance


# --- the comparison ---------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One measure: the log's and the simulation's value (figures and shares), the model's
    median distance over the splits, the floor's median and 95th percentile."""

    name: str
    unit: str
    log: float
    simulated: float
    distance: float
    floor: float
    floor_high: float

    @property
    def within(self) -> bool | None:
        """Within the noise of the data (None where either could not be measured)."""
        if np.isnan(self.distance) or np.isnan(self.floor_high):
            return None
        return bool(self.distance <= self.floor_high)


def compare(
    log: Cases,
    simulated: Cases,
    variants: Variants,
    splits: int = SPLITS,
    seed: int = 1,
) -> list[Row]:
    """Every measure between the log and the simulated cases, beside its noise floor."""
    rng = np.random.default_rng(seed)
    chosen = measures(variants, log)
    model = np.full((splits, len(chosen)), np.nan)
    floor = np.full((splits, len(chosen)), np.nan)
    half = log.size // 2
    for s in range(splits):
        order = rng.permutation(log.size)
        a, b = log.take(order[:half]), log.take(order[half : 2 * half])
        drawn = simulated.take(rng.choice(simulated.size, size=min(half, simulated.size),
                                          replace=False))  # fmt: skip
        for m, measure in enumerate(chosen):
            floor[s, m] = measure.distance(a, b, rng)
            model[s, m] = measure.distance(a, drawn, rng)
    rows = []
    for m, measure in enumerate(chosen):
        shown = measure.value
        rows.append(
            Row(
                measure.name,
                measure.unit,
                shown(log) if shown else float("nan"),
                shown(simulated) if shown else float("nan"),
                _nan_median(model[:, m]),
                _nan_median(floor[:, m]),
                _nan_quantile(floor[:, m], 0.95),
            )
        )
    return rows


def _nan_median(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    return float(np.median(values)) if len(values) else float("nan")


def _nan_quantile(values: np.ndarray, q: float) -> float:
    values = values[~np.isnan(values)]
    return float(np.quantile(values, q)) if len(values) else float("nan")
