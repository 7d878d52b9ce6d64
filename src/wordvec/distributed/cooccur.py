"""Co-occurrence counting on a Dask cluster: sorted sparse shards per partition, reduced by key range.

1. The vocabulary, counted on the cluster (:mod:`wordvec.distributed.vocab`): the single-machine one.
2. Map: each partition is encoded against it (:func:`~wordvec.corpus.encode.encode_with_vocab`,
   long sentences kept whole, as the single-machine counter keeps them) and its windows counted by
   the kernels of :mod:`wordvec._kernels.cooccur` (cooccur.c's dense table for frequent pairs, a
   bounded buffer sorted and summed when full) into a *shard*: sorted, distinct int64 keys
   ``row * n + col`` with float64 sums, cut into R slices at fixed key bounds.
3. Reduce: the keys ``[0, n * n)`` are cut into R ranges of whole rows, balanced by an estimate of
   each row's entries (its word count times the window, at most n). Reduce task r merges the
   shards' slices r (concatenated in partition order, sorted, equal keys summed, in float64) and
   converts them to (rows int32, cols int32, values float32) as the single-machine builder does.
4. The client joins the ranges in order into a :class:`~wordvec.cooccur.Cooccurrence` with the
   single-machine settings (plus ``"distributed"``: workers, partitions and reducers).

Equal to the single machine, to the bit: the vocabulary, the entries and the settings are the
same, and each value is the same sum in another order. The kernels count a pair at distance d as
``unit / d`` with ``unit`` = lcm(1, ..., window) (:func:`wordvec._kernels.cooccur.weight_unit`),
a whole number, so the float64 sums are exact and do not depend on the order of addition; the
reduce divides by ``unit`` once and rounds to float32 as the single-machine builder does. (Past
``EXACT_WINDOW`` = 16 the unit is 1 and the terms 1/3, 1/7, ... are inexact: two orders can then
differ in the last float32 bit, rarely. Without distance weighting every term is 1: always exact.)
"""

from __future__ import annotations

import operator
import os
import time
from types import SimpleNamespace

import numpy as np

from wordvec.config import CooccurrenceConfig
from wordvec.cooccur.matrix import Cooccurrence
from wordvec.corpus.encodings import DEFAULT_ENCODING, check_encoding
from wordvec.distributed.cluster import submit_placed, wait_all, worker_addresses
from wordvec.distributed.partitions import (
    DEFAULT_PARTITION_BYTES,
    Partition,
    make_partitions,
    make_tokenizer,
    read_partition,
    tokenizer_spec,
)
from wordvec.distributed.vocab import corpus_counts, vocab_from_counts

__all__ = ["build_cooccurrence_distributed", "count_pairs", "key_bounds", "merge_slices"]

# Sentences are never split for counting (the single-machine counter windows them whole).
_NO_SPLIT = 1 << 62


