"""Slow NumPy twins of the co-occurrence and GloVe kernels, for tests on tiny inputs.

Written for clarity, in float64, straight from Stanford GloVe's cooccur.c and glove.c.
"""

from __future__ import annotations

import numpy as np

from wordvec._kernels.reference import RefRNG

__all__ = ["cooccurrence_dense", "glove_weights", "glove_step", "glove_epoch", "shuffle_entries"]


def cooccurrence_dense(sentences, n_words: int, window: int, distance_weighting: bool = True,
                       symmetric: bool = True) -> np.ndarray:
    """Dense (n_words, n_words) counts: for each pair of tokens at distance 1..window in a sentence,
    the left word's row and right word's column get 1/distance (or 1); symmetric adds the transpose."""
    out = np.zeros((n_words, n_words), dtype=np.float64)
    for sent in sentences:
        sent = np.asarray(sent, dtype=np.int64)
        for d in range(1, window + 1):
            if d >= sent.size:
                break
            w = 1.0 / d if distance_weighting else 1.0
            np.add.at(out, (sent[:-d], sent[d:]), w)
            if symmetric:
                np.add.at(out, (sent[d:], sent[:-d]), w)
    return out


def glove_weights(values: np.ndarray, x_max: float, alpha: float) -> np.ndarray:
    """f(x) = (x / x_max) ** alpha below x_max, 1 above (Pennington et al. 2014, eq. 9)."""
    x = np.asarray(values, dtype=np.float64)
    return np.where(x < x_max, (x / x_max) ** alpha, 1.0)


def glove_step(W, C, GW, GC, i: int, j: int, x: float, x_max: float, alpha: float,
               eta: float, grad_clip: float) -> float:
    """One AdaGrad step of glove.c on entry (i, j, x), in place; returns f(x) * diff**2.

    W, C: (n, d + 1) word and context vectors with the bias in the last column;
    GW, GC: their sums of squared (eta-scaled) gradients, initialised to 1 as in glove.c.
    """
    d = W.shape[1] - 1
    diff = W[i, :d] @ C[j, :d] + W[i, d] + C[j, d] - np.log(x)
    fdiff = float(glove_weights(x, x_max, alpha)) * diff
    if not np.isfinite(fdiff):
        return 0.0
    t1 = np.clip(fdiff * C[j, :d], -grad_clip, grad_clip) * eta
    t2 = np.clip(fdiff * W[i, :d], -grad_clip, grad_clip) * eta
    u1 = t1 / np.sqrt(GW[i, :d])
    u2 = t2 / np.sqrt(GC[j, :d])
    GW[i, :d] += t1 * t1
    GC[j, :d] += t2 * t2
    if np.isfinite(u1.sum()) and np.isfinite(u2.sum()):
        W[i, :d] -= u1
        C[j, :d] -= u2
    # glove.c updates the biases without eta (its bias step is fdiff / sqrt(gradsq))
    W[i, d] -= fdiff / np.sqrt(GW[i, d])
    C[j, d] -= fdiff / np.sqrt(GC[j, d])
    GW[i, d] += fdiff * fdiff
    GC[j, d] += fdiff * fdiff
    return float(fdiff * diff)


def glove_epoch(W, C, GW, GC, rows, cols, values, x_max, alpha, eta, grad_clip) -> float:
    """glove_step over the entries in order; returns the summed loss."""
    return sum(glove_step(W, C, GW, GC, int(i), int(j), float(x), x_max, alpha, eta, grad_clip)
               for i, j, x in zip(rows, cols, values))


def shuffle_entries(rows, cols, weight, logx, rng_state: int):
    """Twin of the kernel's in-place shuffle: Fisher-Yates from the last entry down, swapping entry e
    with entry ``r % (e + 1)`` for a 64-bit ``r`` made of two draws of the LCG (high bits first).
    Returns the four arrays permuted (copies) and the final RNG state."""
    rng = RefRNG(rng_state)
    order = list(range(len(rows)))
    for e in range(len(order) - 1, 0, -1):
        r = (rng.next() << 32) | rng.next()
        j = r % (e + 1)
        order[e], order[j] = order[j], order[e]
    return rows[order], cols[order], weight[order], logx[order], rng.state
