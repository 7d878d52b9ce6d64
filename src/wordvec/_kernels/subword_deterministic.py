"""Deterministic FastText kernels: subword.py's jobs on private rows (delta.py).

Same examples, same random draws and same arithmetic as the Hogwild kernels in subword.py, but the
shared matrices are only read (a snapshot) and every row a job touches is copied to a private
buffer first; each kernel returns ``(loss, examples, words, rows0, delta0, rows1, delta1)`` as the
Word2Vec ones in deterministic.py do (see there and delta.py).

subword.py's helpers run unchanged on the private buffers: a word's n-gram rows are owned into a
small mapped subword table (``msub``, ``moff``) that ``_word_mean``/``_spread`` read as they read
the vocabulary's, and for CBOW the window's context words become entries ``0..hi-lo-1`` of such a
table (``mbuf[j] = j - lo``), which ``_context_mean``/``_context_spread`` walk. A row repeated in a
word's n-grams is owned once and listed twice, so it is counted twice, as in the Hogwild kernel.
"""

from __future__ import annotations

import numba
import numpy as np

from wordvec._kernels.common import (_JIT, context_window, draw_negatives, hs_update, ns_update_shared,
                                     sentence_alpha, sentence_buffer, subsample, zero)
from wordvec._kernels.delta import grow, longest, new_store, own, own_all, to_delta
from wordvec._kernels.deterministic import own_path
from wordvec._kernels.subword import _context_mean, _context_spread, _follow, _spread, _word_mean


@numba.njit(inline="always", **_JIT)
def own_word(slot, touched, priv, m, sub_ids, sub_offsets, w, msub, at, n):
    """Own word ``w``'s rows into ``msub[at:]`` (buffer indexes), one update counted for each (a word's
    rows move once per use, by its summed gradient); returns (rows listed, rows owned)."""
    start, end = sub_offsets[w], sub_offsets[w + 1]
    for p in range(start, end):
        i, n = own(slot, touched, priv, m, sub_ids[p], n)
        msub[at + p - start] = i
        touched[i, 1] += 1
    return end - start, n


@numba.njit(inline="always", **_JIT)
def own_window(slot, touched, priv, m, sub_ids, sub_offsets, buf, lo, hi, i, mbuf, msub, moff, n):
    """Own the rows of the context words ``buf[lo:hi]`` (all but ``i``) as a mapped subword table:
    ``mbuf[j] = j - lo``, rows ``msub[moff[j - lo]:moff[j - lo + 1]]`` (none for ``i``)."""
    moff[0] = 0
    for j in range(lo, hi):
        mbuf[j] = j - lo
        listed = 0
        if j != i:
            listed, n = own_word(slot, touched, priv, m, sub_ids, sub_offsets, buf[j], msub, moff[j - lo], n)
        moff[j - lo + 1] = moff[j - lo] + listed
    return n


@numba.njit(inline="always", **_JIT)
def _window_rows(sub_offsets, buf, lo, hi, i):
    """Rows listed by the context words ``buf[lo:hi]`` but ``i`` (an upper bound of the rows they own)."""
    rows = 0
    for j in range(lo, hi):
        if j != i:
            rows += sub_offsets[buf[j] + 1] - sub_offsets[buf[j]]
    return rows


