"""Date expressions in text, resolved against the document's publication date.

Pure Python (regular expressions and ``datetime``), so it runs without spaCy.

Resolved forms, with the precision given:

- day: "2016-12-15", "December 15, 2016", "15 December 2016", "Wednesday, Dec. 15",
  "December 15" and "15th of December" (year from the anchor), "yesterday", "today",
  "tomorrow", "Wednesday", "last/next/this Wednesday", "three days ago", and
  "last/next/this week" (the Monday of that week: dyad has no week precision, so the
  value is the week's first day and readers should treat it as approximate).
- month: "May 2016", "early May 2016", "in March", "since mid-March", "next/last/this
  March", "last/next/this month", "two months ago".
- year: "in 2017", "by 2020", "since 1991", "2016, ..." at the start of a sentence,
  "early 2018", "late 2017", "mid-2019", "the end of 2020", "the autumn of 2017",
  "spring 2018", "the first quarter of 2018", "from 2016 to 2018" (two mentions),
  "last/next/this year", "a year ago", "this summer", "last winter".

Year inference when the year is missing ("on December 15", "in March"): by default the
year that puts the date nearest the anchor, so a date more than about six months after
the anchor falls in the previous year and one more than about six months before it in the
next. With ``future=True`` it is the first such date on or after the anchor. Weekdays work
the same way: the latest one on or before the anchor, or with ``future=True`` the first on
or after it (an anchor that is itself a Wednesday resolves "Wednesday" to that day).

Without an anchor only absolute expressions (those naming a year) resolve. Not handled:
numeric day/month forms ("12/05/2016" is ambiguous), "in three years" (too often a
duration: "the highest in three years"), decades ("the 1990s"), times of day, and vague
expressions ("the near future", "soon", "recently").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True, slots=True)
class DateMention:
    """A resolved date expression.

    start, end (int): character offsets (in the scanned text, plus the caller's offset).
    text (str): the covered text, e.g. "May 2016" (prepositions such as "in" are left out).
    value (str): ISO date truncated to the precision ("2016-05-06", "2016-05", "2016").
    precision (str): ``day``, ``month`` or ``year``.
    """

    start: int
    end: int
    text: str
    value: str
    precision: str


_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTHS = {name.lower(): i for i, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS.update({name[:3].lower(): i for i, name in enumerate(_MONTH_NAMES, start=1)})
_MONTHS["sept"] = 9
_WEEKDAYS = {
    name.lower(): i
    for i, name in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    )
}
_SMALL_NUMBERS = {
    "a": 1,
    "an": 1,
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
}
_SEASON_MONTH = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}

# Month names must be capitalised: lower-case "may" and "march" are a verb far more often.
# Abbreviations ("Dec.", "Sept") are trusted only next to a day or a year.
_FULL_MONTH = r"(?P<month>" + "|".join(_MONTH_NAMES) + r")(?![\w-])"
_ANY_MONTH = (
    r"(?P<month>"
    + "|".join(_MONTH_NAMES)
    + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![\w-])"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<year>[12]\d{3})(?![\w%+/]|[-–]\d|,\d)"
_OPT_WEEKDAY = rf"(?:{_WEEKDAY},?\s+)?"
_YEAR_MOD = (
    r"(?i:early|late|mid-?|(?:the\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half"
    r"|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter|spring|summer|autumn|fall"
    r"|winter)\s+of|spring|summer|autumn|fall|winter|Q[1-4])"
)
_MONTH_MOD = r"(?i:early|late|mid-?|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of)"
_NUM_WORD = r"(?P<n>\d{1,2}|" + "|".join(_SMALL_NUMBERS) + r")"


@dataclass(frozen=True, slots=True)
class _Resolved:
    """A candidate before overlaps are removed: offsets in the scanned text."""

    start: int
    end: int
    day: date
    precision: str


# A rule's handler gets the match, the anchor and ``future`` and returns the date with its
# precision, or None when the match is not a date after all.
_Handler = Callable[[re.Match[str], date | None, bool], tuple[date, str] | None]


def find_dates(
    text: str, anchor: date | None, offset: int = 0, *, future: bool = False
) -> list[DateMention]:
    """Return the date expressions in ``text``, resolved against ``anchor``, in text order.

    text (str): the text to scan (a sentence or a whole document).
    anchor (date | None): the publication date; None resolves only expressions with a year.
    offset (int): added to every offset, for text cut out of a larger document.
    future (bool): resolve expressions without a year, and bare weekdays, forwards.
    RETURNS (list[DateMention]): non-overlapping mentions; the longest match wins.
    """
    if isinstance(anchor, datetime):
        anchor = anchor.date()
    candidates: list[_Resolved] = []
    for pattern, handler in _RULES:
        for match in pattern.finditer(text):
            try:
                resolved = handler(match, anchor, future)
            except ValueError:
                # "February 30, 2016" and the like: not a date.
                continue
            if resolved is not None:
                day, precision = resolved
                candidates.append(_Resolved(match.start("date"), match.end("date"), day, precision))
    chosen: list[_Resolved] = []
    for item in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        if all(item.end <= other.start or item.start >= other.end for other in chosen):
            chosen.append(item)
    return [
        DateMention(
            start=item.start + offset,
            end=item.end + offset,
            text=text[item.start : item.end],
            value=_format(item.day, item.precision),
            precision=item.precision,
        )
        for item in sorted(chosen, key=lambda c: c.start)
    ]


def resolve_date(
    expression: str, anchor: date | None, *, future: bool = False
) -> tuple[str, str] | None:
    """Resolve one date expression to ``(value, precision)``, or None if it holds no date.

    "in May 2016" -> ("2016-05", "month"); "next year" with anchor 2016-12-15 -> ("2017",
    "year"). When the expression holds several dates, the first is returned.
    """
    mentions = find_dates(expression, anchor, future=future)
    if not mentions:
        return None
    return mentions[0].value, mentions[0].precision


def _format(day: date, precision: str) -> str:
    """ISO string for ``day`` truncated to ``precision``."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _month(match: re.Match[str]) -> int:
    """Month number from the ``month`` group ("Dec." -> 12)."""
    return _MONTHS[match.group("month").rstrip(".").lower()]


def _nearest_year(month: int, day: int, anchor: date, future: bool) -> date | None:
    """The date with this month and day nearest the anchor (or the next on or after it)."""
    candidates = []
    # Five years ahead so that 29 February still finds a leap year when looking forward.
    for year in range(anchor.year - 1, anchor.year + 5):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if future:
        return min((c for c in candidates if c >= anchor), default=None)
    # Ties go to the past: news reports more than it announces.
    return min(candidates, key=lambda c: (abs((c - anchor).days), c > anchor), default=None)


def _year(match: re.Match[str], group: str = "year") -> date | None:
    """1 January of the year in ``group``, or None outside 1900-2100."""
    year = int(match.group(group))
    return date(year, 1, 1) if 1900 <= year <= 2100 else None


def _on_iso(match: re.Match[str], anchor: date | None, future: bool) -> tuple[date, str] | None:
    """2016-12-15."""
    day = date(int(match.group("year")), int(match.group("mon")), int(match.group("day")))
    return day, "day"


def _on_full_date(
    match: re.Match[str], anchor: date | None, future: bool
) -> tuple[date, str] | None:
    """December 15, 2016 / 15 December 2016."""
    return date(int(match.group("year")), _month(match), int(match.group("day"))), "day"


def _on_month_day(
    match: re.Match[str], anchor: date | None, future: bool
) -> tuple[date, str] | None:
    """December 15 / 15 December: the year comes from the anchor."""
    if anchor is None:
        return None
    month, day = _month(match), int(match.group("day"))
    date(2000, month, day)  # raises ValueError for a day the month never has
    found = _nearest_year(month, day, anchor, future)
    return (found, "day") if found else None


def _on_month_year(
    match: re.Match[str], anchor: date | None, future: bool
) -> tuple[date, str] | None:
    """May 2016 / early May 2016."""
    return date(int(match.group("year")), _month(match), 1), "month"


def _on_month_alone(
    match: re.Match[str], anchor: date | None, future: bool
) -> tuple[date, str] | None:
    """In March / next March / last March: the year comes from the anchor."""
    if anchor is None:
        return None
    month = _month(match)
    here = anchor.year * 12 + anchor.month - 1
    # Month indexes (year * 12 + month - 1) of this month name last, this and next year.
    options = [(anchor.year + k) * 12 + month - 1 for k in (-1, 0, 1)]
    rel = (match.groupdict().get("rel") or "").lower()
    if rel == "next":
        chosen = min(i for i in options if i > here)
    elif rel == "last":
        chosen = max(i for i in options if i < here)
    elif rel == "this":
        chosen = options[1]
    elif future:
        chosen = min(i for i in options if i >= here)
    else:
        chosen = min(options, key=lambda i: (abs(i - here), i > here))
    return date(chosen // 12, chosen % 12 + 1, 1), "month"


def _on_year(match: re.Match[str], anchor: date | None, future: bool) -> tuple[date, str] | None:
    """A year after a preposition or a modifier ("in 2017", "early 2018")."""
    found = _year(match)
    return (found, "year") if found else None


def _on_counted_year(
    match: re.Match[str], anchor: date | None, future: bool
) -> tuple[date, str] | None:
    """A year after "of"/"by", unless a plural noun follows ("a crowd of 2000 people").

    Counts in the range of years are mostly written with a comma ("2,000"), so only these
    two prepositions, which often take a count, get the check.
    """
    rest = match.string[match.end() : match.end() + 20]
    following = re.match(r"\s+([a-z]+)\b", rest)
    if following:
        word = following.group(1)
        if word in _PLURALS or (word.endswith("s") and word not in _S_WORDS):
            return None
    return _on_year(match, anchor, future)


def _on_range_end(
    match: re.Match[str], anchor: date | None, future: bool
) -> tuple[date, str] | None:
    """The second year of "from 2016 to 2018" (the first is a plain "from 2016")."""
    found = _year(match)
    return (found, "year") if found and _year(match, "first") else None


def _on_relative_unit(
    match: re.Match[str], anchor: date | None, future: bool
) -> tuple[date, str] | None:
    """Next/last/this year, month or week (a week is reported as its Monday)."""
    if anchor is None:
        return None
    shift = {"next": 1, "last": -1, "this": 0}[match.group("rel").lower()]
    unit = match.group("unit").lower()
    if unit == "year":
        return date(anchor.year + shift, 1, 1), "year"
    if unit == "month":
        return date(anchor.year, anchor.month, 1) + relativedelta(months=shift), "month"
    monday = anchor - timedelta(days=anchor.weekday())
    return monday + timedelta(weeks=shift), "day"


def _on_deictic_day(
    match: re.Match[str], anchor: date | None, future: bool
) -> tuple[date, str] | None:
    """Yesterday, today, tomorrow."""
    if anchor is None:
        return None
    shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[match.group("date").lower()]
    return anchor + timedelta(days=shift), "day"


def _on_weekday(match: re.Match[str], anchor: date | None, future: bool) -> tuple[date, str] | None:
    """(Last/next/this) Wednesday."""
    if anchor is None:
        return None
    rel = (match.group("rel") or "").lower()
    if not rel and _is_weekday_name(match):
        return None
    target = _WEEKDAYS[match.group("weekday").lower()]
    back = (anchor.weekday() - target) % 7
    ahead = (target - anchor.weekday()) % 7
    if rel == "last":
        day = anchor - timedelta(days=back or 7)
    elif rel == "next":
        day = anchor + timedelta(days=ahead or 7)
    elif rel == "this":
        day = anchor - timedelta(days=anchor.weekday()) + timedelta(days=target)
    else:
        day = anchor + timedelta(days=ahead) if future else anchor - timedelta(days=back)
    return day, "day"


def _is_weekday_name(match: re.Match[str]) -> bool:
    """True for a weekday inside a name: "Good Friday", "the Sunday Times"."""
    before = match.string[max(0, match.start("date") - 20) : match.start("date")]
    after = match.string[match.end("date") : match.end("date") + 20]
    previous = re.search(r"(\w+)\s+$", before)
    if previous and previous.group(1) in _WEEKDAY_NAME_WORDS:
        return True
    return bool(re.search(r"\b[Tt]he\s+$", before) and re.match(r"\s+[A-Z]", after))


def _on_ago(match: re.Match[str], anchor: date | None, future: bool) -> tuple[date, str] | None:
    """Three days ago / a month ago / two years ago."""
    if anchor is None:
        return None
    word = match.group("n").lower()
    n = int(word) if word.isdigit() else _SMALL_NUMBERS[word]
    unit = match.group("unit").lower()
    if unit == "day":
        return anchor - timedelta(days=n), "day"
    if unit == "week":
        return anchor - timedelta(weeks=n), "day"
    if unit == "month":
        return date(anchor.year, anchor.month, 1) - relativedelta(months=n), "month"
    return date(anchor.year - n, 1, 1), "year"


def _on_season(match: re.Match[str], anchor: date | None, future: bool) -> tuple[date, str] | None:
    """This summer / last winter / in the autumn: a year, counted from the anchor."""
    if anchor is None:
        return None
    start = _SEASON_MONTH[match.group("season").lower()]
    rel = (match.groupdict().get("rel") or "").lower()
    year = anchor.year
    if rel == "last" and start + 3 > anchor.month:
        # The last season of that name to have ended: this year's only if it is over.
        year -= 1
    elif rel == "next" and start <= anchor.month:
        year += 1
    return date(year, 1, 1), "year"


def _rule(pattern: str, handler: _Handler) -> tuple[re.Pattern[str], _Handler]:
    """Compile one rule; every pattern names the reported span ``date``."""
    return re.compile(pattern), handler


# Lower-case words ending in "s" that may follow a year without making it a count, and
# plurals that do not end in "s".
_S_WORDS = {"was", "is", "has", "as", "this", "its", "his", "thus", "unless", "yes", "plus"}
_PLURALS = {"people", "men", "women", "children", "police", "personnel", "staff", "troops"}
# Words that make a following weekday part of a name ("Good Friday", "Super Tuesday").
_WEEKDAY_NAME_WORDS = {
    *("Good", "Black", "Super", "Bloody", "Ash", "Holy", "Easter", "Palm", "Maundy"),
    *("Cyber", "Shrove", "Giving"),
}
_SEASON = r"(?P<season>(?i:spring|summer|autumn|fall|winter))"
_REL = r"(?P<rel>(?i:next|last|this))"
_YEAR_PREP = r"(?i:in|since|until|till|from|before|after|during|through|throughout|between)"
_MONTH_PREP = r"(?i:in|by|since|until|till|from|before|after|during|through|throughout|of)"

_RULES = [
    _rule(
        r"(?<![\w-])(?P<date>(?P<year>[12]\d{3})-(?P<mon>[01]\d)-(?P<day>[0-3]\d))(?![\w-])",
        _on_iso,
    ),
    _rule(rf"\b(?P<date>{_OPT_WEEKDAY}{_ANY_MONTH}\s+{_DAY},?\s+{_YEAR})", _on_full_date),
    _rule(
        rf"\b(?P<date>{_OPT_WEEKDAY}(?:the\s+)?{_DAY}(?:\s+of)?\s+{_ANY_MONTH},?\s+{_YEAR})",
        _on_full_date,
    ),
    _rule(rf"\b(?P<date>{_OPT_WEEKDAY}{_ANY_MONTH}\s+{_DAY})", _on_month_day),
    _rule(rf"\b(?P<date>{_OPT_WEEKDAY}(?:the\s+)?{_DAY}(?:\s+of)?\s+{_ANY_MONTH})", _on_month_day),
    _rule(rf"\b(?P<date>(?:{_MONTH_MOD}\s*)?{_ANY_MONTH},?\s+(?:of\s+)?{_YEAR})", _on_month_year),
    _rule(rf"\b{_MONTH_PREP}\s+(?P<date>(?:{_MONTH_MOD}\s*)?{_FULL_MONTH})", _on_month_alone),
    _rule(rf"\b(?P<date>{_REL}\s+{_FULL_MONTH})", _on_month_alone),
    _rule(rf"(?<![\w-])(?P<date>{_YEAR_MOD}[\s-]*{_YEAR})", _on_year),
    _rule(rf"\b{_YEAR_PREP}\s+(?P<date>{_YEAR})", _on_year),
    _rule(rf"\b(?i:of|by)\s+(?P<date>{_YEAR})", _on_counted_year),
    _rule(rf"\b(?i:the\s+year)\s+(?P<date>{_YEAR})", _on_year),
    _rule(rf"(?:^|[.!?]\s+)(?P<date>{_YEAR})(?=,)", _on_year),
    _rule(rf"(?P<date>{_YEAR})(?=\s+(?i:spring|summer|autumn|fall|winter)\b)", _on_year),
    _rule(
        r"\b(?i:from|between)\s+(?P<first>[12]\d{3})\s*(?:-|–|—|to|and|until)\s*"
        rf"(?P<date>{_YEAR})",
        _on_range_end,
    ),
    _rule(rf"\b(?P<date>{_REL}\s+(?P<unit>(?i:year|month|week)))\b", _on_relative_unit),
    _rule(r"\b(?P<date>(?i:yesterday|today|tomorrow))\b", _on_deictic_day),
    _rule(rf"\b(?P<date>(?:{_REL}\s+)?(?P<weekday>{_WEEKDAY}))\b", _on_weekday),
    _rule(rf"\b(?P<date>(?i:{_NUM_WORD}\s+(?P<unit>day|week|month|year)s?\s+ago))\b", _on_ago),
    _rule(rf"\b(?P<date>{_REL}\s+{_SEASON})\b", _on_season),
    _rule(rf"\b(?i:in|during)\s+(?P<date>(?i:the)\s+{_SEASON})\b(?!\s+of)", _on_season),
]
