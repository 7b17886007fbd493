"""Fuzzing scenario files: wrong types, unknown and missing keys, negative, zero and huge
values, broken TOML, empty files, binary garbage. Every case is either a valid scenario or
one clear line naming the file, with exit code 2: never a traceback."""

from __future__ import annotations

import copy
import math
import tomllib

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sim.cli import main
from tests.world_runs import BASELINE

BASE = tomllib.loads(BASELINE.read_text()) | {
    "team": {"staff": 10, "review_median_days": 0.8, "asks_evidence": 0.35},
    "sellers": {"fraudulent": {"share": 0.02, "agrees": 0.05}},
    "buyers": {"opportunistic": {"false_claim": 0.012}},
}


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {toml_value(v)}' for k, v in value.items()) + "}"
    return '"' + str(value) + '"'  # dates and anything else, as text


def to_toml(data: dict) -> str:
    """A small TOML writer: top-level tables, nested tables inline."""
    lines = []
    for section, body in data.items():
        if isinstance(body, dict):
            lines.append(f'["{section}"]')
            lines += [f'"{k}" = {toml_value(v)}' for k, v in body.items()]
        else:
            lines.append(f'"{section}" = {toml_value(body)}')
    return "\n".join(lines) + "\n"


def leaves(data: dict, path: tuple = ()) -> list[tuple]:
    found = []
    for key, value in data.items():
        if isinstance(value, dict):
            found += leaves(value, (*path, key))
        else:
            found.append((*path, key))
    return found


def set_in(data: dict, path: tuple, value: object) -> dict:
    """A deep copy of `data` with the leaf at `path` set to `value`."""
    changed = copy.deepcopy(data)
    node = changed
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return changed


LEAVES = leaves(BASE)
ODD = st.one_of(
    st.just(-1),
    st.just(0),
    st.just(10**30),
    st.just(-(10**30)),
    st.just(1e308),
    st.just(-0.5),
    st.just(float("inf")),
    st.just(float("nan")),
    st.text(max_size=8),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text("ab", min_size=1, max_size=3), st.integers(), max_size=2),
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    kind = draw(
        st.sampled_from(["value", "unknown", "missing", "truncate", "garbage", "empty", "noise"])
    )
    if kind == "value":
        text = to_toml(set_in(BASE, draw(st.sampled_from(LEAVES)), draw(ODD)))
    elif kind == "unknown":
        path = draw(st.sampled_from(LEAVES))
        text = to_toml(
            set_in(BASE, (*path[:-1], draw(st.sampled_from(["ordrs", "x", "policy_", "staf"]))), 1)
        )
    elif kind == "missing":
        data = {k: v for k, v in BASE.items() if k != draw(st.sampled_from(list(BASE)))}
        text = to_toml(data)
    elif kind == "truncate":
        full = to_toml(BASE)
        text = full[: draw(st.integers(0, len(full)))]
    elif kind == "noise":
        full = to_toml(BASE)
        at = draw(st.integers(0, len(full)))
        text = full[:at] + draw(st.text(min_size=1, max_size=5)) + full[at:]
    elif kind == "garbage":
        return draw(st.binary(min_size=1, max_size=200))
    else:
        text = ""
    return text.encode("utf-8", errors="surrogatepass")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=mutated())
def test_every_mutation_is_valid_or_one_clear_line(content, tmp_path, capsys):
    path = tmp_path / "fuzz.toml"
    path.write_bytes(content)
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    event("accepted" if code == 0 else "refused")
    if code == 0:
        assert out.startswith(f"ok  {path}")
    else:
        assert code == 2
        assert err.count("\n") == 1 and err.startswith(f"disputesim: error: {path}:")


def test_an_empty_file_and_garbage_are_errors(tmp_path, capsys):
    for content in (b"", b"\x00\xff\xfe garbage \x80"):
        path = tmp_path / "f.toml"
        path.write_bytes(content)
        assert main(["validate", str(path)]) == 2
        assert str(path) in capsys.readouterr().err


def test_nothing_in_a_scenario_runs_code(tmp_path, capsys):
    marker = tmp_path / "pwned"
    code = f'__import__(\\"os\\").system(\\"touch {marker}\\")'
    payload = f'[scenario]\nname = "{code}"\n[run]\ndays = "{{exec}}"\n'
    path = tmp_path / "evil.toml"
    path.write_text(payload)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert not marker.exists()
    assert f"{path}: key 'run.days'" in err and "{exec}" in err  # named, shown, not run
    assert err.count("\n") == 1
