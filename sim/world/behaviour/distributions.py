"""The families a fitted delay may take, drawn from a normal deviate and read as densities.

Each family has a `shape` and a `scale` in days (`sim.world.behaviour.fitted.Delay`). The
world draws a fitted delay from the very standard normal deviate `z` a profile's log-normal
would have used: the delay is the family's quantile at Phi(z), computed from the upper tail
where that is the accurate side, so the draw consumes the same random numbers. The fit
(`sim.fitting`) reads the same families' log-densities and survival.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from sim.world.behaviour.fitted import Delay


def from_normal(delay: Delay, z: np.ndarray) -> np.ndarray:
    """The delay's quantile at Phi(z), for each standard normal deviate `z`: the family's,
    or, with knots, the knots' curve (log-days linear in the normal score between them)
    with the family below the first knot (scaled to meet it) and the family's tail past
    the last (the family conditioned on having not acted by then)."""
    if not delay.knots:
        return _family_quantile(delay, z)
    z = np.asarray(z, dtype=float)
    knots = np.asarray(delay.knots)
    levels = delay.knot_levels
    scores = special.ndtri(np.asarray(levels))
    drawn = np.exp(np.interp(z, scores, np.log(knots)))
    below = z < scores[0]
    if below.any():
        meet = knots[0] / _family_quantile(delay, scores[:1])[0]
        drawn[below] = _family_quantile(delay, z[below]) * meet
    above = z > scores[-1]
    if above.any():
        last = knots[-1]
        left = math.exp(float(log_survival(delay.family, delay.shape, delay.scale,
                                           np.array([last]))[0]))  # fmt: skip
        upper = special.ndtr(-z[above]) * left / (1.0 - levels[-1])
        tail = _family_quantile(delay, -special.ndtri(np.maximum(upper, 1e-300)))
        drawn[above] = np.maximum(tail, last)
    return drawn


def _family_quantile(delay: Delay, z: np.ndarray) -> np.ndarray:
    """The family's quantile at Phi(z)."""
    shape, scale = delay.shape, delay.scale
    upper = special.ndtr(-z)  # P(Z > z): accurate in the right tail
    if delay.family == "lognormal":
        return scale * np.exp(shape * z)
    if delay.family == "exponential":
        return -scale * special.log_ndtr(-z)
    if delay.family == "weibull":
        return scale * (-special.log_ndtr(-z)) ** (1.0 / shape)
    if delay.family == "loglogistic":  # odds p / (1 - p), as a difference of logs
        return scale * np.exp((special.log_ndtr(z) - special.log_ndtr(-z)) / shape)
    if delay.family == "gamma":
        return scale * special.gammainccinv(shape, upper)
    raise ValueError(f"unknown family {delay.family!r}")


def log_density(family: str, shape: float, scale: float, t: np.ndarray) -> np.ndarray:
    """log f(t) of the family, for t > 0."""
    x = t / scale
    if family == "exponential":
        return -x - np.log(scale)
    if family == "weibull":
        return np.log(shape / scale) + (shape - 1.0) * np.log(x) - x**shape
    if family == "lognormal":
        z = np.log(x) / shape
        return -0.5 * z * z - np.log(t * shape * np.sqrt(2.0 * np.pi))
    if family == "gamma":
        return (shape - 1.0) * np.log(x) - x - special.gammaln(shape) - np.log(scale)
    if family == "loglogistic":
        return np.log(shape / scale) + (shape - 1.0) * np.log(x) - 2.0 * np.log1p(x**shape)
    raise ValueError(f"unknown family {family!r}")


def log_survival(family: str, shape: float, scale: float, t: np.ndarray) -> np.ndarray:
    """log P(T > t) of the family, for t >= 0."""
    x = t / scale
    if family == "exponential":
        return -x
    if family == "weibull":
        return -(x**shape)
    if family == "lognormal":
        with np.errstate(divide="ignore"):
            return special.log_ndtr(-np.log(x) / shape)
    if family == "gamma":
        with np.errstate(divide="ignore"):
            return np.log(special.gammaincc(shape, x))
    if family == "loglogistic":
        return -np.log1p(x**shape)
    raise ValueError(f"unknown family {family!r}")


def median(
    family: str,
    shape: float,
    scale: float,
    knots: tuple[float, ...] = (),
    levels: tuple[float, ...] = (),
) -> float:
    """The delay's median, in days (the knots' where they reach it)."""
    delay = Delay(family=family, shape=shape, scale=scale, knots=knots, levels=levels)  # type: ignore[arg-type]
    return float(from_normal(delay, np.zeros(1))[0])
