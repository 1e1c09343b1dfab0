"""Merge commitment mentions that state the same commitment (across and within documents).

Two mentions are the same commitment when their parties agree (the same countries, or one set
inside the other) and they are about the same thing: shared names and places ("Yamal LNG",
"Vladivostok", "2+2"), shared sector words, and overlapping content words. Each merge keeps a
reason. Mentions are processed in date order, so the result does not depend on the order in
which documents were ingested.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from dyad.commitments.detect import STRENGTHS, CommitmentMention

SAME_DOC_THRESHOLD = 0.75
CROSS_DOC_THRESHOLD = 0.45


def topic_terms(mention: CommitmentMention) -> set[str]:
    """Names, places and sector words of a mention, lower-cased."""
    terms = {n.lower() for n in mention.names} | {p.lower() for p in mention.places}
    return terms | set(mention.sector_words)


def similarity(
    a_terms: set[str], a_words: frozenset[str], b_terms: set[str], b_words: frozenset[str]
) -> float:
    """How much two statements are about the same thing (0..1)."""
    term_score = len(a_terms & b_terms) / max(1, min(len(a_terms), len(b_terms)))
    union = a_words | b_words
    word_score = min(1.0, 2 * len(a_words & b_words) / len(union)) if union else 0.0
    if not a_terms or not b_terms:
        return 0.8 * word_score
    return 0.6 * term_score + 0.4 * word_score


def parties_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same parties, or one party set inside the other."""
    return set(a) <= set(b) or set(b) <= set(a)


@dataclass(slots=True)
class Commitment:
    """A commitment with its mentions; ``id`` comes from the earliest mention, so it is stable."""

    id: str
    mentions: list[CommitmentMention]
    reasons: list[str] = field(default_factory=list)

    @property
    def first(self) -> CommitmentMention:
        """The earliest mention."""
        return self.mentions[0]

    @property
    def parties(self) -> tuple[str, ...]:
        """All parties named by any mention."""
        return tuple(sorted({p for m in self.mentions for p in m.parties}))

    @property
    def strength(self) -> str:
        """The strongest form in which the commitment was stated."""
        return min((m.strength for m in self.mentions), key=STRENGTHS.index)

    @property
    def deadline(self) -> str | None:
        """The first stated deadline or horizon."""
        return next((m.deadline for m in self.mentions if m.deadline), None)

    @property
    def terms(self) -> set[str]:
        """Topic terms of all mentions."""
        return {t for m in self.mentions for t in topic_terms(m)}

    @property
    def words(self) -> frozenset[str]:
        """Content words of all mentions."""
        return frozenset(w for m in self.mentions for w in m.words)


def _order(m: CommitmentMention):
    return (m.date.isoformat() if m.date else "9999", m.doc_id, m.sentence_start, m.event_id)


def merge(mentions: list[CommitmentMention]) -> list[Commitment]:
    """Group mentions into commitments (deterministic for any input order)."""
    commitments: list[Commitment] = []
    for mention in sorted(mentions, key=_order):
        best, best_score = None, 0.0
        for commitment in commitments:
            if not parties_agree(commitment.parties, mention.parties):
                continue
            same_doc = any(m.doc_id == mention.doc_id for m in commitment.mentions)
            if any(
                m.sentence_start == mention.sentence_start and m.doc_id == mention.doc_id
                for m in commitment.mentions
            ):
                score = 1.0  # another event of the same sentence (both directions of a pair)
            else:
                score = similarity(
                    commitment.terms, commitment.words, topic_terms(mention), mention.words
                )
                if score < (SAME_DOC_THRESHOLD if same_doc else CROSS_DOC_THRESHOLD):
                    continue
            if score > best_score:
                best, best_score = commitment, score
        if best is None:
            key = f"{mention.doc_id}:{mention.sentence_start}:{mention.parties}"
            commitments.append(Commitment(hashlib.sha256(key.encode()).hexdigest()[:12], [mention]))
        else:
            shared = sorted(best.terms & topic_terms(mention))[:5]
            best.mentions.append(mention)
            best.reasons.append(
                f"{mention.doc_id}:{mention.sentence_start} matched "
                f"(score {best_score:.2f}; shares {', '.join(shared) or 'words'})"
            )
    return commitments
