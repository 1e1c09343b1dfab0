"""Peak memory of `dyad ingest` as the input grows (streaming: it should stay flat).

Usage:
    python bench/memory.py CORPUS.jsonl [--docs 10000 100000] [--chars 600] [--out FILE]
                           [dyad ingest options, e.g. --fast]

For each size N, writes N documents to a temporary JSONL file (the corpus texts, cut to
``--chars`` characters, cycled with a numbered line so every document is new), runs
``dyad ingest`` on it in a child process with a fresh store, and records the child's peak
RSS, wall time and documents per second.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

PEAK = (
    "import resource, subprocess, sys; rc = subprocess.call(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(rc)"
)


def _texts(path: Path, chars: int) -> list[str]:
    texts = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line).get("text")
            if isinstance(text, str) and len(text.strip()) > 100:
                texts.append(text.strip()[:chars])
    return texts


def measure(texts: list[str], size: int, extra: list[str]) -> dict:
    """Ingest ``size`` documents in a child process; its peak RSS and speed."""
    dyad = str(Path(sys.executable).parent / "dyad")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for number, text in enumerate(islice(cycle(texts), size)):
                out.write(json.dumps({"text": f"{text}\n\nItem {number}."}) + "\n")
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                PEAK,
                dyad,
                "ingest",
                str(corpus),
                "--quiet",
                "--db",
                str(Path(tmp) / "store.duckdb"),
                *extra,
            ],
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"dyad ingest failed: {done.stderr[-2000:]}")
    return {
        "documents": size,
        "peak_rss_mb": round(int(done.stdout.strip().splitlines()[-1]) / 1024),
        "seconds": round(seconds, 1),
        "docs_per_s": round(size / seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--docs", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--chars", type=int, default=600)
    parser.add_argument("--out", type=Path)
    # any other option goes to dyad ingest (e.g. --fast)
    args, extra = parser.parse_known_args(argv)
    texts = _texts(args.corpus, args.chars)
    runs = [measure(texts, n, extra) for n in args.docs]
    for run in runs:
        print(json.dumps(run), flush=True)
    result = {
        "corpus": str(args.corpus),
        "chars_per_document": args.chars,
        "runs": runs,
        "ingest_options": extra,
        "growth": round(runs[-1]["peak_rss_mb"] / runs[0]["peak_rss_mb"] - 1, 3),
        "machine": f"{platform.machine()} {platform.python_version()}",
    }
    print(json.dumps(result, indent=2))
    out = args.out or Path(__file__).parent / "results" / "memory.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
