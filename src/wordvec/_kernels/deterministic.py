"""Deterministic Word2Vec kernels: skipgram.py's and cbow.py's jobs on private rows (delta.py).

Each kernel trains the same examples with the same random draws as its Hogwild twin (skip-gram
with negative sampling, per pair or with ``shared`` negatives; skip-gram with hierarchical softmax;
CBOW with each loss) but reads the shared matrices only, as a snapshot: every row it touches is
copied to a private buffer first, and the job's updates go there. It returns what the Hogwild kernel
returns plus the two sparse deltas::

    (loss, examples, words, rows0, delta0, rows1, delta1)

``rows0``/``delta0`` for the input matrix, ``rows1``/``delta1`` for the output matrix; adding them
(``delta.apply_delta``) gives the matrices the Hogwild kernel would leave if it ran alone on them.
``slot0``/``slot1`` are the caller's row maps (int32, one entry per row, all -1; see delta.py).

The output-layer steps are common.py's ``ns_update_shared`` and ``hs_update`` on the private
buffers, with the rows they read mapped to buffer indexes beforehand: each sentence's words once,
after subsampling (``m0``/``m1``: the sentence in buffer indexes), the noise words when they are
drawn, before the steps that use them (``draw_negatives``, which consumes the same random numbers as
``ns_update``'s one draw before each step), and a Huffman path node by node. A mapped noise word
equals the mapped target exactly when the words are equal, so the skip of a noise word equal to the
target (word2vec.c) is unchanged. Each row also counts the updates the job made to it
(``touched[:, 1]``), which the trainer's combination of a round's deltas needs (delta.py).
"""

from __future__ import annotations

import numba
import numpy as np

from wordvec._kernels.cbow import _context_mean, _spread
from wordvec._kernels.common import (_JIT, add_to_row, context_window, draw_negatives, hs_update, ns_update_shared,
                                     sentence_alpha, sentence_buffer, subsample, zero)
from wordvec._kernels.delta import grow, longest, new_store, own, own_all, to_delta


@numba.njit(inline="always", **_JIT)
def own_path(slot, touched, priv, m, codes, points, start, end, mcode, mpath, times, n):
    """Copy the Huffman code ``codes[start:end]`` to ``mcode`` and own its nodes ``points[start:end]``
    into ``mpath`` (buffer indexes), counting ``times`` updates for each; returns the rows owned."""
    for q in range(end - start):
        mcode[q] = codes[start + q]
        i, n = own(slot, touched, priv, m, points[start + q], n)
        mpath[q] = i
        touched[i, 1] += times
    return n


@numba.njit(**_JIT)
def det_skipgram_ns(syn0, syn1neg, slot0, slot1, tokens, offsets, keep, cum_table, neg_guide, window, negative, shared,
                    alpha0, alpha1, rng):
    """``skipgram_ns`` (``shared=False``) or ``skipgram_ns_batched`` (``shared=True``) on private rows."""
    buf = sentence_buffer(offsets)
    m0, m1 = np.empty_like(buf), np.empty_like(buf)
    neu1e = np.empty(syn0.shape[1], dtype=np.float32)
    negs = np.empty(negative, dtype=np.int32)
    mnegs = np.empty(negative, dtype=np.int32)
    t0, p0 = new_store(syn0)
    t1, p1 = new_store(syn1neg)
    n0, n1 = 0, 0
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        if n > 1:  # context rows (input) and target rows (output) of the sentence
            if n0 + n > t0.shape[0]:
                t0, p0 = grow(t0, p0, n0, n, syn0.shape[0])
            if n1 + n > t1.shape[0]:
                t1, p1 = grow(t1, p1, n1, n, syn1neg.shape[0])
            n0 = own_all(slot0, t0, p0, syn0, buf, m0, n, 0, n0)
            n1 = own_all(slot1, t1, p1, syn1neg, buf, m1, n, 0, n1)
        for i in range(n):
            lo, hi = context_window(i, n, window, rng)
            if hi - lo <= 1:  # no pair: neither Hogwild kernel draws anything more for this word
                continue
            pairs = hi - lo - 1
            need = negative * (1 if shared else pairs)  # rows new to the job, at most
            if n1 + need > t1.shape[0]:
                t1, p1 = grow(t1, p1, n1, need, syn1neg.shape[0])
            tw = m1[i]
            t1[tw, 1] += pairs
            if shared:
                draw_negatives(cum_table, neg_guide, negs, rng)
                n1 = own_all(slot1, t1, p1, syn1neg, negs, mnegs, negative, pairs, n1)
            for j in range(lo, hi):
                if j == i:
                    continue
                if not shared:
                    draw_negatives(cum_table, neg_guide, negs, rng)
                    n1 = own_all(slot1, t1, p1, syn1neg, negs, mnegs, negative, 1, n1)
                tc = m0[j]
                t0[tc, 1] += 1
                zero(neu1e)
                loss += ns_update_shared(p0, tc, neu1e, p1, tw, mnegs, alpha)
                add_to_row(p0, tc, neu1e)
                examples += 1
    rows0, delta0 = to_delta(slot0, t0, p0, syn0, n0)
    rows1, delta1 = to_delta(slot1, t1, p1, syn1neg, n1)
    return loss, examples, words, rows0, delta0, rows1, delta1


