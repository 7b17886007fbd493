"""A user's SQL over a results folder, with DuckDB: each table of the folder is a view.

Results folders are shared, so the SQL is sandboxed: one read-only statement (SELECT,
DESCRIBE, SUMMARIZE or EXPLAIN), on the folder's locked-down connection (no file access
beyond the folder's own files, no extensions, the configuration locked so the SQL cannot
undo any of it: `ResultsFolder.connect`).
"""

from __future__ import annotations

from pathlib import Path

from sim.errors import UserError
from sim.experiments.folder import ResultsFolder


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
    return ResultsFolder(folder).sql(sql, check=read_only)


def query(folder: Path, sql: str) -> str:
    """The result of `sql` as text."""
    return str(query_frame(folder, sql).to_string(index=False))
