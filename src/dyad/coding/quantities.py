"""Money amounts and counts in a parsed sentence.

``find_quantities`` returns ``Quantity`` records for

- money: a currency sign or ISO code before the number ("€200 million", "US$ 3 bn",
  "EUR 200m", "Rs 300 crore") or a currency word or code after it ("200 million euros",
  "1 trillion yen", "100 million U.S. dollars", "500,000 roubles"). ``unit`` is the ISO 4217
  code and ``value`` is scaled to whole units. Supported: EUR USD JPY RUB GBP CNY INR KRW CHF
  CAD AUD SAR TRY BRL UAH. "$" alone is USD and "¥" is JPY. Any other currency ("Hong Kong
  dollars", "Pakistani rupees", "CFA francs") gives no record.
- counts: a number that spaCy attaches to a noun with ``nummod`` ("more than 70 agreements",
  "one intergovernmental agreement"). ``unit`` is the noun's lemma.

A qualifier just before the amount sets ``qualifier``; "more than 70" is recorded as
``at_least`` 70 (dyad does not keep strict bounds). ``start``/``end`` are character offsets
in the whole ``Doc`` and cover the qualifier, the number and the currency or counted noun.

Not quantities: years and dates, times, durations ("three years"), measures ("5 km",
"300 tonnes"), percentages, ordinals, numbers glued to names or other numbers ("G-20",
"Group of 20", "2+2", "30-day", phone numbers), vague amounts ("dozens of", "hundreds of")
and ranges ("between 200 and 300").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from spacy.tokens import Doc, Span, Token

from dyad.types import Quantity

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Multipliers that apply to what precedes them but do not close a group ("two hundred
# thousand"): hundred and dozen.
_SMALL_MULTIPLIERS = {"hundred": 100, "dozen": 12}
_LARGE_SCALES = {
    "thousand": 10**3,
    "lakh": 10**5,
    "crore": 10**7,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
# Abbreviated scales are only trusted next to a currency ("£40m"): alone "200m" is metres.
_ABBREVIATED_SCALES = {
    "k": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "tn": 10**12,
}

_DIGITS_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_WORD_RE = "|".join(sorted([*_UNITS, *_TENS, *_SMALL_MULTIPLIERS], key=len, reverse=True))
_SCALE_WORDS_RE = "|".join(_LARGE_SCALES)

# A number as written in running text: digits, or number words joined by spaces, hyphens
# or "and" ("two hundred and fifty"), or "a"/"an" when a scale follows ("a billion").
_NUMBER = (
    rf"(?:(?<![\w.,])(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,]\d)"
    rf"|(?i:\b(?:{_WORD_RE})(?:(?:\s+and\s+|\s+|-)(?:{_WORD_RE}))*\b)"
    rf"|(?i:\ban?(?=\s+(?:{_SCALE_WORDS_RE})\b)))"
)
_SCALE = (
    rf"(?:(?:\s+|-)?(?i:(?P<word_scale>{_SCALE_WORDS_RE}|mn|mln|bn|tn)\b)"
    r"|(?P<abbr_scale>[mbkMBK])\b)"
)

# Prefix signs and codes, longest first so "US$" wins over "$".
_PREFIXES = {
    "US$": "USD",
    "USD": "USD",
    "$": "USD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "¥": "JPY",
    "JPY": "JPY",
    "₽": "RUB",
    "RUB": "RUB",
    "RMB": "CNY",
    "CNY": "CNY",
    "₹": "INR",
    "Rs.": "INR",
    "Rs": "INR",
    "INR": "INR",
    "₩": "KRW",
    "KRW": "KRW",
    "CHF": "CHF",
    "SFr.": "CHF",
    "SFr": "CHF",
    "C$": "CAD",
    "CAD": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "AUD": "AUD",
    "SR": "SAR",
    "SAR": "SAR",
    "₺": "TRY",
    "TRY": "TRY",
    "R$": "BRL",
    "BRL": "BRL",
    "₴": "UAH",
    "UAH": "UAH",
}
_PREFIX_RE = "|".join(re.escape(p) for p in sorted(_PREFIXES, key=len, reverse=True))
_CODES = sorted({code for code in _PREFIXES.values()})

# Currency words after the number: (lower-cased word) -> (code, needs a known adjective).
_CURRENCY_WORDS = {
    "euro": "EUR",
    "euros": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "yen": "JPY",
    "ruble": "RUB",
    "rubles": "RUB",
    "rouble": "RUB",
    "roubles": "RUB",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rupee": "INR",
    "rupees": "INR",
    "won": "KRW",
    "franc": "CHF",
    "francs": "CHF",
    "riyal": "SAR",
    "riyals": "SAR",
    "lira": "TRY",
    "liras": "TRY",
    "real": "BRL",
    "reals": "BRL",
    "reais": "BRL",
    "hryvnia": "UAH",
    "hryvnias": "UAH",
    "hryvnya": "UAH",
    "hryvnyas": "UAH",
}
# Words that name a currency only with the right adjective ("Swiss francs", "Brazilian
# reals"): alone they are ambiguous (CFA francs, "real" the adjective).
_NEEDS_ADJECTIVE = {"franc", "francs", "real", "reals"}
# Adjective before a currency word -> the code it implies. Any other capitalised word there
# ("Hong Kong dollars", "Pakistani rupees") means a currency dyad does not track.
_ADJECTIVES = {
    "u.s.": "USD",
    "us": "USD",
    "american": "USD",
    "canadian": "CAD",
    "australian": "AUD",
    "swiss": "CHF",
    "saudi": "SAR",
    "turkish": "TRY",
    "brazilian": "BRL",
    "ukrainian": "UAH",
    "russian": "RUB",
    "japanese": "JPY",
    "chinese": "CNY",
    "indian": "INR",
    "south korean": "KRW",
    "korean": "KRW",
    "british": "GBP",
}
_CURRENCY_WORD_RE = "|".join(sorted(_CURRENCY_WORDS, key=len, reverse=True))

_PREFIX_MONEY_RE = re.compile(
    rf"(?<![A-Za-z$])(?P<cur>{_PREFIX_RE})\s?(?P<num>{_NUMBER})(?:{_SCALE})?"
)
_SUFFIX_MONEY_RE = re.compile(
    rf"(?P<num>{_NUMBER})(?:{_SCALE})?\s+"
    r"(?P<adj>(?:U\.S\.|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?|US)\s+)?"
    rf"(?:(?P<word>(?i:{_CURRENCY_WORD_RE}))(?P<sterling>\s+sterling)?\b"
    rf"|(?P<code>{'|'.join(_CODES)})\b)"
)

_QUALIFIER_RE = re.compile(
    r"(?i:\b(?P<q>no fewer than|no less than|no more than|more than|upwards of|in excess of"
    r"|at least|over|above|fewer than|less than|up to|at most|under|below|an estimated"
    r"|estimated|about|around|some|nearly|almost|roughly|approximately|close to)\s+$)"
)
_QUALIFIERS = {
    "no fewer than": "at_least",
    "no less than": "at_least",
    "more than": "at_least",
    "upwards of": "at_least",
    "in excess of": "at_least",
    "at least": "at_least",
    "over": "at_least",
    "above": "at_least",
    "no more than": "at_most",
    "fewer than": "at_most",
    "less than": "at_most",
    "up to": "at_most",
    "at most": "at_most",
    "under": "at_most",
    "below": "at_most",
}

# Counted nouns that make the number a duration, a measure, a percentage or money in a
# currency dyad does not track: none of these is a count of things.
_NOT_COUNTED = {
    *("second", "minute", "hour", "day", "week", "month", "year", "decade", "century"),
    *("time", "o'clock", "am", "pm", "a.m.", "p.m.", "%", "percent", "per", "cent"),
    *("m", "km", "cm", "mm", "kg", "g", "lb", "mile", "metre", "meter", "kilometre"),
    *("kilometer", "kilogram", "gram", "ton", "tonne", "litre", "liter", "gallon", "acre"),
    *("hectare", "foot", "feet", "inch", "degree", "mph", "kph", "square"),
    *(word.rstrip("s") for word in _CURRENCY_WORDS),
    *_CURRENCY_WORDS,
}
_MONTHS = {
    *("january", "february", "march", "april", "may", "june", "july", "august"),
    *("september", "october", "november", "december"),
}
# Characters that, glued to a number, make it part of a name, a formula or a code.
_GLUE = {"+", "-", "/", ":", "x", "×", "#", "=", "–"}
_NUMBER_PREFIX_RE = re.compile(r"(?i:\b(?:no\.?|nos\.?|number)\s*$)")


@dataclass(frozen=True, slots=True)
class _Found:
    """A quantity before it becomes a record: the scanned text's own offsets."""

    kind: str
    value: float
    unit: str
    start: int
    end: int


