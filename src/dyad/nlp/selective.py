"""Selective parsing: run spaCy's costly components only on sentences that can hold an event.

Most sentences of a news story name no actor and so can yield no event. Each document is
tokenised and split into sentences by punctuation (cheap); sentences the caller wants (in
dyad: those where an actor name or agent word matches) are parsed, consecutive ones
together, with the full pipeline; the others get a flat one-sentence structure. The pieces
are joined back into one ``Doc`` whose text is exactly the document's text, so every
character offset is the same as with a full parse. When the join cannot reproduce the text,
the document is parsed whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import (
    DEP,
    HEAD,
    IS_PUNCT,
    LEMMA,
    MORPH,
    NORM,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from dyad.nlp.components import mark_paragraphs

# Token annotation a parsed piece hands back to the whole document.
JOIN_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]

# marks(doc): indices of the tokens that make their sentence worth parsing (actor names)
TokenMarker = Callable[[Doc], Iterable[int]]


@dataclass
class _Plan:
    """One document: its tokens, its pieces (token ranges), which pieces to parse."""

    tokens: Doc
    context: object
    pieces: list[tuple[int, int, bool]]
    to_parse: list[Doc] = field(default_factory=list)
    parsed: list[Doc] = field(default_factory=list)


class SelectiveParser:
    """Parses only the wanted sentences of each text (``exhaustive``: all of them)."""

    def __init__(self, nlp, marks: TokenMarker, exhaustive: bool = False) -> None:
        self.nlp = nlp
        self.marks = marks
        self.exhaustive = exhaustive
        self.sentencizer = PunctuationSplitter(Sentencizer.default_punct_chars)
        self.sentences_seen = 0
        self.sentences_parsed = 0

    def pipe(
        self,
        items: Iterable[tuple[str, object]],
        batch_size: int = 32,
    ) -> Iterator[tuple[Doc, object]]:
        """Yield (Doc, context) for each (text, context), in input order."""
        if self.exhaustive:
            yield from self.nlp.pipe(items, as_tuples=True, batch_size=batch_size)
            return
        plans: list[_Plan] = []

        def units() -> Iterator[tuple[str, tuple[int, bool]]]:
            # every plan sends at least one unit (an empty one when nothing is parsed), so
            # results arrive in document order; the flag marks a plan's last unit
            for text, context in items:
                plan = self._plan(text, context)
                plans.append(plan)
                index = len(plans) - 1
                texts = plan.to_parse or [""]
                for n, unit in enumerate(texts):
                    yield unit, (index, n == len(texts) - 1)

        for parsed, (index, last) in self.nlp.pipe(units(), as_tuples=True, batch_size=batch_size):
            plan = plans[index]
            if plan.to_parse:
                plan.parsed.append(parsed)
            if last:
                yield self._join(plan), plan.context
                plans[index] = None  # type: ignore[call-overload]  # free memory

    def _plan(self, text: str, context: object) -> _Plan:
        tokens = self.nlp.make_doc(text)
        if not len(tokens):
            return _Plan(text, context, [])
        tokens = mark_paragraphs(self.sentencizer(tokens))
        sentences = list(tokens.sents)
        marked = np.zeros(len(tokens) + 1, dtype=bool)
        marked[list(self.marks(tokens))] = True
        wanted_sentence = np.concatenate(([0], np.cumsum(marked)))
        self.sentences_seen += len(sentences)
        # pieces as token ranges: a sentence runs to the start of the next one
        pieces: list[tuple[int, int, bool]] = []
        for sent in sentences:
            wanted = bool(wanted_sentence[sent.end] > wanted_sentence[sent.start])
            self.sentences_parsed += wanted
            if wanted and pieces and pieces[-1][2]:
                pieces[-1] = (pieces[-1][0], sent.end, True)  # parse neighbours together
            else:
                pieces.append((sent.start, sent.end, wanted))
        to_parse = []
        if any(wanted for _, _, wanted in pieces):
            strings = self.nlp.vocab.strings
            rows = tokens.to_array([ORTH, SPACY, NORM])
            for start, end, wanted in pieces:
                if wanted:
                    # a fresh Doc of the piece's words (``Span.as_doc`` would also copy the
                    # whole document's arrays and compute vectors, per piece), with the
                    # norms the tokenizer's exceptions gave ("Pa." -> "pennsylvania")
                    piece = rows[start:end]
                    unit = Doc(
                        self.nlp.vocab,
                        words=[strings[orth] for orth in piece[:, 0].tolist()],
                        spaces=piece[:, 1].astype(bool).tolist(),
                    )
                    # SENT_START 0: the parser decides the boundaries, as on a whole text
                    unit_rows = np.zeros((len(unit), 2), dtype="uint64")
                    unit_rows[:, 1] = piece[:, 2]
                    unit.from_array([SENT_START, NORM], unit_rows)
                    to_parse.append(unit)
        return _Plan(tokens, context, pieces, to_parse)

    def _join(self, plan: _Plan) -> Doc:
        if not plan.pieces:
            return plan.tokens
        # the parsed pieces are slices of plan.tokens, token for token: copy their annotation
        # back as arrays (heads are relative, so they stay right); unparsed pieces become one
        # flat tree each, every token attached to the first
        parsed = iter(plan.parsed)
        columns = []
        for start, end, wanted in plan.pieces:
            if wanted:
                piece = next(parsed)
                if len(piece) != end - start:
                    return self.nlp(plan.tokens.text)
                columns.append(piece.to_array(JOIN_ATTRS))
            else:
                columns.append(self._flat_rows(end - start))
        joined = plan.tokens
        joined.from_array(JOIN_ATTRS, np.concatenate(columns))
        return joined

    def _flat_rows(self, length: int) -> np.ndarray:
        rows = np.zeros((length, len(JOIN_ATTRS)), dtype="uint64")
        rows[:, JOIN_ATTRS.index(HEAD)] = (-np.arange(length)).astype("uint64")
        rows[:, JOIN_ATTRS.index(DEP)] = self.nlp.vocab.strings["dep"]
        rows[0, JOIN_ATTRS.index(DEP)] = self.nlp.vocab.strings["ROOT"]
        return rows


class PunctuationSplitter:
    """spaCy's ``Sentencizer`` rule on token arrays: a sentence ends after a run of
    sentence-final punctuation, at the next token that is not punctuation. Same boundaries as
    the ``Sentencizer`` (tests/test_fast_paths.py compares them), without a Python object per
    token."""

    def __init__(self, punct_chars) -> None:
        self.punct_chars = frozenset(punct_chars)
        self.final: dict[int, bool] = {}  # orth id -> is sentence-final punctuation

    def __call__(self, doc: Doc) -> Doc:
        """Set ``is_sent_start`` on every token of ``doc`` (which has no boundaries yet)."""
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, IS_PUNCT]).tolist()
        starts = np.full(len(rows), -1, dtype="int64")
        start, seen_final = 0, False
        for i, (orth, is_punct) in enumerate(rows):
            final = self.final.get(orth)
            if final is None:
                if len(self.final) >= 100_000:
                    self.final.clear()
                final = self.final[orth] = doc.vocab.strings[orth] in self.punct_chars
            if seen_final and not is_punct and not final:
                starts[start] = 1
                start, seen_final = i, False
            elif final:
                seen_final = True
        starts[0] = starts[start] = 1
        doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
        return doc
