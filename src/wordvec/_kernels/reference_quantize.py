"""Slow NumPy twins of the product quantization kernels (quantize.py), for tests on tiny inputs.

They consume the same random draws in the same order as the kernels, so the tests compare
centroids and codes exactly.
"""

from __future__ import annotations

import numpy as np

from wordvec._kernels.reference import RefRNG

__all__ = ["assign_centroids", "encode_rows", "kmeans"]

EPS = np.float32(1e-7)


def _distances(x: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """(n, k) float32 squared distances, summed over the dimensions in order (fastText's distL2)."""
    diff = x[:, None, :] - centroids[None, :, :]
    sq = diff * diff
    acc = np.zeros(sq.shape[:2], dtype=np.float32)
    for t in range(sq.shape[2]):
        acc = acc + sq[:, :, t]
    return acc


def assign_centroids(x: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, float]:
    """Nearest centroid of each point (lowest index on ties) and the summed squared distance."""
    dist = _distances(x, centroids)
    codes = np.argmin(dist, axis=1)  # the first minimum: the lowest index
    return codes, float(dist[np.arange(len(x)), codes].astype(np.float64).sum())


def kmeans(x: np.ndarray, centroids: np.ndarray, niter: int, rng: RefRNG) -> tuple[np.ndarray, float]:
    """The centroids after ``niter`` E-steps and M-steps (see the kernel), and the last objective."""
    c = centroids.astype(np.float32).copy()
    k, d = c.shape
    n = len(x)
    total = 0.0
    for _ in range(niter):
        codes, total = assign_centroids(x, c)
        sums = np.zeros((k, d), dtype=np.float64)
        np.add.at(sums, codes, x.astype(np.float64))
        nelts = np.bincount(codes, minlength=k).astype(np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            c = np.where(nelts[:, None] > 0, sums / np.maximum(nelts, 1)[:, None], 0.0).astype(np.float32)
        signs = np.array([(t % 2) * 2 - 1 for t in range(d)], dtype=np.float32)
        for j in range(k):
            if nelts[j]:
                continue
            m = 0
            while (rng.next() / 4294967296.0) * (n - k) >= nelts[m] - 1:
                m = (m + 1) % k
            c[j] = c[m]
            c[j] = c[j] + signs * EPS
            c[m] = c[m] - signs * EPS
            nelts[j] = nelts[m] // 2
            nelts[m] -= nelts[j]
    return c, total


def encode_rows(matrix: np.ndarray, centroids: np.ndarray, dsub: int, ksub: int) -> np.ndarray:
    """``(n, nsubq)`` codes of ``matrix`` against fastText's flat centroid layout."""
    n, dim = matrix.shape
    nsubq = -(-dim // dsub)
    codes = np.empty((n, nsubq), dtype=np.uint8)
    for q in range(nsubq):
        lo = q * dsub
        d = dim - lo if q == nsubq - 1 else dsub
        sub = centroids[q * ksub * dsub:q * ksub * dsub + ksub * d].reshape(ksub, d)
        codes[:, q] = assign_centroids(matrix[:, lo:lo + d], sub)[0]
    return codes
