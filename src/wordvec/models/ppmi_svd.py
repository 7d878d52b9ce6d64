"""PPMI + truncated SVD (Levy, Goldberg, Dagan 2015, "Improving distributional similarity
with lessons learned from word embeddings"; their ``hyperwords`` code).

From a co-occurrence matrix X (the same one GloVe trains on):
    PMI(w, c) = log( X[w, c] * sum_c' #(c')^cds / (#(w) * #(c)^cds) )   #(w), #(c): row and column sums
    PPMI(w, c) = max(PMI(w, c) - log(shift), 0)                         (context-distribution smoothing cds)
    PPMI ~= U S V^T (rank vector_size),  vectors = U S^eig              (eigenvalue weighting p = eig)
The SVD is randomized (Halko, Martinsson, Tropp 2011; seeded, 5 power iterations) with
NumPy and a small numba sparse product, or exact with scipy's ARPACK (``svd="arpack"``,
needs scipy).
"""

from __future__ import annotations

import time

import numpy as np

from wordvec.config import PPMISVDConfig
from wordvec.cooccur.matrix import Cooccurrence
from wordvec.models._jobs import check_memory
from wordvec.models.base import CooccurrenceEstimator
from wordvec.vectors.keyed import KeyedVectors

__all__ = ["PPMISVD", "ppmi"]

_N_ITER = 5
_OVERSAMPLES = 10


