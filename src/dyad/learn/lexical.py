"""A lexical event-type classifier: softmax regression over hashed word stems, stem pairs and
clause features of the parse (``dyad.learn.clause``: main verb with its objects, negation...).

It needs nothing beyond NumPy and the parse spaCy has already made, and costs microseconds a
sentence, so it runs on every sentence that names an actor. It is the first stage of dyad's
classifier cascade (``dyad.coding.fallback``): where it agrees with the rules, or sees no
event, the costly sentence encoder is not asked. Trained by ``scripts/train_classifier.py`` on
sentences written for dyad only, parsed by the same spaCy model.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Span

from dyad.learn.classifier import LinearClassifier, balanced_targets, read_linear, softmax
from dyad.learn.clause import clause_features

WEIGHTS = Path(__file__).parent / "data" / "lexical_classifier.npz"
DIMENSIONS = 1 << 14
STEM_LENGTH = 6
# Weight of a clause feature against a word feature (1.0) in a sentence's feature vector: 1.5
# and 2.0 did equally well on the held-out split of the training sentences (0.817 and 0.818
# accuracy, against 0.800 at 0.7 and 0.773 with no clause features).
CLAUSE_WEIGHT = 1.5
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


# a sentence as the classifier sees it: plain text, or a parsed sentence (or parsed text)
Sentence = str | Span | Doc


def sentence_features(sentence: Sentence) -> tuple[list[int], list[float]]:
    """Feature ids of a sentence and their weights, scaled to unit length: word features from
    its text, and clause features when it is parsed."""
    if isinstance(sentence, str):
        ids = feature_ids(sentence)
        weights = [1.0] * len(ids)
    else:
        ids = feature_ids(sentence.text)
        words = set(ids)
        clause = {
            zlib.crc32(f"s:{name}".encode()) % DIMENSIONS for name in clause_features(sentence)
        }
        extra = sorted(clause - words)
        ids = ids + extra
        weights = [1.0] * len(words) + [CLAUSE_WEIGHT] * len(extra)
    if not ids:
        return [], []
    norm = float(np.sqrt(sum(w * w for w in weights)))
    return ids, [w / norm for w in weights]


def _sparse_rows(sentences: list[Sentence]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature ids of every sentence as one flat array, the row of each id, and its weight."""
    ids, rows, values = [], [], []
    for row, sentence in enumerate(sentences):
        found, weights = sentence_features(sentence)
        ids.extend(found)
        rows.extend([row] * len(found))
        values.extend(weights)
    return np.array(ids, dtype=np.int64), np.array(rows, dtype=np.int64), np.array(values, "f4")


class LexicalClassifier:
    """Predicts (label, probability) per sentence from hashed word and clause features."""

    def __init__(self, model: LinearClassifier) -> None:
        self.model = model

    def __call__(self, sentences: list[Sentence]) -> list[tuple[str, float]]:
        """The most likely label and its probability for each sentence (text or parsed)."""
        if not sentences:
            return []
        logits = np.zeros((len(sentences), len(self.model.labels)), dtype=np.float32)
        for row, sentence in enumerate(sentences):
            ids, weights = sentence_features(sentence)
            if ids:
                logits[row] = np.asarray(weights, dtype=np.float32) @ self.model.weights[ids]
        return self.model.best(softmax(logits + self.model.bias))


def train_lexical(
    sentences: list[Sentence],
    labels: list[str],
    *,
    l2: float = 1e-5,
    epochs: int = 1000,
    learning_rate: float = 40.0,
) -> LinearClassifier:
    """Fit softmax regression on the sparse features by full-batch gradient descent, classes
    balanced (deterministic: same data, same weights). Train on parsed sentences for a model
    that will classify parsed sentences."""
    names, target, sample_weight = balanced_targets(labels)
    ids, rows, values = _sparse_rows(sentences)
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
