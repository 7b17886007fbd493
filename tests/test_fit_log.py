"""A platform's log: read in every format and through a mapping, refused in one line when
it cannot be a log of the process, fitted into a scenario that runs, held against the log
(fidelity), and carried with its uncertainty into a comparison."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from sim.api.fitting import fit
from sim.errors import UserError
from sim.experiments.experiment import Plan, Point, carry_out
from sim.experiments.scenario import load_scenario
from sim.fitting.mapping import load_mapping
from sim.fitting.reading import LogError, read_log
from sim.fitting.uncertainty import parameter_sets, replicated
from sim.views.export import export
from tests.helpers import disputesim
from tests.logs import TRUTH
from tests.test_figures import rendered_dom

CUT_DAY = 30.0


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One small world's run, its whole export, the same cut at day 30, and a fit of it."""
    root = tmp_path_factory.mktemp("log")
    world = load_scenario(TRUTH).with_run(days=20)
    carry_out(Plan("run", (Point(world),), 1, 3), out=root / "run", quiet=True)
    export(root / "run", "csv", root / "whole.csv")
    table = _csv_table(root / "whole.csv")
    day = table.column("day").cast(pa.float64()).to_numpy()
    pacsv.write_csv(table.filter(pa.array(day <= CUT_DAY - 10)), root / "log.csv")
    fit(root / "log.csv", root / "fit", scenario=TRUTH, bootstrap=20, seed=1)
    return {"root": root, "run": root / "run", "whole": root / "whole.csv",
            "log": root / "log.csv", "fit": root / "fit"}  # fmt: skip


def _csv_table(path: Path) -> pa.Table:
    """A CSV as text, every column as written."""
    with path.open() as stream:
        names = next(csv.reader(stream))
    kinds = dict.fromkeys(names, pa.string())
    options = pacsv.ConvertOptions(column_types=kinds, strings_can_be_null=False)
    return pacsv.read_csv(path, convert_options=options)


# --- reading ------------------------------------------------------------------------------


def test_every_format_reads_back_the_same_events(logged, tmp_path):
    """The project's own exports need no mapping: CSV, Parquet, XES and OCEL 2.0 give the
    same cases, activities and times (a round trip)."""
    export(logged["run"], "xes", tmp_path / "log.xes")
    export(logged["run"], "ocel", tmp_path / "log.jsonocel")
    pq.write_table(_csv_table(logged["whole"]), tmp_path / "log.parquet")
    frames = [
        read_log(path)
        for path in (
            logged["whole"],
            tmp_path / "log.parquet",
            tmp_path / "log.xes",
            tmp_path / "log.jsonocel",
        )
    ]
    first = frames[0]
    for other in frames[1:]:
        assert other.size == first.size and other.n_cases == first.n_cases
        assert list(other.case_names) == list(first.case_names)
        assert list(other.labels[other.label]) == list(first.labels[first.label])
        assert np.abs(other.time - first.time).max() < 2e-8  # a millisecond is 1.2e-8 days
        assert np.allclose(other.cases["paid"], first.cases["paid"], atol=2e-8)
        assert np.array_equal(other.cases["price"], first.cases["price"])


def test_a_foreign_vocabulary_fits_exactly_as_the_project_s_own_export(logged, tmp_path):
    """Other column names, other labels (two for one trigger, one to ignore), amounts in
    whole units and naive timestamps, read through a mapping file, fit to the same numbers
    as the project's own export of the same log."""
    table = _csv_table(logged["log"])
    labels = table.column("concept:name").to_pylist()
    foreign = [
        ("Dispatched" if k % 2 else "Shipped") if a == "ship" else f"Step {a.upper()}"
        for k, a in enumerate(labels)
    ]
    stamps = table.column("time:timestamp").to_pylist()
    amounts = table.column("amount").to_pylist()
    columns = {
        "Order ID": table.column("case:concept:name").to_pylist(),
        "Step": foreign,
        "At": [t.replace("T", " ").removesuffix("+00:00") for t in stamps],
        "Who": table.column("org:resource").to_pylist(),
        "Amount": [f"{int(a) / 100:.2f}" if a else "" for a in amounts],
        "Price": [f"{int(p) / 100:.2f}" for p in table.column("case:price").to_pylist()],
        **{
            name: table.column(name).to_pylist()
            for name in ("reason", "kind", "party", "days", "case:paid", "case:promised_days")
        },
    }
    rows = []
    for row in zip(*columns.values(), strict=True):
        rows.append(row)
        if row[1] == "Step PAY":  # a page view after each payment: not the process's
            rows.append((row[0], "Page viewed", *row[2:]))
    pacsv.write_csv(
        pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)}),
        tmp_path / "foreign.csv",
    )
    mapped = "\n".join(f'"Step {a.upper()}" = "{a}"' for a in sorted(set(labels)) if a != "ship")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        'amount_unit = "units"\nignore = ["Page viewed"]\n\n[columns]\n'
        'case = "Order ID"\nactivity = "Step"\ntimestamp = "At"\nresource = "Who"\n'
        'amount = "Amount"\nprice = "Price"\npromised = "case:promised_days"\n'
        f'\n[labels]\nShipped = "ship"\nDispatched = "ship"\n{mapped}\n'
    )
    own = json.loads((logged["fit"] / "bootstrap.json").read_text())
    theirs = fit(tmp_path / "foreign.csv", tmp_path / "fit", mapping=mapping, scenario=TRUTH,
                 bootstrap=20, seed=1)  # fmt: skip
    assert theirs.fit.point == own["point"]
    assert theirs.fit.replicates == own["replicates"]
    assert (
        theirs.fit.replay.counts
        == json.loads((logged["fit"] / "fit.json").read_text())["conformance"]["statuses"]
    )


