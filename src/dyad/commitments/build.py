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
from datetime import date

import duckdb
import pyarrow as pa

from dyad.commitments.detect import STRENGTHS, CommitmentMention, detect
from dyad.commitments.merge import Commitment, merge
from dyad.commitments.track import (
    EVIDENCE_THRESHOLD,
    Evidence,
    SentenceUnit,
    UnitWords,
    find_evidence,
)
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


# Documents per step of a rebuild: memory holds one step's sentences, not the store's.
CHUNK_DOCUMENTS = 500


def document_chunks(con: duckdb.DuckDBPyConnection, size: int | None = None):
    """The stored document ids in date order, ``size`` at a time.

    Each chunk is its own query, continuing after the last (date, id) seen: no cursor holds
    a sorted copy of the whole store while the chunk is worked on, so memory stays bounded.
    """
    # (published NULLS FIRST, id) as a comparable key: undated documents sort first
    key = "coalesce(published, DATE '0001-01-01'), published IS NOT NULL, id"
    last: tuple | None = None
    while True:
        after = f"WHERE ({key}) > (?, ?, ?) " if last else ""
        rows = con.execute(
            f"SELECT {key} FROM documents {after}ORDER BY {key} "
            f"LIMIT {int(size or CHUNK_DOCUMENTS)}",
            list(last) if last else [],
        ).fetchall()
        if not rows:
            return
        yield [r[2] for r in rows]
        last = rows[-1]


