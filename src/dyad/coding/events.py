"""The rule-based event coder: one parsed document + its actor spans -> ``Event`` records.

Per sentence:
1. find triggers: tokens whose lemma has a pattern (verb or noun), checking the pattern's
   particles and object lemmas against the parse; the most specific pattern wins;
2. find the source (subject, inherited subject, passive by-agent, possessor of a noun) and
   the target (the pattern's slots: direct object, dative, prepositional objects);
3. fill gaps from context (impersonal "it was decided to lend X" takes the other country of
   the document's pair as source; joint subjects give both directions);
4. split coordinated objects that carry their own parties ("70 agreements between companies,
   11 between ministries") into one event each, with their own counts;
5. attach quantities, the event date, the place, negation, modality and attribution;
6. drop weak events (bare "said") when a stronger one exists, and the governing verb of an
   "agreed to build" chain in favour of the governed event.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache
from itertools import permutations

from spacy.attrs import LEMMA
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from dyad.actors.resolve import ActorSpan, document_dyad
from dyad.coding.cameo import cameo_table, plover_of
from dyad.coding.dates import find_dates
from dyad.coding.fallback import (
    ENCODER_OVERRIDE_THRESHOLD,
    ENCODER_THRESHOLD,
    SentenceClassifier,
    classifier_pattern,
    main_verb,
)
from dyad.coding.intent import (
    HALT_HEADS,
    REFUSAL_HEADS,
    halt_code,
    intent_code,
    refusal_code,
    threat_code,
)
from dyad.coding.modality import SPEECH_LEMMAS, attribution_of, is_negated, modality_of
from dyad.coding.patterns import SPEECH_TARGETS, Pattern
from dyad.coding.quantities import find_quantities
from dyad.coding.syntax import (
    PASSIVE_SUBJECT_DEPS,
    SUBJECT_DEPS,
    agent_objects,
    is_passive,
    lemma_of,
    prep_objects,
    verb_subjects,
    with_conjuncts,
)
from dyad.types import Event, Quantity

VERB_POS = {"VERB"}
NOUN_POS = {"NOUN", "PROPN"}
OBJECT_DEPS = {"dobj", "nsubjpass", "conj", "appos", "oprd", "attr"}
# Participles that read as adjectives after "be" ("Israel is opposed to ..."): the subject
# acts, unless a by-agent says otherwise.
STATIVE_PARTICIPLES = {
    "oppose",
    "commit",
    "determine",
    "prepare",
    "concern",
    "worry",
    "involve",
    "engage",
    "dedicate",
    "resolve",
    "interest",
    "disappoint",
    "alarm",
    "satisfy",
    "please",
    "opposed",
}
# Roots whose verb keeps the event when it governs another trigger through an infinitive:
# appeal (02), reject (12), threaten (13), demand (10).
HEAD_WINS_ROOTS = {"02", "10", "12", "13"}
CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "csubj", "parataxis"}


@dataclass(slots=True)
class Trigger:
    """A matched pattern on a token, with the object tokens that satisfied it."""

    token: Token
    pattern: Pattern
    objects: list[Token]


class EventCoder:
    """Codes events in parsed documents with a pattern index (build once per process)."""

    def __init__(
        self,
        index: dict[tuple[str, str], list[Pattern]],
        version: str,
        classifier: SentenceClassifier | None = None,
        threshold: float = ENCODER_THRESHOLD,
        override_threshold: float = ENCODER_OVERRIDE_THRESHOLD,
    ) -> None:
        self.index = index
        # hashes of every case form a trigger lemma takes (proper nouns keep their case), to
        # find the candidate tokens of a document from its lemma array
        self.lemma_ids = {
            get_string_id(form)
            for _, lemma in index
            for form in {lemma, lemma.capitalize(), lemma.title(), lemma.upper()}
        }
        self.version = version
        self.table = cameo_table()
        self.classifier = classifier
        self.threshold = threshold
        self.override_threshold = override_threshold

    # ---- triggers -------------------------------------------------------------------
    def match(self, token: Token) -> Trigger | None:
        """Return the most specific pattern matching ``token``, or None."""
        if token.pos_ in VERB_POS:
            pos = "V"
        elif token.pos_ in NOUN_POS:
            pos = "N"
        else:
            return None
        for pattern in self.index.get((pos, token.lemma_.lower()), ()):
            if not all(_has_particle(token, word) for word in pattern.particles):
                continue
            if not pattern.objects:
                return Trigger(token, pattern, _object_tokens(token, pos))
            found = [o for o in _object_tokens(token, pos) if o.lemma_.lower() in pattern.objects]
            if found:
                return Trigger(token, pattern, found)
        return None

    # ---- documents ------------------------------------------------------------------
    def code(
        self, doc: Doc, doc_id: str, spans: list[ActorSpan], published: date | None
    ) -> list[Event]:
        """Return the events of every sentence of ``doc``."""
        span_of: dict[int, ActorSpan] = {}
        for span in spans:
            for i in range(span.start, span.end):
                span_of[i] = span
        pair = document_dyad(spans)
        events: list[Event] = []
        per_sentence: list[tuple[Span, list[Event]]] = []
        lemma_ids = self.lemma_ids
        candidates = [
            i for i, lemma in enumerate(doc.to_array(LEMMA).tolist()) if lemma in lemma_ids
        ]
        for sent in doc.sents:
            first = bisect_left(candidates, sent.start)
            last = bisect_left(candidates, sent.end, first)
            tokens = [doc[i] for i in candidates[first:last]]
            found = self._code_sentence(sent, tokens, doc_id, span_of, pair, published)
            per_sentence.append((sent, found))
        if self.classifier:
            per_sentence = self._consult_classifier(per_sentence, doc_id, span_of, pair, published)
        for sent, found in per_sentence:
            main = main_event(found, sent)
            events.extend(replace(e, root=True) if e is main else e for e in found)
        return list({event.id: event for event in events}.values())

    def _consult_classifier(self, per_sentence, doc_id, span_of, pair, published):
        """Let the sentence classifier fill sentences the patterns missed (or only saw a
        statement in) and pick the main event where it is confident and disagrees."""
        asked = [
            i
            for i, (sent, _) in enumerate(per_sentence)
            if any(t in span_of for t in range(sent.start, sent.end))
        ]
        if not asked:
            return per_sentence
        # the rule events beyond bare statements, and the type of their main one
        substantive_of = {
            i: [e for e in per_sentence[i][1] if not e.cameo.startswith("01")] for i in asked
        }
        rule_labels = [
            main_event(substantive_of[i]).plover if substantive_of[i] else None for i in asked
        ]
        predictions = self.classifier([per_sentence[i][0] for i in asked], rule_labels)
        out = list(per_sentence)
        for i, rule_label, (label, probability) in zip(
            asked, rule_labels, predictions, strict=True
        ):
            sent, found = per_sentence[i]
            substantive = substantive_of[i]
            if substantive and probability < self.override_threshold:
                continue
            if not substantive and probability < self.threshold:
                continue
            if rule_label == label:
                continue
            if substantive and label == "AGREE":
                # intent is a modality the rules code from the clause (a planned cooperative
                # act is 03, a planned hostile one 13): a rule event keeps its code
                continue
            agreeing = [e for e in substantive if e.plover == label]
            if agreeing:
                # the classifier picks which of the rule events is the main one
                out[i] = (sent, [replace(e, root=True) if e is agreeing[0] else e for e in found])
                continue
            classified = self._classify_one(
                sent, label, probability, doc_id, span_of, pair, published
            )
            if classified:
                keep = substantive  # bare statements give way to the classified event
                out[i] = (sent, [replace(classified[0], root=True), *classified[1:], *keep])
        return out

    def _classify_one(self, sent, label, probability, doc_id, span_of, pair, published):
        pattern = classifier_pattern(label, probability)
        if pattern is None:
            return []
        trigger = Trigger(main_verb(sent, span_of, label), pattern, [])
        return self._events_for(
            trigger, sent, doc_id, span_of, pair, published, lambda: find_quantities(sent)
        )

    def _code_sentence(
        self,
        sent: Span,
        candidates: list[Token],
        doc_id: str,
        span_of: dict[int, ActorSpan],
        pair: tuple[str, ...],
        published: date | None,
    ) -> list[Event]:
        """The events of one sentence; ``candidates``: its tokens whose lemma has patterns."""
        triggers = [t for t in (self.match(token) for token in candidates) if t is not None]
        if not triggers:
            return []
        triggers = _prune_triggers([_as_demand(t) for t in triggers])

        @cache
        def quantities() -> list[Quantity]:
            # Counts inside an actor phrase ("the two leaders") describe actors, not the event.
            return [
                q
                for q in find_quantities(sent)
                if not (q.kind == "count" and _in_actor(q, sent, span_of))
            ]

        events: list[Event] = []
        for trigger in triggers:
            events.extend(
                self._events_for(trigger, sent, doc_id, span_of, pair, published, quantities)
            )
        if any("weak" not in e_pattern_flags(e, triggers) for e in events):
            strong = [e for e in events if "weak" not in e_pattern_flags(e, triggers)]
            events = strong
        return events

    def _events_for(
        self,
        trigger: Trigger,
        sent: Span,
        doc_id: str,
        span_of: dict[int, ActorSpan],
        pair: tuple[str, ...],
        published: date | None,
        quantities: Callable[[], list[Quantity]],
    ) -> list[Event]:
        """The events of one trigger (``quantities``: the sentence's, computed on demand)."""
        token, pattern = trigger.token, trigger.pattern
        sources = _source_spans(token, pattern, span_of)
        targets = _target_spans(trigger, span_of, exclude=sources)
        grouped = []
        for objects, own in _object_groups(trigger, span_of):
            group_sources, group_targets = (own, []) if own else (sources, targets)
            pairs = _directed_pairs(
                group_sources, group_targets, pattern, sent, token, span_of, pair
            )
            grouped.append((objects, pairs))
        if not any(pairs for _, pairs in grouped):
            return []
        modality = modality_of(token)
        negated = is_negated(token)
        attributed = attribution_of(token, lambda t: _code_at(t, span_of))
        place = _place_of(sent, token, span_of)
        text = sent.text
        future = modality != "occurred"
        dates = [
            d
            for d in _sentence_dates(text, published, sent.start_char, future)
            if not _is_boundary_date(text, sent.start_char, d)
        ]
        when, precision = _date_for(token, dates, modality, published)
        events: list[Event] = []
        for number, (objects, pairs) in enumerate(grouped):
            if not pairs:
                continue
            amounts = _quantities_for(objects or [token], token, quantities(), len(grouped) > 1)
            for source, target in pairs:
                events.append(
                    self._event(
                        doc_id,
                        sent,
                        token,
                        pattern,
                        source,
                        target,
                        amounts,
                        when,
                        precision,
                        place,
                        negated,
                        modality,
                        attributed,
                        number,
                    )
                )
        return events

    def _event(
        self,
        doc_id,
        sent,
        token,
        pattern,
        source,
        target,
        amounts,
        when,
        precision,
        place,
        negated,
        modality,
        attributed,
        number,
    ) -> Event:
        code = recode(pattern.code, token, modality, negated)
        if code != pattern.code and (code.startswith("12") or code.startswith("16")):
            negated = False  # "refused to meet" happened: it is a rejection, not a non-meeting
        row = self.table.get(code)
        key = f"{doc_id}:{token.idx}:{code}:{source}:{target}:{number}"
        return Event(
            id=hashlib.sha256(key.encode()).hexdigest()[:16],
            doc_id=doc_id,
            sentence_start=sent.start_char,
            sentence_end=sent.end_char,
            trigger_start=token.idx,
            trigger_end=token.idx + len(token.text),
            trigger=token.text,
            source=(source,) if source else (),
            target=(target,) if target else (),
            cameo=code,
            plover=plover_of(code),
            mode=row.mode if row else "",
            context=row.context if row else "",
            goldstein=row.goldstein if row else 0.0,
            quad_class=row.quad_class if row else 0,
            date=when,
            date_precision=precision,
            place=place,
            quantities=tuple(amounts),
            negated=negated,
            modality=modality,
            attributed_to=attributed,
            pattern=pattern.where,
            coder_version=self.version,
        )


def _governor(token: Token) -> Token | None:
    """The verb governing a trigger: its head for an infinitive ("refused to meet") or for a
    noun object ("suspended military aid")."""
    if token.dep_ == "xcomp" or (token.dep_ in {"dobj", "nsubjpass"} and token.pos_ in NOUN_POS):
        return token.head
    return None


def _has_unless(token: Token) -> bool:
    for t in [token, *token.ancestors][:4]:
        for child in t.children:
            if child.dep_ == "advcl" and any(
                g.dep_ == "mark" and g.lower_ in {"unless"} for g in child.children
            ):
                return True
    return False


def recode(code: str, token: Token, modality: str, negated: bool) -> str:
    """Recode an action by its clause: refusal, halt, threat or intent (see dyad.coding.intent)."""
    governor = _governor(token)
    head = lemma_of(governor) if governor is not None else ""
    if head in REFUSAL_HEADS:
        return refusal_code(code)
    if head in HALT_HEADS and code[:2] in {"03", "04", "05", "06", "07"}:
        return halt_code(code)
    if negated:
        return code
    unless = _has_unless(token)
    if modality == "planned" or unless:
        threatened = threat_code(code, conditional=unless)
        if threatened != code:
            return threatened
    if modality == "planned":
        return intent_code(code)
    return code


# Dependencies that hang a clause under another as background: adverbial clauses ("after a jet
# shot down a helicopter"), relative clauses and clausal modifiers of nouns ("peacekeepers who
# oversee a ceasefire"). Reported speech (ccomp) is not background: it is what was said.
BACKGROUND_DEPS = frozenset({"advcl", "relcl", "acl"})


def clause_depth(token: Token) -> int:
    """How many background clauses ``token`` sits in, counted up to its sentence's root."""
    depth = 0
    while token.head.i != token.i:
        depth += token.dep_ in BACKGROUND_DEPS
        token = token.head
    return depth


@lru_cache(maxsize=64)
def _sentence_dates(text: str, published, offset: int, future: bool) -> tuple:
    """The dates of one sentence: every trigger of a sentence asks for them."""
    return tuple(find_dates(text, published, offset=offset, future=future))


def main_event(events, sent: Span | None = None) -> Event | None:
    """The main event of a sentence (GDELT's root event): one marked ``root`` first, then
    statements (01) last, then (given the parsed ``sent``) events of the main clause before
    those in background clauses, events with both actors before those with one, then text
    order."""
    depth: dict[int, int] = {}
    if sent is not None and len(events) > 1:
        starts = {e.trigger_start for e in events}
        depth = {t.idx: clause_depth(t) for t in sent if t.idx in starts}
    ranked = sorted(
        events,
        key=lambda e: (
            not e.root,
            e.cameo.startswith("01"),
            depth.get(e.trigger_start, 0),
            not (e.source and e.target),
            e.trigger_start,
        ),
    )
    return ranked[0] if ranked else None


def e_pattern_flags(event: Event, triggers: list[Trigger]) -> frozenset[str]:
    """The flags of the pattern that produced ``event``."""
    for trigger in triggers:
        if trigger.pattern.where == event.pattern:
            return trigger.pattern.flags
    return frozenset()


# ---- matching helpers -------------------------------------------------------------------
def _has_particle(token: Token, word: str) -> bool:
    return any(c.dep_ in {"prt", "prep", "advmod"} and c.lower_ == word for c in token.children)


def _object_tokens(token: Token, pos: str) -> list[Token]:
    """Candidate object heads: direct objects (passive subjects) and their coordinated nouns."""
    if pos == "N":
        found = [c for c in token.children if c.dep_ in {"compound", "amod"}]
        for word in ("of", "on", "against", "for"):
            found.extend(prep_objects(token, word))
        return found
    roots = [c for c in token.children if c.dep_ in {"dobj", "oprd"}]
    if is_passive(token):
        roots += [c for c in token.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
        if token.dep_ == "acl":
            roots.append(token.head)
    found: list[Token] = []
    for root in roots:
        for sub in _phrase_tokens(root):
            if sub.i == root.i or (sub.dep_ in OBJECT_DEPS and sub.pos_ in NOUN_POS):
                found.append(sub)
            elif sub.dep_ == "compound" and sub.head.i == root.i:
                # "shell bombs", "food aid": the modifier names the object's kind
                found.append(sub)
            elif sub.dep_ == "pobj" and sub.head.lower_ == "of" and sub.head.head.i == root.i:
                # "25,000 tons of food aid", "a package of sanctions"
                found.append(sub)
    return found


def _phrase_tokens(root: Token) -> list[Token]:
    """Tokens of ``root``'s noun phrase, not descending into clauses ("which presupposes")."""
    out, stack = [], [root]
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(c for c in token.children if c.dep_ not in CLAUSE_DEPS)
    return sorted(out, key=lambda t: t.i)


def _objects_of(trigger: Trigger) -> set[int]:
    """Token indices of a verb trigger's objects (matched objects, dobj, passive subject)."""
    found = {o.i for o in trigger.objects}
    found |= {c.i for c in trigger.token.children if c.dep_ in {"dobj", "nsubjpass"}}
    return found


# Reported obligations: "X said Y must leave" is X demanding of Y (CAMEO 100), "X said Y should
# talk" an appeal to Y (020); the speaker is the source and the reported clause's subject
# the target. Unlike a bare statement, the demand stays beside the event of its clause.
OBLIGATION_CODES = {"must": "100", "should": "020", "ought": "020"}


def _as_demand(trigger: Trigger) -> Trigger:
    """A statement trigger on a speech verb whose reported clause says what another must or
    should do becomes a demand or appeal; any other trigger is returned as it is."""
    token, pattern = trigger.token, trigger.pattern
    if not pattern.code.startswith("01"):
        return trigger
    if lemma_of(token) not in SPEECH_LEMMAS and "speech" not in pattern.flags:
        return trigger
    for clause in _reported_clauses(token):
        if clause.pos_ not in {"VERB", "AUX"}:
            continue
        for aux in clause.children:
            code = OBLIGATION_CODES.get(aux.lower_) if aux.dep_ == "aux" else None
            if code:
                demand = replace(
                    pattern,
                    code=code,
                    targets=SPEECH_TARGETS,
                    flags=pattern.flags - {"weak", "speech"},
                    where=f"{pattern.where}+obligation:{aux.lower_}",
                )
                return Trigger(token, demand, trigger.objects)
    return trigger


# Verbs whose object is kept from happening: "to forestall more violence" reports no violence
PREVENTING_LEMMAS = {"prevent", "forestall", "avert", "avoid", "preempt", "pre-empt"}


def _prevented(noun: Token) -> bool:
    """True for an event noun that is the object of a verb of prevention."""
    head = noun.head
    return noun.dep_ == "dobj" and head.pos_ in VERB_POS and lemma_of(head) in PREVENTING_LEMMAS


def _reported_clauses(token: Token) -> list[Token]:
    """The clauses a speech verb reports: its complement ("said that Iraq must ...") or the
    that-clause of its object ("issued a reminder to Iraq that it must ...")."""
    found = [c for c in token.children if c.dep_ == "ccomp"]
    for obj in token.children:
        if obj.dep_ == "dobj":
            found.extend(
                c
                for c in obj.children
                if c.dep_ in {"acl", "ccomp"}
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            )
    return found


def _prune_triggers(triggers: list[Trigger]) -> list[Trigger]:
    """Drop noun triggers that are objects of verb triggers (a bare statement verb covers only
    a statement noun: in "announced a suspension of flights" the suspension is the event),
    and governors of xcomp triggers."""
    verbs = [t for t in triggers if t.pattern.pos == "V"]
    covering = [t for t in verbs if not t.pattern.code.startswith("01")]
    covered = {i for t in covering for i in _objects_of(t)}
    # nouns that are the argument of a verb trigger's preposition: "conceded to demands"
    covered |= {
        p.i
        for t in covering
        for prep in t.token.children
        if prep.dep_ in {"prep", "dative"}
        for p in prep.children
        if p.dep_ == "pobj"
    }
    # a statement verb still covers a statement noun ("issued a statement": one statement)
    stated = {i for t in verbs if t.pattern.code.startswith("01") for i in _objects_of(t)}
    kept = [
        t
        for t in triggers
        if not (
            t.pattern.pos == "N"
            and (
                t.token.i in covered
                or (t.token.i in stated and t.pattern.code.startswith("01"))
                or _prevented(t.token)
            )
        )
    ]
    # events in a clause that modifies another trigger's object ("shortened the curfew
    # imposed in 1989") describe that object, not what this sentence reports
    kept = [
        t
        for t in kept
        if not (
            t.token.dep_ in {"acl", "relcl"}
            and any(
                t.token.head.i in _objects_of(other)
                for other in kept
                if other is not t and other.pattern.pos == "V"
            )
        )
    ]
    governed_heads: set[int] = set()
    governed: set[int] = set()
    by_token = {t.token.i: t for t in kept}
    for trig in kept:
        tok = trig.token
        if tok.dep_ not in {"xcomp", "ccomp"} or tok.head.i not in by_token:
            continue
        head_pattern = by_token[tok.head.i].pattern
        if tok.dep_ == "xcomp" and head_pattern.code[:2] in HEAD_WINS_ROOTS:
            # "urged Russia to withdraw", "refused to meet", "threatened to strike": the
            # request, refusal or threat is the event; what is asked for is its content.
            governed.add(tok.i)
        elif tok.dep_ == "xcomp" or "speech" in head_pattern.flags:
            governed_heads.add(tok.head.i)
    kept = [t for t in kept if t.token.i not in governed]
    return [t for t in kept if t.token.i not in governed_heads] or kept


# ---- actors of a token ------------------------------------------------------------------
def _spans_under(
    token: Token, span_of: dict[int, ActorSpan], places: bool = True
) -> list[ActorSpan]:
    """Actor spans naming ``token``'s phrase: the token itself, else the shallowest below.

    places (bool): whether place names count ("inhabitants of the Syrian Golan Heights" names
    an actor through "Syrian", not through the place).
    """
    if token.i in span_of and (places or not span_of[token.i].is_place):
        return [span_of[token.i]]
    frontier = [token]
    for _ in range(4):
        nxt = []
        for tok in frontier:
            for child in tok.children:
                if child.dep_ in {"relcl", "acl", "advcl", "ccomp", "punct", "cc"}:
                    continue
                nxt.append(child)
        found = list(
            dict.fromkeys(
                span_of[t.i]
                for t in nxt
                if t.i in span_of and (places or not span_of[t.i].is_place)
            )
        )
        if found:
            return found
        frontier = nxt
    return []


def _spans_of_tokens(tokens: list[Token], span_of, places: bool = True) -> list[ActorSpan]:
    out: list[ActorSpan] = []
    for tok in tokens:
        for span in _spans_under(tok, span_of, places):
            if span not in out:
                out.append(span)
    return out


def _code_at(token: Token, span_of) -> str | None:
    span = span_of.get(token.i)
    return span.codes[0] if span and span.codes else None


def _source_spans(token: Token, pattern: Pattern, span_of) -> list[ActorSpan]:
    if pattern.pos == "V":
        adjectival = token.lemma_.lower() in STATIVE_PARTICIPLES and not agent_objects(token)
        if is_passive(token) and "passive_source" not in pattern.flags and not adjectival:
            tokens = agent_objects(token)
        else:
            tokens = verb_subjects(token)
            if not tokens and is_passive(token):
                # "Israel is opposed to ...", or a passive read as active: its subject acts
                tokens = [
                    t
                    for c in token.children
                    if c.dep_ in PASSIVE_SUBJECT_DEPS
                    for t in with_conjuncts(c)
                ]
        return _spans_of_tokens(tokens, span_of, places=False)
    tokens = (
        [c for c in token.children if c.dep_ == "poss"] if "poss" not in pattern.targets else []
    )
    tokens += [c for c in token.children if c.dep_ in {"compound", "amod"} and c.i in span_of]
    tokens += prep_objects(token, "by")
    if not tokens and token.dep_ in {"dobj", "attr", "nsubjpass"} and token.head.pos_ in VERB_POS:
        tokens = verb_subjects(token.head)
    found = [s for s in _spans_of_tokens(tokens, span_of) if not s.is_place]
    if not found:
        # "the visit of Putin to Japan": "of" names the source when another slot names the target
        ofs = prep_objects(token, "of")
        others = [w for w in ("to", "with", "against", "on") if prep_objects(token, w)]
        if ofs and others:
            found = [s for s in _spans_of_tokens(ofs, span_of) if not s.is_place]
    return found


def _slot_tokens(trigger: Trigger, slot: str) -> list[Token]:
    token = trigger.token
    if slot == "dobj":
        if trigger.pattern.pos != "V":
            return []
        if is_passive(token):
            return [
                t
                for c in token.children
                if c.dep_ in PASSIVE_SUBJECT_DEPS
                for t in with_conjuncts(c)
            ]
        return [t for c in token.children if c.dep_ == "dobj" for t in with_conjuncts(c)]
    if slot == "dative":
        found = []
        for child in token.children:
            if child.dep_ != "dative":
                continue
            if child.pos_ == "ADP":  # "offered condolences to Morocco": the "to" is the dative
                found.extend(
                    t for p in child.children if p.dep_ == "pobj" for t in with_conjuncts(p)
                )
            else:
                found.extend(with_conjuncts(child))
        return found
    if slot == "poss":
        return [c for c in token.children if c.dep_ == "poss"]
    if slot == "content":
        # reported speech: who the content is about ("said Iraq must comply": Iraq)
        found = []
        for clause in (c for c in token.children if c.dep_ == "ccomp"):
            found += [
                t for c in clause.children if c.dep_ in SUBJECT_DEPS for t in with_conjuncts(c)
            ]
            found += [t for c in clause.children if c.dep_ == "dobj" for t in with_conjuncts(c)]
            for word in ("to", "with", "against", "on"):
                found += prep_objects(clause, word)
        return found
    word = slot.partition(":")[2]
    found = prep_objects(token, word)
    for obj in trigger.objects:
        if obj.i != token.i:
            found.extend(prep_objects(obj, word))
    if trigger.pattern.pos == "V":
        for child in token.children:
            if child.dep_ == "dobj":
                found.extend(prep_objects(child, word))
    return found


def _target_spans(trigger: Trigger, span_of, exclude: list[ActorSpan]) -> list[ActorSpan]:
    for slot in trigger.pattern.targets:
        spans = [
            s for s in _spans_of_tokens(_slot_tokens(trigger, slot), span_of) if s not in exclude
        ]
        if spans:
            return spans
    return []


def _object_groups(trigger: Trigger, span_of) -> list[tuple[list[Token], list[ActorSpan]]]:
    """Split coordinated objects that name their own parties into separate groups."""
    if trigger.pattern.pos != "V" or not trigger.pattern.objects or len(trigger.objects) < 2:
        return [(trigger.objects, [])]
    groups = []
    for obj in trigger.objects:
        own_tokens = prep_objects(obj, "between") + prep_objects(obj, "among")
        own_tokens += [c for c in obj.children if c.dep_ in {"amod", "compound"} and c.i in span_of]
        groups.append(([obj], _spans_of_tokens(own_tokens, span_of)))
    if not any(own for _, own in groups):
        return [(trigger.objects, [])]
    return groups


def _codes(spans: list[ActorSpan]) -> list[str]:
    return list(dict.fromkeys(code for span in spans for code in span.codes))


def _directed_pairs(
    sources, targets, pattern, sent, token, span_of, pair
) -> list[tuple[str | None, str | None]]:
    """Turn source and target spans into (source, target) code pairs, filling gaps from context."""
    source_codes, target_codes = _codes(sources), _codes(targets)
    if not source_codes and len({c[:3] for c in target_codes}) >= 2:
        # "a dialogue between the ministries of the two states": mutual, both directions
        return list(permutations(target_codes, 2))
    domestic = False
    if not source_codes and target_codes:
        countries = {c[:3] for c in target_codes}
        others = [c for c in pair if c not in countries]
        if len(pair) == 2 and len(others) == 1:
            source_codes = others
        else:
            # Unattributed ("a roadside bomb near Samarra killed a U.S. soldier"): code the
            # country where it happened, else the target's own country, as PLOVER does.
            places = [span_of[t.i] for t in sent if t.i in span_of and span_of[t.i].is_place]
            fallback = [c for p in places for c in p.countries] or [c[:3] for c in target_codes]
            source_codes = fallback[:1]
            domestic = True
    if source_codes and target_codes and set(target_codes) <= set(source_codes):
        # the only target found is the source itself (a parse or coreference artefact):
        # look for the target as when none was found
        target_codes = []
    if source_codes and not target_codes:
        if len({c[:3] for c in source_codes}) >= 2:
            return list(permutations(source_codes, 2))
        # the subject of a governing verb ("Russia claimed that ...") speaks; it is no target
        speakers = {c.i for a in token.ancestors for c in a.children if c.dep_ == "nsubj"}
        own = set(source_codes)
        others = [
            span_of[t.i]
            for t in sent
            if t.i in span_of
            and span_of[t.i] not in sources
            and t.i not in speakers
            and not set(span_of[t.i].codes) <= own
        ]
        after = [s for s in others if s.start > token.i]
        # before the trigger, a clause subject ("If Russia attacks Ukraine, the US will
        # impose sanctions") is likelier the target than an object
        before = sorted(
            (s for s in others if s.end <= token.i),
            key=lambda s: (not _is_subject(sent.doc, s), -s.start),
        )
        nearest = after[:1] or before[:1]
        if nearest:
            target_codes = [c for c in _codes(nearest) if c not in source_codes]
        if not target_codes:
            speaking = {c[:3] for i in speakers if i in span_of for c in span_of[i].codes}
            countries = {c[:3] for c in source_codes} | speaking
            others = [c for c in pair if c not in countries]
            if len(pair) == 2 and len(others) == 1:
                target_codes = others
    if not source_codes and not target_codes:
        return []
    if not target_codes:
        return [(s, None) for s in source_codes]
    if not source_codes:
        return [(None, t) for t in target_codes]
    return [(s, t) for s in source_codes for t in target_codes if s != t or domestic]


def _is_subject(doc: Doc, span: ActorSpan) -> bool:
    return doc[span.start : span.end].root.dep_ in {"nsubj", "nsubjpass"}


def _quantities_for(
    objects: list[Token], token: Token, quantities: list[Quantity], split: bool
) -> list[Quantity]:
    """Quantities inside the trigger's or its objects' phrases (not in relative clauses)."""
    if not quantities:
        return []
    starts: set[int] = set()
    for obj in objects:
        phrase = _phrase_tokens(obj)
        if split:
            # "11 agreements between ..., one intergovernmental agreement": only the left part
            phrase = [t for t in phrase if t.i <= obj.i]
        starts.update(t.idx for t in phrase)
    if not split:
        starts.update(t.idx for t in _phrase_tokens(token))
    return [q for q in quantities if q.start in starts]


BOUNDARY_WORDS = ("since", "until", "till", "before", "after", "from", "ago")


def _is_boundary_date(text: str, base: int, mention) -> bool:
    """True for dates that bound a period ("the first since 2013"), not the event's own date
    (``text``: the sentence, starting at character ``base`` of the document)."""
    before = text[max(0, mention.start - base - 12) : mention.start - base].lower().split()
    return bool(before) and before[-1] in BOUNDARY_WORDS


def _in_actor(quantity: Quantity, sent: Span, span_of) -> bool:
    """True for "the two countries/leaders/sides": a count of the pair itself."""
    if quantity.value != 2:
        return False
    return any(
        quantity.start <= token.idx < quantity.end
        and token.i in span_of
        and span_of[token.i].kind == "dyad"
        for token in sent
    )


def _date_for(
    token: Token, dates, modality: str, published: date | None
) -> tuple[str | None, str | None]:
    if dates:
        nearest = min(dates, key=lambda d: abs(d.start - token.idx))
        return nearest.value, nearest.precision
    if modality == "occurred" and published is not None:
        return published.isoformat(), "day"
    return None, None


def _place_of(sent: Span, token: Token, span_of) -> str | None:
    places = [
        span_of[i] for i in range(sent.start, sent.end) if i in span_of and span_of[i].is_place
    ]
    if not places:
        return None
    inside = [p for p in places if token.left_edge.i <= p.start <= token.right_edge.i]
    chosen = (inside or places)[0]
    return sent.doc[chosen.start : chosen.end].text
