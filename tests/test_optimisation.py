"""Policy search: dominance and the epsilon band on a problem with a known front, the
probability of Pareto-optimality, regret and satisficing on worlds the test builds, and
`disputesim optimise` identical on one and two jobs, resumed after a kill, refusing bad
input in one line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.experiments import pareto
from sim.experiments.robustness import regret, robustness, satisficing
from tests.helpers import disputesim, small_scenario

ROOT = Path(__file__).resolve().parent.parent


def test_the_non_dominated_set_of_a_known_front():
    """Points on the front x + y = 1 (x in [0, 1]) and points strictly behind it: the
    front is exactly the first set, whatever the order."""
    gen = np.random.Generator(np.random.PCG64(1))
    x = gen.random(30)
    front = np.column_stack([x, 1 - x])
    behind = front[:20] + gen.uniform(0.05, 0.5, (20, 2))
    values = np.vstack([behind, front])
    order = gen.permutation(len(values))
    found = set(order[pareto.non_dominated(values[order])].tolist())
    assert found == set(range(20, 50))


def test_the_epsilon_band_keeps_what_noise_cannot_tell_apart():
    values = np.array([[0.0, 1.0], [1.0, 0.0], [0.05, 1.05], [0.5, 1.5]])
    assert pareto.non_dominated(values).tolist() == [0, 1]
    band = pareto.non_dominated(values, np.array([0.1, 0.1])).tolist()
    assert band == [0, 1, 2]  # within 0.1 of the front on both: kept; far behind: not
    twins = np.array([[1.0, 1.0], [1.0, 1.0]])
    assert pareto.non_dominated(twins).tolist() == [0, 1]  # equals never dominate


def test_the_probability_of_pareto_optimality_follows_the_evidence():
    """A clear winner on both objectives, a clear loser, and a policy tied with the winner
    up to noise: 1, 0 and in between; more replications sharpen the tie's answer."""
    gen = np.random.Generator(np.random.PCG64(2))

    def runs(centre: tuple[float, float], n: int) -> np.ndarray:
        return np.array(centre) + gen.normal(0, 0.05, (n, 2))

    winner, loser = runs((0.0, 0.0), 10), runs((1.0, 1.0), 10)
    close = runs((0.02, 0.02), 10)
    p = pareto.pareto_probability([winner, loser, close], seed=3)
    assert p[0] > 0.5 and p[1] == 0.0 and 0.0 < p[2] < 1.0
    infeasible = [np.zeros((10, 1)), np.ones((10, 1)), np.zeros((10, 1))]  # the loser fails
    fenced = pareto.pareto_probability([winner, loser, close], infeasible, seed=3)
    assert fenced[1] == 0.0 and (fenced >= 0).all() and (fenced <= 1).all()
    alone = pareto.pareto_probability([loser], [np.ones((10, 1))], seed=3)
    assert alone[0] == 0.0  # a policy that never meets the constraints is never optimal


def test_regret_and_satisficing_on_worlds_with_a_known_best():
    """Three policies, four worlds, one objective: A is best in worlds 0-2 and bad in 3,
    B is never best but never far; the 90th percentile of regret sees A's bad world."""
    values = np.array(
        [
            [[0.0], [0.0], [0.0], [10.0]],  # A
            [[1.0], [1.0], [1.0], [1.0]],  # B
            [[5.0], [5.0], [5.0], [5.0]],  # C
        ]
    )
    shortfall = regret(values)
    assert shortfall[:, 0].tolist() == pytest.approx([np.percentile([0, 0, 0, 9], 90), 1.0, 5.0])
    meets = np.array([[True, True, True, False], [True] * 4, [True, False, True, True]])
    assert satisficing(meets).tolist() == [0.75, 1.0, 0.75]
    ranked = robustness(values, meets)
    assert ranked.order.tolist()[0] == 1  # B: meets everywhere and regrets least
    assert sorted(ranked.rank.tolist()) == [0, 1, 2]


SMALL = small_scenario(days=40)
SEARCH = """
[optimise]
name = "tiny"
scenario = "small.toml"
trials = 8
population = 4
replications = 2
confirm_replications = 3
extra_replications = 2
candidates = 4
seed = 3
worlds = 3
world_replications = 1

[[objectives]]
figure = "buyer_loss"
[[objectives]]
figure = "seller_loss"

[[constraints]]
figure = "team_mean_wait"
at_most = 30

[[levers]]
key = "policy.seller_response_days"
low = 2
high = 15
[[levers]]
key = "team.staff"
low = 1
high = 4

[[uncertainties]]
key = "buyers.diligent.escalates"
low = 0.01
high = 0.2
"""


def _write_search(folder: Path) -> Path:
    (folder / "small.toml").write_text(SMALL)
    path = folder / "search.toml"
    path.write_text(SEARCH)
    return path


@pytest.fixture
def search(tmp_path: Path) -> Path:
    return _write_search(tmp_path)


