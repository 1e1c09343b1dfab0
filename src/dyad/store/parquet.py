"""Parquet output of ``dyad batch`` as a store: query it in place, or load it into DuckDB.

Layout: ``DIR/<table>/month=YYYY-MM/*.parquet`` for documents, mentions, events, sentences and
commitment_mentions (``dyad.store.rows``). Folders are read by DuckDB directly; a URI that
DuckDB's httpfs reads (s3://...) works where that extension is available.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dyad.errors import StoreError
from dyad.store.db import connect
from dyad.store.rows import SCHEMAS

# The tables copied by ``dyad load`` and viewed by ``--parquet``; commitment statements are
# not copied: the store rebuilds its commitments from the events.
COPIED = ("documents", "mentions", "sentences", "events")


def _columns(table: str) -> str:
    """The table's columns, quoted: the Parquet layout's (``dyad.store.rows``) minus month."""
    return ", ".join(f'"{name}"' for name in SCHEMAS[table].names if name != "month")


def _files(folder: str, table: str) -> str | None:
    """The glob of a table's Parquet files, or None when the table has none."""
    if "://" not in folder:
        root = Path(folder) / table
        if not any(root.glob("*/*.parquet")):
            return None
        return str(root / "*" / "*.parquet")
    return f"{folder.rstrip('/')}/{table}/*/*.parquet"


def _source(folder: str, table: str) -> str:
    files = _files(folder, table)
    return f"read_parquet('{files}', hive_partitioning = true)" if files else ""


def check_folder(folder: str) -> None:
    """Raise StoreError unless ``folder`` holds ``dyad batch`` output."""
    if "://" not in folder and _files(folder, "documents") is None:
        raise StoreError(
            f"no dyad batch output in {folder} (expected {folder}/documents/month=*/*.parquet); "
            "run `dyad batch INPUT --out DIR` first"
        )


def open_parquet(folder: str) -> duckdb.DuckDBPyConnection:
    """An in-memory store whose documents, mentions, sentences and events are views over the
    Parquet files (read-only; commitment tables stay empty)."""
    check_folder(folder)
    con = connect(":memory:")
    for table in COPIED:
        source = _source(folder, table)
        if not source:
            continue  # keep the empty table: no rows of this kind
        con.execute(f"DROP TABLE {table}")
        con.execute(f"CREATE VIEW {table} AS SELECT * EXCLUDE (month) FROM {source}")
    return con


def load_parquet(con: duckdb.DuckDBPyConnection, folder: str) -> dict[str, int]:
    """Copy documents not yet stored, with their rows, into the store in one transaction;
    returns rows added per table. Documents written twice (two workers) are kept once."""
    check_folder(folder)
    added: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "CREATE TEMP TABLE new_documents AS SELECT * EXCLUDE (month) FROM "
            f"{_source(folder, 'documents')} WHERE id NOT IN (SELECT id FROM documents) "
            "QUALIFY row_number() OVER (PARTITION BY id ORDER BY origin) = 1"
        )
        for table in COPIED:
            source = _source(folder, table)
            if not source:
                added[table] = 0
                continue
            columns = _columns(table)
            if table == "documents":
                select = f"SELECT {columns} FROM new_documents"
            else:
                # a document written twice (two workers) brings its rows twice: keep one
                once = (
                    "QUALIFY row_number() OVER (PARTITION BY id) = 1" if table == "events" else ""
                )
                distinct = "" if once else "DISTINCT "
                select = (
                    f"SELECT {distinct}{columns} FROM {source} "
                    f"WHERE doc_id IN (SELECT id FROM new_documents) {once}"
                )
            before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            con.execute(f"INSERT INTO {table} ({columns}) {select}")
            added[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before
        con.execute("DROP TABLE new_documents")
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise StoreError(f"loading {folder} failed (nothing was stored): {exc}") from exc
    return added