def count_pairs(tokens: np.ndarray, offsets: np.ndarray, n_words: int, *, window: int,
                distance_weighting: bool, symmetric: bool,
                memory_mb: float = CooccurrenceConfig.memory_mb) -> tuple[np.ndarray, np.ndarray]:
    """The co-occurrence pairs of encoded sentences as sorted, distinct int64 keys ``row * n_words + col``
    and their float64 sums (a shard) in units of ``1 / weight_unit(window, distance_weighting)``,
    counted by the single-machine kernels.

    >>> tokens, offsets = np.array([0, 1, 2], dtype=np.int32), np.array([0, 3])     # one sentence: 0 1 2
    >>> keys, values = count_pairs(tokens, offsets, 3, window=2, distance_weighting=True, symmetric=True)
    >>> keys.tolist(), values.tolist()     # (0,1) (0,2) (1,0) (1,2) (2,0) (2,1), in units of 1/2
    ([1, 2, 3, 5, 6, 7], [2.0, 1.0, 2.0, 2.0, 1.0, 2.0])

    ``memory_mb`` caps the counting buffers as in :func:`~wordvec.cooccur.count_cooccurrences`
    (half for cooccur.c's dense table of frequent pairs); a full buffer that stays more than half
    full after summing is kept as a sorted run in memory, not spilled. The shard itself is as large
    as the partition's distinct pairs (16 bytes each); Dask spills it to disk under memory pressure.
    """
    from wordvec._kernels.cooccur import sort_pairs, sum_sorted, weight_unit, window_pairs
    from wordvec.cooccur.builder import _dense_entries, dense_layout
    from wordvec.cooccur.spill import MIN_BLOCK

    tokens = np.ascontiguousarray(tokens, dtype=np.int32)
    offsets = np.ascontiguousarray(offsets, dtype=np.int64)
    budget = int(memory_mb * 2**20)
    lookup = dense_layout(n_words, budget // 2 // 8)
    table = np.zeros(int(lookup[-1]), dtype=np.float64)
    cap = max((budget - table.nbytes) // 16, MIN_BLOCK, 4 * window + 2)
    keys = np.empty(cap, dtype=np.int64)
    vals = np.empty(cap, dtype=np.float64)
    runs: list[tuple[np.ndarray, np.ndarray]] = []
    fill, sent = 0, 0
    pos = int(offsets[0]) if offsets.size else 0
    n_sent = offsets.shape[0] - 1
    while sent < n_sent:
        sent, pos, fill = window_pairs(tokens, offsets, sent, pos, n_words, window, bool(distance_weighting),
                                       bool(symmetric), table, lookup, keys, vals, fill,
                                       weight_unit(window, distance_weighting))
        if sent < n_sent:  # the buffer is full: reduce it, and set it aside if that did not free half
            sort_pairs(keys, vals, fill)
            fill = sum_sorted(keys, vals, fill)
            if fill > cap // 2:
                runs.append((keys[:fill].copy(), vals[:fill].copy()))
                fill = 0
    dense_keys, dense_vals = _dense_entries(table, lookup, n_words, 0, n_words)
    del table
    k = np.concatenate([dense_keys, *(r[0] for r in runs), keys[:fill]])
    v = np.concatenate([dense_vals, *(r[1] for r in runs), vals[:fill]])
    del keys, vals, runs
    sort_pairs(k, v, k.size)
    m = sum_sorted(k, v, k.size)
    return k[:m], v[:m]


def key_bounds(counts: np.ndarray, window: int, ranges: int) -> np.ndarray:
    """R + 1 increasing key bounds ``row * n`` (0 first, n * n last) cutting the matrix into R ranges of
    whole rows with about as many entries each (a row's entries estimated as min(count * 2 * window, n)).

    >>> key_bounds(np.array([100, 10, 10, 10, 1, 1]), window=1, ranges=2).tolist()   # rows 0-2 | rows 3-5
    [0, 18, 36]
    """
    counts = np.asarray(counts, dtype=np.float64)
    n = counts.shape[0]
    ranges = max(1, min(int(ranges), n))
    weight = np.cumsum(np.minimum(counts * 2 * window, n))
    targets = weight[-1] * np.arange(1, ranges) / ranges
    rows = np.searchsorted(weight, targets, side="left") + 1
    rows = np.unique(np.concatenate([[0], np.clip(rows, 1, n), [n]]))
    return rows.astype(np.int64) * np.int64(n)


def _slices(keys: np.ndarray, vals: np.ndarray, bounds: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    cut = np.searchsorted(keys, bounds)
    return [(keys[cut[r]:cut[r + 1]], vals[cut[r]:cut[r + 1]]) for r in range(bounds.shape[0] - 1)]


def merge_slices(n_words: int, *slices: tuple[np.ndarray, np.ndarray],
                 unit: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reduce: the shards' slices of one key range (in partition order) merged into sorted
    (rows int32, cols int32, values float32), equal keys summed in float64, divided by ``unit``.

    >>> a = (np.array([1, 4]), np.array([1.0, 0.5]))
    >>> b = (np.array([1, 3]), np.array([0.5, 2.0]))
    >>> [x.tolist() for x in merge_slices(3, a, b)]           # keys are row * 3 + col
    [[0, 1, 1], [1, 0, 1], [1.5, 2.0, 0.5]]
    """
    from wordvec._kernels.cooccur import sort_pairs, sum_sorted
    from wordvec.cooccur.spill import split_keys

    k = np.concatenate([np.asarray(s[0], dtype=np.int64) for s in slices] or [np.zeros(0, np.int64)])
    v = np.concatenate([np.asarray(s[1], dtype=np.float64) for s in slices] or [np.zeros(0, np.float64)])
    sort_pairs(k, v, k.size)
    m = sum_sorted(k, v, k.size)
    return split_keys(k[:m], v[:m], n_words, unit)


def _shard_task(p: Partition, vocab, spec, encoding: str, token_cache, bounds: np.ndarray, window: int,
                distance_weighting: bool, symmetric: bool, memory_mb: float):
    """Map: one partition's shard, cut into the slices of the key ranges."""
    from wordvec.corpus.encode import encode_with_vocab

    encoded = encode_with_vocab(read_partition(p, spec, encoding, token_cache=token_cache), vocab,
                                max_sentence_length=_NO_SPLIT)
    keys, vals = count_pairs(encoded.tokens, encoded.offsets, len(vocab), window=window,
                             distance_weighting=distance_weighting, symmetric=symmetric, memory_mb=memory_mb)
    return _slices(keys, vals, bounds)


def build_cooccurrence_distributed(client, corpus, *, window: int = CooccurrenceConfig.window,
                                   distance_weighting: bool = CooccurrenceConfig.distance_weighting,
                                   symmetric: bool = CooccurrenceConfig.symmetric,
                                   min_count: int = CooccurrenceConfig.min_count,
                                   max_vocab_size: int | None = CooccurrenceConfig.max_vocab_size,
                                   memory_mb: float = CooccurrenceConfig.memory_mb,
                                   tokenizer=None, encoding: str | None = None, progress: bool | None = None,
                                   target_bytes: int = DEFAULT_PARTITION_BYTES, reducers: int | None = None,
                                   token_cache: str | os.PathLike | bool | None = None) -> Cooccurrence:
    """:func:`wordvec.cooccur.build_cooccurrence` on a Dask cluster: the same matrix, vocabulary and settings.

    >>> from distributed import Client                                  # doctest: +SKIP
    >>> # skipped: the example needs a running Dask cluster
    >>> with Client("tcp://scheduler:8786") as client:                  # doctest: +SKIP
    ...     matrix = build_cooccurrence_distributed(client, "corpus/", window=10, min_count=5)
    >>> matrix.save("cooc.npz")                                         # doctest: +SKIP

    ``corpus``: paths (files, directories) or partitions from
    :func:`~wordvec.distributed.make_partitions`; the workers must be able to read the files at
    those paths (a shared file system, or the same copy on every machine). Plain files are cut into
    ranges of ``target_bytes`` (compressed files are read whole, one per task). The options are
    :func:`~wordvec.cooccur.build_cooccurrence`'s; ``memory_mb`` caps each task's counting buffers
    (tasks run at once on a worker each take that much), and nothing is spilled by wordvec (Dask
    spills results under memory pressure), so there is no ``tmp_dir``. ``reducers``: the key
    ranges (default: two per worker). ``token_cache``: see
    :func:`~wordvec.distributed.partitions.read_partition`. Token lists are refused: the cluster
    reads files.

    The result equals the single-machine matrix (see the module's docstring for the float32
    rounding of weighted sums); ``settings["distributed"]`` says where it was counted.
    """
    cfg = CooccurrenceConfig(window=window, distance_weighting=distance_weighting, symmetric=symmetric,
                             min_count=min_count, max_vocab_size=max_vocab_size, memory_mb=memory_mb).validate()
    t0 = time.perf_counter()
    encoding = check_encoding(DEFAULT_ENCODING if encoding is None else encoding)
    if isinstance(corpus, (list, tuple)) and corpus and all(isinstance(p, Partition) for p in corpus):
        partitions = list(corpus)
    elif isinstance(corpus, (str, os.PathLike)) or (
            isinstance(corpus, (list, tuple)) and corpus and all(isinstance(p, (str, os.PathLike)) for p in corpus)):
        partitions = make_partitions(corpus, target_bytes, encoding=encoding)
    else:
        raise TypeError(f"a cluster reads its corpus from files: pass paths or partitions, not "
                        f"{type(corpus).__name__} (count token lists with wordvec.cooccur.build_cooccurrence)")
    tok = make_tokenizer(tokenizer_spec(tokenizer))
    spec = tokenizer_spec(tok)
    counts, total, n_sentences = corpus_counts(client, partitions, tokenizer=spec, encoding=encoding,
                                               token_cache=token_cache, progress=progress)
    vocab = vocab_from_counts(counts, total, min_count=cfg.min_count, max_vocab_size=cfg.max_vocab_size)
    del counts
    n = len(vocab)
    workers = worker_addresses(client)
    bounds = key_bounds(vocab.counts, cfg.window, reducers or 2 * max(len(workers), 1))
    from wordvec._kernels.cooccur import weight_unit

    unit = weight_unit(cfg.window, cfg.distance_weighting)
    n_ranges = bounds.shape[0] - 1
    shared_vocab = client.scatter(vocab, broadcast=True, hash=False)
    shards = [submit_placed(client, workers, i, _shard_task, p, shared_vocab, spec, encoding, token_cache,
                            bounds, cfg.window, cfg.distance_weighting, cfg.symmetric, cfg.memory_mb)
              for i, p in enumerate(partitions)]
    wait_all(shards, "co-occurrences", progress)
    ranges = []
    for r in range(n_ranges):
        slices = [client.submit(operator.getitem, shard, r, pure=False) for shard in shards]
        ranges.append(client.submit(merge_slices, n, *slices, unit=unit, pure=False))
    del shards, slices
    parts = client.gather(ranges)
    rows = np.concatenate([p[0] for p in parts])
    cols = np.concatenate([p[1] for p in parts])
    values = np.concatenate([p[2] for p in parts])
    del parts, ranges
    from wordvec.corpus.tokenizers import describe_tokenizer

    settings = {**cfg.to_dict(), "total_words": vocab.total_words, "sentences": n_sentences,
                "retained_words": vocab.retained_words, "spilled_runs": 0, "seconds": time.perf_counter() - t0,
                "tokenizer": describe_tokenizer(SimpleNamespace(tokenizer=tok)),
                "distributed": {"workers": len(workers), "partitions": len(partitions), "reducers": n_ranges}}
    return Cooccurrence(rows, cols, values, vocab.index_to_key, np.asarray(vocab.counts), settings)
