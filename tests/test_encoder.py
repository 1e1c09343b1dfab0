"""The NumPy MiniLM encoder must match the reference (torch + transformers) embeddings."""

from __future__ import annotations

import json

import numpy as np
import pytest

from casefiles import DATA
from dyad.learn import encoder

pytestmark = pytest.mark.skipif(not encoder.available(), reason="embed extra not installed")


def test_encoder_matches_reference_embeddings():
    reference = json.loads((DATA / "minilm_reference.json").read_text("utf-8"))
    vectors = encoder.get_encoder().encode(reference["texts"])
    assert vectors.shape == (len(reference["texts"]), 384)
    np.testing.assert_allclose(vectors[:, :8], np.array(reference["first8"]), atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_encoder_similar_sentences_are_closer():
    a, b, c = encoder.get_encoder().encode(
        [
            "Japan signed a treaty with Russia.",
            "Tokyo and Moscow concluded an accord.",
            "Heavy rain fell over the weekend.",
        ]
    )
    assert a @ b > a @ c + 0.3
