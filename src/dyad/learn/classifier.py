"""Softmax regression heads shared by dyad's classifiers (lexical features, MiniLM vectors).

Both are trained on sentences written for dyad only, never on evaluation data:
``scripts/train_classifier.py`` (lexical) and ``scripts/finetune_encoder.py`` (MiniLM).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


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

    def save(self, path: Path) -> None:
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


def read_linear(path: Path) -> LinearClassifier | None:
    """A classifier saved with ``LinearClassifier.save`` (weights as float32), or None when the
    file is not there."""
    if not path.exists():
        return None
    return linear_from_arrays(np.load(path, allow_pickle=False))


def linear_from_arrays(data) -> LinearClassifier:
    """The classifier stored as ``labels``, ``weights`` and ``bias`` in a NumPy archive (also
    the head inside the fine-tuned encoder's archive)."""
    return LinearClassifier(
        tuple(str(x) for x in data["labels"]),
        data["weights"].astype(np.float32),
        data["bias"].astype(np.float32),
    )
