"""Shared fixtures. Tests that need ../shared/data skip with a clear reason where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("WORDVEC_SHARED_DATA", ROOT.parent / "shared" / "data"))
SEED = 12345


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(SEED)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA} (set WORDVEC_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_model():
    """Skip-gram trained once per session on the first lines of the bundled demo corpus."""
    from wordvec import Word2Vec
    from wordvec.demo import demo_corpus_path

    return Word2Vec(vector_size=50, epochs=2, workers=2, min_count=5, progress=False, seed=3).fit(demo_corpus_path())
