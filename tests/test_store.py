from __future__ import annotations

from datetime import date

import duckdb
import pytest

from dyad.errors import StoreError
from dyad.store import queries
from dyad.store.db import connect, known_ids, write_batch
from dyad.store.migrations import LATEST, current_version
from dyad.types import CodedDocument, Document, Event, Mention, Quantity


def _coded(doc_id: str, text: str, codes: list[tuple[str, str, str]]) -> CodedDocument:
    doc = Document(id=doc_id, text=text, published=date(2016, 12, 16), title="t")
    events = [
        Event(
            id=f"{doc_id}-{i}",
            doc_id=doc_id,
            sentence_start=0,
            sentence_end=len(text),
            trigger_start=0,
            trigger_end=4,
            trigger=text[:4],
            source=(src,),
            target=(tgt,),
            cameo=code,
            plover="AGREE",
            goldstein=3.0,
            quad_class=1,
            date="2016-12",
            date_precision="month",
            quantities=(Quantity("count", 11, "agreement"),),
        )
        for i, (src, code, tgt) in enumerate(codes)
    ]
    mentions = [Mention(doc_id, 0, 5, text[:5], "JPN", "JPN")]
    return CodedDocument(doc, mentions, events)


def test_store_migrates_a_new_file_to_the_latest_version(db):
    con = connect(db)
    assert current_version(con) == LATEST
    con.close()
    con = connect(db)  # opening again applies nothing new
    rows = con.execute("SELECT count(*) FROM schema_version").fetchone()[0]
    assert rows == LATEST


def test_store_write_is_idempotent(db):
    con = connect(db)
    batch = [_coded("d1", "Japan signed.", [("JPN", "057", "RUS")])]
    assert write_batch(con, batch) == 1
    assert write_batch(con, batch) == 0
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    assert known_ids(con, ["d1", "zz"]) == {"d1"}


def test_store_failed_batch_leaves_nothing_half_written(db, monkeypatch):
    con = connect(db)
    write_batch(con, [_coded("keep", "Kept text.", [("JPN", "057", "RUS")])])
    bad = _coded("d2", "Japan signed.", [("JPN", "057", "RUS"), ("RUS", "057", "JPN")])
    original = duckdb.DuckDBPyConnection.execute

    def failing(self, sql, *args):
        # The crash comes after the document and mention rows of the batch went in.
        if sql.startswith("INSERT INTO events"):
            raise duckdb.ConstraintException("simulated crash")
        return original(self, sql, *args)

    monkeypatch.setattr(duckdb.DuckDBPyConnection, "execute", failing)
    with pytest.raises(StoreError):
        write_batch(con, [bad])
    monkeypatch.undo()
    assert known_ids(con, ["d2", "keep"]) == {"keep"}
    assert con.execute("SELECT count(*) FROM mentions WHERE doc_id = 'd2'").fetchone()[0] == 0


FILTER_CASES = [
    ({"actor": "JPN"}, 3),
    ({"between": ("RUS", "JPN")}, 2),
    ({"between": ("JPN", "CHN")}, 1),
    ({"code": "05"}, 2),
    ({"code": "057"}, 1),
    ({"plover": "agree"}, 3),
    ({"since": date(2016, 12, 1), "until": date(2016, 12, 31)}, 3),
    ({"since": date(2017, 1, 1)}, 0),
    ({"doc": "d1"}, 3),
    ({"limit": 2}, 2),
]


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
def test_store_event_filters(db, filters, expected):
    con = connect(db)
    write_batch(
        con,
        [
            _coded(
                "d1",
                "Japan signed.",
                [("JPNGOV", "057", "RUSGOV"), ("RUS", "051", "JPN"), ("JPN", "040", "CHN")],
            )
        ],
    )
    rows = queries.find_events(con, queries.EventFilter(**filters))
    assert len(rows) == expected


def test_store_read_only_open_of_missing_file_names_the_way_out(tmp_path):
    with pytest.raises(StoreError, match="dyad ingest"):
        connect(tmp_path / "nope.duckdb", read_only=True)


def test_store_second_writer_process_gets_the_way_out(tmp_path):
    import subprocess
    import sys
    import time

    path = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ok', flush=True); "
            "time.sleep(20)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        time.sleep(0.2)
        with pytest.raises(StoreError, match="dyad ingest --server URL") as caught:
            connect(path)
        assert f"PID {holder.pid}" in str(caught.value)  # names the holder
    finally:
        holder.kill()
        holder.wait()


def test_migration_5_keeps_every_row_and_drops_the_bulk_indexes(db, monkeypatch):
    from dyad.store import migrations

    full = list(migrations.MIGRATIONS)
    monkeypatch.setattr(migrations, "MIGRATIONS", [m for m in full if m[0] <= 4])
    con = connect(db)
    assert current_version(con) == 4
    write_batch(
        con, [_coded("d1", "Japan signed.", [("JPN", "057", "RUS"), ("RUS", "057", "JPN")])]
    )
    con.execute("UPDATE events SET is_root = true WHERE id = 'd1-0'")
    tables = ("documents", "mentions", "events", "sentences")
    before = {t: sorted(map(str, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
    indexed = con.execute("SELECT count(*) FROM duckdb_indexes()").fetchone()[0]
    con.close()
    assert indexed >= 3
    monkeypatch.setattr(migrations, "MIGRATIONS", full)
    con = connect(db)
    assert current_version(con) == LATEST
    after = {t: sorted(map(str, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
    assert after == before
    names = {row[0] for row in con.execute("SELECT table_name FROM duckdb_indexes()").fetchall()}
    assert not names & set(tables)
    # still written once only, without the primary key
    assert write_batch(con, [_coded("d1", "Japan signed.", [("JPN", "057", "RUS")])]) == 0
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 2
