"""FastText kernels (Bojanowski et al. 2017): Word2Vec over words represented by their n-grams.

Mirrors fastText's unsupervised training (src/fasttext.cc ``skipgram``/``cbow``, src/model.cc
``Model::update``): a word's input vector is the *mean* of its rows in the input matrix — its own
row and one row per character n-gram (``sub_ids[sub_offsets[w]:sub_offsets[w+1]]``) — and the
gradient is added in full to every one of those rows (fastText normalises it only for supervised
models). Skip-gram: the centre word's subword mean predicts each context word. fastText adds
each context word's gradient to the centre word's rows and recomputes their mean before the next
context word; since every row moves by the same gradient, the mean moves by exactly that gradient,
so here the mean is computed once per centre word, moved by each context word's gradient as fastText's
would be, and the gradient summed over the window is written to the ~20 rows once at the end — the
same arithmetic (up to n-gram ids repeated within one word, and Hogwild interleaving) without
re-reading and re-writing the rows for every context word. CBOW: the mean of all the context words'
rows predicts the centre word.
"""

from __future__ import annotations

import numba
import numpy as np

from wordvec._kernels.common import (_JIT, draw_negative, hs_update, ns_update, ns_update_shared, reduced_window,
                                     subsample, zero)


@numba.njit(**_JIT)
def _zero_row(h):
    for k in range(h.shape[1]):
        h[0, k] = 0.0


@numba.njit(**_JIT)
def _add_rows(syn0, sub_ids, start, end, h):
    """h[0] += sum of the rows ``sub_ids[start:end]``; returns how many rows."""
    d = syn0.shape[1]
    for p in range(start, end):
        r = sub_ids[p]
        for k in range(d):
            h[0, k] += syn0[r, k]
    return end - start


@numba.njit(**_JIT)
def _spread(syn0, sub_ids, start, end, neu1e):
    d = syn0.shape[1]
    for p in range(start, end):
        r = sub_ids[p]
        for k in range(d):
            syn0[r, k] += neu1e[k]


@numba.njit(**_JIT)
def _scale(h, n):
    if n > 0:
        inv = np.float32(1.0) / np.float32(n)
        for k in range(h.shape[1]):
            h[0, k] *= inv


@numba.njit(**_JIT)
def _longest(offsets):
    maxlen = 0
    for s in range(offsets.shape[0] - 1):
        maxlen = max(maxlen, offsets[s + 1] - offsets[s])
    return maxlen


@numba.njit(**_JIT)
def subword_skipgram(syn0, syn1, tokens, offsets, keep, sub_ids, sub_offsets, window, alpha0, alpha1, rng,
                     cum_table, negative, shared, codes, points, code_offsets, hierarchical):
    """Skip-gram over subword means; negative sampling, or hierarchical softmax if ``hierarchical``.

    With ``shared`` the ``negative`` noise words are drawn once per centre word and reused for each
    of its context words (one equal to the context word is skipped), as in the Word2Vec batched
    kernel. Returns (loss, examples, words) as the Word2Vec kernels do.
    """
    d = syn0.shape[1]
    n_sent = offsets.shape[0] - 1
    span = max(offsets[n_sent] - offsets[0], 1)
    buf = np.empty(_longest(offsets), dtype=np.int32)
    h = np.empty((1, d), dtype=np.float32)
    neu1e = np.empty(d, dtype=np.float32)
    step = np.empty(d, dtype=np.float32)
    negs = np.empty(max(negative, 1), dtype=np.int32)
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
            if shared and not hierarchical:
                for q in range(negative):
                    negs[q] = draw_negative(cum_table, rng)
            _zero_row(h)
            _scale(h, _add_rows(syn0, sub_ids, sub_offsets[w], sub_offsets[w + 1], h))
            zero(neu1e)
            for j in range(lo, hi):
                if j == i:
                    continue
                c = buf[j]
                zero(step)
                if hierarchical:
                    loss += hs_update(h, 0, step, syn1, codes, points, code_offsets[c], code_offsets[c + 1], alpha)
                elif shared:
                    loss += ns_update_shared(h, 0, step, syn1, c, negs, negative, alpha)
                else:
                    loss += ns_update(h, 0, step, syn1, c, negative, cum_table, alpha, rng)
                for k in range(d):  # the rows' mean after this context word's update, as fastText sees it
                    h[0, k] += step[k]
                    neu1e[k] += step[k]
                examples += 1
            _spread(syn0, sub_ids, sub_offsets[w], sub_offsets[w + 1], neu1e)
    return loss, examples, words


@numba.njit(**_JIT)
def subword_cbow(syn0, syn1, tokens, offsets, keep, sub_ids, sub_offsets, window, alpha0, alpha1, rng,
                 cum_table, negative, codes, points, code_offsets, hierarchical):
    """CBOW over subword means (the mean of every row of every context word); returns (loss, examples, words)."""
    d = syn0.shape[1]
    n_sent = offsets.shape[0] - 1
    span = max(offsets[n_sent] - offsets[0], 1)
    buf = np.empty(_longest(offsets), dtype=np.int32)
    h = np.empty((1, d), dtype=np.float32)
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
            _zero_row(h)
            rows = 0
            for j in range(lo, hi):
                if j != i:
                    c = buf[j]
                    rows += _add_rows(syn0, sub_ids, sub_offsets[c], sub_offsets[c + 1], h)
            _scale(h, rows)
            zero(neu1e)
            w = buf[i]
            if hierarchical:
                loss += hs_update(h, 0, neu1e, syn1, codes, points, code_offsets[w], code_offsets[w + 1], alpha)
            else:
                loss += ns_update(h, 0, neu1e, syn1, w, negative, cum_table, alpha, rng)
            for j in range(lo, hi):
                if j != i:
                    c = buf[j]
                    _spread(syn0, sub_ids, sub_offsets[c], sub_offsets[c + 1], neu1e)
            examples += 1
    return loss, examples, words
