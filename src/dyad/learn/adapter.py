"""Low-rank adapters (LoRA) that turn the frozen MiniLM encoder into dyad's event classifier.

``scripts/finetune_encoder.py`` trains, for every linear layer of the six transformer blocks,
an update ``scale * B @ A`` of rank 16, and a softmax head on the pooled sentence vector. The
archive ``data/plover_encoder.npz`` holds A and B per layer, the scale and the head; loading
merges each update into a copy of the base weight, so inference costs what the plain encoder
costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from dyad.errors import ModelError
from dyad.learn.classifier import LinearClassifier, linear_from_arrays

ADAPTER_WEIGHTS = Path(__file__).parent / "data" / "plover_encoder.npz"
# The linear layers of each transformer block that carry an adapter (names as in the weights).
ADAPTED_LAYERS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)


@dataclass(frozen=True)
class Adapter:
    """Weight updates by parameter name (``...dense.weight``) and the head that reads the
    adapted sentence vectors."""

    updates: dict[str, np.ndarray]
    head: LinearClassifier

    def apply(self, weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """A copy of ``weights`` with every update added (raises ModelError on a mismatch)."""
        merged = dict(weights)
        for name, update in self.updates.items():
            base = weights.get(name)
            if base is None or base.shape != update.shape:
                raise ModelError(
                    f"the event classifier's adapter does not fit the encoder ({name}); "
                    "retrain it with scripts/finetune_encoder.py"
                )
            merged[name] = (base + update).astype(np.float32)
        return merged


def read_adapter(path: Path) -> Adapter | None:
    """The adapter saved by ``scripts/finetune_encoder.py``, or None when the file is absent."""
    if not path.exists():
        return None
    data = np.load(path, allow_pickle=False)
    scale = float(data["scale"])
    updates = {}
    for key in data.files:
        if key.endswith(".a"):
            stem = key[: -len(".a")]
            updates[stem + ".weight"] = scale * (data[stem + ".b"] @ data[key])
    return Adapter(updates, linear_from_arrays(data))


@lru_cache(maxsize=1)
def load_adapter(path: Path = ADAPTER_WEIGHTS) -> Adapter | None:
    """The shipped adapter, or None when it is not installed."""
    return read_adapter(path)
