"""Clause features of a parsed sentence for the lexical classifier.

Word stems say what a sentence is about; the parse says what it does. These features name the
main verb and the verbs of its complement clauses together with their objects, prepositional
phrases, particles, negation, modal auxiliaries and passive voice:

    "Troops withdrew from the border town."  ->  R:withdraw, Rp:withdraw_from,
                                                 RP:withdraw_from_town
    "Moscow will not sign the treaty."       ->  R:sign, RO:sign_treaty, RN:sign, NEG, M:will

They cost one pass over the sentence's tokens, which the parser has already annotated.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

MODALS = frozenset({"will", "would", "may", "might", "must", "should", "could", "can", "shall"})
OBJECT_DEPS = frozenset({"dobj", "attr", "oprd"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "conj"})
VERBAL = frozenset({"VERB", "AUX"})


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _verb_features(verb: Token, tag: str, out: set[str]) -> None:
    word = _lemma(verb)
    out.add(f"{tag}:{word}")
    for child in verb.children:
        dep = child.dep_
        if dep in OBJECT_DEPS:
            out.add(f"{tag}O:{word}_{_lemma(child)}")
        elif dep == "prep":
            out.add(f"{tag}p:{word}_{_lemma(child)}")
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    out.add(f"{tag}P:{word}_{_lemma(child)}_{_lemma(grandchild)}")
        elif dep == "neg":
            out.add(f"{tag}N:{word}")
            out.add("NEG")
        elif dep == "aux" and _lemma(child) in MODALS:
            out.add(f"M:{_lemma(child)}")
        elif dep == "nsubjpass":
            out.add(f"{tag}S:{word}")
        elif dep == "xcomp":
            out.add(f"{tag}X:{word}_{_lemma(child)}")
        elif dep == "prt":
            out.add(f"{tag}T:{word}_{_lemma(child)}")


def clause_features(sentence: Span | Doc) -> set[str]:
    """Clause features of every sentence in ``sentence`` (a sentence span or a parsed text).

    ``R`` marks the root verb, ``C`` a verb of a clause under it (complement, open
    complement or conjunct); an unparsed sentence has only its root's lemma.
    """
    sentences = sentence.sents if isinstance(sentence, Doc) else [sentence]
    out: set[str] = set()
    for sent in sentences:
        root = sent.root
        _verb_features(root, "R", out)
        for child in root.children:
            if child.dep_ in CLAUSE_DEPS and child.pos_ in VERBAL:
                _verb_features(child, "C", out)
    return out
