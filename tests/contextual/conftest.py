"""Fixtures of the biLM tests: a tiny config, a tiny corpus and a model trained on it once."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

pytest.importorskip("torch")

DATA = Path(__file__).parent / "data"

#: A biLM small enough that a test trains it in a fraction of a second.
TINY = dict(char_embedding_dim=4, filters=((1, 8), (2, 8), (3, 8)), n_highway=1, projection_dim=8, lstm_dim=16,
            n_layers=2, batch_tokens=96, min_count=1, epochs=1, dropout=0.1, seed=3)

_SUBJECTS = ["the cat", "a dog", "my friend", "the old man", "she", "he", "the river", "the bank"]
_VERBS = ["sat on", "looked at", "walked to", "ran past", "painted", "found", "saw"]
_OBJECTS = ["the mat", "a bank of the river", "the bank account", "a red ball", "the green house", "the shop"]


def make_corpus(n: int = 120, seed: int = 0) -> list[list[str]]:
    rng = random.Random(seed)
    return [f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}".split() for _ in range(n)]


@pytest.fixture(scope="session")
def tiny() -> dict:
    """The tiny biLM's settings (:data:`TINY`)."""
    return dict(TINY)


@pytest.fixture(scope="session")
def corpus() -> list[list[str]]:
    return make_corpus()


@pytest.fixture(scope="session")
def tiny_model(corpus):
    from wordvec.contextual import ELMo

    return ELMo(progress=False, **TINY).fit(corpus)


@pytest.fixture
def fresh_bilm():
    """An untrained biLM without softmax, weights seeded."""
    from wordvec.contextual.config import preset_config
    from wordvec.contextual.model import build_bilm

    return build_bilm(preset_config(**TINY), None).eval()
