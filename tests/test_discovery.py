"""Scenario discovery: PRIM finds a box planted in a table the test builds, its intervals
narrow with more replications, quasi-p-values tell needed restrictions from idle ones,
CART agrees, and `disputesim discover` answers on a sweep folder or refuses in one line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sim.discovery import cart, prim
from sim.discovery.box import Space, Stats
from sim.discovery.design import Condition, Design, Parameter, read_design
from sim.discovery.discover import discover, held_out_split
from sim.discovery.uncertainty import bootstrap, quasi_p_values, wilson
from sim.errors import UserError
from sim.experiments.folder import ResultsFolder
from tests.helpers import disputesim, small_scenario, sweep_into

NAMES = ("staff", "review", "idle", "channel")
CHANNELS = ("mail", "chat", "phone")


def planted(points: int, replications: int, seed: int) -> Design:
    """Points over four parameters where the condition holds with chance 0.9 inside the
    box staff <= 6, review >= 5, channel in {mail, phone} (and 0.05 outside); `idle`
    plays no part. The probabilities are drawn as replications would give them."""
    gen = np.random.Generator(np.random.PCG64(seed))
    staff = gen.uniform(2, 12, points)
    review = gen.uniform(2, 10, points)
    idle = gen.uniform(0, 1, points)
    channel = (np.arange(points) % 3).astype(float)  # balanced, as a design would be
    inside = (staff <= 6) & (review >= 5) & (channel != 1)
    met = gen.binomial(replications, np.where(inside, 0.9, 0.05)).astype(float)
    space = Space(NAMES, np.column_stack([staff, review, idle, channel]), {"channel": CHANNELS})
    parameters = (
        Parameter("staff", 2.0, 12.0, None),
        Parameter("review", 2.0, 10.0, None),
        Parameter("idle", 0.0, 1.0, None),
        Parameter("channel", None, None, CHANNELS),
    )
    condition = Condition("team_mean_wait", 10.0, above=True)
    counted = np.full(points, float(replications))
    return Design(condition, parameters, space, np.arange(points), met, counted, 0)


def test_prim_finds_the_planted_box_within_a_tolerance_of_its_limits():
    design = planted(points=600, replications=5, seed=11)
    found = discover(design, seed=2)
    box = found.box.box
    restricted = {NAMES[j] for j in found.box.restricted if found.box.quasi_p[j] <= 0.05}
    assert {"staff", "review", "channel"} <= restricted
    assert "idle" not in restricted, "an idle parameter's restriction must not look needed"
    assert 5.4 <= box.highs[0] <= 6.6 and np.isinf(box.lows[0])  # 6% of the range
    assert 4.5 <= box.lows[1] <= 5.5 and np.isinf(box.highs[1])
    assert box.allowed[3] == {0, 2}
    assert found.box.found.density > 0.8 and found.box.held_out.density > 0.7
    assert found.box.found.coverage > 0.6 and found.box.held_out.coverage > 0.5
    assert found.held_out > 150  # a third of the points checked the trajectory


def test_the_trajectory_peels_towards_purer_and_smaller_boxes_down_to_the_minimum_mass():
    design = planted(points=400, replications=5, seed=3)
    steps = prim.trajectory(design.space, design.y)
    masses = [s.stats.mass for s in steps]
    assert masses[0] == 1.0 and min(masses) >= prim.MIN_MASS
    assert steps[-1].stats.density > steps[0].stats.density + 0.5
    # peeling shrinks: each box holds at most as many points as the one before it was
    # pasted from, so the masses fall overall
    assert masses[-1] < 0.1 and len(steps) > 10


def test_intervals_narrow_with_more_replications():
    low, high = wilson(np.array([2.0, 20.0, 200.0]), np.array([5.0, 50.0, 500.0]))
    widths = high - low
    assert widths[0] > widths[1] > widths[2] > 0
    assert (low >= 0).all() and (high <= 1).all()
    assert wilson(np.array([0.0]), np.array([3.0]))[1][0] > 0  # not degenerate at 0
    few, many = planted(300, 2, seed=5), planted(300, 60, seed=5)
    box = discover(many, seed=1).box.box  # the same box measured on both
    narrow = bootstrap([box], many.space, many.y, seed=4)[0].density
    wide = bootstrap([box], few.space, few.y, seed=4)[0].density
    assert narrow.high - narrow.low < wide.high - wide.low


def test_bootstrap_intervals_hold_the_estimate_and_stay_within_zero_and_one():
    design = planted(200, 3, seed=8)
    steps = prim.trajectory(design.space, design.y)
    for step, spread in zip(steps, bootstrap([s.box for s in steps], design.space, design.y, 1),
                            strict=True):  # fmt: skip
        for value, interval in ((step.stats.density, spread.density),
                                (step.stats.coverage, spread.coverage)):  # fmt: skip
            assert 0.0 <= interval.low <= interval.high <= 1.0
            assert interval.low - 1e-9 <= value <= interval.high + 1e-9 or interval.low > 0.9


def test_quasi_p_values_count_design_points_not_replications():
    """Ten times the replications at each point must not make a restriction look surer:
    the trials are the points."""
    design = planted(300, 4, seed=9)
    box = discover(design, seed=1).box.box
    whole = design.space.unbounded()
    repeated = Design(design.condition, design.parameters, design.space, design.points,
                      design.met * 10, design.counted * 10, 0)  # fmt: skip
    assert quasi_p_values(box, whole, design.space, design.y) == quasi_p_values(
        box, whole, repeated.space, repeated.y
    )


def test_cart_splits_where_the_box_is():
    """Three levels deep, with leaves of 5% of the points at least, the tree cuts the two
    numeric limits (the channel's third of the box is below the leaf size)."""
    design = planted(500, 5, seed=4)
    leaves = cart.leaves(design.space, design.y)
    densest = leaves[0]
    assert densest.stats.density > 4 * float(design.y.mean())
    assert densest.box.highs[0] <= 6.6 and densest.box.lows[1] >= 4.4
    assert sum(leaf.stats.points for leaf in leaves) == 500  # the leaves split the points
    assert [leaf.stats.density for leaf in leaves] == sorted(
        (leaf.stats.density for leaf in leaves), reverse=True
    )


def test_a_box_s_statistics_are_what_it_holds():
    y = np.array([1.0, 0.5, 0.0, 0.0])
    s = Stats.of(np.array([True, True, False, False]), y)
    assert (s.mass, s.density, s.coverage, s.points) == (0.5, 0.75, 1.0, 2)


def test_nothing_to_find_is_one_line_not_an_empty_box():
    design = planted(100, 3, seed=1)
    none = Design(design.condition, design.parameters, design.space, design.points,
                  design.met * 0, design.counted, 0)  # fmt: skip
    with pytest.raises(UserError, match="no design point meets it"):
        discover(none)
    every = Design(design.condition, design.parameters, design.space, design.points,
                   design.counted, design.counted, 0)  # fmt: skip
    with pytest.raises(UserError, match="every design point meets it"):
        discover(every)
    with pytest.raises(UserError, match="--box 999"):
        discover(design, pick=999)


SMALL = small_scenario(days=25)
LHS = """
[study]
name = "overload-small"
scenario = "small.toml"
method = "lhs"
samples = 14
replications = 2
seed = 5

[[parameters]]
key = "team.staff"
low = 1
high = 6

[[parameters]]
key = "team.review_median_days"
low = 1.0
high = 9.0
"""


@pytest.fixture(scope="module")
def swept(once) -> Path:
    def make(folder: Path) -> None:
        (folder / "small.toml").write_text(SMALL)
        (folder / "study.toml").write_text(LHS)
        sweep_into(folder / "study.toml", folder / "out")

    return once("discovery-lhs", make) / "out"


def test_discover_on_a_sweep_prints_a_box_with_intervals_and_writes_its_figures(swept):
    result = disputesim("discover", str(swept), "--figure", "team_decision_days_median",
                        "--above", "6")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Where escalation to the team's decision")
    assert "coverage" in lines[1] and "density" in lines[1] and "[" in lines[1]
    assert any("team.review_median_days" in line and "quasi-p" in line for line in lines)
    for kind in ("trajectory", "limits", "scatter"):
        figure = swept / "figures" / f"discover-team_decision_days_median-above-6-{kind}.png"
        assert figure.stat().st_size > 5_000
    record = json.loads(
        (swept / "discovery" / "team_decision_days_median-above-6.json").read_text()
    )
    assert record["points"] == 14 and record["replications"] == 2
    box = record["box"]
    assert box["coverage_ci"][0] <= box["coverage"] <= box["coverage_ci"][1]
    # the slower the review, the longer to a decision: the box starts from above
    limit = box["limits"]["team.review_median_days"]
    assert limit["low"] > 1.0 and limit["high"] == 9.0


def test_a_held_out_split_with_no_point_meeting_the_condition_is_said_not_passed_over():
    """Few points meet the condition and the split holds none of them out: every step
    would score zero on the held-out side, so the box is chosen on the training side and
    the discovery says the check was not made (it used to take the first step silently)."""
    design = planted(points=60, replications=5, seed=8)
    few_points = np.argsort(-design.met, kind="stable")[:5]  # met at five points only
    rare = np.where(np.isin(np.arange(60), few_points), design.met, 0.0)
    seed = next(
        s
        for s in range(1, 500)
        if held_out_split(60, s).any() and not (rare[held_out_split(60, s)] > 0).any()
    )
    few = Design(design.condition, design.parameters, design.space, design.points, rare,
                 design.counted, 0)  # fmt: skip
    found = discover(few, seed=seed)
    assert found.held_out > 0 and found.witnesses == 0
    assert found.held_out_check == "not made"
    assert "held-out check not made" in (found.check_note() or "")

    def training_score(f):
        c, d = f.found.coverage, f.found.density
        return 2 * c * d / (c + d) if c + d > 0 else 0.0

    best = max(range(1, len(found.steps)), key=lambda i: (training_score(found.steps[i]), -i))
    assert found.chosen == best
    checked = discover(design, seed=seed)  # the same split, witnesses held out: checked
    assert checked.held_out_check == "made" and checked.check_note() is None


def test_discover_on_a_sweep_says_in_one_line_when_no_held_out_point_meets_it(swept):
    figure = "team_decision_days_median"
    folder = ResultsFolder.open(swept)
    values = np.sort(folder.summary().groupby("point")[figure].max().to_numpy())[::-1]
    level = next(v for v in values[2:] if (read_design(folder, Condition(figure, float(v),
                 True)).y > 0).sum() in (2, 3, 4))  # fmt: skip
    y = read_design(folder, Condition(figure, float(level), True)).y
    seed = next(s for s in range(1, 2_000) if held_out_split(len(y), s).any()
                and not (y[held_out_split(len(y), s)] > 0).any())  # fmt: skip
    args = ("discover", str(swept), "--figure", figure, "--above", repr(float(level)),
            "--seed", str(seed))  # fmt: skip
    result = disputesim(*args)
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stdout.splitlines() if "held-out check" in line
            or "on the held-out points" in line]  # fmt: skip
    assert len(said) == 1 and said[0].strip().startswith("held-out check not made"), said
    record = json.loads(disputesim(*args, "--json").stdout)
    assert record["held_out_check"] == "not made" and record["held_out_witnesses"] == 0
    trajectory = next(Path(f) for f in record["figures"] if f.endswith("trajectory.svg"))
    assert "held-out check not made" in trajectory.read_text()
    assert disputesim("report", str(swept)).returncode == 0
    assert "held-out check not made" in (swept / "report.html").read_text()