@pytest.fixture(scope="module")
def searched(once) -> tuple[Path, dict[str, Any]]:
    """The search run once on two jobs, with robustness: the answer the tests below must
    find again on one job, after a kill and on a Dask cluster."""

    def make(folder: Path) -> None:
        result = disputesim("optimise", str(_write_search(folder)), "--out", str(folder / "out"),
                            "--jobs", "2", "--json", "--robust")  # fmt: skip
        assert result.returncode == 0, result.stderr
        (folder / "answer.json").write_text(result.stdout)

    folder = once("searched", make)
    return folder / "out", json.loads((folder / "answer.json").read_text())


def _answers(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(folder / name) for name in ("trials.parquet", "pareto.parquet")}


def test_optimise_is_the_same_on_one_and_two_jobs_and_writes_its_set(search, searched, tmp_path):
    one, (two, answer) = tmp_path / "one", searched
    first = disputesim("optimise", str(search), "--out", str(one), "--jobs", "1", "--json",
                       "--robust")  # fmt: skip
    assert first.returncode == 0, first.stderr
    a, b = json.loads(first.stdout), dict(answer)
    for body in (a, b):
        body.pop("folder"), body.pop("figures")
    assert a == b
    for name, frame in _answers(one).items():
        assert frame.equals(_answers(two)[name]), name
    assert a["trials"] == 8 and 1 <= len(a["candidates"]) <= 4
    for candidate in a["candidates"]:
        assert 0.0 <= candidate["pareto_probability"] <= 1.0
        assert candidate["replications"] in (3, 5)  # 2 more where P was uncertain
        assert (
            candidate["buyer_loss_low"] <= candidate["buyer_loss"] <= candidate["buyer_loss_high"]
        )
        assert 2 <= candidate["policy.seller_response_days"] <= 15
        assert candidate["team.staff"] in (1.0, 2.0, 3.0, 4.0)  # a whole-number lever
    assert len(a["robust"]) == len(a["candidates"]) and len(a["worlds"]) == 3
    assert sorted(r["rank"] for r in a["robust"]) == list(range(len(a["candidates"])))
    for png in ("pareto-front.png", "pareto-levers.png"):
        assert (one / "figures" / png).stat().st_size > 5_000


def test_a_killed_search_resumes_to_exactly_the_uninterrupted_answer(search, searched, tmp_path):
    (whole, _), broken = searched, tmp_path / "broken"
    args = ["optimise", str(search), "--jobs", "2", "--quiet"]
    process = subprocess.Popen([sys.executable, "-m", "sim.cli", *args, "--out", str(broken)],
                               cwd=ROOT, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(broken.glob("summary/*/*/*.parquet"))) < 6:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    assert not (broken / "pareto.parquet").exists(), "killed before it finished"
    assert disputesim(*args, "--out", str(broken)).returncode == 0
    for name, frame in _answers(whole).items():
        assert frame.equals(_answers(broken)[name]), name


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('figure = "seller_loss"', 'figure = "seller_lost"'), "'seller_lost' is not a figure"),
        (("at_most = 30", "at_most = 30\nat_least = 1"), "one of at_most and at_least"),
        (('figure = "team_mean_wait"', 'figure = "team_wait"'), "'team_wait' is not a figure"),
        (('key = "team.staff"', 'key = "team.staf"'), "team.staf"),
        (("trials = 8", "trials = 8\ntrails = 3"), "trails"),
        (("at_most = 30", "at_most = -1"), "no trial met the constraints"),
    ],
)
def test_optimise_refuses_bad_input_in_one_line(search, tmp_path, change, expected):
    search.write_text(search.read_text().replace(*change, 1))
    result = disputesim("optimise", str(search), "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_robust_needs_uncertainties(search, tmp_path):
    text = search.read_text()
    search.write_text(text[: text.index("[[uncertainties]]")])
    result = disputesim("optimise", str(search), "--out", str(tmp_path / "out"), "--robust")
    assert result.returncode == 2 and "--robust needs [[uncertainties]]" in result.stderr


def test_the_shipped_searches_are_valid():
    from sim.experiments.search_study import load_search

    for path in sorted((ROOT / "scenarios" / "searches").glob("*.toml")):
        study, _ = load_search(path)
        assert study.optimise.question and len(study.objectives) >= 2, path.name
    robust, _ = load_search(ROOT / "scenarios" / "searches" / "robust-deadlines.toml")
    assert robust.uncertainties


def test_optimise_on_a_dask_cluster_is_the_local_answer(search, searched, tmp_path, dask_cluster):
    (local, _), remote = searched, tmp_path / "remote"
    result = disputesim("optimise", str(search), "--out", str(remote), "--quiet",
                        "--scheduler", dask_cluster)  # fmt: skip
    assert result.returncode == 0, result.stderr
    for name, frame in _answers(local).items():
        assert frame.equals(_answers(remote)[name]), name
