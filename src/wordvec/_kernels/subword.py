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
rows predicts the centre word. The loop around the algorithm (sentences, learning rate, subsampling,
window) is common.py's, and each kernel returns (loss, examples, words) as the Word2Vec kernels do.
One kernel per architecture x loss, as skipgram.py and cbow.py; ``subword_skipgram_ns_batched`` is
``shared_negatives=True``.
"""

from __future__ import annotations

import numba
import numpy as np

from wordvec._kernels.common import (_JIT, context_window, draw_negative, draw_negatives, hs_update, ns_update_drawn,
                                     ns_update_shared, prefetch_row, sentence_alpha, sentence_buffer, subsample, zero)


# The helpers are leaves: they call no other numba function, which would make numba keep the
# reference counting of their array arguments (an atomic increment and decrement per call inside
# the kernels' loops; see common.binary_logistic).
@numba.njit(**_JIT)
def _word_mean(syn0, sub_ids, sub_offsets, w, h):
    """h[0] = the mean of word ``w``'s rows (fastText's ``Model::computeHidden`` over ``getSubwords(w)``)."""
    d = syn0.shape[1]
    for k in range(d):
        h[0, k] = 0.0
    start, end = sub_offsets[w], sub_offsets[w + 1]
    for p in range(start, end):
        r = sub_ids[p]
        for k in range(d):
            h[0, k] += syn0[r, k]
    if end > start:
        inv = np.float32(1.0) / np.float32(end - start)
        for k in range(d):
            h[0, k] *= inv


@numba.njit(**_JIT)
def _context_mean(syn0, sub_ids, sub_offsets, buf, lo, hi, i, h):
    """h[0] = the mean of every row of every context word ``buf[lo:hi]`` but ``buf[i]`` (fastText's cbow)."""
    d = syn0.shape[1]
    for k in range(d):
        h[0, k] = 0.0
    rows = 0
    for j in range(lo, hi):
        if j != i:
            c = buf[j]
            for p in range(sub_offsets[c], sub_offsets[c + 1]):
                r = sub_ids[p]
                for k in range(d):
                    h[0, k] += syn0[r, k]
            rows += sub_offsets[c + 1] - sub_offsets[c]
    if rows > 0:
        inv = np.float32(1.0) / np.float32(rows)
        for k in range(d):
            h[0, k] *= inv


@numba.njit(inline="always", **_JIT)
def _follow(h, neu1e, step):
    """Move the centre word's mean by one context word's gradient, as fastText's rows move, and sum it."""
    for k in range(h.shape[1]):
        h[0, k] += step[k]
        neu1e[k] += step[k]


@numba.njit(**_JIT)
def _spread(syn0, sub_ids, sub_offsets, w, neu1e):
    """Add ``neu1e`` in full to each of word ``w``'s rows (fastText's ``Model::update``: ``wi_->addVectorToRow``)."""
    d = syn0.shape[1]
    for p in range(sub_offsets[w], sub_offsets[w + 1]):
        r = sub_ids[p]
        for k in range(d):
            syn0[r, k] += neu1e[k]


@numba.njit(**_JIT)
def _context_spread(syn0, sub_ids, sub_offsets, buf, lo, hi, i, neu1e):
    """Add ``neu1e`` in full to every row of every context word (fastText normalises only for supervised)."""
    d = syn0.shape[1]
    for j in range(lo, hi):
        if j != i:
            c = buf[j]
            for p in range(sub_offsets[c], sub_offsets[c + 1]):
                r = sub_ids[p]
                for k in range(d):
                    syn0[r, k] += neu1e[k]


# ------------------------------------------------------------------------------- skip-gram
@numba.njit(**_JIT)
def _prefetch_rows(syn0, sub_ids, sub_offsets, w):
    """Prefetch every row of word ``w`` (``prefetch_row``): its n-gram rows are spread over the whole
    bucket range of the input matrix and are mostly not in any cache."""
    for p in range(sub_offsets[w], sub_offsets[w + 1]):
        prefetch_row(syn0, sub_ids[p])


@numba.njit(**_JIT)
def subword_skipgram_ns(syn0, syn1neg, tokens, offsets, keep, sub_ids, sub_offsets, cum_table, neg_guide, window,
                        negative, alpha0, alpha1, rng):
    """Skip-gram over subword means with negative sampling (fastText ``-loss ns``).

    One word ahead, as ``cbow.cbow_ns``: the next centre word's window and all its noise words
    (``negative`` per context word) are drawn before this word's steps, in the order the steps would
    draw them, and the rows the next word reads (its n-gram rows, the output rows of its newest
    context word and of its noise words) are prefetched.
    """
    d = syn0.shape[1]
    buf = sentence_buffer(offsets)
    h = np.empty((1, d), dtype=np.float32)
    neu1e = np.empty(d, dtype=np.float32)
    step = np.empty(d, dtype=np.float32)
    negs = np.empty(2 * window * negative, dtype=np.int32)
    ahead = np.empty(2 * window * negative, dtype=np.int32)
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
        count_next = (hi_next - lo_next - 1) * negative
        for q in range(count_next):
            ahead[q] = draw_negative(cum_table, neg_guide, rng)
        for i in range(n):
            lo, hi, count = lo_next, hi_next, count_next
            for q in range(count):
                negs[q] = ahead[q]
            if i + 1 < n:
                lo_next, hi_next = context_window(i + 1, n, window, rng)
                count_next = (hi_next - lo_next - 1) * negative
                for q in range(count_next):
                    ahead[q] = draw_negative(cum_table, neg_guide, rng)
                _prefetch_rows(syn0, sub_ids, sub_offsets, buf[i + 1])
                prefetch_row(syn1neg, buf[hi_next - 1])
                for q in range(count_next):
                    prefetch_row(syn1neg, ahead[q])
            w = buf[i]
            _word_mean(syn0, sub_ids, sub_offsets, w, h)
            zero(neu1e)
            q = 0
            for j in range(lo, hi):
                if j == i:
                    continue
                c = buf[j]
                zero(step)
                loss += ns_update_drawn(h, 0, step, syn1neg, c, negs, q, negative, alpha)
                q += negative
                _follow(h, neu1e, step)
                examples += 1
            _spread(syn0, sub_ids, sub_offsets, w, neu1e)
    return loss, examples, words


@numba.njit(**_JIT)
def subword_skipgram_ns_batched(syn0, syn1neg, tokens, offsets, keep, sub_ids, sub_offsets, cum_table, neg_guide,
                                window, negative, alpha0, alpha1, rng):
    """``subword_skipgram_ns`` with the ``negative`` noise words drawn once per centre word and reused
    for each of its context words (one equal to the context word is skipped), as the Word2Vec batched
    kernel does (see ``ns_update_shared``); one word ahead with prefetching, as ``subword_skipgram_ns``."""
    d = syn0.shape[1]
    buf = sentence_buffer(offsets)
    h = np.empty((1, d), dtype=np.float32)
    neu1e = np.empty(d, dtype=np.float32)
    step = np.empty(d, dtype=np.float32)
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
                _prefetch_rows(syn0, sub_ids, sub_offsets, buf[i + 1])
                prefetch_row(syn1neg, buf[hi_next - 1])
                for q in range(negative):
                    prefetch_row(syn1neg, ahead[q])
            w = buf[i]
            _word_mean(syn0, sub_ids, sub_offsets, w, h)
            zero(neu1e)
            for j in range(lo, hi):
                if j == i:
                    continue
                c = buf[j]
                zero(step)
                loss += ns_update_shared(h, 0, step, syn1neg, c, negs, alpha)
                _follow(h, neu1e, step)
                examples += 1
            _spread(syn0, sub_ids, sub_offsets, w, neu1e)
    return loss, examples, words


@numba.njit(**_JIT)
def subword_skipgram_hs(syn0, syn1, tokens, offsets, keep, sub_ids, sub_offsets, codes, points, code_offsets, window,
                        alpha0, alpha1, rng):
    """Skip-gram over subword means with hierarchical softmax (fastText ``-loss hs``), along each context
    word's Huffman path ``code_offsets[c]:code_offsets[c+1]``."""
    d = syn0.shape[1]
    buf = sentence_buffer(offsets)
    h = np.empty((1, d), dtype=np.float32)
    neu1e = np.empty(d, dtype=np.float32)
    step = np.empty(d, dtype=np.float32)
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        for i in range(n):
            lo, hi = context_window(i, n, window, rng)
            if hi - lo <= 1:
                continue
            w = buf[i]
            _word_mean(syn0, sub_ids, sub_offsets, w, h)
            zero(neu1e)
            for j in range(lo, hi):
                if j == i:
                    continue
                c = buf[j]
                zero(step)
                loss += hs_update(h, 0, step, syn1, codes, points, code_offsets[c], code_offsets[c + 1], alpha)
                _follow(h, neu1e, step)
                examples += 1
            _spread(syn0, sub_ids, sub_offsets, w, neu1e)
    return loss, examples, words


# ------------------------------------------------------------------------------------ CBOW
@numba.njit(**_JIT)
def subword_cbow_ns(syn0, syn1neg, tokens, offsets, keep, sub_ids, sub_offsets, cum_table, neg_guide, window, negative,
                    alpha0, alpha1, rng):
    """CBOW over subword means (the mean of every row of every context word), negative sampling; one
    word ahead with prefetching (the rows of the word that enters the window), as ``cbow.cbow_ns``."""
    buf = sentence_buffer(offsets)
    h = np.empty((1, syn0.shape[1]), dtype=np.float32)
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
                _prefetch_rows(syn0, sub_ids, sub_offsets, buf[hi_next - 1])
                prefetch_row(syn1neg, buf[i + 1])
                for q in range(negative):
                    prefetch_row(syn1neg, ahead[q])
            _context_mean(syn0, sub_ids, sub_offsets, buf, lo, hi, i, h)
            w = buf[i]
            zero(neu1e)
            loss += ns_update_shared(h, 0, neu1e, syn1neg, w, negs, alpha)
            _context_spread(syn0, sub_ids, sub_offsets, buf, lo, hi, i, neu1e)
            examples += 1
    return loss, examples, words


@numba.njit(**_JIT)
def subword_cbow_hs(syn0, syn1, tokens, offsets, keep, sub_ids, sub_offsets, codes, points, code_offsets, window,
                    alpha0, alpha1, rng):
    """CBOW over subword means, hierarchical softmax along the centre word's Huffman path."""
    buf = sentence_buffer(offsets)
    h = np.empty((1, syn0.shape[1]), dtype=np.float32)
    neu1e = np.empty(syn0.shape[1], dtype=np.float32)
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        for i in range(n):
            lo, hi = context_window(i, n, window, rng)
            if hi - lo <= 1:
                continue
            _context_mean(syn0, sub_ids, sub_offsets, buf, lo, hi, i, h)
            w = buf[i]
            zero(neu1e)
            loss += hs_update(h, 0, neu1e, syn1, codes, points, code_offsets[w], code_offsets[w + 1], alpha)
            _context_spread(syn0, sub_ids, sub_offsets, buf, lo, hi, i, neu1e)
            examples += 1
    return loss, examples, words
