"""Event logs made by the project from scenarios whose numbers are known: run, exported as
a platform would export them, and cut at a window's end (cases still open are censored)."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from sim.experiments.experiment import Plan, Point, carry_out
from sim.views.export import export
from sim.world.scenario import Scenario

DATA = Path(__file__).resolve().parent / "data" / "fitting"
TRUTH = DATA / "truth.toml"


def simulated_log(scenario: Scenario, seed: int, folder: Path, cut_day: float | None) -> Path:
    """`scenario` run once on `seed` into `folder`/run, exported to CSV and, with
    `cut_day`, cut there: the log a platform would extract at that moment."""
    carry_out(Plan("run", (Point(scenario),), 1, seed), out=folder / "run", quiet=True)
    whole = folder / "whole.csv"
    export(folder / "run", "csv", whole)
    if cut_day is None:
        return whole
    with whole.open() as stream:
        names = next(csv.reader(stream))
    kinds = {name: pa.float64() if name == "day" else pa.string() for name in names}
    as_written = pacsv.ConvertOptions(column_types=kinds, strings_can_be_null=False)
    table = pacsv.read_csv(whole, convert_options=as_written)
    cut = folder / "log.csv"
    pacsv.write_csv(table.filter(pc.less_equal(table.column("day"), cut_day)), cut)
    whole.unlink()
    return cut