def parse_number(text: str) -> float | None:
    """Return the value of a written number, or None if ``text`` is not one.

    Handles digits with thousands commas and decimals ("1,200", "1.5"), number words
    ("seventy", "twenty-five", "two hundred and fifty", "a dozen") and scales after either
    ("1.5 million", "two billion", "a million", "300 crore").
    """
    words = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text.strip().lower()).split()
    words = [w for w in words if w != "and"]
    if not words:
        return None
    total = Decimal(0)
    current: Decimal | None = None
    pending_article = False  # "a"/"an" stands for 1 only before a multiplier.
    last = ""
    for word in words:
        if word in ("a", "an"):
            if current is not None or pending_article:
                return None
            pending_article = True
            last = "article"
            continue
        value = _number_value(word)
        if value is not None:
            # Two plain numbers in a row ("one two", "20 5") are not one number.
            if last in ("unit", "digits", "article") or (last == "tens" and value >= 10):
                return None
            current = (current or Decimal(0)) + value
            last = "digits" if word[0].isdigit() else ("tens" if word in _TENS else "unit")
            continue
        multiplier = _SMALL_MULTIPLIERS.get(word)
        scale = _LARGE_SCALES.get(word)
        if multiplier is None and scale is None:
            return None
        base = current if current is not None else (Decimal(1) if pending_article else None)
        if base is None:
            return None
        pending_article = False
        if multiplier is not None:
            current = base * multiplier
            last = "multiplier"
        else:
            total += base * scale
            current = None
            last = "scale"
    if pending_article:
        return None
    return float(total + (current or Decimal(0)))


