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
        return date.fromisoformat(text)
    try:
        return date_parser.parse(text, default=datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"not a date: {text!r}") from exc
