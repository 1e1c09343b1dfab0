"""Walk paths, folders and streams, and build ``Document`` records.

Errors are yielded as ``InputError`` values instead of raised, so one bad item
never stops the rest of a batch.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TextIO

from dyad.errors import InputError
from dyad.readers.html import extract_html
from dyad.readers.jsonl import read_jsonl_records
from dyad.readers.normalise import document_id, normalise_text, parse_date
from dyad.readers.text import guess_title, split_front_matter
from dyad.types import Document

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

IngestItem = Document | InputError


def make_document(
    text: str | None,
    origin: str,
    *,
    title: str | None = None,
    published: object = None,
    url: str | None = None,
    source: str | None = None,
    lang: str | None = None,
    external_id: str | None = None,
    default_date: date | None = None,
) -> IngestItem:
    """Build a ``Document`` (id: hash of normalised text) or an ``InputError`` for ``origin``."""
    if not isinstance(text, str) or not text.strip():
        return InputError(origin, "no text (empty document or missing text field)")
    normalised = normalise_text(text)
    try:
        when = parse_date(published) or default_date
    except ValueError as exc:
        return InputError(origin, f"{exc}; give the date as YYYY-MM-DD or use --date")
    return Document(
        id=document_id(normalised),
        text=normalised,
        title=(title or None) and normalise_text(str(title)),
        url=url or None,
        source=source or None,
        published=when,
        lang=(lang or "en"),
        external_id=None if external_id is None else str(external_id),
        origin=origin,
    )


def read_paths(
    paths: Iterable[str | Path],
    *,
    default_date: date | None = None,
    pattern: str = "*",
    field_map: dict[str, str] | None = None,
    fmt: str = "auto",
) -> Iterator[IngestItem]:
    """Yield documents (or errors) from files and folders; ``-`` means stdin.

    Folders are walked recursively, taking files that match ``pattern`` and have a known
    suffix (.txt .md .html .htm .jsonl .ndjson). ``fmt`` forces text, html or jsonl.
    """
    for raw_path in paths:
        if str(raw_path) == "-":
            yield from read_stream(
                sys.stdin, "<stdin>", default_date=default_date, field_map=field_map, fmt=fmt
            )
            continue
        path = Path(raw_path)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob(pattern) if p.is_file() and p.suffix.lower() in KNOWN_SUFFIXES
            )
            if not files:
                yield InputError(str(path), f"no readable files matching {pattern!r}")
            for file in files:
                yield from read_file(file, default_date=default_date, field_map=field_map, fmt=fmt)
        elif path.is_file():
            yield from read_file(path, default_date=default_date, field_map=field_map, fmt=fmt)
        else:
            yield InputError(str(path), "no such file or folder")


def read_file(
    path: Path,
    *,
    default_date: date | None = None,
    field_map: dict[str, str] | None = None,
    fmt: str = "auto",
) -> Iterator[IngestItem]:
    """Yield the documents of one file, choosing the reader from ``fmt`` or the suffix."""
    try:
        with path.open(encoding="utf-8", errors="strict") as handle:
            yield from read_stream(
                handle, str(path), default_date=default_date, field_map=field_map, fmt=fmt or "auto"
            )
    except UnicodeDecodeError as exc:
        yield InputError(str(path), f"not UTF-8 text (byte {exc.start}); convert it to UTF-8")
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc.strerror}")


def _guess_format(name: str, head: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    start = head.lstrip()[:200].lower()
    if start.startswith("{"):
        return "jsonl"
    if start.startswith("<!doctype html") or start.startswith("<html") or "<body" in start:
        return "html"
    return "text"


def read_stream(
    stream: TextIO,
    name: str,
    *,
    default_date: date | None = None,
    field_map: dict[str, str] | None = None,
    fmt: str = "auto",
) -> Iterator[IngestItem]:
    """Yield the documents in an open text stream named ``name`` (JSONL streams line by line)."""
    if fmt == "auto":
        head = stream.read(4096)
        kind = _guess_format(name, head)
        rest: Iterable[str] = _chain_head(head, stream)
    else:
        kind, rest = fmt, stream
    if kind == "jsonl":
        for number, record, error in read_jsonl_records(rest, field_map):
            origin = f"{name}:{number}"
            if record is None:
                yield InputError(origin, error or "unreadable")
                continue
            yield document_from_record(record, origin, default_date)
        return
    raw = "".join(rest)
    if kind == "html":
        page = extract_html(raw)
        yield make_document(
            page["text"],
            name,
            title=page["title"],
            published=page["date"],
            url=page["url"],
            default_date=default_date,
        )
        return
    meta, body = split_front_matter(raw)
    yield make_document(
        body,
        name,
        title=meta.get("title") or guess_title(body),
        published=meta.get("date"),
        url=meta.get("url"),
        source=meta.get("source"),
        lang=meta.get("lang"),
        external_id=meta.get("id"),
        default_date=default_date,
    )


def document_from_record(record: dict, origin: str, default_date: date | None = None) -> IngestItem:
    """A ``Document`` (or ``InputError``) from a record with dyad's field names (JSONL line,
    Parquet row): text, title, date, url, source, lang, id."""
    text = record.get("text")
    return make_document(
        text if isinstance(text, str) else None,
        origin,
        title=_str_or_none(record.get("title")),
        published=record.get("date"),
        url=_str_or_none(record.get("url")),
        source=_str_or_none(record.get("source")),
        lang=_str_or_none(record.get("lang")),
        external_id=record.get("id"),
        default_date=default_date,
    )


def _chain_head(head: str, stream: TextIO) -> Iterator[str]:
    """Re-join the sniffed head with the rest of the stream, line by line."""
    buffered = head + stream.readline()
    lines = buffered.splitlines(keepends=True)
    yield from lines
    yield from stream


def _str_or_none(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