def _number_value(word: str) -> Decimal | None:
    """Value of one digit string or unit/tens word, else None."""
    if _DIGITS_RE.fullmatch(word):
        try:
            return Decimal(word.replace(",", ""))
        except InvalidOperation:
            return None
    if word in _UNITS:
        return Decimal(_UNITS[word])
    if word in _TENS:
        return Decimal(_TENS[word])
    return None


def find_quantities(span: Span | Doc) -> list[Quantity]:
    """Return the money amounts and counts in a sentence, in text order.

    span (Span | Doc): a parsed sentence (or a whole ``Doc``).
    RETURNS (list[Quantity]): offsets are character offsets in the whole ``Doc``.
    """
    sent = span[:] if isinstance(span, Doc) else span
    base = sent.start_char
    text = sent.text
    found = _find_money(text)
    # Money ranges also block counts: "200 million euros" is not a count of euros.
    covered = [(f.start + base, f.end + base) for f in found]
    found += _find_counts(sent, covered)
    out = []
    for item in sorted(found, key=lambda f: f.start):
        start, qualifier = _qualifier(text, item.start)
        out.append(
            Quantity(
                kind=item.kind,
                value=item.value,
                unit=item.unit,
                qualifier=qualifier,
                start=base + start,
                end=base + item.end,
                text=text[start : item.end],
            )
        )
    return out


def _qualifier(text: str, start: int) -> tuple[int, str]:
    """The qualifier just before ``start`` in ``text``: (new start, qualifier name)."""
    window_start = max(0, start - 30)
    match = _QUALIFIER_RE.search(text[window_start:start])
    if not match:
        return start, "exact"
    phrase = re.sub(r"\s+", " ", match.group("q").lower())
    return window_start + match.start("q"), _QUALIFIERS.get(phrase, "about")


