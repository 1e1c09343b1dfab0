from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from dyad.cli import SAMPLE_DIR, cli
from dyad.output.formats import CSV_COLUMNS, GDELT_COLUMNS

pytestmark = pytest.mark.usefixtures("pipeline")
SAMPLE_PARTS = [str(SAMPLE_DIR / kind) for kind in ("text", "html", "jsonl")]


@pytest.fixture()
def sample_db(runner, tmp_path) -> str:
    db = str(tmp_path / "sample.duckdb")
    result = runner.invoke(cli, ["ingest", *SAMPLE_PARTS, "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    return db


def test_cli_ingest_twice_adds_nothing(runner, sample_db):
    result = runner.invoke(cli, ["ingest", *SAMPLE_PARTS, "--db", sample_db])
    assert result.exit_code == 0
    assert " 0 added" in result.output
    stats = json.loads(runner.invoke(cli, ["stats", "--db", sample_db, "--json"]).output)
    assert stats["documents"] == 11


def test_cli_bad_item_fails_but_the_rest_goes_through(runner, db, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Date: 2017-03-20\n\nRussia criticized Japan on Monday.\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Japan thanked Russia.", "date": "2017-01-01"}\n{oops\n', "utf-8")
    result = runner.invoke(cli, ["ingest", str(good), str(bad), "--db", db])
    assert result.exit_code == 1
    assert "bad.jsonl:2" in result.output
    stats = json.loads(runner.invoke(cli, ["stats", "--db", db, "--json"]).output)
    assert stats["documents"] == 2


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl", "gdelt"])
def test_cli_event_formats_parse(runner, sample_db, fmt):
    result = runner.invoke(
        cli, ["events", "--db", sample_db, "--between", "RUS", "JPN", "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    if fmt == "json":
        rows = json.loads(out)
        assert rows and all({"source", "target", "cameo", "quantities"} <= set(r) for r in rows)
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in out.splitlines()]
        assert rows
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and tuple(rows[0]) == CSV_COLUMNS
    elif fmt == "gdelt":
        lines = out.splitlines()
        assert lines[0].split("\t") == list(GDELT_COLUMNS)
        assert all(len(line.split("\t")) == len(GDELT_COLUMNS) for line in lines[1:])
        assert len(lines) > 1
    else:
        assert "cameo" in out.splitlines()[0]
    if fmt in {"json", "jsonl"}:
        for row in rows:
            pair = {row["source"][0][:3], row["target"][0][:3]}
            assert pair == {"RUS", "JPN"}


def test_cli_show_marks_actors_and_triggers(runner, sample_db):
    rows = json.loads(
        runner.invoke(
            cli, ["events", "--db", sample_db, "--format", "json", "--code", "057"]
        ).output
    )
    assert rows, "the sample corpus has signed agreements"
    result = runner.invoke(cli, ["show", rows[0]["doc_id"][:8], "--db", sample_db])
    assert result.exit_code == 0
    assert "|057}" in result.output
    assert "|JPN" in result.output or "|RUS" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events", "--code", "sign"], "CAMEO code prefix"),
        (["show", "ffffffffffff"], "no document"),
        (["events", "--since", "yesterday"], "not a date"),
    ],
)
def test_cli_errors_are_clear(runner, sample_db, args, message):
    result = runner.invoke(cli, [*args, "--db", sample_db])
    assert result.exit_code != 0
    assert message in (result.output + str(result.exception))


def test_cli_demo_prints_pair_events(runner, tmp_path):
    db = Path(tmp_path) / "demo.duckdb"
    result = runner.invoke(cli, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Events between Russia and Japan" in result.output
    assert "057" in result.output


def test_cli_commitments_commands(runner, sample_db):
    rows = json.loads(
        runner.invoke(cli, ["commitments", "--db", sample_db, "--format", "json"]).output
    )
    assert rows and {"id", "status", "parties", "strength"} <= set(rows[0])
    first = rows[0]["id"]
    shown = runner.invoke(cli, ["commitment", first[:8], "--db", sample_db])
    assert shown.exit_code == 0 and "statements:" in shown.output
    done = runner.invoke(
        cli,
        [
            "review",
            first,
            "--db",
            sample_db,
            "--status",
            "fulfilled",
            "--reviewer",
            "tester",
            "--note",
            "checked",
        ],
    )
    assert done.exit_code == 0, done.output
    again = json.loads(
        runner.invoke(cli, ["commitments", "--db", sample_db, "--format", "json"]).output
    )
    assert [c["status"] for c in again if c["id"] == first] == ["fulfilled"]
    table = runner.invoke(cli, ["commitments", "--db", sample_db, "--status", "fulfilled"])
    assert first in table.output


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_cli_report_between_pair(runner, sample_db, fmt):
    result = runner.invoke(
        cli,
        [
            "report",
            "--db",
            sample_db,
            "--between",
            "RUS",
            "JPN",
            "--summit",
            "2016-12-16",
            "--format",
            fmt,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Agreements signed" in result.output and "Compliance" in result.output
    if fmt == "html":
        assert result.output.startswith("<!doctype html>") and "<script" not in result.output


def test_cli_deferred_ingest_and_rebuild(runner, tmp_path):
    db = str(tmp_path / "deferred.duckdb")
    text = tmp_path / "summit.txt"
    text.write_text(
        "Japan and Russia agreed on Friday to build a bridge to Sakhalin by 2020.", "utf-8"
    )
    result = runner.invoke(cli, ["ingest", str(text), "--db", db, "--defer-commitments"])
    assert result.exit_code == 0 and "dyad rebuild" in result.output
    assert "(0 commitments)" in runner.invoke(cli, ["commitments", "--db", db]).output
    result = runner.invoke(cli, ["rebuild", "--db", db])
    assert result.exit_code == 0 and "1 commitments rebuilt" in result.output
    assert "JPN-RUS" in runner.invoke(cli, ["commitments", "--db", db]).output
