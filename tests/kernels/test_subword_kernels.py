"""FastText kernels against their NumPy twins, on tiny inputs with the same random draws."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec._kernels import reference, subword
from wordvec.vocab import build_huffman, keep_thresholds, negative_table
from wordvec.vocab.subwords import subword_table

WORDS = ["the", "cat", "sat", "on", "mat", "dog", "영화가", "café", "ran", "a"]
V, D, BUCKET = len(WORDS), 8, 37


@pytest.fixture
def setup(rng):
    counts = np.sort(rng.integers(1, 200, size=V))[::-1].astype(np.int64)
    lengths = [7, 1, 12, 5, 9]
    tokens = rng.choice(V, size=sum(lengths), p=counts / counts.sum()).astype(np.int32)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    syn0 = ((rng.random((V + BUCKET, D), dtype=np.float32) - 0.5) / D).astype(np.float32)
    syn1 = (rng.standard_normal((V, D)).astype(np.float32) * 0.3).astype(np.float32)
    sub_ids, sub_offsets = subword_table(WORDS, 2, 4, BUCKET)
    return counts, tokens, offsets, syn0, syn1, sub_ids, sub_offsets


def _none():
    return np.zeros(0, np.uint8), np.zeros(0, np.int32), np.zeros(1, np.int64)


@pytest.mark.parametrize("shared", [False, True])
def test_subword_skipgram_ns(setup, shared):
    counts, tokens, offsets, syn0, syn1, sub_ids, sub_offsets = setup
    keep, cum = keep_thresholds(counts, 0.05), negative_table(counts)
    a0, a1, b0, b1 = syn0.copy(), syn1.copy(), syn0.copy(), syn1.copy()
    state = np.array([21], dtype=np.uint64)
    out = subword.subword_skipgram(a0, a1, tokens, offsets, keep, sub_ids, sub_offsets, 3, 0.3, 0.1, state, cum, 4,
                                   shared, *_none(), False)
    ref = reference.ref_subword_skipgram(b0, b1, tokens, offsets, keep, sub_ids, sub_offsets, 3, 0.3, 0.1, 21,
                                         cum_table=cum, negative=4, shared=shared)
    assert out[1:] == ref[1:3] and int(state[0]) == ref[3]
    np.testing.assert_allclose(a0, b0, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(a1, b1, rtol=1e-4, atol=1e-6)
    assert out[0] == pytest.approx(ref[0], rel=1e-4)
    assert not np.allclose(a0[V:], syn0[V:])  # n-gram rows were trained


def test_subword_skipgram_hs_and_cbow(setup):
    counts, tokens, offsets, syn0, syn1, sub_ids, sub_offsets = setup
    keep, cum, tree = keep_thresholds(counts, 0.0), negative_table(counts), build_huffman(counts)
    hs = (tree.codes, tree.points, tree.offsets)
    a0, a1, b0, b1 = syn0.copy(), syn1[: V - 1].copy(), syn0.copy(), syn1[: V - 1].copy()
    out = subword.subword_skipgram(a0, a1, tokens, offsets, keep, sub_ids, sub_offsets, 2, 0.4, 0.4,
                                   np.array([5], np.uint64), cum, 0, False, *hs, True)
    ref = reference.ref_subword_skipgram(b0, b1, tokens, offsets, keep, sub_ids, sub_offsets, 2, 0.4, 0.4, 5,
                                         tree=tree)
    assert out[1:] == ref[1:3]
    np.testing.assert_allclose(a0, b0, rtol=1e-4, atol=1e-6)
    for hierarchical in (False, True):
        a0, b0 = syn0.copy(), syn0.copy()
        a1 = (syn1[: V - 1] if hierarchical else syn1).copy()
        b1 = a1.copy()
        out = subword.subword_cbow(a0, a1, tokens, offsets, keep, sub_ids, sub_offsets, 3, 0.3, 0.2,
                                   np.array([9], np.uint64), cum, 3, *(hs if hierarchical else _none()), hierarchical)
        ref = reference.ref_subword_cbow(b0, b1, tokens, offsets, keep, sub_ids, sub_offsets, 3, 0.3, 0.2, 9,
                                         cum_table=cum, negative=3, tree=tree if hierarchical else None)
        assert out[1:] == ref[1:3]
        np.testing.assert_allclose(a0, b0, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(a1, b1, rtol=1e-4, atol=1e-6)
        assert out[0] == pytest.approx(ref[0], rel=1e-4)


def test_subword_skipgram_equals_fasttexts_per_context_update(setup):
    """fastText adds each context word's gradient to the centre word's rows and re-reads their mean
    before the next context word; the kernel moves the mean by that gradient instead. With no n-gram
    id repeated inside a word the two are the same arithmetic."""
    counts, tokens, offsets, syn0, syn1, _, _ = setup
    pick = np.random.default_rng(3)  # each word: its own row and 2-6 distinct n-gram rows
    rows_of = [np.concatenate(([w], V + pick.choice(BUCKET, pick.integers(2, 7), replace=False))) for w in range(V)]
    sub_ids = np.concatenate(rows_of).astype(np.int32)
    sub_offsets = np.concatenate(([0], np.cumsum([len(r) for r in rows_of]))).astype(np.int64)
    keep, cum = keep_thresholds(counts, 0.05), negative_table(counts)
    a0, a1, b0, b1 = syn0.copy(), syn1.copy(), syn0.copy(), syn1.copy()
    subword.subword_skipgram(a0, a1, tokens, offsets, keep, sub_ids, sub_offsets, 3, 0.3, 0.1,
                             np.array([21], dtype=np.uint64), cum, 4, False, *_none(), False)
    # the literal fastText loop (src/fasttext.cc skipgram + Model::update), on the reference's draws
    rng = reference.RefRNG(21)
    for s, sent in reference._sentences(tokens, offsets, keep, rng):
        alpha = reference._alpha(0.3, 0.1, offsets, s)
        for i, w in enumerate(sent):
            b = 3 - rng.next() % 3
            rows = sub_ids[sub_offsets[w]:sub_offsets[w + 1]]
            for j in range(max(0, i - b), min(len(sent), i + b + 1)):
                if j == i:
                    continue
                h = b0[rows].mean(axis=0).astype(np.float32)
                grad, _ = reference._ref_target_update(h, b1, sent[j], None, 4, cum, alpha, rng, None)
                b0[rows] += grad
    np.testing.assert_allclose(a0, b0, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(a1, b1, rtol=1e-4, atol=1e-5)
