"""Figures, traces and the HTML report, from a real results folder."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sim.experiments.experiment import Plan, Point, carry_out
from sim.views.plots.all import plot_folder
from sim.views.plots.style import styles
from tests.helpers import disputesim as cli
from tests.world_runs import ROOT, baseline, one_day

BASE = (ROOT / "scenarios" / "baseline.toml").as_posix()
EXPECTED = (
    "outcomes",
    "money",
    "reasons",
    "days_to_money",
    "flow",
    "team_queue",
    "weekly",
    "comparison",
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    base = baseline()
    faster = base.model_copy(
        update={"name": "fast-seller", "policy": base.policy.evolve(seller_response_days=2)}
    )
    out = tmp_path_factory.mktemp("results") / "cmp"
    plan = Plan("compare", (Point(one_day(base, 2)), Point(one_day(faster, 2))), 2, 3)
    carry_out(plan, out=out, quiet=True)
    return out


def test_every_figure_is_written_as_png_and_svg_with_title_and_axis_labels(folder, tmp_path):
    written = plot_folder(folder, tmp_path)
    for name in EXPECTED:
        png, svg = tmp_path / f"{name}.png", tmp_path / f"{name}.svg"
        assert png in written and svg in written
        pixels = np.asarray(Image.open(png).convert("L"), dtype=float)
        assert pixels.std() > 10, f"{name}.png looks blank"
        text = svg.read_text()
        labels = re.findall(r">([^<>]{3,})</text>", text)
        assert len(labels) >= 4, f"{name}.svg has too little text"
    units = " ".join((tmp_path / f"{n}.svg").read_text() for n in EXPECTED)
    for unit in ("share (%)", "days", "date", "per week", "orders per 1,000", "USD per 1,000"):
        assert unit in units


@pytest.fixture
def kept(monkeypatch) -> dict[str, object]:
    """The figures the plot modules would save, by name, kept open to be read as data."""
    from sim.views.plots import days_to_money, money, reasons

    figures: dict[str, object] = {}

    def keep(figure, folder, name):
        figures[name] = figure
        return [folder / f"{name}.png"]

    for module in (money, reasons, days_to_money):
        monkeypatch.setattr(module, "save", keep)
    return figures


def test_the_money_view_shows_each_amount_per_scenario_from_zero(folder, kept, tmp_path):
    from sim.experiments.folder import ResultsFolder
    from sim.measures import money as money_figures
    from sim.views.plots import money

    money.draw(ResultsFolder.open(folder), tmp_path)
    axes = kept["money"].axes[0]
    assert axes.get_xlabel() == "USD per 1,000 orders" and axes.get_xlim()[0] == 0
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels == [f.label for f in money_figures.FIGURES if f.key != "money_paid"]
    assert len(axes.containers) == 2 * 2  # two scenarios: bars and their whiskers each
    assert "buyers paid" in axes.get_title() and "USD" in axes.get_title()
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend == ["baseline", "fast-seller"]


def test_reasons_share_one_percent_scale_and_days_start_at_zero(folder, kept, tmp_path):
    from sim.experiments.folder import ResultsFolder
    from sim.views.plots import reasons

    reasons.draw(ResultsFolder.open(folder), tmp_path)
    panels = kept["reasons"].axes
    shares = [a for a in panels if "%" in a.get_ylabel()]
    assert len(shares) == 3 and {a.get_ylim() for a in shares} == {(0.0, 100.0)}
    days = next(a for a in panels if "days" in a.get_ylabel())
    assert days.get_ylim()[0] == 0
    assert [t.get_text() for t in days.get_xticklabels()] == [
        "not\nreceived", "not\nas described", "damaged"
    ]  # fmt: skip
    for bar in (b for a in panels for b in a.patches):
        assert bar.get_height() >= 0


def test_days_to_money_splits_disputes_from_cancellations(folder, kept, tmp_path):
    from sim.experiments.folder import ResultsFolder
    from sim.views.plots import days_to_money

    days_to_money.draw(ResultsFolder.open(folder), tmp_path)
    disputes, cancellations = kept["days_to_money"].axes
    assert disputes.get_title() == "Disputes"
    assert cancellations.get_title().startswith("Cancellations")
    for axes in (disputes, cancellations):
        assert axes.get_ylim() == (0.0, 100.0) and axes.get_xlim()[0] == 0
        assert len(axes.get_lines()) == 2  # one curve per scenario
        for line in axes.get_lines():
            assert (line.get_xdata() >= 0).all()


def test_series_are_told_apart_without_colour():
    first, second, third = list(styles(3))
    for key in ("hatch", "linestyle", "marker"):
        assert len({first[key], second[key], third[key]}) == 3
    grays = [int(s["color"][1:3], 16) for s in (first, second, third)]
    assert all(int(s["color"][1:3], 16) == int(s["color"][3:5], 16) for s in (first, second, third))
    assert len(set(grays)) == 3


def test_sweeps_get_response_curves_and_sensitivity_bars(tmp_path):
    study = tmp_path / "morris.toml"
    study.write_text(
        f'[study]\nscenario = "{BASE}"\nmethod = "morris"\n'
        "samples = 4\ndays = 1\nwarmup_days = 0\n"
        '[[parameters]]\nkey = "policy.seller_response_days"\nlow = 1\nhigh = 10\n'
        '[[parameters]]\nkey = "buyers.opportunistic.share"\nlow = 0.0\nhigh = 0.5\n'
    )
    out = tmp_path / "sweep"
    assert cli("sweep", str(study), "--out", str(out), "--quiet").returncode == 0
    result = cli("plot", str(out), "--figure", "refund_rate")
    assert result.returncode == 0, result.stderr
    names = {Path(line).stem for line in result.stdout.split()}
    assert {"sweep_refund_rate", "sensitivity_refund_rate", "morris_refund_rate"} <= names
    assert not any("escalation_rate" in name for name in names)  # only the figure asked for


def test_trace_picks_the_slowest_refund_and_tells_its_story(folder, tmp_path):
    result = cli("trace", str(folder), "--pick", "slowest-refund", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    import duckdb

    slowest = duckdb.sql(
        f"select order_id from read_parquet('{folder}/orders/point=0000/replication=000/*') "
        "where credited_at is not null order by credited_at - asked_at desc limit 1"
    ).fetchall()[0][0]
    assert f"order {slowest} " in result.stdout
    assert "bank_credits_refund" in result.stdout and "refund_clearing -> refunded" in result.stdout
    assert (tmp_path / f"trace_0_0_{slowest}.png").exists() and (
        tmp_path / f"trace_0_0_{slowest}.txt"
    ).exists()


def test_trace_errors_are_one_line(folder):
    for args in (["--order", "999999"], ["--pick", "nonsense"], []):
        result = cli("trace", str(folder), *args)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, args


CHROMIUM_FLAGS = (  # headless as root, with no network chatter on a closed machine
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
)  # fmt: skip


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail(
            "Chromium is missing: install it with 'apt-get install chromium' "
            "(make test installs it where it can)"
        )
    return found


def rendered_dom(page: Path) -> str:
    """The page as the system's headless Chromium renders it (its DOM after scripts ran)."""
    browser = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp()}"]
    done = subprocess.run(
        [*browser, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_the_report_renders_in_a_browser_with_tables_figures_and_diagram(folder, tmp_path):
    result = cli("report", str(folder), "-o", str(tmp_path / "report.html"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "report.html").resolve()
    dom = rendered_dom(page)
    browser = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp()}"]
    assert 'id="headline"' in dom and 'id="levers"' in dom and 'id="world"' in dom
    assert dom.count("<img") >= len(EXPECTED) and "data:image/png;base64" in dom
    assert "<svg" in dom and "dispute_open" in dom  # the state diagram, inline
    assert "fast-seller" in dom and "real problems refunded" in dom
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*browser, "--window-size=1280,1600", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    pixels = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert pixels.std() > 15, "the screenshot is blank"
    assert (pixels < 100).mean() > 0.005, "no dark text or figures on the page"