# --- bad input ----------------------------------------------------------------------------

HEADER = "case:concept:name,concept:name,time:timestamp,case:paid\n"
GOOD = (
    "a,pay,2026-03-01T00:00:00Z,2026-03-01T00:00:00Z\n"
    "a,ship,2026-03-02T00:00:00Z,2026-03-01T00:00:00Z\n"
    "b,pay,2026-03-01T06:00:00Z,2026-03-01T06:00:00Z\n"
)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("unknown.csv", HEADER + GOOD + "b,teleport,2026-03-03T00:00:00Z,\n",
         "line 5: activity 'teleport' is neither mapped to a trigger nor ignored"),
        ("order.csv", HEADER + GOOD + "b,ship,2026-02-28T00:00:00Z,\n",
         "line 5: case 'b': this event comes before the one at line 4"),
        ("twice.csv", HEADER + GOOD + "b,pay,2026-03-01T06:00:00Z,\n",
         "line 5: case 'b' repeats the event 'pay' of line 4 at the same time"),
        ("columns.csv", "case,concept:name,time:timestamp\n" + "a,pay,2026-03-01T00:00:00Z\n",
         "no column 'case:concept:name'"),
        ("empty.csv", HEADER, "no events (an empty log)"),
        ("cut.csv", HEADER + GOOD + "b,ship,2026-03-0", "line 5"),
        ("time.csv", HEADER + GOOD + "b,ship,yesterday,\n", "line 5: timestamp 'yesterday'"),
        ("empty.xes", '<?xml version="1.0"?><log><trace><string key="concept:name" '
         'value="x"/></trace></log>', "case 'x' has no events"),
        ("cut.xes", '<?xml version="1.0"?><log><trace><string key="concept:name" value="x"/>'
         '<event><string key="concept:name" value="pay"/>', "not well-formed"),
    ],
)  # fmt: skip
def test_a_log_that_cannot_be_read_is_one_line_naming_the_file_and_where(
    tmp_path, name, text, expected
):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(LogError) as refused:
        read_log(path)
    message = str(refused.value)
    assert message.startswith(str(path)) and "\n" not in message
    assert expected in message, message


