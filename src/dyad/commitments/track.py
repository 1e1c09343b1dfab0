"""Track commitments through later documents: evidence, statuses, status as of a date.

Statuses: ``announced -> agreed -> in_progress -> fulfilled | partially_fulfilled``, with exits
``stalled`` (deadline passed without progress, or explicit "nothing has been decided"),
``suspended`` and ``abandoned``. Evidence is any later sentence that names one of the
commitment's parties (or its places) and is about the same thing; what it implies comes from
the events coded in it and from cue phrases. Statuses are computed from all evidence in date
order, never from ingestion order.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from dyad.commitments.merge import Commitment, similarity
from dyad.commitments.text import keywords, named_things, sectors

EVIDENCE_THRESHOLD = 0.3
# Ordered: the first matching cue decides what a sentence implies.
CUES: tuple[tuple[str, re.Pattern], ...] = (
    (
        "abandoned",
        re.compile(
            r"\b(withdr[ae]w from|pulled out of|abandon(?:ed|s)?|scrapped|cancel+ed|terminated|"
            r"renounced|walked away from|ended (?:the|its|their) (?:visa|dialogue|talks|framework|"
            r"agreement|project|visits))",
            re.I,
        ),
    ),
    (
        "suspended",
        re.compile(
            r"\b(suspend(?:ed|s)?|halt(?:ed|s)?|froze|frozen|put on hold|paused|broke off|"
            r"did not intend to continue)",
            re.I,
        ),
    ),
    (
        "stalled",
        re.compile(
            r"\b(stall(?:ed|s)?|stuck|no progress|little progress|nothing (?:has been|was) decided|"
            r"pilot stage|deadlock(?:ed)?|bogged down|has not met|have not met|not met since|"
            r"failed to|postponed|delayed|no legal framework|remain(?:s|ed)? unresolved)",
            re.I,
        ),
    ),
    (
        "fulfilled",
        re.compile(
            r"\b(opened|inaugurated|completed|(?:began|begun|started) (?:production|producing)|"
            r"went into operation|first cargo|first shipment|"
            r"shipped (?:its|the) first|took place|was held|were held|attended|came into force|"
            r"entered into force|disbursed|delivered)\b",
            re.I,
        ),
    ),
    (
        "in_progress",
        re.compile(
            r"\b(began|started|launched|under construction|pilot projects?|pilot tours?|first "
            r"(?:round|stage|phase)|survey mission|feasibility|working group|preparations?|"
            r"agreed on (?:five|several|the) areas)",
            re.I,
        ),
    ),
)
_AGREED = re.compile(r"\b(agreed|decided|signed|concluded|reached an agreement)\b", re.I)
STATUS_ORDER = (
    "announced",
    "agreed",
    "in_progress",
    "partially_fulfilled",
    "fulfilled",
    "stalled",
    "suspended",
    "abandoned",
)
TERMINAL = {"fulfilled", "abandoned"}


@dataclass(frozen=True, slots=True)
class Evidence:
    """A later sentence bearing on a commitment, what it implies, and why."""

    id: str
    commitment_id: str
    doc_id: str
    start: int
    end: int
    date: date | None
    implies: str
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class SentenceUnit:
    """A stored sentence with the countries and events found in it."""

    doc_id: str
    start: int
    end: int
    text: str
    date: date | None
    countries: frozenset[str]
    events: tuple[dict, ...]
    actor_words: frozenset[str]


_TRIAL = re.compile(r"\b(pilot|trial|first stage|first phase|experimental)\b", re.I)


def implied_status(
    unit: SentenceUnit, terms: set[str] = frozenset(), action: str = ""
) -> tuple[str, str] | None:
    """What a sentence implies for a commitment it is about, with the cue that says so.

    When several cues occur ("suspended the peace talks and pulled out of the joint projects"),
    the one nearest to a word of the commitment wins. A pilot or trial is progress, not
    fulfilment. For a commitment to meet, talk or visit (CAMEO 036, 04x), a meeting or visit
    that took place fulfils it; for other commitments it is progress.
    """
    found = _cue_status(unit, terms)
    if found and found[0] == "fulfilled" and _TRIAL.search(unit.text):
        return "in_progress", found[1] + " (a pilot or first stage)"
    if found:
        return found
    meets = action.startswith("036") or action.startswith("04")
    for event in unit.events:
        cameo = event["cameo"]
        occurred = event.get("modality") == "occurred" and not event.get("negated")
        if meets and occurred and cameo[:2] == "04":
            return "fulfilled", f"meeting or visit took place: event {cameo} ({event['trigger']})"
    return _event_status(unit)


def _cue_status(unit: SentenceUnit, terms: set[str]) -> tuple[str, str] | None:
    lowered = unit.text.lower()
    anchors = [at for term in terms for at in _positions(lowered, term)]
    best = None
    for rank, (status, pattern) in enumerate(CUES):
        for match in pattern.finditer(unit.text):
            distance = min((abs(match.start() - a) for a in anchors), default=0)
            if best is None or (distance, rank) < best[0]:
                best = ((distance, rank), status, match.group(0))
    if best is not None:
        return best[1], f'"{best[2]}"'
    return None


def _positions(text: str, term: str) -> list[int]:
    """Start of every non-overlapping occurrence of ``term`` in ``text`` (as ``re.finditer``
    finds a literal: an empty term occurs at every position)."""
    if not term:
        return list(range(len(text) + 1))
    found, at = [], text.find(term)
    while at >= 0:
        found.append(at)
        at = text.find(term, at + len(term))
    return found


def _event_status(unit: SentenceUnit) -> tuple[str, str] | None:
    for event in unit.events:
        cameo = event["cameo"]
        if event.get("negated"):
            return "stalled", f"negated event {cameo} ({event['trigger']})"
        if cameo.startswith("16"):
            return "suspended", f"event {cameo} ({event['trigger']})"
        if event.get("modality") == "occurred" and cameo[:2] in {"04", "06", "07"}:
            return "in_progress", f"event {cameo} ({event['trigger']}) occurred"
        if cameo == "057" or (cameo.startswith("03") and _AGREED.search(unit.text)):
            return "agreed", f"agreed again: event {cameo} ({event['trigger']})"
    return None


class UnitWords:
    """The keywords and terms (names, sectors) of each sentence, computed once per sentence
    however many commitments are checked against it."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, int], tuple[frozenset[str], set[str]]] = {}

    def of(self, unit: SentenceUnit) -> tuple[frozenset[str], set[str]]:
        """(keywords, terms) of ``unit``."""
        key = (unit.doc_id, unit.start)
        if key not in self.cache:
            words = frozenset(keywords(unit.text))
            terms = {n.lower() for n in named_things(unit.text, set(unit.actor_words))}
            self.cache[key] = (words, terms | set(sectors(set(words))))
        return self.cache[key]


