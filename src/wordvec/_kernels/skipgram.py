"""Skip-gram kernels (Mikolov et al. 2013), one per loss; each trains one chunk of sentences.

Mirrors word2vec.c's TrainModelThread (skip-gram branch): for the word at position i and
each context word c within the reduced window, the *context* word's input vector
``syn0[c]`` predicts word i (word2vec.c's l1 = c * layer1_size). Learning rate decays
linearly from ``alpha0`` at the chunk's first token to ``alpha1`` at its end.
"""

from __future__ import annotations

import numba
import numpy as np

from wordvec._kernels.common import (_JIT, draw_negative, hs_update, ns_update, ns_update_shared, reduced_window,
                                     subsample, zero)


@numba.njit(**_JIT)
def skipgram_ns(syn0, syn1neg, tokens, offsets, keep, cum_table, window, negative, alpha0, alpha1, rng):
    """Train skip-gram with negative sampling on sentences ``offsets[s]:offsets[s+1]``.

    Returns (loss, examples, words): summed negative log-likelihood (float64), the number of
    (context, word) examples trained, and the number of tokens left after subsampling.
    """
    d = syn0.shape[1]
    n_sent = offsets.shape[0] - 1
    span = max(offsets[n_sent] - offsets[0], 1)
    maxlen = 0
    for s in range(n_sent):
        maxlen = max(maxlen, offsets[s + 1] - offsets[s])
    buf = np.empty(maxlen, dtype=np.int32)
    neu1e = np.empty(d, dtype=np.float32)
    loss = 0.0
    examples = 0
    words = 0
    for s in range(n_sent):
        alpha = np.float32(alpha0 + (alpha1 - alpha0) * ((offsets[s] - offsets[0]) / span))
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        for i in range(n):
            b = reduced_window(window, rng)
            lo = max(0, i - b)
            hi = min(n, i + b + 1)
            w = buf[i]
            for j in range(lo, hi):
                if j == i:
                    continue
                c = buf[j]
                zero(neu1e)
                loss += ns_update(syn0, c, neu1e, syn1neg, w, negative, cum_table, alpha, rng)
                for k in range(d):
                    syn0[c, k] += neu1e[k]
                examples += 1
    return loss, examples, words


@numba.njit(**_JIT)
def skipgram_hs(syn0, syn1, tokens, offsets, keep, codes, points, code_offsets, window, alpha0, alpha1, rng):
    """Train skip-gram with hierarchical softmax; returns (loss, examples, words) as above."""
    d = syn0.shape[1]
    n_sent = offsets.shape[0] - 1
    span = max(offsets[n_sent] - offsets[0], 1)
    maxlen = 0
    for s in range(n_sent):
        maxlen = max(maxlen, offsets[s + 1] - offsets[s])
    buf = np.empty(maxlen, dtype=np.int32)
    neu1e = np.empty(d, dtype=np.float32)
    loss = 0.0
    examples = 0
    words = 0
    for s in range(n_sent):
        alpha = np.float32(alpha0 + (alpha1 - alpha0) * ((offsets[s] - offsets[0]) / span))
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        for i in range(n):
            b = reduced_window(window, rng)
            lo = max(0, i - b)
            hi = min(n, i + b + 1)
            w = buf[i]
            for j in range(lo, hi):
                if j == i:
                    continue
                c = buf[j]
                zero(neu1e)
                loss += hs_update(syn0, c, neu1e, syn1, codes, points, code_offsets[w], code_offsets[w + 1], alpha)
                for k in range(d):
                    syn0[c, k] += neu1e[k]
                examples += 1
    return loss, examples, words


@numba.njit(**_JIT)
def skipgram_ns_batched(syn0, syn1neg, tokens, offsets, keep, cum_table, window, negative, alpha0, alpha1, rng):
    """Skip-gram with negative sampling, negatives shared across each word's context window.

    Identical to ``skipgram_ns`` except that the ``negative`` noise words are drawn once per
    word (draws equal to the word are skipped) and reused for every context word of its window
    (pWord2Vec's batching of Ji et al. 2016). Returns (loss, examples, words).
    """
    d = syn0.shape[1]
    n_sent = offsets.shape[0] - 1
    span = max(offsets[n_sent] - offsets[0], 1)
    maxlen = 0
    for s in range(n_sent):
        maxlen = max(maxlen, offsets[s + 1] - offsets[s])
    buf = np.empty(maxlen, dtype=np.int32)
    negs = np.empty(max(negative, 1), dtype=np.int32)
    neu1e = np.empty(d, dtype=np.float32)
    loss = 0.0
    examples = 0
    words = 0
    for s in range(n_sent):
        alpha = np.float32(alpha0 + (alpha1 - alpha0) * ((offsets[s] - offsets[0]) / span))
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        for i in range(n):
            b = reduced_window(window, rng)
            lo = max(0, i - b)
            hi = min(n, i + b + 1)
            if hi - lo <= 1:
                continue
            w = buf[i]
            n_negs = 0
            for _ in range(negative):
                t = draw_negative(cum_table, rng)
                if t != w:
                    negs[n_negs] = t
                    n_negs += 1
            for j in range(lo, hi):
                if j == i:
                    continue
                c = buf[j]
                zero(neu1e)
                loss += ns_update_shared(syn0, c, neu1e, syn1neg, w, negs, n_negs, alpha)
                for k in range(d):
                    syn0[c, k] += neu1e[k]
                examples += 1
    return loss, examples, words
