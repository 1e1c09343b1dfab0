"""Inputs for ``dyad batch``: JSONL, text, HTML and Parquet files on local disk or any
filesystem pyarrow supports (``s3://``, ``gs://``, ``hdfs://``, ``file://``)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from dyad.errors import InputError
from dyad.readers.jsonl import FIELDS
from dyad.readers.sources import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    TEXT_SUFFIXES,
    IngestItem,
    document_from_record,
    kind_from_suffix,
    read_stream,
)

PARQUET_SUFFIXES = {".parquet", ".pq"}
BATCH_SUFFIXES = JSONL_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES | PARQUET_SUFFIXES


@dataclass(frozen=True)
class InputFile:
    """One input file: the filesystem path, its kind and the name shown in errors."""

    path: str
    kind: str  # jsonl | text | html | parquet
    name: str


def kind_of(path: str) -> str | None:
    """The input kind from a file suffix, or None for files dyad does not read."""
    if PurePosixPath(path).suffix.lower() in PARQUET_SUFFIXES:
        return "parquet"
    return kind_from_suffix(path)


def filesystem_for(uri: str):
    """(pyarrow filesystem, path within it) for a local path or a URI."""
    from pyarrow import fs

    if "://" in uri:
        return fs.FileSystem.from_uri(uri)
    return fs.LocalFileSystem(), str(uri)


def list_inputs(uris: Iterable[str]) -> tuple[list[InputFile], list[InputError]]:
    """The readable files under each path or URI (folders walked recursively), and errors for
    paths that do not exist or hold nothing readable."""
    from pyarrow import fs

    files: list[InputFile] = []
    errors: list[InputError] = []
    for uri in uris:
        filesystem, path = filesystem_for(uri)
        info = filesystem.get_file_info(path)
        if info.type == fs.FileType.NotFound:
            errors.append(InputError(uri, "no such file or folder"))
            continue
        if info.type == fs.FileType.Directory:
            found = filesystem.get_file_info(fs.FileSelector(path, recursive=True))
            chosen = sorted(f.path for f in found if f.is_file and kind_of(f.path))
            if not chosen:
                errors.append(InputError(uri, "no readable files (.jsonl .parquet .txt .html)"))
            files.extend(InputFile(_rejoin(uri, path, p), kind_of(p), p) for p in chosen)
        elif kind_of(path) is None:
            errors.append(InputError(uri, "unknown file type (.jsonl .parquet .txt .html)"))
        else:
            files.append(InputFile(uri, kind_of(path), path))
    return files, errors


def _rejoin(uri: str, root: str, path: str) -> str:
    """Turn a path found under ``root`` back into a URI like the one given."""
    return uri[: len(uri) - len(root)] + path if "://" in uri and uri.endswith(root) else path


def read_input(
    item: InputFile, field_map: dict[str, str] | None = None, default_date: date | None = None
) -> Iterator[IngestItem]:
    """Yield the documents (or errors) of one input file, streaming."""
    filesystem, path = filesystem_for(item.path)
    try:
        if item.kind == "parquet":
            yield from _read_parquet(filesystem, path, item.name, field_map, default_date)
            return
        with filesystem.open_input_stream(path) as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
            yield from read_stream(
                stream, item.name, default_date=default_date, field_map=field_map, fmt=item.kind
            )
    except UnicodeDecodeError as exc:
        yield InputError(item.name, f"not UTF-8 text (byte {exc.start}); convert it to UTF-8")
    except OSError as exc:
        yield InputError(item.name, f"cannot read: {exc}")


def _read_parquet(filesystem, path, name, field_map, default_date) -> Iterator[IngestItem]:
    import pyarrow.parquet as pq

    field_map = field_map or {}
    with filesystem.open_input_file(path) as handle:
        parquet = pq.ParquetFile(handle)
        number = 0
        for batch in parquet.iter_batches(batch_size=256):
            for row in batch.to_pylist():
                number += 1
                record = {f: row.get(field_map.get(f, f)) for f in FIELDS}
                yield document_from_record(record, f"{name}:row {number}", default_date)
