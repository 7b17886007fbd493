"""The results folder of an experiment.

    DIR/manifest.json                                   scenarios, seeds, versions, commit
    DIR/orders/point=0000/replication=000/part.parquet  one partition per task, likewise
    DIR/events/..., DIR/queue/..., DIR/sellers/...      the event log, queue, sellers table
    DIR/summary/point=.../replication=.../part.parquet  the task's figures, written last
    DIR/results.parquet                                 every task's figures, one tidy table
    DIR/.lock                                           held by the one process writing

Every file is written atomically. A task counts as done when its summary exists, and a
task's files are a pure function of the task, so an interrupted experiment started again
with the same command skips what is done, redoes the rest, and ends with exactly the files
of an uninterrupted run.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import UserError
from sim.files import ensure_folder, write_atomic, write_parquet_atomic

if TYPE_CHECKING:
    from sim.world.results import RunResult

TABLES = ("orders", "events", "queue", "sellers")
MANIFEST = "manifest.json"
PACKAGES = (
    "disputesim",
    "transitions",
    "simpy",
    "numpy",
    "pandas",
    "pyarrow",
    "pydantic",
    "SALib",
    "scipy",
    "optuna",
)


def partition(out: Path, table: str, point: int, replication: int) -> Path:
    """Where one task's table lives (Hive-style, so DuckDB reads point and replication)."""
    return out / table / f"point={point:04d}" / f"replication={replication:03d}" / "part.parquet"


def write_task(out: Path, key: tuple[int, int], result: RunResult, summary: dict[str, Any]) -> None:
    """Store the tables of task `key` (point, replication), then its summary: the
    summary's presence means done."""
    for name in TABLES:
        write_parquet_atomic(getattr(result, name).to_arrow(), partition(out, name, *key))
    write_summary(out, key, summary)


def write_summary(out: Path, key: tuple[int, int], summary: dict[str, Any]) -> None:
    """Store the figures of task `key`: the task counts as done from now on."""
    import pyarrow as pa

    write_parquet_atomic(pa.Table.from_pylist([summary]), partition(out, "summary", *key))


def done(out: Path) -> set[tuple[int, int]]:
    """(point, replication) of every task whose summary is on disk."""
    keys = set()
    for path in (out / "summary").glob("point=*/replication=*/part.parquet"):
        point = int(path.parent.parent.name.split("=", 1)[1])
        replication = int(path.parent.name.split("=", 1)[1])
        keys.add((point, replication))
    return keys


def damaged(out: Path, tables: tuple[str, ...] = TABLES) -> dict[tuple[int, int], str]:
    """The tasks counted as done whose files do not all open, and what is wrong: a task is
    done only when its summary reads, each of its `tables`' footers reads, and the event
    log holds as many rows as the summary counted."""
    import pyarrow.parquet as pq

    found = {}
    for key in sorted(done(out)):
        problem = _damage(out, key, tables, pq)
        if problem is not None:
            found[key] = problem
    return found


def repair(out: Path, tables: tuple[str, ...] = TABLES) -> list[str]:
    """Undo every damaged task (its files removed, the summary first, so that it runs
    again); one line for each says so."""
    told = []
    for key, problem in damaged(out, tables).items():
        for name in ("summary", *TABLES):  # the summary first: from here on, not done
            partition(out, name, *key).unlink(missing_ok=True)
        told.append(f"point {key[0]}, replication {key[1]}: {problem}; it runs again")
    return told


def _damage(out: Path, key: tuple[int, int], tables: tuple[str, ...], pq: Any) -> str | None:
    """What is wrong with a done task's files, or None."""
    try:
        summary = pq.read_table(partition(out, "summary", *key)).to_pylist()[0]
    except Exception:  # pyarrow says ArrowInvalid, OSError, ... for a damaged file
        return "its summary is damaged or cut short"
    for name in tables:
        path = partition(out, name, *key)
        try:
            rows = pq.read_metadata(path).num_rows
        except FileNotFoundError:
            return f"its {name} table is missing"
        except Exception:
            return f"its {name} table is damaged or cut short"
        if name == "events" and rows != summary.get("events", rows):
            return f"its events table holds {rows:,} rows, not the {summary['events']:,.0f} counted"
    return None


