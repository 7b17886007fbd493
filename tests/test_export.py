"""Event logs: CSV, XES (read back with pm4py and replayed on a Petri net generated from
the machine's table) and OCEL 2.0."""

from __future__ import annotations

import csv
import json
import re
import warnings
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sim.experiments.experiment import Plan, Point, carry_out
from sim.views.export import export
from tests.helpers import disputesim
from tests.petri import machine_net
from tests.world_runs import baseline, one_day


def read_xes(path: Path) -> object:
    """pm4py's XES reader, without its advice to install a faster optional reader (the
    fallback it warns about is the one these small logs need)."""
    import pm4py

    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="Install the optional requirement", category=UserWarning
        )
        return pm4py.read_xes(str(path))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("log") / "run"
    carry_out(Plan("run", (Point(one_day(baseline())),), 1, 5), out=out, quiet=True)
    return out


@pytest.fixture(scope="module")
def n_orders(folder):
    return len(pq.read_table(folder / "orders").column("order_id"))


def test_csv_has_the_usual_columns_and_every_event(folder, tmp_path):
    count = export(folder, "csv", tmp_path / "events.csv")
    with (tmp_path / "events.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == count > 2_000
    assert {"case:concept:name", "concept:name", "time:timestamp", "org:resource"} <= set(rows[0])
    assert rows[0]["time:timestamp"].startswith("2026-11-")


def test_xes_is_read_back_by_pm4py_and_every_trace_fits_the_machine(folder, n_orders, tmp_path):
    import pm4py

    path = tmp_path / "events.xes"
    count = export(folder, "xes", path)
    log = read_xes(path)
    assert len(log) == count and log["case:concept:name"].nunique() == n_orders
    net, start, end = machine_net()
    fitness = pm4py.conformance_diagnostics_token_based_replay(log, net, start, end)
    assert len(fitness) == n_orders
    assert all(trace["trace_is_fit"] for trace in fitness)


def test_an_illegal_trace_injected_into_the_log_is_caught(folder, tmp_path):
    import pm4py

    path = tmp_path / "events.xes"
    export(folder, "xes", path)
    text = path.read_text()
    illegal = (
        '  <trace>\n    <string key="concept:name" value="injected"/>\n'
        + "".join(
            f'    <event><string key="concept:name" value="{name}"/>'
            f'<date key="time:timestamp" value="2026-10-0{day}T00:00:00.000+00:00"/></event>\n'
            for day, name in enumerate(["ship", "confirm_receipt", "completion_window_closes"], 1)
        )
        + "  </trace>\n"
    )  # delivery skipped: confirm_receipt is not possible from "shipped"
    path.write_text(re.sub(r"</log>\s*$", illegal + "</log>\n", text))
    log = read_xes(path)
    net, start, end = machine_net()
    fitness = pm4py.conformance_diagnostics_token_based_replay(log, net, start, end)
    unfit = [t for t in fitness if not t["trace_is_fit"]]
    assert len(unfit) == 1


def test_ocel_is_valid_ocel2_json(folder, n_orders, tmp_path):
    import pm4py

    path = tmp_path / "events.jsonocel"
    count = export(folder, "ocel", path)
    document = json.loads(path.read_text())
    assert {"objectTypes", "eventTypes", "objects", "events"} <= set(document)
    assert len(document["objects"]) == n_orders and len(document["events"]) == count
    ocel = pm4py.read_ocel2_json(str(path))
    assert len(ocel.events) == count and len(ocel.objects) == n_orders


def peak_memory_of_export(folder, target) -> int:
    """Peak bytes held while exporting: Python's allocations (numpy's among them) and
    Arrow's memory pool."""
    import tracemalloc

    import pyarrow as pa

    pool = pa.default_memory_pool()
    before = pool.max_memory() or 0
    tracemalloc.start()
    export(folder, "csv", target)
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return python_peak + max((pool.max_memory() or 0) - before, 0)


def test_an_export_streams_one_run_at_a_time(tmp_path):
    """Three replications need about the memory of one: no table of the whole folder."""
    one, three = tmp_path / "one", tmp_path / "three"
    carry_out(Plan("run", (Point(one_day(baseline())),), 1, 5), out=one, quiet=True)
    carry_out(Plan("run", (Point(one_day(baseline())),), 3, 5), out=three, quiet=True)
    small = peak_memory_of_export(one, tmp_path / "one.csv")
    large = peak_memory_of_export(three, tmp_path / "three.csv")
    lines = sum(1 for _ in (tmp_path / "three.csv").open())
    assert lines > 2.5 * sum(1 for _ in (tmp_path / "one.csv").open())  # three runs written
    assert large < 1.5 * small, (small, large)


def test_the_export_says_what_it_will_write_and_refuses_what_does_not_fit(folder, tmp_path):
    from sim.views import export as exporting

    _, chosen, size = exporting.prepare(folder, "xes", tmp_path / "log.xes")
    assert len(chosen) == 1 and size.events > 2_000
    written = export(folder, "xes", tmp_path / "log.xes")
    assert written == size.events
    actual = (tmp_path / "log.xes").stat().st_size
    assert 0.7 * actual < size.estimate < 1.3 * actual  # the estimate is honest
    cli = disputesim("export", str(folder), "--format", "csv", "-o", str(tmp_path / "e.csv"))
    assert cli.returncode == 0 and cli.stderr.startswith(f"writing {size.events:,} events of ")
    assert "MB" in cli.stderr or "kB" in cli.stderr


def test_payloads_travel_into_every_log_format(folder, tmp_path):
    export(folder, "csv", tmp_path / "e.csv")
    with (tmp_path / "e.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    opened = [r for r in rows if r["trigger"] == "open_dispute"]
    assert opened and all(r["reason"] and int(r["amount"]) > 0 for r in opened)
    assert all(r["amount"] == "" for r in rows if r["trigger"] == "ship")
    export(folder, "xes", tmp_path / "e.xes")
    assert '<int key="disputesim:amount"' in (tmp_path / "e.xes").read_text()
    export(folder, "ocel", tmp_path / "e.ocel")
    events = json.loads((tmp_path / "e.ocel").read_text())["events"]
    carried = [e for e in events if e["type"] == "open_dispute"]
    assert all(
        {"amount", "reason", "kind"} <= {a["name"] for a in e["attributes"]} for e in carried
    )


def test_the_headline_tables_go_to_an_excel_workbook(folder, tmp_path):
    import openpyxl

    target = tmp_path / "figures.xlsx"
    result = disputesim("export", str(folder), "--format", "xlsx", "-o", str(target))
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["figures", "runs", "about"]
    figures = list(book["figures"].iter_rows(values_only=True))
    assert figures[0][:5] == ("group", "figure", "key", "unit", "baseline: mean")
    by_key = {row[2]: row for row in figures[1:]}
    refund = by_key["refund_rate"]
    assert 0 < refund[4] < 1 and book["figures"]["E2"].number_format == "0.00%"
    assert by_key["money_paid"][3] == "USD per 1,000 orders" and by_key["money_paid"][4] > 1000
    runs = list(book["runs"].iter_rows(values_only=True))
    assert len(runs) == 2 and "refund_rate" in runs[0]
    bad = disputesim("export", str(folder), "--format", "xlsx", "--point", "3")
    assert bad.returncode == 2 and "--point 3: not in" in bad.stderr
