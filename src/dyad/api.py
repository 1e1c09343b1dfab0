"""The Python API: the same operations as the CLI, returning records.

The CLI is a thin layer over these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path

from dyad.errors import InputError
from dyad.readers.dedupe import RecentIds
from dyad.readers.sources import read_paths
from dyad.store import queries
from dyad.store.db import DEFAULT_DB, connect, known_ids, write_batch
from dyad.store.parquet import load_parquet, open_parquet
from dyad.types import CodedDocument, Document


@dataclass(slots=True)
class IngestReport:
    """What an ingest run did: documents read, added, already stored, failed, events coded."""

    read: int = 0
    added: int = 0
    duplicates: int = 0
    events: int = 0
    commitments: int | None = None
    errors: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no input item failed."""
        return not self.errors


@lru_cache(maxsize=4)
def get_pipeline(
    dict_files: tuple[str, ...] = (),
    pattern_files: tuple[str, ...] = (),
    classifier: bool | None = None,
    exhaustive: bool = False,
    fast: bool = False,
):
    """Return a cached ``Pipeline`` (the model loads once per process).

    classifier (bool | None): None (default): rules + the lexical classifier + the fine-tuned
    MiniLM classifier on the sentences where it can change the answer, when the embed extra is
    installed (else without it); True: the same, and the encoder is required; False: the rules
    alone.
    exhaustive (bool): parse every sentence (and, unless rules only, ask MiniLM about every
    sentence with an actor): the slow reference the fast paths are checked against.
    fast (bool): rules + the lexical classifier only (bulk coding, several times faster).
    """
    from dyad.pipeline import Pipeline

    return Pipeline(
        dict_files=dict_files,
        pattern_files=pattern_files,
        classifier=classifier,
        exhaustive=exhaustive,
        fast=fast,
    )


# DuckDB's buffer pool while ingesting: bounded, so memory stays flat however long the input.
# Writing batches needs little (its use stays near 7 MB); pages it has written stay cached up
# to the cap, so a smaller cap keeps a long stream flatter. The commitment rebuild after
# the writes joins the store's tables a chunk at a time and gets more room.
INGEST_MEMORY_LIMIT = "16MB"
REBUILD_MEMORY_LIMIT = "64MB"
# Text per write transaction: a batch is cut short when its documents reach this many
# characters, so one transaction fits the cap however long the documents (8 documents of a
# million characters each were written under 16 MB; 64 of them failed even under 64 MB).
BATCH_CHARACTERS = 4_000_000


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _write_batches(
    coded: Iterable[CodedDocument], size: int, characters: int = BATCH_CHARACTERS
) -> Iterator[list[CodedDocument]]:
    """Coded documents in batches of at most ``size`` documents and (unless one document is
    longer) ``characters`` characters of text."""
    batch: list[CodedDocument] = []
    held = 0
    for item in coded:
        length = len(item.document.text)
        if batch and (len(batch) >= size or held + length > characters):
            yield batch
            batch, held = [], 0
        batch.append(item)
        held += length
    if batch:
        yield batch


