from __future__ import annotations

from datetime import date, datetime

import pytest

from casefiles import read_cases
from dyad.coding.dates import DateMention, find_dates, resolve_date

CASES = read_cases("dates.tsv")


def _anchor(cell: str) -> date | None:
    return date.fromisoformat(cell) if cell else None


def _expected(cell: str) -> list[tuple[str, str]]:
    return [tuple(item.split("/")) for item in filter(None, cell.split(";"))]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:50] for c in CASES])
def test_dates_table(case):
    future = case["future"] == "yes"
    found = find_dates(case["text"], _anchor(case["anchor"]), future=future)
    assert [(m.value, m.precision) for m in found] == _expected(case["expected"])
    for mention in found:
        assert case["text"][mention.start : mention.end] == mention.text
    if case["spans"]:
        assert [m.text for m in found] == case["spans"].split(";")


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:50] for c in CASES])
def test_dates_resolve_date_gives_first_mention(case):
    future = case["future"] == "yes"
    expected = _expected(case["expected"])
    got = resolve_date(case["text"], _anchor(case["anchor"]), future=future)
    assert got == (expected[0] if expected else None)


@pytest.mark.parametrize("case", CASES[:10], ids=[c["text"][:50] for c in CASES[:10]])
def test_dates_offset_shifts_positions(case):
    anchor = _anchor(case["anchor"])
    plain = find_dates(case["text"], anchor)
    shifted = find_dates(case["text"], anchor, offset=100)
    assert [m.start + 100 for m in plain] == [m.start for m in shifted]
    assert [m.text for m in plain] == [m.text for m in shifted]


def test_dates_accepts_datetime_anchor():
    found = find_dates("They met yesterday.", datetime(2016, 12, 15, 9, 30))
    assert found == [DateMention(9, 18, "yesterday", "2016-12-14", "day")]
