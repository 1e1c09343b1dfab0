"""dyad batch: Parquet output, the Ray engine against the local one, load and --parquet."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from dyad import api
from dyad.batch.engines import run_batch
from dyad.store.rows import TABLES

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "dyad" / "sample"
RULES = {"classifier": False}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The bundled sample corpus plus one broken line and one repeated document."""
    folder = tmp_path_factory.mktemp("corpus")
    lines = (SAMPLE / "jsonl" / "wire.jsonl").read_text("utf-8").splitlines()
    lines += ["{not json", lines[0]]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    for path in (SAMPLE / "text").glob("*.txt"):
        (folder / path.name).write_text(path.read_text("utf-8"), "utf-8")
    for path in (SAMPLE / "html").glob("*.html"):
        (folder / path.name).write_text(path.read_text("utf-8"), "utf-8")
    return folder


@pytest.fixture(scope="module")
def local_out(corpus, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("local")
    return out, run_batch([str(corpus)], str(out), settings=RULES)


def _events(folder: Path) -> set[tuple]:
    rows = duckdb.sql(
        f"SELECT DISTINCT id, doc_id, cameo, array_to_string(source, ','), "
        f"array_to_string(target, ','), trigger_start FROM '{folder}/events/*/*.parquet'"
    ).fetchall()
    return set(rows)


def test_local_batch_writes_every_table_partitioned_by_month(local_out):
    out, report = local_out
    assert report.documents >= 10
    assert report.duplicates == 1
    assert [e.item for e in report.errors] == [next(e.item for e in report.errors)]
    assert report.errors[0].item.endswith("wire.jsonl:" + str(report.errors[0].item.split(":")[-1]))
    for table in TABLES:
        if report.rows[table]:
            assert list((out / table).glob("month=*/*.parquet")), table
    months = {p.name for p in (out / "documents").iterdir()}
    assert all(m.startswith("month=") for m in months) and len(months) >= 2


def test_batch_events_equal_ingest_events(local_out, corpus, tmp_path):
    out, _ = local_out
    db = tmp_path / "store.duckdb"
    api.ingest([str(corpus)], db, classifier=False)
    con = duckdb.connect(str(db), read_only=True)
    stored = set(
        con.execute(
            "SELECT id, doc_id, cameo, array_to_string(source, ','), "
            "array_to_string(target, ','), trigger_start FROM events"
        ).fetchall()
    )
    con.close()
    assert stored and stored == _events(out)


def test_ray_engine_produces_the_same_events_as_local(local_out, corpus, tmp_path):
    pytest.importorskip("ray")
    out, local_report = local_out
    ray_out = tmp_path / "ray"
    report = run_batch([str(corpus)], str(ray_out), engine="ray", workers=2, settings=RULES)
    assert len(report.errors) == 1 and "invalid JSON" in str(report.errors[0])
    assert _events(ray_out) == _events(out)
    docs = duckdb.sql(f"SELECT count(DISTINCT id) FROM '{ray_out}/documents/*/*.parquet'")
    assert docs.fetchall()[0][0] == local_report.documents


def test_load_is_idempotent_and_matches_parquet_queries(local_out, tmp_path):
    out, report = local_out
    db = tmp_path / "loaded.duckdb"
    first = api.load(str(out), db)
    second = api.load(str(out), db)
    assert first["documents"] == report.documents and first["events"] == report.rows["events"]
    assert second["documents"] == 0 and second["events"] == 0
    from_store = {e["id"] for e in api.events(db)}
    in_place = {e["id"] for e in api.events(parquet=str(out))}
    assert from_store == in_place and len(in_place) == report.rows["events"]


def test_cli_batch_reports_bad_input_and_exits_1(runner, corpus, tmp_path):
    from dyad.cli import cli

    result = runner.invoke(
        cli, ["batch", str(corpus), "--out", str(tmp_path / "o"), "--rules-only"]
    )
    assert result.exit_code == 1
    assert "wire.jsonl:" in result.output and "invalid JSON" in result.output
    assert "coded " in result.output


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (["/no/such/place"], "no such file or folder"),
        (["pyproject.toml"], "unknown file type"),
    ],
)
def test_batch_names_unreadable_inputs(inputs, message, tmp_path):
    report = run_batch(inputs, str(tmp_path / "o"), settings=RULES)
    assert report.documents == 0 and message in str(report.errors[0])


def test_parquet_input_is_read_with_field_mapping(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [json.loads(x)["text"] for x in (SAMPLE / "jsonl" / "wire.jsonl").open()][:3]
    table = pa.table({"body": texts, "day": ["2016-12-16"] * len(texts)})
    pq.write_table(table, tmp_path / "in.parquet")
    report = run_batch(
        [str(tmp_path / "in.parquet")],
        str(tmp_path / "o"),
        settings=RULES,
        field_map={"text": "body", "date": "day"},
    )
    assert report.documents == 3 and not report.errors
    assert [p.name for p in (tmp_path / "o" / "documents").iterdir()] == ["month=2016-12"]


def test_parquet_folder_without_batch_output_is_refused(tmp_path):
    from dyad.errors import StoreError

    with pytest.raises(StoreError, match="no dyad batch output"):
        api.events(parquet=str(tmp_path))


def test_ray_engine_without_the_extra_says_what_to_install(monkeypatch, corpus, tmp_path):
    import sys

    from dyad.errors import DyadError

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    with pytest.raises(DyadError, match=r"pip install 'dyad\[ray\]'"):
        run_batch([str(corpus)], str(tmp_path / "o"), engine="ray", settings=RULES)
