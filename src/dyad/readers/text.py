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
