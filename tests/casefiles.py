"""Paths and readers for the table-driven test cases in tests/data."""

from __future__ import annotations

import os
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _find_shared() -> Path:
    """The shared data folder: $DYAD_SHARED, ../shared next to the checkout, or /work/shared."""
    candidates = [
        os.environ.get("DYAD_SHARED", ""),
        Path(__file__).resolve().parents[1].parent / "shared",
        "/work/shared",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path(__file__).resolve().parents[1].parent / "shared"


SHARED = _find_shared()


def read_cases(name: str) -> list[dict[str, str]]:
    """Rows of a tab-separated case table in tests/data ('#' comments, header first)."""
    from dyad.tsv import read_tsv

    return [row for _, row in read_tsv(DATA / name, ())]
