"""Pieces shared by the training kernels: the RNG, the sigmoid tables, subsampling, sampling.

Everything here is pure: arrays and scalars in, arrays out. The RNG is word2vec.c's
linear congruential generator (``next_random = next_random * 25214903917 + 11``), its
state an explicit one-element uint64 array owned by the caller.
"""

from __future__ import annotations

import numba
import numpy as np

# word2vec.c: EXP_TABLE_SIZE 1000, MAX_EXP 6; sigmoid(x) for x in [-6, 6) read from a table.
MAX_EXP = 6.0
EXP_TABLE_SIZE = 1000
_x = (np.arange(EXP_TABLE_SIZE, dtype=np.float64) / EXP_TABLE_SIZE * 2.0 - 1.0) * MAX_EXP
SIGMOID_TABLE = (np.exp(_x) / (np.exp(_x) + 1.0)).astype(np.float32)
# -log(sigmoid(x)) and -log(1 - sigmoid(x)) on the same grid: the loss, accumulated in float64.
NLL_POS_TABLE = np.log1p(np.exp(-_x))  # -log sigmoid(x)
NLL_NEG_TABLE = np.log1p(np.exp(_x))  # -log (1 - sigmoid(x))
TABLE_SCALE = EXP_TABLE_SIZE / MAX_EXP / 2.0

LCG_MUL = np.uint64(25214903917)
LCG_ADD = np.uint64(11)

_JIT = dict(nogil=True, cache=True, fastmath=True, error_model="numpy")


@numba.njit(**_JIT)
def next_random(rng):
    """Advance the LCG in ``rng[0]`` and return 32 fresh bits (bits 16..47 of the state)."""
    r = rng[0] * LCG_MUL + LCG_ADD
    rng[0] = r
    return (r >> np.uint64(16)) & np.uint64(0xFFFFFFFF)


@numba.njit(**_JIT)
def table_index(f):
    """Index into the sigmoid tables for a score ``f`` in (-MAX_EXP, MAX_EXP)."""
    return int((f + MAX_EXP) * TABLE_SCALE)


@numba.njit(**_JIT)
def zero(buf):
    for k in range(buf.shape[0]):
        buf[k] = 0.0


@numba.njit(**_JIT)
def subsample(tokens, start, end, keep, buf, rng):
    """Copy the tokens of one sentence that survive subsampling into ``buf``; return how many.

    A token w is kept when a 32-bit draw is below ``keep[w]`` (2**32 = always keep), so each
    token costs one draw, as in word2vec.c (which draws only when sample > 0).
    """
    n = 0
    for i in range(start, end):
        w = tokens[i]
        thr = keep[w]
        if thr < 4294967296:
            if np.int64(next_random(rng)) >= thr:
                continue
        buf[n] = w
        n += 1
    return n


@numba.njit(**_JIT)
def draw_negative(cum_table, rng):
    """A word drawn from the unigram^0.75 distribution: binary search in the cumulative table."""
    domain = cum_table[cum_table.shape[0] - 1]
    x = np.int64(next_random(rng)) % domain
    lo = 0
    hi = cum_table.shape[0] - 1
    while lo < hi:  # first i with cum_table[i] > x
        mid = (lo + hi) >> 1
        if cum_table[mid] > x:
            hi = mid
        else:
            lo = mid + 1
    return lo


@numba.njit(**_JIT)
def reduced_window(window, rng):
    """word2vec.c's dynamic window: b = next_random % window, effective window = window - b."""
    return window - np.int64(next_random(rng) % np.uint64(window))


