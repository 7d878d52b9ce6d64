"""Each Word2Vec kernel against its slow NumPy twin on tiny inputs with the same random draws."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec._kernels import cbow, reference, skipgram
from wordvec._kernels.common import draw_negative, draw_negatives, next_random, subsample
from wordvec.vocab import negative_guide


def test_rng_matches_word2vec_lcg():
    state = np.array([7], dtype=np.uint64)
    ref = reference.RefRNG(7)
    assert [int(next_random(state)) for _ in range(50)] == [ref.next() for _ in range(50)]


def test_subsample_and_negative_draws_match(tiny):
    keep = tiny.keep(0.05)
    assert np.any(keep < 2**32)  # the test must exercise dropping
    buf = np.empty(len(tiny.tokens), dtype=np.int32)
    state = np.array([99], dtype=np.uint64)
    n = subsample(tiny.tokens, 0, len(tiny.tokens), keep, buf, state)
    ref = reference.RefRNG(99)
    assert buf[:n].tolist() == reference.ref_subsample(tiny.tokens, keep, ref)
    cum = tiny.cum_table
    guide = negative_guide(cum)
    draws = [draw_negative(cum, guide, state) for _ in range(200)]
    assert draws == [reference.ref_negative(cum, ref) for _ in range(200)]
    negs = np.empty(7, dtype=np.int32)
    draw_negatives(cum, guide, negs, state)
    assert negs.tolist() == reference.ref_negatives(cum, 7, ref)


@pytest.mark.parametrize("domain", [2**31 - 1, 2**31 - 2, 2**32 + 5, 1_000, 7])
@pytest.mark.parametrize("exponent", [0.75, 0.5])
def test_guided_draws_are_the_binary_search_draws(domain, exponent):
    """The guide table only narrows the search: over a Zipf vocabulary of 50,000 words and any domain
    (the Mersenne shortcut of 2**31 - 1, its neighbour, one past 32 bits, tiny ones where many words
    share a value) every draw is the plain binary search's, and every word's bucket range holds it."""
    from wordvec.vocab import negative_table

    counts = (1e7 / np.arange(1, 50_001) ** 1.05).astype(np.int64) + 1
    cum = negative_table(counts, exponent, domain=domain)
    guide = negative_guide(cum)
    assert guide.dtype == np.int32 and guide[0] == np.searchsorted(cum, 0, side="right")
    state = np.array([12345], dtype=np.uint64)
    ref = reference.RefRNG(12345)
    negs = np.empty(20_000, dtype=np.int32)
    draw_negatives(cum, guide, negs, state)
    expected = [reference.ref_negative(cum, ref) for _ in range(20_000)]
    assert negs.tolist() == expected
    assert len(set(expected)) > (5 if domain < 10_000 else 1_000)  # frequent and rare words were drawn
    assert int(state[0]) == ref.state
    # the extreme draws: 0 and the largest value below the domain
    for x in (0, min(domain, 2**32) - 1):
        lo, hi = guide[x >> 15], min(guide[(x >> 15) + 1], len(cum) - 1)
        assert lo <= np.searchsorted(cum, x, side="right") <= hi


@pytest.mark.parametrize("sample", [0.0, 0.05])
@pytest.mark.parametrize("shared", [False, True])
def test_skipgram_ns(tiny, assert_twins, sample, shared):
    keep, cum = tiny.keep(sample), tiny.cum_table
    a0, a1, b0, b1 = tiny.pair()
    state = np.array([42], dtype=np.uint64)
    kernel = skipgram.skipgram_ns_batched if shared else skipgram.skipgram_ns
    out = kernel(a0, a1, tiny.tokens, tiny.offsets, keep, cum, negative_guide(cum), 3, 4, 0.5, 0.1, state)
    ref = reference.ref_skipgram(b0, b1, tiny.tokens, tiny.offsets, keep, 3, 0.5, 0.1, 42, cum_table=cum,
                                 negative=4, shared=shared)
    assert out[1] > 20
    assert_twins(out, ref, state, (a0, a1), (b0, b1))
    assert not np.allclose(a0, tiny.syn0[: len(a0)])  # something was trained


def test_skipgram_hs(tiny, assert_twins):
    keep, tree = tiny.keep(0.0), tiny.tree
    a0, a1, b0, b1 = tiny.pair(hierarchical=True)
    state = np.array([5], dtype=np.uint64)
    out = skipgram.skipgram_hs(a0, a1, tiny.tokens, tiny.offsets, keep, tree.codes, tree.points, tree.offsets,
                               4, 0.4, 0.2, state)
    ref = reference.ref_skipgram(b0, b1, tiny.tokens, tiny.offsets, keep, 4, 0.4, 0.2, 5, tree=tree)
    assert_twins(out, ref, state, (a0, a1), (b0, b1))


@pytest.mark.parametrize("cbow_mean", [True, False])
def test_cbow_ns(tiny, assert_twins, cbow_mean):
    keep, cum = tiny.keep(0.05), tiny.cum_table
    a0, a1, b0, b1 = tiny.pair()
    state = np.array([3], dtype=np.uint64)
    out = cbow.cbow_ns(a0, a1, tiny.tokens, tiny.offsets, keep, cum, negative_guide(cum), 3, 5, cbow_mean, 0.3, 0.3,
                       state)
    ref = reference.ref_cbow(b0, b1, tiny.tokens, tiny.offsets, keep, 3, cbow_mean, 0.3, 0.3, 3,
                             cum_table=cum, negative=5)
    assert_twins(out, ref, state, (a0, a1), (b0, b1))


@pytest.mark.parametrize("cbow_mean", [True, False])
def test_cbow_hs(tiny, assert_twins, cbow_mean):
    keep, tree = tiny.keep(0.0), tiny.tree
    a0, a1, b0, b1 = tiny.pair(hierarchical=True)
    state = np.array([11], dtype=np.uint64)
    out = cbow.cbow_hs(a0, a1, tiny.tokens, tiny.offsets, keep, tree.codes, tree.points, tree.offsets,
                       2, cbow_mean, 0.5, 0.5, state)
    ref = reference.ref_cbow(b0, b1, tiny.tokens, tiny.offsets, keep, 2, cbow_mean, 0.5, 0.5, 11, tree=tree)
    assert_twins(out, ref, state, (a0, a1), (b0, b1))


def test_saturated_scores_follow_word2vec(tiny, assert_twins):
    """Scores beyond +-6 give the saturated gradient (NS) and the loss still counts them."""
    big = np.full((len(tiny.counts), tiny.syn0.shape[1]), 3.0, dtype=np.float32)  # h . v = 8 * 3 * 3 = 72
    keep, cum = tiny.keep(0.0), tiny.cum_table
    a0, a1, b0, b1 = big.copy(), big.copy(), big.copy(), big.copy()
    state = np.array([8], dtype=np.uint64)
    offsets = tiny.offsets[:2]
    out = skipgram.skipgram_ns(a0, a1, tiny.tokens, offsets, keep, cum, negative_guide(cum), 2, 2, 0.01, 0.01, state)
    ref = reference.ref_skipgram(b0, b1, tiny.tokens, offsets, keep, 2, 0.01, 0.01, 8, cum_table=cum, negative=2)
    assert out[0] > 0
    assert_twins(out, ref, state, (a0, a1), (b0, b1), rtol=1e-5)
