"""Skip-gram kernels (Mikolov et al. 2013), one per loss; each trains one chunk of sentences.

Mirrors word2vec.c's TrainModelThread (skip-gram branch, ``//train skip-gram``): for the word at
position i and each context word c within the reduced window, the *context* word's input vector
``syn0[c]`` predicts word i (word2vec.c's ``l1 = last_word * layer1_size``), and the error is
added to it after each example (``syn0[c + l1] += neu1e[c]``). The loop around the algorithm
(sentences, learning rate, subsampling, window) is common.py's. Each kernel returns
(loss, examples, words): the summed negative log-likelihood (float64), the number of
(context, word) examples trained, and the number of tokens left after subsampling.
"""

from __future__ import annotations

import numba
import numpy as np

from wordvec._kernels.common import (_JIT, add_to_row, context_window, draw_negatives, hs_update, ns_update,
                                     ns_update_shared, prefetch_row, sentence_alpha, sentence_buffer, subsample, zero)


@numba.njit(**_JIT)
def skipgram_ns(syn0, syn1neg, tokens, offsets, keep, cum_table, neg_guide, window, negative, alpha0, alpha1, rng):
    """Train skip-gram with negative sampling on sentences ``offsets[s]:offsets[s+1]``."""
    buf = sentence_buffer(offsets)
    neu1e = np.empty(syn0.shape[1], dtype=np.float32)
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        for i in range(n):
            lo, hi = context_window(i, n, window, rng)
            w = buf[i]
            for j in range(lo, hi):
                if j == i:
                    continue
                c = buf[j]
                zero(neu1e)
                loss += ns_update(syn0, c, neu1e, syn1neg, w, negative, cum_table, neg_guide, alpha, rng)
                add_to_row(syn0, c, neu1e)
                examples += 1
    return loss, examples, words


@numba.njit(**_JIT)
def skipgram_ns_batched(syn0, syn1neg, tokens, offsets, keep, cum_table, neg_guide, window, negative, alpha0, alpha1,
                        rng):
    """Skip-gram with negative sampling, negatives shared across each word's context window.

    Identical to ``skipgram_ns`` except that the ``negative`` noise words are drawn once per word
    with a context and reused for every context word of its window (pWord2Vec's batching of Ji et
    al. 2016; see ``ns_update_shared``). One word ahead, as ``cbow.cbow_ns``: the next word's window
    and noise words are drawn before this word's steps (same random numbers, same order) and the
    output rows it will use and its newest context row are prefetched.
    """
    buf = sentence_buffer(offsets)
    neu1e = np.empty(syn0.shape[1], dtype=np.float32)
    negs = np.empty(negative, dtype=np.int32)
    ahead = np.empty(negative, dtype=np.int32)
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        if n < 2:  # no context: the window is still drawn
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
            w = buf[i]
            for j in range(lo, hi):
                if j == i:
                    continue
                c = buf[j]
                zero(neu1e)
                loss += ns_update_shared(syn0, c, neu1e, syn1neg, w, negs, alpha)
                add_to_row(syn0, c, neu1e)
                examples += 1
    return loss, examples, words


@numba.njit(**_JIT)
def skipgram_hs(syn0, syn1, tokens, offsets, keep, codes, points, code_offsets, window, alpha0, alpha1, rng):
    """Train skip-gram with hierarchical softmax along word i's Huffman path ``code_offsets[w]:[w+1]``."""
    buf = sentence_buffer(offsets)
    neu1e = np.empty(syn0.shape[1], dtype=np.float32)
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        for i in range(n):
            lo, hi = context_window(i, n, window, rng)
            w = buf[i]
            for j in range(lo, hi):
                if j == i:
                    continue
                c = buf[j]
                zero(neu1e)
                loss += hs_update(syn0, c, neu1e, syn1, codes, points, code_offsets[w], code_offsets[w + 1], alpha)
                add_to_row(syn0, c, neu1e)
                examples += 1
    return loss, examples, words
