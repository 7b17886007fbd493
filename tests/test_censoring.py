"""Censoring: a time to act cut by a deadline is fitted as censored, not left out.

Synthetic samples with known truths: a Weibull answer time with a share who never answer,
cut by a deadline; the censored likelihood recovers it, the naive fit on the answers seen
does not; and the Kaplan-Meier knots recover a mix no family of the five is.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.fitting import families, knots
from sim.fitting.families import EXACT, RIGHT, Sample
from sim.world.behaviour.distributions import median
from sim.world.behaviour.fitted import KNOT_LEVELS


def deadline_cut(times: np.ndarray, deadline: float) -> Sample:
    """Times cut at `deadline`: the actor seen acting before it, else censored there."""
    seen = times <= deadline
    kind = np.where(seen, EXACT, RIGHT)
    return Sample.of(np.where(seen, times, deadline), kind, np.arange(len(times)))


@pytest.mark.rules("D7")
def test_a_deadline_cut_race_is_recovered_by_censoring_and_not_by_leaving_it_out():
    gen = np.random.default_rng(5)
    n, never, deadline = 6_000, 0.25, 5.0
    truth = stats.weibull_min(1.4, scale=4.0)
    times = np.where(gen.random(n) < never, np.inf, truth.rvs(n, random_state=gen))
    sample = deadline_cut(times, deadline)
    assert (sample.kind == RIGHT).mean() > 0.4  # the deadline cuts much of the race
    fit, _ = families.fit_family("weibull", sample, cure=True)
    assert fit.shape == pytest.approx(1.4, rel=0.1)
    assert fit.scale == pytest.approx(4.0, rel=0.1)
    assert fit.cure == pytest.approx(never, abs=0.05)
    seen = sample.kind == EXACT
    naive, _ = families.fit_family(
        "weibull", Sample.of(sample.times[seen], sample.kind[seen], sample.case[seen])
    )
    assert median("weibull", naive.shape, naive.scale) < 0.8 * truth.median()
    best, candidates = families.choose(sample, cure=True)
    assert len(candidates) == len(families.FAMILIES) and best.aic == min(c.aic for c in candidates)


def test_the_curve_s_knots_recover_a_mix_no_family_is():
    gen = np.random.default_rng(6)
    n = 20_000
    slow = gen.random(n) < 0.5
    times = np.exp(np.where(slow, np.log(4.0), 0.0) + 0.5 * gen.standard_normal(n))
    sample = deadline_cut(times, 7.0)
    levels, found = knots.knots(sample, cure=0.0, deadline=7.0)
    mix = np.sort(times)
    assert levels[:-1] == KNOT_LEVELS[: len(levels) - 1]  # 5%, 10%, ... as far as the curve goes
    assert len(levels) >= 18  # the curve reaches 85% before the deadline
    expected = [mix[int(level * n)] for level in levels[:-1]]
    assert np.allclose(found[:-1], expected, rtol=0.05)
    assert found[-1] == 7.0 and levels[-1] == pytest.approx((times <= 7.0).mean(), abs=0.002)
    assert knots.by(sample, 7.0) == pytest.approx((times <= 7.0).mean(), abs=0.002)
