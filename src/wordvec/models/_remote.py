"""The worker side of data-parallel Word2Vec/FastText on a Dask cluster (``fit(..., client=)``).

:func:`train_period` is the worker function that :func:`wordvec.distributed.rounds.run_rounds`
calls in each round: it copies the broadcast matrices into a training job of its own (built once
per worker process and run, with :func:`~wordvec.models._jobs.make_word2vec_job` /
:func:`~wordvec.models._jobs.make_fasttext_job`, the kernels of single-machine training), runs the
kernel over the period's sentences with the period's learning-rate range, and returns the rows it
changed (sparse deltas), its loss, examples and trained words.

Jobs are cached per worker process under the run's token (:class:`RemoteSettings.token`), one per
task running at once; a new run's token drops the previous run's jobs.
"""

from __future__ import annotations

import dataclasses
import math
import os
import queue
import threading
import time
import uuid
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from wordvec.config import Word2VecConfig
from wordvec.distributed.rounds import changed_rows
from wordvec.models._jobs import make_fasttext_job, make_word2vec_job, output_rows
from wordvec.vocab import Vocab, keep_thresholds

__all__ = ["RemoteSettings", "train_period", "fit_on_cluster", "ngram_momentum_for", "FASTTEXT_ROUNDS_PER_WORKER",
           "fasttext_rounds_per_epoch"]

#: Synchronisations per epoch of FastText on a cluster, per worker thread, unless ``sync_words`` is
#: given: :func:`fasttext_rounds_per_epoch` = this x the workers (Word2Vec keeps
#: :data:`~wordvec.distributed.rounds.DEFAULT_ROUNDS_PER_EPOCH`, 64, for any number). Measured on the
#: benchmark corpus against single-machine training (benchmarks/RESULTS.md): 2 workers were 0.040
#: below on WordSim-353 at 64 rounds an epoch and level at 128; 4 workers 0.021-0.038 below at 64 and
#: 128 and level at 256 (-0.003, analogies and SimLex-999 level too). A row's block momentum
#: ``1 - 1/G`` spreads each round's step over about ``G`` rounds, so the staleness the workers see
#: grows with ``G`` times the period: the period shrinks with the workers to keep it. Word2Vec was
#: level at 64 with 2 and 4 workers: the difference is FastText's (every update moves ~20 shared rows).
FASTTEXT_ROUNDS_PER_WORKER = 64


def fasttext_rounds_per_epoch(groups: int) -> int:
    """FastText's default synchronisations per epoch on a cluster of ``groups`` worker threads.

    >>> [fasttext_rounds_per_epoch(g) for g in (1, 2, 4)]
    [64, 128, 256]
    """
    return FASTTEXT_ROUNDS_PER_WORKER * max(int(groups), 1)


@dataclass(frozen=True)
class RemoteSettings:
    """What a worker needs besides the matrices: the model kind (``"word2vec"`` or ``"fasttext"``),
    its config, the vocabulary, the subsampling thresholds, and a token naming the run (its cache key)."""

    kind: str
    config: Word2VecConfig
    vocab: Vocab
    keep: np.ndarray
    token: str


_LOCK = threading.Lock()
_JOBS: dict[str, queue.SimpleQueue] = {}


def _new_job(s: RemoteSettings, shapes: tuple[tuple[int, int], tuple[int, int]]):
    # Each task runs on one thread: the single-thread kernel, never the deterministic twin (which
    # defers its updates to a commit the round driver does not make).
    cfg = dataclasses.replace(s.config, deterministic=False)
    syn0 = np.empty(shapes[0], dtype=np.float32)
    output = np.zeros(shapes[1], dtype=np.float32)
    make = make_fasttext_job if s.kind == "fasttext" else make_word2vec_job
    empty = np.zeros(0, dtype=np.int32)
    return make(cfg, s.vocab, syn0, empty, np.zeros(1, dtype=np.int64), s.keep, output)


def _take_job(s: RemoteSettings, shapes):
    with _LOCK:
        for token in [t for t in _JOBS if t != s.token]:
            del _JOBS[token]  # a previous run's jobs
        pool = _JOBS.setdefault(s.token, queue.SimpleQueue())
    try:
        return pool, pool.get_nowait()
    except queue.Empty:
        return pool, _new_job(s, shapes)


