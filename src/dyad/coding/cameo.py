"""The CAMEO code table: labels, Goldstein values, quad classes and the PLOVER mapping."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dyad.errors import DictionaryError
from dyad.tsv import read_tsv

DATA_DIR = Path(__file__).parent / "data"
QUAD_CLASSES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO event code with its Goldstein value and PLOVER type/mode/context."""

    code: str
    label: str
    goldstein: float
    quad_class: int
    plover: str
    mode: str
    context: str

    @property
    def root(self) -> str:
        """The two-digit root category ("05" for "057")."""
        return self.code[:2]


@lru_cache(maxsize=1)
def cameo_table() -> dict[str, CameoCode]:
    """Return every CAMEO code keyed by code string (read once from ``cameo.tsv``)."""
    path = DATA_DIR / "cameo.tsv"
    table: dict[str, CameoCode] = {}
    columns = ("code", "label", "goldstein", "quad_class", "plover", "mode", "context")
    for line, row in read_tsv(path, columns):
        try:
            table[row["code"]] = CameoCode(
                code=row["code"],
                label=row["label"],
                goldstein=float(row["goldstein"]),
                quad_class=int(row["quad_class"]),
                plover=row["plover"],
                mode=row["mode"],
                context=row["context"],
            )
        except ValueError as exc:
            raise DictionaryError(str(path), line, f"bad number: {exc}") from exc
    return table


def lookup(code: str) -> CameoCode:
    """Return the table row for ``code``; raises KeyError for an unknown code."""
    return cameo_table()[code]


def plover_of(code: str) -> str:
    """Return the PLOVER type of a CAMEO code, falling back to its parent codes."""
    table = cameo_table()
    for length in (len(code), 3, 2):
        row = table.get(code[:length])
        if row and row.plover:
            return row.plover
    return ""
