"""Low-rank adapters: merged exactly into the encoder's weights, refused when they do not fit."""

from __future__ import annotations

import numpy as np
import pytest

from dyad.coding.fallback import TYPE_CODES
from dyad.errors import ModelError
from dyad.learn import encoder
from dyad.learn.adapter import ADAPTED_LAYERS, Adapter, load_adapter, read_adapter
from dyad.learn.classifier import LinearClassifier

needs_encoder = pytest.mark.skipif(not encoder.available(), reason="embed extra not installed")
HEAD = LinearClassifier(("A", "B"), np.zeros((384, 2), np.float32), np.zeros(2, np.float32))


def _write(path, arrays: dict) -> None:
    np.savez_compressed(
        path,
        labels=np.array(HEAD.labels),
        weights=HEAD.weights,
        bias=HEAD.bias,
        **arrays,
    )


@pytest.mark.parametrize(
    ("scale", "rank", "out_features", "in_features"),
    [(2.0, 4, 6, 5), (0.5, 1, 3, 3), (1.0, 8, 2, 7)],
)
def test_read_adapter_merges_scaled_low_rank_update(
    tmp_path, scale, rank, out_features, in_features
):
    rng = np.random.default_rng(rank)
    a = rng.normal(size=(rank, in_features)).astype(np.float32)
    b = rng.normal(size=(out_features, rank)).astype(np.float32)
    base = rng.normal(size=(out_features, in_features)).astype(np.float32)
    _write(tmp_path / "a.npz", {"layer.x.a": a, "layer.x.b": b, "scale": np.array(scale)})
    adapter = read_adapter(tmp_path / "a.npz")
    merged = adapter.apply({"layer.x.weight": base, "other": base})
    np.testing.assert_allclose(merged["layer.x.weight"], base + scale * b @ a, rtol=1e-5)
    assert merged["other"] is base


@pytest.mark.parametrize(
    "weights",
    [{}, {"layer.x.weight": np.zeros((3, 3), np.float32)}],
    ids=["missing", "wrong-shape"],
)
def test_adapter_that_does_not_fit_is_refused(weights):
    adapter = Adapter({"layer.x.weight": np.ones((2, 3), np.float32)}, HEAD)
    with pytest.raises(ModelError, match="layer.x.weight"):
        adapter.apply(weights)


def test_missing_adapter_file_reads_as_none(tmp_path):
    assert read_adapter(tmp_path / "absent.npz") is None


def test_shipped_adapter_covers_every_block_and_type():
    adapter = load_adapter()
    assert adapter is not None
    expected = {
        f"encoder.layer.{i}.{n}.weight" for i in range(encoder.LAYERS) for n in ADAPTED_LAYERS
    }
    assert set(adapter.updates) == expected
    assert set(TYPE_CODES) <= set(adapter.head.labels)


@needs_encoder
def test_zero_update_leaves_embeddings_unchanged():
    zero = {
        f"encoder.layer.{i}.{n}.weight": np.zeros_like(
            encoder.get_encoder().weights[f"encoder.layer.{i}.{n}.weight"]
        )
        for i in range(encoder.LAYERS)
        for n in ADAPTED_LAYERS
    }
    plain = encoder.get_encoder()
    adapted = encoder.SentenceEncoder(adapter=Adapter(zero, HEAD))
    texts = ["Japan signed a treaty with Russia.", "Police dispersed the crowd."]
    np.testing.assert_allclose(adapted.encode(texts), plain.encode(texts), atol=1e-6)


@needs_encoder
def test_shipped_adapter_changes_the_embeddings():
    texts = ["Japan signed a treaty with Russia."]
    plain = encoder.get_encoder().encode(texts)
    tuned = encoder.get_tuned_encoder().encode(texts)
    assert float(plain[0] @ tuned[0]) < 0.999