@numba.njit(**_JIT)
def det_subword_skipgram_ns(syn0, syn1neg, slot0, slot1, tokens, offsets, keep, sub_ids, sub_offsets, cum_table,
                            neg_guide, window, negative, shared, alpha0, alpha1, rng):
    """``subword_skipgram_ns`` (``shared=False``) or ``subword_skipgram_ns_batched`` (``shared=True``)
    on private rows."""
    d = syn0.shape[1]
    buf = sentence_buffer(offsets)
    h = np.empty((1, d), dtype=np.float32)
    neu1e = np.empty(d, dtype=np.float32)
    step = np.empty(d, dtype=np.float32)
    m1 = np.empty_like(buf)
    negs = np.empty(negative, dtype=np.int32)
    mnegs = np.empty(negative, dtype=np.int32)
    msub = np.empty(longest(sub_offsets), dtype=np.int32)
    moff = np.zeros(2, dtype=np.int64)
    t0, p0 = new_store(syn0)
    t1, p1 = new_store(syn1neg)
    n0, n1 = 0, 0
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        if n > 1:  # the sentence's output rows (each context word is a target)
            if n1 + n > t1.shape[0]:
                t1, p1 = grow(t1, p1, n1, n, syn1neg.shape[0])
            n1 = own_all(slot1, t1, p1, syn1neg, buf, m1, n, 0, n1)
        for i in range(n):
            lo, hi = context_window(i, n, window, rng)
            if hi - lo <= 1:
                continue
            pairs = hi - lo - 1
            w = buf[i]
            listed = sub_offsets[w + 1] - sub_offsets[w]
            if n0 + listed > t0.shape[0]:
                t0, p0 = grow(t0, p0, n0, listed, syn0.shape[0])
            need = negative * (1 if shared else pairs)  # rows new to the job, at most
            if n1 + need > t1.shape[0]:
                t1, p1 = grow(t1, p1, n1, need, syn1neg.shape[0])
            if shared:
                draw_negatives(cum_table, neg_guide, negs, rng)
                n1 = own_all(slot1, t1, p1, syn1neg, negs, mnegs, negative, pairs, n1)
            listed, n0 = own_word(slot0, t0, p0, syn0, sub_ids, sub_offsets, w, msub, 0, n0)
            moff[1] = listed
            _word_mean(p0, msub, moff, 0, h)
            zero(neu1e)
            for j in range(lo, hi):
                if j == i:
                    continue
                tc = m1[j]
                t1[tc, 1] += 1
                if not shared:
                    draw_negatives(cum_table, neg_guide, negs, rng)
                    n1 = own_all(slot1, t1, p1, syn1neg, negs, mnegs, negative, 1, n1)
                zero(step)
                loss += ns_update_shared(h, 0, step, p1, tc, mnegs, alpha)
                _follow(h, neu1e, step)
                examples += 1
            _spread(p0, msub, moff, 0, neu1e)
    rows0, delta0 = to_delta(slot0, t0, p0, syn0, n0)
    rows1, delta1 = to_delta(slot1, t1, p1, syn1neg, n1)
    return loss, examples, words, rows0, delta0, rows1, delta1


@numba.njit(**_JIT)
def det_subword_skipgram_hs(syn0, syn1, slot0, slot1, tokens, offsets, keep, sub_ids, sub_offsets, codes, points,
                            code_offsets, window, alpha0, alpha1, rng):
    """``subword_skipgram_hs`` on private rows (each context word's Huffman path mapped in turn)."""
    d = syn0.shape[1]
    buf = sentence_buffer(offsets)
    h = np.empty((1, d), dtype=np.float32)
    neu1e = np.empty(d, dtype=np.float32)
    step = np.empty(d, dtype=np.float32)
    maxlen = longest(code_offsets)
    mcode = codes[:maxlen].copy()
    mpath = np.empty(maxlen, dtype=np.int32)
    msub = np.empty(longest(sub_offsets), dtype=np.int32)
    moff = np.zeros(2, dtype=np.int64)
    t0, p0 = new_store(syn0)
    t1, p1 = new_store(syn1)
    n0, n1 = 0, 0
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
            listed = sub_offsets[w + 1] - sub_offsets[w]
            if n0 + listed > t0.shape[0]:
                t0, p0 = grow(t0, p0, n0, listed, syn0.shape[0])
            listed, n0 = own_word(slot0, t0, p0, syn0, sub_ids, sub_offsets, w, msub, 0, n0)
            moff[1] = listed
            _word_mean(p0, msub, moff, 0, h)
            zero(neu1e)
            for j in range(lo, hi):
                if j == i:
                    continue
                c = buf[j]
                start, end = code_offsets[c], code_offsets[c + 1]
                if n1 + (end - start) > t1.shape[0]:
                    t1, p1 = grow(t1, p1, n1, end - start, syn1.shape[0])
                n1 = own_path(slot1, t1, p1, syn1, codes, points, start, end, mcode, mpath, 1, n1)
                zero(step)
                loss += hs_update(h, 0, step, p1, mcode, mpath, 0, end - start, alpha)
                _follow(h, neu1e, step)
                examples += 1
            _spread(p0, msub, moff, 0, neu1e)
    rows0, delta0 = to_delta(slot0, t0, p0, syn0, n0)
    rows1, delta1 = to_delta(slot1, t1, p1, syn1, n1)
    return loss, examples, words, rows0, delta0, rows1, delta1