def find_evidence(
    commitment: Commitment, units: list[SentenceUnit], unit_words: UnitWords | None = None
) -> list[Evidence]:
    """Evidence for one commitment among sentences of documents later than its first mention."""
    first = commitment.first
    places = {p.lower() for m in commitment.mentions for p in m.places}
    parties = set(commitment.parties)
    # the commitment's properties are computed from its mentions: once, not per sentence
    commitment_terms, commitment_words = commitment.terms, commitment.words
    anchor_terms = commitment_terms | set(first.words)
    unit_words = unit_words or UnitWords()
    out = []
    for unit in units:
        if unit.doc_id == first.doc_id:
            continue
        if first.date and unit.date and unit.date <= first.date:
            continue
        if not (parties & unit.countries) and not places:
            continue  # about someone else, and no place to recognise it by
        words, terms = unit_words.of(unit)
        about_parties = bool(parties & unit.countries) or bool(places & terms)
        if not about_parties:
            continue
        score = similarity(commitment_terms, commitment_words, terms, words)
        if score < EVIDENCE_THRESHOLD:
            continue
        implied = implied_status(unit, anchor_terms, first.cameo)
        if implied is None:
            continue
        status, cue = implied
        shared = sorted(commitment_terms & terms)[:4]
        key = f"{commitment.id}:{unit.doc_id}:{unit.start}"
        out.append(
            Evidence(
                id=hashlib.sha256(key.encode()).hexdigest()[:16],
                commitment_id=commitment.id,
                doc_id=unit.doc_id,
                start=unit.start,
                end=unit.end,
                date=unit.date,
                implies=status,
                score=round(score, 3),
                reason=f"{cue}; about the same thing (shares {', '.join(shared) or 'words'})",
            )
        )
    return out


def _deadline_end(deadline: str | None) -> date | None:
    if not deadline:
        return None
    parts = [int(p) for p in deadline.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        year, month = parts
        return date(year + (month == 12), month % 12 + 1, 1)
    return date(*parts)


def status_as_of(
    initial: str,
    deadline: str | None,
    evidence: list[Evidence],
    reviews: list[dict],
    as_of: date | None,
) -> tuple[str, str, date | None]:
    """The status at ``as_of`` (None: now) with the reason and the date it took effect.

    Evidence applies in date order; fulfilled and abandoned are final. A deadline that passes
    while the commitment is only announced or agreed makes it stalled. Reviews ("override" with
    a new status) win from their date on; rejected evidence is ignored.
    """
    rejected = {
        r["target_id"]
        for r in reviews
        if r["action"] == "reject" and r["target_kind"] == "evidence"
    }
    status, reason, since = initial, "first stated", None
    timeline: list[tuple[date, int, str, str]] = []
    for item in evidence:
        if item.id in rejected or item.date is None:
            continue
        timeline.append((item.date, 0, item.implies, f"{item.reason} [{item.doc_id}]"))
    for review in reviews:
        if review["target_kind"] == "commitment" and review["action"] == "override":
            when = review["at"].date() if hasattr(review["at"], "date") else review["at"]
            timeline.append(
                (
                    when,
                    1,
                    review["new"],
                    f"review by {review['reviewer']}: {review.get('note') or ''}".strip(),
                )
            )
    end = _deadline_end(deadline)
    for when, is_review, new_status, why in sorted(timeline, key=lambda t: (t[0], t[1])):
        if as_of is not None and when > as_of:
            break
        if end and when > end and status in {"announced", "agreed"}:
            status, reason, since = "stalled", f"deadline {deadline} passed without progress", end
        if status in TERMINAL and not is_review:
            continue
        status, reason, since = new_status, why, when
    horizon = as_of or date.today()
    if end and horizon > end and status in {"announced", "agreed"}:
        status, reason, since = "stalled", f"deadline {deadline} passed without progress", end
    return status, reason, since
