"""atheris fuzz target for the ingest path: bytes -> text/HTML/JSONL readers -> Document or
InputError. Any other exception is a bug.

    make fuzz                                      # 10 minutes
    .venv/bin/python fuzz/fuzz_ingest.py -max_total_time=30 -atheris_runs=...

The test suite runs it for a bounded number of inputs (tests/test_fuzz.py).
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from dyad.errors import InputError
    from dyad.readers.sources import read_file, read_stream
    from dyad.types import Document

_FOLDER = Path(tempfile.mkdtemp(prefix="dyad-fuzz-"))
_KINDS = ("text", "html", "jsonl")
_SUFFIXES = (".txt", ".html", ".jsonl")


def one_input(data: bytes) -> None:
    """Feed ``data`` to every reader; only Documents and InputErrors may come out."""
    if not data:
        return
    choice = data[0] % 3
    body = data[1:]
    path = _FOLDER / f"input{_SUFFIXES[choice]}"
    path.write_bytes(body)
    items = list(read_file(path))
    text = body.decode("utf-8", "replace")
    items += list(read_stream(io.StringIO(text), "<fuzz>", fmt=_KINDS[choice]))
    for item in items:
        if not isinstance(item, Document | InputError):
            raise TypeError(f"reader yielded {type(item).__name__}")


def main() -> None:
    """Run the fuzzer (libFuzzer flags from the command line)."""
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
