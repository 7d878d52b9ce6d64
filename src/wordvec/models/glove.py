"""GloVe (Pennington, Socher, Manning 2014): weighted least squares on log co-occurrences.

Mirrors Stanford glove.c: f(x) = min(1, (x / x_max) ** weight_exponent) (glove.c's alpha), AdaGrad from learning_rate
with gradients clipped at grad_clip, vectors and biases initialised uniform in
[-0.5/d, 0.5/d), squared-gradient sums starting at 1, the non-zero entries shuffled once
(glove's ``shuffle`` tool) and cut into jobs that ``workers`` threads train without locks
(Hogwild). The output is W + W~ (glove.c's ``-model 2``) or W alone.

The loss recorded per epoch is the paper's J = sum f(x) (w.w~ + b + b~ - log x)^2 over the
entries, in float64; glove.c prints half of J divided by the number of entries.

Memory: up to :data:`STREAM_ENTRIES` co-occurrences the entries are shuffled and trained in
memory (16 bytes each); above it they are shuffled into a temporary file with bounded memory
and read back a job at a time, as Stanford's ``shuffle`` and ``glove`` tools do
(:mod:`wordvec.models._glove_entries`). Given the path of a saved matrix, ``fit_cooccurrence``
reads its entries from the file a chunk at a time, so training never holds the whole matrix.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence

import numpy as np

from wordvec.config import GloVeConfig
from wordvec.cooccur.matrix import Cooccurrence
from wordvec.cooccur.stream import CooccurrenceFile, open_cooccurrence
from wordvec.corpus.encode import cpu_count
from wordvec.models._jobs import check_memory
from wordvec.models.base import CooccurrenceEstimator
from wordvec.train.callbacks import Callback
from wordvec.train.trainer import run_epochs
from wordvec.vectors.keyed import KeyedVectors

__all__ = ["GloVe"]

_BLOCK = 1024  # entries per pseudo-sentence handed to the trainer
_JOB_ENTRIES = 1 << 17  # entries per job
#: Above this many co-occurrences, training streams its shuffled entries from a temporary file.
STREAM_ENTRIES = 1 << 22
#: Entries shuffled at once on the way to that file (32 MiB of entries).
SHUFFLE_CHUNK = 1 << 21


class GloVe(CooccurrenceEstimator):
    """GloVe estimator: parameters in ``__init__``, training in ``fit`` / ``fit_cooccurrence``.

    >>> model = GloVe(vector_size=20, min_count=1, epochs=5, progress=False)
    >>> model.fit([["the", "cat", "sat"], ["the", "dog", "sat"]]).wv["cat"].shape
    (20,)

    ``fit(corpus)`` counts the co-occurrence matrix first (kept as ``cooccurrence_``);
    ``fit_cooccurrence(matrix)`` trains on one counted before (:func:`wordvec.cooccur.build_cooccurrence`
    or ``wordvec cooccur``), so one matrix serves many trainings. With ``workers=1`` and a fixed
    ``seed`` two runs give identical vectors. Defaults: :class:`wordvec.config.GloVeConfig`.
    ``progress``: None (default): bars only on a terminal or in a notebook; True/False force them.
    """

    config_class = GloVeConfig
    _repr_fields = ("vector_size", "window", "x_max", "weight_exponent", "epochs")

    def __init__(self, vector_size: int = GloVeConfig.vector_size, *,
                 window: int = GloVeConfig.window,
                 distance_weighting: bool = GloVeConfig.distance_weighting,
                 symmetric: bool = GloVeConfig.symmetric,
                 min_count: int = GloVeConfig.min_count,
                 max_vocab_size: int | None = GloVeConfig.max_vocab_size,
                 memory_mb: float = GloVeConfig.memory_mb,
                 x_max: float = GloVeConfig.x_max,
                 weight_exponent: float = GloVeConfig.weight_exponent,
                 epochs: int = GloVeConfig.epochs,
                 learning_rate: float = GloVeConfig.learning_rate,
                 grad_clip: float = GloVeConfig.grad_clip,
                 output: str = GloVeConfig.output,
                 workers: int | None = GloVeConfig.workers,
                 seed: int = GloVeConfig.seed,
                 tokenizer=None,
                 callbacks: Sequence[Callback] = (),
                 progress: bool | None = None,
                 alpha: float | None = None):
        if alpha is not None:  # weight_exponent's name in earlier versions (wordvec's alpha is a learning rate)
            warnings.warn("GloVe(alpha=...) is deprecated: the weighting exponent is now called weight_exponent",
                          DeprecationWarning, stacklevel=2)
            weight_exponent = alpha
        self.vector_size = vector_size
        self.window = window
        self.distance_weighting = distance_weighting
        self.symmetric = symmetric
        self.min_count = min_count
        self.max_vocab_size = max_vocab_size
        self.memory_mb = memory_mb
        self.x_max = x_max
        self.weight_exponent = weight_exponent
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.grad_clip = grad_clip
        self.output = output
        self.workers = workers
        self.seed = seed
        self.tokenizer = tokenizer
        self.callbacks = callbacks
        self.progress = progress

    @staticmethod
    def _open_matrix(path) -> Cooccurrence | CooccurrenceFile:
        return open_cooccurrence(path)  # the entries stay in the file: read a chunk at a time

    def _fit(self, cfg: GloVeConfig, matrix: Cooccurrence | CooccurrenceFile) -> None:
        if matrix.nnz == 0:
            raise ValueError("the co-occurrence matrix is empty: the corpus has no two kept words within "
                             "one window of each other (lower min_count or use more text)")
        workers = cfg.workers or cpu_count()
        n, d = len(matrix.keys), cfg.vector_size
        stream = matrix.nnz > STREAM_ENTRIES
        # W, C and their AdaGrad sums: four (n, d + 1) float32 arrays; per entry held, int32 row
        # and column copies, f(x) and log x in float32
        held = 2 * SHUFFLE_CHUNK if stream else matrix.nnz
        check_memory(16 * n * (d + 1) + 16 * held,
                     f"{n:,} words x {d:,} dimensions and {held:,} co-occurrences (GloVe's vectors, "
                     f"AdaGrad sums and entries)",
                     "lower vector_size (-d), or shrink the vocabulary with min_count or max_vocab_size")
        if stream:
            from wordvec.models._glove_entries import shuffle_to_disk

            with shuffle_to_disk(matrix.iter_entries(), x_max=cfg.x_max, alpha=cfg.weight_exponent, seed=cfg.seed,
                                 chunk_entries=SHUFFLE_CHUNK, job_entries=_JOB_ENTRIES) as entries:
                self._train(cfg, matrix, workers, streamed=entries)
        else:
            self._train(cfg, matrix, workers)

    def _train(self, cfg: GloVeConfig, matrix: Cooccurrence | CooccurrenceFile, workers: int, streamed=None) -> None:
        from wordvec._kernels.glove import glove_adagrad, glove_weights, shuffle_entries
        from wordvec.train.schedules import job_seed

        n, d = len(matrix.keys), cfg.vector_size
        rng = np.random.default_rng(cfg.seed)
        # glove.c: W[a] = (rand() / RAND_MAX - 0.5) / vector_size for vectors and biases alike
        W = ((rng.random((n, d + 1), dtype=np.float32) - 0.5) / d).astype(np.float32)
        C = ((rng.random((n, d + 1), dtype=np.float32) - 0.5) / d).astype(np.float32)
        GW = np.ones_like(W)
        GC = np.ones_like(C)
        nnz = matrix.nnz
        eta, clip = np.float32(cfg.learning_rate), np.float32(cfg.grad_clip)
        if streamed is None:
            rows, cols, values = _entries(matrix)
            if np.any(values <= 0):
                raise ValueError("co-occurrence values must be positive (GloVe fits their logarithm)")
            weight = np.empty(nnz, dtype=np.float32)
            logx = np.empty(nnz, dtype=np.float32)
            glove_weights(values, float(cfg.x_max), float(cfg.weight_exponent), weight, logx)
            del values
            start_loss = _start_loss(weight, logx)
            # glove's shuffle tool: one shuffle, reused every epoch (in place: 16 bytes an entry in all)
            shuffle_entries(rows, cols, weight, logx, job_seed(cfg.seed, 2**31, 0))
            blocks = np.append(np.arange(0, nnz, _BLOCK, dtype=np.int64), np.int64(nnz))
            jobs = None

            def kernel(s0, s1, alpha0, alpha1, job_rng):
                loss, done = glove_adagrad(W, C, GW, GC, rows, cols, weight, logx,
                                           blocks[s0], blocks[s1], eta, clip)
                return loss, done, int(blocks[s1] - blocks[s0])
        else:
            start_loss = streamed.start_loss
            blocks = None
            jobs = (np.arange(streamed.n_jobs + 1, dtype=np.int64), streamed.job_offsets)

            def kernel(s0, s1, alpha0, alpha1, job_rng):  # one job of the file: s1 == s0 + 1
                loss, done, entries = 0.0, 0, 0
                for job in range(s0, s1):
                    r, c, w, lx = streamed.read(job)
                    part, ok = glove_adagrad(W, C, GW, GC, r, c, w, lx, 0, r.shape[0], eta, clip)
                    loss, done, entries = loss + part, done + ok, entries + r.shape[0]
                return loss, done, entries

        self.word_vectors_, self.context_vectors_ = W, C
        self.vocab_ = matrix.vocab  # the matrix's own vocabulary: its rows are these words
        self._wv = None
        t0 = time.perf_counter()
        history = run_epochs(
            kernel, offsets=blocks, jobs=jobs, epochs=cfg.epochs, alpha=cfg.learning_rate, min_alpha=cfg.learning_rate,
            workers=workers, seed=cfg.seed, model=self, callbacks=self.callbacks, progress=self.progress,
            description="glove", check_finite=lambda: bool(np.isfinite(W).all() and np.isfinite(C).all()),
            job_words=_JOB_ENTRIES, unit="entries", rate_name="learning_rate", rate_option="--alpha",
            start_loss=start_loss, loss_unit="entry",
        )
        seconds = time.perf_counter() - t0
        self._record(history, self._corpus_stats(matrix), seconds=seconds, workers=workers,
                     words=matrix.settings.get("total_words", 0),
                     entries_per_second=nnz * len(history) / max(seconds, 1e-9))

    def _build_vectors(self) -> KeyedVectors:
        """W + W~ (output="sum") or W (output="word"), biases left out."""
        d = self.word_vectors_.shape[1] - 1
        vecs = self.word_vectors_[:, :d]
        if self.output == "sum":
            vecs = vecs + self.context_vectors_[:, :d]
        return KeyedVectors(self.vocab_.index_to_key, np.ascontiguousarray(vecs, dtype=np.float32),
                            counts=self.vocab_.counts)

    def _summary_detail(self) -> str:
        corpus, stats, logs = self.corpus_stats_, self.training_stats_, self.epoch_logs_
        epochs, workers = stats["epochs_run"], stats["workers"]
        return (f"{epochs} epoch{'s' if epochs != 1 else ''} of AdaGrad over "
                f"{corpus['cooccurrence_entries']:,} co-occurrences took {stats['seconds_train']:.2f} s "
                f"({workers} worker{'s' if workers != 1 else ''}); final loss "
                f"{logs[-1].mean_loss:.4f} per entry (sum of f(x) * error^2: {logs[-1].loss:,.1f})")


def _entries(matrix: Cooccurrence | CooccurrenceFile) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Copies of the entries GloVe shuffles in place: (rows int32, cols int32, values)."""
    if isinstance(matrix, Cooccurrence):
        return matrix.rows.astype(np.int32, copy=True), matrix.cols.astype(np.int32, copy=True), matrix.values
    parts = list(matrix.iter_entries())  # a small file (under STREAM_ENTRIES), every chunk checked
    if not parts:
        return np.empty(0, np.int32), np.empty(0, np.int32), np.empty(0, np.float32)
    return tuple(np.concatenate([p[a] for p in parts]) for a in range(3))


def _start_loss(weight: np.ndarray, logx: np.ndarray, chunk: int = 1 << 20) -> float:
    """The loss per entry before training, mean f(x) * log(x)^2: the vectors and biases start
    within 1/vector_size of zero (float64, a chunk at a time)."""
    total = 0.0
    for s in range(0, weight.shape[0], chunk):
        lx = logx[s:s + chunk].astype(np.float64)
        total += float(np.dot(weight[s:s + chunk].astype(np.float64), lx * lx))
    return total / max(weight.shape[0], 1)