def test_a_mapping_to_a_trigger_the_machine_does_not_have_is_refused(tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[labels]\n"Parcel sent" = "ship"\n"Magic" = "teleport"\n')
    with pytest.raises(UserError) as refused:
        load_mapping(mapping)
    assert str(refused.value).startswith(f"{mapping}: ")
    assert "'Magic' maps to 'teleport', not a trigger of the machine" in str(refused.value)


def test_the_command_line_refuses_a_bad_log_with_exit_2_and_writes_nothing(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(HEADER + GOOD + "b,teleport,2026-03-03T00:00:00Z,\n")
    out = tmp_path / "fit"
    for given in (log, tmp_path / "no.csv"):
        result = disputesim("fit", str(given), "--out", str(out))
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr and result.stderr.startswith("disputesim: ")
        assert not out.exists()


# --- the fit, its report, its fidelity -----------------------------------------------------


def test_the_fitted_scenario_runs_as_it_is_and_says_where_each_number_came_from(logged):
    text = (logged["fit"] / "scenario.toml").read_text()
    assert "# A scenario fitted from a platform's log: fitted from log.csv:" in text
    assert "fitted: 95% [" in text and "[fitted.delays.answer]" in text and "knots = [" in text
    scenario = load_scenario(logged["fit"] / "scenario.toml")
    assert scenario.fitted.delays["answer"].lever == "seller_response_days"
    post = {c.name: c.post_office_rate for c in scenario.market.carriers}  # each carrier's own
    assert post["standard_post"] == pytest.approx(0.25, abs=0.05)
    assert post["courier"] == pytest.approx(0.05, abs=0.04)
    assert scenario.run.days == 20 and str(scenario.run.start) == "2026-03-01"  # the log's
    result = disputesim("run", str(logged["fit"] / "scenario.toml"), "--days", "3", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["refund_rate"] > 0


def test_the_fit_report_renders_in_a_browser_with_its_figures(logged):
    page = (logged["fit"] / "report.html").resolve()
    dom = rendered_dom(page)
    assert "Conformance" in dom and "Not identified by the log" in dom
    assert "fitted.delays.answer.by_deadline" in dom
    figures = sorted((logged["fit"] / "figures").glob("*.png"))
    assert any("answer" in f.name for f in figures) and any("arrivals" in f.name for f in figures)
    assert dom.count("data:image/png;base64") == len(figures)


def test_fidelity_prints_every_distance_beside_its_noise_floor(logged):
    run = logged["root"] / "fitted-run"
    made = disputesim("run", str(logged["fit"] / "scenario.toml"), "--replications", "2",
                      "--out", str(run))  # fmt: skip
    assert made.returncode == 0, made.stderr
    result = disputesim("fidelity", str(logged["log"]), str(run), "--splits", "4")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    heading = next(k for k, line in enumerate(lines) if line.strip().startswith("measure"))
    table = lines[heading + 1 :]
    measures = [line for line in table if line.startswith("  ")]
    names = " ".join(measures)
    expected = (
        *("n-gram distance", "control-flow distance", "cycle time, Wasserstein"),
        *("refund rate", "escalation rate", "days to money"),
        *("answer: share won by seller_response_days", "waiting in dispute_open"),
    )
    for name in expected:
        assert name in names, name
    for line in measures:
        assert len(line.split()[-5:]) == 5  # distance, floor and its 95th percentile at least
    assert lines[-1].startswith("within the noise of the log on ")
    found = json.loads(disputesim("fidelity", str(logged["log"]), str(run), "--splits", "4",
                                  "--json").stdout)  # fmt: skip
    assert len(found["measures"]) == len(measures)
    for measure in found["measures"]:
        assert measure["noise_floor"] is None or measure["noise_floor"] >= 0
        if measure["within_noise"] is not None:
            assert measure["within_noise"] == (measure["distance"] <= measure["noise_floor_95"])


# --- the fit's uncertainty in a comparison -------------------------------------------------


def test_each_replication_runs_its_own_bootstrap_set_and_an_arm_keeps_its_levers(logged):
    fitted = load_scenario(logged["fit"] / "scenario.toml")
    sets = parameter_sets(logged["fit"])
    assert len(sets.replicates) == 20
    policy = fitted.policy.evolve(bank_days_max=fitted.policy.bank_days_max + 10)
    arm = fitted.model_copy(update={"policy": policy})
    for scenario in (fitted, arm):
        runs = replicated(scenario, sets, 3)
        for ran, values in zip(runs, sets.replicates, strict=False):
            answer = ran.fitted.delays["answer"]
            assert answer.scale == values["fitted.delays.answer.scale"]
            assert len(answer.knots) == sum(
                key.startswith("fitted.delays.answer.knots.") for key in values
            )
            assert ran.sellers[0].agrees == values["sellers.*.agrees"]
            assert ran.policy.bank_days_max == scenario.policy.bank_days_max
    with pytest.raises(UserError, match="holds 20 bootstrap replicates"):
        replicated(fitted, sets, 21)
    result = disputesim("compare", str(logged["fit"] / "scenario.toml"), "--replications", "2",
                        "--days", "2", "--warmup-days", "0", "--fit-uncertainty",
                        str(logged["fit"]), "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["fit_uncertainty"] == str(logged["fit"])


def test_a_counterfactual_on_a_fitted_world_is_answered_under_both_timings(logged, tmp_path):
    """Arms that move a deadline a fitted delay raced: compare prints both answers, keeps
    the other assumption's runs in the folder, and the report sets them side by side."""
    text = (logged["fit"] / "scenario.toml").read_text()
    longer = tmp_path / "longer.toml"
    longer.write_text(
        text.replace('name = "recovery-truth-fitted"', 'name = "answer-in-10-days"').replace(
            'standards = "none"', 'standards = "none"\nseller_response_days = 10', 1
        )
    )
    out = tmp_path / "compared"
    result = disputesim("compare", str(logged["fit"] / "scenario.toml"), str(longer),
                        "--replications", "2", "--days", "3", "--warmup-days", "0",
                        "--figure", "refund_rate", "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "timing assumed: fixed (the arms move seller_response_days" in result.stdout
    assert "under both timing assumptions" in result.stdout
    both = next(line for line in result.stdout.splitlines() if "answer-in-10-days: fixed" in line)
    assert "; scaling " in both
    assert (out / "other-timing" / "manifest.json").exists()
    report = disputesim("report", str(out), "-o", str(tmp_path / "report.html"))
    assert report.returncode == 0, report.stderr
    page = (tmp_path / "report.html").read_text()
    assert "<h2>The timing assumption</h2>" in page and "<th>fixed</th><th>scaling</th>" in page
