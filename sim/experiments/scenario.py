"""Scenario files: a TOML file holding a policy (preset plus overrides), the market, the
behaviour profiles, the case team and the run settings, read into a `Scenario`.

Unknown keys are refused and every error is one line naming the file, the key and what
was expected. Nothing in a scenario can run code: it is parsed as data, never evaluated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from machine.policy import Policy, PolicyError
from machine.presets import DEFAULT_PRESET, PRESETS, STANDARD_PRESETS
from sim.measures.metrics import ALL_FIGURES
from sim.tomlfile import read_toml
from sim.world.behaviour.profiles import default_buyers, default_sellers
from sim.world.params import describe
from sim.world.scenario import Scenario, ScenarioError

SECTIONS = (
    "scenario",
    "policy",
    "market",
    "sellers",
    "buyers",
    "team",
    "population",
    "fitted",
    "run",
    "arms",
)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raise `ScenarioError` with one clear line."""
    path = Path(path)
    data = read_toml(path, ScenarioError)
    return scenario_from_dict(data, source=str(path))


def load_arms(path: str | Path) -> list[Scenario]:
    """The arms of a scenario file, each a scenario named `NAME-ARM` whose policy is the
    file's with the arm's changes (`[[arms]]` with `name`, and `standards`, a `policy`
    table or a `population` table, merged key by key into the file's); a file without
    arms is its one arm. `compare` runs every arm."""
    path = Path(path)
    data = read_toml(path, ScenarioError)
    arms = data.get("arms")
    if arms is None:
        return [scenario_from_dict(data, source=str(path))]
    if not isinstance(arms, list) or not arms:
        raise ScenarioError(f"{path}: key 'arms': expected [[arms]] tables, each with a name")
    base = scenario_from_dict(data, source=str(path))
    found = []
    for number, arm in enumerate(arms):
        key = f"arms[{number}]"
        if not isinstance(arm, dict) or not isinstance(arm.get("name"), str) or not arm["name"]:
            raise ScenarioError(f"{path}: key '{key}.name': required, a non-empty string")
        extra = [k for k in arm if k not in ("name", "standards", "policy", "population")]
        if extra:
            raise ScenarioError(
                f"{path}: unknown key '{key}.{extra[0]}' (expected name, standards, policy, "
                "population)"
            )
        if not isinstance(arm.get("population", {}), dict):
            raise ScenarioError(f"{path}: key '{key}.population': expected a table")
        changes = arm.get("policy", {})
        if not isinstance(changes, dict):
            raise ScenarioError(f"{path}: key '{key}.policy': expected a table of levers")
        if "standards" in arm:
            changes = {**changes, "standards": arm["standards"]}
        header = {**data.get("scenario", {}), "name": f"{base.name}-{arm['name']}"}
        variant = {**data, "scenario": header, "policy": {**data.get("policy", {}), **changes}}
        if "population" in arm:
            variant["population"] = _merged(data.get("population", {}), arm["population"])
        found.append(scenario_from_dict(variant, source=f"{path} ({key})"))
    return found


def _merged(base: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """`base` with `changes` merged in, table by table."""
    merged = dict(base) if isinstance(base, dict) else {}
    for name, value in changes.items():
        old = merged.get(name)
        merged[name] = (
            _merged(old, value) if isinstance(value, dict) and isinstance(old, dict) else value
        )
    return merged


def scenario_from_dict(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate an already-parsed scenario; errors name `source` and the key."""
    unknown = [key for key in data if key not in SECTIONS]
    if unknown:
        raise ScenarioError(
            f"{source}: unknown section '{unknown[0]}' (expected one of: {', '.join(SECTIONS)})"
        )
    for key in SECTIONS:
        if (
            key in data
            and key not in ("sellers", "buyers", "arms")
            and not isinstance(data[key], dict)
        ):
            raise ScenarioError(f"{source}: key '{key}': expected a table [{key}]")
    header = dict(data.get("scenario", {}))
    extra = [key for key in header if key not in ("name", "question", "figures")]
    if extra:
        raise ScenarioError(
            f"{source}: unknown key 'scenario.{extra[0]}' (expected name, question, figures)"
        )
    figures = header.get("figures", ())
    unknown = (
        [key for key in figures if key not in ALL_FIGURES] if isinstance(figures, list) else []
    )
    if unknown:
        raise ScenarioError(
            f"{source}: key 'scenario.figures': unknown figure '{unknown[0]}' "
            "(see docs/model.md, section 7)"
        )
    name = header.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(
            f"{source}: key 'scenario.name': required, a non-empty string "
            '(a scenario file starts with [scenario] and name = "...")'
        )
    preset_name, standards, policy = _policy(data.get("policy", {}), source)
    fields: dict[str, Any] = {
        **header,
        "preset": preset_name,
        "standards": standards,
        "policy": policy,
    }
    for key in ("market", "team", "population", "fitted", "run"):
        if key in data:
            fields[key] = data[key]
    for key, defaults in (("sellers", default_sellers()), ("buyers", default_buyers())):
        if key in data:
            fields[key] = _profiles(data[key], defaults, key, source)
    try:
        return Scenario.model_validate(fields)
    except ValidationError as err:
        header = dict.fromkeys(HEADER_KEYS, "scenario")
        raise ScenarioError(f"{source}: {describe(err, header)}") from None


def _profiles(section: Any, defaults: tuple[Any, ...], key: str, source: str) -> Any:
    """`[[sellers]]` replaces the mix; `[sellers.NAME]` changes fields of a default profile."""
    if isinstance(section, list):
        return section
    if not isinstance(section, dict):
        raise ScenarioError(f"{source}: key '{key}': expected [[{key}]] or [{key}.NAME] tables")
    names = [profile.name for profile in defaults]
    for name, changes in section.items():
        if name not in names:
            raise ScenarioError(
                f"{source}: unknown profile '{key}.{name}' (expected one of: {', '.join(names)})"
            )
        if not isinstance(changes, dict):
            raise ScenarioError(f"{source}: key '{key}.{name}': expected a table [{key}.{name}]")
    return [{**profile.model_dump(), **section.get(profile.name, {})} for profile in defaults]


def _policy(section: dict[str, Any], source: str) -> tuple[str, str, Policy]:
    """The process preset, the seller-standards preset on top of it, then the levers."""
    levers = dict(section)
    preset_name = levers.pop("preset", DEFAULT_PRESET)
    standards = levers.pop("standards", "none")
    for key, name, known in (
        ("preset", preset_name, PRESETS),
        ("standards", standards, STANDARD_PRESETS),
    ):
        if not isinstance(name, str) or name not in known:
            raise ScenarioError(
                f"{source}: key 'policy.{key}': expected one of {', '.join(known)}, got {name!r}"
            )
    chosen = {**PRESETS[preset_name].levers, **STANDARD_PRESETS[standards].levers, **levers}
    try:
        return preset_name, standards, Policy.create(**chosen)
    except PolicyError as err:
        raise ScenarioError(f"{source}: {err}") from None


HEADER_KEYS = ("name", "question", "figures")  # written under [scenario] in a file