def ingest(
    paths: Iterable[str | Path],
    db: str | Path = DEFAULT_DB,
    *,
    default_date: date | None = None,
    pattern: str = "*",
    field_map: dict[str, str] | None = None,
    fmt: str = "auto",
    dict_files: tuple[str, ...] = (),
    pattern_files: tuple[str, ...] = (),
    batch_size: int = 64,
    classifier: bool | None = None,
    exhaustive: bool = False,
    fast: bool = False,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
    on_error: Callable[[InputError], None] | None = None,
    defer_commitments: bool = False,
) -> IngestReport:
    """Read, code and store documents from files, folders or ``-`` (stdin).

    Streams: documents are read, coded (``workers`` processes) and written in batches of
    ``batch_size``, so memory does not grow with the input. Documents already in the store
    (same normalised text) are skipped before parsing. Each batch is written in one
    transaction. Bad items are reported (file and line) and the rest goes through.

    The commitment records are rebuilt from the whole store afterwards, unless
    ``defer_commitments``: for a series of bulk loads, rebuild once at the end
    (``rebuild_commitments``; a later ingest also rebuilds a stale store).
    """
    report = IngestReport()
    con = connect(db, memory_limit=INGEST_MEMORY_LIMIT)
    try:
        items = read_paths(
            paths, default_date=default_date, pattern=pattern, field_map=field_map, fmt=fmt
        )
        recent = RecentIds()

        def new_documents() -> Iterator[Document]:
            for batch in _batches(items, batch_size):
                documents: list[Document] = []
                for item in batch:
                    if isinstance(item, InputError):
                        report.errors.append(item)
                        if on_error:
                            on_error(item)
                    else:
                        documents.append(item)
                report.read += len(documents)
                stored = known_ids(con, (d.id for d in documents))
                for doc in documents:
                    if doc.id in stored or recent.seen(doc.id):
                        report.duplicates += 1
                    else:
                        yield doc
                if on_progress:
                    on_progress(len(batch))

        from dyad.commitments.build import append_horizon, appended_after, is_stale, rebuild

        # documents that all come after the stored ones (a daily feed) extend the commitment
        # records instead of recomputing them from the whole store
        horizon = None if defer_commitments else append_horizon(con)
        fresh = new_documents()
        first = next(fresh, None)
        if first is not None:  # load the model only when something is new
            pipeline = get_pipeline(
                tuple(dict_files), tuple(pattern_files), classifier, exhaustive, fast
            )
            coded = pipeline.code(chain([first], fresh), n_process=workers)
            for batch in _write_batches(coded, batch_size):
                report.added += write_batch(con, batch)
                report.events += sum(len(c.events) for c in batch)
        if not defer_commitments and (report.added or is_stale(con)):
            con.execute(f"SET memory_limit = '{REBUILD_MEMORY_LIMIT}'")
            since = horizon[0] if appended_after(con, horizon) else None
            report.commitments = rebuild(con, since)
    finally:
        con.close()
    return report


def rebuild_commitments(db: str | Path = DEFAULT_DB) -> int:
    """Recompute the commitment records (commitments, mentions, evidence) from the stored
    events; returns how many commitments. Reviews are kept."""
    from dyad.commitments.build import rebuild

    con = connect(db, memory_limit=REBUILD_MEMORY_LIMIT)
    try:
        return rebuild(con)
    finally:
        con.close()


def events(db: str | Path = DEFAULT_DB, parquet: str | None = None, **filters) -> list[dict]:
    """Return stored events matching the filters of ``queries.EventFilter`` (from the
    ``dyad batch`` output folder ``parquet`` instead of the store, when given)."""
    con = open_parquet(parquet) if parquet else connect(db, read_only=True)
    try:
        return queries.find_events(con, queries.EventFilter(**filters))
    finally:
        con.close()


def load(folder: str, db: str | Path = DEFAULT_DB) -> dict[str, int]:
    """Bring ``dyad batch`` output into the store (new documents only), then rebuild the
    commitments; returns rows added per table (and ``commitments``)."""
    con = connect(db)
    try:
        added = load_parquet(con, folder)
        from dyad.commitments.build import is_stale, rebuild

        if added.get("documents") or is_stale(con):
            added["commitments"] = rebuild(con)
        return added
    finally:
        con.close()


def batch(inputs: Iterable[str], out: str, **options):
    """Code inputs into partitioned Parquet under ``out`` (see ``dyad.batch.engines``)."""
    from dyad.batch.engines import run_batch

    return run_batch(inputs, out, **options)


def document(db: str | Path, doc_id: str) -> dict | None:
    """Return a stored document with its mentions and events, or None."""
    con = connect(db, read_only=True)
    try:
        return queries.get_document(con, doc_id)
    finally:
        con.close()


def stats(db: str | Path = DEFAULT_DB) -> dict:
    """Return counts and the busiest pairs of the store."""
    con = connect(db, read_only=True)
    try:
        return queries.summary(con)
    finally:
        con.close()


def code_text(
    text: str, published: date | None = None, dict_files: tuple[str, ...] = ()
) -> CodedDocument:
    """Code one text without storing it (handy in notebooks and tests)."""
    return get_pipeline(tuple(dict_files)).code_text(text, published)


