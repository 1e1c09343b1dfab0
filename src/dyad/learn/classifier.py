"""A linear event-type classifier over sentence embeddings (multinomial logistic regression).

Trained by ``scripts/train_classifier.py`` on sentences written for dyad only (never on
evaluation data); the weights ship as ``dyad/learn/data/plover_classifier.npz``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).parent / "data" / "plover_classifier.npz"


@dataclass(frozen=True)
class LinearClassifier:
    """Softmax regression: ``labels[argmax(x @ weights + bias)]``."""

    labels: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """Class probabilities for each row of ``embeddings``."""
        return softmax(embeddings @ self.weights + self.bias)

    def predict(self, embeddings: np.ndarray) -> list[tuple[str, float]]:
        """The most likely label and its probability for each row."""
        return self.best(self.probabilities(embeddings))

    def best(self, probabilities: np.ndarray) -> list[tuple[str, float]]:
        """The most likely label and its probability for each row of class probabilities."""
        chosen = probabilities.argmax(axis=1)
        return [(self.labels[i], float(probabilities[row, i])) for row, i in enumerate(chosen)]

    def save(self, path: Path = WEIGHTS) -> None:
        """Write the classifier as a compressed NumPy archive."""
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path, labels=np.array(self.labels), weights=self.weights, bias=self.bias
        )


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax (stable: the row maximum is subtracted first)."""
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def balanced_targets(labels: list[str]) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """(label names, one-hot targets, per-example weights that make each class weigh the same
    in the loss)."""
    names = tuple(sorted(set(labels)))
    index = {name: i for i, name in enumerate(names)}
    target = np.zeros((len(labels), len(names)), dtype=np.float32)
    target[np.arange(len(labels)), [index[label] for label in labels]] = 1.0
    class_weight = len(labels) / (len(names) * target.sum(axis=0))
    return names, target, (target * class_weight).sum(axis=1)


def train(
    embeddings: np.ndarray,
    labels: list[str],
    *,
    l2: float = 1e-3,
    epochs: int = 400,
    learning_rate: float = 0.5,
    seed: int = 0,
) -> LinearClassifier:
    """Fit softmax regression by full-batch gradient descent (deterministic for a seed)."""
    names, y, sample_weight = balanced_targets(labels)
    sample_weight = sample_weight[:, None]
    rng = np.random.default_rng(seed)
    weights = rng.normal(0, 0.01, (embeddings.shape[1], len(names))).astype(np.float32)
    bias = np.zeros(len(names), dtype=np.float32)
    n = len(labels)
    for _ in range(epochs):
        grad = (softmax(embeddings @ weights + bias) - y) * sample_weight / n
        weights -= learning_rate * (embeddings.T @ grad + l2 * weights)
        bias -= learning_rate * grad.sum(axis=0)
    return LinearClassifier(names, weights, bias)


def read_linear(path: Path) -> LinearClassifier | None:
    """A classifier saved with ``LinearClassifier.save`` (weights as float32), or None when the
    file is not there."""
    if not path.exists():
        return None
    data = np.load(path, allow_pickle=False)
    return LinearClassifier(
        tuple(str(x) for x in data["labels"]),
        data["weights"].astype(np.float32),
        data["bias"].astype(np.float32),
    )


@lru_cache(maxsize=1)
def load_classifier(path: Path = WEIGHTS) -> LinearClassifier | None:
    """The shipped classifier, or None when no weights are installed."""
    return read_linear(path)
