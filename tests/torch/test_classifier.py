"""The embedding-average text classifier on a small separable synthetic task."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from wordvec.torch import TextClassifier
from wordvec.vectors.keyed import KeyedVectors

POS = ["good", "great", "fine", "lovely", "superb", "nice"]
NEG = ["bad", "awful", "poor", "dreadful", "terrible", "nasty"]
NEUTRAL = ["the", "film", "was", "a", "plot", "actor", "really", "story"]


def synthetic(n: int, seed: int) -> tuple[list[str], list[str]]:
    """Texts with neutral filler and sentiment words of one polarity: separable by the mean."""
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(n):
        label = "pos" if i % 2 else "neg"
        words = [rng.choice(NEUTRAL) for _ in range(rng.randint(1, 8))]
        words += [rng.choice(POS if label == "pos" else NEG) for _ in range(rng.randint(1, 3))]
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def trained():
    texts, labels = synthetic(400, seed=1)
    clf = TextClassifier(8, epochs=30, learning_rate=0.02, batch_size=16, patience=5, seed=3)
    return clf.fit(texts, labels)


def test_reaches_full_accuracy_on_a_separable_task(trained):
    texts, labels = synthetic(200, seed=2)
    assert trained.evaluate(texts, labels)["accuracy"] == 1.0
    assert trained.classes_ == ["neg", "pos"]
    assert trained.predict(["a really lovely film", "the awful plot"]) == ["pos", "neg"]
    proba = trained.predict_proba(["good", "bad", "unseenword"])
    assert proba.shape == (3, 2) and proba.dtype == np.float32
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)


def test_history_early_stopping_and_best_epoch(trained):
    h = trained.history_
    assert [r["epoch"] for r in h] == list(range(1, len(h) + 1))
    assert {"loss", "accuracy", "val_loss", "val_accuracy", "seconds"} <= set(h[0])
    best = min(r["val_loss"] for r in h)
    assert h[trained.best_epoch_ - 1]["val_loss"] == best
    assert len(h) - trained.best_epoch_ <= trained.patience


def test_checkpoint_reloads_to_identical_predictions(trained, tmp_path):
    trained.save(tmp_path / "model")
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == ["config.json", "vocab.json", "weights.pt"]
    meta = json.loads((tmp_path / "model" / "config.json").read_text())
    assert meta["classes"] == ["neg", "pos"] and meta["best_epoch"] == trained.best_epoch_
    again = TextClassifier.load(tmp_path / "model")
    texts, _ = synthetic(50, seed=4)
    np.testing.assert_array_equal(again.predict_proba(texts), trained.predict_proba(texts))
    assert again.predict(texts) == trained.predict(texts)
    assert again.vocabulary_ == trained.vocabulary_


def test_same_seed_same_model():
    texts, labels = synthetic(100, seed=5)
    a = TextClassifier(4, epochs=2, seed=7).fit(texts, labels)
    b = TextClassifier(4, epochs=2, seed=7).fit(texts, labels)
    np.testing.assert_array_equal(a.predict_proba(texts), b.predict_proba(texts))


def test_learned_embedding_exports_to_keyed_vectors(trained):
    wv = trained.wv
    assert isinstance(wv, KeyedVectors) and wv.vector_size == 8 and "<pad>" not in wv
    assert set(POS + NEG) <= set(wv.index_to_key)
    sims = {w: s for w, s in wv.most_similar("great", topn=len(wv) - 1)}
    assert min(sims[w] for w in POS if w != "great") > max(sims[w] for w in NEG)


def test_pretrained_vectors_frozen_and_fine_tuned():
    rng = np.random.default_rng(0)
    words = POS + NEG + NEUTRAL
    vecs = rng.normal(scale=0.1, size=(len(words), 6)).astype(np.float32)
    vecs[: len(POS), 0] += 1.0
    vecs[len(POS): len(POS) + len(NEG), 0] -= 1.0
    kv = KeyedVectors(words, vecs)
    texts, labels = synthetic(200, seed=6)
    frozen = TextClassifier(vectors=kv, freeze=True, epochs=20, learning_rate=0.02, seed=0).fit(texts, labels)
    np.testing.assert_array_equal(frozen.wv.vectors, kv.vectors)  # frozen: unchanged
    assert frozen.evaluate(*synthetic(100, seed=7))["accuracy"] == 1.0
    tuned = TextClassifier(vectors=kv, epochs=3, seed=0).fit(texts[:20], labels[:20])
    assert tuned.pretrained_found_ == len(words) and set(tuned.wv.index_to_key) == set(words)
    assert not np.array_equal(tuned.wv["good"], kv["good"])


def test_config_is_a_validated_property(trained):
    from wordvec.config import ClassifierConfig

    assert trained.config == ClassifierConfig(embedding_dim=8, epochs=30, learning_rate=0.02, batch_size=16,
                                              patience=5, seed=3)
    assert repr(trained) == "TextClassifier(embedding_dim=8, epochs=30, batch_size=16, learning_rate=0.02, " \
                            "patience=5, seed=3)"
    with pytest.raises(ValueError, match="hidden"):
        TextClassifier(hidden=0).config


def test_clear_errors():
    from wordvec.exceptions import NotFittedError

    with pytest.raises(NotFittedError, match="fit"):
        TextClassifier().predict(["a"])
    with pytest.raises(NotFittedError, match="fit"):
        TextClassifier().wv
    with pytest.raises(ValueError, match="two classes"):
        TextClassifier().fit(["a", "b"], ["x", "x"])
    with pytest.raises(ValueError, match="batch_size"):
        TextClassifier(batch_size=0).fit(["a", "b"], ["x", "y"])
    with pytest.raises(ValueError, match="validation labels"):
        TextClassifier(epochs=1).fit(["a", "b"], ["x", "y"], validation=(["a"], ["z"]))
