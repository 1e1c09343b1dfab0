"""Every read of the store goes through here (CLI, Python API, later the web app)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import duckdb

from dyad.errors import QueryError

EVENT_COLUMNS = (
    "id",
    "doc_id",
    "date",
    "date_precision",
    "source",
    "target",
    "cameo",
    "plover",
    "mode",
    "context",
    "goldstein",
    "quad_class",
    "trigger",
    "trigger_start",
    "trigger_end",
    "sentence_start",
    "sentence_end",
    "place",
    "quantities",
    "negated",
    "modality",
    "attributed_to",
    "pattern",
    "coder_version",
    "is_root",
)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Filters of an event query; every field is optional.

    actor: code prefix on either side ("JPN" matches JPNGOV). between: a pair of code
    prefixes, either direction. code: CAMEO prefix ("05" or "057"). since/until: on the
    event date. include_negated: negated events are left out unless asked for. doc_ids: only
    the events of these documents.
    """

    actor: str | None = None
    between: tuple[str, str] | None = None
    code: str | None = None
    plover: str | None = None
    since: date | None = None
    until: date | None = None
    doc: str | None = None
    modality: str | None = None
    include_negated: bool = True
    doc_ids: tuple[str, ...] | None = None
    limit: int | None = None
    offset: int = 0


def _where(f: EventFilter) -> tuple[str, list]:
    clauses, params = [], []
    if f.actor:
        clauses.append("(starts_with(source_actor, ?) OR starts_with(target_actor, ?))")
        params += [f.actor.upper(), f.actor.upper()]
    if f.between:
        a, b = (x.upper() for x in f.between)
        clauses.append(
            "((starts_with(source_actor, ?) AND starts_with(target_actor, ?)) OR "
            "(starts_with(source_actor, ?) AND starts_with(target_actor, ?)))"
        )
        params += [a, b, b, a]
    if f.code:
        if not f.code.isdigit():
            raise QueryError(f"--code takes a CAMEO code prefix such as 05 or 057, not {f.code!r}")
        clauses.append("starts_with(cameo, ?)")
        params.append(f.code)
    if f.plover:
        clauses.append("plover = ?")
        params.append(f.plover.upper())
    if f.since:
        clauses.append("event_date >= ?")
        params.append(f.since)
    if f.until:
        clauses.append("event_date <= ?")
        params.append(f.until)
    if f.doc:
        clauses.append("starts_with(doc_id, ?)")
        params.append(f.doc)
    if f.doc_ids is not None:
        clauses.append("list_contains(?, doc_id)")
        params.append(list(f.doc_ids))
    if f.modality:
        clauses.append("modality = ?")
        params.append(f.modality)
    if not f.include_negated:
        clauses.append("NOT negated")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def find_events(con: duckdb.DuckDBPyConnection, f: EventFilter) -> list[dict]:
    """Return events matching ``f`` as dicts (keys: ``EVENT_COLUMNS`` + url, title), by date."""
    where, params = _where(f)
    sql = (
        f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)}, d.url, d.title, d.published "
        f"FROM events e JOIN documents d ON d.id = e.doc_id{where.replace(' WHERE ', ' WHERE ')} "
        "ORDER BY e.event_date NULLS LAST, e.doc_id, e.trigger_start, e.id"
    )
    if f.limit is not None:
        sql += f" LIMIT {int(f.limit)} OFFSET {int(f.offset)}"
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    rows = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        row["quantities"] = json.loads(row["quantities"]) if row["quantities"] else []
        row["published"] = row["published"].isoformat() if row["published"] else None
        rows.append(row)
    return rows


def get_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict | None:
    """Return one document (by id or unique id prefix) with its mentions and events."""
    rows = con.execute(
        "SELECT id, external_id, url, title, source, published, lang, text, origin "
        "FROM documents WHERE starts_with(id, ?) LIMIT 2",
        [doc_id],
    ).fetchall()
    if not rows:
        return None
    if len(rows) > 1:
        raise QueryError(f"document id prefix {doc_id!r} is ambiguous; give more characters")
    keys = ("id", "external_id", "url", "title", "source", "published", "lang", "text", "origin")
    doc = dict(zip(keys, rows[0], strict=True))
    doc["published"] = doc["published"].isoformat() if doc["published"] else None
    cursor = con.execute(
        'SELECT start, "end", text, actor, how FROM mentions WHERE doc_id = ? ORDER BY start',
        [doc["id"]],
    )
    doc["mentions"] = [
        dict(zip(("start", "end", "text", "actor", "how"), r, strict=True))
        for r in cursor.fetchall()
    ]
    doc["events"] = find_events(con, EventFilter(doc=doc["id"]))
    return doc


def summary(con: duckdb.DuckDBPyConnection, top: int = 10) -> dict:
    """Counts of documents, mentions and events, events by root code, and the busiest pairs."""
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "documents": one("SELECT count(*) FROM documents"),
        "mentions": one("SELECT count(*) FROM mentions"),
        "events": one("SELECT count(*) FROM events"),
        "first_date": _iso(one("SELECT min(published) FROM documents")),
        "last_date": _iso(one("SELECT max(published) FROM documents")),
        "by_root": con.execute(
            "SELECT cameo_root, count(*) n FROM events GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall(),
        "by_modality": con.execute(
            "SELECT modality, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall(),
        "top_pairs": con.execute(
            "SELECT least(source_country, target_country) a, greatest(source_country, "
            "target_country) b, count(*) n, round(avg(goldstein), 2) g FROM events "
            "WHERE source_country IS NOT NULL AND target_country IS NOT NULL "
            "AND source_country <> target_country GROUP BY 1, 2 ORDER BY 3 DESC LIMIT ?",
            [top],
        ).fetchall(),
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def list_documents(con: duckdb.DuckDBPyConnection, limit: int = 50, offset: int = 0) -> list[dict]:
    """Documents, newest first, with their event counts (counted for the page only)."""
    cursor = con.execute(
        "SELECT id, title, published, source, url FROM documents "
        "ORDER BY published DESC NULLS LAST, id LIMIT ? OFFSET ?",
        [limit, offset],
    )
    names = [c[0] for c in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    ids = [row["id"] for row in rows]
    counts = (
        dict(
            con.execute(
                "SELECT doc_id, count(*) FROM events WHERE list_contains(?, doc_id) GROUP BY 1",
                [ids],
            ).fetchall()
        )
        if ids
        else {}
    )
    for row in rows:
        row["published"] = _iso(row["published"])
        row["events"] = counts.get(row["id"], 0)
    return rows


def pair_monthly(con: duckdb.DuckDBPyConnection, a: str, b: str) -> list[dict]:
    """Events per month and quad class between two actors (either way), with mean Goldstein."""
    where, params = _where(EventFilter(between=(a, b)))
    cursor = con.execute(
        "SELECT strftime(event_date, '%Y-%m') AS month, quad_class, count(*) AS n, "
        f"round(avg(goldstein), 2) AS goldstein FROM events{where} "
        "AND event_date IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )
    return [
        dict(zip(("month", "quad_class", "n", "goldstein"), r, strict=True))
        for r in cursor.fetchall()
    ]
