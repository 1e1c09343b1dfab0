"""Faster drop-ins for two of spaCy's rule components, with the same output.

spaCy's ``attribute_ruler`` runs a general ``Matcher`` with every pattern over every token,
and its rule ``lemmatizer`` re-derives most lemmas (it caches only some paths). On parsed
news they take about a quarter of dyad's coding time. Both are deterministic functions of a
few token attributes, so dyad evaluates the same rules directly:

- ``TableAttributeRuler``: the ruler's patterns compiled into lookups by tag and by lowercase
  form; matches are applied in the ruler's own order (later rules win), to the token the
  rule's index names. Patterns it cannot compile (operators, regular expressions, other
  attributes) make ``compile_rules`` return None, and spaCy's ruler stays.
- ``MemoLemmatizer``: the lemmatizer's answer cached by (form, part of speech, morphology),
  the key spaCy itself caches by, bounded in size.

``speed_up(nlp)`` swaps them in; ``tests/test_compiled.py`` checks, token by token, that
they leave every attribute as spaCy's components do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# Token attributes a compiled pattern may test, with their column in ``Doc.to_array``.
COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
# Token attributes the ruler may set that ``Doc.from_array`` writes as ``set_token_attrs`` does.
ARRAY_SETTABLE = frozenset({POS, MORPH, LEMMA, TAG})

# Cache entries kept before a cache is emptied (bounded memory on long streams).
MEMO_SIZE = 20_000


@dataclass(frozen=True)
class _Rule:
    """One ruler pattern: its rank (later wins), token tests, target index and attributes."""

    rank: int
    tests: tuple[tuple[tuple[int, str, object], ...], ...]
    index: int
    attrs: dict


def _value_id(strings, attr: str, value) -> int:
    # to_array gives symbol ids for spaCy's built-in labels and hashes for other strings;
    # StringStore.as_int maps a string the same way
    if attr == "IS_SPACE":
        return int(bool(value))
    return strings.as_int(value) if value != "" else 0


def _compile_test(strings, attr: str, spec) -> tuple[int, str, object] | None:
    if attr not in COLUMNS:
        return None
    column = COLUMNS[attr]
    if isinstance(spec, dict):
        if len(spec) != 1:
            return None
        ((op, values),) = spec.items()
        if op == "REGEX" and isinstance(values, str) and attr != "IS_SPACE":
            return column, op, _RegexTest(re.compile(values))
        if op not in ("IN", "NOT_IN") or not isinstance(values, list):
            return None
        return column, op, frozenset(_value_id(strings, attr, v) for v in values)
    if isinstance(spec, (str, bool)):
        return column, "IN", frozenset([_value_id(strings, attr, spec)])
    return None


def compile_rules(ruler) -> list[_Rule] | None:
    """The ruler's patterns as ``_Rule`` records, or None if any is beyond this evaluator."""
    rules = []
    for rank, pattern_set in enumerate(ruler.patterns):
        attrs = ruler.attrs[rank]
        index = pattern_set.get("index", 0)
        for pattern in pattern_set["patterns"]:
            if not isinstance(pattern, list) or not pattern:
                return None
            tests = []
            for token_spec in pattern:
                compiled = [
                    _compile_test(ruler.vocab.strings, attr, spec)
                    for attr, spec in token_spec.items()
                ]
                if None in compiled:
                    return None
                tests.append(tuple(compiled))  # type: ignore[arg-type]
            if not -len(tests) <= index < len(tests):
                return None
            rules.append(_Rule(rank, tuple(tests), index % len(tests), attrs))
    return rules


