"""Picking by weight gives the binary search's answer, index for index."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sim.world.population.weighted import WeightedPick


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
