"""A lexical event-type classifier: softmax regression over hashed word stems and stem pairs.

It needs nothing beyond NumPy and costs microseconds a sentence, so it runs on every sentence
that names an actor. It is the first stage of dyad's classifier cascade (``dyad.coding.fallback``):
where it agrees with the rules, or sees no event, the costly sentence encoder is not asked.
Trained by ``scripts/train_classifier.py`` on sentences written for dyad only.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from dyad.learn.classifier import LinearClassifier, balanced_targets, read_linear, softmax

WEIGHTS = Path(__file__).parent / "data" / "lexical_classifier.npz"
DIMENSIONS = 1 << 14
STEM_LENGTH = 6
_WORD = re.compile(r"[a-z]+")
_STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "and",
        "for",
        "with",
        "by",
        "at",
        "from",
        "as",
        "that",
        "this",
        "is",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "their",
        "his",
        "her",
        "they",
        "he",
        "she",
        "said",
        "says",
        "say",
        "would",
        "will",
    ]
)


def feature_ids(text: str) -> list[int]:
    """Hashed ids of the stems (first six letters of each non-stopword) and adjacent stem pairs."""
    stems = [w[:STEM_LENGTH] for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]
    names = {"u:" + s for s in stems} | {
        f"b:{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)
    }
    return sorted({zlib.crc32(name.encode()) % DIMENSIONS for name in names})


def _sparse_rows(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature ids of every text as one flat array, the row of each id, and its weight (each
    row scaled to unit length)."""
    ids, rows, values = [], [], []
    for row, text in enumerate(texts):
        found = feature_ids(text)
        ids.extend(found)
        rows.extend([row] * len(found))
        values.extend([1.0 / np.sqrt(len(found))] * len(found))
    return np.array(ids, dtype=np.int64), np.array(rows, dtype=np.int64), np.array(values, "f4")


class LexicalClassifier:
    """Predicts (label, probability) per text from hashed stem features."""

    def __init__(self, model: LinearClassifier) -> None:
        self.model = model

    def __call__(self, texts: list[str]) -> list[tuple[str, float]]:
        """The most likely label and its probability for each text."""
        if not texts:
            return []
        logits = np.zeros((len(texts), len(self.model.labels)), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = feature_ids(text)
            if ids:
                logits[row] = self.model.weights[ids].sum(axis=0) / np.sqrt(len(ids))
        return self.model.best(softmax(logits + self.model.bias))


def train_lexical(
    texts: list[str],
    labels: list[str],
    *,
    l2: float = 1e-5,
    epochs: int = 1000,
    learning_rate: float = 40.0,
) -> LinearClassifier:
    """Fit softmax regression on the sparse features by full-batch gradient descent, classes
    balanced (deterministic: same data, same weights)."""
    names, target, sample_weight = balanced_targets(labels)
    ids, rows, values = _sparse_rows(texts)
    weights = np.zeros((DIMENSIONS, len(names)), dtype=np.float32)
    bias = np.zeros(len(names), dtype=np.float32)
    n = len(labels)
    for _ in range(epochs):
        logits = np.zeros((n, len(names)), dtype=np.float32)
        np.add.at(logits, rows, weights[ids] * values[:, None])
        grad = (softmax(logits + bias) - target) * (sample_weight / n)[:, None]
        weight_grad = np.zeros_like(weights)
        np.add.at(weight_grad, ids, grad[rows] * values[:, None])
        weights -= learning_rate * (weight_grad + l2 * weights)
        bias -= learning_rate * grad.sum(axis=0)
    return LinearClassifier(names, weights, bias)


@lru_cache(maxsize=1)
def load_lexical(path: Path = WEIGHTS) -> LexicalClassifier | None:
    """The shipped lexical classifier, or None when no weights are installed."""
    model = read_linear(path)
    return LexicalClassifier(model) if model is not None else None
