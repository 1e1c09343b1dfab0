"""Schema migrations, applied in order inside one transaction; the version table records them."""

from __future__ import annotations

import duckdb

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "documents, mentions, events",
        [
            """CREATE TABLE documents (
                id VARCHAR PRIMARY KEY, external_id VARCHAR, url VARCHAR, title VARCHAR,
                source VARCHAR, published DATE, lang VARCHAR, text VARCHAR, origin VARCHAR,
                ingested_at TIMESTAMP DEFAULT current_timestamp)""",
            """CREATE TABLE mentions (
                doc_id VARCHAR NOT NULL, start INTEGER, "end" INTEGER, text VARCHAR,
                actor VARCHAR, country VARCHAR, agent VARCHAR, name VARCHAR, how VARCHAR)""",
            """CREATE TABLE events (
                id VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL,
                sentence_start INTEGER, sentence_end INTEGER,
                trigger_start INTEGER, trigger_end INTEGER, trigger VARCHAR,
                source VARCHAR[], target VARCHAR[],
                source_actor VARCHAR, target_actor VARCHAR,
                source_country VARCHAR, target_country VARCHAR,
                cameo VARCHAR, cameo_root VARCHAR, plover VARCHAR, mode VARCHAR, context VARCHAR,
                goldstein DOUBLE, quad_class INTEGER,
                date VARCHAR, date_precision VARCHAR, event_date DATE,
                place VARCHAR, quantities JSON, negated BOOLEAN, modality VARCHAR,
                attributed_to VARCHAR, pattern VARCHAR, coder_version VARCHAR)""",
            "CREATE INDEX mentions_doc ON mentions (doc_id)",
            "CREATE INDEX events_doc ON events (doc_id)",
        ],
    ),
]

MIGRATIONS.append(
    (
        2,
        "events.is_root: the main event of its sentence",
        ["ALTER TABLE events ADD COLUMN is_root BOOLEAN DEFAULT false"],
    )
)

MIGRATIONS.append(
    (
        3,
        "sentences; commitments, their mentions and evidence (rebuilt); reviews (append-only)",
        [
            'CREATE TABLE sentences (doc_id VARCHAR NOT NULL, start INTEGER, "end" INTEGER)',
            "CREATE INDEX sentences_doc ON sentences (doc_id)",
            """CREATE TABLE commitments (
                id VARCHAR PRIMARY KEY, parties VARCHAR[], cameo VARCHAR, plover VARCHAR,
                predicate VARCHAR, strength VARCHAR, deadline VARCHAR, objects JSON,
                first_doc_id VARCHAR, first_date DATE, first_start INTEGER, first_end INTEGER,
                summary VARCHAR, attributed_to VARCHAR, initial_status VARCHAR)""",
            """CREATE TABLE commitment_mentions (
                commitment_id VARCHAR, doc_id VARCHAR, event_id VARCHAR, start INTEGER,
                "end" INTEGER, date DATE, reason VARCHAR)""",
            """CREATE TABLE evidence (
                id VARCHAR PRIMARY KEY, commitment_id VARCHAR, doc_id VARCHAR, start INTEGER,
                "end" INTEGER, date DATE, implies VARCHAR, score DOUBLE, reason VARCHAR)""",
            """CREATE TABLE reviews (
                id VARCHAR PRIMARY KEY, target_kind VARCHAR, target_id VARCHAR,
                reviewer VARCHAR, action VARCHAR, old VARCHAR, new VARCHAR, note VARCHAR,
                "at" TIMESTAMP DEFAULT current_timestamp)""",
        ],
    )
)

MIGRATIONS.append(
    (
        4,
        "store_state: how many documents the commitment tables were last built from",
        ["CREATE TABLE store_state (key VARCHAR PRIMARY KEY, value VARCHAR)"],
    )
)

# DuckDB keeps ART indexes (primary keys, CREATE INDEX) in its buffer pool: on the bulk tables
# they grew with every document (about 1.3 KB each), and past a few hundred thousand rows under
# the ingest memory cap an insert failed to pin index blocks. Ids are unique by construction
# (documents are deduplicated before writing, event ids hash the document id), and lookups by
# document use zone maps, so the bulk tables keep no index.
MIGRATIONS.append(
    (
        5,
        "no indexes on the bulk tables (documents, mentions, events, sentences)",
        [
            "DROP INDEX mentions_doc",
            "DROP INDEX events_doc",
            "DROP INDEX sentences_doc",
            """CREATE TABLE documents_unindexed (
                id VARCHAR NOT NULL, external_id VARCHAR, url VARCHAR, title VARCHAR,
                source VARCHAR, published DATE, lang VARCHAR, text VARCHAR, origin VARCHAR,
                ingested_at TIMESTAMP DEFAULT current_timestamp)""",
            "INSERT INTO documents_unindexed SELECT * FROM documents",
            "DROP TABLE documents",
            "ALTER TABLE documents_unindexed RENAME TO documents",
            """CREATE TABLE events_unindexed (
                id VARCHAR NOT NULL, doc_id VARCHAR NOT NULL,
                sentence_start INTEGER, sentence_end INTEGER,
                trigger_start INTEGER, trigger_end INTEGER, trigger VARCHAR,
                source VARCHAR[], target VARCHAR[],
                source_actor VARCHAR, target_actor VARCHAR,
                source_country VARCHAR, target_country VARCHAR,
                cameo VARCHAR, cameo_root VARCHAR, plover VARCHAR, mode VARCHAR, context VARCHAR,
                goldstein DOUBLE, quad_class INTEGER,
                date VARCHAR, date_precision VARCHAR, event_date DATE,
                place VARCHAR, quantities JSON, negated BOOLEAN, modality VARCHAR,
                attributed_to VARCHAR, pattern VARCHAR, coder_version VARCHAR,
                is_root BOOLEAN DEFAULT false)""",
            "INSERT INTO events_unindexed SELECT * FROM events",
            "DROP TABLE events",
            "ALTER TABLE events_unindexed RENAME TO events",
        ],
    )
)

LATEST = MIGRATIONS[-1][0]


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the schema version of an open database (0 for a new one)."""
    con.execute("""CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER PRIMARY KEY, description VARCHAR,
        applied_at TIMESTAMP DEFAULT current_timestamp)""")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every pending migration in one transaction; returns the resulting version."""
    version = current_version(con)
    pending = [m for m in MIGRATIONS if m[0] > version]
    if not pending:
        return version
    con.execute("BEGIN TRANSACTION")
    try:
        for number, description, statements in pending:
            for statement in statements:
                con.execute(statement)
            con.execute(
                "INSERT INTO schema_version (version, description) VALUES (?, ?)",
                [number, description],
            )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return pending[-1][0]
