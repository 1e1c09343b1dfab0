from __future__ import annotations

import io
from datetime import date

import pytest

from casefiles import DATA, read_cases
from dyad.errors import InputError
from dyad.readers import read_paths, read_stream
from dyad.readers.normalise import document_id, normalise_text
from dyad.types import Document

CASES = read_cases("ingest_cases.tsv")


def _opt(value: str) -> str | None:
    return None if value == "-" else value


@pytest.mark.parametrize("case", CASES, ids=[c["path"] for c in CASES])
def test_ingest_reads_each_format(case):
    field_map = {}
    if case["options"] != "-":
        field_map = dict(pair.split("=") for pair in case["options"].split(";"))
    items = list(read_paths([DATA / "ingest" / case["path"]], field_map=field_map))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(docs) == int(case["docs"])
    expected_errors = [] if case["errors"] == "-" else case["errors"].split(";")
    assert len(errors) == len(expected_errors)
    for error, expected in zip(errors, expected_errors, strict=True):
        line, fragment = expected.split(":", 1)
        assert fragment in str(error)
        assert case["path"] in error.item
        if line != "0":
            assert error.item.endswith(f":{line}")
    if docs:
        first = docs[0]
        assert first.title == _opt(case["first_title"])
        expected_date = _opt(case["first_date"])
        assert first.published == (date.fromisoformat(expected_date) if expected_date else None)
        assert first.text.startswith(case["first_text_start"])
        assert first.id == document_id(first.text)


def test_ingest_html_drops_boilerplate_comments_and_scripts():
    (doc,) = read_paths([DATA / "ingest" / "page.html"])
    assert "Reader one" not in doc.text
    assert "cookies" not in doc.text
    assert "pwned" not in doc.text
    assert doc.url == "https://example.org/news/ministers-meet"


def test_ingest_same_text_gives_same_id_whatever_the_whitespace():
    a = normalise_text("Japan  and Russia\r\nheld talks. ")
    b = normalise_text("Japan and Russia\nheld talks.")
    assert document_id(a) == document_id(b)
    assert document_id(a) != document_id(normalise_text("Japan and Russia held talks"))


def test_ingest_stdin_and_default_date():
    stream = io.StringIO("Russia protested to Japan on Monday.")
    (doc,) = read_stream(stream, "<stdin>", default_date=date(2022, 3, 22))
    assert doc.published == date(2022, 3, 22)
    assert doc.origin == "<stdin>"


def test_ingest_folder_is_recursive_and_globbed(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "one.txt").write_text("Japan thanked Russia.", encoding="utf-8")
    (tmp_path / "two.md").write_text("Russia thanked Japan.", encoding="utf-8")
    (tmp_path / "skip.bin").write_bytes(b"\x00\x01")
    assert len(list(read_paths([tmp_path]))) == 2
    assert len(list(read_paths([tmp_path], pattern="*.txt"))) == 1


def test_ingest_non_utf8_file_is_an_error_naming_it(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Caf\xe9 talks".encode("latin-1"))
    (item,) = read_paths([bad])
    assert isinstance(item, InputError)
    assert "latin1.txt" in str(item)


# (document lengths, batch size, character budget, expected batch lengths)
WRITE_BATCH_CASES = [
    ([10, 10, 10, 10, 10], 2, 1_000, [2, 2, 1]),
    ([600, 600, 100, 100], 64, 1_000, [1, 3]),
    ([5_000, 10, 10], 64, 1_000, [1, 2]),  # one longer document goes alone
    ([400, 400, 400], 64, 800, [2, 1]),
    ([], 64, 1_000, []),
]


@pytest.mark.parametrize(("lengths", "size", "budget", "expected"), WRITE_BATCH_CASES)
def test_ingest_write_batches_are_bounded_by_count_and_text(lengths, size, budget, expected):
    from dyad.api import _write_batches
    from dyad.types import CodedDocument

    coded = [
        CodedDocument(
            document=Document(id=str(i), text="x" * n, source="t", published=None),
            mentions=[],
            events=[],
        )
        for i, n in enumerate(lengths)
    ]
    batches = list(_write_batches(coded, size, budget))
    assert [len(b) for b in batches] == expected
    assert [c.document.id for b in batches for c in b] == [c.document.id for c in coded]
