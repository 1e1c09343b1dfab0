"""Retrain dyad's lexical event-type classifier from sentences written for dyad.

Usage:
    python scripts/train_classifier.py

Writes src/dyad/learn/data/lexical_classifier.npz (hashed word stems, NumPy only). The MiniLM
classifier is fine-tuned by scripts/finetune_encoder.py (needs torch), from the same examples
and the same held-out split, which this module provides.

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


def held_out_split(labels: list[str]) -> tuple[list[int], list[int]]:
    """A stratified, seeded 15% held-out split: (fit indices, test indices)."""
    rng = random.Random(0)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    held = set()
    for indices in by_label.values():
        rng.shuffle(indices)
        held.update(indices[: max(1, len(indices) * 15 // 100)])
    return [i for i in range(len(labels)) if i not in held], sorted(held)


def held_out_report(predicted: list[tuple[str, float]], gold: list[str]) -> dict:
    """Accuracy, and precision/coverage at several probability thresholds."""
    report = {
        "held_out": len(gold),
        "held_out_accuracy": round(
            float(np.mean([p == g for (p, _), g in zip(predicted, gold, strict=True)])), 4
        ),
    }
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        kept = [(p, g) for (p, prob), g in zip(predicted, gold, strict=True) if prob >= threshold]
        report[f"precision_at_{threshold}"] = round(
            float(np.mean([p == g for p, g in kept])) if kept else 0.0, 4
        )
        report[f"coverage_at_{threshold}"] = round(len(kept) / len(gold), 4)
    return report


def main(argv: list[str] | None = None) -> int:
    """Train, report held-out accuracy, and write the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)

    pairs = load_examples()
    texts = [t for t, _ in pairs]
    labels = [label for _, label in pairs]
    print(f"{len(pairs)} examples: {dict(sorted(Counter(labels).items()))}", file=sys.stderr)
    fit, test = held_out_split(labels)
    gold = [labels[i] for i in test]
    reports = {"examples": len(pairs)}

    from dyad.learn.classifier import LinearClassifier
    from dyad.learn.lexical import WEIGHTS as LEXICAL_WEIGHTS
    from dyad.learn.lexical import LexicalClassifier, train_lexical
    from dyad.nlp.build import load_model

    # parsed as dyad parses news, so the clause features match those seen when coding
    parsed = list(load_model().pipe(texts, batch_size=64))
    model = train_lexical([parsed[i] for i in fit], [labels[i] for i in fit])
    predicted = LexicalClassifier(model)([parsed[i] for i in test])
    reports["lexical"] = held_out_report(predicted, gold)
    final = train_lexical(parsed, labels)
    # half precision is plenty for hashed-feature weights and halves the file
    LinearClassifier(final.labels, final.weights.astype(np.float16), final.bias).save(
        LEXICAL_WEIGHTS
    )

    print(json.dumps(reports, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