def _find_money(text: str) -> list[_Found]:
    """Money amounts in ``text``, offsets relative to it, overlaps resolved longest first."""
    candidates: list[_Found] = []
    for match in _PREFIX_MONEY_RE.finditer(text):
        item = _money_from_match(match, _PREFIXES[match.group("cur")])
        if item:
            candidates.append(item)
    for match in _SUFFIX_MONEY_RE.finditer(text):
        code = _suffix_currency(match)
        item = _money_from_match(match, code) if code else None
        if item:
            candidates.append(item)
    chosen: list[_Found] = []
    for item in sorted(candidates, key=lambda f: (-(f.end - f.start), f.start)):
        if all(item.end <= other.start or item.start >= other.end for other in chosen):
            chosen.append(item)
    return chosen


def _money_from_match(match: re.Match[str], code: str) -> _Found | None:
    """Build a money record from a prefix or suffix match, or None if the number is bad."""
    num = match.group("num")
    # The pattern only lets "a"/"an" through before a scale word ("a billion euros").
    number = 1.0 if num.lower() in ("a", "an") else parse_number(num)
    if number is None:
        return None
    word_scale = match.group("word_scale")
    abbr_scale = match.group("abbr_scale")
    if word_scale:
        factor = _LARGE_SCALES.get(word_scale.lower()) or _ABBREVIATED_SCALES[word_scale.lower()]
    elif abbr_scale:
        # "200 m" with a space is more often metres than millions; only "200m" counts.
        if match.start("abbr_scale") != match.end("num"):
            return None
        factor = _ABBREVIATED_SCALES[abbr_scale.lower()]
    else:
        factor = 1
    value = float(Decimal(str(number)) * factor)
    return _Found("money", value, code, match.start(), match.end())


def _suffix_currency(match: re.Match[str]) -> str | None:
    """The ISO code named after the number, or None if ambiguous or not tracked."""
    if match.group("code"):
        return match.group("code")
    word = match.group("word").lower()
    code = _CURRENCY_WORDS[word]
    adjective = (match.group("adj") or "").strip().lower()
    if adjective:
        implied = _ADJECTIVES.get(adjective)
        if implied is None:
            return None
        # "Canadian dollars" -> CAD; "Russian rubles" is fine; "Swiss dollars" is not money.
        if word.startswith("dollar"):
            return implied
        return code if implied == code else None
    if word in _NEEDS_ADJECTIVE:
        return None
    scaled = bool(match.group("word_scale") or match.group("abbr_scale"))
    if word in ("pound", "pounds") and not (scaled or match.group("sterling")):
        # "500 pounds" is as often a weight as money.
        return None
    if word == "won" and not (scaled or "," in match.group("num")):
        # "won" is also a verb: "in 2016 won" must not become 2,016 won.
        return None
    return code


def _find_counts(sent: Span, covered: list[tuple[int, int]]) -> list[_Found]:
    """Numbers attached to a noun by ``nummod``, outside the ``covered`` character ranges."""
    out: list[_Found] = []
    tokens = list(sent)
    i = 0
    while i < len(tokens):
        group = _number_group(tokens, i)
        if not group:
            i += 1
            continue
        i += len(group)
        if any(a < group[-1].idx + len(group[-1]) and group[0].idx < b for a, b in covered):
            continue
        item = _count_from_group(sent, group)
        if item:
            out.append(item)
    return out


def _number_group(tokens: list[Token], i: int) -> list[Token]:
    """The run of number tokens starting at ``tokens[i]`` ("two hundred and fifty")."""
    first = tokens[i]
    if _is_number_token(first):
        return _extend_group(tokens, [first], i + 1)
    # "a dozen", "a million": the article opens the group.
    if first.lower_ in ("a", "an") and i + 1 < len(tokens):
        nxt = tokens[i + 1]
        if nxt.lower_ in _SMALL_MULTIPLIERS or _is_scale(nxt):
            return _extend_group(tokens, [first, nxt], i + 2)
    return []


