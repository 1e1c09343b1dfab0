"""Plain-text documents, with optional ``Key: value`` front matter."""

from __future__ import annotations

import re

_FRONT_KEY = re.compile(r"^(title|date|url|source|lang|id):\s*(.*)$", re.IGNORECASE)


def split_front_matter(raw: str) -> tuple[dict[str, str], str]:
    """Split leading ``Title:/Date:/Source:/Url:/Lang:/Id:`` lines (ended by a blank line) off.

    Returns the metadata (lower-case keys) and the body. A text without such a block
    comes back unchanged with empty metadata.
    """
    lines = raw.lstrip("\ufeff").splitlines()
    meta: dict[str, str] = {}
    for index, line in enumerate(lines):
        if not line.strip():
            if meta:
                return meta, "\n".join(lines[index + 1 :])
            break
        match = _FRONT_KEY.match(line.strip())
        if not match:
            break
        meta[match.group(1).lower()] = match.group(2).strip()
    return {}, raw.lstrip("\ufeff")


def guess_title(body: str) -> str | None:
    """Return the first line as a title when it looks like a headline.

    A headline is short (at most 150 characters), does not end a sentence, and is followed
    by a blank line. The line stays in the body, so offsets still match the source.
    """
    first, sep, rest = body.strip().partition("\n")
    if not sep or not rest.startswith("\n") and not rest.lstrip(" \t").startswith("\n"):
        return None
    first = first.strip()
    if not first or len(first) > 150 or first[-1] in ".!?:;,":
        return None
    return first
