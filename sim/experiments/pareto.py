"""Which policies are not dominated, and how sure that is.

Objectives are minimised (a maximised figure enters negated). A policy dominates another
when it is no worse on every objective and better on one. The *epsilon band* widens the
non-dominated set by what the noise cannot tell apart: a policy stays in unless another
beats it by more than epsilon on every objective. The probability that a policy is
Pareto-optimal is the share of bootstrap resamples of the replications in which it is
non-dominated (and meets the constraints): the replications of all policies are resampled
together, as they share their seeds (common random numbers), so the comparison stays
paired.
"""

from __future__ import annotations

import numpy as np

RESAMPLES = 1_000


def dominated(values: np.ndarray, epsilon: np.ndarray | None = None) -> np.ndarray:
    """For each row of `values` (policies x objectives, minimised), whether another row
    dominates it (beats it by more than `epsilon` on every objective, with one)."""
    eps = np.zeros(values.shape[1]) if epsilon is None else np.asarray(epsilon, dtype=float)
    found = np.zeros(len(values), dtype=bool)
    shifted = values + eps  # what another row must still beat
    for i, row in enumerate(values):
        no_worse = (shifted <= row).all(axis=1)
        better = (shifted < row).any(axis=1)
        beats = no_worse & better
        beats[i] = False
        found[i] = bool(beats.any())
    return found


def non_dominated(values: np.ndarray, epsilon: np.ndarray | None = None) -> np.ndarray:
    """The indices of the rows no other row dominates (by more than `epsilon`)."""
    return np.flatnonzero(~dominated(values, epsilon))


def pareto_probability(
    samples: list[np.ndarray],
    feasible: list[np.ndarray] | None = None,
    seed: int = 1,
    resamples: int = RESAMPLES,
) -> np.ndarray:
    """Each policy's chance of being non-dominated over bootstrap resamples.

    `samples[i]`: policy i's replications x objectives (minimised); `feasible[i]`: for
    each replication, its constraint values (replications x constraints, <= 0 meets, NaN
    where the figure is undefined in that run), whose means over the runs that define
    them must meet them all in a resample. Replication r of every policy ran on the
    same seed, so each resample draws one set of uniforms and every policy takes its
    replications at the same positions (a policy with more replications spreads them over
    its own).
    """
    gen = np.random.Generator(np.random.PCG64(seed))
    longest = max(len(s) for s in samples)
    uniforms = gen.random((resamples, longest))
    means, meets = [], []
    for i, sample in enumerate(samples):
        count = len(sample)
        picks = np.minimum((uniforms[:, :count] * count).astype(int), count - 1)
        means.append(sample[picks].mean(axis=1))  # resamples x objectives
        if feasible is not None and feasible[i].shape[1]:
            drawn = feasible[i][picks]  # resamples x replications x constraints
            counted = (~np.isnan(drawn)).sum(axis=1)
            total = np.where(np.isnan(drawn), 0.0, drawn).sum(axis=1)
            mean = np.divide(total, counted, out=np.full(total.shape, np.inf), where=counted > 0)
            meets.append((mean <= 0).all(axis=1))  # undefined in every drawn run: not met
        else:
            meets.append(np.ones(resamples, dtype=bool))
    stacked = np.stack(means, axis=1)  # resamples x policies x objectives
    ok = np.stack(meets, axis=1)  # resamples x policies
    wins = np.zeros(len(samples))
    for b in range(resamples):
        alive = np.flatnonzero(ok[b])
        if not len(alive):
            continue
        wins[alive[non_dominated(stacked[b, alive])]] += 1
    return wins / resamples
