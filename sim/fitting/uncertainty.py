"""The fit's uncertainty carried into a comparison: each bootstrap replicate of a fit is one
whole parameter set, and `compare --fit-uncertainty DIR` runs replication r of every
scenario with set r put in (`sim.fitting.values.put`), on the same seed r, so that a paired
difference's interval says how much the data and the simulation together allow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.errors import UserError
from sim.fitting.values import put
from sim.world.params import describe
from sim.world.scenario import Scenario

Headers = dict[str, dict[str, Any]]


def parameter_sets(folder: str | Path) -> tuple[Headers, list[dict[str, float]]]:
    """A fit folder's delay headers and its bootstrap replicates' values."""
    path = Path(folder) / "bootstrap.json"
    try:
        found = json.loads(path.read_text())
        return found["delays"], found["replicates"]
    except FileNotFoundError:
        raise UserError(f"{path}: no such file (give the folder `disputesim fit` wrote)") from None
    except (json.JSONDecodeError, KeyError, TypeError):
        raise UserError(f"{path}: not a fit's bootstrap (fit again with disputesim fit)") from None


def with_values(scenario: Scenario, values: dict[str, float], headers: Headers) -> Scenario:
    """`scenario` with one replicate's `values` in place of its fitted numbers."""
    data = scenario.model_dump(mode="json")
    put(data, values, headers)
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        message = f"a bootstrap replicate does not make a scenario: {describe(err)}"
        raise UserError(f"{scenario.name}: {message}") from None


def replicated(scenario: Scenario, folder: str | Path, replications: int) -> tuple[Scenario, ...]:
    """The scenario once for each of the first `replications` parameter sets of the fit."""
    headers, sets = parameter_sets(folder)
    if len(sets) < replications:
        raise UserError(
            f"{folder}: the fit holds {len(sets)} bootstrap replicates; ask for at most "
            f"{len(sets)} replications (or fit again with a larger --bootstrap)"
        )
    return tuple(with_values(scenario, values, headers) for values in sets[:replications])