@numba.njit(**_JIT)
def det_skipgram_hs(syn0, syn1, slot0, slot1, tokens, offsets, keep, codes, points, code_offsets, window,
                    alpha0, alpha1, rng):
    """``skipgram_hs`` on private rows: word i's path is mapped once and serves each of its context words."""
    buf = sentence_buffer(offsets)
    m0 = np.empty_like(buf)
    neu1e = np.empty(syn0.shape[1], dtype=np.float32)
    maxlen = longest(code_offsets)
    mcode = codes[:maxlen].copy()
    mpath = np.empty(maxlen, dtype=np.int32)
    t0, p0 = new_store(syn0)
    t1, p1 = new_store(syn1)
    n0, n1 = 0, 0
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        if n > 1:
            if n0 + n > t0.shape[0]:
                t0, p0 = grow(t0, p0, n0, n, syn0.shape[0])
            n0 = own_all(slot0, t0, p0, syn0, buf, m0, n, 0, n0)
        for i in range(n):
            lo, hi = context_window(i, n, window, rng)
            if hi - lo <= 1:
                continue
            pairs = hi - lo - 1
            w = buf[i]
            start, end = code_offsets[w], code_offsets[w + 1]
            if n1 + (end - start) > t1.shape[0]:
                t1, p1 = grow(t1, p1, n1, end - start, syn1.shape[0])
            n1 = own_path(slot1, t1, p1, syn1, codes, points, start, end, mcode, mpath, pairs, n1)
            for j in range(lo, hi):
                if j == i:
                    continue
                tc = m0[j]
                t0[tc, 1] += 1
                zero(neu1e)
                loss += hs_update(p0, tc, neu1e, p1, mcode, mpath, 0, end - start, alpha)
                add_to_row(p0, tc, neu1e)
                examples += 1
    rows0, delta0 = to_delta(slot0, t0, p0, syn0, n0)
    rows1, delta1 = to_delta(slot1, t1, p1, syn1, n1)
    return loss, examples, words, rows0, delta0, rows1, delta1


@numba.njit(inline="always", **_JIT)
def count_context(touched, m0, lo, hi, i):
    """One update for each context row ``m0[lo:hi]`` but ``i`` (CBOW spreads the error to each)."""
    for j in range(lo, hi):
        if j != i:
            touched[m0[j], 1] += 1


