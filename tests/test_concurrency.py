"""Readers during writes see a consistent store; reviews made while documents arrive are kept.

The server owns the store (a second writer process is refused: tests/test_store.py); here
documents arrive through the server in one thread while another reads it."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

import dyad  # noqa: E402
from dyad.cli import SAMPLE_DIR  # noqa: E402
from dyad.web.app import create_app  # noqa: E402
from dyad.web.auth import Auth  # noqa: E402

pytestmark = pytest.mark.usefixtures("pipeline")

COUNTRIES = ["Chile", "Peru", "Kenya", "Norway", "Vietnam", "Ghana", "Poland", "Canada"]


def _texts() -> list[str]:
    out = []
    for i, a in enumerate(COUNTRIES):
        for b in COUNTRIES[i + 1 :]:
            out.append(f"{a} and {b} signed an agreement on fisheries on Monday, officials said.")
    return out


def test_reads_during_writes_are_consistent_and_reviews_survive(tmp_path):
    db = str(tmp_path / "live.duckdb")
    assert dyad.ingest([SAMPLE_DIR / "text"], db).ok
    app = create_app(db, Auth({"ana": "s3cret"}, secret="test"))
    with TestClient(app) as client:
        board = client.get("/commitments.json").json()["board"]
        target = next(c for column in board.values() for c in column)["id"]
        done = threading.Event()
        failures: list[str] = []

        def write():
            try:
                for text in _texts():
                    response = client.post(
                        "/api/documents",
                        content=text.encode(),
                        headers={"authorization": "Bearer s3cret", "content-type": "text/plain"},
                    )
                    if response.status_code != 200:
                        failures.append(response.text)
            finally:
                done.set()

        writer = threading.Thread(target=write)
        writer.start()
        reads = 0
        con = app.state.con
        while not done.is_set() or reads < 3:
            cur = con.cursor()
            orphans = cur.execute(
                "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                "(SELECT 1 FROM sentences s WHERE s.doc_id = d.id)"
            ).fetchone()[0]
            dangling = cur.execute(
                "SELECT count(*) FROM events e WHERE NOT EXISTS "
                "(SELECT 1 FROM documents d WHERE d.id = e.doc_id)"
            ).fetchone()[0]
            assert (orphans, dangling) == (0, 0)
            reads += 1
            if reads == 2:  # a review while documents are arriving
                login = client.post(
                    "/login", data={"name": "ana", "token": "s3cret"}, follow_redirects=False
                )
                assert login.status_code == 303
                page = client.get(f"/commitments/{target}")
                csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
                review = client.post(
                    f"/commitments/{target}/review",
                    data={"action": "confirm", "note": "checked during ingest", "csrf": csrf},
                    follow_redirects=False,
                )
                assert review.status_code in (200, 303), review.text[:200]
        writer.join()
        assert not failures
        stored = client.get("/index.json").json()["counts"]["documents"]
        assert stored >= len(_texts())
        detail = client.get(f"/commitments/{target}.json").json()["commitment"]
        assert any(r["note"] == "checked during ingest" for r in detail["reviews"])
