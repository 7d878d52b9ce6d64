"""Product quantization of fastText models: ``.ftz`` files, as fastText's ``quantize`` writes them.

fastText (``FastText::quantize``, src/fasttext.cc) replaces the input matrix by a
``QuantMatrix``: each row is cut into sub-vectors of ``dsub`` values (2 by default), each
sub-quantizer learns 256 centroids by k-means on at most 65,536 of its sub-vectors (25
iterations, src/productquantizer.cc) and every row is stored as one byte per sub-vector (for
100 dimensions: 50 bytes instead of 400). ``qnorm`` quantizes the rows' norms apart (one more
byte a row) and the unit rows by the product quantizer; ``qout`` quantizes the output matrix
too (always with dsub 2, as fastText does). The layout is in :mod:`wordvec.io.fasttext_format`;
the k-means and encoding loops are numba kernels (:mod:`wordvec._kernels.quantize`).

Where wordvec differs from fastText, on purpose:

* fastText quantizes supervised models only ("For now we only support quantization of
  supervised models"); :func:`quantize_fasttext` quantizes unsupervised (word vector) models,
  and ``fasttext.load_model`` reads the result (``get_word_vector``, ``get_nearest_neighbors``,
  ``get_analogies`` work; fastText cannot train a quantized model further, nor could it before).
* pruning. fastText's ``-cutoff`` keeps the rows of largest norm, which would drop the n-grams
  of words out of their means. Instead, with ``prune=True`` (default), the n-gram buckets that no
  vocabulary word's n-grams hash to — rows training never touched, still holding their random
  initial values — share one row, their mean, through fastText's prune index (which lists every
  bucket, so every n-gram still counts in a word's mean, as in the model quantized). Vocabulary
  words keep exactly their rows; an out-of-vocabulary word's untrained n-grams contribute that
  mean (about zero) instead of noise. On 2,000,000 buckets and a 70,000-word vocabulary some
  280,000 buckets are trained: the file is about 20 times smaller than the ``.bin`` instead of
  8 (the ceiling of dsub 2 alone). ``prune=False`` quantizes every row.
* ``qnorm`` is on by default (fastText: off). Without it, one set of centroids serves rows of
  very different norms, and short rows lose most: on a fastText skip-gram model of 150,000 lines
  of the English corpus (50 dimensions), Google analogies fell from 36.9 % to 33.6 % with dsub 2;
  with it, to 35.8 %, for one more byte a row (mean cosine to the original 0.9974). Quantizing
  every row (``prune=False``) was worse too (34.8 %): k-means then spends its centroids on the
  untrained rows. ``qnorm=False`` gives fastText's default.
* fastText refuses a matrix of fewer than 256 rows; here the rows themselves become centroids
  (exact), so tiny models quantize too.
* k-means sums the points of a cluster in float64 (fastText: float32), and its random draws are
  wordvec's (word2vec.c's LCG, seeded by ``seed``), not fastText's ``minstd_rand``: codes and
  centroids differ from fastText's in the last bits and in which points start the clusters.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from wordvec._kernels.quantize import encode_rows, kmeans
from wordvec.io.fasttext_format import (KSUB, FastTextBin, Quantization, QuantizedMatrix, load_fasttext_bin,
                                        save_fasttext_bin)
from wordvec.vectors.subword import SubwordVectors
from wordvec.vocab.subwords import subword_table

__all__ = ["DEFAULT_DSUB", "QuantizeReport", "cosine_to", "quantize_fasttext", "quantize_matrix",
           "quantize_subword_vectors", "train_quantizer", "trained_buckets"]

DEFAULT_DSUB = 2  # Args::dsub
NITER = 25  # ProductQuantizer::niter_
MAX_POINTS = 256 * KSUB  # ProductQuantizer::max_points_: sub-vectors k-means learns from
DEFAULT_SEED = 1234  # ProductQuantizer::seed_
_ENCODE_BLOCK = 1 << 16


def _workers(workers: int | None) -> int:
    if workers is None:
        return max(1, min(4, os.cpu_count() or 1))
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    return int(workers)


def _subquantizer(points: np.ndarray, q: int, seed: int, niter: int, max_points: int) -> np.ndarray:
    """The 256 centroids of one sub-quantizer, learned from ``points`` (n, d) float32."""
    n, d = points.shape
    rng = np.random.default_rng([seed, q])
    if n <= KSUB:  # every point its own centroid (fastText refuses fewer than 256 rows)
        out = np.zeros((KSUB, d), dtype=np.float32)
        if n:
            out[:n] = points
            out[n:] = points[0]
        return out
    if n > max_points:
        points = points[rng.permutation(n)[:max_points]]
        n = max_points
    start = np.ascontiguousarray(points[rng.permutation(n)[:KSUB]])  # ProductQuantizer::kmeans' start
    state = np.array([(seed * 1_000_003 + q) & 0xFFFFFFFFFFFF], dtype=np.uint64)
    kmeans(np.ascontiguousarray(points), start, niter, state)
    return start


def train_quantizer(matrix: np.ndarray, dsub: int = DEFAULT_DSUB, *, seed: int = DEFAULT_SEED, niter: int = NITER,
                    max_points: int = MAX_POINTS, workers: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Learn a product quantizer for the float32 ``(n, dim)`` ``matrix`` and encode its rows:
    ``(centroids, codes)``, the centroids in fastText's flat ``dim * 256`` layout, codes
    ``(n, ceil(dim / dsub))`` uint8. Sub-quantizers are trained on ``workers`` threads
    (None: up to 4, one per core); the result does not depend on ``workers``.

    >>> import numpy as np
    >>> matrix = np.random.default_rng(0).normal(size=(300, 4)).astype(np.float32)
    >>> centroids, codes = train_quantizer(matrix, dsub=2)
    >>> centroids.shape, codes.shape, codes.dtype                # 4 * 256 centroid values; 2 codes per row
    ((1024,), (300, 2), dtype('uint8'))
    """
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    if matrix.ndim != 2 or matrix.shape[1] < 1:
        raise ValueError(f"matrix must be 2-D with at least one column, got shape {matrix.shape}")
    n, dim = matrix.shape
    if not 1 <= dsub <= dim:
        raise ValueError(f"dsub must be between 1 and the {dim} dimensions, got {dsub}")
    if not np.isfinite(matrix).all():
        raise ValueError("the matrix holds NaN or infinity; product quantization needs finite values")
    nsubq = -(-dim // dsub)
    workers = _workers(workers)

    def train(q: int) -> np.ndarray:
        lo = q * dsub
        return _subquantizer(matrix[:, lo:min(lo + dsub, dim)], q, seed, niter, max_points)

    with ThreadPoolExecutor(workers) as pool:
        subs = list(pool.map(train, range(nsubq)))
    centroids = np.concatenate([s.ravel() for s in subs]).astype(np.float32)
    codes = np.empty((n, nsubq), dtype=np.uint8)

    def encode(start: int) -> None:
        encode_rows(matrix[start:start + _ENCODE_BLOCK], centroids, dsub, KSUB, codes[start:start + _ENCODE_BLOCK])

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(encode, range(0, n, _ENCODE_BLOCK)))
    return centroids, codes


