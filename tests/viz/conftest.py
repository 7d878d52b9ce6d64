"""Fixtures for the viz tests: small vectors with visible structure (four clusters), Korean keys included."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.vectors.keyed import KeyedVectors

ENGLISH = ["king", "queen", "man", "woman", "prince", "princess", "boy", "girl"]
KOREAN = ["왕", "여왕", "남자", "여자", "한국어", "단어"]


def clustered_vectors(n: int = 120, dim: int = 16, seed: int = 7) -> KeyedVectors:
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=3.0, size=(4, dim))
    keys = ENGLISH + KOREAN + [f"w{i}" for i in range(n - len(ENGLISH) - len(KOREAN))]
    vectors = centres[np.arange(n) % 4] + rng.normal(size=(n, dim))
    counts = np.arange(n, 0, -1) * 10
    return KeyedVectors(keys, vectors.astype(np.float32), counts=counts)


@pytest.fixture(scope="session")
def kv() -> KeyedVectors:
    return clustered_vectors()
