"""Coded documents as Arrow tables: the rows the store writes and the Parquet layout of
``dyad batch``.

Tables: documents, mentions, events, sentences and commitment_mentions; every row carries
``month`` (``YYYY-MM`` of the document's publication date, ``unknown`` without one), the
partition key. Columns match the DuckDB store (``dyad.store``), so ``dyad load`` copies them.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

import pyarrow as pa

from dyad.commitments.detect import detect
from dyad.types import CodedDocument, Event

TABLES = ("documents", "mentions", "events", "sentences", "commitment_mentions")

_STRING_LIST = pa.list_(pa.string())
SCHEMAS = {
    "documents": pa.schema(
        [
            ("id", pa.string()),
            ("external_id", pa.string()),
            ("url", pa.string()),
            ("title", pa.string()),
            ("source", pa.string()),
            ("published", pa.date32()),
            ("lang", pa.string()),
            ("text", pa.string()),
            ("origin", pa.string()),
            ("month", pa.string()),
        ]
    ),
    "mentions": pa.schema(
        [
            ("doc_id", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("text", pa.string()),
            ("actor", pa.string()),
            ("country", pa.string()),
            ("agent", pa.string()),
            ("name", pa.string()),
            ("how", pa.string()),
            ("month", pa.string()),
        ]
    ),
    "events": pa.schema(
        [
            ("id", pa.string()),
            ("doc_id", pa.string()),
            ("sentence_start", pa.int32()),
            ("sentence_end", pa.int32()),
            ("trigger_start", pa.int32()),
            ("trigger_end", pa.int32()),
            ("trigger", pa.string()),
            ("source", _STRING_LIST),
            ("target", _STRING_LIST),
            ("source_actor", pa.string()),
            ("target_actor", pa.string()),
            ("source_country", pa.string()),
            ("target_country", pa.string()),
            ("cameo", pa.string()),
            ("cameo_root", pa.string()),
            ("plover", pa.string()),
            ("mode", pa.string()),
            ("context", pa.string()),
            ("goldstein", pa.float64()),
            ("quad_class", pa.int32()),
            ("date", pa.string()),
            ("date_precision", pa.string()),
            ("event_date", pa.date32()),
            ("place", pa.string()),
            ("quantities", pa.string()),
            ("negated", pa.bool_()),
            ("modality", pa.string()),
            ("attributed_to", pa.string()),
            ("pattern", pa.string()),
            ("coder_version", pa.string()),
            ("is_root", pa.bool_()),
            ("month", pa.string()),
        ]
    ),
    "sentences": pa.schema(
        [
            ("doc_id", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("month", pa.string()),
        ]
    ),
    "commitment_mentions": pa.schema(
        [
            ("doc_id", pa.string()),
            ("event_id", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("date", pa.date32()),
            ("parties", _STRING_LIST),
            ("cameo", pa.string()),
            ("predicate", pa.string()),
            ("strength", pa.string()),
            ("deadline", pa.string()),
            ("sentence", pa.string()),
            ("month", pa.string()),
        ]
    ),
}


def month_of(coded: CodedDocument) -> str:
    """The partition of a document: ``YYYY-MM`` of its publication date, or ``unknown``."""
    published = coded.document.published
    return published.strftime("%Y-%m") if published else "unknown"


def to_tables(batch: list[CodedDocument], commitments: bool = True) -> dict[str, pa.Table]:
    """Arrow tables (one per name in ``TABLES``) for a batch of coded documents
    (``commitments=False``: leave the commitment statements out)."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for coded in batch:
        d, month = coded.document, month_of(coded)
        rows["documents"].append(_row(d, "documents", month))
        rows["mentions"].extend(_row(m, "mentions", month) for m in coded.mentions)
        events = list({e.id: e for e in coded.events}.values())
        rows["events"].extend({**_event_row(e), "month": month} for e in events)
        for start, end in coded.sentences:
            rows["sentences"].append({"doc_id": d.id, "start": start, "end": end, "month": month})
        if commitments:
            rows["commitment_mentions"].extend(_commitment_rows(coded, events, month))
    return {name: pa.Table.from_pylist(rows[name], schema=SCHEMAS[name]) for name in TABLES}


def _row(record, table: str, month: str) -> dict:
    """A row of ``table`` from a record whose fields are named like its columns."""
    return {name: getattr(record, name) for name in SCHEMAS[table].names[:-1]} | {"month": month}


def _event_row(event: Event) -> dict:
    """The columns of one ``events`` row (the store's and the Parquet layout)."""
    event_date = None
    if event.date:  # "2016", "2016-05" or "2016-05-06": the first day it can mean
        parts = event.date.split("-")
        event_date = date.fromisoformat("-".join(parts + ["01"] * (3 - len(parts))))
    first_source = event.source[0] if event.source else None
    first_target = event.target[0] if event.target else None
    return {
        "id": event.id,
        "doc_id": event.doc_id,
        "sentence_start": event.sentence_start,
        "sentence_end": event.sentence_end,
        "trigger_start": event.trigger_start,
        "trigger_end": event.trigger_end,
        "trigger": event.trigger,
        "source": list(event.source),
        "target": list(event.target),
        "source_actor": first_source,
        "target_actor": first_target,
        "source_country": first_source and first_source[:3],
        "target_country": first_target and first_target[:3],
        "cameo": event.cameo,
        "cameo_root": event.cameo[:2],
        "plover": event.plover,
        "mode": event.mode,
        "context": event.context,
        "goldstein": event.goldstein,
        "quad_class": event.quad_class,
        "date": event.date,
        "date_precision": event.date_precision,
        "event_date": event_date,
        "place": event.place,
        "quantities": json.dumps([asdict(q) for q in event.quantities]),
        "negated": event.negated,
        "modality": event.modality,
        "attributed_to": event.attributed_to,
        "pattern": event.pattern,
        "coder_version": event.coder_version,
        "is_root": event.root,
    }


def _commitment_rows(coded: CodedDocument, events, month: str) -> list[dict]:
    """Commitment statements of one document (merging across documents happens on load)."""
    text = coded.document.text
    words = {m.text.lower() for m in coded.mentions}
    out = []
    for event in events:
        as_dict = asdict(event)
        as_dict["source"], as_dict["target"] = list(event.source), list(event.target)
        as_dict["quantities"] = [asdict(q) for q in event.quantities]
        sentence = text[event.sentence_start : event.sentence_end]
        found = detect(as_dict, sentence, coded.document.published, words)
        if found is None:
            continue
        out.append(
            {
                "doc_id": found.doc_id,
                "event_id": found.event_id,
                "start": found.sentence_start,
                "end": found.sentence_end,
                "date": found.date,
                "parties": list(found.parties),
                "cameo": found.cameo,
                "predicate": found.predicate,
                "strength": found.strength,
                "deadline": found.deadline,
                "sentence": found.sentence,
                "month": month,
            }
        )
    return out
