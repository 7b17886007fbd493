"""Whole simulations under random valid policies and behaviours: every order of every
world passes every invariant, and the world never proposes a move the machine refuses."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.world.runner import run
from tests.strategies import policies
from tests.world_runs import baseline

probability = st.floats(0.0, 1.0)


@st.composite
def behaviours(draw: st.DrawFn) -> dict[str, object]:
    """Profile and team changes: any probabilities, any delays, any staff."""
    base = baseline()
    sellers = []
    for profile in base.sellers:
        answers = sorted(draw(st.lists(probability, min_size=3, max_size=3)))
        agrees, rejects, counters = answers[0], answers[1] - answers[0], answers[2] - answers[1]
        sellers.append(
            profile.model_copy(
                update={
                    "ships": draw(probability),
                    "fake_tracking": draw(probability),
                    "not_as_described": draw(probability),
                    "agrees": agrees,
                    "rejects": rejects,
                    "counter_offers": counters,
                    "extends_protection": draw(probability),
                    "handling_median_days": draw(st.floats(0.1, 15.0)),
                    "answer_deadline_share": draw(st.floats(0.01, 2.0)),
                }
            )
        )
    buyers = [
        b.model_copy(
            update={
                "cancels": draw(probability),
                "false_claim": draw(probability),
                "misses_window": draw(probability),
                "escalates": draw(probability),
                "accepts_offer": draw(probability),
                "modifies_request": draw(probability),
                "asks_return": draw(probability),
                "form_error": draw(probability),
                "appeals": draw(probability),
                "patience_days": draw(st.floats(0.0, 40.0)),
            }
        )
        for b in base.buyers
    ]
    team = base.team.model_copy(
        update={"staff": draw(st.integers(1, 5)), "asks_evidence": draw(probability)}
    )
    return {"sellers": tuple(sellers), "buyers": tuple(buyers), "team": team}


@pytest.mark.rules("D3", "D4", "D7", "D9", "D10", "E4")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy=policies(), world=behaviours(), seed=st.integers(0, 2**32 - 1))
def test_random_worlds_keep_every_invariant(policy, world, seed):
    scenario = baseline().model_copy(update={"policy": policy, **world})
    result = run(scenario, seed, orders=400, check_invariants=True)  # raises on any violation
    assert len(result.orders) == 400
