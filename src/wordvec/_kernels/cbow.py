"""CBOW kernels (Mikolov et al. 2013), one per loss; each trains one chunk of sentences.

Mirrors word2vec.c's TrainModelThread (CBOW branch): the hidden vector is the sum (or with
``cbow_mean`` the mean) of the context words' input vectors within the reduced window; it
predicts the centre word; the error ``neu1e`` is added back to every context vector in full
(word2vec.c). With ``cbow_mean=False`` (a sum of context vectors) the error is divided by the
number of context words first, as gensim does (word2vec_inner.pyx, fast_sentence_cbow_neg:
``if not cbow_mean: sscal(inv_count, work)``). The loop around the algorithm (sentences,
learning rate, subsampling, window) is common.py's. Each kernel returns (loss, examples, words)
as the skip-gram kernels do (one example per centre word with a non-empty context).
"""

from __future__ import annotations

import numba
import numpy as np

from wordvec._kernels.common import (_JIT, context_window, draw_negatives, hs_update, ns_update_shared, prefetch_row,
                                     sentence_alpha, sentence_buffer, subsample, zero)


@numba.njit(**_JIT)
def _context_mean(syn0, buf, lo, hi, i, neu1, cbow_mean):
    """Sum (or mean) of the context rows into ``neu1[0]``; returns the number of context words."""
    d = syn0.shape[1]
    for k in range(d):
        neu1[0, k] = 0.0
    cw = 0
    for j in range(lo, hi):
        if j == i:
            continue
        c = buf[j]
        for k in range(d):
            neu1[0, k] += syn0[c, k]
        cw += 1
    if cw > 0 and cbow_mean:
        inv = np.float32(1.0) / np.float32(cw)
        for k in range(d):
            neu1[0, k] *= inv
    return cw


@numba.njit(**_JIT)
def _spread(syn0, buf, lo, hi, i, neu1e, cw, cbow_mean):
    """Add the error ``neu1e`` to every context row (divided by ``cw`` first for a summed context)."""
    d = syn0.shape[1]
    if not cbow_mean:
        inv = np.float32(1.0) / np.float32(cw)
        for k in range(d):
            neu1e[k] *= inv
    for j in range(lo, hi):
        if j == i:
            continue
        c = buf[j]
        for k in range(d):
            syn0[c, k] += neu1e[k]


@numba.njit(**_JIT)
def cbow_ns(syn0, syn1neg, tokens, offsets, keep, cum_table, neg_guide, window, negative, cbow_mean, alpha0, alpha1,
            rng):
    """Train CBOW with negative sampling on sentences ``offsets[s]:offsets[s+1]``.

    One word ahead: the next word's window and noise words are drawn before this word's steps (the
    random numbers are consumed in word2vec.c's order, window then noise words, word by word, so
    the words drawn are the same) and the rows they will read are prefetched (``prefetch_row``),
    so their cache misses overlap this word's arithmetic instead of stalling the next word's.
    """
    buf = sentence_buffer(offsets)
    d = syn0.shape[1]
    neu1 = np.empty((1, d), dtype=np.float32)
    neu1e = np.empty(d, dtype=np.float32)
    negs = np.empty(negative, dtype=np.int32)
    ahead = np.empty(negative, dtype=np.int32)
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        if n < 2:  # no context: word2vec.c still draws the window
            if n == 1:
                context_window(0, n, window, rng)
            continue
        lo_next, hi_next = context_window(0, n, window, rng)
        draw_negatives(cum_table, neg_guide, ahead, rng)
        for i in range(n):
            lo, hi = lo_next, hi_next
            for q in range(negative):
                negs[q] = ahead[q]
            if i + 1 < n:
                lo_next, hi_next = context_window(i + 1, n, window, rng)
                draw_negatives(cum_table, neg_guide, ahead, rng)
                prefetch_row(syn1neg, buf[i + 1])
                for q in range(negative):
                    prefetch_row(syn1neg, ahead[q])
                prefetch_row(syn0, buf[hi_next - 1])
            cw = _context_mean(syn0, buf, lo, hi, i, neu1, cbow_mean)
            w = buf[i]
            zero(neu1e)
            loss += ns_update_shared(neu1, 0, neu1e, syn1neg, w, negs, alpha)
            _spread(syn0, buf, lo, hi, i, neu1e, cw, cbow_mean)
            examples += 1
    return loss, examples, words


@numba.njit(**_JIT)
def cbow_hs(syn0, syn1, tokens, offsets, keep, codes, points, code_offsets, window, cbow_mean, alpha0, alpha1, rng):
    """Train CBOW with hierarchical softmax along the centre word's Huffman path ``code_offsets[w]:[w+1]``."""
    buf = sentence_buffer(offsets)
    neu1 = np.empty((1, syn0.shape[1]), dtype=np.float32)
    neu1e = np.empty(syn0.shape[1], dtype=np.float32)
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        for i in range(n):
            lo, hi = context_window(i, n, window, rng)
            cw = _context_mean(syn0, buf, lo, hi, i, neu1, cbow_mean)
            if cw == 0:
                continue
            w = buf[i]
            zero(neu1e)
            loss += hs_update(neu1, 0, neu1e, syn1, codes, points, code_offsets[w], code_offsets[w + 1], alpha)
            _spread(syn0, buf, lo, hi, i, neu1e, cw, cbow_mean)
            examples += 1
    return loss, examples, words
