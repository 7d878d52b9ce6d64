"""FastText kernels against their NumPy twins, on tiny inputs with the same random draws."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec._kernels import reference, subword
from wordvec.vocab import negative_guide

V = 10  # len(conftest.WORDS)


@pytest.mark.parametrize("shared", [False, True])
def test_subword_skipgram_ns(tiny, assert_twins, shared):
    keep, cum = tiny.keep(0.05), tiny.cum_table
    guide = negative_guide(cum)
    sub_ids, sub_offsets = tiny.subwords
    a0, a1, b0, b1 = tiny.pair(subwords=True)
    state = np.array([21], dtype=np.uint64)
    kernel = subword.subword_skipgram_ns_batched if shared else subword.subword_skipgram_ns
    out = kernel(a0, a1, tiny.tokens, tiny.offsets, keep, sub_ids, sub_offsets, cum, guide, 3, 4, 0.3, 0.1, state)
    ref = reference.ref_subword_skipgram(b0, b1, tiny.tokens, tiny.offsets, keep, sub_ids, sub_offsets, 3, 0.3, 0.1,
                                         21, cum_table=cum, negative=4, shared=shared)
    assert_twins(out, ref, state, (a0, a1), (b0, b1))
    assert not np.allclose(a0[V:], tiny.syn0[V:])  # n-gram rows were trained


def test_subword_skipgram_hs(tiny, assert_twins):
    keep, tree = tiny.keep(0.0), tiny.tree
    sub_ids, sub_offsets = tiny.subwords
    a0, a1, b0, b1 = tiny.pair(subwords=True, hierarchical=True)
    state = np.array([5], dtype=np.uint64)
    out = subword.subword_skipgram_hs(a0, a1, tiny.tokens, tiny.offsets, keep, sub_ids, sub_offsets, tree.codes,
                                      tree.points, tree.offsets, 2, 0.4, 0.4, state)
    ref = reference.ref_subword_skipgram(b0, b1, tiny.tokens, tiny.offsets, keep, sub_ids, sub_offsets, 2, 0.4, 0.4,
                                         5, tree=tree)
    assert_twins(out, ref, state, (a0, a1), (b0, b1))


def test_subword_cbow_ns(tiny, assert_twins):
    keep, cum = tiny.keep(0.0), tiny.cum_table
    guide = negative_guide(cum)
    sub_ids, sub_offsets = tiny.subwords
    a0, a1, b0, b1 = tiny.pair(subwords=True)
    state = np.array([9], dtype=np.uint64)
    out = subword.subword_cbow_ns(a0, a1, tiny.tokens, tiny.offsets, keep, sub_ids, sub_offsets, cum, guide, 3, 3,
                                  0.3, 0.2, state)
    ref = reference.ref_subword_cbow(b0, b1, tiny.tokens, tiny.offsets, keep, sub_ids, sub_offsets, 3, 0.3, 0.2, 9,
                                     cum_table=cum, negative=3)
    assert_twins(out, ref, state, (a0, a1), (b0, b1))


def test_subword_cbow_hs(tiny, assert_twins):
    keep, tree = tiny.keep(0.0), tiny.tree
    sub_ids, sub_offsets = tiny.subwords
    a0, a1, b0, b1 = tiny.pair(subwords=True, hierarchical=True)
    state = np.array([9], dtype=np.uint64)
    out = subword.subword_cbow_hs(a0, a1, tiny.tokens, tiny.offsets, keep, sub_ids, sub_offsets, tree.codes,
                                  tree.points, tree.offsets, 3, 0.3, 0.2, state)
    ref = reference.ref_subword_cbow(b0, b1, tiny.tokens, tiny.offsets, keep, sub_ids, sub_offsets, 3, 0.3, 0.2, 9,
                                     tree=tree)
    assert_twins(out, ref, state, (a0, a1), (b0, b1))


def test_subword_skipgram_equals_fasttexts_per_context_update(tiny):
    """fastText adds each context word's gradient to the centre word's rows and re-reads their mean
    before the next context word; the kernel moves the mean by that gradient instead. With no n-gram
    id repeated inside a word the two are the same arithmetic."""
    bucket = tiny.syn0.shape[0] - V
    pick = np.random.default_rng(3)  # each word: its own row and 2-6 distinct n-gram rows
    rows_of = [np.concatenate(([w], V + pick.choice(bucket, pick.integers(2, 7), replace=False))) for w in range(V)]
    sub_ids = np.concatenate(rows_of).astype(np.int32)
    sub_offsets = np.concatenate(([0], np.cumsum([len(r) for r in rows_of]))).astype(np.int64)
    keep, cum = tiny.keep(0.05), tiny.cum_table
    guide = negative_guide(cum)
    a0, a1, b0, b1 = tiny.pair(subwords=True)
    subword.subword_skipgram_ns(a0, a1, tiny.tokens, tiny.offsets, keep, sub_ids, sub_offsets, cum, guide, 3, 4,
                                0.3, 0.1, np.array([21], dtype=np.uint64))
    # the literal fastText loop (src/fasttext.cc skipgram + Model::update), on the reference's draws
    rng = reference.RefRNG(21)
    for s, sent in reference._sentences(tiny.tokens, tiny.offsets, keep, rng):
        alpha = reference._alpha(0.3, 0.1, tiny.offsets, s)
        for i, w in enumerate(sent):
            rows = sub_ids[sub_offsets[w]:sub_offsets[w + 1]]
            for j in reference._context(sent, i, 3, rng):
                h = b0[rows].mean(axis=0).astype(np.float32)
                grad, _ = reference.ref_ns(h, b1, sent[j], reference.ref_negatives(cum, 4, rng), alpha)
                b0[rows] += grad
    np.testing.assert_allclose(a0, b0, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(a1, b1, rtol=1e-4, atol=1e-5)
