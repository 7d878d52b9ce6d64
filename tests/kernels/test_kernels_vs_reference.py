"""Each numba kernel against its slow NumPy twin on tiny inputs with the same random draws."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec._kernels import cbow, reference, skipgram
from wordvec._kernels.common import draw_negative, next_random, subsample
from wordvec.vocab import build_huffman, keep_thresholds, negative_table

V, D = 12, 8


@pytest.fixture
def setup(rng):
    counts = np.sort(rng.integers(1, 200, size=V))[::-1].astype(np.int64)
    lengths = [7, 1, 12, 5, 9]
    tokens = rng.choice(V, size=sum(lengths), p=counts / counts.sum()).astype(np.int32)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    syn0 = ((rng.random((V, D), dtype=np.float32) - 0.5) / D).astype(np.float32)
    syn1 = (rng.standard_normal((V, D)).astype(np.float32) * 0.3).astype(np.float32)
    return counts, tokens, offsets, syn0, syn1


def test_rng_matches_word2vec_lcg():
    state = np.array([7], dtype=np.uint64)
    ref = reference.RefRNG(7)
    assert [int(next_random(state)) for _ in range(50)] == [ref.next() for _ in range(50)]


def test_subsample_and_negative_draws_match(setup):
    counts, tokens, _, _, _ = setup
    keep = keep_thresholds(counts, 0.05)
    assert np.any(keep < 2**32)  # the test must exercise dropping
    buf = np.empty(len(tokens), dtype=np.int32)
    state = np.array([99], dtype=np.uint64)
    n = subsample(tokens, 0, len(tokens), keep, buf, state)
    ref = reference.RefRNG(99)
    assert buf[:n].tolist() == reference.ref_subsample(tokens, keep, ref)
    cum = negative_table(counts)
    draws = [draw_negative(cum, state) for _ in range(200)]
    assert draws == [reference.ref_negative(cum, ref) for _ in range(200)]


@pytest.mark.parametrize("sample", [0.0, 0.05])
def test_skipgram_ns(setup, sample):
    counts, tokens, offsets, syn0, syn1 = setup
    keep, cum = keep_thresholds(counts, sample), negative_table(counts)
    a0, a1 = (syn0.copy(), syn1.copy())
    b0, b1 = (syn0.copy(), syn1.copy())
    state = np.array([42], dtype=np.uint64)
    loss, ex, words = skipgram.skipgram_ns(a0, a1, tokens, offsets, keep, cum, 3, 4, 0.5, 0.1, state)
    rloss, rex, rwords, rstate = reference.ref_skipgram(b0, b1, tokens, offsets, keep, 3, 0.5, 0.1, 42,
                                                        cum_table=cum, negative=4)
    assert (ex, words, int(state[0])) == (rex, rwords, rstate)
    assert ex > 20
    np.testing.assert_allclose(a0, b0, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(a1, b1, rtol=1e-4, atol=1e-6)
    assert loss == pytest.approx(rloss, rel=1e-4)
    assert not np.allclose(a0, syn0)  # something was trained


def test_skipgram_hs(setup):
    counts, tokens, offsets, syn0, syn1 = setup
    keep, tree = keep_thresholds(counts, 0.0), build_huffman(counts)
    syn1 = syn1[: V - 1].copy()
    a0, a1, b0, b1 = syn0.copy(), syn1.copy(), syn0.copy(), syn1.copy()
    state = np.array([5], dtype=np.uint64)
    loss, ex, words = skipgram.skipgram_hs(a0, a1, tokens, offsets, keep, tree.codes, tree.points, tree.offsets,
                                           4, 0.4, 0.2, state)
    rloss, rex, rwords, _ = reference.ref_skipgram(b0, b1, tokens, offsets, keep, 4, 0.4, 0.2, 5, tree=tree)
    assert (ex, words) == (rex, rwords)
    np.testing.assert_allclose(a0, b0, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(a1, b1, rtol=1e-4, atol=1e-6)
    assert loss == pytest.approx(rloss, rel=1e-4)


@pytest.mark.parametrize("cbow_mean", [True, False])
def test_cbow_ns(setup, cbow_mean):
    counts, tokens, offsets, syn0, syn1 = setup
    keep, cum = keep_thresholds(counts, 0.05), negative_table(counts)
    a0, a1, b0, b1 = syn0.copy(), syn1.copy(), syn0.copy(), syn1.copy()
    state = np.array([3], dtype=np.uint64)
    loss, ex, words = cbow.cbow_ns(a0, a1, tokens, offsets, keep, cum, 3, 5, cbow_mean, 0.3, 0.3, state)
    rloss, rex, rwords, _ = reference.ref_cbow(b0, b1, tokens, offsets, keep, 3, cbow_mean, 0.3, 0.3, 3,
                                               cum_table=cum, negative=5)
    assert (ex, words) == (rex, rwords)
    np.testing.assert_allclose(a0, b0, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(a1, b1, rtol=1e-4, atol=1e-6)
    assert loss == pytest.approx(rloss, rel=1e-4)


def test_cbow_hs(setup):
    counts, tokens, offsets, syn0, syn1 = setup
    keep, tree = keep_thresholds(counts, 0.0), build_huffman(counts)
    syn1 = syn1[: V - 1].copy()
    a0, a1, b0, b1 = syn0.copy(), syn1.copy(), syn0.copy(), syn1.copy()
    state = np.array([11], dtype=np.uint64)
    loss, ex, words = cbow.cbow_hs(a0, a1, tokens, offsets, keep, tree.codes, tree.points, tree.offsets,
                                   2, True, 0.5, 0.5, state)
    rloss, rex, rwords, _ = reference.ref_cbow(b0, b1, tokens, offsets, keep, 2, True, 0.5, 0.5, 11, tree=tree)
    assert (ex, words) == (rex, rwords)
    np.testing.assert_allclose(a0, b0, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(a1, b1, rtol=1e-4, atol=1e-6)
    assert loss == pytest.approx(rloss, rel=1e-4)


def test_saturated_scores_follow_word2vec(setup):
    """Scores beyond +-6 give the saturated gradient (NS) and the loss still counts them."""
    counts, tokens, offsets, syn0, _ = setup
    big = np.full((V, D), 3.0, dtype=np.float32)  # h . v = 8 * 3 * 3 = 72 > MAX_EXP
    keep, cum = keep_thresholds(counts, 0.0), negative_table(counts)
    a0, a1, b0, b1 = big.copy(), big.copy(), big.copy(), big.copy()
    state = np.array([8], dtype=np.uint64)
    loss, ex, _ = skipgram.skipgram_ns(a0, a1, tokens, offsets[:2], keep, cum, 2, 2, 0.01, 0.01, state)
    rloss, rex, _, _ = reference.ref_skipgram(b0, b1, tokens, offsets[:2], keep, 2, 0.01, 0.01, 8,
                                              cum_table=cum, negative=2)
    assert ex == rex and loss == pytest.approx(rloss, rel=1e-5)
    assert loss > 0
    np.testing.assert_allclose(a0, b0, rtol=1e-5)


def test_skipgram_ns_batched(setup):
    counts, tokens, offsets, syn0, syn1 = setup
    keep, cum = keep_thresholds(counts, 0.05), negative_table(counts)
    a0, a1, b0, b1 = syn0.copy(), syn1.copy(), syn0.copy(), syn1.copy()
    state = np.array([17], dtype=np.uint64)
    loss, ex, words = skipgram.skipgram_ns_batched(a0, a1, tokens, offsets, keep, cum, 3, 4, 0.5, 0.1, state)
    rloss, rex, rwords, rstate = reference.ref_skipgram_batched(b0, b1, tokens, offsets, keep, 3, 0.5, 0.1, 17,
                                                                cum_table=cum, negative=4)
    assert (ex, words, int(state[0])) == (rex, rwords, rstate)
    np.testing.assert_allclose(a0, b0, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(a1, b1, rtol=1e-4, atol=1e-6)
    assert loss == pytest.approx(rloss, rel=1e-4)
