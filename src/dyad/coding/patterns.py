"""The verb/noun pattern dictionary that maps trigger words to CAMEO codes.

Format (docs/patterns.md): ``code pos trigger object target flags example``, one pattern
a row, in ``dyad/coding/data/patterns_*.tsv`` plus any user files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dyad.coding.cameo import cameo_table
from dyad.errors import DictionaryError
from dyad.tsv import read_tsv, split_values

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_TARGETS = {
    "V": ("dobj", "dative", "prep:to", "prep:with", "prep:against", "prep:on"),
    "N": (
        "prep:to",
        "prep:with",
        "prep:against",
        "prep:on",
        "prep:for",
        "prep:of",
        "prep:from",
        "prep:between",
    ),
}
# Verb slots for an event whose target is who reported speech is about ("said Iraq must
# comply": Iraq): the default verb slots with the reported clause after the dative.
SPEECH_TARGETS = (*DEFAULT_TARGETS["V"][:2], "content", *DEFAULT_TARGETS["V"][2:])
FLAGS = {"symmetric", "speech", "passive_source", "weak"}
COLUMNS = ("code", "pos", "trigger", "object", "target", "flags")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One trigger pattern; ``where`` names its file and line (kept on each event)."""

    code: str
    pos: str
    lemma: str
    particles: tuple[str, ...]
    objects: frozenset[str]
    targets: tuple[str, ...]
    flags: frozenset[str]
    example: str
    where: str

    @property
    def specificity(self) -> int:
        """Higher wins: an object list and particles make a pattern more specific."""
        return 2 * bool(self.objects) + len(self.particles) - 3 * ("weak" in self.flags)


def _parse_row(row: dict[str, str], where: str, path: Path, line: int) -> Pattern:
    code, pos = row["code"], row["pos"].upper()
    if code not in cameo_table():
        raise DictionaryError(str(path), line, f"unknown CAMEO code {code!r}")
    if pos not in DEFAULT_TARGETS:
        raise DictionaryError(str(path), line, f"pos must be V or N, not {pos!r}")
    words = row["trigger"].lower().split()
    if not words:
        raise DictionaryError(str(path), line, "empty trigger")
    flags = frozenset(split_values(row["flags"].replace(",", "|")))
    unknown = flags - FLAGS
    if unknown:
        raise DictionaryError(
            str(path), line, f"unknown flag(s) {sorted(unknown)}; known: {sorted(FLAGS)}"
        )
    targets = tuple(split_values(row["target"])) or DEFAULT_TARGETS[pos]
    for slot in targets:
        if slot not in {"dobj", "dative", "poss"} and not slot.startswith("prep:"):
            raise DictionaryError(str(path), line, f"unknown target slot {slot!r}")
    return Pattern(
        code=code,
        pos=pos,
        lemma=words[0],
        particles=tuple(words[1:]),
        objects=frozenset(v.lower() for v in split_values(row["object"])),
        targets=targets,
        flags=flags,
        example=row.get("example", ""),
        where=where,
    )


def read_patterns(path: str | Path) -> list[Pattern]:
    """Read one pattern file; raises DictionaryError naming file and line on a bad row."""
    path = Path(path)
    return [
        _parse_row(row, f"{path.name}:{line}", path, line) for line, row in read_tsv(path, COLUMNS)
    ]


@lru_cache(maxsize=8)
def pattern_index(extra: tuple[str, ...] = ()) -> dict[tuple[str, str], list[Pattern]]:
    """Return patterns keyed by ``(pos, lemma)``, most specific first (bundled + ``extra``)."""
    index: dict[tuple[str, str], list[Pattern]] = defaultdict(list)
    files = sorted(DATA_DIR.glob("patterns_*.tsv")) + [Path(p) for p in extra]
    for path in files:
        for pattern in read_patterns(path):
            index[(pattern.pos, pattern.lemma)].append(pattern)
    for patterns in index.values():
        patterns.sort(key=lambda p: -p.specificity)
    return dict(index)


def all_patterns(extra: tuple[str, ...] = ()) -> list[Pattern]:
    """Return every loaded pattern in file order."""
    return sorted((p for ps in pattern_index(extra).values() for p in ps), key=lambda p: p.where)
