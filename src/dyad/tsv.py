"""Reading dyad's tab-separated data files (bundled dictionaries and user files)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dyad.errors import DictionaryError


def read_tsv(path: str | Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each data row of a TSV file with the given header.

    '#' lines and blank lines are skipped; the first other line must be the header and
    name at least ``columns``. Short rows are padded with "" for trailing optional columns.
    Raises DictionaryError naming file and line on a bad header or unreadable file.
    """
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise DictionaryError(str(path), 0, f"cannot read: {exc.strerror}") from exc
    with handle:
        header: list[str] | None = None
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [cell.strip() for cell in line.split("\t")]
            if header is None:
                header = cells
                missing = [c for c in columns if c not in header]
                if missing:
                    raise DictionaryError(
                        str(path), number, f"header lacks column(s) {missing}; expected {columns}"
                    )
                continue
            cells += [""] * (len(header) - len(cells))
            yield number, dict(zip(header, cells, strict=False))


def split_values(cell: str) -> list[str]:
    """Split a '|'-separated cell into its non-empty, stripped values."""
    return [value.strip() for value in cell.split("|") if value.strip() and value.strip() != "-"]
