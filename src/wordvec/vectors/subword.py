"""SubwordVectors: FastText vectors, with out-of-vocabulary words built from character n-grams.

Mirrors fastText's ``FastText::getWordVector`` (src/fasttext.cc) over ``Dictionary::getSubwords``
(src/dictionary.cc): the input matrix holds one row per vocabulary word followed by ``bucket``
n-gram rows; a vocabulary word's vector is the mean of its own row and its n-gram rows, an
out-of-vocabulary word's the mean of its n-gram rows alone (summed in float32, then multiplied
by ``float32(1 / count)`` as fastText's ``Vector::mul`` does). As in ``Dictionary::initNgrams``
the end-of-sentence token ``</s>`` gets no n-grams.

With ``jamo=True`` (FastText's Korean option, Park et al. 2018) the n-grams of every word, in the
vocabulary or not, are taken from ``<decompose(word)>`` (:func:`wordvec.corpus.jamo.decompose`:
each Hangul syllable as three jamo), as training took them; fastText itself has no such mode.

Every query of :class:`~wordvec.vectors.keyed.KeyedVectors` takes out-of-vocabulary words too
(``get_vector``, ``kv[["a", "b"]]``, ``most_similar``, ``n_similarity``, ``distances``,
``closer_than``, ``rank_by_centrality``, ``get_mean_vector``, ``wmdistance``, ...), as gensim's
``FastTextKeyedVectors`` does: they get the mean of their n-gram rows and, having no row in the
vocabulary, exclude nothing from search results. ``add_vectors`` adds whole words (see
:meth:`SubwordVectors.add_vectors`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numba
import numpy as np

from wordvec.vectors.keyed import KeyedVectors, _normalized
from wordvec.vocab.subwords import EOS, oov_rows, subword_table

__all__ = ["EOS", "SubwordVectors"]


@numba.njit(cache=True, nogil=True)
def _compose(word_rows, ngram_rows, ids, offsets, out):
    """``out[w]`` = mean of the rows ``ids[offsets[w]:offsets[w+1]]`` of vstack(word_rows, ngram_rows)."""
    n_vocab, d = word_rows.shape
    for w in range(offsets.shape[0] - 1):
        start, end = offsets[w], offsets[w + 1]
        for p in range(start, end):
            r = ids[p]
            if r < n_vocab:
                for k in range(d):
                    out[w, k] += word_rows[r, k]
            else:
                for k in range(d):
                    out[w, k] += ngram_rows[r - n_vocab, k]
        if end > start:
            scale = np.float32(1.0 / (end - start))
            for k in range(d):
                out[w, k] *= scale


def _matrix(name: str, array, dim: int | None) -> np.ndarray:
    array = np.asarray(array)
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, got shape {array.shape}")
    if dim is not None and array.shape[1] != dim:
        raise ValueError(f"{name} has {array.shape[1]} columns, word_rows has {dim}")
    if array.dtype != np.float32 or not array.flags.c_contiguous:
        array = np.ascontiguousarray(array, dtype=np.float32)
    return array


class SubwordVectors(KeyedVectors):
    """Word vectors that also answer for out-of-vocabulary words through their n-grams.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> ft = SubwordVectors(["king", "queen"], rng.normal(size=(2, 4)), rng.normal(size=(20, 4)),
    ...                     min_n=3, max_n=4, bucket=20)
    >>> ft
    SubwordVectors(2 keys, 4 dimensions, n-grams 3-4 in 20 buckets)
    >>> "kings" in ft, ft.has_vector("kings")     # not in the vocabulary, but it has n-grams
    (False, True)
    >>> ft["kings"].shape
    (4,)

    Parameters
    ----------
    keys:
        The vocabulary, in index order.
    word_rows:
        ``(len(keys), d)`` raw input-matrix rows of the vocabulary words.
    ngram_rows:
        ``(bucket, d)`` n-gram rows (a read-only memory map is kept as it is). fastText's input
        matrix is ``np.vstack([word_rows, ngram_rows])``.
    min_n, max_n:
        Character n-gram lengths; ``max_n == 0`` turns n-grams off (then ``bucket`` may be 0).
    bucket:
        Number of n-gram rows; an n-gram's row is its FNV-1a hash modulo ``bucket``.
    counts:
        Optional corpus frequency of each key.
    jamo:
        Take n-grams over the jamo of Hangul syllables (``<decompose(word)>``) instead of over
        syllables; ``min_n``/``max_n`` then count jamo. The key is still the word as written.

    ``vectors`` (what the queries search) holds each vocabulary word's composed vector.
    ``"w" in kv`` is vocabulary membership (unlike gensim's ``FastTextKeyedVectors``, where it
    is always true once n-grams are on); ``kv[w]`` / :meth:`get_vector` also answer for
    out-of-vocabulary words that have at least one n-gram (see :meth:`has_vector`), and the
    queries (``most_similar``, ``similarity``, ``distances``, ``wmdistance``, ...) accept them
    too. A word with no n-gram at all (n-grams off, or ``</s>``) raises a ``KeyError`` where
    gensim returns the zero vector; ``get_mean_vector`` and ``wmdistance`` skip it, as they
    skip unknown keys.
    """

    def __init__(self, keys: Sequence[str], word_rows: np.ndarray, ngram_rows: np.ndarray, *,
                 min_n: int, max_n: int, bucket: int, counts: np.ndarray | None = None,
                 jamo: bool = False):
        keys = list(keys)
        word_rows = _matrix("word_rows", word_rows, None)
        ngram_rows = _matrix("ngram_rows", ngram_rows, word_rows.shape[1])
        min_n, max_n, bucket = int(min_n), int(max_n), int(bucket)
        if max_n > 0 and not 1 <= min_n <= max_n:
            raise ValueError(f"need 1 <= min_n <= max_n (or max_n == 0), got min_n={min_n}, max_n={max_n}")
        if bucket < 0 or (max_n > 0 and bucket < 1):
            raise ValueError(f"bucket must be >= 1 when n-grams are on (max_n > 0), got {bucket}")
        if ngram_rows.shape[0] != bucket:
            raise ValueError(f"ngram_rows has {ngram_rows.shape[0]} rows, bucket is {bucket}")
        if word_rows.shape[0] != len(keys):
            raise ValueError(f"{len(keys)} keys but {word_rows.shape[0]} word rows")
        if not isinstance(jamo, (bool, np.bool_)):
            raise TypeError(f"jamo must be True or False, got {jamo!r}")
        self.jamo: bool = bool(jamo)
        composed = np.zeros_like(word_rows, dtype=np.float32)
        if keys:
            texts = keys
            if self.jamo:  # the n-grams of the decomposed spelling; row w is still key w's own
                from wordvec.corpus.jamo import decompose

                texts = [decompose(k) for k in keys]
            ids, offsets = subword_table(texts, min_n, max_n, bucket)
            _compose(word_rows, ngram_rows, ids, offsets, composed)
        super().__init__(keys, composed, counts)  # "</s>": its own row alone (subword_table)
        self.word_rows: np.ndarray = word_rows
        self.ngram_rows: np.ndarray = ngram_rows
        self.min_n, self.max_n, self.bucket = min_n, max_n, bucket

    def __repr__(self) -> str:
        return (f"SubwordVectors({len(self)} keys, {self.vector_size} dimensions, "
                f"{'jamo ' if self.jamo else ''}n-grams {self.min_n}-{self.max_n} in {self.bucket} buckets)")

    # ------------------------------------------------------------------ lookups
    def _ngram_text(self, word: str) -> str:
        """The string whose ``<...>`` n-grams are ``word``'s: ``word``, or its jamo with ``jamo=True``."""
        if not self.jamo:
            return word
        from wordvec.corpus.jamo import decompose

        return decompose(word)

    def _ngram_indexes(self, word: str) -> np.ndarray:
        """Rows of ``ngram_rows`` for an out-of-vocabulary word's n-grams (none for ``</s>``)."""
        if word == EOS:
            return np.empty(0, dtype=np.int64)
        return oov_rows(self._ngram_text(word), 0, self.min_n, self.max_n, self.bucket)

    def is_oov(self, word: str) -> bool:
        """True if ``word`` is not in the vocabulary (whether or not it has n-grams)."""
        if not isinstance(word, str):
            raise TypeError(f"keys are strings, got {type(word).__name__}: {word!r}")
        return word not in self.key_to_index

    def has_vector(self, word: str) -> bool:
        """True if ``word`` is in the vocabulary or has at least one n-gram."""
        return not self.is_oov(word) or self._ngram_indexes(word).size > 0

    def get_vector(self, word: str, norm: bool = False) -> np.ndarray:
        """The vector of ``word``: composed for vocabulary words (a read-only view), the mean of
        its n-gram rows otherwise; unit length with ``norm=True``. A KeyError naming the word
        if it has neither."""
        if not self.is_oov(word):
            return super().get_vector(word, norm=norm)
        rows = self._ngram_indexes(word)
        if rows.size == 0:
            raise KeyError(f"{word!r} is not in the vocabulary ({len(self)} keys) and has no "
                           f"{'jamo' if self.jamo else 'character'} n-grams (min_n={self.min_n}, "
                           f"max_n={self.max_n})")
        out = np.zeros(self.vector_size, dtype=np.float32)
        for r in rows:  # float32 accumulation in fastText's order (Vector::addRow)
            out += self.ngram_rows[r]
        out = out * np.float32(1.0 / rows.size)
        return _normalized(out) if norm else out

    def _has_vector(self, key: object) -> bool:
        return isinstance(key, str) and self.has_vector(key)

    def _rows(self, keys: list[str], norm: bool) -> tuple[np.ndarray, list[int]]:
        rows = np.empty((len(keys), self.vector_size), dtype=np.float32)
        idx = []
        for j, w in enumerate(keys):
            i = self.key_to_index.get(w)
            if i is not None:
                rows[j] = (self.unit_vectors if norm else self.vectors)[i]
                idx.append(i)
            else:
                rows[j] = self.get_vector(w, norm=norm)
        return rows, idx

    # ------------------------------------------------------------------ adding words
    def add_vectors(self, keys: str | Sequence[str], vectors: np.ndarray, replace: bool = False) -> None:
        """Add (or with ``replace``, overwrite) whole vocabulary words: ``kv[word]`` is then the
        vector given, n-grams included, and the n-gram rows are left untouched (they are shared
        with every other word). The word's own input row (:attr:`word_rows`) is set so that
        fastText's composition gives the vector back, ``(1 + k) * vector - sum(its k n-gram
        rows)``, so saving and loading (or a fastText ``.bin``) keeps it, up to float32
        rounding. A word new to the vocabulary stops being out-of-vocabulary: its n-gram vector
        is no longer used. Otherwise as :meth:`KeyedVectors.add_vectors`; gensim's
        ``FastTextKeyedVectors`` appends the vectors without updating its word rows, which its
        next ``adjust_vectors`` overwrites.
        """
        super().add_vectors(keys, vectors, replace=replace)

    def _own_rows(self, keys: list[str], rows: np.ndarray) -> np.ndarray:
        """Word rows whose composition with the words' n-gram rows gives back ``rows``."""
        own = np.empty_like(rows)
        for j, key in enumerate(keys):
            ids = self._ngram_indexes(key)
            if ids.size:
                ngrams = self.ngram_rows[ids].sum(axis=0, dtype=np.float64)
                own[j] = (ids.size + 1) * rows[j].astype(np.float64) - ngrams
            else:
                own[j] = rows[j]
        return own

    def _append_rows(self, keys: list[str], rows: np.ndarray) -> None:
        own = self._own_rows(keys, rows)
        n = self.word_rows.shape[0]
        grown = np.empty((n + len(keys), self.vector_size), dtype=np.float32)
        grown[:n] = self.word_rows
        grown[n:] = own
        super()._append_rows(keys, rows)
        self.word_rows = grown

    def _replace_rows(self, idx: np.ndarray, rows: np.ndarray) -> None:
        own = self._own_rows([self.index_to_key[i] for i in idx], rows)
        if not self.word_rows.flags.writeable:
            self.word_rows = np.array(self.word_rows, dtype=np.float32, order="C")
        self.word_rows[idx] = own
        super()._replace_rows(idx, rows)
