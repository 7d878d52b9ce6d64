"""Slow NumPy twins of the numba kernels, written for reading, not speed.

Each twin consumes the same random draws in the same order as its kernel, so on tiny
inputs the tests can compare the resulting matrices directly. Formulas follow word2vec.c
(TrainModelThread) as the kernels do; see their docstrings for the citations.
"""

from __future__ import annotations

import numpy as np

from wordvec._kernels.common import (MAX_EXP, NLL_NEG_TABLE, NLL_POS_TABLE, SIGMOID_TABLE,
                                     TABLE_SCALE)

_M64 = (1 << 64) - 1


class RefRNG:
    """word2vec.c's LCG on Python ints (the kernels keep the same state in a uint64 array)."""

    def __init__(self, state: int):
        self.state = int(state) & _M64

    def next(self) -> int:
        self.state = (self.state * 25214903917 + 11) & _M64
        return (self.state >> 16) & 0xFFFFFFFF


def _sigmoid_index(f: float) -> int:
    return int((f + MAX_EXP) * TABLE_SCALE)


def ref_subsample(tokens, keep, rng: RefRNG) -> list[int]:
    out = []
    for w in tokens:
        if keep[w] < (1 << 32) and rng.next() >= keep[w]:
            continue
        out.append(int(w))
    return out


def ref_negative(cum_table, rng: RefRNG) -> int:
    x = rng.next() % int(cum_table[-1])
    return int(np.searchsorted(cum_table, x, side="right"))


def ref_negatives(cum_table, negative: int, rng: RefRNG) -> list[int]:
    return [ref_negative(cum_table, rng) for _ in range(negative)]


def ref_ns(h, syn1neg, target, negs, alpha):
    """Negative sampling: label 1 for ``target``, 0 for each noise word in ``negs`` but the target.

    The one twin of ``ns_update_shared`` and of ``ns_update``, whose draws (one before each step)
    are the same random numbers as drawing ``negs`` first. Returns (neu1e, loss); updates syn1neg
    rows in place.
    """
    neu1e = np.zeros_like(h)
    loss = 0.0
    for t, label in [(target, 1.0)] + [(t, 0.0) for t in negs if t != target]:
        f = float(np.dot(h, syn1neg[t]))
        if f >= MAX_EXP:
            g = (label - 1.0) * alpha
            loss += f if label == 0.0 else 0.0
        elif f <= -MAX_EXP:
            g = label * alpha
            loss += -f if label == 1.0 else 0.0
        else:
            i = _sigmoid_index(f)
            g = (label - float(SIGMOID_TABLE[i])) * alpha
            loss += NLL_POS_TABLE[i] if label == 1.0 else NLL_NEG_TABLE[i]
        neu1e += np.float32(g) * syn1neg[t]
        syn1neg[t] += np.float32(g) * h
    return neu1e, loss


def ref_hs(h, syn1, code, path, alpha):
    neu1e = np.zeros_like(h)
    loss = 0.0
    for bit, node in zip(code, path):
        f = float(np.dot(h, syn1[node]))
        if f <= -MAX_EXP or f >= MAX_EXP:
            if bit == 0 and f < 0:
                loss -= f
            elif bit == 1 and f > 0:
                loss += f
            continue
        i = _sigmoid_index(f)
        g = (1.0 - bit - float(SIGMOID_TABLE[i])) * alpha
        loss += NLL_POS_TABLE[i] if bit == 0 else NLL_NEG_TABLE[i]
        neu1e += np.float32(g) * syn1[node]
        syn1[node] += np.float32(g) * h
    return neu1e, loss


def _alpha(alpha0, alpha1, offsets, s):
    span = max(offsets[-1] - offsets[0], 1)
    return np.float32(alpha0 + (alpha1 - alpha0) * ((offsets[s] - offsets[0]) / span))


def _sentences(tokens, offsets, keep, rng):
    for s in range(len(offsets) - 1):
        yield s, ref_subsample(tokens[offsets[s]:offsets[s + 1]], keep, rng)


def _context(sent, i, window, rng):
    """Positions of word i's context: the reduced window (one draw), word i itself left out."""
    b = window - rng.next() % window
    return [j for j in range(max(0, i - b), min(len(sent), i + b + 1)) if j != i]


def _output_step(h, syn1, target, alpha, rng, cum_table, negative, tree, negs=None):
    """One example's output layer: hierarchical softmax along ``target``'s path when ``tree`` is
    given, else negative sampling with ``negs`` (drawn here, per example, when None)."""
    if tree is not None:
        return ref_hs(h, syn1, tree.code(target), tree.path(target), alpha)
    if negs is None:
        negs = ref_negatives(cum_table, negative, rng)
    return ref_ns(h, syn1, target, negs, alpha)


def ref_skipgram(syn0, syn1, tokens, offsets, keep, window, alpha0, alpha1, rng_state, *,
                 cum_table=None, negative=0, tree=None, shared=False):
    """Skip-gram over one chunk: twin of ``skipgram_ns`` (``cum_table``), ``skipgram_ns_batched``
    (also ``shared``: one draw of negatives per word with a context) and ``skipgram_hs`` (``tree``)."""
    rng = RefRNG(rng_state)
    loss, examples, words = 0.0, 0, 0
    for s, sent in _sentences(tokens, offsets, keep, rng):
        alpha = _alpha(alpha0, alpha1, offsets, s)
        words += len(sent)
        for i, w in enumerate(sent):
            ctx = _context(sent, i, window, rng)
            negs = ref_negatives(cum_table, negative, rng) if shared and ctx else None
            for j in ctx:
                h = syn0[sent[j]].copy()
                neu1e, l = _output_step(h, syn1, w, alpha, rng, cum_table, negative, tree, negs)
                syn0[sent[j]] += neu1e
                loss += l
                examples += 1
    return loss, examples, words, rng.state


