"""The fitted scenario as a TOML file that runs as it is, every fitted number commented with
its 95% interval and where it came from, and what the log could not say listed on top.

The file is the base scenario (its policy, market, profiles, team and population) with the
fitted numbers put in: a choice in every profile of its side (the log shows the mix, not
who is who), a delay as a fitted distribution (`[fitted.delays.NAME]`), the team by its
queue and decision shares, the market by its arrivals and prices.
"""

from __future__ import annotations

import math
from typing import Any

from sim.fitting.fit import NOT_IN_A_LOG, Estimate, LogFit
from sim.fitting.values import PROFILE_SIDES, put
from sim.world.scenario import Scenario


def overrides(values: dict[str, float], fit: LogFit, timing: str = "fixed") -> dict[str, Any]:
    """The base scenario's data with the fitted `values` put in (a point estimate, or one
    bootstrap replicate's), ready for `sim.experiments.scenario.scenario_from_dict`."""
    base = fit.base
    data: dict[str, Any] = {
        "scenario": {"name": f"{base.name}-fitted"},
        "policy": {
            "preset": base.preset,
            "standards": base.standards,
            **_changed_levers(base),
        },
        "market": base.market.model_dump(mode="json"),
        "sellers": [p.model_dump(mode="json") for p in base.sellers],
        "buyers": [p.model_dump(mode="json") for p in base.buyers],
        "team": base.team.model_dump(mode="json"),
        "population": base.population.model_dump(mode="json"),
        "fitted": {"source": _source(fit), "timing": timing, "delays": {}},
        "run": base.run.model_dump(mode="json"),
    }
    put(data, values, delay_headers(fit))
    if fit.arrivals is not None:  # the log's window: a run of it is the log's twin
        data["run"].update(
            start=fit.arrivals.first.isoformat(), days=fit.arrivals.days, period=None
        )
    return data


def delay_headers(fit: LogFit) -> dict[str, dict[str, Any]]:
    """Each fitted delay's family and the deadline it raced (its shape and scale are values)."""
    return fit.delays


def _changed_levers(base: Scenario) -> dict[str, Any]:
    """The levers the base scenario sets beyond its presets."""
    from machine.presets import PRESETS, STANDARD_PRESETS

    chosen = {**PRESETS[base.preset].levers, **STANDARD_PRESETS[base.standards].levers}
    from machine.policy import Policy

    preset = Policy.create(**chosen)
    found = {}
    for name, value in base.policy.model_dump(mode="json").items():
        if getattr(preset, name) != getattr(base.policy, name):
            found[name] = value
    return found


def _source(fit: LogFit) -> str:
    return (
        f"fitted from {fit.replay.frame.path.name}: {fit.cases:,} cases, "
        f"{fit.censored_share:.1%} open at the log's end"
    )


# --- the file ------------------------------------------------------------------------


def scenario_text(fit: LogFit, timing: str = "fixed") -> str:
    """The fitted scenario as TOML: every fitted number with its interval beside it."""
    data = overrides(fit.point, fit, timing)
    notes = {e.key: e for e in fit.estimates}
    lines = [
        f"# A scenario fitted from a platform's log: {_source(fit)}.",
        f"# Written by `disputesim fit` under the policy the platform ran ({fit.base.preset}).",
        "# Every fitted number carries its 95% interval (a bootstrap over cases, over sellers",
        "# for behaviour where the log names them); the rest is",
        "# the base scenario's, and what the log could not identify is listed here:",
    ]
    for what, why in fit.unidentified:
        lines.append(f"#   {what}: {why}")
    for what, why in NOT_IN_A_LOG:
        lines.append(f"#   {what}: {why}")
    lines.append("")
    lines += _table("scenario", data["scenario"])
    lines += _table("policy", data["policy"], notes, "policy")
    market = {k: v for k, v in data["market"].items() if k != "carriers"}
    lines += _table("market", market, notes, "market")
    for carrier in data["market"]["carriers"]:
        own = f"market.carriers.{carrier['name']}"
        known = any(key.startswith(f"{own}.") for key in notes)
        lines += _table("[market.carriers]", carrier, notes, own if known else "market.carriers.*")
    for side in PROFILE_SIDES:
        for profile in data[side]:
            lines += _table(f"[{side}]", profile, notes, f"{side}.*")
    lines += _table("team", data["team"], notes, "team")
    population = dict(data["population"])
    adaptation = population.pop("adaptation")
    feedback = population.pop("feedback")
    cohorts = population.pop("cohorts", [])
    lines += _table("population", population, notes, "population")
    lines += _table("population.feedback", feedback)
    lines += _nested("population.adaptation", adaptation)
    for cohort in cohorts:
        lines += _table("[population.cohorts]", cohort)
    fitted = data["fitted"]
    lines += _table("fitted", {"source": fitted["source"], "timing": fitted["timing"]})
    for name, delay in fitted["delays"].items():
        race = fit.races[name]
        lines.append(
            f"# {race.race.doc}: {race.sample.size:,} observations, "
            f"{_censored(race)} censored; the {race.best.family} chosen by AIC among "
            f"{len(race.candidates)} candidates"
        )
        lines += _table(
            f'fitted.delays."{name}"' if ":" in name else f"fitted.delays.{name}",
            delay,
            notes,
            f"fitted.delays.{name}",
        )
    lines += _table("run", data["run"])
    return "\n".join(lines) + "\n"


def _censored(race: Any) -> str:
    from sim.fitting.families import RIGHT

    return f"{(race.sample.kind == RIGHT).mean():.0%}"


def _table(
    name: str, values: dict[str, Any], notes: dict[str, Estimate] | None = None, prefix: str = ""
) -> list[str]:
    lines = ["", f"[{name}]"]  # a name in brackets is an array of tables: [[name]]
    for key, value in values.items():
        if value is None or isinstance(value, dict):
            continue
        line = f"{key} = {_value(value)}"
        note = (notes or {}).get(f"{prefix}.{key}")
        if note is None and key == "weekday_factors" and notes:
            note = notes.get("market.weekday_factors.0")
            if note is not None:
                line += "  # fitted from the log's days of the week (intervals in fit.json)"
                lines.append(line)
                continue
        if note is None and prefix.startswith("market.carriers.") and key == "loss_rate" and notes:
            note = notes.get(f"{prefix}.declared_losses")
            if note is not None:
                line += (
                    f"  # declared losses {note.value:.4g} [{note.low:.4g}, {note.high:.4g}]"
                    " over the share the carrier declares (assumed)"
                )
                lines.append(line)
                continue
        if note is not None and math.isnan(note.low):
            line += "  # fitted: as the log shows it"
        elif note is not None:
            line += f"  # fitted: 95% [{_value(note.low)}, {_value(note.high)}]"
        lines.append(line)
    return lines


def _nested(name: str, values: dict[str, Any]) -> list[str]:
    flat = {k: v for k, v in values.items() if not isinstance(v, dict)}
    lines = _table(name, flat)
    for key, value in values.items():
        if isinstance(value, dict):
            lines += _nested(f"{name}.{key}", value)
    return lines


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return f"{value:.6g}" if not value.is_integer() or abs(value) >= 1e6 else f"{value:.1f}"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")
