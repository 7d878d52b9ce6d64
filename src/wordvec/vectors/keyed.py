"""KeyedVectors: a set of keys, each with one float32 vector.

The only object that leaves training (besides ``SubwordVectors`` for FastText).
Queries follow gensim 4's ``KeyedVectors`` semantics (3CosAdd ``most_similar``,
Levy & Goldberg 2014's 3CosMul, ``doesnt_match``), with one name per operation.
It knows no file format: ``wordvec.save(kv, path, format=...)`` and ``wordvec.load(path)``
(:mod:`wordvec.io`) write and read it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import numpy as np

from wordvec.vectors.search import top_k

__all__ = ["KeyedVectors"]


class KeyedVectors:
    """Keys mapped to rows of a float32 matrix.

    Parameters
    ----------
    keys:
        Unique strings, in index order (trained models store the most frequent first).
    vectors:
        A 2-D array with one row per key. Stored as float32, C-contiguous; a read-only
        float32 memory map is kept as it is (not copied).
    counts:
        Optional corpus frequency of each key (int64).
    """

    def __init__(self, keys: Sequence[str], vectors: np.ndarray, counts: np.ndarray | None = None):
        keys = list(keys)
        vectors = np.asarray(vectors)
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be a 2-D array, got shape {vectors.shape}")
        if vectors.shape[0] != len(keys):
            raise ValueError(f"{len(keys)} keys but {vectors.shape[0]} vector rows")
        if vectors.dtype != np.float32 or not vectors.flags.c_contiguous:
            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        key_to_index: dict[str, int] = {}
        for i, key in enumerate(keys):
            if not isinstance(key, str):
                raise TypeError(f"key #{i} is {type(key).__name__}, not str: {key!r}")
            if key in key_to_index:
                raise ValueError(f"duplicate key {key!r} at indexes {key_to_index[key]} and {i}")
            key_to_index[key] = i
        if counts is not None:
            counts = np.asarray(counts, dtype=np.int64)
            if counts.shape != (len(keys),):
                raise ValueError(f"counts must have shape ({len(keys)},), got {counts.shape}")
        self.index_to_key: list[str] = keys
        self.key_to_index: dict[str, int] = key_to_index
        self.vectors: np.ndarray = vectors
        self.counts: np.ndarray | None = counts
        self._unit: np.ndarray | None = None

    # ------------------------------------------------------------------ basics
    @property
    def vector_size(self) -> int:
        return int(self.vectors.shape[1])

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, key: object) -> bool:
        return key in self.key_to_index

    def __iter__(self):
        return iter(self.index_to_key)

    def __getitem__(self, key: str) -> np.ndarray:
        return self.vectors[self.get_index(key)]

    def __repr__(self) -> str:
        return f"KeyedVectors({len(self)} keys, {self.vector_size} dimensions)"

    def get_index(self, key: str) -> int:
        """Index of ``key``; a KeyError that names it and suggests close keys otherwise."""
        if not isinstance(key, str):
            raise TypeError(f"keys are strings, got {type(key).__name__}: {key!r}")
        try:
            return self.key_to_index[key]
        except KeyError:
            raise KeyError(self._unknown_message(key)) from None

    def _unknown_message(self, key: object) -> str:
        msg = f"{key!r} is not in the vocabulary ({len(self)} keys)"
        if isinstance(key, str) and self.index_to_key:
            # Search the most frequent keys first: the cost stays bounded on huge vocabularies.
            pool = self.index_to_key[:50000]
            close = difflib.get_close_matches(key, pool, n=3, cutoff=0.75)
            lowered = key.lower()
            if lowered != key and lowered in self.key_to_index and lowered not in close:
                close.insert(0, lowered)
            if close:
                msg += "; did you mean " + ", ".join(repr(c) for c in close) + "?"
        return msg

    @property
    def unit_vectors(self) -> np.ndarray:
        """Rows scaled to unit length (zero rows stay zero), computed once and cached.

        A row holding NaN or infinity (loaded with ``allow_nonfinite=True``) gives a NaN row
        here; the searches skip the keys whose similarity is not a number."""
        if self._unit is None:
            with np.errstate(invalid="ignore", over="ignore"):
                norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
                norms[norms == 0] = 1.0
                self._unit = (self.vectors / norms).astype(np.float32, copy=False)
        return self._unit

    def unit_vector(self, key: str) -> np.ndarray:
        return self.unit_vectors[self.get_index(key)]

    # ----------------------------------------------------------------- queries
    def similarity(self, key1: str, key2: str) -> float:
        """Cosine similarity of two keys."""
        unit, _ = self._query_units([key1, key2])
        return float(np.dot(unit[0], unit[1]))

    def distance(self, key1: str, key2: str) -> float:
        """Cosine distance, ``1 - similarity``."""
        return 1.0 - self.similarity(key1, key2)

    def _query_units(self, words: list[str]) -> tuple[np.ndarray, list[int]]:
        """Unit vectors of the query keys ``words`` (one row each) and the indexes of those
        that are in the vocabulary (left out of results). The one hook the queries share:
        ``SubwordVectors`` overrides it to build out-of-vocabulary words from n-grams."""
        idx = [self.get_index(w) for w in words]
        return self.unit_vectors[idx], idx

    def _terms(self, words, name: str) -> list[str]:
        if words is None:
            return []
        if isinstance(words, str):
            return [words]
        if isinstance(words, (bytes, bytearray)) or not isinstance(words, Iterable):
            raise TypeError(f"{name} must be a key (str) or a list of keys, got {type(words).__name__}: {words!r}")
        words = list(words)
        for w in words:
            if not isinstance(w, str):
                raise TypeError(f"{name} must hold keys (str), got {type(w).__name__}: {w!r}")
        return words

    def _limit(self, restrict_vocab: int | None) -> int:
        n = len(self)
        if restrict_vocab is None:
            return n
        if restrict_vocab < 1:
            raise ValueError(f"restrict_vocab must be >= 1, got {restrict_vocab}")
        return min(int(restrict_vocab), n)

    def most_similar(
        self,
        positive: str | Iterable[str] | None = None,
        negative: str | Iterable[str] | None = None,
        topn: int = 10,
        restrict_vocab: int | None = None,
    ) -> list[tuple[str, float]]:
        """Keys closest to the mean of ``positive`` minus ``negative`` unit vectors (3CosAdd).

        ``most_similar(positive=["king", "woman"], negative=["man"])`` answers
        "man is to king as woman is to ?". The query keys themselves are never returned.
        ``restrict_vocab`` searches only the first N keys (the most frequent, for trained models).
        """
        pos, neg = self._terms(positive, "positive"), self._terms(negative, "negative")
        if not pos and not neg:
            raise ValueError("most_similar needs at least one positive or negative key")
        unit, idx = self._query_units(pos + neg)
        query = unit[: len(pos)].sum(axis=0) - unit[len(pos):].sum(axis=0)
        return self._search(query, topn, restrict_vocab, exclude=idx)

    def similar_by_vector(
        self, vector: np.ndarray, topn: int = 10, restrict_vocab: int | None = None
    ) -> list[tuple[str, float]]:
        """Keys closest (cosine) to an arbitrary vector."""
        vector = np.asarray(vector, dtype=np.float32)
        if vector.shape != (self.vector_size,):
            raise ValueError(f"vector must have shape ({self.vector_size},), got {vector.shape}")
        return self._search(vector, topn, restrict_vocab, exclude=())

    def _search(self, query, topn, restrict_vocab, exclude) -> list[tuple[str, float]]:
        limit = self._limit(restrict_vocab)
        norm = float(np.linalg.norm(query))
        if norm > 0:
            query = query / norm
        scores = self.unit_vectors[:limit] @ query.astype(np.float32)
        banned = sorted({i for i in exclude if i < limit})
        if banned:
            scores[banned] = -np.inf
        return self._pairs(scores, topn)

    def _pairs(self, scores: np.ndarray, topn: int) -> list[tuple[str, float]]:
        """The ``topn`` best keys; banned keys (score -inf) and keys whose score is not a number
        (a row or a query holding NaN or infinity) are left out."""
        if topn < 1:
            raise ValueError(f"topn must be >= 1, got {topn}")
        valid = np.isfinite(scores)
        n_valid = int(np.count_nonzero(valid))
        if n_valid < scores.shape[0]:
            scores[~valid] = -np.inf
        best = top_k(scores, min(topn, n_valid))
        return [(self.index_to_key[i], float(scores[i])) for i in best]

    def most_similar_cosmul(
        self,
        positive: str | Iterable[str] | None = None,
        negative: str | Iterable[str] | None = None,
        topn: int = 10,
        restrict_vocab: int | None = None,
    ) -> list[tuple[str, float]]:
        """3CosMul (Levy & Goldberg 2014): argmax prod cos(x, p) / (prod cos(x, n) + 1e-6).

        Cosines are shifted to [0, 1] with ``(1 + cos) / 2`` as in the paper and gensim.
        """
        pos, neg = self._terms(positive, "positive"), self._terms(negative, "negative")
        if not pos:
            raise ValueError("most_similar_cosmul needs at least one positive key")
        query, idx = self._query_units(pos + neg)
        limit = self._limit(restrict_vocab)
        cos = (1.0 + self.unit_vectors[:limit] @ query.T) / 2.0  # (limit, len(pos + neg))
        scores = np.prod(cos[:, : len(pos)], axis=1)
        if neg:
            scores = scores / (np.prod(cos[:, len(pos):], axis=1) + 1e-6)
        banned = sorted({i for i in idx if i < limit})
        scores = scores.astype(np.float32)
        if banned:
            scores[banned] = -np.inf
        return self._pairs(scores, topn)

    def doesnt_match(self, words: Iterable[str]) -> str:
        """The key furthest from the mean of the others (odd one out)."""
        words = self._terms(words, "words")
        if len(words) < 2:
            raise ValueError("doesnt_match needs at least two keys")
        unit, _ = self._query_units(words)
        mean = unit.mean(axis=0)
        norm = np.linalg.norm(mean)
        if norm > 0:
            mean = mean / norm
        return words[int(np.argmin(unit @ mean))]
