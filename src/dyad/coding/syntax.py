"""Dependency-tree helpers shared by the coder: subjects, objects, clause chains."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
# Clauses that inherit the subject of the verb they hang on ("agreed to provide").
INHERITING_DEPS = {"xcomp", "conj", "advcl", "acomp"}


def is_passive(verb: Token) -> bool:
    """True when the verb is in the passive voice (has auxpass or a passive subject)."""
    return any(c.dep_ in {"auxpass"} | PASSIVE_SUBJECT_DEPS for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN"
    )


def with_conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("Japan and Russia")."""
    return [token, *token.conjuncts]


def children(token: Token, deps: set[str]) -> list[Token]:
    """Children of ``token`` whose dependency label is in ``deps``."""
    return [c for c in token.children if c.dep_ in deps]


def prep_objects(token: Token, word: str) -> list[Token]:
    """Objects of preposition ``word`` attached to ``token`` ("talks with X" -> X)."""
    found = []
    for prep in token.children:
        if prep.dep_ in {"prep", "agent", "dative"} and prep.lower_ == word:
            for pobj in prep.children:
                if pobj.dep_ in {"pobj", "pcomp"}:
                    found.extend(with_conjuncts(pobj))
    return found


PRONOUNS = {"he", "she", "it", "they", "we"}
# Links from a reported clause up to its reporting verb ("said it would", "quoted as saying")
REPORTING_DEPS = {"ccomp", "xcomp", "advcl", "conj", "pcomp", "prep"}
# Who a pronoun in reported speech refers to: the reporting verb's subject, or its passive
# subject ("X was quoted as saying he ...", "Iraq was told it must ...")
REFERENT_DEPS = SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS


def speaker_for_pronoun(subject: Token) -> Token | None:
    """For a pronoun subject inside reported speech ("NATO said it would ..."), the subject
    of the reporting verb: the usual referent in news copy."""
    if subject.lower_ not in PRONOUNS:
        return None
    clause = subject.head
    for _ in range(4):
        if clause.dep_ in REPORTING_DEPS and clause.head.i != clause.i:
            clause = clause.head
            speakers = [c for c in clause.children if c.dep_ in REFERENT_DEPS]
            if speakers and speakers[0].lower_ not in PRONOUNS:
                return speakers[0]
        else:
            break
    return None


def verb_subjects(verb: Token) -> list[Token]:
    """The active-voice subject of a verb, inherited through xcomp/conj/advcl chains."""
    current: Token | None = verb
    for _ in range(6):
        if current is None:
            break
        subjects = children(current, SUBJECT_DEPS)
        if subjects:
            resolved = [speaker_for_pronoun(s) or s for s in subjects]
            return [t for s in resolved for t in with_conjuncts(s)]
        if current.dep_ in INHERITING_DEPS and current.head.i != current.i:
            parent = current.head
            if is_passive(parent) and current.dep_ == "xcomp":
                # "X was asked to leave": the passive subject of the parent acts.
                passive = children(parent, PASSIVE_SUBJECT_DEPS)
                if passive:
                    return [t for s in passive for t in with_conjuncts(s)]
            current = parent
            continue
        if current.dep_ in {"relcl"}:
            return [current.head]
        if current.dep_ == "acl" and current.tag_ in {"VBD", "VBZ", "VBP"}:
            # a finite verb parsed as a noun modifier ("Doctors from aid groups donated ..."):
            # the noun phrase it hangs in is its subject
            top = current.head
            while top.dep_ in {"pobj", "prep"} and top.head.i != top.i:
                top = top.head
            return [top]
        break
    return []


def agent_objects(verb: Token) -> list[Token]:
    """The ``by``-phrase objects of a passive verb ("signed by Japan" -> Japan)."""
    found = []
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found.extend(with_conjuncts(pobj))
    return found


def ancestors_in_clause(token: Token) -> Iterator[Token]:
    """Walk up heads from ``token`` to the sentence root (excluding the token)."""
    current = token
    while current.head.i != current.i:
        current = current.head
        yield current


# Surface forms the small English model lemmatises wrongly ("hopes" -> "hop").
LEMMA_FIXES = {"hopes": "hope", "hoped": "hope", "hoping": "hope", "staged": "stage"}


def lemma_of(token: Token) -> str:
    """The lower-case lemma, with known lemmatiser slips repaired."""
    return LEMMA_FIXES.get(token.lower_, token.lemma_.lower())
