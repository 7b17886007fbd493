"""The exhaustive checker: zones, symbolic comparisons, what a configuration remembers,
and a policy whose automatic escalation comes before the seller must answer (the checker
must find the rows it kills, tell the way there on whole days and find the smallest
lever change that revives them)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from machine.context import Context
from machine.dispatch import FastProcess
from machine.policy import Policy
from machine.process import build_machine
from machine.proof import verify
from machine.proof.checker import trace_to
from machine.proof.instant import Choices, Instant, Running
from machine.proof.lint import row_fires
from machine.proof.mutants import KINDS, judge, policy_mutants, sample, table_mutants
from machine.proof.replay import replay_step
from machine.proof.space import Space
from machine.proof.story import concrete
from machine.proof.zone import INF, NOW, Zone
from machine.table import TRANSITIONS
from sim.api.verification import Verified, emit, verify_policy

EARLY_ESCALATION = """
[scenario]
name = "early-escalation"
[policy]
preset = "aliexpress-2024"
auto_escalation_days = 3
seller_response_days = 5
fast_delivery_days = 0  # every promise alike: half the configurations, the same dead rows
"""


@pytest.fixture(scope="module")
def early(tmp_path_factory: pytest.TempPathFactory) -> Verified:
    path = tmp_path_factory.mktemp("verify") / "early-escalation.toml"
    path.write_text(EARLY_ESCALATION)
    return verify_policy(path)


def dead_triggers(found: Verified) -> list[str]:
    verdict = next(v for v in found.verification.verdicts if v.prop.name == "every_row_fires")
    return [TRANSITIONS[row].trigger for row in verdict.dead_rows]


# --- zones and symbolic instants --------------------------------------------------------


def test_a_zone_closes_bounds_and_finds_an_empty_one() -> None:
    zone = Zone(3)  # now, x1, x2 all equal
    zone.let_time_pass()
    assert zone.upper(NOW, 1) == INF
    assert zone.constrain(NOW, 1, 5)  # now - x1 <= 5
    assert zone.constrain(1, 2, 0) and zone.upper(NOW, 2) == 5  # through x1
    wider = Zone(3, zone.bounds.copy())
    wider.let_time_pass()
    assert wider.includes(zone) and not zone.includes(wider)
    assert not zone.constrain(2, NOW, -6)  # now - x2 >= 6: nothing left


def test_a_zone_forgets_beyond_each_instants_ceiling() -> None:
    zone = Zone(2)
    zone.let_time_pass()
    zone.constrain(1, NOW, -40)  # now is at least 40 steps after x1
    kept = zone.project([NOW, 1], [0, 10])
    assert kept.upper(1, NOW) == -11  # "more than 10 steps" is all that is left
    exact = zone.project([NOW, 1], [0, 100])
    assert exact.upper(1, NOW) == -40


def test_an_undecided_comparison_is_tried_both_ways_and_a_decided_one_is_not() -> None:
    zone = Zone(3)
    zone.let_time_pass()
    zone.constrain(NOW, 1, 10)
    answers = []
    scripts: list[list[bool]] = [[]]
    while scripts:
        choices = Choices(zone.copy(), 1.0, scripts.pop())
        with Running(choices):
            answers.append(Instant(NOW) >= Instant(1) + 4)  # now - x1 >= 4 ?
            assert Instant(NOW) <= Instant(1) + 10  # decided by the zone
        scripts.extend(choices.pending)
    assert sorted(answers) == [False, True]


# --- what a configuration remembers ------------------------------------------------------


@pytest.mark.rules("D8", "D11", "P1")
def test_a_configuration_remembers_what_lies_ahead_and_nothing_else() -> None:
    memory = Space(Policy()).memory
    # an escalated case keeps protection's end (a cancelled dispute returns to it) but not
    # the request or the counter-offer: a new dispute writes new ones before reading them
    assert "protection_ends_at" in memory["escalated"].timed
    assert "request" not in memory["escalated"].values
    assert "offer" not in memory["escalated"].values
    assert "offer" in memory["negotiating"].values
    # a refund with the bank needs only its own instant; the first tracking scan is read
    # by nothing but the action that keeps it
    assert memory["refund_clearing"].timed[0] == "refund_at"
    assert "protection_ends_at" not in memory["refund_clearing"].timed
    assert all("tracking_seen_at" not in m.flags + m.timed for m in memory.values())


# --- a policy that kills rows ------------------------------------------------------------


@pytest.mark.rules("D7", "D9", "D10")
def test_escalating_before_the_seller_must_answer_kills_the_seller_deadline(
    early: Verified,
) -> None:
    held = {v.prop.name: v.held for v in early.verification.verdicts}
    assert not held.pop("every_row_fires")
    assert all(held.values()), held  # money, claims, ends, never raises: all hold
    assert dead_triggers(early) == ["seller_deadline", "seller_deadline", "escalate"]
    assert early.verification.configurations > 1_000
    escalate = next(r for r in early.fixes if TRANSITIONS[r].trigger == "escalate")
    assert [f.describe() for f in early.fixes[escalate]] == [
        "auto_escalation_days 3 -> 4",
        "manual_escalation_days 3 -> 2",
    ]  # the buyer's window must open strictly before the timer fires


@pytest.mark.rules("D7", "D9")
def test_the_smallest_fix_revives_the_dead_row(early: Verified) -> None:
    verdict = next(v for v in early.verification.verdicts if not v.held)
    seller_row = verdict.dead_rows[0]
    fixes = {fix.lever: fix for fix in early.fixes[seller_row]}
    # moving either clock until the seller's deadline no longer comes after escalation
    assert fixes["auto_escalation_days"].new == 5  # a tie goes to the seller's row
    assert fixes["seller_response_days"].new == 3
    fixed = early.verification.policy.model_copy(update={"auto_escalation_days": 5.0})
    assert row_fires(fixed, early.verification, seller_row)


def test_the_way_to_a_dead_row_replays_on_whole_days(early: Verified) -> None:
    verdict = next(v for v in early.verification.verdicts if not v.held)
    story = concrete(early.verification, verdict.trace)
    assert story is not None
    assert story.happenings[-1].after == "dispute_open"  # where the dead row would fire
    lines = early.stories["every_row_fires"]
    assert any("day 0: ship by the seller" in line for line in lines)
    assert any("smallest fix" in line for line in lines)
    waiting = next(line for line in lines if "then, if nobody acts" in line)
    assert waiting.index("auto_escalate") < waiting.index("seller_deadline")  # why it is dead


def test_configurations_met_in_the_graph_replay_on_the_real_machine(early: Verified) -> None:
    graph = early.verification.graph
    step = max(1, len(graph.nodes) // 25)
    for index in range(0, len(graph.nodes), step):
        assert concrete(early.verification, trace_to(graph, node=index)) is not None, index


def test_the_result_is_one_json_object(early: Verified) -> None:
    body = json.loads(json.dumps(early.as_dict()))
    assert body["held"] is False
    rows = body["properties"][5]["dead_rows"]
    assert rows[0]["trigger"] == "seller_deadline"
    assert {"lever": "auto_escalation_days", "from": 3.0, "to": 5.0} in rows[0]["smallest_fixes"]


# --- emitted tests -----------------------------------------------------------------------


@pytest.mark.rules("P1")
def test_an_emitted_witness_passes_under_pytest(early: Verified, tmp_path: Path) -> None:
    written = emit(early.verification, tmp_path / "test_witness.py")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(written)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[1],
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.rules("D8", "D5")
def test_a_machine_that_refunds_more_than_the_offer_is_caught_and_its_replay_fails() -> None:
    mutant = tuple(
        replace(spec, actions=("refund_in_full",)) if spec.trigger == "accept_offer" else spec
        for spec in TRANSITIONS
    )
    found = verify(Policy(), ["refund_within_claim"], transitions=mutant, stop_at_violation=True)
    verdict = found.verdicts[0]
    assert not verdict.held and verdict.trace[-1].move.trigger == "accept_offer"
    story = concrete(found, verdict.trace)
    assert story is not None
    process = FastProcess(build_machine(transitions=mutant))
    order, ctx = story.start, Context(found.policy, epoch_weekday=story.epoch_weekday)
    with pytest.raises(AssertionError, match="breaks refund_within_claim"):
        for h in story.happenings:
            m = h.move
            payload = {"amount": m.amount, "request": m.request, "party": m.party}
            kind = m.kind.value
            order = replay_step(
                "refund_within_claim", process, order, ctx, h.day, m.trigger, kind, payload
            )


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--property", "nope"], "unknown property 'nope'"),
        (["missing.toml"], "missing.toml"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], expected: str, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "sim.cli", "verify", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert expected in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr


# --- do the checks bite? -------------------------------------------------------------------


def test_mutants_are_drawn_over_every_kind_in_turn() -> None:
    policy = Policy()
    table = table_mutants(policy)
    everything = table + policy_mutants(policy, Space(policy).clock.levers)
    assert {m.kind for m in table} == {"drop", "retarget", "negate"}
    drawn = sample(everything, 10, seed=3)
    assert [m.kind for m in drawn] == [*KINDS, *KINDS]
    assert drawn == sample(everything, 10, seed=3)  # the same seed, the same mutants


MUTATION_FLOOR = 1 / 3  # of table mutants drawn one of each kind: a stated floor, not a goal


@pytest.mark.rules("L9", "D13", "P3")
def test_the_properties_kill_at_least_the_stated_share_of_table_mutants(early: Verified) -> None:
    drawn = sample(table_mutants(early.verification.policy), 3, seed=1)
    outcomes = [judge(early.verification, mutant) for mutant in drawn]
    killed = [o for o in outcomes if o.killed]
    assert len(killed) / len(outcomes) >= MUTATION_FLOOR, [o.mutant.what for o in outcomes]
    retarget = next(o for o in outcomes if o.mutant.kind == "retarget")
    assert "escrow_settled_at_end" in retarget.broken  # an end reached with money held
