"""Fitting a time to act by censored maximum likelihood, family by family.

An observation is a time (days from the moment the actor could act) that was seen
(`EXACT`: the actor acted then), only bounded from above (`RIGHT`: the actor had not acted
when something else ended the race: a deadline, another actor, the log's end) or from below
(`LEFT`: the actor acted at once when the policy let them, having wanted to before). With a
`cure` share, some actors never act at all (a seller who never answers); the rest act at a
time of the family. The likelihood of each family is maximised over its shape and scale
(and the cure share), the family with the least AIC is chosen, and a bootstrap over cases
gives intervals (weights by observation: `Sample.counts`).

The times are binned on a fine logarithmic grid (a bin's width about 1.4% of its time over
six decades), so that every evaluation, and every one of hundreds of bootstrap refits,
costs the grid's size rather than the number of observations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from sim.world.behaviour.distributions import log_density, log_survival
from sim.world.behaviour.fitted import FAMILIES

EXACT, RIGHT, LEFT = 0, 1, 2
BINS = 1_024
SMALLEST = 1e-6  # days: a time of zero is taken as this (an actor who acted at once)


@dataclass(frozen=True)
class Sample:
    """Observations of one race: each one's time, kind and case, and the cells of the grid
    they fall in (a cell: one kind of observation in one bin; only occupied cells are kept)."""

    times: np.ndarray  # days, > 0
    kind: np.ndarray  # EXACT, RIGHT or LEFT
    case: np.ndarray  # the case of each observation (for the bootstrap over cases)
    cell: np.ndarray  # each observation's cell
    at: np.ndarray  # each cell's time: its bin's centre
    cell_kind: np.ndarray  # each cell's kind

    @staticmethod
    def of(times: np.ndarray, kind: np.ndarray, case: np.ndarray) -> Sample:
        times = np.maximum(np.asarray(times, dtype=float), SMALLEST)
        kind = np.asarray(kind, dtype=np.int8)
        low, high = float(times.min()), float(times.max())
        if high <= low * 1.0001:
            centres = np.array([low])
            bins = np.zeros(len(times), dtype=np.int64)
        else:
            edges = np.geomspace(low, high * (1 + 1e-9), BINS + 1)
            centres = np.sqrt(edges[:-1] * edges[1:])
            bins = np.clip(np.searchsorted(edges, times, side="right") - 1, 0, BINS - 1)
        occupied, cell = np.unique(kind.astype(np.int64) * len(centres) + bins, return_inverse=True)
        return Sample(
            times,
            kind,
            np.asarray(case),
            cell.ravel(),
            centres[occupied % len(centres)],
            (occupied // len(centres)).astype(np.int8),
        )

    @property
    def size(self) -> int:
        return len(self.times)

    @property
    def seen(self) -> int:
        return int((self.kind == EXACT).sum())

    def counts(self, weights: np.ndarray | None = None) -> np.ndarray:
        """Observations by cell, weighted (`weights` by observation)."""
        return np.bincount(self.cell, weights=weights, minlength=len(self.at))


@dataclass(frozen=True)
class Fit:
    """One family fitted: its shape and scale (days), the cure share (0: everyone acts
    eventually), the log-likelihood and AIC."""

    family: str
    shape: float
    scale: float
    cure: float
    loglik: float
    aic: float

    def survival(self, t: np.ndarray) -> np.ndarray:
        """P(not acted by t): the cure share plus the rest's survival."""
        s = np.exp(log_survival(self.family, self.shape, self.scale, np.maximum(t, SMALLEST)))
        return self.cure + (1.0 - self.cure) * s


def has_cure(family: str, theta: np.ndarray) -> bool:
    """Whether the parameters `theta` of `family` include a share who never act."""
    return len(theta) == (2 if family == "exponential" else 3)


def _unpack(family: str, theta: np.ndarray, cure: bool) -> tuple[float, float, float]:
    if family == "exponential":
        shape, scale, rest = 1.0, math.exp(theta[0]), theta[1:]
    else:
        shape, scale, rest = math.exp(theta[0]), math.exp(theta[1]), theta[2:]
    share = float(special.expit(rest[0])) if cure else 0.0
    return shape, scale, share


def _loglik(
    family: str, theta: np.ndarray, sample: Sample, counts: np.ndarray, cure: bool
) -> float:
    shape, scale, share = _unpack(family, theta, cure)
    if not (1e-3 < shape < 200 and 1e-6 < scale < 1e6):
        return -1e300
    kinds = sample.cell_kind
    acting = math.log1p(-share) if share > 0 else 0.0
    total = 0.0
    with np.errstate(all="ignore"):
        exact = kinds == EXACT
        if exact.any():
            logf = log_density(family, shape, scale, sample.at[exact])
            total += float(counts[exact] @ (logf + acting))
        right = kinds == RIGHT
        if right.any():
            logs = log_survival(family, shape, scale, sample.at[right])
            if share > 0:
                logs = np.logaddexp(math.log(share), acting + logs)
            total += float(counts[right] @ logs)
        left = kinds == LEFT
        if left.any():
            logs = log_survival(family, shape, scale, sample.at[left])
            log_cdf = np.log(-np.expm1(np.minimum(logs, -1e-300)))
            total += float(counts[left] @ (acting + log_cdf))
    return total if math.isfinite(total) else -1e300


