"""Walk paths, folders and streams, and build ``Document`` records.

Errors are yielded as ``InputError`` values instead of raised, so one bad item
never stops the rest of a batch.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from dyad.errors import InputError
from dyad.readers.decode import DecodeFailure, decode_bytes, decode_line
from dyad.readers.html import extract_html
from dyad.readers.jsonl import parse_jsonl_line, read_jsonl_records
from dyad.readers.normalise import document_id, foreign_script, normalise_text, parse_date
from dyad.readers.text import guess_title, split_front_matter
from dyad.types import Document

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

IngestItem = Document | InputError

# Text and HTML files above this size are refused (JSONL files stream, any size).
MAX_FILE_BYTES = 50 * 2**20
# Longer documents are refused: spaCy's parser is not meant for them; split such a text.
MAX_DOCUMENT_CHARS = 1_000_000


def make_document(
    text: object,
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
    if text is not None and not isinstance(text, str):
        return InputError(origin, f"text must be a string, not {type(text).__name__}")
    if not isinstance(text, str) or not text.strip():
        return InputError(origin, "no text (empty document or missing text field)")
    if len(text) > MAX_DOCUMENT_CHARS:
        return InputError(
            origin, f"too long: {len(text):,} characters (the limit is {MAX_DOCUMENT_CHARS:,})"
        )
    if lang and not str(lang).lower().startswith("en"):
        return InputError(origin, f"language {lang!r} is not supported (dyad codes English)")
    script = foreign_script(text)
    if script:
        return InputError(origin, f"the text is mostly {script}, not English (dyad codes English)")
    normalised = normalise_text(text)
    try:
        when = parse_date(published) or default_date
    except ValueError as exc:
        return InputError(origin, f"{exc}; give the date as YYYY-MM-DD or use --date")
    if when and when > date.today() + timedelta(days=1):
        return InputError(origin, f"publication date {when} is in the future")
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
    """Yield the documents of one file, choosing the reader from ``fmt`` or the suffix.

    JSONL streams line by line (a bad line is reported and the rest read); text and HTML files
    are decoded whole (``dyad.readers.decode``) and refused above ``MAX_FILE_BYTES``.
    """
    name = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
            if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
                yield InputError(name, "binary file, not text")
                return
            kind = (
                fmt
                if fmt not in ("auto", None)
                else _guess_format(name, head.decode("utf-8", "replace"))
            )
            if kind == "jsonl":
                handle.seek(0)
                yield from _read_jsonl_file(handle, name, field_map, default_date)
                return
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                yield InputError(
                    name, f"too large: {size:,} bytes (the limit is {MAX_FILE_BYTES:,}); split it"
                )
                return
            text = decode_bytes(head + handle.read(), html=kind == "html")
    except DecodeFailure as exc:
        yield InputError(name, str(exc))
        return
    except OSError as exc:
        yield InputError(name, f"cannot read: {exc.strerror or exc}")
        return
    yield from read_stream(
        io.StringIO(text), name, default_date=default_date, field_map=field_map, fmt=kind
    )


def _read_jsonl_file(handle, name, field_map, default_date) -> Iterator[IngestItem]:
    for number, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        origin = f"{name}:{number}"
        try:
            record, error = parse_jsonl_line(decode_line(raw), field_map)
        except DecodeFailure as exc:
            record, error = None, str(exc)
        if record is None:
            yield InputError(origin, error or "unreadable")
        else:
            yield document_from_record(record, origin, default_date)


def kind_from_suffix(name: str) -> str | None:
    """jsonl, html or text from a file name's suffix; None when the suffix says nothing."""
    suffix = Path(name).suffix.lower()
    for kind, suffixes in (
        ("jsonl", JSONL_SUFFIXES),
        ("html", HTML_SUFFIXES),
        ("text", TEXT_SUFFIXES),
    ):
        if suffix in suffixes:
            return kind
    return None


def _guess_format(name: str, head: str) -> str:
    known = kind_from_suffix(name)
    if known:
        return known
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
        try:
            page = extract_html(raw)
        except (RecursionError, ValueError) as exc:
            yield InputError(name, f"HTML could not be parsed ({type(exc).__name__})")
            return
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
    return make_document(
        record.get("text"),
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
