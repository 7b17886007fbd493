"""The headline tables as an Excel workbook, for analysts who live in spreadsheets.

Sheets: `figures` (every figure per point: mean, 95% CI, replications, in its unit),
`differences` for a comparison (each point against the first, paired), `runs` (every
run's figures, one row per point and replication, swept values included), `sensitivity`
for a Sobol or Morris sweep, and `about` (what the folder holds and how to read it).
Numbers are stored as numbers with a display format: shares as percentages, money with
thousands separators, so they can be computed with.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

from sim.experiments.experiment import compare, estimates
from sim.experiments.folder import ResultsFolder
from sim.measures.figure import MONEY
from sim.measures.metrics import ALL_FIGURES, GROUPS
from sim.views import formatting

FORMATS = {"share": "0.00%", "share of GMV": "0.000%", "days": "0.00", MONEY: "#,##0.00"}


def write(path: Path, target: Path, point: int | None = None, replication: int | None = None
          ) -> int:  # fmt: skip
    """Write the workbook of the folder at `path` (some points or replications, if given)
    to `target`; return the number of runs it covers."""
    from openpyxl import Workbook

    from sim.files import check_target, write_atomic
    from sim.views.export import runs

    folder = ResultsFolder.open(path)
    runs(folder, point, replication)  # refuses a selection the folder does not hold
    check_target(target)
    summary = folder.summary()
    if point is not None:
        summary = summary[summary["point"] == point]
    if replication is not None:
        summary = summary[summary["replication"] == replication]
    rows = summary.to_dict("records")
    names = folder.point_names
    points = sorted({int(r["point"]) for r in rows})
    book = Workbook(write_only=True)
    _figures(book, rows, points, names, folder.currency)
    if folder.kind == "compare" and len(points) > 1:
        _differences(book, rows, points, names)
    _runs(book, summary)
    _sensitivity(book, folder)
    _about(book, folder, len(rows))
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(target, buffer.getvalue())
    return len(rows)


def _cell(book_sheet: Any, value: Any, number_format: str | None = None) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(book_sheet, value=None if _missing(value) else value)
    if number_format:
        cell.number_format = number_format
    return cell


def _missing(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _group(key: str) -> str:
    return next(name for name, group in GROUPS.items() if any(f.key == key for f in group))


def _figures(book: Any, rows: list[dict], points: list[int], names: list[str], currency: str
             ) -> None:  # fmt: skip
    sheet = book.create_sheet("figures")
    head = ["group", "figure", "key", "unit"]
    for p in points:
        head += [f"{names[p]}: mean", "95% CI low", "95% CI high", "replications"]
    sheet.append(head)
    found = {p: estimates(rows, p, list(ALL_FIGURES)) for p in points}
    for key, figure in ALL_FIGURES.items():
        shown = FORMATS[figure.unit]
        line = [_group(key), figure.label, key, formatting.unit_name(key, currency) or "share"]
        cells: list[Any] = list(line)
        for p in points:
            est = found[p][key]
            low, high = (est.low, est.high) if est.n > 1 else (math.nan, math.nan)
            cells += [_cell(sheet, v, shown) for v in (est.mean, low, high)] + [est.n]
        sheet.append(cells)


def _differences(book: Any, rows: list[dict], points: list[int], names: list[str]) -> None:
    sheet = book.create_sheet("differences")
    sheet.append(
        ["figure", "key", "scenario", "against", "difference", "95% CI low", "95% CI high",
         "significant"]
    )  # fmt: skip
    index = {p: i for i, p in enumerate(points)}
    remapped = [{**r, "point": index[int(r["point"])]} for r in rows]
    for c in compare(remapped, len(points), list(ALL_FIGURES)):
        shown = FORMATS[ALL_FIGURES[c.figure].unit]
        for p, diff in zip(points[1:], c.differences, strict=True):
            sheet.append(
                [ALL_FIGURES[c.figure].label, c.figure, names[p], names[points[0]],
                 *(_cell(sheet, v, shown) for v in (diff.mean, diff.low, diff.high)),
                 formatting.significant(c.figure, diff)]
            )  # fmt: skip


def _runs(book: Any, summary: Any) -> None:
    sheet = book.create_sheet("runs")
    columns = list(summary.columns)
    sheet.append(columns)
    formats = {key: FORMATS[ALL_FIGURES[key].unit] for key in columns if key in ALL_FIGURES}
    for values in summary.itertuples(index=False):
        sheet.append(
            [_cell(sheet, _plain(v), formats.get(c)) for c, v in zip(columns, values, strict=True)]
        )


def _plain(value: Any) -> Any:
    """A value a spreadsheet cell takes (numpy scalars become Python numbers)."""
    return value.item() if hasattr(value, "item") else value


def _sensitivity(book: Any, folder: ResultsFolder) -> None:
    import pyarrow.parquet as pq

    path = folder.path / "sensitivity.parquet"
    if not path.exists():
        return
    table = pq.read_table(path).to_pylist()
    sheet = book.create_sheet("sensitivity")
    sheet.append(["figure", "key", "parameter", "index", "value", "95% CI half-width"])
    for row in table:
        sheet.append(
            [ALL_FIGURES[row["figure"]].label, row["figure"], row["parameter"], row["index"],
             _cell(sheet, row["value"]), _cell(sheet, row["confidence"])]
        )  # fmt: skip


def _about(book: Any, folder: ResultsFolder, runs: int) -> None:
    m = folder.manifest
    sheet = book.create_sheet("about")
    for row in (
        ("folder", str(folder.path)),
        ("kind", folder.kind),
        ("points", len(m["points"])),
        ("runs in this workbook", runs),
        ("experiment id", m.get("experiment_id", "")),
        ("root seed", m["seeds"]["root"]),
        ("commit", str(m.get("commit"))),
        ("currency", folder.currency),
        ("shares", "fractions shown as percentages"),
        ("money", f"{folder.currency} per 1,000 orders paid in the window"),
        ("intervals", "95% confidence intervals over replications (Student's t), cut to "
                      "each figure's range"),
    ):  # fmt: skip
        sheet.append(list(row))
