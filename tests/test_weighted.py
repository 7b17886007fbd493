"""Picking by weight gives the binary search's answer, index for index."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sim.world.population.weighted import WeightedPick, thinned


def _searched(weights: np.ndarray, points: np.ndarray) -> np.ndarray:
    cumulative = np.cumsum(weights)
    return np.minimum(np.searchsorted(cumulative, points, side="right"), len(weights) - 1)


@given(
    weights=st.lists(
        st.one_of(st.just(0.0), st.floats(1e-9, 1e6)), min_size=1, max_size=300
    ).filter(lambda w: sum(w) > 0),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_pick_is_the_binary_search_answer(weights: list[float], seed: int) -> None:
    """Zero weights (suspended sellers), weights a trillion times apart and points on
    the very boundaries between individuals: the guide table never moves an answer."""
    w = np.array(weights)
    picker = WeightedPick(w)
    cumulative = np.cumsum(w)
    u = np.random.default_rng(seed).random(500)
    points = np.concatenate(
        (u * picker.total, cumulative, np.nextafter(cumulative, 0), [0.0, picker.total])
    )
    assert np.array_equal(picker.pick(points), _searched(w, points))


def test_a_large_skewed_pool_is_picked_by_its_weights() -> None:
    """300,000 buyers of log-normal frequency: the search's answers, and each buyer's
    share of a million picks close to its weight's share."""
    gen = np.random.default_rng(7)
    weights = np.exp(2.0 * gen.standard_normal(300_000))
    picker = WeightedPick(weights)
    u = gen.random(1_000_000)
    picked = picker.draw(u)
    assert np.array_equal(picked, _searched(weights, u * picker.total))
    heaviest = np.argsort(weights)[-20:]
    share = np.bincount(picked, minlength=len(weights))[heaviest] / len(u)
    expected = weights[heaviest] / weights.sum()
    assert np.all(np.abs(share - expected) < 5 * np.sqrt(expected / len(u)) + 1e-4)


@given(
    keep=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=40),
    changed=st.integers(0, 39),
    to=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_change_to_one_index_moves_only_the_draws_that_land_on_it(
    keep: list[float], changed: int, to: float, seed: int
) -> None:
    """Common random numbers survive a local change: restrict (or free) one seller and
    every draw whose free pick was another seller, and that seller kept it, is the same."""
    weights = np.random.default_rng(seed).uniform(0.1, 2.0, len(keep))
    keep_a = np.array(keep)
    keep_a[-1] = 1.0  # at least one seller keeps every order, in both
    keep_b = keep_a.copy()
    index = changed % (len(keep) - 1)
    keep_b[index] = to
    free = WeightedPick(weights)
    u = np.random.default_rng(seed + 1).random(2_000)
    a, b = thinned(free, keep_a, u), thinned(free, keep_b, u)
    first = free.draw(u)
    untouched = (first != index) & (keep_a[first] == 1.0)
    assert np.array_equal(a[untouched], b[untouched])
    assert not ((keep_b == 0.0) & np.isin(np.arange(len(keep)), b)).any(), "a refused index"


def test_drawing_again_where_refused_gives_the_kept_weights_distribution() -> None:
    """Rejection from the free weights is exact: each index's share of a million draws is
    its weight times its chance to keep, normalised; with every chance 1 it is the free
    draw itself."""
    gen = np.random.default_rng(3)
    weights = gen.uniform(0.5, 3.0, 50)
    keep = np.where(np.arange(50) % 5 == 0, 0.25, 1.0)
    keep[7] = 0.0  # suspended
    free = WeightedPick(weights)
    u = gen.random(1_000_000)
    drawn = np.bincount(thinned(free, keep, u), minlength=50) / len(u)
    expected = weights * keep / (weights * keep).sum()
    assert drawn[7] == 0
    assert np.abs(drawn - expected).max() < 4 * np.sqrt(expected.max() / len(u))
    assert np.array_equal(thinned(free, None, u), free.draw(u))
    assert np.array_equal(thinned(free, np.ones(50), u), free.draw(u))
