"""The fit's uncertainty carried into a comparison: each bootstrap replicate of a fit is one
whole parameter set, and `compare --fit-uncertainty DIR` runs replication r of every fitted
scenario with set r put in (`sim.fitting.values.put`), on the same seed r, so that a paired
difference's interval says how much the data and the simulation together allow.

An arm keeps what it changed: a policy value the arm sets apart from the fit (the lever a
counterfactual moves, even one the log also showed, such as the bank's days) is the arm's,
not the replicate's. An arm that is not a fitted scenario runs as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.errors import UserError
from sim.fitting.values import put
from sim.world.params import describe
from sim.world.scenario import Scenario

Headers = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class ParameterSets:
    """A fit folder's bootstrap: each delay's header, the point estimate, the replicates."""

    folder: Path
    headers: Headers
    point: dict[str, float]
    replicates: list[dict[str, float]]


def parameter_sets(folder: str | Path) -> ParameterSets:
    """The parameter sets `disputesim fit` kept in `folder`/bootstrap.json."""
    path = Path(folder) / "bootstrap.json"
    try:
        found = json.loads(path.read_text())
        return ParameterSets(Path(folder), found["delays"], found["point"], found["replicates"])
    except FileNotFoundError:
        raise UserError(f"{path}: no such file (give the folder `disputesim fit` wrote)") from None
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
        raise UserError(f"{path}: not a fit's bootstrap (fit again with disputesim fit)") from None


def with_values(scenario: Scenario, values: dict[str, float], sets: ParameterSets) -> Scenario:
    """`scenario` with one replicate's `values` in place of its fitted numbers, but for the
    policy values the scenario sets apart from the fit's point estimate."""
    data = scenario.model_dump(mode="json")
    own = {
        key
        for key in values
        if key.startswith("policy.")
        and key in sets.point
        and data["policy"][key.split(".")[1]] != round(sets.point[key])
    }
    put(data, {k: v for k, v in values.items() if k not in own}, sets.headers)
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        message = f"a bootstrap replicate does not make a scenario: {describe(err)}"
        raise UserError(f"{scenario.name}: {message}") from None


def replicated(scenario: Scenario, sets: ParameterSets, replications: int) -> tuple[Scenario, ...]:
    """The scenario once for each of the first `replications` parameter sets (none for a
    scenario that was not fitted: it runs as it is)."""
    if not scenario.fitted.source:
        return ()
    if len(sets.replicates) < replications:
        raise UserError(
            f"{sets.folder}: the fit holds {len(sets.replicates)} bootstrap replicates; ask "
            f"for at most {len(sets.replicates)} replications (or fit again with a larger "
            "--bootstrap)"
        )
    return tuple(with_values(scenario, v, sets) for v in sets.replicates[:replications])
