"""The timing assumption of a counterfactual on a fitted world.

A log shows one policy, so how an actor's timing moves when the deadline it raced moves
cannot be learnt from it: `fitted.timing = "fixed"` keeps the fitted days, `"scaling"`
stretches them with the deadline. A comparison whose scenarios differ in a lever that a
fitted delay raced depends on that choice; `compare` then answers under both.
"""

from __future__ import annotations

from collections.abc import Sequence

from sim.world.scenario import Scenario

TIMINGS = ("fixed", "scaling")


def moved_levers(scenarios: Sequence[Scenario]) -> tuple[str, ...]:
    """The deadline levers a fitted delay raced whose values differ among `scenarios`:
    where the timing assumption changes the answer (none: it cannot)."""
    raced = {
        delay.lever
        for scenario in scenarios
        for delay in scenario.fitted.delays.values()
        if delay.lever is not None
    }
    return tuple(
        sorted(
            lever
            for lever in raced
            if len({getattr(scenario.policy, lever) for scenario in scenarios}) > 1
        )
    )


def other_timing(scenario: Scenario) -> Scenario:
    """`scenario` under the other timing assumption (fixed for scaling and back)."""
    timing = TIMINGS[1 - TIMINGS.index(scenario.fitted.timing)]
    fitted = scenario.fitted.model_copy(update={"timing": timing})
    return scenario.model_copy(update={"fitted": fitted})


def timing_of(scenarios: Sequence[Scenario]) -> str:
    """The timing the scenarios assume ("mixed" if they differ)."""
    found = {scenario.fitted.timing for scenario in scenarios}
    return found.pop() if len(found) == 1 else "mixed"
