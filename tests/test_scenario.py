"""Scenario files: the baseline loads; mistakes are one line naming the file and key."""

from __future__ import annotations

import pytest

from sim.experiments.scenario import load_scenario
from sim.world.scenario import ScenarioError
from tests.helpers import disputesim
from tests.world_runs import BASELINE

HEADER = '[scenario]\nname = "t"\n'


def write(tmp_path, text: str, header: bool = True):
    path = tmp_path / "s.toml"
    path.write_text((HEADER if header and "[scenario]" not in text else "") + text)
    return path


def test_baseline_is_the_help_page_policy():
    scenario = load_scenario(BASELINE)
    assert scenario.name == "baseline" and scenario.preset == "aliexpress-2024"
    assert scenario.policy.earliest_dispute_days == 5
    assert abs(sum(s.share for s in scenario.sellers) - 1) < 1e-9


def test_policy_overrides_apply_on_top_of_the_preset(tmp_path):
    path = write(tmp_path, '[policy]\npreset = "appeal-7-days"\nseller_response_days = 3\n')
    scenario = load_scenario(path)
    assert scenario.policy.appeals and scenario.policy.seller_response_days == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[run]\ndays = -5\n", "key 'run.days'"),
        ('[run]\ndays = 30\nperiod = "peak"\n', "either days or period"),
        ("[run]\norders = 5\n", "unknown key 'run.orders'"),
        ("[run]\nordres = 5\n", "unknown key 'run.ordres'"),
        ("[polcy]\n", "unknown section 'polcy'"),
        ("[policy]\nseller_response_days = -1\n", "policy lever 'seller_response_days'"),
        ('[policy]\npreset = "nope"\n', "key 'policy.preset'"),
        ("[market]\ncarriers = []\n", "carrier shares must add up to 1"),
        ('[[sellers]]\nname = "x"\nshare = 0.5\n', "sellers: shares must add up to 1"),
        ("[run\n", "not valid TOML"),
        ('run = 3\n[scenario]\nname = "t"\n', "key 'run': expected a table"),
        ('[scenario]\nname = ""\n', "key 'scenario.name'"),
        ("[policy]\nseller_response_days = nan\n", "seller_response_days"),
        ("[team]\nstaff = inf\n", "team.staff"),
        ("[market]\npeak_factor = inf\n", "market.peak_factor"),
    ],
)
def test_mistakes_name_the_file_and_key(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and expected in message and "\n" not in message


def test_an_empty_file_is_an_error(tmp_path):
    with pytest.raises(ScenarioError, match=r"scenario\.name"):
        load_scenario(write(tmp_path, "", header=False))


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "absent.toml")
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScenarioError, match="not a text file"):
        load_scenario(binary)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[scenario]\nname = "x"\nquestion = 5\n', "scenario.question"),
        ('[scenario]\nname = "x"\nfigures = "refund_rate"\n', "scenario.figures"),
        ('[study]\nname = 5\nscenario = "x.toml"\n[[parameters]]\nkey = "team.staff"\n'
         "values = [1]\n", "study.name"),
    ],
)  # fmt: skip
def test_a_wrong_header_value_names_its_table_and_key(tmp_path, text, key):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    result = disputesim("validate", str(path))
    assert result.returncode == 2 and f"key '{key}'" in result.stderr, result.stderr
    assert result.stderr.count(str(path)) == 1, result.stderr  # the file is named once


def test_validate_names_each_file_once_and_a_study_names_the_scenario_it_read(tmp_path):
    """A bad key in a scenario is the scenario file's; in the scenario a study reads, the
    line names the study, then the scenario, each once."""
    scenario = tmp_path / "bad.toml"
    scenario.write_text('[scenario]\nname = "x"\n[market]\norders_per_dya = 3\n')
    study = tmp_path / "study.toml"
    study.write_text('[study]\nname = "s"\nscenario = "bad.toml"\n[[parameters]]\n'
                     'key = "team.staff"\nvalues = [1, 2]\n')  # fmt: skip
    for path, named in ((scenario, (scenario,)), (study, (study, scenario))):
        result = disputesim("validate", str(path))
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert "orders_per_dya" in result.stderr
        for file in named:
            assert result.stderr.count(str(file)) == 1, result.stderr
