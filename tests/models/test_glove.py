"""GloVe: the loss decreases, topics are learnt, matrices are reusable, GloVe text round-trip."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.cooccur import build_cooccurrence
from wordvec.models.glove import GloVe
from wordvec.models.word2vec import NotFittedError

TOPICS = [[f"{t}{i}" for i in range(10)] for t in "abc"]
ALL = sum(TOPICS, [])


def topic_corpus(rng, n=2000, noise=0.2):
    """Sentences drawn from one topic each, with some words replaced by random ones."""
    return [[str(w) if rng.random() > noise else str(rng.choice(ALL)) for w in rng.choice(TOPICS[s % 3], 12)]
            for s in range(n)]


def topic_accuracy(kv) -> float:
    hits = 0
    for w in ALL:
        top = [k for k, _ in kv.most_similar(w, topn=5)]
        hits += sum(k[0] == w[0] for k in top)
    return hits / (5 * len(ALL))


def test_init_stores_params_and_wv_before_fit_is_clear():
    m = GloVe(50, x_max=10, epochs=3)
    assert (m.vector_size, m.x_max, m.epochs, m.window, m.weight_exponent, m.learning_rate) == (50, 10, 3, 10, 0.75, 0.05)
    with pytest.warns(DeprecationWarning, match="weight_exponent"):
        assert GloVe(alpha=0.5).config.weight_exponent == 0.5  # the name of earlier versions
    with pytest.raises(NotFittedError, match="fit"):
        m.wv
    with pytest.raises(ValueError, match="x_max"):
        GloVe(x_max=0).fit([["a", "b"]])
    with pytest.raises(ValueError, match="output"):
        GloVe(output="both").fit([["a", "b"]])


def test_loss_decreases_and_topics_are_learnt(rng):
    m = GloVe(vector_size=16, min_count=1, epochs=20, x_max=10, workers=1, progress=False).fit(topic_corpus(rng))
    losses = m.loss_history_
    assert len(losses) == 20 and all(isinstance(x, float) for x in losses)
    assert losses[-1] < 0.1 * losses[0]
    assert all(b <= a * 1.01 for a, b in zip(losses, losses[1:]))
    assert topic_accuracy(m.wv) > 0.9
    assert m.wv.vectors.dtype == np.float32 and m.wv.vectors.shape == (30, 16)
    assert m.epoch_logs_[-1].examples == m.cooccurrence_.nnz


def test_workers_1_with_seed_is_reproducible_and_output_word(rng):
    mat = build_cooccurrence(topic_corpus(rng, 300), min_count=1, progress=False)
    a = GloVe(vector_size=8, epochs=3, workers=1, seed=3, progress=False).fit_cooccurrence(mat)
    b = GloVe(vector_size=8, epochs=3, workers=1, seed=3, progress=False).fit_cooccurrence(mat)
    np.testing.assert_array_equal(a.wv.vectors, b.wv.vectors)
    w = GloVe(vector_size=8, epochs=3, workers=1, seed=3, output="word", progress=False).fit_cooccurrence(mat)
    np.testing.assert_allclose(w.wv.vectors, a.word_vectors_[:, :8])
    np.testing.assert_allclose(a.wv.vectors, a.word_vectors_[:, :8] + a.context_vectors_[:, :8])


def test_hogwild_two_workers_learns(rng):
    mat = build_cooccurrence(topic_corpus(rng), min_count=1, progress=False)
    m = GloVe(vector_size=16, epochs=20, x_max=10, workers=2, progress=False)
    import wordvec.models.glove as g

    old = g._JOB_ENTRIES
    g._JOB_ENTRIES = 64  # many small jobs so both threads run
    try:
        m.fit_cooccurrence(mat)
    finally:
        g._JOB_ENTRIES = old
    assert m.loss_history_[-1] < 0.1 * m.loss_history_[0]
    assert topic_accuracy(m.wv) > 0.9


def test_saved_matrix_is_reusable_and_glove_text_round_trip(rng, tmp_path):
    from wordvec.io import load_glove, save_glove

    mat = build_cooccurrence(topic_corpus(rng, 300), min_count=1, progress=False)
    mat.save(tmp_path / "m.npz")
    m = GloVe(vector_size=8, epochs=2, workers=1, progress=False).fit_cooccurrence(tmp_path / "m.npz")
    assert m.wv.index_to_key == mat.keys
    save_glove(m.wv, tmp_path / "vectors.txt")
    back = load_glove(tmp_path / "vectors.txt")
    assert back.index_to_key == m.wv.index_to_key
    np.testing.assert_allclose(back.vectors, m.wv.vectors, rtol=1e-6, atol=1e-7)
    m.save(tmp_path / "native")
    import wordvec

    np.testing.assert_array_equal(wordvec.load(tmp_path / "native").vectors, m.wv.vectors)


def test_empty_matrix_is_a_clear_error():
    with pytest.raises(ValueError, match="co-occurrence matrix is empty"):
        GloVe(min_count=1, progress=False).fit([["a"], ["b"]])
