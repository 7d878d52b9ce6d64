"""GloVe's AdaGrad kernel (Pennington, Socher, Manning 2014; Stanford glove.c, ``glove_thread``).

One job runs over a range of the (shuffled) non-zero entries. Per entry (i, j, x):
    diff  = w_i . c_j + b_i + b~_j - log x
    fdiff = f(x) * diff                          f(x) = min(1, (x / x_max) ** alpha)
    loss += f(x) * diff**2                       (glove.c accumulates half of this)
    g     = clip(fdiff * c_j, +-grad_clip) * eta (and symmetrically for c_j)
    w_i  -= g / sqrt(G_i);  G_i += g**2          G starts at 1 (glove.c's gradsq)
    b_i  -= fdiff / sqrt(Gb_i); Gb_i += fdiff**2 (glove.c's bias step carries no eta)
Vectors are updated only when both update sums are finite, as glove.c does. W and C are
(n, d + 1) with the bias in the last column, as glove.c lays W out, so one entry touches two
cache-friendly rows. Rows are indexed ``W[i, k]`` (no row views: see common.py).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from wordvec._kernels.common import next_random

# NaN/inf checks must survive: fastmath without "nnan"/"ninf".
_JIT_GLOVE = dict(nogil=True, cache=True, fastmath={"nsz", "arcp", "contract", "afn", "reassoc"},
                  error_model="numpy")


@numba.njit(**_JIT_GLOVE)
def glove_weights(values, x_max, alpha, out_weight, out_log):
    """f(x) and log(x) of every entry (float32), computed once before training."""
    for e in range(values.shape[0]):
        x = np.float64(values[e])
        out_weight[e] = 1.0 if x >= x_max else (x / x_max) ** alpha
        out_log[e] = math.log(x)


@numba.njit(**_JIT_GLOVE)
def glove_adagrad(W, C, GW, GC, rows, cols, weight, logx, start, end, eta, grad_clip):
    """AdaGrad over entries ``start:end``; returns (summed f(x) * diff**2 in float64, entries updated)."""
    d = W.shape[1] - 1
    u1 = np.empty(d, dtype=np.float32)
    u2 = np.empty(d, dtype=np.float32)
    loss = 0.0
    done = 0
    for e in range(start, end):
        i = rows[e]
        j = cols[e]
        diff = np.float32(0.0)
        for k in range(d):
            diff += W[i, k] * C[j, k]
        diff += W[i, d] + C[j, d] - logx[e]
        fdiff = weight[e] * diff
        if not (math.isfinite(diff) and math.isfinite(fdiff)):
            continue  # glove.c: "Caught NaN in diff ... Skipping update"
        loss += np.float64(fdiff) * np.float64(diff)
        done += 1
        s1 = np.float32(0.0)
        s2 = np.float32(0.0)
        for k in range(d):
            g1 = fdiff * C[j, k]
            g2 = fdiff * W[i, k]
            g1 = min(max(g1, -grad_clip), grad_clip) * eta
            g2 = min(max(g2, -grad_clip), grad_clip) * eta
            a = g1 / math.sqrt(GW[i, k])
            b = g2 / math.sqrt(GC[j, k])
            u1[k] = a
            u2[k] = b
            s1 += a
            s2 += b
            GW[i, k] += g1 * g1
            GC[j, k] += g2 * g2
        if math.isfinite(s1) and math.isfinite(s2):
            for k in range(d):
                W[i, k] -= u1[k]
                C[j, k] -= u2[k]
        bw = fdiff / math.sqrt(GW[i, d])
        bc = fdiff / math.sqrt(GC[j, d])
        if math.isfinite(bw):
            W[i, d] -= bw
        if math.isfinite(bc):
            C[j, d] -= bc
        GW[i, d] += fdiff * fdiff
        GC[j, d] += fdiff * fdiff
    return loss, done


@numba.njit(nogil=True, cache=True)
def shuffle_entries(rows, cols, weight, logx, rng):
    """Fisher-Yates shuffle of the four entry arrays together, in place (no index array).

    From the last entry down, entry e swaps with entry ``r % (e + 1)``, ``r`` 64 bits made of two
    32-bit draws of the LCG in ``rng`` (high bits first). Twin: ``reference_glove.shuffle_entries``.
    """
    for e in range(rows.shape[0] - 1, 0, -1):
        r = (next_random(rng) << np.uint64(32)) | next_random(rng)
        j = np.int64(r % np.uint64(e + 1))
        rows[e], rows[j] = rows[j], rows[e]
        cols[e], cols[j] = cols[j], cols[e]
        weight[e], weight[j] = weight[j], weight[e]
        logx[e], logx[j] = logx[j], logx[e]