def quantize_matrix(matrix: np.ndarray, dsub: int = DEFAULT_DSUB, qnorm: bool = False, *, seed: int = DEFAULT_SEED,
                    workers: int | None = None) -> QuantizedMatrix:
    """fastText's ``QuantMatrix(mat, dsub, qnorm)``: the rows product-quantized; with ``qnorm``
    the norms quantized apart (a one-dimensional quantizer) and the unit rows by the product
    quantizer (zero rows stay zero).

    >>> import numpy as np
    >>> matrix = np.random.default_rng(0).normal(size=(300, 4)).astype(np.float32)
    >>> quantized = quantize_matrix(matrix, dsub=2, qnorm=True)
    >>> quantized.codes.shape, quantized.norm_codes.shape
    ((300, 2), (300,))
    >>> bool(cosine_to(matrix, quantized.reconstruct()).mean() > 0.9)
    True
    """
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    norm_codes = norm_centroids = None
    if qnorm:
        norms = np.linalg.norm(matrix, axis=1).astype(np.float32)
        unit = matrix.copy()
        nonzero = norms != 0
        unit[nonzero] /= norms[nonzero, None]
        norm_centroids, norm_codes = train_quantizer(norms[:, None], 1, seed=seed + 1, workers=1)
        norm_codes = norm_codes[:, 0]
        matrix = unit
    centroids, codes = train_quantizer(matrix, dsub, seed=seed, workers=workers)
    return QuantizedMatrix(codes, centroids, dsub, norm_codes, norm_centroids)


def trained_buckets(vectors: SubwordVectors) -> np.ndarray:
    """Boolean mask of the n-gram buckets some vocabulary word's n-grams hash to: the rows
    training updates (fastText's and wordvec's alike); the others keep their initial values.

    >>> import numpy as np
    >>> from wordvec.vectors import SubwordVectors
    >>> ft = SubwordVectors(["king"], np.ones((1, 4)), np.zeros((1000, 4)), min_n=3, max_n=3, bucket=1000)
    >>> int(trained_buckets(ft).sum())                # <ki, kin, ing, ng>: 4 of the 1000 buckets
    4
    """
    mask = np.zeros(vectors.bucket, dtype=bool)
    if vectors.max_n > 0 and vectors.bucket and len(vectors):
        ids, _ = subword_table(vectors.index_to_key, vectors.min_n, vectors.max_n, vectors.bucket,
                               include_word=False)
        mask[ids - len(vectors)] = True
    return mask


