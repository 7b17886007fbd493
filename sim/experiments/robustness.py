"""How a policy fares across what is not known: regret and satisficing over sampled
worlds (Savage 1951; Simon 1956; as robust decision making uses them, Lempert et al. 2006).

Each world is one draw of the uncertain behaviour parameters. A policy's *regret* on an
objective in a world is its shortfall from the best policy there; its robustness score is
a high percentile of that over the worlds (the 90th by default: a bad case, not the one
worst draw). Its *satisficing* score is the share of worlds in which it meets every
constraint. Objectives are minimised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PERCENTILE = 90.0


@dataclass(frozen=True)
class Robustness:
    """Per policy: its regret percentile on each objective, satisficing, and rank."""

    regret: np.ndarray  # policies x objectives
    satisficing: np.ndarray  # policies
    rank: np.ndarray  # 0 = most robust

    @property
    def order(self) -> np.ndarray:
        return np.argsort(self.rank, kind="stable")


def regret(values: np.ndarray, percentile: float = PERCENTILE) -> np.ndarray:
    """`values`: policies x worlds x objectives (minimised); each policy's `percentile`
    of its shortfall from the best policy of each world, per objective."""
    shortfall = values - values.min(axis=0, keepdims=True)
    return np.percentile(shortfall, percentile, axis=1)


def satisficing(meets: np.ndarray) -> np.ndarray:
    """`meets`: policies x worlds, whether the policy met every constraint there."""
    return meets.mean(axis=1)


def robustness(values: np.ndarray, meets: np.ndarray, percentile: float = PERCENTILE) -> Robustness:
    """Both scores, and a ranking: the most satisficing first, then the smallest regret
    (each objective's regret as a share of that objective's spread over every policy and
    world, the worst of them)."""
    found = regret(values, percentile)
    share = satisficing(meets)
    spread = values.max(axis=(0, 1)) - values.min(axis=(0, 1))
    scaled = np.where(spread > 0, found / np.where(spread > 0, spread, 1.0), 0.0)
    worst = scaled.max(axis=1)
    order = np.lexsort((np.arange(len(share)), worst, -share))
    rank = np.empty(len(share), dtype=int)
    rank[order] = np.arange(len(share))
    return Robustness(found, share, rank)