def evaluate(
    gold: str | Path,
    dict_files: tuple[str, ...] = (),
    classifier: bool | None = None,
    exhaustive: bool = False,
    fast: bool = False,
):
    """Code every case of a gold file (dyad JSONL or PLOVER gold JSON) and return ``Scores``
    (``classifier``/``exhaustive``/``fast`` as for ``get_pipeline``)."""
    from dyad.evaluation import evaluate as score_cases
    from dyad.evaluation import read_gold

    pipeline = get_pipeline(tuple(dict_files), (), classifier, exhaustive, fast)
    cases = read_gold(gold)
    return score_cases(cases, lambda case: pipeline.code_text(case.text, case.date))


def commitments(db: str | Path = DEFAULT_DB, **filters) -> list[dict]:
    """Commitments with their status (filters: party, status, since, until, as_of)."""
    from dyad.store.commitment_queries import list_commitments

    con = connect(db, read_only=True)
    try:
        return list_commitments(con, **filters)
    finally:
        con.close()


def commitment(db: str | Path, commitment_id: str, as_of: date | None = None) -> dict | None:
    """One commitment with its mentions, evidence and reviews."""
    from dyad.store.commitment_queries import get_commitment

    con = connect(db, read_only=True)
    try:
        return get_commitment(con, commitment_id, as_of)
    finally:
        con.close()


def review(
    db: str | Path,
    target_id: str,
    *,
    reviewer: str,
    action: str,
    status: str | None = None,
    note: str | None = None,
) -> dict:
    """Append a review (confirm, reject, or override the status) of a commitment or evidence."""
    from dyad.store.commitment_queries import add_review

    con = connect(db)
    try:
        return add_review(con, target_id, reviewer=reviewer, action=action, new=status, note=note)
    finally:
        con.close()


def report(
    db: str | Path,
    between: tuple[str, str],
    summit: date | None = None,
    as_of: date | None = None,
    fmt: str = "md",
) -> str:
    """The results-of-the-visit and follow-up briefs for a pair of countries."""
    from dyad.commitments.report import build_report, markdown_to_html
    from dyad.store.commitment_queries import compliance, list_commitments

    con = connect(db, read_only=True)
    try:
        rows = queries.find_events(con, queries.EventFilter(between=between))
        pair = {between[0].upper()[:3], between[1].upper()[:3]}
        found = [c for c in list_commitments(con, as_of=as_of) if set(c["parties"]) & pair]
    finally:
        con.close()
    text = build_report(rows, found, compliance(found), between, summit, as_of)
    if fmt == "html":
        return markdown_to_html(text, f"{between[0]}-{between[1]} report")
    return text


def ingest_via_server(
    paths: Iterable[str | Path],
    server: str,
    token: str,
    *,
    default_date: date | None = None,
    pattern: str = "*",
    field_map: dict[str, str] | None = None,
    fmt: str = "auto",
    batch_size: int = 64,
) -> IngestReport:
    """Read documents here and send them to a running ``dyad serve`` (which owns the store)."""
    import json

    import httpx

    report = IngestReport()
    items = read_paths(
        paths, default_date=default_date, pattern=pattern, field_map=field_map, fmt=fmt
    )
    with httpx.Client(base_url=server.rstrip("/"), timeout=600) as client:
        for batch in _batches(items, batch_size):
            documents = [i for i in batch if isinstance(i, Document)]
            report.errors.extend(i for i in batch if isinstance(i, InputError))
            if not documents:
                continue
            body = "".join(
                json.dumps(
                    {
                        "id": d.external_id,
                        "title": d.title,
                        "text": d.text,
                        "date": d.published.isoformat() if d.published else None,
                        "url": d.url,
                        "source": d.source,
                        "lang": d.lang,
                    }
                )
                + "\n"
                for d in documents
            )
            response = client.post(
                "/api/documents",
                content=body.encode("utf-8"),
                headers={
                    "authorization": f"Bearer {token}",
                    "content-type": "application/x-ndjson",
                },
            )
            if response.status_code == 401:
                raise InputError(server, "the server refused the token (set DYAD_TOKEN)")
            response.raise_for_status()
            result = response.json()
            report.read += result["read"]
            report.added += result["added"]
            report.duplicates += result["read"] - result["added"]
    return report