def ppmi(matrix: Cooccurrence, cds: float = PPMISVDConfig.cds,
         shift: float = PPMISVDConfig.shift) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The positive entries of the (shifted, smoothed) PMI matrix: (rows, cols, float64 values), sorted.

    >>> from wordvec.cooccur import build_cooccurrence
    >>> matrix = build_cooccurrence([["the", "king", "rules"], ["the", "queen", "rules"]], window=1, min_count=1,
    ...                             distance_weighting=False, progress=False)
    >>> rows, cols, values = ppmi(matrix, cds=1.0)
    >>> [(matrix.keys[r], matrix.keys[c], round(float(v), 3)) for r, c, v in zip(rows, cols, values)][:3]
    [('the', 'king', 0.693), ('the', 'queen', 0.693), ('rules', 'king', 0.693)]
    """
    n = len(matrix.keys)
    x = matrix.values.astype(np.float64)
    row_sum = np.bincount(matrix.rows, weights=x, minlength=n)
    col_sum = np.bincount(matrix.cols, weights=x, minlength=n) ** cds
    total = col_sum.sum()
    with np.errstate(divide="ignore"):
        pmi = np.log(x) + np.log(total) - np.log(row_sum[matrix.rows]) - np.log(col_sum[matrix.cols])
    pmi -= np.log(shift)
    keep = pmi > 0
    return matrix.rows[keep], matrix.cols[keep], pmi[keep]


class PPMISVD(CooccurrenceEstimator):
    """PPMI + SVD estimator: parameters in ``__init__``, work in ``fit`` / ``fit_cooccurrence``.

    >>> model = PPMISVD(vector_size=2, min_count=1, window=2, progress=False)
    >>> model.fit([["the", "cat", "sat"], ["the", "dog", "sat"]]).wv["cat"].shape
    (2,)

    ``vector_size`` must be smaller than the vocabulary. Defaults:
    :class:`wordvec.config.PPMISVDConfig`; the randomized SVD is seeded, so runs are identical.
    ``progress``: None (default): bars only on a terminal or in a notebook; True/False force them.
    """

    config_class = PPMISVDConfig
    _repr_fields = ("vector_size", "window", "cds", "eig")

    def __init__(self, vector_size: int = PPMISVDConfig.vector_size, *,
                 window: int = PPMISVDConfig.window,
                 distance_weighting: bool = PPMISVDConfig.distance_weighting,
                 symmetric: bool = PPMISVDConfig.symmetric,
                 min_count: int = PPMISVDConfig.min_count,
                 max_vocab_size: int | None = PPMISVDConfig.max_vocab_size,
                 memory_mb: float = PPMISVDConfig.memory_mb,
                 cds: float = PPMISVDConfig.cds,
                 shift: float = PPMISVDConfig.shift,
                 eig: float = PPMISVDConfig.eig,
                 svd: str = PPMISVDConfig.svd,
                 seed: int = PPMISVDConfig.seed,
                 tokenizer=None,
                 progress: bool | None = None):
        self.vector_size = vector_size
        self.window = window
        self.distance_weighting = distance_weighting
        self.symmetric = symmetric
        self.min_count = min_count
        self.max_vocab_size = max_vocab_size
        self.memory_mb = memory_mb
        self.cds = cds
        self.shift = shift
        self.eig = eig
        self.svd = svd
        self.seed = seed
        self.tokenizer = tokenizer
        self.progress = progress

    def _fit(self, cfg: PPMISVDConfig, matrix: Cooccurrence) -> None:
        n = len(matrix.keys)
        if cfg.vector_size >= n:
            raise ValueError(f"vector_size={cfg.vector_size} must be smaller than the vocabulary "
                             f"({n} words): lower vector_size or min_count")
        l = min(cfg.vector_size + _OVERSAMPLES, n)
        # the randomized SVD holds about six (n, l) float64 arrays at once (Q, products, QR's work)
        check_memory(6 * 8 * n * l, f"{n:,} words x {l:,} dimensions (the SVD's float64 work arrays)",
                     "lower vector_size (-d), or shrink the vocabulary with min_count or max_vocab_size")
        t0 = time.perf_counter()
        rows, cols, vals = ppmi(matrix, cfg.cds, cfg.shift)
        if vals.size == 0:
            raise ValueError("the PPMI matrix is empty: no word pair co-occurs more than chance predicts "
                             "(use more text or lower shift)")
        if cfg.svd == "arpack":
            u, s = _svd_arpack(rows, cols, vals, n, cfg.vector_size)
        else:
            u, s = _svd_randomized(rows, cols, vals, n, cfg.vector_size, cfg.seed)
        self.singular_values_ = s
        with np.errstate(over="ignore", invalid="ignore"):
            self._vectors = np.ascontiguousarray(u * s ** cfg.eig, dtype=np.float32)
        if not np.isfinite(self._vectors).all():
            raise ValueError(f"eig={cfg.eig} raises the singular values (up to {s.max():.4g}) beyond float32's "
                             f"range: lower eig")
        self.vocab_ = matrix.vocab  # the matrix's own vocabulary: its rows are these words
        self.ppmi_entries_ = int(vals.size)
        self._record([], self._corpus_stats(matrix, ppmi_entries=int(vals.size)),
                     seconds=time.perf_counter() - t0, workers=1, words=matrix.settings.get("total_words", 0),
                     passes=1)

    def _build_vectors(self) -> KeyedVectors:
        return KeyedVectors(self.vocab_.index_to_key, self._vectors, counts=self.vocab_.counts)

    def _summary_detail(self) -> str:
        cfg, corpus, stats = self.config, self.corpus_stats_, self.training_stats_
        return (f"PPMI (cds {cfg.cds}) kept {corpus['ppmi_entries']:,} of {corpus['cooccurrence_entries']:,} "
                f"co-occurrences; {cfg.svd} SVD (eig {cfg.eig}) took {stats['seconds_train']:.2f} s")


# ------------------------------------------------------------------ SVD
def _svd_randomized(rows, cols, vals, n: int, k: int, seed: int):
    """Top-k left singular vectors and values (Halko et al. 2011, algorithm 4.4 with QR between steps)."""
    from wordvec._kernels.cooccur import csr_matmul, csr_rmatmul

    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])  # entries are sorted by row
    indices = np.ascontiguousarray(cols, dtype=np.int64)
    data = np.ascontiguousarray(vals, dtype=np.float64)
    l = min(k + _OVERSAMPLES, n)

    def mul(Q):
        out = np.zeros((n, Q.shape[1]))
        csr_matmul(indptr, indices, data, np.ascontiguousarray(Q), out)
        return out

    def rmul(Q):
        out = np.zeros((n, Q.shape[1]))
        csr_rmatmul(indptr, indices, data, np.ascontiguousarray(Q), out)
        return out

    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(mul(rng.standard_normal((n, l))))
    for _ in range(_N_ITER):
        Q, _ = np.linalg.qr(rmul(Q))
        Q, _ = np.linalg.qr(mul(Q))
    B = rmul(Q).T  # Q^T M, (l, n)
    ub, s, _ = np.linalg.svd(B, full_matrices=False)
    u = _flip(Q @ ub[:, :k])
    return u, s[:k]


def _svd_arpack(rows, cols, vals, n: int, k: int):
    try:
        from scipy.sparse import csr_matrix
        from scipy.sparse.linalg import svds
    except ImportError as exc:  # pragma: no cover - scipy is a dev dependency
        raise ImportError("svd='arpack' needs scipy: pip install scipy (or use svd='randomized')") from exc
    m = csr_matrix((vals, (rows, cols)), shape=(n, n))
    u, s, _ = svds(m, k=k, random_state=0)
    order = np.argsort(-s)
    return _flip(u[:, order]), s[order]


def _flip(u: np.ndarray) -> np.ndarray:
    """Deterministic signs: the largest-magnitude entry of each column is positive."""
    idx = np.argmax(np.abs(u), axis=0)
    signs = np.sign(u[idx, np.arange(u.shape[1])])
    signs[signs == 0] = 1
    return u * signs
