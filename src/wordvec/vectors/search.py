"""Exact top-k search over a score vector (one matrix product upstream, argpartition here)."""

from __future__ import annotations

import numpy as np

__all__ = ["dots", "top_k"]

# Up to this many scores (an index's candidates, say), sorting them all is cheaper than the
# selection's several passes, and gives the same indexes in the same order.
_SMALL = 64


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the ``k`` largest scores, best first; O(n) selection, then a sort of k items.

    >>> import numpy as np
    >>> top_k(np.array([0.1, 0.9, 0.5, 0.7]), 2).tolist()
    [1, 3]
    """
    n = scores.shape[0]
    k = max(0, min(int(k), n))
    if k == 0:
        return np.empty(0, dtype=np.int64)
    if k < n and n > _SMALL:
        # The k-th best score is the cut; every index above it is in, and among those equal to it
        # the lowest indexes (the more frequent keys) are taken, whatever argpartition picked.
        kth = scores[np.argpartition(-scores, k - 1)[k - 1]]
        above = np.flatnonzero(scores > kth)
        equal = np.flatnonzero(scores == kth)[: k - above.size]
        part = np.concatenate((above, equal))
    else:
        part = np.arange(n)
    # Higher score first, then lower index.
    order = np.lexsort((part, -scores[part]))
    return part[order[:k]]


def dots(rows: np.ndarray, query: np.ndarray) -> np.ndarray:
    """``rows @ query`` with each row's sum in an order that does not depend on where the row sits:
    equal rows score exactly equal (so ties keep the lower index), which a BLAS matrix-vector
    product does not promise (OpenBLAS's AVX-512 kernel rounds rows in groups of four
    differently from the rest). For the few hundred candidate rows of an index or a batch.

    >>> import numpy as np
    >>> rows = np.repeat(np.random.default_rng(0).normal(size=(3, 50)).astype(np.float32), 4, axis=0)
    >>> s = dots(rows[1:], rows[0])
    >>> bool(s[0] == s[1] == s[2])
    True
    """
    return np.einsum("ij,j->i", rows, query)
