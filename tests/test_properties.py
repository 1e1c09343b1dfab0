"""Property tests (Hypothesis) for the normalisers and the store: what must hold for every
input, not just the examples we thought of."""

from __future__ import annotations

import io
from datetime import date

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dyad.coding.dates import resolve_date  # noqa: E402
from dyad.coding.quantities import parse_number  # noqa: E402
from dyad.errors import InputError  # noqa: E402
from dyad.readers.decode import DecodeFailure, decode_bytes  # noqa: E402
from dyad.readers.normalise import document_id, normalise_text, parse_date  # noqa: E402
from dyad.readers.sources import _read_jsonl_file, make_document  # noqa: E402
from dyad.types import Document  # noqa: E402

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(TEXT)
def test_normalising_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


@given(TEXT)
def test_document_id_ignores_newline_style_and_trailing_spaces(text):
    unix = text.replace("\r\n", "\n").replace("\r", "\n")
    assert document_id(normalise_text(unix)) == document_id(
        normalise_text(unix.replace("\n", "\r\n"))
    )
    assert document_id(normalise_text(text)) == document_id(normalise_text(text + "  \n"))


@given(DAYS)
def test_iso_dates_round_trip(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.isoformat()}T09:30:00Z") == day


@given(TEXT)
def test_parse_date_returns_a_date_or_raises_value_error(text):
    try:
        result = parse_date(text)
    except ValueError:
        return
    assert result is None or isinstance(result, date)


@given(st.integers(min_value=1, max_value=10**12))
def test_numbers_with_thousands_commas_parse_exactly(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["million", "billion"]))
def test_scaled_numbers(n, scale):
    factor = {"million": 10**6, "billion": 10**9}[scale]
    assert parse_number(f"{n} {scale}") == n * factor


@given(TEXT, DAYS)
def test_date_resolution_never_crashes(text, anchor):
    result = resolve_date(text, anchor)
    assert result is None or (isinstance(result[0], str) and result[1] in {"day", "month", "year"})


@given(
    st.one_of(
        st.binary(max_size=2000),
        # byte-order marks followed by anything (atheris found a truncated UTF-16 crash here)
        st.tuples(
            st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]), st.binary(max_size=50)
        ).map(lambda parts: parts[0] + parts[1]),
    ),
    st.booleans(),
)
def test_decoding_gives_text_or_a_reason(data, html):
    try:
        assert isinstance(decode_bytes(data, html=html), str)
    except DecodeFailure as exc:
        assert str(exc)


@given(st.lists(st.binary(max_size=200), max_size=20))
def test_jsonl_reader_never_raises_and_names_every_bad_line(lines):
    data = b"\n".join(line.replace(b"\n", b" ") for line in lines)
    for item in _read_jsonl_file(io.BytesIO(data), "f.jsonl", None, None):
        assert isinstance(item, Document | InputError)
        if isinstance(item, InputError):
            assert item.item.startswith("f.jsonl:")


@given(TEXT, st.one_of(st.none(), st.text(max_size=20)), st.one_of(st.none(), DAYS))
def test_make_document_gives_a_document_or_an_error(text, title, published):
    item = make_document(text, "x", title=title, published=published)
    assert isinstance(item, Document | InputError)
    if isinstance(item, Document):
        assert item.id == document_id(item.text) and item.text == normalise_text(text)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.text(
                st.characters(codec="utf-8", blacklist_categories=("Cs", "Cc")),
                min_size=1,
                max_size=80,
            ),
            st.one_of(st.none(), DAYS),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_store_round_trip_keeps_documents_exactly(tmp_path_factory, items):
    from dyad.store.db import connect, write_batch
    from dyad.store.queries import get_document
    from dyad.types import CodedDocument

    documents = [
        make_document(text, f"x:{i}", published=day) for i, (text, day) in enumerate(items)
    ]
    documents = [d for d in documents if isinstance(d, Document)]
    con = connect(":memory:")
    written = write_batch(
        con, [CodedDocument(document=d, mentions=[], events=[], sentences=[]) for d in documents]
    )
    assert written == len({d.id for d in documents})
    assert (
        write_batch(
            con,
            [CodedDocument(document=d, mentions=[], events=[], sentences=[]) for d in documents],
        )
        == 0
    )
    first = {}
    for d in documents:
        first.setdefault(d.id, d)  # the same text twice is one document: the first is kept
    for d in first.values():
        stored = get_document(con, d.id)
        assert stored["text"] == d.text
        assert (stored["published"] or None) in (
            d.published,
            d.published and d.published.isoformat(),
        )


# ---- commitment merging: the indexed merge equals the plain pairwise one ----------------
def _plain_merge(mentions):
    """The definition: each mention (in date order) joins the most similar earlier
    commitment whose parties agree, first on a tie, or starts a new one."""
    from dyad.commitments.merge import (
        CROSS_DOC_THRESHOLD,
        SAME_DOC_THRESHOLD,
        _order,
        parties_agree,
        similarity,
        topic_terms,
    )

    groups: list[list] = []
    for mention in sorted(mentions, key=_order):
        best, best_score = None, 0.0
        for group in groups:
            parties = tuple(sorted({p for m in group for p in m.parties}))
            if not parties_agree(parties, mention.parties):
                continue
            if any(
                (m.doc_id, m.sentence_start) == (mention.doc_id, mention.sentence_start)
                for m in group
            ):
                score = 1.0
            else:
                terms = {t for m in group for t in topic_terms(m)}
                words = frozenset(w for m in group for w in m.words)
                score = similarity(terms, words, topic_terms(mention), mention.words)
                same_doc = any(m.doc_id == mention.doc_id for m in group)
                if score < (SAME_DOC_THRESHOLD if same_doc else CROSS_DOC_THRESHOLD):
                    continue
            if score > best_score:
                best, best_score = group, score
        if best is None:
            groups.append([mention])
        else:
            best.append(mention)
    return [[(m.doc_id, m.sentence_start, m.event_id) for m in group] for group in groups]


_mention_rows = st.lists(
    st.tuples(
        st.integers(0, 5),  # document
        st.integers(0, 3),  # sentence
        st.sets(st.sampled_from(["JPN", "RUS", "CHN", "USA"]), max_size=3),  # parties
        st.sets(st.sampled_from(["gas", "oil", "port", "visa", "fish", "bank"]), max_size=3),
        st.sets(st.sampled_from(["sakhalin", "kuril", "tokyo"]), max_size=2),  # names
        st.integers(1, 28),  # day
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(_mention_rows)
def test_property_indexed_merge_equals_plain_merge(rows):
    from dyad.commitments.detect import CommitmentMention
    from dyad.commitments.merge import merge

    mentions = [
        CommitmentMention(
            event_id=f"e{number}",
            doc_id=f"d{doc}",
            sentence_start=sentence * 10,
            sentence_end=sentence * 10 + 9,
            sentence="",
            date=date(2017, 1, day),
            parties=tuple(sorted(parties)),
            actors=tuple(sorted(parties)),
            cameo="057",
            plover="AGREE",
            predicate="sign",
            strength="binding agreement",
            deadline=None,
            names=tuple(sorted(names)),
            words=frozenset(words),
        )
        for number, (doc, sentence, parties, words, names, day) in enumerate(rows)
    ]
    indexed = [
        [(m.doc_id, m.sentence_start, m.event_id) for m in c.mentions] for c in merge(mentions)
    ]
    assert indexed == _plain_merge(mentions)