def _extend_group(tokens: list[Token], group: list[Token], j: int) -> list[Token]:
    """Extend ``group`` with the number words, scales and joiners from ``tokens[j]`` on."""
    while j < len(tokens):
        tok = tokens[j]
        prev = group[-1]
        nxt = tokens[j + 1] if j + 1 < len(tokens) else None
        if (_is_number_word(tok) and not _is_digits(tok)) or _is_scale(tok):
            group.append(tok)
        elif (
            nxt is not None
            and tok.text == "-"
            and not prev.whitespace_
            and not tok.whitespace_
            and prev.lower_ in _TENS
            and nxt.lower_ in _UNITS
        ):
            # spaCy splits "twenty-five" into three tokens.
            group.extend([tok, nxt])
            j += 1
        elif (
            nxt is not None
            and tok.lower_ == "and"
            and prev.lower_ == "hundred"
            and _is_number_word(nxt)
        ):
            group.extend([tok, nxt])
            j += 1
        else:
            break
        j += 1
    return group


def _is_digits(tok: Token) -> bool:
    """True for a token written in digits ("70", "1,200", "1.5")."""
    return bool(_DIGITS_RE.fullmatch(tok.text))


def _is_number_word(tok: Token) -> bool:
    """True for a unit, tens or small-multiplier word, or digits."""
    low = tok.lower_
    return _is_digits(tok) or low in _UNITS or low in _TENS or low in _SMALL_MULTIPLIERS


def _is_scale(tok: Token) -> bool:
    """True for "thousand", "million" and the like."""
    return tok.lower_ in _LARGE_SCALES


def _is_number_token(tok: Token) -> bool:
    """True for a token that can open a number group."""
    return _is_number_word(tok) and tok.lower_ not in _SMALL_MULTIPLIERS


def _count_from_group(sent: Span, group: list[Token]) -> _Found | None:
    """A count for a number group, or None when it is not a count of things."""
    doc = sent.doc
    first, last = group[0], group[-1]
    # offsets within the sentence: Doc.text joins the whole document on every call
    sent_text, base = sent.text, sent.start_char
    value = parse_number(sent_text[first.idx - base : last.idx + len(last) - base])
    if value is None or value == 0:
        return None
    if _is_glued(doc, group) or _NUMBER_PREFIX_RE.search(
        sent_text[max(0, first.idx - base - 8) : first.idx - base]
    ):
        return None
    if any(tok.ent_type_ in ("DATE", "TIME", "PERCENT", "ORDINAL") for tok in group):
        return None
    noun = _counted_noun(group)
    if noun is None or noun.i >= sent.end:
        return None
    lemma = noun.lemma_.lower()
    if lemma in _NOT_COUNTED or noun.lower_ in _NOT_COUNTED or lemma in _MONTHS:
        return None
    # A four-digit number in the range of years counts only before a plural noun:
    # "2000 troops" is a count, "the 2017 agreement" a year.
    year_like = len(group) == 1 and re.fullmatch(r"1[89]\d\d|20\d\d|2100", first.text)
    if year_like and noun.tag_ != "NNS":
        return None
    start = first.idx - sent.start_char
    end = noun.idx + len(noun) - sent.start_char
    return _Found("count", value, lemma, start, end)


def _is_glued(doc: Doc, group: list[Token]) -> bool:
    """True when the number is written against a name, a sign or another number."""
    first, last = group[0], group[-1]
    if first.i > 0:
        before = doc[first.i - 1]
        if not before.whitespace_ and (
            before.text in _GLUE or before.is_alpha or before.is_currency
        ):
            return True
        if _is_digits(before) and _is_digits(first):
            return True
    if last.i + 1 < len(doc):
        after = doc[last.i + 1]
        if not last.whitespace_ and (after.text in _GLUE or after.is_alpha or after.text == "%"):
            return True
        if _is_digits(after) and _is_digits(last):
            return True
    return False


def _counted_noun(group: list[Token]) -> Token | None:
    """The noun the group counts: the head of a ``nummod`` arc pointing right, or None."""
    members = {tok.i for tok in group}
    for tok in reversed(group):
        head = tok.head
        if head.i in members or head.i <= tok.i:
            continue
        if tok.dep_ == "nummod" or (tok.lower_ == "dozen" and tok.dep_ == "compound"):
            # "30 F-16 jets": the number modifies a model name that modifies the noun.
            steps = 0
            while head.pos_ in ("NUM", "PROPN") and head.dep_ in ("nummod", "compound"):
                if head.head.i <= head.i or steps == 2:
                    return None
                head, steps = head.head, steps + 1
            return head if head.pos_ == "NOUN" else None
    return None