def ref_cbow(syn0, syn1, tokens, offsets, keep, window, cbow_mean, alpha0, alpha1, rng_state, *,
             cum_table=None, negative=0, tree=None):
    """CBOW over one chunk: twin of ``cbow_ns`` (``cum_table``) and ``cbow_hs`` (``tree``)."""
    rng = RefRNG(rng_state)
    loss, examples, words = 0.0, 0, 0
    for s, sent in _sentences(tokens, offsets, keep, rng):
        alpha = _alpha(alpha0, alpha1, offsets, s)
        words += len(sent)
        for i, w in enumerate(sent):
            ctx = [sent[j] for j in _context(sent, i, window, rng)]
            if not ctx:
                continue
            h = syn0[ctx].sum(axis=0)
            if cbow_mean:
                h = h / np.float32(len(ctx))
            neu1e, l = _output_step(h, syn1, w, alpha, rng, cum_table, negative, tree)
            if not cbow_mean:  # gensim: a summed context spreads the error divided by its size
                neu1e = neu1e / np.float32(len(ctx))
            for c in ctx:
                syn0[c] += neu1e
            loss += l
            examples += 1
    return loss, examples, words, rng.state


def ref_huffman(counts) -> tuple[list[list[int]], list[list[int]]]:
    """Codes and inner-node paths by the textbook heap construction (word2vec.c's node numbering).

    Used in tests for code *lengths* (optimality), which any Huffman tree shares.
    """
    import heapq

    v = len(counts)
    heap = [(int(c), i, i) for i, c in enumerate(counts)]
    heapq.heapify(heap)
    parent, bit = {}, {}
    nxt = v
    while len(heap) > 1:
        c1, _, a = heapq.heappop(heap)
        c2, _, b = heapq.heappop(heap)
        parent[a], bit[a] = nxt, 0
        parent[b], bit[b] = nxt, 1
        heapq.heappush(heap, (c1 + c2, nxt, nxt))
        nxt += 1
    codes, paths = [], []
    for w in range(v):
        code, path, n = [], [], w
        while n in parent:
            code.append(bit[n])
            n = parent[n]
            path.append(n - v)
        codes.append(code[::-1])
        paths.append(path[::-1])
    return codes, paths


def ref_subword_skipgram(syn0, syn1, tokens, offsets, keep, sub_ids, sub_offsets, window, alpha0, alpha1,
                         rng_state, *, cum_table=None, negative=0, shared=False, tree=None):
    """FastText skip-gram, twin of ``subword_skipgram_ns``, ``_ns_batched`` (``shared``) and ``_hs`` (``tree``):
    the centre word's subword mean predicts each context word; after each context word the mean
    moves by that word's gradient (as fastText's rows do), and the summed gradient is added to each
    of the centre word's rows at the end of its window."""
    rng = RefRNG(rng_state)
    loss, examples, words = 0.0, 0, 0
    for s, sent in _sentences(tokens, offsets, keep, rng):
        alpha = _alpha(alpha0, alpha1, offsets, s)
        words += len(sent)
        for i, w in enumerate(sent):
            ctx = _context(sent, i, window, rng)
            if not ctx:
                continue
            rows = sub_ids[sub_offsets[w]:sub_offsets[w + 1]]
            negs = ref_negatives(cum_table, negative, rng) if shared else None
            h = syn0[rows].mean(axis=0).astype(np.float32)
            total = np.zeros_like(h)
            for j in ctx:
                neu1e, l = _output_step(h, syn1, sent[j], alpha, rng, cum_table, negative, tree, negs)
                h = (h + neu1e).astype(np.float32)
                total += neu1e
                loss += l
                examples += 1
            for r in rows:
                syn0[r] += total
    return loss, examples, words, rng.state


def ref_subword_cbow(syn0, syn1, tokens, offsets, keep, sub_ids, sub_offsets, window, alpha0, alpha1,
                     rng_state, *, cum_table=None, negative=0, tree=None):
    """FastText CBOW, twin of ``subword_cbow_ns`` and ``subword_cbow_hs`` (``tree``): the mean of every
    row of every context word predicts the centre word."""
    rng = RefRNG(rng_state)
    loss, examples, words = 0.0, 0, 0
    for s, sent in _sentences(tokens, offsets, keep, rng):
        alpha = _alpha(alpha0, alpha1, offsets, s)
        words += len(sent)
        for i, w in enumerate(sent):
            ctx = [sent[j] for j in _context(sent, i, window, rng)]
            if not ctx:
                continue
            rows = [r for c in ctx for r in sub_ids[sub_offsets[c]:sub_offsets[c + 1]]]
            h = syn0[rows].mean(axis=0).astype(np.float32)
            neu1e, l = _output_step(h, syn1, w, alpha, rng, cum_table, negative, tree)
            for r in rows:
                syn0[r] += neu1e
            loss += l
            examples += 1
    return loss, examples, words, rng.state
