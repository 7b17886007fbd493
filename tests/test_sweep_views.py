"""Sweeps that answer: response curves on the parameters' own values with CI bands,
heatmaps for grid pairs, the Morris plot, --figure, and threshold answers."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pytest

from sim.experiments.folder import ResultsFolder
from sim.experiments.stats import Estimate
from sim.views.plots import compare as compare_plots
from sim.views.plots import queue as queue_plots
from sim.views.plots import sweep as sweep_plots
from sim.views.responses import Response
from sim.views.threshold import answer
from tests.helpers import disputesim, sweep_into

ROOT = Path(__file__).resolve().parent.parent
SMALL_TEAM = """
[scenario]
name = "small-team"
[market]
orders_per_day = 400
peak_factor = 1.0
[team]
caseload = 1
review_median_days = 4.0
[run]
start = 2026-03-01
days = 20
warmup_days = 91
seed = 3
"""


def study(tmp_path: Path, body: str) -> Path:
    (tmp_path / "small.toml").write_text(SMALL_TEAM)
    path = tmp_path / "study.toml"
    path.write_text(f'[study]\nname = "s"\nscenario = "small.toml"\n{body}')
    return path


def swept_once(once, name: str, body: str) -> tuple[Path, str]:
    """The study of `body` swept once per test run: a private copy of its folder, and
    what the sweep printed."""

    def make(folder: Path) -> None:
        result = sweep_into(study(folder, body), folder / "out")
        (folder / "printed.txt").write_text(result.stdout)

    folder = once(name, make)
    return folder / "out", (folder / "printed.txt").read_text()


@pytest.fixture(scope="module")
def grid(once) -> Path:
    """Staff 2, 3, 4 and 8 against two seller deadlines, two replications each."""
    body = (
        'method = "grid"\nreplications = 2\nfigures = ["team_mean_wait"]\n'
        'question = "How many officers keep the wait short?"\n'
        '[[parameters]]\nkey = "team.staff"\nvalues = [2, 3, 4, 8]\ninteger = true\n'
        '[[parameters]]\nkey = "policy.seller_response_days"\nvalues = [3, 5]\n'
    )
    out, printed = swept_once(once, "grid", body)
    lines = printed.splitlines()  # the summary speaks of the study's figure only
    assert lines[1] == "question: How many officers keep the wait short?"
    assert lines[2].startswith("mean at each value, other parameters averaged over")
    assert "case-team mean wait (days)" in lines
    staff = next(line for line in lines if line.strip().startswith("team.staff"))
    assert [cell.split(":")[0] for cell in staff.split()[1::2]] == ["2", "3", "4", "8"]
    assert not any("orders refunded" in line for line in lines)
    return out


@pytest.fixture
def drawn(monkeypatch) -> dict[str, object]:
    """The figures the plot modules would save, by name, kept open for inspection."""
    figures: dict[str, object] = {}

    def keep(figure, folder, name):
        figures[name] = figure
        return [folder / f"{name}.png"]

    monkeypatch.setattr(sweep_plots, "save", keep)
    monkeypatch.setattr(compare_plots, "save", keep)
    monkeypatch.setattr(queue_plots, "save", keep)
    return figures


def test_sweep_responses_use_the_parameters_own_values_and_an_honest_axis(grid, tmp_path, drawn):
    sweep_plots.draw(ResultsFolder.open(grid), tmp_path)
    assert set(drawn) == {"sweep_team_mean_wait", "heatmap_team_mean_wait"}  # the study's figure
    figure = drawn["sweep_team_mean_wait"]
    panels = figure.axes
    assert [a.get_xlabel() for a in panels] == ["team.staff", "policy.seller_response_days"]
    staff_line = panels[0].get_lines()[0]
    assert list(staff_line.get_xdata()) == [2, 3, 4, 8]  # real values, not 0 to 1
    waits = staff_line.get_ydata()
    assert waits[0] > waits[-1] >= 0  # fewer officers, longer waits
    assert panels[0].get_ylim()[0] == 0  # a wait cannot be negative: the axis starts at 0
    assert len(panels[0].collections) == 1  # the 95% CI band
    assert "case-team mean wait (days)" in panels[0].get_ylabel()


def test_a_grid_pair_gets_a_heatmap_with_the_values_on_its_axes(grid, tmp_path, drawn):
    sweep_plots.draw(ResultsFolder.open(grid), tmp_path, ["refund_rate"])
    assert set(drawn) == {"sweep_refund_rate", "heatmap_refund_rate"}
    axes = drawn["heatmap_refund_rate"].axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["2", "3", "4", "8"]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["3", "5"]
    shares = axes.images[0].get_array()
    assert shares.shape == (2, 4) and ((shares >= 0) & (shares <= 1)).all()


def test_plot_and_report_take_the_figure_asked_for(grid, tmp_path):
    out = tmp_path / "figs"
    result = disputesim("plot", str(grid), "--out", str(out), "--figure", "escalation_rate")
    assert result.returncode == 0, result.stderr
    names = {p.name for p in out.glob("*.png")}
    assert {"sweep_escalation_rate.png", "heatmap_escalation_rate.png"} <= names
    assert not any("team_mean_wait" in n for n in names)
    bad = disputesim("plot", str(grid), "--figure", "nonsense")
    assert bad.returncode == 2 and "--figure nonsense: unknown" in bad.stderr


def test_threshold_finds_where_the_wait_falls_below_a_level(grid):
    probe = disputesim("threshold", str(grid), "--figure", "team_mean_wait", "--below", "1e9",
                       "--parameter", "team.staff", "--json")  # fmt: skip
    means = json.loads(probe.stdout)["means"]
    level = (means[0] + means[1]) / 2  # between staff 2 and 3
    result = disputesim("threshold", str(grid), "--figure", "team_mean_wait", "--below",
                        str(level), "--parameter", "team.staff", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert 2 < found["crossing"] < 3 and found["first_value"] == 3
    text = disputesim("threshold", str(grid), "--figure", "team_mean_wait", "--below",
                      str(level), "--parameter", "team.staff")  # fmt: skip
    assert text.stdout.startswith("case-team mean wait is below")
    assert "team.staff = 2." in text.stdout
    several = disputesim("threshold", str(grid), "--figure", "team_mean_wait", "--below", "1")
    assert several.returncode == 2 and "name one with --parameter" in several.stderr


def hand_made(means, half=0.5) -> Response:
    estimates = [Estimate(m, half, 4, (0.0, float("inf"))) for m in means]
    return Response("team.staff", "team_mean_wait", np.array([1.0, 2.0, 3.0, 4.0]), estimates)


def test_a_threshold_answer_interpolates_the_mean_and_both_ends_of_the_interval():
    found = answer(hand_made([10.0, 8.0, 4.0, 2.0]), level=5.0, below=True)
    assert found.crossing == pytest.approx(2.75)  # 8 -> 4 crosses 5 three quarters along
    assert found.earliest == pytest.approx(2 + 2.5 / 4)  # the lower end, 7.5 -> 3.5
    assert found.latest == pytest.approx(2 + 3.5 / 4)  # the upper end, 8.5 -> 4.5
    assert found.first_value == 3.0
    rising = answer(hand_made([1.0, 2.0, 6.0, 9.0]), level=5.0, below=True)
    assert not rising.entering and rising.crossing == pytest.approx(2.75)
    assert "up to team.staff = 2.75" in rising.sentence()
    never = answer(hand_made([10.0, 9.0, 8.0, 7.0]), level=5.0, below=True)
    assert never.crossing is None and "no crossing" in never.sentence()


def test_morris_screening_draws_mu_star_against_sigma(tmp_path, drawn):
    path = study(
        tmp_path,
        'method = "morris"\nsamples = 3\nlevels = 4\ndays = 10\nwarmup_days = 0\n'
        'figures = ["escalation_rate"]\n'
        '[[parameters]]\nkey = "policy.seller_response_days"\nlow = 2\nhigh = 10\n'
        '[[parameters]]\nkey = "policy.auto_escalation_days"\nlow = 7\nhigh = 30\n',
    )
    out = tmp_path / "out"
    printed = sweep_into(path, out).stdout.splitlines()
    # compact: the question's figure on one line, its parameters ranked, no empty intervals
    assert printed[1].startswith("most influential parameters, by Morris mu*")
    assert len(printed) == 3 and "nan" not in printed[2]
    assert printed[2].split()[:5] == ["disputes", "escalated", "to", "the", "case"]
    assert "policy.seller_response_days" in printed[2] and "pts" in printed[2]
    sweep_plots.draw(ResultsFolder.open(out), tmp_path)
    axes = drawn["morris_escalation_rate"].axes[0]
    assert axes.get_xlim()[0] == 0 and axes.get_ylim()[0] == 0
    assert axes.get_xlabel().startswith("mu*") and axes.get_ylabel().startswith("sigma")
    names = {t.get_text() for t in axes.get_legend().get_texts()}
    assert {"policy.seller_response_days", "policy.auto_escalation_days"} <= names
    assert axes.get_xlabel().endswith("(points)")  # a share's effects, in points
    bars = drawn["sensitivity_escalation_rate"].axes[0]
    assert [t.get_text() for t in bars.get_yticklabels()] == sorted(names - {"sigma = mu*"})
    assert bars.get_xlabel().startswith("Morris mu*")
    for patch in bars.patches:
        assert patch.get_width() >= 0  # an index is drawn from zero, never below
    whiskers = [seg for c in bars.collections for seg in c.get_segments()]
    assert whiskers and all(seg[:, 0].min() >= 0 for seg in whiskers)  # never below zero


@pytest.fixture(scope="module")
def compared(once) -> Path:
    def make(folder: Path) -> None:
        scenarios = [
            str(ROOT / "scenarios" / n) for n in ("baseline.toml", "study-appeals-on.toml")
        ]
        window = ["--days", "14", "--warmup-days", "7", "--replications", "2"]
        result = disputesim("compare", *scenarios, *window, "--out", str(folder / "out"), "--quiet")
        assert result.returncode == 0, result.stderr

    return once("compared", make) / "out"


def test_comparison_panels_of_one_unit_share_one_scale(compared, tmp_path, drawn):
    out = compared
    compare_plots.draw(ResultsFolder.open(out), tmp_path)
    panels = [a for a in drawn["comparison"].axes if a.get_title()]
    points = [a.get_xlim() for a in panels if "(points)" in a.get_xlabel()]
    days = [a.get_xlim() for a in panels if "(days)" in a.get_xlabel()]
    assert len(points) > 3 and len(set(points)) == 1
    assert days and len(set(days)) == 1
    for axes in panels:  # each difference is also written out, since one scale can hide it
        said = [t.get_text() for t in axes.texts]
        unit = "pts" if "(points)" in axes.get_xlabel() else "days"
        assert len(said) == 1 and f" {unit}" in said[0], said


def test_point_labels_are_short_rounded_and_keep_the_profile_name(grid):
    from sim.experiments.folder import short_key

    names = ResultsFolder.open(grid).point_names
    assert "seller_response_days=3, staff=2" in names or "staff=2, seller_response_days=3" in names
    assert short_key("buyers.opportunistic.share") == "opportunistic share"
    assert short_key("team.staff") == "staff"


def test_the_team_and_weekly_series_are_drawn_on_calendar_dates(compared, tmp_path, drawn):
    queue_plots.draw(ResultsFolder.open(compared), tmp_path)
    epoch = np.datetime64("2026-10-25")  # the window starts 2026-11-01, after 7 days
    daily = drawn["team_queue"].axes
    assert daily[1].get_xlabel().startswith("date")
    first = daily[0].get_lines()[0].get_xdata()
    assert first[0] >= epoch and first.dtype.kind == "M"  # dates, not simulation days
    weekly = drawn["weekly"].axes
    assert [a.get_ylabel().split("\n")[0] for a in weekly] == [
        "disputes opened",
        "refunds made",
        "cases escalated",
        "cases waiting (weekly mean)",
    ]
    for axes in weekly:
        series = [line for line in axes.get_lines() if line.get_linestyle() != ":"]
        assert len(series) == 2 and axes.get_ylim()[0] == 0  # one line per scenario
        assert all(line.get_xdata()[0] >= epoch for line in series)
    refunds = weekly[1].get_lines()[0].get_ydata()
    assert refunds.max() > 0 and np.isfinite(refunds).all()


@pytest.fixture(scope="module")
def named(once) -> Path:
    """A grid of a categorical lever (D7's variants) against a boolean one (appeals)."""
    body = (
        'method = "grid"\ndays = 5\nwarmup_days = 0\nfigures = ["escalation_rate"]\n'
        '[[parameters]]\nkey = "policy.seller_silence"\nvalues = ["refund", "escalate"]\n'
        '[[parameters]]\nkey = "policy.appeals"\nvalues = [false, true]\n'
    )
    out, printed = swept_once(once, "named", body)
    row = next(line for line in printed.splitlines() if "policy.seller_silence" in line)
    assert "refund: " in row and "escalate: " in row
    row = next(line for line in printed.splitlines() if "policy.appeals" in line)
    assert "false: " in row and "true: " in row
    return out


@pytest.mark.rules("D7", "E4")
def test_categorical_and_boolean_levers_are_swept_by_name(named):
    folder = ResultsFolder.open(named)
    assert sorted(folder.point_names) == sorted(
        f"seller_silence={s}, appeals={a}"
        for s in ("refund", "escalate")
        for a in ("false", "true")
    )
    policies = [p["scenario"]["policy"] for p in folder.manifest["points"]]
    assert {(p["seller_silence"], p["appeals"]) for p in policies} == {
        ("refund", False), ("refund", True), ("escalate", False), ("escalate", True)
    }  # fmt: skip
    summary = folder.summary()
    escalates = summary["policy_seller_silence"] == "escalate"
    assert (
        summary.loc[escalates, "escalation_rate"].mean()
        > summary.loc[~escalates, "escalation_rate"].mean()
    )  # silence that escalates sends more disputes to the team


def test_named_values_keep_their_order_on_the_figures(named, tmp_path, drawn):
    sweep_plots.draw(ResultsFolder.open(named), tmp_path)
    panels = drawn["sweep_escalation_rate"].axes
    assert [t.get_text() for t in panels[0].get_xticklabels()] == ["refund", "escalate"]
    assert [t.get_text() for t in panels[1].get_xticklabels()] == ["false", "true"]
    assert panels[0].get_ylim()[0] == 0
    heat = drawn["heatmap_escalation_rate"].axes[0]
    assert [t.get_text() for t in heat.get_xticklabels()] == ["refund", "escalate"]
    assert [t.get_text() for t in heat.get_yticklabels()] == ["false", "true"]


def test_a_threshold_over_named_values_is_refused_in_one_line(named):
    result = disputesim("threshold", str(named), "--figure", "escalation_rate", "--below",
                        "0.1", "--parameter", "policy.seller_silence")  # fmt: skip
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "its values (refund, escalate) are names" in result.stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('method = "grid"\n[[parameters]]\nkey = "policy.seller_silence"\nvalues = ["refund", 3]\n',
         "values mix names and numbers"),
        ('method = "lhs"\n[[parameters]]\nkey = "policy.appeals"\nvalues = [false, true]\n'
         "low = 0\nhigh = 1\n", "can only be swept in a grid"),
        ('method = "grid"\n[[parameters]]\nkey = "policy.seller_silence"\n'
         'values = ["refund", "escalte"]\n', "policy.seller_silence"),
        ('method = "grid"\n[[parameters]]\nkey = "team.staff"\nvalues = ["many"]\n',
         "team.staff"),
    ],
)  # fmt: skip
def test_bad_named_values_are_one_line_naming_the_parameter(tmp_path, body, message):
    result = disputesim("validate", str(study(tmp_path, body)))
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def report_of(folder: Path, tmp_path: Path, *figures: str) -> str:
    target = tmp_path / "report.html"
    args = [arg for key in figures for arg in ("--figure", key)]
    result = disputesim("report", str(folder), "-o", str(target), *args)
    assert result.returncode == 0, result.stderr
    return target.read_text()


