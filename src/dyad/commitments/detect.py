"""Detect commitment statements among coded events.

A commitment is an event that binds or announces future action: a signed agreement (CAMEO
057), an expressed intention (root 03: pledges, plans, offers, decisions to act), or any other
planned or expected cooperative event. Each becomes a ``CommitmentMention``; merging them into
commitments happens in ``merge.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dyad.coding.cameo import cameo_table
from dyad.commitments.text import keywords, named_things, sectors

STRENGTHS = ("binding agreement", "joint decision", "pledge/plan", "expectation/hope")
_DECISION = re.compile(
    r"\b(decided|agreed|agree|decision|consensus|reached an understanding)\b", re.I
)
_EXPECT = re.compile(r"\b(hope[sd]?|expect(?:s|ed)?|likely|may|might|should|would like)\b", re.I)
_BY_YEAR = re.compile(r"\b(?:by|before|until|in)\s+((?:19|20)\d\d)\b")
COOPERATIVE_ROOTS = {"03", "04", "05", "06", "07", "08"}


@dataclass(slots=True)
class CommitmentMention:
    """One statement of a commitment, tied to its event and sentence."""

    event_id: str
    doc_id: str
    sentence_start: int
    sentence_end: int
    sentence: str
    date: date | None
    parties: tuple[str, ...]
    actors: tuple[str, ...]
    cameo: str
    plover: str
    predicate: str
    strength: str
    deadline: str | None
    places: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    amounts: tuple[dict, ...] = ()
    sector_words: tuple[str, ...] = ()
    words: frozenset[str] = field(default_factory=frozenset)
    attributed_to: str | None = None


_PROJECT = re.compile(r"\b(decided|agreed|goal|plans?|projects?|will|intend\w*|pledged?)\b", re.I)


def is_commitment(event: dict, sentence: str = "") -> bool:
    """True for signed agreements, intentions, planned/expected cooperative events, and
    cooperative events presented as decisions, goals or projects ("projects such as building
    an engine plant", "set the goal of a strategic partnership")."""
    cameo = event["cameo"]
    if event.get("negated"):
        return False
    if cameo == "057" or cameo.startswith("03"):
        return True
    if cameo[:2] not in COOPERATIVE_ROOTS:
        return False
    return event.get("modality") in {"planned", "expected"} or bool(_PROJECT.search(sentence))


def strength_of(event: dict, sentence: str) -> str:
    """binding agreement > joint decision > pledge/plan > expectation/hope."""
    if event["cameo"] == "057":
        return STRENGTHS[0]
    if _DECISION.search(sentence) and event.get("modality") != "expected":
        return STRENGTHS[1]
    if event.get("modality") == "expected" or _EXPECT.search(sentence):
        return STRENGTHS[3]
    return STRENGTHS[2]


def deadline_of(event: dict, sentence: str) -> str | None:
    """The horizon of a commitment: the event's date when it is in the future, or "by YEAR"."""
    when = event.get("date")
    published = event.get("published")
    if (
        event.get("modality") != "occurred"
        and when
        and (not published or when > published[: len(when)])
    ):
        return when  # only a date after the statement is a deadline
    match = _BY_YEAR.search(sentence)
    return match.group(1) if match else None


def detect(
    event: dict, sentence: str, published: date | None, actor_words: set[str]
) -> CommitmentMention | None:
    """Return the commitment stated by ``event`` in ``sentence``, or None."""
    if not is_commitment(event, sentence):
        return None
    actors = tuple(dict.fromkeys((event.get("source") or []) + (event.get("target") or [])))
    parties = tuple(sorted({a[:3] for a in actors}))
    if not parties:
        return None
    words = keywords(sentence)
    row = cameo_table().get(event["cameo"])
    label = row.label if row else event["cameo"]
    return CommitmentMention(
        event_id=event["id"],
        doc_id=event["doc_id"],
        sentence_start=event["sentence_start"],
        sentence_end=event["sentence_end"],
        sentence=sentence,
        date=published,
        parties=parties,
        actors=actors,
        cameo=event["cameo"],
        plover=event.get("plover") or "",
        predicate=f"{event['trigger'].lower()}: {label}",
        strength=strength_of(event, sentence),
        deadline=deadline_of(event, sentence),
        places=tuple([event["place"]] if event.get("place") else []),
        names=tuple(named_things(sentence, actor_words)),
        amounts=tuple(q for q in event.get("quantities") or [] if q.get("kind") == "money"),
        sector_words=tuple(sectors(words)),
        words=frozenset(words),
        attributed_to=event.get("attributed_to"),
    )
