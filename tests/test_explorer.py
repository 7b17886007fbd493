"""The explorer: one self-contained HTML file per results folder, driven here in the
system's headless Chromium (Playwright, never a downloaded browser): it loads without a
console error, a slider and a brush select the points the test counts itself from the
folder's table, a comparison shows paired differences, and a folder it cannot read is one
line with exit 2."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.experiments.folder import ResultsFolder
from tests.helpers import disputesim, small_scenario, sweep_into

SMALL = small_scenario(days=20)
GRID = """
[study]
name = "grid"
scenario = "small.toml"
method = "grid"
replications = 2
seed = 2
figures = ["team_decision_days_median", "escalation_rate"]

[[parameters]]
key = "team.staff"
values = [1, 2, 3, 4]

[[parameters]]
key = "policy.seller_response_days"
values = [3, 5, 7]
"""
VIEWPORT = {"width": 1280, "height": 900}
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sweep(once) -> Path:
    def make(folder: Path) -> None:
        (folder / "small.toml").write_text(SMALL)
        (folder / "study.toml").write_text(GRID)
        sweep_into(folder / "study.toml", folder / "out")

    return once("explorer-grid", make) / "out"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from sim.tooling.browser import executable, launch

    if not executable():
        pytest.fail("Chromium is missing: install it with 'apt-get install chromium' "
                    "(make test installs it where it can)")  # fmt: skip
    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


def opened(browser: Any, page_path: Path) -> tuple[Any, list[str]]:
    """The page loaded, with every console error and page error it raised."""
    page = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
    page.goto(page_path.resolve().as_uri())
    page.wait_for_function("window.explorer !== undefined")
    assert not requests, f"the page asked the network for {requests}"
    return page, errors


def _benchmark() -> Any:
    """benchmarks/explorer.py, whose synthetic points the big page is made of."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "explorer_benchmark", ROOT / "benchmarks" / "explorer.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(page: Any) -> int:
    return int(page.locator("#points tbody tr").count())


def test_explore_writes_one_small_self_contained_file(sweep):
    result = disputesim("explore", str(sweep))
    assert result.returncode == 0, result.stderr
    page = sweep / "explorer.html"
    assert result.stdout.strip() == str(page)
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"https?://|//cdn|<link|<script src|<img src", text)
    assert "webgl" not in text.lower()
    assert page.stat().st_size < 2_000_000
    data = json.loads(re.search(r"<script id='data' type='application/json'>(.*?)</script>",
                                text, re.S)[1])  # fmt: skip
    assert [lever["key"] for lever in data["levers"]] == [
        "team.staff",
        "policy.seller_response_days",
    ]
    assert len(data["points"]) == 12 and data["focus"][0] == "team_decision_days_median"
    from sim.measures.metrics import ALL_FIGURES

    for figure in data["figures"]:  # the catalogue's labels and units, one definition
        assert figure["label"] == ALL_FIGURES[figure["key"]].label
        assert figure["unit"] == ALL_FIGURES[figure["key"]].unit


def test_a_slider_and_a_brush_select_the_points_the_table_says(sweep, browser):
    assert disputesim("explore", str(sweep)).returncode == 0
    summary = ResultsFolder.open(sweep).summary().groupby("point").first()
    staff, deadline = summary["team_staff"], summary["policy_seller_response_days"]
    page, errors = opened(browser, sweep / "explorer.html")
    assert page.evaluate("window.explorer.selectedCount()") == 12 and rows(page) == 12

    slider = page.locator("#lever-0-high")  # staff's upper end, moved by the keyboard
    slider.focus()
    for _ in range(40):
        page.keyboard.press("ArrowLeft")
    moved = float(slider.input_value())
    assert moved < 4
    expected = int((staff <= moved).sum())
    assert 0 < expected < 12
    assert page.evaluate("window.explorer.selectedCount()") == expected
    assert rows(page) == expected

    page.click("#reset")
    assert rows(page) == 12
    x = page.evaluate("window.explorer.axisX('policy.seller_response_days')")
    top = page.evaluate("window.explorer.axisY('policy.seller_response_days', 7.5)")
    bottom = page.evaluate("window.explorer.axisY('policy.seller_response_days', 4)")
    page.mouse.move(x, top)
    page.mouse.down()
    page.mouse.move(x, (top + bottom) / 2, steps=3)
    page.mouse.move(x, bottom, steps=3)
    page.mouse.up()
    low, high = page.evaluate("window.explorer.brushes()")["policy.seller_response_days"]
    assert 3.5 < low < 5 and high == pytest.approx(7)  # the axis ends at the largest value
    expected = int(((deadline >= low) & (deadline <= high)).sum())
    assert expected == 8  # the deadlines 5 and 7, at each of four staffing levels
    assert rows(page) == expected and page.evaluate("window.explorer.selectedCount()") == 8
    assert not errors, errors


