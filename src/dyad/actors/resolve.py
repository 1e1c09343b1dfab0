"""Find actor mentions in a parsed document and resolve them to codes.

Stage contract: ``Doc`` (+ document date) -> ``list[ActorSpan]`` (token spans with codes).
``ActorSpan`` stays inside the nlp/coding boundary; ``to_mentions`` turns spans into
plain ``Mention`` records for the store.

Resolution order per noun phrase:
1. dictionary names (countries, demonyms, capitals, places, people by date, organisations,
   companies, state bodies, user dictionaries), matched case-sensitively;
2. generic agent nouns ("officials", "troops", "the company"), matched case-insensitively,
   combined with a country in the same phrase ("Japanese officials", "the ministry of
   Russia", "companies of the two states") or else with the nearest country in context;
3. dyad phrases ("the two countries", "both sides") resolve to the pair of countries the
   document is about (the two most mentioned).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from dyad.actors.dictionaries import ActorEntry, Dictionaries, pick_entry
from dyad.types import Mention

# Prepositions after which a capital or city names a place, not the government.
PLACE_PREPOSITIONS = {
    "in",
    "at",
    "near",
    "to",
    "from",
    "into",
    "outside",
    "inside",
    "across",
    "around",
    "via",
}
# Dependency labels by which a modifier attaches a country to an agent noun.
MODIFIER_DEPS = {"amod", "compound", "poss", "nmod", "npadvmod"}
NON_COUNTRY = {"IGO", "NGO"}
MEDIA = "MED"
# States formed by secession: their places belonged to the first state until the date
PART_OF_UNTIL = {
    "SSD": ("SDN", date(2011, 7, 9)),
    "ERI": ("ETH", date(1993, 5, 24)),
    "TLS": ("IDN", date(1999, 10, 25)),
}
# Things an agent adjective only classifies ("military aid" is aid of a military kind)
KIND_NOUNS = frozenset(
    {
        "aid",
        "assistance",
        "help",
        "support",
        "equipment",
        "hardware",
        "supply",
        "intelligence",
        "technology",
        "training",
        "cooperation",
        "tie",
        "relation",
        "program",
        "programme",
        "package",
        "sale",
        "export",
        "import",
        "spending",
        "budget",
        "expenditure",
    }
)
CONTEXT_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class ActorSpan:
    """A token span resolved to one or more actor codes (several for dyad phrases).

    kind (str): the dictionary kind (country, person, generic, dyad, place, capital ...).
    is_place (bool): the span names a location ("in Vladivostok"), not an actor.
    """

    start: int
    end: int
    codes: tuple[str, ...]
    kind: str
    how: str
    name: str = ""
    is_place: bool = False

    @property
    def countries(self) -> tuple[str, ...]:
        """The country parts of the codes."""
        return tuple(dict.fromkeys(code[:3] for code in self.codes))


class ActorResolver:
    """Matches dictionary names and generic agents in spaCy docs (build once per process)."""

    def __init__(self, nlp, dicts: Dictionaries) -> None:
        self.dicts = dicts
        self.names = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.agents = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._keys: dict[int, str] = {}
        for surface in dicts.names:
            key = nlp.vocab.strings.add("N:" + surface)
            self._keys[key] = surface
            self.names.add("N:" + surface, [nlp.make_doc(surface)])
        for surface in dicts.agents:
            key = nlp.vocab.strings.add("A:" + surface)
            self._keys[key] = surface
            self.agents.add("A:" + surface, [nlp.make_doc(surface)])

    def marks(self, doc: Doc) -> list[int]:
        """Indices of the tokens where a name or agent word matches (needs tokens only): the
        sentences worth parsing (``dyad.nlp.selective``)."""
        return [start for _, start, _ in self.names(doc)] + [
            start for _, start, _ in self.agents(doc)
        ]

    def find(self, doc: Doc, when: date | None) -> list[ActorSpan]:
        """Return the resolved actor spans of ``doc`` in text order."""
        raw: list[Span] = []
        for key, start, end in self.names(doc):
            raw.append(Span(doc, start, end, label=key))
        for key, start, end in self.agents(doc):
            raw.append(Span(doc, start, end, label=key))
        spans = sorted(filter_spans(raw), key=lambda s: s.start)
        resolved: list[ActorSpan] = []
        for span in spans:
            surface = self._keys[span.label]
            if span.label_.startswith("N:"):
                if not _opposed(span):
                    resolved.append(self._named(span, surface, when))
            elif not _is_name_part(span) and not _kind_adjective(span, spans):
                agent = self.dicts.agents[surface]
                resolved.append(ActorSpan(span.start, span.end, (), "generic", agent, surface))
        resolved = self._shared_places(doc, resolved, when)
        resolved = _people_of_place(doc, resolved)
        resolved = _merge_phrases(doc, resolved)
        pair = document_dyad(resolved)
        return _fill_context(doc, resolved, pair)

    def _shared_places(
        self, doc: Doc, spans: list[ActorSpan], when: date | None
    ) -> list[ActorSpan]:
        """A place name two states share ("Tripoli": Libya's capital, a city in Lebanon)
        takes the state the rest of the document names most; the first listed otherwise."""
        shared: dict[int, list[ActorEntry]] = {}
        for index, span in enumerate(spans):
            if span.kind in {"place", "capital"}:
                surface = doc[span.start : span.end].text
                entries = [
                    e for e in self.dicts.names.get(surface, ()) if e.kind in {"place", "capital"}
                ]
                if len({e.country for e in entries}) > 1:
                    shared[index] = entries
        if not shared:
            return spans
        counts = Counter(
            country
            for index, span in enumerate(spans)
            if index not in shared and span.kind not in {"generic", "dyad"}
            for country in span.countries
        )
        out = list(spans)
        for index, entries in shared.items():
            span = spans[index]
            best = max(entries, key=lambda e: counts[e.country])  # the first listed on a tie
            if counts[best.country] and best.country != entries[0].country:
                is_place = best.kind == "place" or span.is_place
                code, how = _as_of(
                    best.country if is_place else best.code, f"{best.kind} by context", when
                )
                out[index] = replace(
                    span, codes=(code,), kind=best.kind, how=how, name=best.name, is_place=is_place
                )
        return out

    def _named(self, span: Span, surface: str, when: date | None) -> ActorSpan:
        entries = self.dicts.names[surface]
        entry, how = pick_entry(entries, when)
        if (
            entry.kind == "demonym"
            and span.start > 0
            and span.doc[span.start - 1].lower_ == "ethnic"
        ):
            # "ethnic Albanians in Serbia" are people of the country they live in: a generic
            # civilian agent that takes its country from context
            return ActorSpan(span.start - 1, span.end, (), "generic", "CVL", f"ethnic {surface}")
        is_place = entry.kind == "place" or (entry.kind == "capital" and _after_place_prep(span))
        code = entry.country if is_place else entry.code
        if entry.kind in {"place", "capital"}:
            code, how = _as_of(code, how, when)
        return ActorSpan(span.start, span.end, (code,), entry.kind, how, entry.name, is_place)


def _as_of(code: str, how: str, when: date | None) -> tuple[str, str]:
    """A place of a state that seceded later belongs to the state it was part of at the
    document's date: Juba in a 2005 report is in Sudan."""
    before = PART_OF_UNTIL.get(code[:3])
    if when is None or before is None or when >= before[1]:
        return code, how
    return before[0] + code[3:], f"{how}; part of {before[0]} until {before[1]}"


def _people_of_place(doc: Doc, spans: list[ActorSpan]) -> list[ActorSpan]:
    """A plural demonym "of" another country is that country's people: "the Albanians of
    southern Serbia" are civilians of Serbia (the phrase then merges as "ethnic X" does)."""
    by_token = {i: span for span in spans for i in range(span.start, span.end)}
    out = []
    for span in spans:
        root = doc[span.start : span.end].root
        if span.kind == "demonym" and root.tag_ in {"NNS", "NNPS"}:
            places = [
                by_token.get(p.i)
                for prep in root.children
                if prep.dep_ == "prep" and prep.lower_ == "of"
                for p in prep.children
                if p.dep_ == "pobj"
            ]
            others = [
                p
                for p in places
                if p is not None
                and p.kind in {"country", "place", "capital"}
                and set(p.countries).isdisjoint(span.countries)
            ]
            if others:
                surface = doc[span.start : span.end].text
                span = ActorSpan(span.start, span.end, (), "generic", "CVL", surface)
        out.append(span)
    return out


def _kind_adjective(span: Span, spans: list[Span]) -> bool:
    """True for an agent adjective that says what kind of help or tie something is, not who
    gives or has it: "military aid", "military intelligence", "military ties" (a "rebel
    stronghold" or "military base" still belongs to its agent)."""
    root = span.root
    if root.pos_ != "ADJ" or root.dep_ != "amod" or len(span) != 1:
        return False
    head = root.head
    if head.lemma_.lower() not in KIND_NOUNS:
        return False
    return not any(other.start <= head.i < other.end for other in spans)


def _opposed(span: Span) -> bool:
    """True for a name after "anti-": an "anti-Syria journalist" is not Syria's (nor Syrian)."""
    doc, start = span.doc, span.start
    return start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ == "anti"


def _is_name_part(span: Span) -> bool:
    """True when a generic word is part of a proper name ("Tom King", "Burger King")."""
    root = span.root
    if root.pos_ != "PROPN":
        return False
    before = span.doc[span.start - 1] if span.start > 0 else None
    return bool(
        before is not None
        and before.pos_ == "PROPN"
        and before.dep_ == "compound"
        and before.head.i == root.i
        and before.is_title
    )


def _after_place_prep(span: Span) -> bool:
    head = span.root.head
    return span.root.dep_ == "pobj" and head.lower_ in PLACE_PREPOSITIONS


def _merge_phrases(doc: Doc, spans: list[ActorSpan]) -> list[ActorSpan]:
    """Combine a generic agent with a country/person in the same noun phrase."""
    by_token: dict[int, int] = {}
    for index, span in enumerate(spans):
        for token_index in range(span.start, span.end):
            by_token[token_index] = index
    merged = list(spans)
    dropped: set[int] = set()
    for index, span in enumerate(spans):
        if span.kind != "generic":
            continue
        root = doc[span.start : span.end].root
        # "Foreign Minister Sergei Lavrov": the agent noun is a compound of a named person.
        if root.dep_ in {"compound", "appos"} and root.head.i in by_token:
            other = by_token[root.head.i]
            if spans[other].kind == "person":
                merged[other] = replace(spans[other], start=min(span.start, spans[other].start))
                dropped.add(index)
                continue
        agent = span.how
        if agent.startswith("DYAD"):
            continue
        partners = _country_modifiers(root, by_token, spans)
        if not partners:
            if _names_both_parties(root, span.name):
                # "agreements between the government institutions", "intergovernmental"
                merged[index] = replace(span, how=f"DYAD:{agent}")
            continue
        start = min([span.start] + [spans[p].start for p in partners])
        end = max([span.end] + [spans[p].end for p in partners])
        dropped.update(partners)
        if any(spans[p].how.startswith("DYAD") for p in partners):
            # "companies of the two states": the pair in context, with this agent.
            merged[index] = ActorSpan(start, end, (), "generic", f"DYAD:{agent}", span.name)
            continue
        codes = tuple(
            dict.fromkeys(
                c[:3] + agent for p in partners for c in spans[p].codes if c[:3] not in NON_COUNTRY
            )
        )
        codes = codes or tuple(c for p in partners for c in spans[p].codes)
        names = " and ".join(spans[p].name or "?" for p in partners)
        merged[index] = ActorSpan(start, end, codes, "generic", f"{agent} of {names}", span.name)
    return [span for i, span in enumerate(merged) if i not in dropped]


def _country_modifiers(root, by_token: dict[int, int], spans: list[ActorSpan]) -> list[int]:
    """Country spans attached to an agent noun: modifiers (with their conjuncts: "Japanese and
    Russian leaders"), or objects of "of/from/in" ("the ministry of Russia")."""
    candidates = []
    for child in root.children:
        if child.dep_ in MODIFIER_DEPS:
            candidates.extend([child, *child.conjuncts])
        if child.dep_ == "prep" and child.lower_ in {"of", "from", "in"}:
            candidates.extend(p for p in child.children if p.dep_ == "pobj")
    found: list[int] = []
    for token in candidates:
        if token.i in by_token:
            other = by_token[token.i]
            # places count too: "the rebels in Darfur", "Tokyo police"
            usable = spans[other].kind != "generic" or spans[other].how.startswith("DYAD")
            if usable and other not in found:
                found.append(other)
    return found


def _names_both_parties(root, surface: str) -> bool:
    """True for "between the ministries" and "intergovernmental"/"interstate" modifiers."""
    if surface.lower().startswith(("inter-", "intergovernment", "interstate", "inter-state")):
        return True
    return root.dep_ == "pobj" and root.head.lower_ in {"between", "among"} and root.tag_ == "NNS"


def document_dyad(spans: list[ActorSpan]) -> tuple[str, ...]:
    """The (up to) two countries a document is mostly about, most mentioned first."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for span in spans:
        if span.kind in {"generic", "dyad"} or not span.codes:
            continue
        if all(code[3:6] == MEDIA for code in span.codes):
            # "told AFP", "TASS reported": the outlet relays the news, it is no party to it
            continue
        for country in span.countries:
            if country in NON_COUNTRY:
                continue
            counts[country] += 1
            first_seen.setdefault(country, span.start)
    ranked = sorted(counts, key=lambda c: (-counts[c], first_seen[c]))
    return tuple(ranked[:2])


def _fill_context(doc: Doc, spans: list[ActorSpan], pair: tuple[str, ...]) -> list[ActorSpan]:
    """Give generic agents the nearest preceding country, and dyad phrases the document pair."""
    sentence_of = {}
    for number, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sentence_of[i] = number
    out: list[ActorSpan] = []
    last_country: tuple[str, int] | None = None
    for span in spans:
        if span.kind == "generic" and not span.codes:
            agent = span.how
            if agent.startswith("DYAD"):
                suffix = agent.partition(":")[2]
                codes = tuple(c + suffix for c in pair) or ()
                span = replace(span, codes=codes, kind="dyad", how=f"dyad {'-'.join(pair)}")
            else:
                country = _nearest_country(span, spans, last_country, sentence_of, pair)
                if country:
                    span = replace(
                        span, codes=(country + agent,), how=f"{agent} + context {country}"
                    )
        if span.codes and span.kind != "dyad":
            country = span.codes[0][:3]
            if country not in NON_COUNTRY:
                last_country = (country, span.start)
        if span.codes:
            out.append(span)
    return out


def _nearest_country(span, spans, last_country, sentence_of, pair) -> str | None:
    here = sentence_of.get(span.start, 0)
    if last_country and here - sentence_of.get(last_country[1], 0) <= CONTEXT_SENTENCES:
        return last_country[0]
    for other in spans:
        if (
            other.start > span.start
            and sentence_of.get(other.start) == here
            and other.kind != "generic"
        ):
            countries = [c for c in other.countries if c not in NON_COUNTRY]
            if countries:
                return countries[0]
    return pair[0] if pair else None


def to_mentions(doc: Doc, doc_id: str, spans: list[ActorSpan]) -> list[Mention]:
    """Turn actor spans into plain ``Mention`` records (one per code) with character offsets."""
    mentions = []
    for span in spans:
        chars = doc[span.start : span.end]
        for code in span.codes:
            mentions.append(
                Mention(
                    doc_id=doc_id,
                    start=chars.start_char,
                    end=chars.end_char,
                    text=chars.text,
                    actor=code,
                    country=code[:3],
                    agent=code[3:6],
                    name=span.name,
                    how=("place " if span.is_place else "") + span.how,
                )
            )
    return mentions


__all__ = ["ActorEntry", "ActorResolver", "ActorSpan", "document_dyad", "to_mentions"]
