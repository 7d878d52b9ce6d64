"""Streaming co-occurrence counting under a memory cap (Stanford GloVe's ``cooccur``).

Two passes over the corpus, as Stanford's ``vocab_count`` then ``cooccur``: the first
counts words and builds the shared :class:`~wordvec.vocab.Vocab`; the second encodes
bounded batches of sentences and feeds their windows to a fixed-size pair buffer. When
the buffer fills, it is sorted in place and equal pairs are summed; if that leaves it
more than half full, the sorted run is spilled to a temporary file and the buffer starts
again. As in cooccur.c, half the memory holds a dense table for pairs of frequent words
(``(i + 1) * (j + 1) <= max_product``), which take most of the counts and never reach the
buffer. At the end the runs (and the table's entries) are merged k ways in bounded blocks
(:mod:`wordvec.cooccur.spill`). Memory therefore depends on ``memory_mb`` (and the
vocabulary), never on the corpus length.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from wordvec._progress import ProgressBar
from wordvec.config import CooccurrenceConfig
from wordvec.cooccur.matrix import Cooccurrence
from wordvec.cooccur.spill import MIN_BLOCK, SortedRuns, split_keys
from wordvec.vocab import EmptyVocabularyError, Vocab

__all__ = ["build_cooccurrence", "count_cooccurrences", "cooccurrence_from_encoded"]

_PAIR_BYTES = 16  # int64 key + float64 weight per buffered pair
_BATCH_TOKENS = 1 << 18  # tokens per encoded batch in the second pass
_SMALL_JOIN_BYTES = 64 * 2**20  # results up to this size are joined in memory at the end


def build_cooccurrence(corpus, *, window: int = CooccurrenceConfig.window,
                       distance_weighting: bool = CooccurrenceConfig.distance_weighting,
                       symmetric: bool = CooccurrenceConfig.symmetric,
                       min_count: int = CooccurrenceConfig.min_count,
                       max_vocab_size: int | None = CooccurrenceConfig.max_vocab_size,
                       memory_mb: float = CooccurrenceConfig.memory_mb,
                       tokenizer=None, tmp_dir: str | os.PathLike | None = None,
                       progress: bool | None = None, encoding: str | None = None) -> Cooccurrence:
    """Count the co-occurrence matrix of ``corpus`` (a path, paths, or token lists).

    >>> matrix = build_cooccurrence([["the", "king", "rules"], ["the", "queen", "rules"]], window=2, min_count=1,
    ...                             progress=False)
    >>> matrix.keys, matrix.nnz
    (['the', 'rules', 'king', 'queen'], 10)
    >>> matrix.dense().round(2)                       # the/rules: distance 2, so 1/2 in each sentence
    array([[0., 1., 1., 1.],
           [1., 0., 1., 1.],
           [1., 1., 0., 0.],
           [1., 1., 0., 0.]])

    The corpus is read twice (vocabulary, then windows), so it must be restartable
    (files and lists are). Defaults: :class:`wordvec.config.CooccurrenceConfig`. ``encoding``:
    the text files' (None: UTF-8; ``"latin-1"``, ``"cp949"``, ...). ``progress``: None (default):
    bars only on a terminal or in a notebook; True/False force them.
    """
    from wordvec.corpus.readers import as_corpus
    from wordvec.corpus.tokenizers import describe_tokenizer

    cfg = CooccurrenceConfig(window=window, distance_weighting=distance_weighting, symmetric=symmetric,
                             min_count=min_count, max_vocab_size=max_vocab_size,
                             memory_mb=memory_mb).validate()
    t0 = time.perf_counter()
    source = as_corpus(corpus, tokenizer, encoding=encoding, progress=progress)
    with ProgressBar(0, "counting words", enabled=progress, unit="tokens") as bar:
        vocab = _count_words(source, cfg, bar.update)
    with ProgressBar(vocab.total_words, "co-occurrences", enabled=progress, unit="tokens") as bar:
        stats: dict = {}
        batches = _encoded_batches(source, vocab, stats, bar.update)
        rows, cols, vals = count_cooccurrences(batches, len(vocab), window=cfg.window,
                                               distance_weighting=cfg.distance_weighting,
                                               symmetric=cfg.symmetric, memory_mb=cfg.memory_mb,
                                               tmp_dir=tmp_dir, stats=stats)
    settings = {**cfg.to_dict(), "total_words": vocab.total_words, "sentences": stats.get("sentences", 0),
                "retained_words": vocab.retained_words, "spilled_runs": stats.get("runs", 0),
                "seconds": time.perf_counter() - t0, "tokenizer": describe_tokenizer(source)}
    return Cooccurrence(rows, cols, vals, vocab.index_to_key, np.asarray(vocab.counts), settings)


def cooccurrence_from_encoded(vocab: Vocab, tokens: np.ndarray, offsets: np.ndarray, *,
                              window: int = CooccurrenceConfig.window,
                              distance_weighting: bool = CooccurrenceConfig.distance_weighting,
                              symmetric: bool = CooccurrenceConfig.symmetric,
                              memory_mb: float = CooccurrenceConfig.memory_mb,
                              tmp_dir: str | os.PathLike | None = None) -> Cooccurrence:
    """The co-occurrence matrix of an already encoded corpus (int32 ids, int64 sentence offsets).

    >>> import numpy as np
    >>> from wordvec.vocab import Vocab
    >>> vocab = Vocab.from_counts({"the": 2, "king": 1, "queen": 1})
    >>> tokens, offsets = np.array([0, 1, 0, 2], dtype=np.int32), np.array([0, 2, 4])   # the king / the queen
    >>> cooccurrence_from_encoded(vocab, tokens, offsets, window=2).dense()
    array([[0., 1., 1.],
           [1., 0., 0.],
           [1., 0., 0.]])
    """
    stats: dict = {}
    rows, cols, vals = count_cooccurrences([(tokens, offsets)], len(vocab), window=window,
                                           distance_weighting=distance_weighting, symmetric=symmetric,
                                           memory_mb=memory_mb, tmp_dir=tmp_dir, stats=stats)
    settings = {"model": "cooccurrence", "window": window, "distance_weighting": distance_weighting,
                "symmetric": symmetric, "min_count": vocab.min_count, "max_vocab_size": vocab.max_vocab_size,
                "memory_mb": memory_mb, "total_words": vocab.total_words,
                "sentences": int(offsets.shape[0] - 1), "retained_words": vocab.retained_words,
                "spilled_runs": stats.get("runs", 0)}
    return Cooccurrence(rows, cols, vals, vocab.index_to_key, np.asarray(vocab.counts), settings)


# ---------------------------------------------------------------- the two passes
def _count_words(source: Iterable, cfg: CooccurrenceConfig, update: Callable[[int], None]) -> Vocab:
    counter: Counter = Counter()
    seen = 0
    for n, sent in enumerate(source):
        if isinstance(sent, str):
            raise TypeError(f"sentence #{n} is a string, not a list of tokens")
        counter.update(sent)
        seen += len(sent)
        if n % 4096 == 0:
            update(seen)
    update(seen)
    if not counter:
        raise EmptyVocabularyError(
            "the corpus is empty: it holds no tokens (check the path, the file's encoding and the tokenizer)")
    return Vocab.from_counts(counter, min_count=cfg.min_count, max_vocab_size=cfg.max_vocab_size,
                             total_words=seen)


def _encoded_batches(source: Iterable, vocab: Vocab, stats: dict,
                     update: Callable[[int], None]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(tokens, offsets) of batches of about _BATCH_TOKENS tokens; pruned words dropped."""
    get = vocab.key_to_index.get
    ids: list[int] = []
    lengths: list[int] = []
    seen = 0
    n_sent = 0

    def flush():
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return np.array(ids, dtype=np.int32), offsets

    for sent in source:
        before = len(ids)
        ids.extend(i for i in map(get, sent) if i is not None)
        lengths.append(len(ids) - before)
        seen += len(sent)
        n_sent += 1
        if len(ids) >= _BATCH_TOKENS:
            yield flush()
            ids.clear()
            lengths.clear()
            update(seen)
    if ids:
        yield flush()
    update(seen)
    stats["sentences"] = n_sent


