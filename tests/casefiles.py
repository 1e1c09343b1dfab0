"""Paths and readers for the table-driven test cases in tests/data."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def read_cases(name: str) -> list[dict[str, str]]:
    """Rows of a tab-separated case table in tests/data ('#' comments, header first)."""
    from dyad.tsv import read_tsv

    return [row for _, row in read_tsv(DATA / name, ())]