def load_units(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> list[SentenceUnit]:
    """The sentences of the documents ``doc_ids`` with their countries and events."""
    ids = list(doc_ids)
    sentences: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for doc_id, start, end, text in con.execute(
        'SELECT s.doc_id, s.start, s."end", substr(d.text, s.start + 1, s."end" - s.start) '
        "FROM sentences s JOIN documents d ON d.id = s.doc_id "
        "WHERE list_contains(?, s.doc_id) AND list_contains(?, d.id) "
        "ORDER BY s.doc_id, s.start",
        [ids, ids],
    ).fetchall():
        sentences[doc_id].append((start, end, text))
    published_of = {}
    for doc_id, published, text in con.execute(
        "SELECT id, published, CASE WHEN id IN "
        "(SELECT doc_id FROM sentences WHERE list_contains(?, doc_id)) THEN NULL "
        "ELSE text END FROM documents WHERE list_contains(?, id)",
        [ids, ids],
    ).fetchall():
        published_of[doc_id] = published
        if text is not None:  # stored without sentences: split here
            sentences[doc_id] = [(a, b, text[a:b]) for a, b in _split(text)]
    mentions: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for doc_id, start, actor, text in con.execute(
        "SELECT doc_id, start, actor, text FROM mentions WHERE list_contains(?, doc_id)", [ids]
    ).fetchall():
        mentions[doc_id].append((start, actor, text))
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for event in find_events(con, EventFilter(doc_ids=tuple(ids))):
        by_doc[event["doc_id"]].append(event)
    units = []
    for doc_id in ids:
        for start, end, text in sentences.get(doc_id, []):
            inside = [m for m in mentions[doc_id] if start <= m[0] < end]
            units.append(
                SentenceUnit(
                    doc_id=doc_id,
                    start=start,
                    end=end,
                    text=text,
                    date=published_of.get(doc_id),
                    countries=frozenset(a[:3] for _, a, _ in inside),
                    events=tuple(e for e in by_doc[doc_id] if e["sentence_start"] == start),
                    actor_words=frozenset(t.lower() for _, _, t in inside),
                )
            )
    return units


def _mentions_in(units: list[SentenceUnit]) -> list[CommitmentMention]:
    """The commitment statements of a step's sentences (events first, then bare sentences)."""
    found = []
    for unit in units:
        for event in unit.events:
            mention = detect(event, unit.text, unit.date, set(unit.actor_words))
            if mention is not None:
                found.append(mention)
    found.extend(sentence_commitments(units, {(m.doc_id, m.sentence_start) for m in found}))
    return found


def _may_pass(shared: int, size_a: int, size_b: int) -> bool:
    """Whether two word sets sharing ``shared`` of their words could reach the evidence
    threshold with no term in common: ``similarity`` then gives at most 0.8 of its word
    score, 2 * shared / |a | b| (capped at 1)."""
    union = size_a + size_b - shared
    return bool(union) and 0.8 * min(1.0, 2 * shared / union) >= EVIDENCE_THRESHOLD


def _union(index: dict[str, set[int]], keys) -> set[int]:
    found: set[int] = set()
    for key in keys:
        found |= index.get(key, set())
    return found


def build(
    con: duckdb.DuckDBPyConnection, since: date | None = None
) -> tuple[list[Commitment], list[Evidence]]:
    """Detect, merge and track commitments over the whole store (no writing).

    Two passes over the documents in date order, a chunk at a time: statements first (then
    merged into commitments), evidence second. Memory holds one chunk of sentences plus the
    commitments, however large the store.

    since: the stored records are up to date for every document dated up to this day, and
    every other document is dated later (see ``append_horizon``). Statements are merged in
    date order, so the commitments stated only up to that day come out as before; their
    stored evidence is kept and only the later documents are searched for more. Commitments
    with a later statement are searched in full. The result is that of a full build.
    """
    found = []
    for doc_ids in document_chunks(con):
        found.extend(_mentions_in(load_units(con, doc_ids)))
    commitments = merge(found)
    evidence = []
    settled: set[str] = set()
    if since is not None and commitments:
        settled = {c.id for c in commitments if all(m.date and m.date <= since for m in c.mentions)}
        evidence.extend(_stored_evidence(con, settled))
    if commitments:
        # terms and words of each commitment, computed once (properties recompute them)
        topics = [
            (c, c.terms, c.words, {p.lower() for m in c.mentions for p in m.places})
            for c in commitments
        ]
        all_parties = {p for c in commitments for p in c.parties}
        any_places = any(places for *_, places in topics)
        for doc_ids in document_chunks(con):
            units = load_units(con, doc_ids)
            latest = max((u.date for u in units if u.date), default=None)
            here, parties, places_named = topics, all_parties, any_places
            if since is not None and latest is not None and latest <= since:
                # a chunk up to ``since``: only commitments restated later look at it again
                here = [topic for topic in topics if topic[0].id not in settled]
                if not here:
                    continue
                parties = {p for topic in here for p in topic[0].parties}
                places_named = any(topic[3] for topic in here)
            unit_words = UnitWords()
            # find_evidence scores only sentences that name a party (or a place) of the
            # commitment and are similar enough to it: index sentences by country, by word
            # and by term, so each commitment looks only at those that can pass
            with_word: dict[str, set[int]] = defaultdict(set)
            with_term: dict[str, set[int]] = defaultdict(set)
            naming: dict[str, set[int]] = defaultdict(set)
            sets: dict[int, tuple[frozenset[str], set[str]]] = {}
            for position, unit in enumerate(units):
                if not places_named and not (unit.countries & parties):
                    continue  # names no party of any commitment: evidence of none
                words, terms = sets[position] = unit_words.of(unit)
                for word in words:
                    with_word[word].add(position)
                for term in terms:
                    with_term[term].add(position)
                for country in unit.countries:
                    naming[country].add(position)
            for c, terms, words, places in here:
                if c.first.date and latest and latest <= c.first.date:
                    continue  # evidence comes later than the first statement
                about = _union(naming, c.parties) | _union(with_term, places)
                if not about:
                    continue
                sharing = about & (_union(with_term, terms) | _union(with_word, words))
                candidates = [
                    units[p]
                    for p in sorted(sharing)
                    if terms & sets[p][1]
                    or _may_pass(len(words & sets[p][0]), len(words), len(sets[p][0]))
                ]
                if c.id in settled:  # its evidence up to ``since`` is stored
                    candidates = [u for u in candidates if u.date and u.date > since]
                evidence.extend(find_evidence(c, candidates, unit_words))
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
    """The two countries each document mentions in most sentences (ties: the one named in an
    earlier sentence, then the lower code, so the pair never depends on set order)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    first: dict[str, dict[str, int]] = defaultdict(dict)
    for number, unit in enumerate(units):
        for country in unit.countries:
            if country not in {"IGO", "NGO"}:
                counts[unit.doc_id][country] += 1
                first[unit.doc_id].setdefault(country, number)
    return {
        doc: tuple(sorted(sorted(c, key=lambda k: (-c[k], first[doc][k], k))[:2]))
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


def _stored_evidence(con: duckdb.DuckDBPyConnection, commitment_ids: set[str]) -> list[Evidence]:
    """The stored evidence of these commitments."""
    if not commitment_ids:
        return []
    rows = con.execute(
        'SELECT id, commitment_id, doc_id, start, "end", date, implies, score, reason '
        "FROM evidence WHERE list_contains(?, commitment_id)",
        [sorted(commitment_ids)],
    ).fetchall()
    return [Evidence(*row) for row in rows]


def append_horizon(con: duckdb.DuckDBPyConnection) -> tuple[date, int] | None:
    """(latest document date, documents stored) when the commitment records are up to date and
    every stored document is dated: documents added afterwards, all dated later, can then be
    taken in by ``rebuild(con, since=date)``. None when only a full rebuild will do."""
    if is_stale(con):
        return None
    stored, undated, latest = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE published IS NULL), max(published) FROM documents"
    ).fetchone()
    if not stored or undated or latest is None:
        return None
    return latest, stored


def appended_after(con: duckdb.DuckDBPyConnection, horizon: tuple[date, int] | None) -> bool:
    """True when every document stored since ``append_horizon`` gave ``horizon`` is dated
    after it (the documents dated up to it are still the ones there were)."""
    if horizon is None:
        return False
    latest, stored = horizon
    (older,) = con.execute(
        "SELECT count(*) FROM documents WHERE published IS NULL OR published <= ?", [latest]
    ).fetchone()
    return older == stored


def is_stale(con: duckdb.DuckDBPyConnection) -> bool:
    """True when documents were stored since the commitment tables were last rebuilt (for
    example by a run that was killed before its rebuild)."""
    built = con.execute(
        "SELECT value FROM store_state WHERE key = 'commitments_built_from'"
    ).fetchone()
    stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    return (built[0] if built else "0") != str(stored)


def rebuild(con: duckdb.DuckDBPyConnection, since: date | None = None) -> int:
    """Recompute and store all machine-made commitment records; returns how many commitments
    (``since``: as for ``build``, only when ``appended_after`` holds)."""
    commitments, evidence = build(con, since)
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
        con.execute(
            "INSERT OR REPLACE INTO store_state VALUES ('commitments_built_from', "
            "(SELECT CAST(count(*) AS VARCHAR) FROM documents))"
        )
        _insert(con, "commitments", rows)
        _insert(con, "commitment_mentions", mention_rows)
        _insert(con, "evidence", evidence_rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(rows)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples in the table's column order) as one Arrow table: one statement
    instead of one per row."""
    if not rows:
        return
    names = [r[0] for r in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    incoming = pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})
    con.register("incoming_commitment_rows", incoming)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM incoming_commitment_rows")
    finally:
        con.unregister("incoming_commitment_rows")
