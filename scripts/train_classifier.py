"""Retrain dyad's event-type classifier from sentences written for dyad.

Usage:
    python scripts/train_classifier.py [--out src/dyad/learn/data/plover_classifier.npz]

Training data (all written for this project, none taken from evaluation sets):
- data/train/*.jsonl: {"text", "plover", "cameo"} news-style sentences, "NONE" for no event;
- the example sentence of every event pattern (src/dyad/coding/data/patterns_*.tsv).
A stratified 15% split is held out to report accuracy; the shipped model is then refit on
everything. Deterministic: same data, same weights.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FIT = {"learning_rate": 20.0, "epochs": 1000, "l2": 1e-4}


def load_examples() -> list[tuple[str, str]]:
    """(text, label) pairs from data/train and the pattern examples."""
    from dyad.coding.cameo import plover_of
    from dyad.coding.patterns import all_patterns

    pairs = []
    for path in sorted((ROOT / "data" / "train").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                label = record.get("plover") or "STATEMENT"
                pairs.append((record["text"], label))
    for pattern in all_patterns():
        if pattern.example:
            pairs.append((pattern.example, plover_of(pattern.code) or "STATEMENT"))
    return list(dict.fromkeys(pairs))


def main(argv: list[str] | None = None) -> int:
    """Train, report held-out accuracy, and write the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    from dyad.learn.classifier import WEIGHTS, train
    from dyad.learn.encoder import get_encoder

    pairs = load_examples()
    texts = [t for t, _ in pairs]
    labels = [label for _, label in pairs]
    print(f"{len(pairs)} examples: {dict(sorted(Counter(labels).items()))}", file=sys.stderr)
    vectors = get_encoder().encode(texts)

    rng = random.Random(0)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    held = set()
    for indices in by_label.values():
        rng.shuffle(indices)
        held.update(indices[: max(1, len(indices) * 15 // 100)])
    fit = [i for i in range(len(labels)) if i not in held]
    test = sorted(held)
    model = train(vectors[fit], [labels[i] for i in fit], **FIT)
    predicted = model.predict(vectors[test])
    accuracy = float(np.mean([p == labels[i] for (p, _), i in zip(predicted, test, strict=True)]))
    report = {
        "examples": len(pairs),
        "held_out": len(test),
        "held_out_accuracy": round(accuracy, 4),
    }
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        kept = [(p, i) for (p, prob), i in zip(predicted, test, strict=True) if prob >= threshold]
        report[f"precision_at_{threshold}"] = round(
            float(np.mean([p == labels[i] for p, i in kept])) if kept else 0.0, 4
        )
        report[f"coverage_at_{threshold}"] = round(len(kept) / len(test), 4)
    print(json.dumps(report, indent=2))
    final = train(vectors, labels, **FIT)
    final.save(args.out or WEIGHTS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
