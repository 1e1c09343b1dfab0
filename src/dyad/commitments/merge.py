"""Merge commitment mentions that state the same commitment (across and within documents).

Two mentions are the same commitment when their parties agree (the same countries, or one set
inside the other) and they are about the same thing: shared names and places ("Yamal LNG",
"Vladivostok", "2+2"), shared sector words, and overlapping content words. Each merge keeps a
reason. Mentions are processed in date order, so the result does not depend on the order in
which documents were ingested.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from dyad.commitments.detect import STRENGTHS, CommitmentMention

SAME_DOC_THRESHOLD = 0.75
CROSS_DOC_THRESHOLD = 0.45


def topic_terms(mention: CommitmentMention) -> set[str]:
    """Names, places and sector words of a mention, lower-cased."""
    terms = {n.lower() for n in mention.names} | {p.lower() for p in mention.places}
    return terms | set(mention.sector_words)


def similarity(
    a_terms: set[str],
    a_words: frozenset[str] | set[str],
    b_terms: set[str],
    b_words: frozenset[str] | set[str],
) -> float:
    """How much two statements are about the same thing (0..1)."""
    term_score = len(a_terms & b_terms) / max(1, min(len(a_terms), len(b_terms)))
    shared = len(a_words & b_words)
    union = len(a_words) + len(b_words) - shared  # the size of a | b, without building it
    word_score = min(1.0, 2 * shared / union) if union else 0.0
    if not a_terms or not b_terms:
        return 0.8 * word_score
    return 0.6 * term_score + 0.4 * word_score


def parties_agree(a: Iterable[str], b: Iterable[str]) -> bool:
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


class _Group:
    """A commitment being merged, with what ``merge`` compares kept up to date as mentions are
    added (the ``Commitment`` properties recompute them from every mention on each call)."""

    def __init__(self, commitment: Commitment) -> None:
        self.commitment = commitment
        self.parties: set[str] = set()
        self.terms: set[str] = set()
        self.words: set[str] = set()
        self.docs: set[str] = set()
        self.sentences: set[tuple[str, int]] = set()
        for mention in commitment.mentions:
            self.add(mention)

    def add(self, mention: CommitmentMention) -> None:
        """Take in one more mention."""
        self.parties.update(mention.parties)
        self.terms |= topic_terms(mention)
        self.words.update(mention.words)
        self.docs.add(mention.doc_id)
        self.sentences.add((mention.doc_id, mention.sentence_start))


def merge(mentions: list[CommitmentMention]) -> list[Commitment]:
    """Group mentions into commitments (deterministic for any input order).

    Each mention joins the most similar earlier commitment whose parties agree with its own
    (the first one on a tie), or starts a new one. Commitments are looked up by party: parties
    agree only when one set holds the other, so a mention with parties is compared only with
    commitments sharing one of them or naming none.
    """
    groups: list[_Group] = []
    by_party: dict[str, set[int]] = {}
    partyless: list[int] = []
    for mention in sorted(mentions, key=_order):
        own = set(mention.parties)
        if own:
            candidates = sorted({i for p in own for i in by_party.get(p, ())}.union(partyless))
        else:
            candidates = range(len(groups))
        mention_terms = topic_terms(mention)
        mention_words = frozenset(mention.words)
        best, best_index, best_score = None, -1, 0.0
        for index in candidates:
            group = groups[index]
            if not parties_agree(group.parties, own):
                continue
            if (mention.doc_id, mention.sentence_start) in group.sentences:
                score = 1.0  # another event of the same sentence (both directions of a pair)
            else:
                score = similarity(group.terms, group.words, mention_terms, mention_words)
                same_doc = mention.doc_id in group.docs
                if score < (SAME_DOC_THRESHOLD if same_doc else CROSS_DOC_THRESHOLD):
                    continue
            if score > best_score:
                best, best_index, best_score = group, index, score
        if best is None:
            key = f"{mention.doc_id}:{mention.sentence_start}:{mention.parties}"
            best = _Group(Commitment(hashlib.sha256(key.encode()).hexdigest()[:12], [mention]))
            groups.append(best)
            index = len(groups) - 1
            if not own:
                partyless.append(index)
        else:
            index = best_index
            shared = sorted(best.terms & mention_terms)[:5]
            if not best.parties and own:
                partyless.remove(index)
            best.commitment.mentions.append(mention)
            best.commitment.reasons.append(
                f"{mention.doc_id}:{mention.sentence_start} matched "
                f"(score {best_score:.2f}; shares {', '.join(shared) or 'words'})"
            )
            best.add(mention)
        for party in own:
            by_party.setdefault(party, set()).add(index)
    return [group.commitment for group in groups]
