"""Text normalisation and content-hash document ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime

from dateutil import parser as date_parser

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def normalise_text(text: str) -> str:
    """Return ``text`` in NFC with unified newlines, collapsed spaces and paragraph breaks.

    The normalised text is what gets stored and coded, so character offsets of every
    record refer to it.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def document_id(normalised_text: str) -> str:
    """Return the content-hash id of a normalised text (16 hex digits of SHA-256)."""
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()[:16]


def parse_date(value: object) -> date | None:
    """Parse a publication date from metadata ("2016-12-16", "2016-12-16T09:00Z", "16 Dec 2016").

    Returns None for empty values; raises ValueError for text that is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"not a date: {text!r} ({exc})") from exc
    try:
        return date_parser.parse(text, default=datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"not a date: {text!r}") from exc


_SCRIPTS = (
    ("Cyrillic", 0x0400, 0x052F),
    ("Arabic", 0x0600, 0x06FF),
    ("Hebrew", 0x0590, 0x05FF),
    ("Greek", 0x0370, 0x03FF),
    ("Devanagari", 0x0900, 0x097F),
    ("Thai", 0x0E00, 0x0E7F),
    ("Hangul", 0xAC00, 0xD7AF),
    ("Japanese kana", 0x3040, 0x30FF),
    ("CJK", 0x4E00, 0x9FFF),
)


def foreign_script(text: str, sample: int = 5000) -> str | None:
    """The name of the script most letters of ``text`` are written in, when that is not Latin
    (a cheap guard against coding text in a language dyad has no model for); else None."""
    head = text[:sample]
    if head.isascii():  # the common case, checked at C speed
        return None
    counts: dict[str, int] = {}
    latin = 0
    for char in head:
        if not char.isalpha():
            continue
        code = ord(char)
        if code < 0x0250:
            latin += 1
            continue
        for name, low, high in _SCRIPTS:
            if low <= code <= high:
                counts[name] = counts.get(name, 0) + 1
                break
    if not counts:
        return None
    name, count = max(counts.items(), key=lambda item: item[1])
    return name if count > latin else None