@numba.njit(**_JIT)
def det_cbow_ns(syn0, syn1neg, slot0, slot1, tokens, offsets, keep, cum_table, neg_guide, window, negative, cbow_mean,
                alpha0, alpha1, rng):
    """``cbow_ns`` on private rows (``_context_mean``/``_spread`` read the sentence in buffer indexes)."""
    buf = sentence_buffer(offsets)
    m0 = np.empty_like(buf)
    neu1 = np.empty((1, syn0.shape[1]), dtype=np.float32)
    neu1e = np.empty(syn0.shape[1], dtype=np.float32)
    negs = np.empty(negative, dtype=np.int32)
    mnegs = np.empty(negative, dtype=np.int32)
    t0, p0 = new_store(syn0)
    t1, p1 = new_store(syn1neg)
    n0, n1 = 0, 0
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        if n > 1:
            if n0 + n > t0.shape[0]:
                t0, p0 = grow(t0, p0, n0, n, syn0.shape[0])
            n0 = own_all(slot0, t0, p0, syn0, buf, m0, n, 0, n0)
        for i in range(n):
            lo, hi = context_window(i, n, window, rng)
            if hi - lo <= 1:  # no context: cbow_ns skips the word before drawing negatives
                continue
            if n1 + 1 + negative > t1.shape[0]:
                t1, p1 = grow(t1, p1, n1, 1 + negative, syn1neg.shape[0])
            cw = _context_mean(p0, m0, lo, hi, i, neu1, cbow_mean)
            count_context(t0, m0, lo, hi, i)
            tw, n1 = own(slot1, t1, p1, syn1neg, buf[i], n1)
            t1[tw, 1] += 1
            draw_negatives(cum_table, neg_guide, negs, rng)
            n1 = own_all(slot1, t1, p1, syn1neg, negs, mnegs, negative, 1, n1)
            zero(neu1e)
            loss += ns_update_shared(neu1, 0, neu1e, p1, tw, mnegs, alpha)
            _spread(p0, m0, lo, hi, i, neu1e, cw, cbow_mean)
            examples += 1
    rows0, delta0 = to_delta(slot0, t0, p0, syn0, n0)
    rows1, delta1 = to_delta(slot1, t1, p1, syn1neg, n1)
    return loss, examples, words, rows0, delta0, rows1, delta1


@numba.njit(**_JIT)
def det_cbow_hs(syn0, syn1, slot0, slot1, tokens, offsets, keep, codes, points, code_offsets, window, cbow_mean,
                alpha0, alpha1, rng):
    """``cbow_hs`` on private rows."""
    buf = sentence_buffer(offsets)
    m0 = np.empty_like(buf)
    neu1 = np.empty((1, syn0.shape[1]), dtype=np.float32)
    neu1e = np.empty(syn0.shape[1], dtype=np.float32)
    maxlen = longest(code_offsets)
    mcode = codes[:maxlen].copy()
    mpath = np.empty(maxlen, dtype=np.int32)
    t0, p0 = new_store(syn0)
    t1, p1 = new_store(syn1)
    n0, n1 = 0, 0
    loss, examples, words = 0.0, 0, 0
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        words += n
        if n > 1:
            if n0 + n > t0.shape[0]:
                t0, p0 = grow(t0, p0, n0, n, syn0.shape[0])
            n0 = own_all(slot0, t0, p0, syn0, buf, m0, n, 0, n0)
        for i in range(n):
            lo, hi = context_window(i, n, window, rng)
            if hi - lo <= 1:
                continue
            w = buf[i]
            start, end = code_offsets[w], code_offsets[w + 1]
            if n1 + (end - start) > t1.shape[0]:
                t1, p1 = grow(t1, p1, n1, end - start, syn1.shape[0])
            cw = _context_mean(p0, m0, lo, hi, i, neu1, cbow_mean)
            count_context(t0, m0, lo, hi, i)
            n1 = own_path(slot1, t1, p1, syn1, codes, points, start, end, mcode, mpath, 1, n1)
            zero(neu1e)
            loss += hs_update(neu1, 0, neu1e, p1, mcode, mpath, 0, end - start, alpha)
            _spread(p0, m0, lo, hi, i, neu1e, cw, cbow_mean)
            examples += 1
    rows0, delta0 = to_delta(slot0, t0, p0, syn0, n0)
    rows1, delta1 = to_delta(slot1, t1, p1, syn1, n1)
    return loss, examples, words, rows0, delta0, rows1, delta1
