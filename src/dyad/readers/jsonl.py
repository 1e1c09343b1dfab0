"""JSONL exports: one document per line.

Documented fields: ``id``, ``title``, ``text``, ``date``, ``url``, ``source``, ``lang``.
Other exports are read by mapping their field names, e.g. ``{"text": "body"}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

FIELDS = ("id", "title", "text", "date", "url", "source", "lang")


def parse_field_map(pairs: Iterable[str]) -> dict[str, str]:
    """Turn ``["text=body", "date=published"]`` into ``{"text": "body", "date": "published"}``."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or ours not in FIELDS or not theirs:
            raise ValueError(f"bad field mapping {pair!r}: use FIELD=NAME with FIELD in {FIELDS}")
        mapping[ours] = theirs
    return mapping


def parse_jsonl_line(
    line: str, field_map: dict[str, str] | None = None
) -> tuple[dict[str, object] | None, str | None]:
    """``(record, None)`` with dyad's field names for one JSONL line, or ``(None, reason)``."""
    field_map = field_map or {}
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON ({exc.msg} at column {exc.colno})"
    except RecursionError:
        return None, "invalid JSON (nested too deeply)"
    if not isinstance(raw, dict):
        return None, "expected a JSON object"
    return {name: raw.get(field_map.get(name, name)) for name in FIELDS}, None


def read_jsonl_records(
    lines: Iterable[str], field_map: dict[str, str] | None = None
) -> Iterator[tuple[int, dict[str, object] | None, str | None]]:
    """Yield ``(line_number, record, error)`` for each non-blank line.

    ``record`` has dyad's field names (after mapping); ``error`` says why a line was
    unreadable, in which case ``record`` is None.
    """
    for number, line in enumerate(lines, start=1):
        if line.strip():
            record, error = parse_jsonl_line(line, field_map)
            yield number, record, error
