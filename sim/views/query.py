"""SQL over a results folder, with DuckDB: each table of the folder is a view."""

from __future__ import annotations

from pathlib import Path

from sim.errors import UserError

VIEWS = {
    "orders": "orders/**/*.parquet",
    "events": "events/**/*.parquet",
    "queue": "queue/**/*.parquet",
    "summary": "summary/**/*.parquet",
    "results": "results.parquet",
    "sensitivity": "sensitivity.parquet",
}


def connect(folder: Path):  # noqa: ANN201 - a duckdb connection
    """An in-memory DuckDB with a view per table found in `folder`."""
    import duckdb

    if not (folder / "manifest.json").exists():
        raise UserError(f"{folder}: not a disputesim results folder (no manifest.json)")
    con = duckdb.connect()
    for view, pattern in VIEWS.items():
        if next(folder.glob(pattern), None) is None:
            continue
        source = str(folder / pattern).replace("'", "''")
        options = "hive_partitioning = true, hive_types = {'point': BIGINT, 'replication': BIGINT}"
        if "**" not in pattern:
            options = "hive_partitioning = false"
        con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet('{source}', {options})")
    return con


def query(folder: Path, sql: str) -> str:
    """The result of `sql` as text."""
    import duckdb

    con = connect(folder)
    try:
        frame = con.execute(sql).fetch_df()
    except duckdb.Error as err:
        first = str(err).strip().splitlines()[0]
        raise UserError(f"query failed: {first}") from None
    finally:
        con.close()
    return frame.to_string(index=False)
