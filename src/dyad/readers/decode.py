"""Bytes to text for input files: UTF-8 first, a declared HTML charset or a byte-order mark
next; binary files and undeclared legacy encodings are refused with a clear reason."""

from __future__ import annotations

import codecs
import re

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class DecodeFailure(ValueError):
    """The bytes are not text dyad can read (the message says why and what to do)."""


def decode_bytes(data: bytes, html: bool = False) -> str:
    """Decode a whole file. Raises DecodeFailure for binary data or unknown encodings."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeFailure(
                    f"starts with a {codec} byte-order mark but is not {codec} (byte {exc.start})"
                ) from exc
    if b"\x00" in data[:8192]:
        raise DecodeFailure("binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        position = exc.start
    declared = _CHARSET.search(data[:8192]) if html else None
    if declared:
        name = declared.group(1).decode("ascii", "replace")
        try:
            return data.decode(codecs.lookup(name).name)
        except LookupError as exc:
            raise DecodeFailure(f"unknown charset {name!r} declared") from exc
        except UnicodeDecodeError as exc:
            raise DecodeFailure(f"not valid {name} (byte {exc.start}) as declared") from exc
    raise DecodeFailure(
        f"not UTF-8 text (byte {position}); convert it to UTF-8"
        + (" or declare its charset" if html else "")
    )


def decode_line(line: bytes) -> str:
    """Decode one JSONL line. Raises DecodeFailure when it is not UTF-8."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeFailure(f"line is not UTF-8 (byte {exc.start}); convert it to UTF-8") from exc