def test_discover_json_equals_the_record_and_is_the_same_for_the_same_seed(swept):
    args = ("discover", str(swept), "--figure", "team_decision_days_median", "--above", "6")
    first = json.loads(disputesim(*args, "--json").stdout)
    again = json.loads(disputesim(*args, "--json").stdout)
    assert first == again
    assert len(first["probabilities"]) == 14
    assert all(0 <= p["ci"][0] <= p["probability"] <= p["ci"][1] <= 1
               for p in first["probabilities"])  # fmt: skip


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--figure", "no_such_figure", "--above", "1"), "unknown"),
        (("--figure", "team_decision_days_median", "--above", "1e9"), "no design point meets"),
        (("--figure", "team_decision_days_median", "--above", "6", "--box", "500"), "--box 500"),
    ],
)
def test_discover_refuses_in_one_line(swept, args, expected):
    result = disputesim("discover", str(swept), *args)
    assert result.returncode == 2
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_discover_needs_a_sweep_folder(tmp_path):
    (tmp_path / "small.toml").write_text(small_scenario(days=2))
    out = tmp_path / "run"
    assert disputesim("run", str(tmp_path / "small.toml"), "--replications", "2", "--out",
                      str(out)).returncode == 0  # fmt: skip
    result = disputesim("discover", str(out), "--figure", "refund_rate", "--above", "0.1")
    assert result.returncode == 2 and "not a sweep" in result.stderr
    missing = disputesim("discover", str(tmp_path / "nothing"), "--figure", "x", "--above", "1")
    assert missing.returncode == 2 and "not a disputesim results folder" in missing.stderr
