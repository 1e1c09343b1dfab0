"""Crash safety: `dyad ingest` killed with SIGKILL at random points, then run again, stores
every document exactly once, with no document half-written."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from dyad import api

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "dyad" / "sample" / "jsonl" / "wire.jsonl"
DYAD = str(Path(sys.executable).parent / "dyad")


def _corpus(path: Path, copies: int = 60) -> int:
    texts = [json.loads(line)["text"] for line in SAMPLE.open()]
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for text in texts:
                out.write(json.dumps({"text": f"{text}\n\nDispatch {copy}."}) + "\n")
    return copies * len(texts)


def _state(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "documents": con.execute(
                "SELECT count(*), count(DISTINCT id) FROM documents"
            ).fetchone(),
            "events": con.execute("SELECT count(*), count(DISTINCT id) FROM events").fetchone(),
            "event_ids": {r[0] for r in con.execute("SELECT id FROM events").fetchall()},
            "commitments": con.execute(
                "SELECT count(*), count(DISTINCT id) FROM commitments"
            ).fetchone(),
            "without_sentences": con.execute(
                "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                "(SELECT 1 FROM sentences s WHERE s.doc_id = d.id)"
            ).fetchone()[0],
            "mention_rows": con.execute("SELECT count(*) FROM mentions").fetchone()[0],
        }
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_at_random_points_then_rerun_stores_everything_exactly_once(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    total = _corpus(corpus)
    reference_db = tmp_path / "reference.duckdb"
    api.ingest([corpus], reference_db, classifier=False, batch_size=8)
    reference = _state(reference_db)
    assert reference["documents"][0] == total

    db = tmp_path / "crashed.duckdb"
    command = [
        DYAD,
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--rules-only",
        "--batch-size",
        "8",
        "--quiet",
    ]
    rng = random.Random(7)
    kills = 0
    for _ in range(4):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(2.5, 7.0))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        if db.exists():
            state = _state(db)
            assert state["documents"][0] == state["documents"][1]  # never a duplicate
            assert state["without_sentences"] == 0  # never half a document
    assert kills >= 1
    subprocess.run(command, check=False, timeout=600)
    final = _state(db)
    assert final["documents"] == reference["documents"]
    assert final["events"] == reference["events"]
    assert final["event_ids"] == reference["event_ids"]
    assert final["commitments"] == reference["commitments"]
    assert final["mention_rows"] == reference["mention_rows"]
    assert final["without_sentences"] == 0
