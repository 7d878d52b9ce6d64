"""Word-similarity evaluation: correlation of cosine similarities with human scores.

Semantics follow gensim 4.4 ``KeyedVectors.evaluate_word_pairs`` (with ``dummy4unknown=False``):
only the first ``restrict_vocab`` keys (in index order) are looked up; with
``case_insensitive=True`` keys and dataset words are compared upper-cased, and when several
keys collide (``Paris`` / ``paris``) the first one in index order -- the most frequent in a
trained model -- supplies the vector; a pair with a word outside that vocabulary is skipped
and counted. Unlike gensim, a malformed line is an error (naming file and line), not skipped.

With ``oov=True`` (vectors with subword information only, e.g. FastText's
:class:`~wordvec.vectors.subword.SubwordVectors`) a word outside that vocabulary gets the
vector the model builds for it (``kv.get_vector``, see :mod:`wordvec.evaluate.oov`) instead
of having its pair skipped; only pairs with a word that has no vector at all are skipped.

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
from wordvec.evaluate.oov import OOVVectors, check_subword_vectors, oov_vectors

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
    """1-based ranks with ties given their average rank (``scipy.stats.rankdata(method="average")``).

    >>> import numpy as np
    >>> rankdata(np.array([10.0, 20.0, 20.0, 5.0]))
    array([2. , 3.5, 3.5, 1. ])
    """
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
    """Pearson's r; NaN when there are fewer than 2 points or either side is constant.

    >>> import numpy as np
    >>> round(pearson(np.array([1.0, 2.0, 3.0]), np.array([10.0, 40.0, 90.0])), 4)
    0.9897
    >>> pearson(np.array([1.0, 2.0]), np.array([5.0, 5.0]))                       # constant side: NaN
    nan
    """
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
    """Spearman's rho: Pearson's r of the average-tie ranks (as ``scipy.stats.spearmanr``).

    >>> import numpy as np
    >>> spearman(np.array([1.0, 2.0, 3.0]), np.array([10.0, 40.0, 90.0]))        # monotonic: 1
    1.0
    """
    return pearson(rankdata(x), rankdata(y))


# ------------------------------------------------------------------ result
@dataclass(frozen=True)
class SimilarityResult:
    """Correlation between model cosine similarities and human scores on one dataset.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["cat", "dog", "car"], np.array([[1, 0.2], [1, 0.4], [0, 1]]))
    >>> with open("pairs.txt", "w", encoding="utf-8") as f:
    ...     print("cat dog 9", file=f)
    ...     print("cat car 2", file=f)
    ...     print("dog car 3", file=f)
    ...     print("cat tiger 8", file=f)
    ...
    >>> result = evaluate_similarity(wv, "pairs.txt")
    >>> result.spearman, result.pairs_used, result.oov_pairs
    (1.0, 3, (('cat', 'tiger'),))

    ``oov_pairs`` are the skipped pairs. With ``oov`` on, ``oov_words`` counts the distinct
    dataset words outside the restricted vocabulary that got a vector from ``kv.get_vector``
    and ``pairs_via_oov`` the used pairs with at least one of them.
    """

    dataset: str
    spearman: float
    pearson: float
    pairs_used: int
    pairs_skipped: int
    restrict_vocab: int
    case_insensitive: bool
    oov_pairs: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    oov: bool = False
    oov_words: int = 0
    pairs_via_oov: int = 0

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
            "oov": self.oov,
            "oov_words": self.oov_words,
            "pairs_via_oov": self.pairs_via_oov,
        }

    def summary(self) -> str:
        case = "case-insensitive" if self.case_insensitive else "case-sensitive"
        if self.oov:
            case += ", OOV words from subwords"
            used = (f"{self.pairs_via_oov:,} of them through vectors built for {self.oov_words:,} "
                    f"out-of-vocabulary words; {self.pairs_skipped:,} skipped (no vector)")
        else:
            used = f"{self.pairs_skipped:,} skipped (out of vocabulary)"
        return (
            f"Word similarity: {self.dataset} (restrict_vocab={self.restrict_vocab}, {case})\n"
            f"  Spearman rho  {self.spearman:7.4f}\n"
            f"  Pearson r     {self.pearson:7.4f}\n"
            f"  pairs used    {self.pairs_used:,} / {self.pairs:,} ({100 * self.coverage:.1f}%); {used}"
        )

    def __str__(self) -> str:
        return self.summary()


# ------------------------------------------------------------------ evaluation
def _rows(kv: KeyedVectors, ids: np.ndarray, extra: OOVVectors | None) -> np.ndarray:
    """Unit vectors of ``ids``: vocabulary rows below ``extra.first``, ``extra`` rows from there on."""
    if extra is None or not len(extra):
        return kv.unit_vectors[ids]
    out = np.empty((ids.size, kv.vector_size), dtype=np.float32)
    built = ids >= extra.first
    out[~built] = kv.unit_vectors[ids[~built]]
    out[built] = extra.unit[ids[built] - extra.first]
    return out


def evaluate_similarity(
    kv: KeyedVectors,
    dataset: str | os.PathLike | WordPairDataset = "wordsim353",
    *,
    restrict_vocab: int | None = 300000,
    case_insensitive: bool = True,
    oov: bool = False,
) -> SimilarityResult:
    """Spearman and Pearson correlation of ``kv``'s cosine similarities with human scores.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["cat", "dog", "car"], np.array([[1, 0.2], [1, 0.4], [0, 1]]))
    >>> with open("pairs.txt", "w", encoding="utf-8") as f:
    ...     print("cat dog 9", file=f)
    ...     print("cat car 2", file=f)
    ...     print("dog car 3", file=f)
    ...
    >>> result = evaluate_similarity(wv, "pairs.txt")           # or "wordsim353", "simlex999", "ko-wordsim353"
    >>> round(result.spearman, 3), round(result.pearson, 3), result.pairs_used
    (1.0, 0.997, 3)

    Parameters
    ----------
    kv:
        The vectors to evaluate.
    dataset:
        ``"wordsim353"``, ``"simlex999"``, ``"ko-wordsim353"``, a path to a file in the same
        format (see :mod:`wordvec.evaluate.datasets`), or an already loaded :class:`WordPairDataset`.
    restrict_vocab:
        Look words up among the first N keys only (the most frequent, for trained
        models); ``None`` for all keys.
    case_insensitive:
        Compare upper-cased words; among keys differing only in case the first in index
        order is used.
    oov:
        Give words outside the restricted vocabulary the vector the model builds for them
        (``kv.get_vector``: from character n-grams for unseen words) instead of skipping
        their pairs. Needs vectors with subword information, such as FastText's
        ``SubwordVectors``; with plain ``KeyedVectors`` it raises a ``ValueError``.

    Pairs with a word outside the (restricted) vocabulary -- with ``oov=True``: with a word
    that has no vector at all -- are skipped and counted in ``pairs_skipped``. With fewer
    than two pairs left the correlations are NaN.
    """
    if oov:
        check_subword_vectors(kv)
    data = dataset if isinstance(dataset, WordPairDataset) else load_word_pairs(dataset)
    limit, lookup, _ = restricted_vocab(kv, restrict_vocab, case_insensitive)
    extra = None
    if oov:
        extra = oov_vectors(kv, (w for pair in data.pairs for w in pair), lookup, limit, case_insensitive)
        if len(extra):  # numbered limit, limit + 1, ... after the restricted vocabulary
            lookup = {**lookup, **extra.index}
    first, second, gold, skipped = [], [], [], []
    for (w1, w2), score in zip(data.pairs, data.scores):
        i = lookup.get(w1.upper() if case_insensitive else w1)
        j = lookup.get(w2.upper() if case_insensitive else w2)
        if i is None or j is None:
            skipped.append((w1, w2))
            continue
        first.append(i)
        second.append(j)
        gold.append(score)
    first_arr = np.asarray(first, dtype=np.int64)
    second_arr = np.asarray(second, dtype=np.int64)
    model = np.einsum("ij,ij->i", _rows(kv, first_arr, extra), _rows(kv, second_arr, extra)).astype(np.float64)
    gold_arr = np.asarray(gold, dtype=np.float64)
    return SimilarityResult(
        dataset=data.name,
        spearman=spearman(gold_arr, model),
        pearson=pearson(gold_arr, model),
        pairs_used=len(gold),
        pairs_skipped=len(skipped),
        restrict_vocab=limit,
        case_insensitive=case_insensitive,
        oov_pairs=tuple(skipped),
        oov=bool(oov),
        oov_words=0 if extra is None else len(extra),
        pairs_via_oov=int(np.count_nonzero(np.maximum(first_arr, second_arr) >= limit)),
    )
