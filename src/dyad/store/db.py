"""Opening the store and writing coded documents, one transaction per batch."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import duckdb

from dyad.errors import StoreError
from dyad.store.migrations import LATEST, migrate
from dyad.store.rows import to_tables
from dyad.types import CodedDocument

DEFAULT_DB = "dyad.duckdb"


def connect(
    path: str | Path = DEFAULT_DB, *, read_only: bool = False, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """Open (and migrate) the DuckDB store at ``path``; ``:memory:`` gives a scratch store.

    memory_limit: cap DuckDB's buffer pool (e.g. ``"256MB"``) so a long ingest does not keep
    every page it wrote in memory; pages beyond it go back to the file.

    Raises StoreError with the way out when the file is locked by another process or was
    written by a newer dyad.
    """
    target = str(path)
    if read_only and target != ":memory:" and not Path(target).exists():
        raise StoreError(f"no database at {target}; run `dyad ingest PATH --db {target}` first")
    try:
        con = duckdb.connect(target, read_only=read_only)
    except duckdb.IOException as exc:
        message = str(exc)
        if "lock" in message.lower():
            holder = re.search(r"held in (.+?) \(PID (\d+)\)", message)
            named = f" ({holder.group(1)}, PID {holder.group(2)})" if holder else ""
            raise StoreError(
                f"{target} is in use by another dyad process{named} (for example `dyad "
                "serve`); stop it, or send documents through it with `dyad ingest --server URL`"
            ) from exc
        raise StoreError(f"cannot open {target}: {message}") from exc
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if read_only:
        return con
    version = migrate(con)
    if version > LATEST:
        raise StoreError(
            f"{target} has schema version {version}; this dyad knows {LATEST}: upgrade dyad"
        )
    return con


def known_ids(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> set[str]:
    """Return which of ``ids`` are already stored as documents."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return set()
    rows = con.execute("SELECT id FROM documents WHERE list_contains(?, id)", [ids]).fetchall()
    return {row[0] for row in rows}


def write_batch(con: duckdb.DuckDBPyConnection, coded: list[CodedDocument]) -> int:
    """Write coded documents not yet stored, all in one transaction; returns how many were new.

    Either the whole batch lands or none of it does, so an interrupted run never leaves a
    document without its events.
    """
    fresh: dict[str, CodedDocument] = {}
    already = known_ids(con, (c.document.id for c in coded))
    for item in coded:
        if item.document.id not in already:
            fresh.setdefault(item.document.id, item)
    if not fresh:
        return 0
    tables = to_tables(list(fresh.values()), commitments=False)
    con.execute("BEGIN TRANSACTION")
    try:
        for name in ("documents", "mentions", "events", "sentences"):
            table = tables[name].drop_columns(["month"])
            if not table.num_rows:
                continue
            columns = ", ".join(f'"{c}"' for c in table.column_names)
            con.register("incoming_rows", table)
            try:
                con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM incoming_rows")
            finally:
                con.unregister("incoming_rows")
        con.execute("COMMIT")
    except Exception as exc:
        con.execute("ROLLBACK")
        raise StoreError(f"batch not written (nothing was stored): {exc}") from exc
    return len(fresh)
