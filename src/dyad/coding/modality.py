"""Negation, modality and attribution of a trigger, read off the dependency tree.

- negated: "did not sign", "never visited", "no longer follows", "refused to meet".
- modality: occurred | planned ("will visit", "plans to", "agreed to build", "the planned
  visit") | expected ("hopes that", "is likely to", "may", "should") | hypothetical ("if").
- attribution: who says it ("X said that ...", "according to X", "I think" -> author).
"""

from __future__ import annotations

from spacy.tokens import Token

from dyad.coding.syntax import SUBJECT_DEPS, lemma_of

NEGATING_HEADS = {"refuse", "fail", "decline", "reject", "deny", "halt", "cancel", "abandon"}
PLANNING_HEADS = {
    "plan",
    "intend",
    "decide",
    "agree",
    "pledge",
    "promise",
    "vow",
    "aim",
    "seek",
    "prepare",
    "schedule",
    "set",
    "undertake",
    "commit",
    "resolve",
    "want",
    "propose",
    "offer",
    "mean",
    "prepared",
    "ready",
    "willing",
    "determined",
    "committed",
    "keen",
    "eager",
    "swear",
    "threaten",
}
EXPECTING_HEADS = {
    "hope",
    "expect",
    "anticipate",
    "likely",
    "wish",
    "predict",
    "foresee",
    "believe",
    "think",
    "probably",
    "unlikely",
    "possible",
    "able",
}
PLANNED_AUX = {"will", "shall", "'ll", "wo"}
EXPECTED_AUX = {"may", "might", "could", "should", "ought", "can"}
PLANNED_MODIFIERS = {
    "planned",
    "proposed",
    "upcoming",
    "forthcoming",
    "future",
    "scheduled",
    "intended",
    "prospective",
    "next",
    "expected",
    "possible",
    "potential",
}
SPEECH_LEMMAS = {
    "say",
    "tell",
    "state",
    "announce",
    "claim",
    "report",
    "add",
    "note",
    "stress",
    "write",
    "declare",
    "insist",
    "argue",
    "emphasize",
    "emphasise",
    "explain",
    "confirm",
    "suggest",
    "believe",
    "think",
    "hope",
    "expect",
    "consider",
    "warn",
    "acknowledge",
    "assert",
    "mention",
    "reiterate",
    "reaffirm",
    "repeat",
    "underline",
    "underscore",
    "remind",
    "maintain",
    "contend",
}
_MAX_UP = 6


def _clause_chain(trigger: Token) -> list[Token]:
    """The trigger and the heads above it, stopping at a noun phrase boundary."""
    chain = [trigger]
    current = trigger
    for _ in range(_MAX_UP):
        if current.head.i == current.i:
            break
        if current.dep_ not in {
            "xcomp",
            "ccomp",
            "conj",
            "advcl",
            "dobj",
            "pobj",
            "prep",
            "acl",
            "relcl",
            "attr",
            "nsubj",
            "nsubjpass",
            "oprd",
            "pcomp",
            "acomp",
        }:
            break
        current = current.head
        chain.append(current)
    return chain


def is_negated(trigger: Token) -> bool:
    """True when the trigger (or a verb governing it) is negated."""
    for index, token in enumerate(_clause_chain(trigger)):
        if index > 0 and token.pos_ == "NOUN":
            break
        for child in token.children:
            if child.dep_ == "neg" or child.lower_ in {"never"}:
                return True
            if child.lower_ == "longer" and any(c.lower_ == "no" for c in child.children):
                return True
        if index > 0 and lemma_of(token) in NEGATING_HEADS and trigger.dep_ == "xcomp":
            return True
        if index > 0 and token.dep_ == "ROOT":
            break
    no_det = any(c.dep_ == "det" and c.lower_ == "no" for c in trigger.children)
    return trigger.pos_ == "NOUN" and no_det


def modality_of(trigger: Token) -> str:
    """Return occurred, planned, expected or hypothetical for the trigger's clause."""
    chain = _clause_chain(trigger)
    for index, token in enumerate(chain):
        for child in token.children:
            if child.dep_ == "mark" and child.lower_ in {"if", "unless"}:
                return "hypothetical"
        if token.dep_ == "advcl" and any(c.lower_ in {"if", "unless"} for c in token.children):
            return "hypothetical"
        # "If Russia attacks, the US will impose sanctions": the main clause is conditional too.
        for child in token.children:
            if child.dep_ == "advcl" and any(
                g.dep_ == "mark" and g.lower_ in {"if", "unless"} for g in child.children
            ):
                return "hypothetical"
        lemma = lemma_of(token)
        if index > 0 and lemma in EXPECTING_HEADS:
            return "expected"
        auxes = {c.lower_ for c in token.children if c.dep_ in {"aux", "auxpass"}}
        if auxes & EXPECTED_AUX:
            return "expected"
        if auxes & PLANNED_AUX:
            return "planned"
        if "would" in auxes:
            # future in reported speech ("said it would halt") vs a bare conditional
            reported = any(lemma_of(a) in SPEECH_LEMMAS for a in token.ancestors)
            return "planned" if reported else "hypothetical"
        # "is to visit", "is going to visit"
        if (
            token.dep_ == "xcomp"
            and token.head.lemma_ in {"be", "go"}
            and token.head.lower_ != "been"
        ):
            return "planned"
        if index > 0 and lemma in PLANNING_HEADS:
            return "planned"
        if token.pos_ == "NOUN" and any(
            c.lower_ in PLANNED_MODIFIERS for c in token.children if c.dep_ in {"amod", "compound"}
        ):
            return "planned"
        if token.dep_ == "ROOT":
            break
    return "occurred"


def attribution_of(trigger: Token, actor_text_of) -> str | None:
    """Return who states the trigger's clause: an actor code, a name, "author", or None.

    actor_text_of (callable): maps a token to an actor code (or None).
    """
    for token in [trigger, *trigger.ancestors]:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "according":
                for grand in child.subtree:
                    if grand.dep_ == "pobj":
                        return actor_text_of(grand) or grand.text
    for token in trigger.ancestors:
        if lemma_of(token) in SPEECH_LEMMAS:
            subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
            if not subjects:
                continue
            subject = subjects[0]
            if subject.lower_ in {"i", "we"} and subject.lower_ == "i":
                return "author"
            code = actor_text_of(subject)
            return code or " ".join(t.text for t in subject.subtree)[:80]
    return None