@numba.njit(**_JIT)
def det_subword_cbow_ns(syn0, syn1neg, slot0, slot1, tokens, offsets, keep, sub_ids, sub_offsets, cum_table, neg_guide,
                        window, negative, alpha0, alpha1, rng):
    """``subword_cbow_ns`` on private rows."""
    d = syn0.shape[1]
    buf = sentence_buffer(offsets)
    mbuf = np.empty_like(buf)
    h = np.empty((1, d), dtype=np.float32)
    neu1e = np.empty(d, dtype=np.float32)
    negs = np.empty(negative, dtype=np.int32)
    mnegs = np.empty(negative, dtype=np.int32)
    msub = np.empty(2 * window * longest(sub_offsets), dtype=np.int32)
    moff = np.zeros(2 * window + 2, dtype=np.int64)
    t0, p0 = new_store(syn0)
    t1, p1 = new_store(syn1neg)
    n0, n1 = 0, 0
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        for i in range(n):
            lo, hi = context_window(i, n, window, rng)
            if hi - lo <= 1:
                continue
            listed = _window_rows(sub_offsets, buf, lo, hi, i)
            if n0 + listed > t0.shape[0]:
                t0, p0 = grow(t0, p0, n0, listed, syn0.shape[0])
            if n1 + 1 + negative > t1.shape[0]:
                t1, p1 = grow(t1, p1, n1, 1 + negative, syn1neg.shape[0])
            n0 = own_window(slot0, t0, p0, syn0, sub_ids, sub_offsets, buf, lo, hi, i, mbuf, msub, moff, n0)
            _context_mean(p0, msub, moff, mbuf, lo, hi, i, h)
            tw, n1 = own(slot1, t1, p1, syn1neg, buf[i], n1)
            t1[tw, 1] += 1
            draw_negatives(cum_table, neg_guide, negs, rng)
            n1 = own_all(slot1, t1, p1, syn1neg, negs, mnegs, negative, 1, n1)
            zero(neu1e)
            loss += ns_update_shared(h, 0, neu1e, p1, tw, mnegs, alpha)
            _context_spread(p0, msub, moff, mbuf, lo, hi, i, neu1e)
            examples += 1
    rows0, delta0 = to_delta(slot0, t0, p0, syn0, n0)
    rows1, delta1 = to_delta(slot1, t1, p1, syn1neg, n1)
    return loss, examples, words, rows0, delta0, rows1, delta1


@numba.njit(**_JIT)
def det_subword_cbow_hs(syn0, syn1, slot0, slot1, tokens, offsets, keep, sub_ids, sub_offsets, codes, points,
                        code_offsets, window, alpha0, alpha1, rng):
    """``subword_cbow_hs`` on private rows."""
    d = syn0.shape[1]
    buf = sentence_buffer(offsets)
    mbuf = np.empty_like(buf)
    h = np.empty((1, d), dtype=np.float32)
    neu1e = np.empty(d, dtype=np.float32)
    maxlen = longest(code_offsets)
    mcode = codes[:maxlen].copy()
    mpath = np.empty(maxlen, dtype=np.int32)
    msub = np.empty(2 * window * longest(sub_offsets), dtype=np.int32)
    moff = np.zeros(2 * window + 2, dtype=np.int64)
    t0, p0 = new_store(syn0)
    t1, p1 = new_store(syn1)
    n0, n1 = 0, 0
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
            start, end = code_offsets[w], code_offsets[w + 1]
            listed = _window_rows(sub_offsets, buf, lo, hi, i)
            if n0 + listed > t0.shape[0]:
                t0, p0 = grow(t0, p0, n0, listed, syn0.shape[0])
            if n1 + (end - start) > t1.shape[0]:
                t1, p1 = grow(t1, p1, n1, end - start, syn1.shape[0])
            n0 = own_window(slot0, t0, p0, syn0, sub_ids, sub_offsets, buf, lo, hi, i, mbuf, msub, moff, n0)
            _context_mean(p0, msub, moff, mbuf, lo, hi, i, h)
            n1 = own_path(slot1, t1, p1, syn1, codes, points, start, end, mcode, mpath, 1, n1)
            zero(neu1e)
            loss += hs_update(h, 0, neu1e, p1, mcode, mpath, 0, end - start, alpha)
            _context_spread(p0, msub, moff, mbuf, lo, hi, i, neu1e)
            examples += 1
    rows0, delta0 = to_delta(slot0, t0, p0, syn0, n0)
    rows1, delta1 = to_delta(slot1, t1, p1, syn1, n1)
    return loss, examples, words, rows0, delta0, rows1, delta1