def train_period(settings: RemoteSettings, arrays: tuple[np.ndarray, np.ndarray], segments: list,
                 alpha0: float, alpha1: float, seed: np.ndarray):
    """Train copies of ``arrays`` (input matrix, output matrix) on ``segments`` and return
    ``(loss, examples, words, ((rows0, delta0), (rows1, delta1)))``.

    ``segments``: ``(EncodedCorpus, t0, t1)``, the sentences whose first kept token is in
    ``[t0, t1)``; the learning rate falls linearly from ``alpha0`` to ``alpha1`` over their tokens
    (each segment gets its share of the range). ``seed``: the RNG state, copied, not changed.
    """
    syn0_in, syn1_in = arrays
    pool, job = _take_job(settings, (syn0_in.shape, syn1_in.shape))
    syn0, syn1 = job.before
    np.copyto(syn0, syn0_in)
    np.copyto(syn1, syn1_in)
    rng = np.array(seed, dtype=np.uint64, copy=True)
    pieces = []
    for enc, t0, t1 in segments:
        offsets = np.asarray(enc.offsets, dtype=np.int64)
        base = int(offsets[0]) if offsets.shape[0] else 0
        s0 = int(np.searchsorted(offsets[:-1], base + t0, side="left"))
        s1 = int(np.searchsorted(offsets[:-1], base + t1, side="left"))
        if s1 > s0:
            pieces.append((enc, s0, s1, int(offsets[s1] - offsets[s0])))
    total = sum(p[3] for p in pieces) or 1
    loss, examples, words, at = 0.0, 0, 0, 0
    for enc, s0, s1, n in pieces:
        b0 = alpha0 + (alpha1 - alpha0) * at / total
        at += n
        b1 = alpha0 + (alpha1 - alpha0) * at / total
        tokens = np.asarray(enc.tokens)
        offsets = np.ascontiguousarray(np.asarray(enc.offsets, dtype=np.int64)[s0:s1 + 1])
        l, e, w = job.run(tokens, offsets, b0, b1, rng)[:3]
        loss += float(l)
        examples += int(e)
        words += int(w)
    deltas = (changed_rows(syn0, syn0_in), changed_rows(syn1, syn1_in))
    pool.put(job)
    return loss, examples, words, deltas


def _encoded_counts(enc) -> tuple[int, int]:
    """(sentences, sentences split) of one encoded partition (runs where it lives)."""
    return int(enc.n_sentences), int(enc.n_split)


def _finite(matrix: np.ndarray, rows: int = 1 << 14) -> bool:
    return all(bool(np.isfinite(matrix[i:i + rows]).all()) for i in range(0, matrix.shape[0], rows))


def partition_bytes(corpus, groups: int) -> int:
    """The size to cut plain files at: at most :data:`~wordvec.distributed.DEFAULT_PARTITION_BYTES`,
    and small enough for two partitions a group (at least 64 KiB), so a small corpus still spreads."""
    from wordvec._files import corpus_files
    from wordvec.distributed import DEFAULT_PARTITION_BYTES

    total = sum(os.path.getsize(f) for f in corpus_files(corpus))
    return int(min(DEFAULT_PARTITION_BYTES, max(1 << 16, math.ceil(total / (2 * max(groups, 1))))))


def ngram_momentum_for(groups: int) -> float:
    """The block momentum of FastText's n-gram rows with ``groups`` groups: ``1 - 2/G`` (at least 0),
    forgetting twice as fast as the words' ``1 - 1/G``. Measured on the benchmark corpus with 4
    workers (benchmarks/RESULTS.md): 0.5 instead of the words' 0.75 took the analogy gap from -3.7
    points to +0.3 and WordSim-353 from -0.060 to -0.020 against one single-machine seed (-0.034
    against the mean of three).

    >>> ngram_momentum_for(2), ngram_momentum_for(4), ngram_momentum_for(8)
    (0.0, 0.5, 0.75)
    """
    return max(0.0, 1.0 - 2.0 / max(int(groups), 1))