def summary_of(page: str) -> tuple[str, list[str]]:
    """The summary section and its answers, as text."""
    section = page[page.index("<section id='summary'>") : page.index("</section>")]
    answers = re.findall(r"<li>(.*?)</li>", section)
    return section, [html.unescape(a) for a in answers]


def test_a_sweep_report_opens_with_its_question_one_answer_per_figure_and_the_key_chart(
    grid, tmp_path
):
    page = report_of(grid, tmp_path, "team_mean_wait", "escalation_rate")
    section, answers = summary_of(page)
    assert page.index("<section id='summary'>") < page.index("<h2>Responses</h2>")
    assert page.count("How many officers keep the wait short?") == 1  # not once per point
    assert len(answers) == 2
    assert answers[0].startswith("Case-team mean wait: ") and "team.staff = 2" in answers[0]
    assert answers[1].startswith("Disputes escalated to the case team: ")
    assert "alt='key chart'" in section  # the heatmap of the first figure
    assert not re.search(r"\d\.\d{7,}", page), "a raw float reached the report"
    assert "over 1 replication" not in page
    assert not re.search(r"\bnan\b", re.sub(r"<[^>]+>", " ", page))
    table = page[page.index("class='responses'") :]
    assert "<th>2</th><th>3</th><th>4</th><th>8</th>" in table  # the staff values, across


