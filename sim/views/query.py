"""SQL over a results folder, with DuckDB: each table of the folder is a view.

Results folders are shared, so the SQL is sandboxed: one read-only statement (SELECT,
DESCRIBE, SUMMARIZE or EXPLAIN), no file access beyond the folder's own files (DuckDB's
`enable_external_access = false` with `allowed_directories`), no extensions installed or
loaded, and the configuration locked so the SQL cannot undo any of it.
"""

from __future__ import annotations

from pathlib import Path

from sim.errors import UserError
from sim.experiments.store import read_manifest

VIEWS = {
    "orders": "orders/**/*.parquet",
    "events": "events/**/*.parquet",
    "queue": "queue/**/*.parquet",
    "sellers": "sellers/**/*.parquet",
    "summary": "summary/**/*.parquet",
    "results": "results.parquet",
    "sensitivity": "sensitivity.parquet",
}
HIVE = "hive_partitioning = true, hive_types = {'point': BIGINT, 'replication': BIGINT}"
LOCKDOWN = (
    "SET enable_external_access = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET lock_configuration = true",
)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(folder: Path):  # noqa: ANN201 - a duckdb connection
    """An in-memory DuckDB with a view per table found in `folder`, locked down."""
    import duckdb

    read_manifest(folder)  # a folder every other command would refuse is refused here too
    con = duckdb.connect()
    try:
        for view, pattern in VIEWS.items():
            if next(folder.glob(pattern), None) is None:
                continue
            options = HIVE if "**" in pattern else "hive_partitioning = false"
            source = _quoted(str(folder / pattern))
            con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet({source}, {options})")
        con.execute(f"SET allowed_directories = [{_quoted(str(folder.resolve()) + '/')}]")
        for setting in LOCKDOWN:
            con.execute(setting)
    except duckdb.Error as err:
        con.close()
        first = str(err).strip().splitlines()[0]
        raise UserError(f"{folder}: unreadable results table ({first})") from None
    return con


def read_only(con, sql: str) -> None:  # noqa: ANN001 - a duckdb connection
    """Refuse anything but one read-only statement, with one line."""
    import duckdb

    if not sql.strip():
        raise UserError("query: empty SQL (expected one SELECT statement)")
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as err:
        raise UserError(f"query failed: {str(err).strip().splitlines()[0]}") from None
    if len(statements) != 1:
        raise UserError(f"query: expected one statement, got {len(statements)}")
    allowed = (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN)
    kind = statements[0].type
    if kind not in allowed:
        raise UserError(
            f"query: only read-only statements may run (SELECT, DESCRIBE, SUMMARIZE, "
            f"EXPLAIN), got {kind.name}"
        )


def query_frame(folder: Path, sql: str):  # noqa: ANN201 - a pandas DataFrame
    """The result of one read-only statement over the folder, as a DataFrame."""
    import duckdb

    con = connect(folder)
    try:
        read_only(con, sql)
        return con.execute(sql).fetch_df()
    except duckdb.Error as err:
        first = str(err).strip().splitlines()[0]
        raise UserError(f"query failed: {first}") from None
    finally:
        con.close()


def query(folder: Path, sql: str) -> str:
    """The result of `sql` as text."""
    return str(query_frame(folder, sql).to_string(index=False))