def _start(family: str, sample: Sample, cure: bool) -> np.ndarray:
    """Starting values from the times seen (or all times, if none was seen)."""
    seen = sample.times[sample.kind == EXACT]
    times = seen if len(seen) >= 2 else sample.times
    logs = np.log(times)
    mu, sd = float(np.median(logs)), max(float(logs.std()), 0.1)
    shape = {
        "weibull": 1.2 / sd,
        "lognormal": sd,
        "gamma": 1.0 / max(sd * sd, 0.05),
        "loglogistic": 1.8 / sd,
    }.get(family, 1.0)
    scale = math.exp(mu) / (shape if family == "gamma" else 1.0)
    theta = [math.log(scale)] if family == "exponential" else [math.log(shape), math.log(scale)]
    if cure:
        censored = float((sample.kind == RIGHT).mean())
        theta.append(math.log(max(censored, 0.02) / max(1 - censored, 0.02)))
    return np.array(theta)


def fit_family(
    family: str,
    sample: Sample,
    *,
    cure: bool = False,
    weights: np.ndarray | None = None,
    start: np.ndarray | None = None,
) -> tuple[Fit, np.ndarray]:
    """The family's maximum-likelihood fit (and its parameters, for a warm start: a refit
    from one, on the bootstrap's weights, climbs by gradient instead of by simplex)."""
    counts = sample.counts(weights)
    theta0 = _start(family, sample, cure) if start is None else start

    def cost(theta: np.ndarray) -> float:
        return -_loglik(family, theta, sample, counts, cure)

    if start is None:  # a coarse simplex to the maximum's neighbourhood, then by gradient
        options = {"xatol": 1e-3, "fatol": 1e-5, "maxiter": 4_000}
        near = optimize.minimize(cost, theta0, method="Nelder-Mead", options=options)
        found = optimize.minimize(cost, near.x, method="L-BFGS-B")
        if found.fun > near.fun:
            found = near
    else:
        found = optimize.minimize(cost, theta0, method="L-BFGS-B")
    theta = found.x
    shape, scale, share = _unpack(family, theta, cure)
    loglik = -float(found.fun)
    k = len(theta)
    return Fit(family, shape, scale, share, loglik, 2 * k - 2 * loglik), theta


def choose(
    sample: Sample, *, cure: bool = False, families: tuple[str, ...] = FAMILIES
) -> tuple[Fit, list[Fit]]:
    """Every family fitted; the one of least AIC, and all of them (for the report)."""
    fits = [fit_family(family, sample, cure=cure)[0] for family in families]
    return min(fits, key=lambda f: f.aic), fits


def _gradient(
    family: str,
    theta: np.ndarray,
    sample: Sample,
    counts: np.ndarray,
    cure: bool,
    step: float = 1e-4,
) -> np.ndarray:
    """The log-likelihood's gradient at `theta`, by central differences."""
    found = np.empty(len(theta))
    for k in range(len(theta)):
        up, down = theta.copy(), theta.copy()
        up[k] += step
        down[k] -= step
        found[k] = (
            _loglik(family, up, sample, counts, cure) - _loglik(family, down, sample, counts, cure)
        ) / (2 * step)
    return found


def curvature(fit: Fit, sample: Sample, theta: np.ndarray) -> np.ndarray | None:
    """The inverse of the observed information at the maximum (None: not invertible): the
    step a bootstrap replicate takes from it (`one_step`)."""
    cure, counts = has_cure(fit.family, theta), sample.counts()
    step = 1e-3
    k = len(theta)
    hessian = np.empty((k, k))
    for j in range(k):
        up, down = theta.copy(), theta.copy()
        up[j] += step
        down[j] -= step
        hessian[:, j] = (
            _gradient(fit.family, up, sample, counts, cure)
            - _gradient(fit.family, down, sample, counts, cure)
        ) / (2 * step)
    hessian = (hessian + hessian.T) / 2
    try:
        inverse = np.linalg.inv(-hessian)
    except np.linalg.LinAlgError:
        return None
    return inverse if np.isfinite(inverse).all() else None


def one_step(
    fit: Fit, sample: Sample, theta: np.ndarray, inverse: np.ndarray, weights: np.ndarray
) -> Fit:
    """The fit on reweighted cases, one Newton step from the fit on the cases as they are:
    as good as a refit to first order (the one-step bootstrap), for a few evaluations."""
    cure = has_cure(fit.family, theta)
    counts = sample.counts(weights)
    moved = theta + inverse @ _gradient(fit.family, theta, sample, counts, cure)
    shape, scale, share = _unpack(fit.family, moved, cure)
    return Fit(fit.family, shape, scale, share, math.nan, math.nan)
