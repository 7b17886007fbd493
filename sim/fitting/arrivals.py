"""How orders arrived: a base rate a day, a weekly pattern and the sales season's factor.

The day counts of payments are taken as Poisson with mean `rate x weekday factor x season
factor` (the season's days are the market's), fitted by iterative proportional fitting: the
maximum-likelihood estimate of this log-linear model. The weekly pattern needs two weeks of
the log, the season factor days both in and out of the season; otherwise the log does not
identify it and the scenario keeps its assumed default.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sim.world.market import Market

MIN_DAYS_WEEKLY = 14
MIN_DAYS_SEASON = 7
SPARSE = 0.2  # a day at either end with fewer payments than this share of a usual day


@dataclass(frozen=True)
class Arrivals:
    """The fitted arrival pattern (None: not identified by the log)."""

    rate: float  # orders a day, off the season, on an average weekday
    weekday: tuple[float, ...] | None  # Monday first, mean 1
    peak: float | None  # the season's factor
    days: int  # whole days the fit read
    first: dt.date  # the first of them
    season_days: int  # of which in the season


def day_counts(paid: np.ndarray, weights: np.ndarray | None = None) -> tuple[int, np.ndarray]:
    """The first whole day the log shows payments fully, and the (weighted) payments of
    each day from it. The days at either end where the log shows only a few payments (the
    cases begun before it that it still follows, a last day cut short) are left out: they
    say when the log starts and ends, not how orders arrive."""
    first, last = int(np.floor(np.nanmin(paid))), int(np.floor(np.nanmax(paid)))
    index = np.floor(paid).astype(np.int64) - first
    every = np.bincount(index, minlength=last - first + 1).astype(float)
    usual = float(np.median(every[every > 0]))
    full = np.flatnonzero(every >= SPARSE * usual)
    lo, hi = int(full[0]), int(full[-1])
    if hi > lo and every[hi] < 0.9 * usual:  # the last day, if the log cut it short
        hi -= 1
    inside = (index >= lo) & (index <= hi)
    counts = np.bincount(
        index[inside] - lo,
        weights=None if weights is None else weights[inside],
        minlength=hi - lo + 1,
    )
    return first + lo, counts.astype(float)


def fit_arrivals(
    paid: np.ndarray, epoch: dt.datetime, market: Market, weights: np.ndarray | None = None
) -> Arrivals:
    """The arrival pattern of the payments at `paid` (days since `epoch`)."""
    paid = paid[~np.isnan(paid)]
    w = None if weights is None else weights[: len(paid)]
    first, counts = day_counts(paid, w)
    dates = [epoch.date() + dt.timedelta(days=first + d) for d in range(len(counts))]
    weekday = np.array([date.weekday() for date in dates])
    season = np.array([market.in_peak(date) for date in dates])
    fit_weekly = len(counts) >= MIN_DAYS_WEEKLY
    fit_season = season.sum() >= MIN_DAYS_SEASON and (~season).sum() >= MIN_DAYS_SEASON
    factor = np.ones(7)
    peak = 1.0
    rate = counts.sum() / len(counts)
    for _ in range(50):
        expected = factor[weekday] * np.where(season, peak, 1.0)
        rate = counts.sum() / expected.sum()
        if fit_weekly:
            for day in range(7):
                here = weekday == day
                if here.any():
                    factor[day] = (
                        counts[here].sum() / (rate * np.where(season, peak, 1.0)[here]).sum()
                    )
            factor /= factor.mean()
        if fit_season:
            inside = season
            peak = counts[inside].sum() / (rate * factor[weekday][inside]).sum()
    weekly = tuple(float(f) for f in factor) if fit_weekly else None
    found_peak = float(peak) if fit_season else None
    return Arrivals(float(rate), weekly, found_peak, len(counts), dates[0], int(season.sum()))
