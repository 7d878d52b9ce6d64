"""Product quantization kernels: k-means on sub-vectors and encoding, as fastText's
``ProductQuantizer`` (src/productquantizer.cc) trains and applies them.

Pure functions (arrays and scalars in, arrays out; the RNG an explicit one-element uint64
array, word2vec.c's LCG from :mod:`wordvec._kernels.common`). Twins in ``reference_quantize.py``.

* :func:`assign_centroids` is ``ProductQuantizer::Estep`` / ``assign_centroid``: each point's
  nearest centroid by squared L2 distance summed in float32 (``distL2``), ties to the lowest index.
* :func:`kmeans` is ``ProductQuantizer::kmeans`` after its initialisation (which the caller does:
  ``centroids`` arrive holding distinct points): ``niter`` rounds of the E-step and of
  ``MStep`` — centroids become their points' means (summed here in float64, fastText sums in
  float32), and an emptied centroid takes a copy of a populous one, the two pushed apart by
  ``eps`` with alternating signs, the donor drawn as fastText draws it (walk the centroids,
  accept centroid ``m`` when ``u * (n - k) < count[m] - 1`` for a fresh uniform ``u``).
* :func:`encode_rows` is ``ProductQuantizer::compute_codes``: every sub-vector of every row
  against its sub-quantizer's centroids, in fastText's flat centroid layout.
"""

from __future__ import annotations

import numba
import numpy as np

from wordvec._kernels.common import next_random

__all__ = ["EPS", "assign_centroids", "encode_rows", "kmeans"]

EPS = np.float32(1e-7)  # ProductQuantizer::eps_
_JIT = dict(nogil=True, cache=True)  # no fastmath: the float32 sums keep fastText's order


@numba.njit(**_JIT)
def _distance(x, i, c, j):
    """``distL2(x[i], c[j])`` in float32."""
    acc = np.float32(0.0)
    for t in range(x.shape[1]):
        diff = x[i, t] - c[j, t]
        acc += diff * diff
    return acc


@numba.njit(**_JIT)
def assign_centroids(x, centroids, codes):
    """``codes[i]`` = index of the centroid nearest to ``x[i]`` (lowest index on ties); returns
    the summed squared distance (float64), the k-means objective."""
    total = 0.0
    for i in range(x.shape[0]):
        best = 0
        dis = _distance(x, i, centroids, 0)
        for j in range(1, centroids.shape[0]):
            d = _distance(x, i, centroids, j)
            if d < dis:
                dis = d
                best = j
        codes[i] = best
        total += dis
    return total


@numba.njit(**_JIT)
def _m_step(x, codes, centroids, sums, nelts, rng):
    k, d = centroids.shape
    n = x.shape[0]
    sums[:] = 0.0
    nelts[:] = 0
    for i in range(n):
        c = codes[i]
        for t in range(d):
            sums[c, t] += x[i, t]
        nelts[c] += 1
    for c in range(k):
        for t in range(d):
            centroids[c, t] = np.float32(sums[c, t] / nelts[c]) if nelts[c] else np.float32(0.0)
    for c in range(k):
        if nelts[c] == 0:
            m = 0
            while (next_random(rng) / 4294967296.0) * (n - k) >= nelts[m] - 1:
                m = (m + 1) % k
            for t in range(d):
                centroids[c, t] = centroids[m, t]
            for t in range(d):
                sign = np.float32((t % 2) * 2 - 1)
                centroids[c, t] += sign * EPS
                centroids[m, t] -= sign * EPS
            nelts[c] = nelts[m] // 2
            nelts[m] -= nelts[c]


@numba.njit(**_JIT)
def kmeans(x, centroids, niter, rng):
    """``niter`` rounds of E-step and M-step on the ``(n, d)`` float32 points ``x``, updating
    the ``(k, d)`` float32 ``centroids`` in place; needs ``n > k``. Returns the last objective."""
    k, d = centroids.shape
    codes = np.empty(x.shape[0], dtype=np.int64)
    sums = np.empty((k, d), dtype=np.float64)
    nelts = np.empty(k, dtype=np.int64)
    total = 0.0
    for _ in range(niter):
        total = assign_centroids(x, centroids, codes)
        _m_step(x, codes, centroids, sums, nelts, rng)
    return total


@numba.njit(**_JIT)
def encode_rows(matrix, centroids, dsub, ksub, codes):
    """``codes[i, q]`` = nearest centroid of sub-quantizer ``q`` to ``matrix[i]``'s q-th sub-vector,
    ``centroids`` in fastText's flat layout (sub-quantizer q < nsubq-1 at ``q * ksub * dsub``,
    ``ksub`` centroids of ``dsub`` values; the last one ``ksub`` centroids of the remaining width)."""
    n, dim = matrix.shape
    nsubq = codes.shape[1]
    for i in range(n):
        for q in range(nsubq):
            lo = q * dsub
            d = dim - lo if q == nsubq - 1 else dsub
            base = q * ksub * dsub
            best = 0
            dis = np.float32(np.inf)
            for j in range(ksub):
                acc = np.float32(0.0)
                for t in range(d):
                    diff = matrix[i, lo + t] - centroids[base + j * d + t]
                    acc += diff * diff
                if j == 0 or acc < dis:
                    dis = acc
                    best = j
            codes[i, q] = best
