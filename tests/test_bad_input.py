"""The catalogue of bad inputs (docs/reliability.md): each gets a clear error naming the item,
the rest of the batch is stored, the exit code says something failed, and nothing already
stored changes."""

from __future__ import annotations

import json

import duckdb
import pytest

from dyad import api

GOOD = "Japan and Russia signed an agreement on fisheries in Tokyo on Friday."
STORED_BEFORE = "Chile and Norway signed a trade agreement in Santiago on Monday."
NESTED = "<html><body>" + "<div>" * 5000 + "<p>Peru hosted talks with Chile.</p>" + "</div>" * 5000
HOSTILE = (
    "<html><head><script>alert('x')</script></head><body onload=\"alert('y')\">"
    "<iframe src='javascript:alert(1)'></iframe><article><h1>Talks</h1>"
    "<p>Kenya and Uganda agreed to reopen their border crossing at Malaba next month.</p>"
    '<p onclick="steal()">Officials from both countries met in Nairobi on Tuesday.</p>'
    "<img src=x onerror=\"alert('z')\"></article></body></html>"
)
CP1251 = (
    '<html><head><meta charset="windows-1251"><title>Talks</title></head><body><article>'
    "<p>Georgia and Armenia signed a transit agreement in Tbilisi on Friday, the ministries "
    "said. The deal covers rail freight.</p><p>Цена: 100 рублей.</p></article></body></html>"
)


def _jsonl(*records) -> bytes:
    lines = [r if isinstance(r, bytes) else json.dumps(r).encode() for r in records]
    return b"\n".join(lines) + b"\n"


