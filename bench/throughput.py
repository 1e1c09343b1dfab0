"""Throughput of dyad against spaCy's own ``nlp.pipe`` on the same texts and cores.

Usage:
    python bench/throughput.py CORPUS.jsonl [--limit N] [--workers N] [--out FILE]

Measures, in one run and on the same documents and cores (``--workers``):
- spaCy: ``nlp.pipe`` with the full English pipeline (every component), no dyad code;
- dyad ingest in one mode (``--ingest-mode``, fast by default): read JSONL + code + write to a
  fresh DuckDB file (end to end);
- dyad code (no store) in each coding mode: default (patterns + lexical + fine-tuned MiniLM
  where it can change the answer), fast (patterns + lexical), rules_only, exhaustive.
Prints docs/s, words/s, sentences/s, peak RSS, and the ratio of dyad to spaCy. Both are
warmed on the first ``--warmup`` documents first (untimed), so every timed run sees warm
per-word caches, as in a long stream.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path


def _texts(path: Path, limit: int) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in islice(handle, limit):
            record = json.loads(line)
            if isinstance(record.get("text"), str) and record["text"].strip():
                rows.append(record)
    return rows


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# coding modes: keyword arguments of Pipeline / dyad.api.ingest
MODES = {
    "default": {},
    "fast": {"fast": True},
    "rules_only": {"classifier": False},
    "exhaustive": {"exhaustive": True},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--modes",
        nargs="+",
        default=["default", "fast", "rules_only", "exhaustive"],
        help="coding modes to time (default fast rules_only exhaustive)",
    )
    parser.add_argument("--ingest-mode", choices=sorted(MODES), default="fast")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per step (median)")
    parser.add_argument(
        "--warmup",
        type=int,
        default=100,
        help="documents run through spaCy and dyad, untimed, before timing (warm caches)",
    )
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2

    from dyad.api import ingest
    from dyad.nlp.build import load_model
    from dyad.pipeline import Pipeline
    from dyad.readers.sources import make_document

    records = _texts(args.corpus, args.limit)
    texts = [r["text"] for r in records]
    words = sum(len(t.split()) for t in texts)

    full = load_model("en", full=True)
    # steady state, as in a long stream: spaCy's and dyad's per-word caches (tokenizer,
    # lemmatiser, dyad's memoised rules) are warmed on the same documents before timing
    warm = texts[: args.warmup]
    list(full.pipe(warm, batch_size=32))
    list(Pipeline(classifier=False).code(make_document(t, f"warm:{i}") for i, t in enumerate(warm)))
    documents = [make_document(t, f"{args.corpus}:{i}") for i, t in enumerate(texts, 1)]
    pipelines = {name: Pipeline(**MODES[name]) for name in MODES if name in args.modes}
    spacy_runs: list[float] = []
    ingest_runs: list[float] = []
    mode_runs: dict[str, list[float]] = {name: [] for name in pipelines}
    coded: dict[str, dict] = {}
    sentences = 0
    # each step runs --repeat times, the steps interleaved, and the median is kept: the
    # machine's speed drifts by several percent from one minute to the next
    for _ in range(args.repeat):
        start = time.perf_counter()
        sentences = 0
        for doc in full.pipe(texts, batch_size=32, n_process=args.workers):
            sentences += sum(1 for _ in doc.sents)
        spacy_runs.append(time.perf_counter() - start)

        for name, pipeline in pipelines.items():
            pipeline.parser.sentences_seen = pipeline.parser.sentences_parsed = 0
            if pipeline.classifier is not None:
                pipeline.classifier.asked = pipeline.classifier.sent_on = 0
            start = time.perf_counter()
            events = sum(len(c.events) for c in pipeline.code(documents, n_process=args.workers))
            mode_runs[name].append(time.perf_counter() - start)
            coded[name] = {"events": events, "version": pipeline.version}
            if pipeline.classifier is not None:
                coded[name]["classifier_asked"] = pipeline.classifier.asked
                coded[name]["encoder_asked"] = pipeline.classifier.sent_on
            if pipeline.parser.sentences_seen:
                coded[name]["sentences_parsed"] = pipeline.parser.sentences_parsed
                coded[name]["sentences_seen"] = pipeline.parser.sentences_seen

        with tempfile.TemporaryDirectory() as tmp:
            subset = Path(tmp) / "subset.jsonl"
            subset.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), "utf-8")
            start = time.perf_counter()
            report = ingest(
                [subset],
                Path(tmp) / "bench.duckdb",
                workers=args.workers,
                **MODES[args.ingest_mode],
            )
            ingest_runs.append(time.perf_counter() - start)
    spacy_s = statistics.median(spacy_runs)
    ingest_s = statistics.median(ingest_runs)
    for name, runs in mode_runs.items():
        coded[name]["seconds"] = statistics.median(runs)
        coded[name]["runs"] = [round(r, 2) for r in runs]

    def rates(seconds: float) -> dict:
        return {
            "seconds": round(seconds, 2),
            "docs_per_s": round(len(texts) / seconds, 1),
            "words_per_s": round(words / seconds),
            "sentences_per_s": round(sentences / seconds),
        }

    result = {
        "corpus": str(args.corpus),
        "documents": len(texts),
        "words": words,
        "sentences": sentences,
        "workers": args.workers,
        "warmup_documents": len(texts[: args.warmup]),
        "repeat": args.repeat,
        "spacy_full_pipe": {**rates(spacy_s), "runs": [round(r, 2) for r in spacy_runs]},
        "dyad_ingest": {
            **rates(ingest_s),
            "runs": [round(r, 2) for r in ingest_runs],
            "mode": args.ingest_mode,
            "ingested": report.added,
        },
        "ratio_dyad_ingest_to_spacy": round(spacy_s / ingest_s, 2),
        "dyad_code": {
            name: {
                **rates(run["seconds"]),
                **{k: v for k, v in run.items() if k != "seconds"},
                "ratio_to_spacy": round(spacy_s / run["seconds"], 2),
            }
            for name, run in coded.items()
        },
        "peak_rss_mb": round(_peak_rss_mb()),
        "machine": f"{platform.machine()} {platform.python_version()}",
        "model": f"{full.meta['name']}-{full.meta['version']}",
    }
    print(json.dumps(result, indent=2))
    name = f"throughput-{args.corpus.stem}-{args.workers}w.json"
    out = args.out or Path(__file__).parent / "results" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
