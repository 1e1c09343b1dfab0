"""Plain, picklable records passed between pipeline stages.

No spaCy object ever appears here: these records cross process and Ray
boundaries and are what the store writes. Field names follow
DESIGN.md section 4a, and JSON output uses the same names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Document:
    """One ingested text.

    id (str): hash of the normalised text (see ``dyad.readers.normalise``).
    external_id (str | None): the id the source gave it, if any.
    published (date | None): publication date, used to resolve relative dates.
    origin (str): where it came from ("path/to/file.jsonl:12", "<stdin>").
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: date | None = None
    lang: str = "en"
    external_id: str | None = None
    origin: str = ""

    def to_dict(self) -> dict:
        """Return the record as a JSON-ready dict."""
        out = asdict(self)
        out["published"] = self.published.isoformat() if self.published else None
        return out


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a document resolved to an actor code.

    actor (str): CAMEO-style code, country/IGO prefix + agent, e.g. ``JPNGOV``.
    country (str): ISO 3166 alpha-3, or ``IGO`` for international organisations.
    agent (str): agent/sector code (GOV, MIL, BUS, ...) or "" for a bare country.
    how (str): why it resolved so ("name", "demonym", "leader 2012-12-26..2020-09-16",
        "generic+context", "dyad" ...).
    """

    doc_id: str
    start: int
    end: int
    text: str
    actor: str
    country: str
    agent: str = ""
    name: str = ""
    how: str = ""


@dataclass(frozen=True, slots=True)
class Quantity:
    """An amount of money or a count found in text.

    kind (str): ``money`` or ``count``.
    value (float): the number, scaled ("200 million" -> 200000000).
    unit (str): ISO 4217 currency for money, the counted noun's lemma for counts.
    qualifier (str): ``exact``, ``at_least``, ``at_most`` or ``about``.
    start, end (int): character offsets in the text that was scanned.
    """

    kind: str
    value: float
    unit: str
    qualifier: str = "exact"
    start: int = 0
    end: int = 0
    text: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event: who did what to whom, when and where, with its evidence span.

    source, target (tuple[str, ...]): actor codes.
    cameo (str): full CAMEO code ("057"); plover/mode/context from the CAMEO->PLOVER map.
    date (str | None): ISO date of the event, truncated by ``date_precision``
        (day: 2016-05-06, month: 2016-05, year: 2016).
    modality (str): occurred, planned, expected or hypothetical.
    root (bool): the main event of its sentence (GDELT's IsRootEvent).
    """

    id: str
    doc_id: str
    sentence_start: int
    sentence_end: int
    trigger_start: int
    trigger_end: int
    trigger: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    cameo: str
    plover: str = ""
    mode: str = ""
    context: str = ""
    goldstein: float = 0.0
    quad_class: int = 0
    date: str | None = None
    date_precision: str | None = None
    place: str | None = None
    quantities: tuple[Quantity, ...] = ()
    negated: bool = False
    modality: str = "occurred"
    attributed_to: str | None = None
    pattern: str = ""
    coder_version: str = ""
    root: bool = False

    def to_dict(self) -> dict:
        """Return the record as a JSON-ready dict (lists instead of tuples)."""
        out = asdict(self)
        out["source"] = list(self.source)
        out["target"] = list(self.target)
        out["quantities"] = [asdict(q) for q in self.quantities]
        return out


@dataclass(slots=True)
class CodedDocument:
    """What the pipeline produces for one document: the document and its records."""

    document: Document
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