def test_a_comparison_report_answers_with_paired_differences(compared, tmp_path):
    page = report_of(compared, tmp_path, "days_to_money_median", "dispute_days_to_money_median")
    section, answers = summary_of(page)
    assert len(answers) == 2 and all("under baseline" in a for a in answers)
    assert all("significant" in a for a in answers)
    assert "study-appeals-on" in answers[1] and "(95% CI" in answers[1]
    assert "alt='key chart'" in section
    questions = re.findall(r"<p class='question'>(.*?)</p>", section)
    assert len(questions) == 2 and html.unescape(questions[1]).startswith("study-appeals-on: ")


def test_a_run_s_answer_gives_the_figure_with_its_interval_in_its_unit():
    from sim.views import answers

    rows = [{"point": 0, "replication": r, "money_refunded": v} for r, v in enumerate([10, 12, 14])]
    said = answers.for_run("money_refunded", rows, "EUR")
    assert said.startswith("Refunded to buyers, in all: 12.00 EUR per 1,000 orders (95% CI ")
    assert said.endswith("over 3 replications.")
    alone = answers.for_run("refund_rate", [{"point": 0, "replication": 0, "refund_rate": 0.05}],
                            "USD")  # fmt: skip
    assert alone == "Orders refunded (any amount): 5.00% (one replication: no interval)."