def quantize_subword_vectors(vectors: SubwordVectors, output: np.ndarray | None = None, *, dsub: int = DEFAULT_DSUB,
                             qnorm: bool = True, qout: bool = True, prune: bool = True, seed: int = DEFAULT_SEED,
                             workers: int | None = None) -> Quantization:
    """The :class:`Quantization` that makes ``vectors`` (and its ``output`` matrix) a ``.ftz``:
    pass it to :func:`wordvec.io.fasttext_format.save_fasttext_bin`. See the module docstring for
    ``prune``, ``qnorm`` and ``qout`` (``output`` None: a zero output matrix).

    >>> import numpy as np
    >>> from wordvec.io import save_fasttext_bin
    >>> from wordvec.vectors import SubwordVectors
    >>> rng = np.random.default_rng(0)
    >>> words = [f"word{i}" for i in range(300)]
    >>> ft = SubwordVectors(words, rng.normal(size=(300, 8)), rng.normal(size=(50, 8)), min_n=3, max_n=4, bucket=50)
    >>> quantization = quantize_subword_vectors(ft, dsub=4, qout=False)
    >>> quantization.input.codes.shape, quantization.output is None
    ((350, 2), True)
    >>> save_fasttext_bin("ft.ftz", ft, quantization=quantization)
    """
    if not isinstance(vectors, SubwordVectors):
        raise TypeError(f"vectors must be SubwordVectors (a FastText model), got {type(vectors).__name__}")
    if vectors.jamo:
        raise ValueError("jamo n-gram vectors cannot be a fastText file: fastText has no jamo mode")
    n, dim = vectors.word_rows.shape
    prune_index = None
    mask = trained_buckets(vectors) if prune else None
    if mask is not None and not mask.all():
        kept = np.flatnonzero(mask)
        untrained = np.flatnonzero(~mask)
        shared = np.asarray(vectors.ngram_rows[untrained], dtype=np.float64).mean(axis=0).astype(np.float32)
        rows = np.concatenate([vectors.word_rows, np.asarray(vectors.ngram_rows[kept], dtype=np.float32),
                               shared[None, :]])
        target = np.full(vectors.bucket, kept.size, dtype=np.int32)
        target[kept] = np.arange(kept.size, dtype=np.int32)
        prune_index = np.stack([np.arange(vectors.bucket, dtype=np.int32), target], axis=1)
    else:
        rows = np.concatenate([vectors.word_rows, np.asarray(vectors.ngram_rows, dtype=np.float32)])
    quantized_input = quantize_matrix(rows, dsub, qnorm, seed=seed, workers=workers)
    quantized_output = None
    if qout:
        out = np.zeros((n, dim), dtype=np.float32) if output is None else np.asarray(output, dtype=np.float32)
        if out.shape != (n, dim):
            raise ValueError(f"output must have shape ({n}, {dim}), got {out.shape}")
        quantized_output = quantize_matrix(out, min(2, dim), qnorm, seed=seed + 7, workers=workers)
    return Quantization(quantized_input, quantized_output, prune_index)


