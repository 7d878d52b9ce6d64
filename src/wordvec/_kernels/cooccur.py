"""Co-occurrence counting kernels (Stanford GloVe's cooccur.c, the windowing loop).

For every kept token w2 at position j of a sentence and every earlier token w1 at position
k with j - window <= k < j, cooccur.c adds ``1 / (j - k)`` (or 1 without distance weighting)
to the pair (w1, w2) and, when symmetric, to (w2, w1). Pruned words were dropped before
windowing (cooccur.c skips out-of-vocabulary words without giving them a position) and a
newline resets the window, so windows never cross sentences.

Exact sums: 1/3, 1/5, 1/6, ... are not exact in binary, so float64 sums of them depend on the
order of addition (which pairs take the dense table, when the buffer fills, how a cluster splits
the corpus). The kernels add ``unit / distance`` instead, ``unit`` = lcm(1, ..., window)
(:func:`weight_unit`): whole numbers, exact in float64 and order-free while a sum stays below
2**53; the values are divided by ``unit`` once, when they become float32 (``split_keys``). So the
matrix is the same to the bit whatever the memory cap or the partitioning.

As in cooccur.c, pairs of frequent words, ``(row + 1) * (col + 1) <= max_product``, are summed
in a dense ragged table (row r holds columns ``0 .. lookup[r + 1] - lookup[r] - 1`` at
``lookup[r]``); the rest are written as int64 keys ``row * n_words + col`` with float64
weights into a bounded buffer that Python sorts, reduces and spills (wordvec.cooccur.builder).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from wordvec._kernels.common import _JIT


#: The largest window whose weights are summed exactly (lcm(1..16) = 720,720: a pair's sum stays
#: exact up to 1.2e10, far beyond what a corpus of billions of tokens gives one pair).
EXACT_WINDOW = 16


def weight_unit(window: int, distance_weighting: bool) -> float:
    """What the kernels count one co-occurrence at distance 1 as: lcm(1, ..., window) with distance
    weighting up to :data:`EXACT_WINDOW` (every ``unit / d`` a whole number), else 1.

    >>> weight_unit(10, True), weight_unit(10, False), weight_unit(40, True)
    (2520.0, 1.0, 1.0)
    """
    if not distance_weighting or window > EXACT_WINDOW:
        return 1.0
    return float(math.lcm(*range(1, int(window) + 1)))


@numba.njit(**_JIT)
def window_pairs(tokens, offsets, sent, pos, n_words, window, weighting, symmetric, table, lookup,
                 keys, vals, fill, unit=1.0):
    """Count the pairs of tokens from position ``pos`` (in sentence ``sent``) on: into ``table``
    where the pair has a dense slot, else into the buffers ``keys``/``vals``.

    Stops before a token whose pairs might not fit (it needs up to 2 * window slots).
    Returns ``(sent, pos, fill)``: where to resume and how many buffer slots are used.
    A pair at distance d adds ``unit / d`` with ``weighting`` (see :func:`weight_unit`), else 1.
    ``offsets`` are the sentence boundaries of ``tokens``; ``pos`` indexes ``tokens``.
    """
    n_sent = offsets.shape[0] - 1
    cap = keys.shape[0]
    need = 2 * window if symmetric else window
    nw = np.int64(n_words)
    while sent < n_sent:
        start = offsets[sent]
        end = offsets[sent + 1]
        pos = max(pos, start)
        while pos < end:
            if fill + need > cap:
                return sent, pos, fill
            w2 = np.int64(tokens[pos])
            lo = max(pos - window, start)
            for k in range(pos - 1, lo - 1, -1):
                w1 = np.int64(tokens[k])
                x = unit / (pos - k) if weighting else 1.0
                if lookup[w1] + w2 < lookup[w1 + 1]:
                    table[lookup[w1] + w2] += x
                else:
                    keys[fill] = w1 * nw + w2
                    vals[fill] = x
                    fill += 1
                if symmetric:
                    if lookup[w2] + w1 < lookup[w2 + 1]:
                        table[lookup[w2] + w1] += x
                    else:
                        keys[fill] = w2 * nw + w1
                        vals[fill] = x
                        fill += 1
            pos += 1
        sent += 1
    return sent, pos, fill


@numba.njit(**_JIT)
def sum_sorted(keys, vals, n):
    """Sum the weights of equal keys in sorted ``keys[:n]`` in place; returns the unique count."""
    if n == 0:
        return 0
    out = 0
    for i in range(1, n):
        if keys[i] == keys[out]:
            vals[out] += vals[i]
        else:
            out += 1
            keys[out] = keys[i]
            vals[out] = vals[i]
    return out + 1


@numba.njit(**_JIT)
def sort_pairs(keys, vals, n):
    """Sort ``keys[:n]`` with ``vals[:n]`` carried along, in place, without extra memory.

    An iterative quicksort (median of three, smaller part first so the stack stays
    O(log n)) finishing short ranges with insertion sort; argsort would need 3x the memory.
    """
    stack = np.empty(128, dtype=np.int64)
    top = 0
    stack[0] = 0
    stack[1] = n - 1
    top = 2
    while top > 0:
        top -= 2
        lo = stack[top]
        hi = stack[top + 1]
        while hi - lo > 16:
            mid = (lo + hi) >> 1
            # median of three into keys[mid]
            if keys[mid] < keys[lo]:
                _swap(keys, vals, mid, lo)
            if keys[hi] < keys[lo]:
                _swap(keys, vals, hi, lo)
            if keys[hi] < keys[mid]:
                _swap(keys, vals, hi, mid)
            pivot = keys[mid]
            i = lo
            j = hi
            while i <= j:
                while keys[i] < pivot:
                    i += 1
                while keys[j] > pivot:
                    j -= 1
                if i <= j:
                    _swap(keys, vals, i, j)
                    i += 1
                    j -= 1
            # recurse into the smaller part first (push the larger): stack depth O(log n)
            if j - lo < hi - i:
                if i < hi:
                    stack[top] = i
                    stack[top + 1] = hi
                    top += 2
                hi = j
            else:
                if lo < j:
                    stack[top] = lo
                    stack[top + 1] = j
                    top += 2
                lo = i
        for a in range(lo + 1, hi + 1):
            kk = keys[a]
            vv = vals[a]
            b = a - 1
            while b >= lo and keys[b] > kk:
                keys[b + 1] = keys[b]
                vals[b + 1] = vals[b]
                b -= 1
            keys[b + 1] = kk
            vals[b + 1] = vv


@numba.njit(**_JIT)
def _swap(keys, vals, i, j):
    t = keys[i]
    keys[i] = keys[j]
    keys[j] = t
    v = vals[i]
    vals[i] = vals[j]
    vals[j] = v


# Sparse products for the randomized SVD of PPMI matrices (wordvec.models.ppmi_svd).
@numba.njit(**_JIT)
def csr_matmul(indptr, indices, data, Q, out):
    """out = M @ Q for M in CSR form."""
    for i in range(indptr.shape[0] - 1):
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            v = data[e]
            for k in range(Q.shape[1]):
                out[i, k] += v * Q[j, k]


@numba.njit(**_JIT)
def csr_rmatmul(indptr, indices, data, Q, out):
    """out = M.T @ Q for M in CSR form."""
    for i in range(indptr.shape[0] - 1):
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            v = data[e]
            for k in range(Q.shape[1]):
                out[j, k] += v * Q[i, k]