# (file name, bytes, fragment of its error; None when it must not fail)
CASES = [
    ("empty.txt", b"", "no text"),
    ("blank.txt", b"  \n\n  \n", "no text"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
    ("latin1.txt", "Peru and Chile met in Lima. Café.".encode("latin-1"), "not UTF-8"),
    ("sjis.txt", "日本とロシアは合意した。".encode("shift_jis"), "not UTF-8"),
    (
        "sjis.html",
        b'<html><head><meta charset="shift_jis"></head><body><p>'
        + "日本とロシアは東京で平和条約について協議した。".encode("shift_jis") * 5
        + b"</p></body></html>",
        "not English",
    ),
    (
        "badcharset.html",
        b'<html><head><meta charset="klingon-9"></head><body>\xff\xfe</body></html>',
        "unknown charset",
    ),
    ("huge.txt", b"Japan met Russia. " * (3 * 2**20), "too large"),
    ("nested.html", NESTED.encode(), None),
    (
        "truncated.html",
        b"<html><body><article><p>Peru and Bolivia signed a gas deal in La Paz"
        b" on Monday, officials said. The accord runs to 2030.</p><p>Talks on",
        None,
    ),
    (
        "lines.jsonl",
        _jsonl(
            {"text": GOOD.replace("fisheries", "timber")},
            b"{not json",
            {"title": "no text field"},
            {"text": 42},
            {"text": ["a", "list"]},
            "Peru and Chile met in Lima. Caf\xe9.".encode("latin-1"),
            b"[1, 2, 3]",
            {"text": "Peru and Chile held talks in Lima. " * 40_000},
            {"text": "Peru and Chile held talks.", "date": "2016-13-45"},
            {"text": "Peru and Chile held talks again.", "date": "2999-01-01"},
            {"text": "Россия и Япония подписали соглашение о рыболовстве в Токио."},
            {"text": "Peru and Chile held more talks.", "lang": "es"},
            b"[" * 100_000,
        ),
        None,  # its lines are checked one by one below
    ),
]
EXPECTED_JSONL_ERRORS = {
    2: "invalid JSON",
    3: "no text",
    4: "text must be a string, not int",
    5: "text must be a string, not list",
    6: "not UTF-8",
    7: "expected a JSON object",
    8: "too long",
    9: "not a date",
    10: "in the future",
    11: "mostly Cyrillic",
    12: "not supported",
    13: "invalid JSON",
}


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    for name, data, _ in CASES:
        (folder / name).write_bytes(data)
    (folder / "good.txt").write_text(GOOD, "utf-8")
    (folder / "hostile.html").write_text(HOSTILE, "utf-8")
    (folder / "cp1251.html").write_bytes(CP1251.encode("cp1251"))
    db = tmp_path_factory.mktemp("store") / "store.duckdb"
    before = tmp_path_factory.mktemp("before") / "before.txt"
    before.write_text(STORED_BEFORE, "utf-8")
    api.ingest([before], db)
    con = duckdb.connect(str(db), read_only=True)
    snapshot = _snapshot(con)
    con.close()
    report = api.ingest([folder], db)
    con = duckdb.connect(str(db), read_only=True)
    yield report, con, snapshot
    con.close()


def _snapshot(con) -> list:
    return con.execute(
        "SELECT d.id, d.text, (SELECT count(*) FROM events e WHERE e.doc_id = d.id), "
        "(SELECT count(*) FROM mentions m WHERE m.doc_id = d.id) FROM documents d ORDER BY 1"
    ).fetchall()


def _errors(report) -> dict[str, str]:
    return {e.item: e.reason for e in report.errors}


FILE_ERRORS = [
    (name, fragment) for name, _, fragment in CASES if name != "lines.jsonl" and fragment
]


@pytest.mark.parametrize(("name", "fragment"), FILE_ERRORS)
def test_bad_file_gets_an_error_naming_it(outcome, name, fragment):
    report, _, _ = outcome
    matching = {item: reason for item, reason in _errors(report).items() if item.endswith(name)}
    assert matching, f"no error for {name}: {_errors(report)}"
    assert any(fragment in reason for reason in matching.values()), matching


@pytest.mark.parametrize(("line", "fragment"), sorted(EXPECTED_JSONL_ERRORS.items()))
def test_bad_jsonl_line_gets_an_error_naming_file_and_line(outcome, line, fragment):
    report, _, _ = outcome
    reason = next(
        (r for item, r in _errors(report).items() if item.endswith(f"lines.jsonl:{line}")), None
    )
    assert reason is not None and fragment in reason, (line, reason)


def test_the_rest_of_the_batch_is_stored(outcome):
    report, con, _ = outcome
    texts = [r[0] for r in con.execute("SELECT text FROM documents").fetchall()]
    assert any("fisheries" in t for t in texts)  # good.txt
    assert any("timber" in t for t in texts)  # the good line of lines.jsonl
    # deeply nested HTML: its text, or a clear error naming it (lxml stops at depth 255)
    nested = [reason for item, reason in _errors(report).items() if item.endswith("nested.html")]
    assert any("Peru hosted talks" in t for t in texts) or nested, nested
    assert any("Bolivia" in t for t in texts)  # truncated HTML
    assert any("Armenia" in t and "рублей" in t for t in texts)  # declared windows-1251
    assert not report.ok


def test_hostile_html_keeps_text_and_drops_code(outcome):
    _, con, _ = outcome
    text = next(
        r[0] for r in con.execute("SELECT text FROM documents").fetchall() if "Malaba" in r[0]
    )
    assert "Nairobi" in text
    assert "alert" not in text and "steal" not in text and "javascript" not in text


def test_nothing_already_stored_changes(outcome):
    _, con, before = outcome
    after = {row[0]: row for row in _snapshot(con)}
    for row in before:
        assert after[row[0]] == row


def test_cli_exit_code_says_something_failed(runner, tmp_path):
    from dyad.cli import cli

    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    (tmp_path / "bad.jsonl").write_bytes(b"{oops\n")
    result = runner.invoke(cli, ["ingest", str(tmp_path), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 1
    assert "bad.jsonl:1" in result.output and "1 added" in result.output
