"""`disputesim export`, `query` and `sellers`: what a results folder holds, written out as
event logs and workbooks, queried with SQL, and its sellers listed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.views.export import Run, Size


def cmd_export(args: argparse.Namespace) -> int:
    """Write a results folder's event log as CSV, XES or OCEL 2.0 JSON, streamed one run
    at a time; or its headline tables as an Excel workbook."""
    from sim.api import export_log
    from sim.api.folders import export_target
    from sim.views.console import export_start

    target = export_target(args.folder, args.format, args.output)

    def starting(runs: list[Run], size: Size) -> None:
        print(export_start(runs, size, target), file=sys.stderr)

    count = export_log(args.folder, args.format, target, args.point, args.replication, starting)
    if args.format == "xlsx":
        print(f"wrote the figures of {count:,} runs to {target}")
    else:
        print(f"wrote {count:,} events to {target}")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    """Run SQL (DuckDB) over a results folder's tables."""
    from sim.views.query import query

    print(query(Path(args.folder), args.sql))
    return 0


def cmd_sellers(args: argparse.Namespace) -> int:
    """List the sellers of a results folder by a seller metric, at the window's end."""
    from sim.views.sellers import lines, ranked

    rows = ranked(Path(args.folder), args.metric, top=args.top, point=args.point,
                  replication=args.replication, profile=args.profile)  # fmt: skip
    if args.json:
        print(json.dumps({"metric": args.metric, "sellers": rows}))
        return 0
    for line in lines(rows, args.metric):
        print(line)
    return 0
