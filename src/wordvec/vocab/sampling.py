"""Sampling tables: subsampling keep-thresholds and the unigram^ns_exponent table for negatives
(0.75 by default, as word2vec.c; FastText draws from count^0.5)."""

from __future__ import annotations

import numpy as np

__all__ = ["keep_probabilities", "keep_thresholds", "negative_table", "negative_guide", "THRESHOLD_ONE", "GUIDE_SHIFT"]

# Subsampling compares a 32-bit random draw against these thresholds: keep if draw < threshold.
THRESHOLD_ONE = 1 << 32

#: A draw ``x`` for a noise word falls in bucket ``x >> GUIDE_SHIFT`` of :func:`negative_guide`
#: (32,768 values a bucket: 65,536 buckets over the default domain ``2**31 - 1``).
GUIDE_SHIFT = 15


def keep_probabilities(counts: np.ndarray, sample: float, *, total: int | None = None) -> np.ndarray:
    """Probability of keeping each occurrence of a word, word2vec.c's formula.

    >>> import numpy as np
    >>> keep_probabilities(np.array([900, 90, 10]), sample=1e-2).round(3).tolist()   # > 1: always kept
    [0.117, 0.444, 1.0]

    word2vec.c (TrainModelThread): ``ran = (sqrt(cn / (sample * train_words)) + 1) *
    (sample * train_words) / cn``, where train_words is the number of tokens of kept words
    (``total``; default ``counts.sum()``); values above 1 mean "always keep". ``sample=0``
    disables subsampling.
    """
    counts = np.asarray(counts, dtype=np.float64)
    if sample < 0:
        raise ValueError(f"sample must be >= 0, got {sample}")
    if sample == 0 or counts.size == 0:
        return np.ones(counts.shape, dtype=np.float64)
    threshold = sample * (counts.sum() if total is None else float(total))
    with np.errstate(divide="ignore"):
        p = (np.sqrt(counts / threshold) + 1.0) * threshold / counts
    return np.minimum(p, 1.0)


def keep_thresholds(counts: np.ndarray, sample: float, *, total: int | None = None) -> np.ndarray:
    """``keep_probabilities`` scaled to 32-bit integer thresholds (int64; 2**32 means always).

    >>> import numpy as np
    >>> keep_thresholds(np.array([900, 90, 10]), sample=1e-2).tolist()   # 2**32 = 4294967296: always kept
    [500451163, 1908874354, 4294967296]
    """
    p = keep_probabilities(counts, sample, total=total)
    return np.round(p * THRESHOLD_ONE).astype(np.int64)


def negative_table(counts: np.ndarray, power: float = 0.75, domain: int = 2**31 - 1) -> np.ndarray:
    """Cumulative distribution of ``count**power`` scaled to ``[0, domain]`` (int64, nondecreasing).

    >>> import numpy as np
    >>> negative_table(np.array([16, 1]), power=0.75, domain=9).tolist()  # 16**0.75 = 8 times more likely than 1
    [8, 9]

    Word i is drawn for a uniform integer x in [0, domain) when ``table[i-1] <= x < table[i]``
    (binary search), i.e. with probability count_i**power / sum(count**power) — the unigram
    distribution raised to 3/4 of Mikolov et al. 2013 (word2vec.c InitUnigramTable), kept
    compact (one int64 per word) instead of word2vec.c's 1e8-entry table.
    """
    w = np.asarray(counts, dtype=np.float64) ** power
    if w.size == 0 or w.sum() <= 0:
        raise ValueError("negative_table needs at least one word with a positive count")
    cum = np.cumsum(w) / w.sum()
    table = np.round(cum * domain).astype(np.int64)
    table[-1] = domain
    return table


def negative_guide(cum_table: np.ndarray) -> np.ndarray:
    """The guide table of a :func:`negative_table` (int32): ``guide[j]`` is the first word whose
    ``cum_table`` entry exceeds ``j << GUIDE_SHIFT``.

    The kernels draw a noise word for a uniform ``x`` as the first ``i`` with ``cum_table[i] > x``;
    that ``i`` lies in ``guide[j] .. guide[j + 1]`` for ``j = x >> GUIDE_SHIFT``, so the binary
    search runs over those few words instead of the whole table (Chen & Asau 1974, "On generating
    random variates from an empirical distribution"). The words drawn are the same. Draws are
    32-bit, so the table covers ``min(domain, 2**32)`` (at most 131,073 entries).

    >>> import numpy as np
    >>> negative_guide(np.array([40000, 70000, 100000])).tolist()   # buckets of 32,768 values
    [0, 0, 1, 2, 3]
    """
    cum = np.asarray(cum_table, dtype=np.int64)
    if cum.ndim != 1 or cum.size == 0:
        raise ValueError("negative_guide needs a non-empty 1-d cumulative table")
    span = min(int(cum[-1]), 1 << 32)
    buckets = ((span - 1) >> GUIDE_SHIFT) + 1
    starts = np.arange(buckets + 1, dtype=np.int64) << GUIDE_SHIFT
    return np.searchsorted(cum, starts, side="right").astype(np.int32)