class _RegexTest:
    """A Matcher ``REGEX`` test (``re.search`` on the attribute's text), memoised by id."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern = pattern
        self.strings = None
        self.seen: dict[int, bool] = {}

    def __contains__(self, value_id: int) -> bool:
        found = self.seen.get(value_id)
        if found is None:
            text = self.strings[value_id] if value_id else ""
            if len(self.seen) >= MEMO_SIZE:
                self.seen.clear()
            found = self.seen[value_id] = self.pattern.search(text) is not None
        return found


def _passes(row: list[int], tests) -> bool:
    return all((row[column] in values) == (op != "NOT_IN") for column, op, values in tests)


class _Buckets:
    """Rules grouped by the tag or lowercase form their first token must have."""

    def __init__(self, rules: list[_Rule]) -> None:
        self.count = len(rules)
        self.by_tag: dict[int, list[_Rule]] = {}
        self.by_lower: dict[int, list[_Rule]] = {}
        self.always: list[_Rule] = []
        for rule in rules:
            first = {column: (op, values) for column, op, values in rule.tests[0]}
            tag, lower = first.get(0), first.get(1)
            if tag and tag[0] == "IN" and isinstance(tag[1], frozenset):
                for value in tag[1]:
                    self.by_tag.setdefault(value, []).append(rule)
            elif lower and lower[0] == "IN" and isinstance(lower[1], frozenset):
                for value in lower[1]:
                    self.by_lower.setdefault(value, []).append(rule)
            else:
                self.always.append(rule)

    def __bool__(self) -> bool:
        return self.count > 0

    def candidates(self, row) -> tuple[_Rule, ...]:
        """Rules that may start at a token with this (tag, lower, dep, is-space) row."""
        return (*self.by_tag.get(row[0], ()), *self.by_lower.get(row[1], ()), *self.always)


def _first_passing(buckets: _Buckets, memo: dict, row: tuple[int, ...]) -> tuple[_Rule, ...]:
    """The rules of ``buckets`` whose first token test ``row`` passes, memoised per row."""
    passed = memo.get(row)
    if passed is None:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        passed = memo[row] = tuple(
            rule for rule in buckets.candidates(row) if _passes(row, rule.tests[0])
        )
    return passed


class TableAttributeRuler:
    """Applies compiled attribute-ruler rules; same result as spaCy's ``AttributeRuler``.

    Single-token rules depend only on the token's own (tag, lowercase form, dependency,
    is-space), so the rules that pass are memoised per such key; the few rules spanning
    several tokens are checked where their first token's tag or form can start them.
    """

    def __init__(self, rules: list[_Rule], strings) -> None:
        for rule in rules:
            for test in rule.tests:
                for _column, _op, values in test:
                    if isinstance(values, _RegexTest):
                        values.strings = strings
        self.single = _Buckets([rule for rule in rules if len(rule.tests) == 1])
        self.spanning = _Buckets([rule for rule in rules if len(rule.tests) > 1])
        self._single_memo: dict[tuple[int, ...], tuple[_Rule, ...]] = {}
        self._start_memo: dict[tuple[int, ...], tuple[_Rule, ...]] = {}
        self._merged: dict[tuple[int, ...], dict] = {}

    def __call__(self, doc: Doc) -> Doc:
        """Set the ruler's attributes on every token of ``doc``."""
        rows = [tuple(row) for row in doc.to_array(ARRAY_ATTRS).tolist()]
        applied = [self._single_rules(row) for row in rows]
        if self.spanning:
            self._add_spanning(rows, applied)
        merged = [(i, self._attrs_of(rules)) for i, rules in enumerate(applied) if rules]
        columns = sorted({name for _, attrs in merged for name in attrs})
        if not all(isinstance(name, int) and name in ARRAY_SETTABLE for name in columns):
            for token_index, attrs in merged:  # extension or unusual attributes: spaCy's way
                set_token_attrs(doc[token_index], attrs)
            return doc
        if columns:
            # one array write: the values are hashes the ruler registered when it was built
            values = doc.to_array(columns)
            if values.ndim == 1:
                values = values.reshape(-1, 1)
            for token_index, attrs in merged:
                for column, name in enumerate(columns):
                    if name in attrs:
                        values[token_index, column] = attrs[name]
            doc.from_array(columns, values)
        return doc

    def _single_rules(self, row: tuple[int, ...]) -> tuple[_Rule, ...]:
        return _first_passing(self.single, self._single_memo, row)

    def _starting_rules(self, row: tuple[int, ...]) -> tuple[_Rule, ...]:
        """The spanning rules whose first token test this row passes (memoised)."""
        return _first_passing(self.spanning, self._start_memo, row)

    def _add_spanning(self, rows: list[tuple[int, ...]], applied: list) -> None:
        count = len(rows)
        for start, row in enumerate(rows):
            for rule in self._starting_rules(row):
                tests = rule.tests
                if start + len(tests) > count:
                    continue
                if all(_passes(rows[start + k], tests[k]) for k in range(1, len(tests))):
                    target = start + rule.index
                    applied[target] = (*applied[target], rule)

    def _attrs_of(self, rules: tuple[_Rule, ...]) -> dict:
        key = tuple(id(rule) for rule in rules)
        merged = self._merged.get(key)
        if merged is None:
            merged = {}
            for rule in sorted(rules, key=lambda rule: rule.rank):
                merged.update(rule.attrs)
            if len(self._merged) >= MEMO_SIZE:
                self._merged.clear()
            self._merged[key] = merged
        return merged