@numba.njit(**_JIT)
def ns_update(h, row, neu1e, syn1neg, target, negative, cum_table, alpha, rng):
    """One negative-sampling step for the hidden vector ``h[row]`` and the true ``target``.

    For the target (label 1) and ``negative`` draws (label 0, a draw equal to the target is
    skipped as in word2vec.c): g = (label - sigmoid(h . v)) * alpha; ``neu1e += g v``;
    ``v += g h``. Scores beyond +-MAX_EXP use the saturated gradient as word2vec.c does.
    Returns the negative log-likelihood of this example (float64).

    Rows are addressed by index, never sliced: a numba view would update the parent array's
    reference count atomically, and with several threads on the same matrices that count's cache
    line would bounce between cores on every example.
    """
    d = h.shape[1]
    loss = 0.0
    for s in range(negative + 1):
        if s == 0:
            t = target
            label = np.float32(1.0)
        else:
            t = draw_negative(cum_table, rng)
            if t == target:
                continue
            label = np.float32(0.0)
        f = np.float32(0.0)
        for k in range(d):
            f += h[row, k] * syn1neg[t, k]
        if f >= MAX_EXP:
            g = (label - np.float32(1.0)) * alpha
            if s > 0:
                loss += f
        elif f <= -MAX_EXP:
            g = label * alpha
            if s == 0:
                loss -= f
        else:
            i = table_index(f)
            g = (label - SIGMOID_TABLE[i]) * alpha
            loss += NLL_POS_TABLE[i] if s == 0 else NLL_NEG_TABLE[i]
        for k in range(d):
            neu1e[k] += g * syn1neg[t, k]
        for k in range(d):
            syn1neg[t, k] += g * h[row, k]
    return loss


@numba.njit(**_JIT)
def hs_update(h, row, neu1e, syn1, codes, points, start, end, alpha):
    """Hierarchical softmax for ``h[row]`` along the Huffman path ``points[start:end]`` with bits ``codes``.

    word2vec.c: for each inner node, f = sigmoid(h . syn1[node]); g = (1 - code - f) * alpha;
    nodes whose score is beyond +-MAX_EXP are skipped (word2vec.c does the same).
    Returns the negative log-likelihood of the path (float64).
    """
    d = h.shape[1]
    loss = 0.0
    for j in range(start, end):
        t = points[j]
        f = np.float32(0.0)
        for k in range(d):
            f += h[row, k] * syn1[t, k]
        code = codes[j]
        if f <= -MAX_EXP or f >= MAX_EXP:
            # the loss of a saturated node still counts: -log sigmoid(+-f) ~ max(0, -+f)
            if code == 0 and f < 0:
                loss -= f
            elif code == 1 and f > 0:
                loss += f
            continue
        i = table_index(f)
        g = (np.float32(1.0) - np.float32(code) - SIGMOID_TABLE[i]) * alpha
        loss += NLL_POS_TABLE[i] if code == 0 else NLL_NEG_TABLE[i]
        for k in range(d):
            neu1e[k] += g * syn1[t, k]
        for k in range(d):
            syn1[t, k] += g * h[row, k]
    return loss


@numba.njit(**_JIT)
def ns_update_shared(h, row, neu1e, syn1neg, target, negs, n_negs, alpha):
    """``ns_update`` with negatives drawn beforehand (``negs[:n_negs]``; one equal to the target is skipped).

    Used by the batched skip-gram kernel, where one draw of negatives serves every context word of
    a window (Ji et al. 2016, "Parallelizing Word2Vec in Shared and Distributed Memory" — Intel's
    pWord2Vec / HogBatch): the output rows stay in cache across the window and each word costs
    ``negative`` draws instead of ``negative`` per context word. Updates stay per example (SGD).
    """
    d = h.shape[1]
    loss = 0.0
    for s in range(n_negs + 1):
        if s == 0:
            t = target
            label = np.float32(1.0)
        else:
            t = negs[s - 1]
            if t == target:  # shared draws may hit this example's target: skipped, as word2vec.c does
                continue
            label = np.float32(0.0)
        f = np.float32(0.0)
        for k in range(d):
            f += h[row, k] * syn1neg[t, k]
        if f >= MAX_EXP:
            g = (label - np.float32(1.0)) * alpha
            if s > 0:
                loss += f
        elif f <= -MAX_EXP:
            g = label * alpha
            if s == 0:
                loss -= f
        else:
            i = table_index(f)
            g = (label - SIGMOID_TABLE[i]) * alpha
            loss += NLL_POS_TABLE[i] if s == 0 else NLL_NEG_TABLE[i]
        for k in range(d):
            neu1e[k] += g * syn1neg[t, k]
        for k in range(d):
            syn1neg[t, k] += g * h[row, k]
    return loss
