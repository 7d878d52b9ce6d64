"""The relations of gensim 4's ``KeyedVectors`` toolbox beyond nearest neighbours: means,
set similarities, distances, ranks, centrality and Word Mover's Distance (issue 15).

A mixin of :class:`wordvec.vectors.keyed.KeyedVectors` (and so of ``SubwordVectors``), kept
apart because these answer questions about given keys, where ``keyed.py`` holds the keys, the
rows and the neighbour search. The methods rely on ``KeyedVectors``' row access (``_rows``,
``_as_vector``, ``_has_vector``, ``unit_vectors``, ``most_similar``); each answers as gensim does
on the same keys and vectors, and says where it deliberately differs
(tests/vectors/test_keyed_toolbox.py compares them with gensim).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["Relations", "normalized"]

log = logging.getLogger("wordvec.vectors.keyed")


def normalized(vector: np.ndarray) -> np.ndarray:
    """``vector`` scaled to unit length, in its own dtype; a zero vector stays zero.

    >>> import numpy as np
    >>> normalized(np.array([3.0, 4.0])), normalized(np.zeros(2))
    (array([0.6, 0.8]), array([0., 0.]))
    """
    norm = float(np.linalg.norm(vector))
    return vector / vector.dtype.type(norm) if norm > 0 else vector


class Relations:
    """Means, set similarities, distances, ranks and WMD over a ``KeyedVectors``' keys.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors          # KeyedVectors inherits these methods
    >>> wv = KeyedVectors(["king", "queen", "man", "woman"],
    ...                   np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]]))
    >>> wv.get_mean_vector(["man", "woman"]).round(3)
    array([0. , 0.5, 0.5], dtype=float32)
    >>> round(wv.n_similarity(["king"], ["queen", "man"]), 3)
    0.816
    >>> wv.rank("king", "queen"), wv.closer_than("king", "woman")
    (2, ['queen', 'man'])
    """

    def _one_vector(self, key_or_vector, name: str) -> np.ndarray:
        """The raw vector of a key, or a vector checked for shape."""
        if isinstance(key_or_vector, np.ndarray):
            return self._as_vector(key_or_vector, name)
        if not isinstance(key_or_vector, str):
            raise TypeError(f"{name} must be a key (str) or a vector (numpy array), "
                            f"got {type(key_or_vector).__name__}: {key_or_vector!r}")
        return self._rows([key_or_vector], norm=False)[0][0]

    def get_mean_vector(
        self,
        keys: Iterable[str | np.ndarray] | np.ndarray,
        weights: Sequence[float] | np.ndarray | None = None,
        pre_normalize: bool = True,
        post_normalize: bool = False,
        ignore_missing: bool = True,
    ) -> np.ndarray:
        """Weighted mean of the vectors of ``keys`` (keys or vectors; a 2-D array gives its rows).

        As gensim: ``sum(weight * vector) / sum(|weight|)`` over the items used; keys enter as
        unit vectors with ``pre_normalize`` (vectors always as given); ``post_normalize``
        scales the mean to unit length; a key without a vector is skipped with
        ``ignore_missing`` (logged at INFO level) and raises ``KeyError`` otherwise; if nothing
        is used the mean is the zero vector. Returns float32 of shape ``(vector_size,)``.
        Unlike gensim, a single str is refused (gensim iterates over its characters).
        """
        if isinstance(keys, (str, bytes, bytearray)) or (isinstance(keys, np.ndarray) and keys.ndim != 2):
            raise TypeError(f"keys must be a list of keys (str) or vectors, or a 2-D array of vectors, got "
                            f"{type(keys).__name__}: {keys!r}" + (f" (use [{keys!r}] for one key)"
                                                                   if isinstance(keys, str) else ""))
        if not isinstance(keys, Iterable):
            raise TypeError(f"keys must be a list of keys (str) or vectors, got {type(keys).__name__}: {keys!r}")
        items = self._query_terms(list(keys) if not isinstance(keys, np.ndarray) else keys, "keys")
        if not items:
            raise ValueError("get_mean_vector needs at least one key or vector")
        if weights is None:
            w = np.ones(len(items))
        else:
            w = np.asarray(weights, dtype=np.float64)
            if w.shape != (len(items),):
                raise ValueError(f"weights must hold one number per key ({len(items)}), got shape {w.shape}")
        rows = np.zeros((len(items), self.vector_size), dtype=np.float32)
        used = np.zeros(len(items), dtype=bool)
        present, missing = [], []
        for j, item in enumerate(items):
            if not isinstance(item, str):
                rows[j] = item
                used[j] = True
            elif self._has_vector(item):
                present.append(j)
            else:
                missing.append(item)
        if missing:
            if not ignore_missing:
                self._rows([missing[0]], norm=False)  # the KeyError that names it
            log.info("get_mean_vector: skipped %d key(s) without a vector: %s", len(missing),
                     ", ".join(repr(k) for k in missing[:10]) + (", ..." if len(missing) > 10 else ""))
        if present:
            rows[present] = self._rows([items[j] for j in present], norm=pre_normalize)[0]
            used[present] = True
        total = float(np.abs(w[used]).sum())
        mean = (w[used, None] * rows[used]).sum(axis=0)
        if total > 0:
            mean = mean / total
        mean = mean.astype(np.float32)
        return normalized(mean) if post_normalize else mean

    def n_similarity(self, keys1: str | Iterable[str], keys2: str | Iterable[str]) -> float:
        """Cosine similarity of the means of two lists of keys (raw vectors, as gensim).

        Unlike gensim, whose mean skips unknown keys silently, an unknown key raises a
        ``KeyError`` naming it, and an empty list a ``ValueError`` (gensim: ZeroDivisionError).
        """
        k1, k2 = self._terms(keys1, "keys1"), self._terms(keys2, "keys2")
        if not k1 or not k2:
            raise ValueError(f"n_similarity needs at least one key in each list, got {len(k1)} and {len(k2)}")
        m1 = self._rows(k1, norm=False)[0].astype(np.float64).mean(axis=0)
        m2 = self._rows(k2, norm=False)[0].astype(np.float64).mean(axis=0)
        return float(np.dot(normalized(m1), normalized(m2)))

    @staticmethod
    def cosine_similarities(vector_1: np.ndarray, vectors_all: np.ndarray) -> np.ndarray:
        """Cosine similarity of ``vector_1`` (shape ``(d,)``) with each row of ``vectors_all``
        (shape ``(n, d)``), in the inputs' float precision (float32 at least). A zero vector
        has similarity 0 (gensim divides by its zero norm: NaN)."""
        v, m = np.asarray(vector_1), np.asarray(vectors_all)
        if v.ndim != 1:
            raise ValueError(f"vector_1 must be a 1-D array, got shape {v.shape}")
        if m.ndim != 2 or m.shape[1] != v.shape[0]:
            raise ValueError(f"vectors_all must have shape (n, {v.shape[0]}), got {m.shape}")
        dtype = np.result_type(v.dtype, m.dtype, np.float32)
        v, m = v.astype(dtype, copy=False), m.astype(dtype, copy=False)
        with np.errstate(invalid="ignore", over="ignore"):
            denominator = np.linalg.norm(m, axis=1) * np.linalg.norm(v)
            dots = m @ v
            return np.divide(dots, denominator, out=np.zeros_like(dots), where=denominator != 0)

    def distances(self, key_or_vector: str | np.ndarray, other_keys: str | Iterable[str] | None = ()) -> np.ndarray:
        """Cosine distances (``1 - cosine``, float32) from a key or a vector to each of
        ``other_keys``, or to every key in index order (itself included) when ``other_keys``
        is empty or None. A zero vector is at distance 1 from everything (gensim: NaN)."""
        query = normalized(self._one_vector(key_or_vector, "key_or_vector"))
        others = self._terms(other_keys, "other_keys")
        units = self._query_units(others)[0] if others else self.unit_vectors
        return 1.0 - units @ query

    def closer_than(self, key1: str, key2: str) -> list[str]:
        """Every key closer (cosine distance) to ``key1`` than ``key2`` is, in index order,
        ``key1`` itself left out (gensim's ``closer_than``; keys at exactly ``key2``'s distance,
        ``key2`` among them, are not closer)."""
        if not isinstance(key1, str) or not isinstance(key2, str):
            bad = key1 if not isinstance(key1, str) else key2
            raise TypeError(f"closer_than compares keys (str), got {type(bad).__name__}: {bad!r}")
        everything = self.distances(key1)
        i2 = self.key_to_index.get(key2)
        threshold = everything[i2] if i2 is not None else self.distances(key1, [key2])[0]
        i1 = self.key_to_index.get(key1)
        return [self.index_to_key[i] for i in np.flatnonzero(everything < threshold) if i != i1]

    def rank(self, key1: str, key2: str) -> int:
        """Rank of ``key2`` among the neighbours of ``key1``: ``len(closer_than(key1, key2)) + 1``."""
        return len(self.closer_than(key1, key2)) + 1

    def most_similar_to_given(self, key1: str, keys_list: Iterable[str]) -> str:
        """The key of ``keys_list`` most similar (cosine) to ``key1``; the first on a tie."""
        if not isinstance(key1, str):
            raise TypeError(f"key1 must be a key (str), got {type(key1).__name__}: {key1!r}")
        keys = self._terms(keys_list, "keys_list")
        if not keys:
            raise ValueError("most_similar_to_given needs at least one key in keys_list")
        rows, _ = self._query_units([key1, *keys])
        return keys[int(np.argmax(rows[1:] @ rows[0]))]

    def relative_cosine_similarity(self, key1: str, key2: str, topn: int = 10) -> float:
        """Relative cosine similarity (Leeuwenberg et al. 2016, eq. 1): ``similarity(key1,
        key2)`` divided by the sum of the similarities of ``key1``'s ``topn`` nearest keys
        (an exact search). Above ``1 / topn`` (0.1 for 10), ``key2`` is closer to ``key1``
        than an average top-``topn`` neighbour, a sign of synonymy in the paper."""
        if topn is None:
            raise ValueError("relative_cosine_similarity needs an int topn, got None")
        neighbours = self.most_similar(key1, topn=topn, index="exact")
        if not neighbours:
            raise ValueError(f"relative_cosine_similarity: {key1!r} has no neighbour to compare with")
        total = sum(score for _, score in neighbours)
        if total == 0:
            raise ValueError(f"relative_cosine_similarity: the similarities of {key1!r}'s {topn} nearest keys sum to 0")
        return self.similarity(key1, key2) / total

    def rank_by_centrality(self, words: Iterable[str], use_norm: bool = True) -> list[tuple[float, str]]:
        """``(score, key)`` pairs, the key closest to the centroid of ``words`` first: the
        score is the dot product with the unit-length mean of the keys' vectors (unit vectors
        with ``use_norm``, as gensim; a cosine then). Unlike gensim, an unknown key raises a
        ``KeyError`` (gensim drops it with a warning) and equal scores keep the order of
        ``words`` (gensim orders ties by key, descending)."""
        words = self._terms(words, "words")
        if not words:
            raise ValueError("rank_by_centrality needs at least one key")
        rows, _ = self._rows(words, norm=use_norm)
        scores = rows @ normalized(rows.astype(np.float32).mean(axis=0))
        order = np.argsort(-scores, kind="stable")
        return [(float(scores[i]), words[i]) for i in order]

    def wmdistance(self, document1: Sequence[str], document2: Sequence[str], norm: bool = True) -> float:
        """Word Mover's Distance (Kusner et al. 2015) between two documents (lists of keys),
        as gensim computes it; needs POT (``pip install 'wordvec[wmd]'``). See
        :func:`wordvec.vectors.wmd.wmdistance`."""
        from wordvec.vectors.wmd import wmdistance

        return wmdistance(self, document1, document2, norm=norm)