def cosine_to(reference: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Row-wise cosine similarity of two matrices (float64; 1.0 where both rows are zero, 0.0
    where only one is).

    >>> import numpy as np
    >>> cosine_to(np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]]), np.array([[2.0, 0.0], [0.0, 0.0], [0.0, 0.0]]))
    array([1., 1., 0.])
    """
    a = np.asarray(reference, dtype=np.float64)
    b = np.asarray(other, dtype=np.float64)
    na, nb = np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1)
    dots = np.einsum("ij,ij->i", a, b)
    out = np.where((na > 0) & (nb > 0), dots / np.where(na > 0, na, 1) / np.where(nb > 0, nb, 1), 0.0)
    out[(na == 0) & (nb == 0)] = 1.0
    return out


@dataclass(frozen=True)
class QuantizeReport:
    """What :func:`quantize_fasttext` did: sizes in bytes, the cosine similarity of each
    vocabulary word's vector before and after (mean and minimum; ``cosine_loss`` = 1 - mean),
    the buckets kept (trained) and shared, the settings and the seconds it took.

    >>> import numpy as np
    >>> from wordvec.io import save_fasttext_bin
    >>> from wordvec.vectors import SubwordVectors
    >>> rng = np.random.default_rng(0)
    >>> words = [f"word{i}" for i in range(300)]
    >>> ft = SubwordVectors(words, rng.normal(size=(300, 8)), rng.normal(size=(50, 8)), min_n=3, max_n=4, bucket=50)
    >>> save_fasttext_bin("ft.bin", ft)
    >>> report = quantize_fasttext("ft.bin", "ft.ftz", dsub=2)
    >>> report.words, report.dsub, report.qnorm, 0.5 < report.mean_cosine <= 1
    (300, 2, True, True)
    """

    source: str
    target: str
    source_bytes: int
    target_bytes: int
    words: int
    mean_cosine: float
    min_cosine: float
    kept_buckets: int
    shared_buckets: int
    dsub: int
    qnorm: bool
    qout: bool
    seconds: float
    original: SubwordVectors = field(repr=False, compare=False)
    quantized: SubwordVectors = field(repr=False, compare=False)

    @property
    def ratio(self) -> float:
        """How many times smaller the ``.ftz`` is."""
        return self.source_bytes / max(self.target_bytes, 1)

    @property
    def cosine_loss(self) -> float:
        return 1.0 - self.mean_cosine


def quantize_fasttext(source: str | os.PathLike[str], target: str | os.PathLike[str], *, dsub: int = DEFAULT_DSUB,
                      qnorm: bool = True, qout: bool = True, prune: bool = True, seed: int = DEFAULT_SEED,
                      workers: int | None = None, encoding: str = "utf-8") -> QuantizeReport:
    """Quantize the fastText model ``source`` (an unsupervised ``.bin``, or native FastText
    vectors) into the ``.ftz`` file ``target``, atomically, and measure what it cost.

    >>> import numpy as np
    >>> from wordvec.io import save_fasttext_bin
    >>> from wordvec.vectors import SubwordVectors
    >>> rng = np.random.default_rng(0)
    >>> words = [f"word{i}" for i in range(300)]
    >>> ft = SubwordVectors(words, rng.normal(size=(300, 8)), rng.normal(size=(50, 8)), min_n=3, max_n=4, bucket=50)
    >>> save_fasttext_bin("ft.bin", ft)
    >>> report = quantize_fasttext("ft.bin", "ft.ftz", dsub=2, qnorm=True)
    >>> report.target, report.dsub, report.kept_buckets <= 50
    ('ft.ftz', 2, True)
    >>> from wordvec import load
    >>> load("ft.ftz")                                # vectors reconstructed from the codes
    SubwordVectors(300 keys, 8 dimensions, n-grams 3-4 in 50 buckets)

    The ``.ftz`` is read back, so the report's similarities (each vocabulary word's vector in
    the file against the original) are those of the file as fastText and :func:`wordvec.load`
    see it. ``report.original`` and ``report.quantized`` are both sets of vectors, for further
    evaluation (analogies, ...).
    """
    began = time.perf_counter()
    source, target = Path(source), Path(target)
    if source.is_dir():
        from wordvec.io.native import load_native

        vectors = load_native(source, mmap=True)
        if not isinstance(vectors, SubwordVectors):
            raise TypeError(f"{source} holds word vectors without n-grams; only FastText models quantize to .ftz")
        model = FastTextBin(vectors=vectors, output=np.zeros(vectors.word_rows.shape, np.float32), args={}, ntokens=0)
        args, ntokens = None, None
        source_bytes = sum(p.stat().st_size for p in source.iterdir() if p.is_file())
    else:
        model = load_fasttext_bin(source, encoding=encoding)
        if model.quantization is not None:
            raise ValueError(f"{source} is already quantized")
        args, ntokens = model.args, model.ntokens
        source_bytes = source.stat().st_size
    quantization = quantize_subword_vectors(model.vectors, model.output, dsub=dsub, qnorm=qnorm, qout=qout,
                                            prune=prune, seed=seed, workers=workers)
    save_fasttext_bin(target, model.vectors, model.output, args, ntokens=ntokens, quantization=quantization)
    back = load_fasttext_bin(target).vectors
    cosines = cosine_to(model.vectors.vectors, back.vectors)
    kept = int(trained_buckets(model.vectors).sum()) if quantization.prune_index is not None else model.vectors.bucket
    return QuantizeReport(
        source=os.fspath(source), target=os.fspath(target), source_bytes=source_bytes,
        target_bytes=target.stat().st_size, words=len(back),
        mean_cosine=float(cosines.mean()) if cosines.size else 1.0,
        min_cosine=float(cosines.min()) if cosines.size else 1.0,
        kept_buckets=kept, shared_buckets=model.vectors.bucket - kept, dsub=dsub, qnorm=qnorm, qout=qout,
        seconds=time.perf_counter() - began, original=model.vectors, quantized=back)
