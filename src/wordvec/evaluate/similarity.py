"""Word-similarity evaluation: correlation of cosine similarities with human scores.

Semantics follow gensim 4.4 ``KeyedVectors.evaluate_word_pairs`` (with ``dummy4unknown=False``):
only the first ``restrict_vocab`` keys (in index order) are looked up; with
``case_insensitive=True`` keys and dataset words are compared upper-cased, and when several
keys collide (``Paris`` / ``paris``) the first one in index order -- the most frequent in a
trained model -- supplies the vector; a pair with a word outside that vocabulary is skipped
and counted. Unlike gensim, a malformed line is an error (naming file and line), not skipped.

Spearman's rho and Pearson's r are computed with NumPy (ranks with ties averaged, as
``scipy.stats.spearmanr``); SciPy is not needed.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from wordvec.evaluate.datasets import WordPairDataset, load_word_pairs

if TYPE_CHECKING:
    from wordvec.vectors.keyed import KeyedVectors

__all__ = ["SimilarityResult", "evaluate_similarity", "rankdata", "spearman", "pearson"]


# ------------------------------------------------------------------ restricted vocabulary
def restricted_vocab(
    kv: KeyedVectors, restrict_vocab: int | None, case_insensitive: bool
) -> tuple[int, dict[str, int], np.ndarray]:
    """The searchable part of ``kv`` as gensim's evaluation methods see it.

    Returns ``(limit, lookup, group)``: ``limit`` = number of leading keys kept;
    ``lookup`` maps a (possibly upper-cased) word to the index whose vector answers for it
    (the first key, in index order, with that spelling); ``group[i]`` is ``lookup[spelling of
    key i]``, so two indexes are "the same word" exactly when their groups are equal.
    """
    n = len(kv)
    if restrict_vocab is None:
        limit = n
    else:
        if int(restrict_vocab) < 1:
            raise ValueError(f"restrict_vocab must be >= 1 (or None for all keys), got {restrict_vocab}")
        limit = min(int(restrict_vocab), n)
    keys = kv.index_to_key[:limit]
    if not case_insensitive:
        return limit, {k: i for i, k in enumerate(keys)}, np.arange(limit, dtype=np.int64)
    lookup: dict[str, int] = {}
    group = np.empty(limit, dtype=np.int64)
    for i, key in enumerate(keys):
        group[i] = lookup.setdefault(key.upper(), i)
    return limit, lookup, group


# ------------------------------------------------------------------ correlations
def rankdata(x: np.ndarray) -> np.ndarray:
    """1-based ranks with ties given their average rank (``scipy.stats.rankdata(method="average")``)."""
    x = np.asarray(x, dtype=np.float64).ravel()
    if x.size == 0:
        return x
    order = np.argsort(x, kind="mergesort")
    xs = x[order]
    starts_mask = np.empty(x.size, dtype=bool)
    starts_mask[0] = True
    np.not_equal(xs[1:], xs[:-1], out=starts_mask[1:])
    starts = np.flatnonzero(starts_mask)
    ends = np.append(starts[1:], x.size)
    average = (starts + 1 + ends) / 2.0  # mean of ranks start+1 .. end
    ranks = np.empty(x.size, dtype=np.float64)
    ranks[order] = average[np.cumsum(starts_mask) - 1]
    return ranks


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r; NaN when there are fewer than 2 points or either side is constant."""
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError(f"x and y differ in length: {x.size} and {y.size}")
    if x.size < 2:
        return math.nan
    xc, yc = x - x.mean(), y - y.mean()
    denom = math.sqrt(float(xc @ xc) * float(yc @ yc))
    if denom == 0.0:
        return math.nan
    return max(-1.0, min(1.0, float(xc @ yc) / denom))


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho: Pearson's r of the average-tie ranks (as ``scipy.stats.spearmanr``)."""
    return pearson(rankdata(x), rankdata(y))


# ------------------------------------------------------------------ result
@dataclass(frozen=True)
class SimilarityResult:
    """Correlation between model cosine similarities and human scores on one dataset."""

    dataset: str
    spearman: float
    pearson: float
    pairs_used: int
    pairs_skipped: int
    restrict_vocab: int
    case_insensitive: bool
    oov_pairs: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def pairs(self) -> int:
        """Pairs in the dataset (used + skipped)."""
        return self.pairs_used + self.pairs_skipped

    @property
    def coverage(self) -> float:
        """Fraction of the dataset's pairs with both words in the vocabulary."""
        return self.pairs_used / self.pairs if self.pairs else 0.0

    def to_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "spearman": self.spearman,
            "pearson": self.pearson,
            "pairs_used": self.pairs_used,
            "pairs_skipped": self.pairs_skipped,
            "coverage": self.coverage,
            "restrict_vocab": self.restrict_vocab,
            "case_insensitive": self.case_insensitive,
        }

    def summary(self) -> str:
        case = "case-insensitive" if self.case_insensitive else "case-sensitive"
        return (
            f"Word similarity: {self.dataset} (restrict_vocab={self.restrict_vocab}, {case})\n"
            f"  Spearman rho  {self.spearman:7.4f}\n"
            f"  Pearson r     {self.pearson:7.4f}\n"
            f"  pairs used    {self.pairs_used:,} / {self.pairs:,} ({100 * self.coverage:.1f}%); "
            f"{self.pairs_skipped:,} skipped (out of vocabulary)"
        )

    def __str__(self) -> str:
        return self.summary()


# ------------------------------------------------------------------ evaluation
def evaluate_similarity(
    kv: KeyedVectors,
    dataset: str | os.PathLike | WordPairDataset = "wordsim353",
    *,
    restrict_vocab: int | None = 300000,
    case_insensitive: bool = True,
) -> SimilarityResult:
    """Spearman and Pearson correlation of ``kv``'s cosine similarities with human scores.

    Parameters
    ----------
    kv:
        The vectors to evaluate.
    dataset:
        ``"wordsim353"``, ``"simlex999"``, a path to a file in the same format (see
        :mod:`wordvec.evaluate.datasets`), or an already loaded :class:`WordPairDataset`.
    restrict_vocab:
        Look words up among the first N keys only (the most frequent, for trained
        models); ``None`` for all keys.
    case_insensitive:
        Compare upper-cased words; among keys differing only in case the first in index
        order is used.

    Pairs with a word outside the (restricted) vocabulary are skipped and counted in
    ``pairs_skipped``. With fewer than two pairs left the correlations are NaN.
    """
    data = dataset if isinstance(dataset, WordPairDataset) else load_word_pairs(dataset)
    limit, lookup, _ = restricted_vocab(kv, restrict_vocab, case_insensitive)
    first, second, gold, oov = [], [], [], []
    for (w1, w2), score in zip(data.pairs, data.scores):
        i = lookup.get(w1.upper() if case_insensitive else w1)
        j = lookup.get(w2.upper() if case_insensitive else w2)
        if i is None or j is None:
            oov.append((w1, w2))
            continue
        first.append(i)
        second.append(j)
        gold.append(score)
    unit = kv.unit_vectors
    model = np.einsum(
        "ij,ij->i", unit[np.asarray(first, dtype=np.int64)], unit[np.asarray(second, dtype=np.int64)]
    ).astype(np.float64)
    gold_arr = np.asarray(gold, dtype=np.float64)
    return SimilarityResult(
        dataset=data.name,
        spearman=spearman(gold_arr, model),
        pearson=pearson(gold_arr, model),
        pairs_used=len(gold),
        pairs_skipped=len(oov),
        restrict_vocab=limit,
        case_insensitive=case_insensitive,
        oov_pairs=tuple(oov),
    )
