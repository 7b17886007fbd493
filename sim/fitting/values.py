"""Fitted values put into a scenario's data: the one place that knows where each key of a
fit goes (`sellers.*.agrees` in every seller profile, `fitted.delays.answer.scale` in the
answer's distribution, ...), for the fitted scenario's file and for each bootstrap
replicate a comparison runs (`sim.fitting.uncertainty`)."""

from __future__ import annotations

import math
from typing import Any

PROFILE_SIDES = ("sellers", "buyers")
WHOLE = {
    ("team", "staff"),
    ("population", "sellers"),
    ("population", "buyers"),
    ("policy", "bank_days_min"),
    ("policy", "bank_days_max"),
    ("market", "price_median_cents"),
    ("market", "price_min_cents"),
}
"""The fields that take whole numbers."""


def put(data: dict[str, Any], values: dict[str, float], headers: dict[str, dict[str, Any]]) -> None:
    """Put `values` into a scenario's `data` (a file's tables or a scenario's dump, which
    agree where a fit writes), each fitted delay with its `headers` (family, lever)."""
    delays: dict[str, dict[str, Any]] = data.setdefault("fitted", {}).setdefault("delays", {})
    weekday = list(data["market"].get("weekday_factors", (1.0,) * 7))
    shares = list(data["team"].get("decision_shares") or (math.nan,) * 3)
    curves: dict[str, dict[int, float]] = {}
    levels: dict[str, dict[int, float]] = {}
    for key, value in values.items():
        parts = key.split(".")
        if parts[0] == "fitted":
            if parts[3] in ("shape", "scale"):
                delay = delays.setdefault(parts[2], {})
                delay.update(headers[parts[2]])
                delay[parts[3]] = value
            elif parts[3] == "knots":
                curves.setdefault(parts[2], {})[int(parts[4])] = value
            elif parts[3] == "levels":
                levels.setdefault(parts[2], {})[int(parts[4])] = value
        elif parts[0] in PROFILE_SIDES:
            for profile in data[parts[0]]:
                profile[parts[2]] = value
        elif parts[:2] == ["market", "carriers"]:  # one carrier's, or all of theirs (*)
            for carrier in data["market"]["carriers"]:
                if parts[2] in ("*", carrier["name"]):
                    _carrier(carrier, parts[3], value)
        elif key.startswith("market.weekday_factors."):
            weekday[int(parts[2])] = value
        elif key.startswith("team.decision_shares."):
            shares[int(parts[2])] = value
        else:
            section, name = parts
            data[section][name] = round(value) if (section, name) in WHOLE else value
    for name, curve in curves.items():  # the whole curve, as far as these values reach
        delays[name]["knots"] = [curve[k] for k in sorted(curve)]
        delays[name]["levels"] = [levels[name][k] for k in sorted(curve)]
    if "fitted.delays.handling.scale" in values:  # its tail holds those who never ship
        for profile in data["sellers"]:
            profile["ships"] = 1.0
    data["market"]["weekday_factors"] = weekday
    if "fitted.delays.transit.scale" in values and len(data["market"]["carriers"]) > 1:
        data["market"]["carriers"] = [_one_carrier(data["market"]["carriers"])]
    if "market.price_median_cents" in values:  # the log's prices include the shipping
        for carrier in data["market"]["carriers"]:
            carrier["price_cents"] = 0
    if not any(math.isnan(s) for s in shares):
        total = sum(shares)
        data["team"]["decision_shares"] = [s / total for s in shares]
    if "team.staff" in values:
        data["team"]["caseload"] = 1  # the capacity is the cases held at once
    if any(key in values for key in ("sellers.*.agrees", "sellers.*.rejects")):
        for profile in data["sellers"]:
            profile["contests_fine_goods"] = 0.0  # the log's shares, whatever the goods


def _carrier(carrier: dict[str, Any], name: str, value: float) -> None:
    """A carrier's fitted field: the declared losses as a loss rate over the share the
    carrier declares (which the log cannot show), the rest as they are."""
    if name == "declared_losses":
        carrier["loss_rate"] = min(1.0, value / max(carrier["declared_lost_share"], 1e-9))
    else:
        carrier[name] = value


def _one_carrier(carriers: list[dict[str, Any]]) -> dict[str, Any]:
    """The carriers as one (a transit fitted in days, with no promise to tell them apart,
    is the mix's): each number the share-weighted mean of theirs."""
    merged = dict(carriers[0], name="fitted", share=1.0)
    for key, value in carriers[0].items():
        if isinstance(value, float) and key != "share":
            merged[key] = sum(c["share"] * c[key] for c in carriers)
    merged["tracking_lag_max_days"] = max(
        merged["tracking_lag_min_days"], merged["tracking_lag_max_days"]
    )
    return merged