# ---------------------------------------------------------------- counting
def count_cooccurrences(batches: Iterable[tuple[np.ndarray, np.ndarray]], n_words: int, *,
                        window: int, distance_weighting: bool, symmetric: bool, memory_mb: float,
                        tmp_dir: str | os.PathLike | None = None,
                        stats: dict | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count the windows of encoded ``batches``; returns sorted (rows int32, cols int32, values float32).

    >>> import numpy as np
    >>> batch = (np.array([0, 1, 2], dtype=np.int32), np.array([0, 3]))       # one sentence: 0 1 2
    >>> rows, cols, values = count_cooccurrences([batch], 3, window=1, distance_weighting=False, symmetric=True,
    ...                                          memory_mb=1)
    >>> rows.tolist(), cols.tolist(), values.tolist()
    ([0, 1, 1, 2], [1, 0, 2, 1], [1.0, 1.0, 1.0, 1.0])

    Half of ``memory_mb`` MiB holds the dense table of frequent pairs, the rest the pair
    buffer (16 bytes a pair); full buffers are sorted,
    reduced and, when still more than half full, spilled to sorted runs under ``tmp_dir``
    (the system's temporary directory by default) that are merged at the end
    (:class:`~wordvec.cooccur.spill.SortedRuns`).
    """
    from wordvec._kernels.cooccur import sort_pairs, sum_sorted, weight_unit, window_pairs

    unit = weight_unit(window, distance_weighting)  # exact sums: the same matrix whatever the memory cap
    budget = int(memory_mb * 2**20)
    lookup = dense_layout(n_words, budget // 2 // 8)  # half the memory: cooccur.c's dense table
    table = np.zeros(int(lookup[-1]), dtype=np.float64)
    cap = max((budget - table.nbytes) // _PAIR_BYTES, MIN_BLOCK, 4 * window + 2)
    keys = np.empty(cap, dtype=np.int64)
    vals = np.empty(cap, dtype=np.float64)
    fill = 0
    with SortedRuns(tmp_dir) as runs:
        for tokens, offsets in batches:
            tokens = np.ascontiguousarray(tokens, dtype=np.int32)
            offsets = np.ascontiguousarray(offsets, dtype=np.int64)
            sent, pos = 0, int(offsets[0]) if offsets.size else 0
            n_sent = offsets.shape[0] - 1
            while sent < n_sent:
                sent, pos, fill = window_pairs(tokens, offsets, sent, pos, n_words, window,
                                               bool(distance_weighting), bool(symmetric), table, lookup,
                                               keys, vals, fill, unit)
                if sent < n_sent:  # the buffer is full: reduce, and spill if that did not free half
                    sort_pairs(keys, vals, fill)
                    fill = sum_sorted(keys, vals, fill)
                    if fill > cap // 2:
                        runs.add([(keys[:fill], vals[:fill])])
                        fill = 0
        sort_pairs(keys, vals, fill)
        fill = sum_sorted(keys, vals, fill)
        if stats is not None:
            stats["runs"] = len(runs) + (1 if runs and fill else 0)
            stats["dense_entries"] = int(table.shape[0])
        # Everything still in memory and small: join the table's entries and the buffer's (disjoint)
        # directly. Larger results take the spill-and-merge path even without earlier spills, since
        # joining copies them while the table and the buffers are still allocated (over the cap).
        small = (int(np.count_nonzero(table)) + fill) * 2 * _PAIR_BYTES <= _SMALL_JOIN_BYTES
        if not runs and small:
            dk, dv = _dense_entries(table, lookup, n_words, 0, n_words)
            del table
            k = np.concatenate((dk, keys[:fill]))
            v = np.concatenate((dv, vals[:fill]))
            del keys, vals, dk, dv
            sort_pairs(k, v, k.size)
            return split_keys(k, v, n_words, unit)
        if fill:
            runs.add([(keys[:fill], vals[:fill])])
        del keys, vals
        runs.add(_dense_blocks(table, lookup, n_words, cap))
        del table
        return runs.merge(n_words, cap, unit)


def dense_layout(n_words: int, max_entries: int) -> np.ndarray:
    """Row starts (n_words + 1, int64) of cooccur.c's dense table for the largest max_product
    whose table holds at most ``max_entries`` slots: row r gets min(max_product // (r + 1), n) columns."""
    r = np.arange(1, n_words + 1, dtype=np.int64)

    def size(p: int) -> int:
        return int(np.minimum(p // r, n_words).sum())

    lo, hi = 0, n_words * n_words
    while lo < hi:  # the largest p with size(p) <= max_entries
        mid = (lo + hi + 1) // 2
        if size(mid) <= max_entries:
            lo = mid
        else:
            hi = mid - 1
    lookup = np.zeros(n_words + 1, dtype=np.int64)
    np.cumsum(np.minimum(lo // r, n_words), out=lookup[1:])
    return lookup


def _dense_entries(table: np.ndarray, lookup: np.ndarray, n_words: int, r0: int, r1: int):
    """Sorted (keys, values) of the non-zero slots of rows r0:r1 of the dense table."""
    base = int(lookup[r0])
    idx = np.flatnonzero(table[base:int(lookup[r1])]) + base
    rows = np.searchsorted(lookup, idx, side="right") - 1
    keys = rows * np.int64(n_words) + (idx - lookup[rows])
    return keys, table[idx]


def _dense_blocks(table: np.ndarray, lookup: np.ndarray, n_words: int,
                  block: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The dense table's non-zero entries as sorted (keys, values) blocks of about ``block`` slots
    (whole rows, at least one), so spilling it never copies the whole table."""
    r0 = 0
    while r0 < n_words:
        r1 = max(int(np.searchsorted(lookup, lookup[r0] + block, side="right")) - 1, r0 + 1)
        r1 = min(r1, n_words)
        yield _dense_entries(table, lookup, n_words, r0, r1)
        r0 = r1