# The memo key of a token's lemma (form, POS, morphology), then its current lemma.
LEMMA_KEY = [ORTH, POS, MORPH, LEMMA]


class MemoLemmatizer:
    """spaCy's rule lemmatiser with every answer cached by (form, POS, morphology)."""

    def __init__(self, lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.overwrite = lemmatizer.overwrite
        self.memo: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        """Set ``lemma_`` on tokens that have none (or all, if the lemmatiser overwrites)."""
        memo = self.memo
        strings = doc.vocab.strings
        rows = doc.to_array(LEMMA_KEY).tolist()
        lemmas = []
        for i, (orth, pos, morph, lemma_id) in enumerate(rows):
            if self.overwrite or lemma_id == 0:
                key = (orth, pos, morph)
                lemma = memo.get(key)
                if lemma is None:
                    if len(memo) >= MEMO_SIZE:
                        memo.clear()
                        self.lemmatizer.cache.clear()
                    lemma = memo[key] = self.lemmatizer.lemmatize(doc[i])[0]
                # adding the string (again) keeps it in the store of the current memory zone
                lemma_id = strings.add(lemma)
            lemmas.append(lemma_id)
        if lemmas:
            doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
        return doc


@Language.factory("dyad_table_attribute_ruler")
def _make_ruler(nlp: Language, name: str) -> TableAttributeRuler:
    rules = compile_rules(nlp.get_pipe("attribute_ruler"))
    if rules is None:
        raise ValueError("the attribute ruler has patterns the table ruler cannot evaluate")
    return TableAttributeRuler(rules, nlp.vocab.strings)


@Language.factory("dyad_memo_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str) -> MemoLemmatizer:
    return MemoLemmatizer(nlp.get_pipe("lemmatizer"))


def speed_up(nlp: Language) -> list[str]:
    """Swap in the compiled ruler and the cached lemmatiser where possible; names swapped.

    Each keeps its component's name, so ``pipe_names`` and ``disable=`` work as before.
    """
    swapped = []
    ruler = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in nlp.pipe_names else None
    if ruler is not None and compile_rules(ruler) is not None:
        _swap(nlp, "attribute_ruler", "dyad_table_attribute_ruler")
        swapped.append("attribute_ruler")
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    if getattr(lemmatizer, "mode", None) == "rule":
        _swap(nlp, "lemmatizer", "dyad_memo_lemmatizer")
        swapped.append("lemmatizer")
    return swapped


def _swap(nlp: Language, name: str, factory: str) -> None:
    # the new component is built from the old one, so it is added before the old goes
    nlp.add_pipe(factory, name=f"{name}_compiled", after=name)
    nlp.remove_pipe(name)
    nlp.rename_pipe(f"{name}_compiled", name)
