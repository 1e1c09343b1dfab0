"""Rebuild the commitment tables from the stored events (after every ingest).

The machine-made records (commitments, their mentions, evidence) are recomputed from all
stored documents in date order, in one transaction, so the result never depends on the order
of ingestion and a re-run changes nothing. Reviews live in their own append-only table and are
never touched here.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

import duckdb

from dyad.commitments.detect import STRENGTHS, CommitmentMention, detect
from dyad.commitments.merge import Commitment, merge
from dyad.commitments.track import Evidence, SentenceUnit, find_evidence
from dyad.store.queries import EventFilter, find_events

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])|\n\s*\n")


def _split(text: str) -> list[tuple[int, int]]:
    """Fallback sentence spans for documents stored without them."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def load_units(con: duckdb.DuckDBPyConnection) -> tuple[list[SentenceUnit], list[dict]]:
    """Every stored sentence with its countries and events, and all events."""
    docs = {
        r[0]: (r[1], r[2])
        for r in con.execute("SELECT id, published, text FROM documents").fetchall()
    }
    sentences: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, start, end in con.execute(
        'SELECT doc_id, start, "end" FROM sentences ORDER BY doc_id, start'
    ).fetchall():
        sentences[doc_id].append((start, end))
    mentions: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for doc_id, start, actor, text in con.execute(
        "SELECT doc_id, start, actor, text FROM mentions"
    ).fetchall():
        mentions[doc_id].append((start, actor, text))
    events = find_events(con, EventFilter())
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for event in events:
        by_doc[event["doc_id"]].append(event)
    units = []
    for doc_id, (published, text) in docs.items():
        for start, end in sentences.get(doc_id) or _split(text):
            inside = [m for m in mentions[doc_id] if start <= m[0] < end]
            units.append(
                SentenceUnit(
                    doc_id=doc_id,
                    start=start,
                    end=end,
                    text=text[start:end],
                    date=published,
                    countries=frozenset(a[:3] for _, a, _ in inside),
                    events=tuple(e for e in by_doc[doc_id] if e["sentence_start"] == start),
                    actor_words=frozenset(t.lower() for _, _, t in inside),
                )
            )
    return units, events


def build(con: duckdb.DuckDBPyConnection) -> tuple[list[Commitment], list[Evidence]]:
    """Detect, merge and track commitments over the whole store (no writing)."""
    units, events = load_units(con)
    by_sentence = {(u.doc_id, u.start): u for u in units}
    found = []
    for event in events:
        unit = by_sentence.get((event["doc_id"], event["sentence_start"]))
        sentence = unit.text if unit else ""
        published = unit.date if unit else None
        mention = detect(event, sentence, published, set(unit.actor_words) if unit else set())
        if mention is not None:
            found.append(mention)
    found.extend(sentence_commitments(units, {(m.doc_id, m.sentence_start) for m in found}))
    commitments = merge(found)
    evidence = [e for c in commitments for e in find_evidence(c, units)]
    return commitments, evidence


# A sentence that states a decision, plan or goal about a project, format or treaty, without
# an event between two coded actors ("it has been decided to establish a visa-free regime").
_COMMIT_CUE = re.compile(
    r"\b(it (?:has|had) been (?:decided|agreed)|(?:decided|agreed|pledged|promised|plan(?:ned)?|"
    r"intend(?:ed)?) to|will (?:be )?(?:establish|build|create|sign|hold|open|launch|set up|"
    r"introduce|resume|start)|steps? (?:aimed at|towards?)|set (?:a|the) goal|roadmap)\b",
    re.I,
)


def document_pairs(units: list[SentenceUnit]) -> dict[str, tuple[str, ...]]:
    """The two countries each document mentions in most sentences."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for unit in units:
        for country in unit.countries:
            if country not in {"IGO", "NGO"}:
                counts[unit.doc_id][country] += 1
    return {
        doc: tuple(sorted(sorted(c, key=lambda k: -c[k])[:2]))
        for doc, c in counts.items()
        if len(c) >= 2
    }


def sentence_commitments(
    units: list[SentenceUnit], taken: set[tuple[str, int]]
) -> list[CommitmentMention]:
    """Commitments stated in sentences without a commitment event, between the document's pair."""
    pairs = document_pairs(units)
    out = []
    for unit in units:
        pair = pairs.get(unit.doc_id)
        if not pair or (unit.doc_id, unit.start) in taken or not _COMMIT_CUE.search(unit.text):
            continue
        if unit.countries and not set(unit.countries) & set(pair):
            continue  # about someone else
        pseudo = {
            "id": f"sentence:{unit.doc_id}:{unit.start}",
            "doc_id": unit.doc_id,
            "sentence_start": unit.start,
            "sentence_end": unit.end,
            "cameo": "030",
            "plover": "AGREE",
            "modality": "planned",
            "trigger": "(sentence)",
            "source": list(pair),
            "target": [],
            "date": None,
            "quantities": [],
            "published": unit.date.isoformat() if unit.date else None,
        }
        mention = detect(pseudo, unit.text, unit.date, set(unit.actor_words))
        if mention is not None:
            out.append(mention)
    return out


def initial_status(commitment: Commitment) -> str:
    """agreed for binding agreements and joint decisions, announced otherwise."""
    return "agreed" if commitment.strength in STRENGTHS[:2] else "announced"


def rebuild(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute and store all machine-made commitment records; returns how many commitments."""
    commitments, evidence = build(con)
    rows, mention_rows = [], []
    for c in commitments:
        first = c.first
        objects = {
            "places": sorted({p for m in c.mentions for p in m.places}),
            "names": sorted({n for m in c.mentions for n in m.names}),
            "amounts": [q for m in c.mentions for q in m.amounts],
            "sectors": sorted({s for m in c.mentions for s in m.sector_words}),
        }
        rows.append(
            (
                c.id,
                list(c.parties),
                first.cameo,
                first.plover,
                first.predicate,
                c.strength,
                c.deadline,
                json.dumps(objects),
                first.doc_id,
                first.date,
                first.sentence_start,
                first.sentence_end,
                first.sentence[:500],
                first.attributed_to,
                initial_status(c),
            )
        )
        reasons = ["first statement", *c.reasons]
        for mention, reason in zip(c.mentions, reasons, strict=False):
            mention_rows.append(
                (
                    c.id,
                    mention.doc_id,
                    mention.event_id,
                    mention.sentence_start,
                    mention.sentence_end,
                    mention.date,
                    reason,
                )
            )
    evidence_rows = [
        (e.id, e.commitment_id, e.doc_id, e.start, e.end, e.date, e.implies, e.score, e.reason)
        for e in evidence
    ]
    con.execute("BEGIN TRANSACTION")
    try:
        for table in ("evidence", "commitment_mentions", "commitments"):
            con.execute(f"DELETE FROM {table}")
        if rows:
            con.executemany("INSERT INTO commitments VALUES (" + ", ".join("?" * 15) + ")", rows)
        if mention_rows:
            con.executemany(
                "INSERT INTO commitment_mentions VALUES (?, ?, ?, ?, ?, ?, ?)", mention_rows
            )
        if evidence_rows:
            con.executemany(
                "INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", evidence_rows
            )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(rows)