def fit_on_cluster(model, corpus, client, *, encoding: str | None = None, sync_words: int | None = None,
                   combine: str = "momentum-counted", ngram_momentum: float | None = None):
    """``model.fit(corpus, client=client)``: the corpus pass and the training on a Dask cluster.

    The vocabulary is :func:`wordvec.distributed.build_vocab`'s (the single-machine one), the
    partitions are encoded on the workers, and training runs in synchronisation rounds
    (:func:`wordvec.distributed.rounds.run_rounds`) with :func:`train_period` on each worker
    thread. ``corpus``: paths the workers can read. ``combine``: how the rounds' deltas are joined
    (``"momentum-counted"``, the default of ``fit``; ``"momentum"``, ``"mean"``, ``"sum"``: see
    :func:`~wordvec.distributed.rounds.run_rounds`).
    ``ngram_momentum``: FastText only, the block momentum of the n-gram rows; by default
    :func:`ngram_momentum_for` the groups (``1 - 2/G``; the word and output rows keep ``1 - 1/G``),
    the cap of a row's momentum under ``"momentum-counted"``.
    Every group moves the shared n-gram rows every round, and with the words' momentum 4 workers
    lost 3.7 analogy points (benchmarks/RESULTS.md); benchmarks/bench_dask_train.py
    ``--ngram-momentum`` sets it for measurements.
    Returns ``model``, fitted.
    """
    from wordvec.corpus.encodings import DEFAULT_ENCODING, check_encoding
    from wordvec.corpus.tokenizers import describe_tokenizer
    from wordvec.distributed import build_vocab, encode_partitions, make_partitions
    from wordvec.distributed.partitions import make_tokenizer, tokenizer_spec
    from wordvec.distributed.rounds import DEFAULT_ROUNDS_PER_EPOCH, run_rounds

    cfg = model.config
    t_start = time.perf_counter()
    if not (isinstance(corpus, (str, os.PathLike)) or (
            isinstance(corpus, (list, tuple)) and corpus and all(isinstance(p, (str, os.PathLike)) for p in corpus))):
        raise TypeError(f"a cluster reads its corpus from files: pass paths, not {type(corpus).__name__} "
                        f"(train on token lists without client=)")
    encoding = check_encoding(DEFAULT_ENCODING if encoding is None else encoding)
    model._check_memory(cfg, None)
    tok = make_tokenizer(tokenizer_spec(model.tokenizer))
    spec = tokenizer_spec(tok)
    groups = sum(client.nthreads().values())
    parts = make_partitions(corpus, partition_bytes(corpus, groups), encoding=encoding)
    eos = bool(getattr(cfg, "eos", False))  # FastText's </s>, as its single-machine training reads it
    vocab = build_vocab(client, parts, tokenizer=spec, min_count=cfg.min_count, max_vocab_size=cfg.max_vocab_size,
                        encoding=encoding, progress=model.progress, eos=eos)
    model._check_memory(cfg, len(vocab))
    encoded = encode_partitions(client, parts, vocab, tokenizer=spec, encoding=encoding,
                                max_sentence_length=cfg.max_sentence_length, progress=model.progress, eos=eos)
    counts = client.gather([client.submit(_encoded_counts, f, pure=False) for f in encoded])
    syn0 = model._init_weights(cfg, vocab)
    syn1 = np.zeros((output_rows(cfg, len(vocab)), cfg.vector_size), dtype=np.float32)
    keep = keep_thresholds(vocab.counts, cfg.sample)
    model.tokenizer_ = describe_tokenizer(SimpleNamespace(tokenizer=tok))
    model._syn0, model.output_vectors_, model.vocab_ = syn0, syn1, vocab  # callbacks may read them
    model._fitted_config, model._wv = cfg, None
    settings = RemoteSettings(cfg.model_name, cfg, vocab, keep, uuid.uuid4().hex)
    row_mu = None
    fasttext = cfg.model_name == "fasttext"
    if syn0.shape[0] > len(vocab) and combine.startswith("momentum"):  # FastText's n-gram rows
        mu = np.full(syn0.shape[0], 1.0 - 1.0 / max(groups, 1), dtype=np.float32)
        mu[len(vocab):] = ngram_momentum_for(groups) if ngram_momentum is None else ngram_momentum
        row_mu = [mu, None]
    t0 = time.perf_counter()
    result = run_rounds(client, encoded, (syn0, syn1), train_period, settings, epochs=cfg.epochs, alpha=cfg.alpha,
                        min_alpha=cfg.min_alpha, seed=cfg.seed, sync_words=sync_words, model=model,
                        callbacks=model.callbacks, progress=model.progress,
                        description=f"{cfg.architecture}/{cfg.loss} on a cluster",
                        check_finite=lambda: _finite(syn0), combine=combine, row_mu=row_mu,
                        rounds_per_epoch=fasttext_rounds_per_epoch(groups) if fasttext else DEFAULT_ROUNDS_PER_EPOCH,
                        rebuild=lambda lost: encode_partitions(
                            client, [parts[i] for i in lost], vocab, tokenizer=spec, encoding=encoding,
                            max_sentence_length=cfg.max_sentence_length, progress=False, eos=eos))
    del encoded
    stats = {"total_words": vocab.total_words, "retained_words": vocab.retained_words,
             "sentences": sum(c[0] for c in counts), "sentences_split": sum(c[1] for c in counts)}
    model._record(result.epochs, stats, seconds=time.perf_counter() - t0, workers=result.groups,
                  words=vocab.total_words)
    model.training_stats_["distributed"] = result.as_dict()
    model.training_runs_ = [{"vocabulary": "new", "words_added": len(vocab), "vocab_size": len(vocab),
                             "epochs": len(result.epochs), "alpha": cfg.alpha, "min_alpha": cfg.min_alpha, **stats}]
    model.training_stats_["seconds_total"] = time.perf_counter() - t_start
    return model