def read_summaries(out: Path) -> list[dict[str, Any]]:
    """Every stored task summary, sorted by (point, replication)."""
    import pyarrow.parquet as pq

    rows = []
    for path in sorted((out / "summary").glob("point=*/replication=*/part.parquet")):
        rows += pq.read_table(path).to_pylist()
    return sorted(rows, key=lambda r: (r["point"], r["replication"]))


def versions() -> dict[str, str]:
    """Installed versions of the packages that shape the results."""
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def commit() -> str | None:
    """The git commit of the code that ran (with '+dirty' if it had changes), if known."""
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=here, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def experiment_id(identity: dict[str, Any]) -> str:
    """A fingerprint of what defines the experiment's results."""
    canonical = json.dumps(identity, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


LOCK = ".lock"


@contextmanager
def writing(out: Path) -> Iterator[None]:
    """Hold the folder's exclusive lock while writing it: a second writer is refused.

    The lock is an `fcntl` lock on DIR/.lock, so it is released when the process ends,
    however it ends; the file stays, naming the last writer's process id.
    """
    ensure_folder(out)
    try:
        handle = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as err:
        raise UserError(f"{out}: cannot lock the folder ({err.strerror})") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode(errors="replace").strip() or "unknown"
            raise UserError(
                f"{out}: another disputesim (process {holder}) is writing this folder; "
                "wait for it to finish or use another --out folder"
            ) from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a results folder, or one line saying why the folder is not one or
    is damaged: the one rule every command that reads a folder applies."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise UserError(f"{folder}: not a disputesim results folder (no {MANIFEST})")
    try:
        found = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UserError(f"{manifest}: unreadable ({err}); the folder is damaged") from None
    if not isinstance(found, dict) or not {"kind", "points"} <= set(found):
        raise UserError(f"{manifest}: not a disputesim manifest (no kind and points)")
    if not isinstance(found["points"], list) or not found["points"]:
        raise UserError(f"{manifest}: key 'points': expected a list of scenario points")
    return found


def open_folder(out: Path, identity: dict[str, Any]) -> None:
    """Start or resume an experiment in `out`; refuse a folder holding another one."""
    fingerprint = experiment_id(identity)
    manifest = out / MANIFEST
    if manifest.exists():
        try:
            previous = json.loads(manifest.read_text())
        except (OSError, json.JSONDecodeError):
            raise UserError(f"{manifest}: unreadable manifest; use another --out folder") from None
        if previous.get("experiment_id") != fingerprint:
            raise UserError(
                f"{out}: holds a different experiment (id {previous.get('experiment_id')}); "
                "use another --out folder or remove it"
            )
        for leftover in out.rglob(".*.part"):  # temporary files of an interrupted write
            leftover.unlink(missing_ok=True)
        return
    if any(path.name != LOCK for path in out.iterdir()):
        raise UserError(f"{out}: not empty and not a disputesim results folder")
    record = {"experiment_id": fingerprint, **identity, "versions": versions(), "commit": commit()}
    write_atomic(manifest, json.dumps(record, indent=2, sort_keys=True, default=str).encode())


def write_results(
    out: Path, summaries: list[dict[str, Any]], figures: list[str], table: str = "results.parquet"
) -> None:
    """The tidy table: one row per task and figure, with the task's parameters."""
    import pandas as pd
    import pyarrow as pa

    wide = pd.DataFrame(summaries)
    keys = [column for column in wide.columns if column not in figures]
    tidy = wide.melt(id_vars=keys, value_vars=figures, var_name="figure", value_name="value")
    tidy = tidy.sort_values(["point", "replication", "figure"], kind="stable").reset_index(
        drop=True
    )
    write_parquet_atomic(pa.Table.from_pandas(tidy, preserve_index=False), out / table)
