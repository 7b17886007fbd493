"""The results folder: the one object that knows its layout, writes it and reads it.

    DIR/manifest.json                                   scenarios, seeds, versions, commit
    DIR/orders/point=0000/replication=000/part.parquet  one partition per task, likewise
    DIR/events/..., DIR/queue/..., DIR/sellers/...      the event log, queue, sellers table
    DIR/path/...                                        adaptive behaviour, a row a week
    DIR/summary/point=.../replication=.../part.parquet  the task's figures, written last
    DIR/results.parquet                                 every task's figures, one tidy table
    DIR/sensitivity.parquet                             a Sobol or Morris sweep's indices
    DIR/.lock                                           held by the one process writing

Every file is written atomically. A task counts as done when its summary exists, and a
task's files are a pure function of the task, so an interrupted experiment started again
with the same command skips what is done, redoes the rest, and ends with exactly the files
of an uninterrupted run. Reading goes through DuckDB, one view per table, locked down to
the folder's own files (the folder may be someone else's: `disputesim query` runs SQL on it).
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import UserError
from sim.experiments.provenance import commit, experiment_id, versions
from sim.files import ensure_folder, write_atomic, write_parquet_atomic

if TYPE_CHECKING:
    import pandas as pd

    from sim.world.records.results import RunResult

TABLES = ("orders", "events", "queue", "sellers", "path")
MANIFEST = "manifest.json"
RESULTS = "results.parquet"
SENSITIVITY = "sensitivity.parquet"
LOCK = ".lock"
VIEWS = {
    **{table: f"{table}/**/*.parquet" for table in TABLES},
    "summary": "summary/**/*.parquet",
    "results": RESULTS,
    "sensitivity": SENSITIVITY,
}
HIVE = "hive_partitioning = true, hive_types = {'point': BIGINT, 'replication': BIGINT}"
LOCKDOWN = (
    "SET enable_external_access = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET lock_configuration = true",
)


@dataclass
class ResultsFolder:
    """A results folder at `path`, written by an experiment and read by every view."""

    path: Path
    _manifest: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    _summary: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    # --- layout -------------------------------------------------------------------------

    def partition(self, table: str, point: int, replication: int) -> Path:
        """Where one task's table lives (Hive-style, so DuckDB reads point and replication)."""
        return (
            self.path / table / f"point={point:04d}" / f"replication={replication:03d}"
            / "part.parquet"
        )  # fmt: skip

    def done(self) -> set[tuple[int, int]]:
        """(point, replication) of every task whose summary is on disk."""
        keys = set()
        for path in (self.path / "summary").glob("point=*/replication=*/part.parquet"):
            point = int(path.parent.parent.name.split("=", 1)[1])
            replication = int(path.parent.name.split("=", 1)[1])
            keys.add((point, replication))
        return keys

    def damaged(self, tables: tuple[str, ...] = TABLES) -> dict[tuple[int, int], str]:
        """The tasks counted as done whose files do not all open, and what is wrong: a task
        is done only when its summary reads, each of its `tables`' footers reads, and the
        event log holds as many rows as the summary counted."""
        found = {}
        for key in sorted(self.done()):
            problem = self._damage(key, tables)
            if problem is not None:
                found[key] = problem
        return found

    def _damage(self, key: tuple[int, int], tables: tuple[str, ...]) -> str | None:
        """What is wrong with a done task's files, or None."""
        import pyarrow.parquet as pq

        try:
            summary = pq.read_table(self.partition("summary", *key)).to_pylist()[0]
        except Exception:  # pyarrow says ArrowInvalid, OSError, ... for a damaged file
            return "its summary is damaged or cut short"
        for name in tables:
            try:
                rows = pq.read_metadata(self.partition(name, *key)).num_rows
            except FileNotFoundError:
                return f"its {name} table is missing"
            except Exception:
                return f"its {name} table is damaged or cut short"
            if name == "events" and rows != summary.get("events", rows):
                counted = summary["events"]
                return f"its events table holds {rows:,} rows, not the {counted:,.0f} counted"
        return None

    # --- writing ------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the folder's exclusive lock while writing it: a second writer is refused.

        The lock is an `fcntl` lock on DIR/.lock, so it is released when the process ends,
        however it ends; the file stays, naming the last writer's process id.
        """
        ensure_folder(self.path)
        try:
            handle = os.open(self.path / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as err:
            raise UserError(f"{self.path}: cannot lock the folder ({err.strerror})") from None
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(handle, 32, 0).decode(errors="replace").strip() or "unknown"
                raise UserError(
                    f"{self.path}: another disputesim (process {holder}) is writing this "
                    "folder; wait for it to finish or use another --out folder"
                ) from None
            os.ftruncate(handle, 0)
            os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
            yield
        finally:
            os.close(handle)  # closing releases the lock

    def start(self, identity: dict[str, Any]) -> None:
        """Start or resume the experiment `identity` here; refuse a folder holding another."""
        fingerprint = experiment_id(identity)
        manifest = self.path / MANIFEST
        if manifest.exists():
            try:
                previous = json.loads(manifest.read_text())
            except (OSError, json.JSONDecodeError):
                raise UserError(
                    f"{manifest}: unreadable manifest; use another --out folder"
                ) from None
            if previous.get("experiment_id") != fingerprint:
                raise UserError(
                    f"{self.path}: holds a different experiment (id "
                    f"{previous.get('experiment_id')}); use another --out folder or remove it"
                )
            for leftover in self.path.rglob(".*.part"):  # an interrupted write's temporaries
                leftover.unlink(missing_ok=True)
            return
        if any(path.name != LOCK for path in self.path.iterdir()):
            raise UserError(f"{self.path}: not empty and not a disputesim results folder")
        record = {
            "experiment_id": fingerprint, **identity, "versions": versions(), "commit": commit()
        }  # fmt: skip
        write_atomic(manifest, json.dumps(record, indent=2, sort_keys=True, default=str).encode())
        self._manifest = None

    def holds(self, identity: dict[str, Any]) -> bool:
        """Whether the folder's manifest is that of the experiment `identity`."""
        try:
            return self.manifest.get("experiment_id") == experiment_id(identity)
        except UserError:
            return False

    def repair(self, tables: tuple[str, ...] = TABLES) -> list[str]:
        """Undo every damaged task (its files removed, the summary first, so that it runs
        again); one line for each says so."""
        told = []
        for key, problem in self.damaged(tables).items():
            for name in ("summary", *TABLES):  # the summary first: from here on, not done
                self.partition(name, *key).unlink(missing_ok=True)
            told.append(f"point {key[0]}, replication {key[1]}: {problem}; it runs again")
        return told

    def write_task(self, key: tuple[int, int], result: RunResult, summary: dict[str, Any]) -> None:
        """Store the tables of task `key` (point, replication), then its summary: the
        summary's presence means done."""
        for name in TABLES:
            write_parquet_atomic(getattr(result, name).to_arrow(), self.partition(name, *key))
        self.write_summary(key, summary)

    def write_summary(self, key: tuple[int, int], summary: dict[str, Any]) -> None:
        """Store the figures of task `key`: the task counts as done from now on."""
        import pyarrow as pa

        write_parquet_atomic(pa.Table.from_pylist([summary]), self.partition("summary", *key))

    def write_results(
        self, summaries: list[dict[str, Any]], figures: list[str], table: str = RESULTS
    ) -> None:
        """The tidy table: one row per task and figure, with the task's parameters."""
        import pandas as pd
        import pyarrow as pa

        wide = pd.DataFrame(summaries)
        keys = [column for column in wide.columns if column not in figures]
        tidy = wide.melt(id_vars=keys, value_vars=figures, var_name="figure", value_name="value")
        tidy = tidy.sort_values(["point", "replication", "figure"], kind="stable")
        arrow = pa.Table.from_pandas(tidy.reset_index(drop=True), preserve_index=False)
        write_parquet_atomic(arrow, self.path / table)

    def write_sensitivity(self, rows: list[dict[str, Any]]) -> None:
        """A sweep's sensitivity indices (figure, parameter, index, value, confidence)."""
        import pyarrow as pa

        write_parquet_atomic(pa.Table.from_pylist(rows), self.path / SENSITIVITY)

    # --- reading ------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> ResultsFolder:
        """Open a results folder, or refuse with one line if it is not one or is broken."""
        folder = cls(Path(path))
        folder.connect().close()  # checks the manifest, and that every table reads
        return folder

    @property
    def manifest(self) -> dict[str, Any]:
        """The manifest, or one line saying why the folder is not one or is damaged: the
        one rule every command that reads a folder applies."""
        if self._manifest is None:
            self._manifest = read_manifest(self.path)
        return self._manifest

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def keeps_tables(self) -> bool:
        """Whether the runs' tables are stored (a sweep with `tables = false` keeps its
        figures only)."""
        return (self.manifest.get("study") or {}).get("tables", True) is not False

    def require_tables(self, what: str) -> None:
        """Refuse in one line, naming `what`, if the runs' tables were not stored."""
        if not self.keeps_tables:
            raise UserError(
                f"{self.path}: {what} reads the runs' tables, and this sweep kept its "
                "figures only (tables = false in its study); run it again with tables = true"
            )

    @property
    def finished(self) -> bool:
        """Whether the experiment wrote its closing table (every task done)."""
        return (self.path / RESULTS).is_file()

    def summaries(self) -> list[dict[str, Any]]:
        """Every stored task summary, sorted by (point, replication), read without DuckDB
        (as a resuming experiment does, many times)."""
        import pyarrow.parquet as pq

        rows = []
        for path in sorted((self.path / "summary").glob("point=*/replication=*/part.parquet")):
            rows += pq.read_table(path).to_pylist()
        return sorted(rows, key=lambda r: (r["point"], r["replication"]))

    def read_task_table(self, table: str, point: int, replication: int) -> pd.DataFrame | None:
        """One task's table (None if the task did not write it), or one line if damaged."""
        import pyarrow.parquet as pq

        path = self.partition(table, point, replication)
        try:
            return pq.read_table(path).to_pandas()
        except FileNotFoundError:
            return None
        except Exception:  # pyarrow's ArrowInvalid, OSError, ... for a damaged file
            raise UserError(f"{path}: damaged or cut short; run the experiment again") from None

    def connect(self):  # noqa: ANN201 - a duckdb connection
        """An in-memory DuckDB with a view per table found here, locked down."""
        import duckdb

        self.manifest  # noqa: B018 - a folder every other command refuses is refused here too
        con = duckdb.connect()
        try:
            for view, pattern in VIEWS.items():
                if next(self.path.glob(pattern), None) is None:
                    continue
                options = HIVE if "**" in pattern else "hive_partitioning = false"
                source = _quoted(str(self.path / pattern))
                con.execute(
                    f"CREATE VIEW {view} AS SELECT * FROM read_parquet({source}, {options})"
                )
            con.execute(f"SET allowed_directories = [{_quoted(str(self.path.resolve()) + '/')}]")
            for setting in LOCKDOWN:
                con.execute(setting)
        except duckdb.Error as err:
            con.close()
            first = str(err).strip().splitlines()[0]
            raise UserError(f"{self.path}: unreadable results table ({first})") from None
        return con

    def sql(
        self, statement: str, *, check: Callable[[Any, str], None] | None = None
    ) -> pd.DataFrame:
        """The result of one statement over the folder's views; `check(connection,
        statement)` may refuse it first (a user's SQL is: sim.views.query)."""
        import duckdb

        con = self.connect()
        try:
            if check is not None:
                check(con, statement)
            return con.execute(statement).fetch_df()
        except duckdb.Error as err:
            first = str(err).strip().splitlines()[0]
            if check is not None:  # the user's SQL, not the folder, is at fault
                raise UserError(f"query failed: {first}") from None
            raise UserError(f"{self.path}: cannot read its tables ({first})") from None
        finally:
            con.close()

    def summary(self) -> pd.DataFrame:
        """One row per task with its figures (wide); read once, then kept (a report and
        its figures ask for it a dozen times)."""
        if self._summary is None:
            self._summary = self.sql("select * from summary order by point, replication")
        return self._summary.copy()

    def sensitivity(self) -> pd.DataFrame:
        """A Sobol or Morris sweep's indices; empty for other folders."""
        import pandas as pd

        path = self.path / SENSITIVITY
        return pd.read_parquet(path) if path.exists() else pd.DataFrame()

    @property
    def replications(self) -> int:
        """Replications per point (the most any point has)."""
        counts = self.summary().groupby("point").size()
        return int(counts.max()) if len(counts) else 0

    @property
    def currency(self) -> str:
        """The currency money is shown in (the first point's; points share one)."""
        from sim.measures.money import currency_of

        return currency_of(self.manifest["points"][0]["scenario"])

    def has(self, table: str) -> bool:
        return any((self.path / table).glob("**/*.parquet"))

    @property
    def swept(self) -> list[str]:
        """The dotted keys a sweep varied, in the study's order."""
        return swept(self.manifest)

    @property
    def point_names(self) -> list[str]:
        """A label per point: the scenario name, or its swept values if any."""
        names = []
        for point in self.manifest["points"]:
            label = point["scenario"]["name"]
            values = point["parameters"]
            if values:  # in the study's order (the manifest's JSON sorts its keys)
                keys = [k for k in self.swept if k in values] or list(values)
                label = ", ".join(f"{short_key(k)}={shown_value(values[k])}" for k in keys)
            names.append(label)
        return names


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a results folder, or one line saying why the folder is not one or
    is damaged."""
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


def swept(manifest: dict[str, Any]) -> list[str]:
    """The dotted keys a sweep folder varied, in the study's order."""
    study = manifest.get("study") or {}
    ordered = [p["key"] for p in study.get("parameters", [])]
    return ordered or list(manifest["points"][0]["parameters"])


def summary_column(key: str) -> str:
    """The summary column of a swept key: `policy.seller_response_days` becomes
    `policy_seller_response_days`, a name SQL can use unquoted."""
    return key.replace(".", "_")


def short_key(key: str) -> str:
    """A swept key for a label: the field, with the profile it belongs to if any
    (`buyers.opportunistic.share` is `opportunistic share`, `team.staff` is `staff`)."""
    parts = key.split(".")
    return f"{parts[1]} {parts[2]}" if len(parts) == 3 else parts[-1]


def shown_value(value: object) -> str:
    """A swept value for a label: a name as it is, true/false, a number to 3 digits."""
    import numpy as np

    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return f"{float(value):.3g}"  # type: ignore[arg-type]


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