def test_a_screenshot_has_the_viewport_s_size_and_is_not_blank(sweep, browser):
    import matplotlib.image

    assert disputesim("explore", str(sweep)).returncode == 0
    page, errors = opened(browser, sweep / "explorer.html")
    image = matplotlib.image.imread(io.BytesIO(page.screenshot()), format="png")
    assert image.shape[:2] == (VIEWPORT["height"], VIEWPORT["width"])
    colours = np.unique((image[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 20, "the page drew almost nothing"
    dark = (image[..., :3].mean(axis=2) < 0.5).mean()
    assert 0.01 < dark < 0.6  # lines and text on a white page
    assert not errors, errors


def test_a_comparison_shows_paired_differences_from_the_scenario_picked(tmp_path, browser):
    (tmp_path / "a.toml").write_text(SMALL)
    (tmp_path / "b.toml").write_text(small_scenario(days=20, name="slow")
                                     + "\n[policy]\nseller_response_days = 10\n")  # fmt: skip
    out = tmp_path / "cmp"
    result = disputesim("compare", str(tmp_path / "a.toml"), str(tmp_path / "b.toml"),
                        "--replications", "2", "--quiet", "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert disputesim("explore", str(out), "-o", str(tmp_path / "x.html")).returncode == 0
    page, errors = opened(browser, tmp_path / "x.html")
    assert "paired difference from it" in page.inner_text("#tablebox")
    page.select_option("#reference", "1")
    text = page.inner_text("#tablebox")
    assert "rows other than slow" in text and re.search(r"[+-]\d", text)
    assert not errors, errors


def test_ten_thousand_points_filter_in_the_browser(tmp_path, browser, capsys):
    """The time is printed (and `benchmarks/explorer.py` prints it), never asserted."""
    from sim.views.explorer import page as explorer_page

    synthetic = _benchmark().synthetic

    big = tmp_path / "big.html"
    big.write_text(explorer_page(synthetic(10_000)), encoding="utf-8")
    small = explorer_page(synthetic(1_000))
    assert len(small.encode()) < 2_000_000  # a 1,000-point sweep under 2 MB
    page, errors = opened(browser, big)
    page.evaluate(
        "() => { const s = document.getElementById('lever-0-high'); s.value = s.min; "
        "s.dispatchEvent(new Event('input')); }"
    )
    took = page.evaluate("window.explorer.lastFilterMs()")
    kept = page.evaluate("window.explorer.selectedCount()")
    assert kept < 10_000 and took >= 0 and not errors, errors
    with capsys.disabled():
        print(f"\n  explorer: 10,000 points filtered in {took:.1f} ms")


@pytest.mark.parametrize("case", ["missing", "unknown", "empty"])
def test_a_folder_it_cannot_read_is_one_line(tmp_path, case):
    folder = tmp_path / "folder"
    if case != "missing":
        folder.mkdir()
        kind = "mystery" if case == "unknown" else "sweep"
        manifest = {"kind": kind, "points": [{"scenario": {"name": "x"}, "parameters": {}}]}
        (folder / "manifest.json").write_text(json.dumps(manifest))
    result = disputesim("explore", str(folder))
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (folder / "explorer.html").exists()


def test_the_report_links_to_the_explorer_it_writes_beside_the_folder(sweep, tmp_path):
    target = tmp_path / "elsewhere" / "report.html"
    target.parent.mkdir()
    result = disputesim("report", str(sweep), "-o", str(target))
    assert result.returncode == 0, result.stderr
    link = re.search(r"<p id='explorer'>.*?<a href='([^']+)'>", target.read_text(encoding="utf-8"))
    assert link, "the report has no link to the explorer"
    assert (target.parent / link[1]).resolve() == (sweep / "explorer.html").resolve()
    assert (sweep / "explorer.html").stat().st_size > 10_000


def test_a_run_and_a_policy_search_can_be_explored(tmp_path, browser):
    (tmp_path / "small.toml").write_text(small_scenario(days=30))
    run = tmp_path / "run"
    assert disputesim("run", str(tmp_path / "small.toml"), "--replications", "2", "--out",
                      str(run)).returncode == 0  # fmt: skip
    assert disputesim("explore", str(run)).returncode == 0
    page, errors = opened(browser, run / "explorer.html")
    assert page.evaluate("window.explorer.selectedCount()") == 1 and rows(page) == 1
    assert not errors, errors
    (tmp_path / "search.toml").write_text(
        '[optimise]\nscenario = "small.toml"\ntrials = 4\npopulation = 2\nreplications = 1\n'
        "confirm_replications = 2\nextra_replications = 0\ncandidates = 3\n"
        '[[objectives]]\nfigure = "buyer_loss"\n[[objectives]]\nfigure = "seller_loss"\n'
        '[[levers]]\nkey = "policy.seller_response_days"\nlow = 2\nhigh = 15\n'
    )
    searched = tmp_path / "searched"
    result = disputesim("optimise", str(tmp_path / "search.toml"), "--out", str(searched),
                        "--quiet", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    candidates = {c["trial"] for c in json.loads(result.stdout)["candidates"]}
    assert disputesim("explore", str(searched)).returncode == 0
    page, errors = opened(browser, searched / "explorer.html")
    data = page.evaluate("window.explorer.data")
    assert len(data["points"]) == 4 and set(data["pareto"]) == candidates
    marked = [p for p in data["points"] if p["probability"] is not None]
    assert {p["id"] for p in marked} == candidates
    assert "P(Pareto)" in page.inner_text("#points thead")
    assert not errors, errors
