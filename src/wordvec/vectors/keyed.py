"""KeyedVectors: a set of keys, each with one float32 vector.

The only object that leaves training (besides ``SubwordVectors`` for FastText).
Queries follow gensim 4's ``KeyedVectors`` semantics (3CosAdd ``most_similar``,
Levy & Goldberg 2014's 3CosMul, ``doesnt_match``), with one name per operation.
It knows no file format: ``wordvec.save(kv, path, format=...)`` and ``wordvec.load(path)``
(:mod:`wordvec.io`) write and read it.

Large vocabularies can attach an approximate nearest-neighbour index (``kv.build_index()``,
extra ``ann``; :mod:`wordvec.vectors.ann`): ``most_similar(..., index=None)`` then searches it
once the vocabulary holds at least :data:`ANN_MIN_KEYS` keys, ``index="ann"`` always,
``index="exact"`` never. ``most_similar_batch`` answers many keys with one matrix product per
block of keys (exact).
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterable, Sequence

import numpy as np

from wordvec.vectors.search import top_k

__all__ = ["ANN_MIN_KEYS", "KeyedVectors"]

#: ``most_similar(index=None)`` searches an attached index from this many keys up; below it the
#: exact search takes under a millisecond anyway (benchmarks/RESULTS.md, "Queries at scale").
ANN_MIN_KEYS = 100_000
#: Scores computed at once by ``most_similar_batch``: rows x vocabulary, in float32 (128 MB).
_BATCH_SCORES = 1 << 25
#: ``most_similar_batch`` bounds each row's k-th best score by the maxima of chunks this long.
_BATCH_CHUNK = 32


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
        # C-speed checks first (400,000 keys in a few ms); the loop below only names the culprit.
        key_to_index: dict[str, int] = dict(zip(keys, range(len(keys))))
        if len(key_to_index) != len(keys) or not set(map(type, keys)) <= {str}:
            key_to_index = {}
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
        self._index = None  # an attached AnnIndex (wordvec.vectors.ann)
        self._index_checked = False
        self._all_finite: bool | None = None

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
        index: str | None = None,
    ) -> list[tuple[str, float]]:
        """Keys closest to the mean of ``positive`` minus ``negative`` unit vectors (3CosAdd).

        ``most_similar(positive=["king", "woman"], negative=["man"])`` answers
        "man is to king as woman is to ?". The query keys themselves are never returned.
        ``restrict_vocab`` searches only the first N keys (the most frequent, for trained models).

        ``index``: ``"exact"`` compares the query with every key; ``"ann"`` asks the attached
        approximate index (:meth:`build_index`) for candidates and scores them exactly (same
        scores, same exclusions; a neighbour may be missed: recall@10 was 0.91 with the default
        parameters on hard 400,000-word vectors, see benchmarks/RESULTS.md); ``None`` picks ``"ann"`` when an index is attached and the
        vocabulary holds at least :data:`ANN_MIN_KEYS` keys, else ``"exact"``.
        """
        pos, neg = self._terms(positive, "positive"), self._terms(negative, "negative")
        if not pos and not neg:
            raise ValueError("most_similar needs at least one positive or negative key")
        unit, idx = self._query_units(pos + neg)
        query = unit[: len(pos)].sum(axis=0) - unit[len(pos):].sum(axis=0)
        return self._search(query, topn, restrict_vocab, exclude=idx, index=index)

    def similar_by_vector(
        self, vector: np.ndarray, topn: int = 10, restrict_vocab: int | None = None, index: str | None = None
    ) -> list[tuple[str, float]]:
        """Keys closest (cosine) to an arbitrary vector; ``index`` as in :meth:`most_similar`."""
        vector = np.asarray(vector, dtype=np.float32)
        if vector.shape != (self.vector_size,):
            raise ValueError(f"vector must have shape ({self.vector_size},), got {vector.shape}")
        return self._search(vector, topn, restrict_vocab, exclude=(), index=index)

    def most_similar_batch(
        self, keys: Iterable[str], topn: int = 10, restrict_vocab: int | None = None
    ) -> list[list[tuple[str, float]]]:
        """``[most_similar(key, topn=topn, restrict_vocab=restrict_vocab) for key in keys]``,
        exact, with one matrix product per block of keys instead of one per key.

        Many times faster than the loop on large vocabularies (benchmarks/RESULTS.md): the
        vectors are read once per block of keys, and each key's best scores are found among
        the few that beat a bound taken from the maxima of short chunks of its scores.
        The results are the loop's (the scores may differ in the last bit of float32).
        """
        keys = self._terms(keys, "keys")
        if topn < 1:
            raise ValueError(f"topn must be >= 1, got {topn}")
        limit = self._limit(restrict_vocab)
        queries = np.empty((len(keys), self.vector_size), dtype=np.float32)
        excluded: list[list[int]] = []
        for j, key in enumerate(keys):  # _query_units per key: SubwordVectors builds OOV keys
            row, idx = self._query_units([key])
            norm = float(np.linalg.norm(row[0]))
            queries[j] = row[0] / norm if norm > 0 else row[0]
            excluded.append([i for i in idx if i < limit])
        unit = self.unit_vectors[:limit]
        sanitize = not self._finite_rows() or not np.isfinite(queries).all()
        block = max(1, min(len(keys), _BATCH_SCORES // max(limit, 1)))
        results: list[list[tuple[str, float]]] = []
        for start in range(0, len(keys), block):
            scores = queries[start:start + block] @ unit.T
            if sanitize:
                scores[~np.isfinite(scores)] = -np.inf
            for r, banned in enumerate(excluded[start:start + block]):
                scores[r, banned] = -np.inf
            results.extend(self._batch_pairs(scores, topn))
        return results

    def _batch_pairs(self, scores: np.ndarray, topn: int) -> list[list[tuple[str, float]]]:
        """The best ``topn`` of each row of ``scores`` (non-finite scores already -inf), chosen
        as ``_pairs`` chooses them. The ``topn``-th largest of a row's chunk maxima is a lower
        bound of its ``topn``-th best score, so only the chunks whose maximum reaches it (a few
        dozen) hold candidates: one pass over the scores (the maxima), then small arrays."""
        rows, n = scores.shape
        starts = np.arange(0, n, _BATCH_CHUNK)
        span = np.arange(_BATCH_CHUNK)
        out = []
        if len(starts) <= topn:
            for r in range(rows):
                out.append(self._candidate_pairs(np.arange(n), scores[r], topn))
            return out
        maxima = np.maximum.reduceat(scores, starts, axis=1)  # the last chunk may be shorter
        bound = np.partition(maxima, len(starts) - topn, axis=1)[:, len(starts) - topn]
        where_row, where_chunk = np.nonzero(maxima >= bound[:, None])
        cuts = np.searchsorted(where_row, np.arange(rows + 1))
        for r in range(rows):
            cols = (where_chunk[cuts[r]:cuts[r + 1], None] * _BATCH_CHUNK + span).ravel()
            if cols.size and cols[-1] >= n:
                cols = cols[cols < n]
            out.append(self._candidate_pairs(cols, scores[r, cols], topn))  # ascending: ties as in top_k
        return out

    def _candidate_pairs(self, ids: np.ndarray, scores: np.ndarray, topn: int) -> list[tuple[str, float]]:
        """The best ``topn`` of candidate rows ``ids`` (ascending) with their ``scores``;
        non-finite scores are left out."""
        valid = np.isfinite(scores)
        n_valid = int(np.count_nonzero(valid))
        if n_valid < scores.shape[0]:
            scores = np.where(valid, scores, -np.inf)
        best = top_k(scores, min(topn, n_valid))
        return [(self.index_to_key[int(ids[j])], float(scores[j])) for j in best]

    def _finite_rows(self) -> bool:
        """Whether every unit vector is finite (computed once)."""
        if self._all_finite is None:
            self._all_finite = bool(np.isfinite(self.unit_vectors).all())
        return self._all_finite

    # ------------------------------------------------------------------ ANN index
    @property
    def index(self):
        """The attached approximate nearest-neighbour index (:class:`wordvec.vectors.ann.AnnIndex`),
        or None. Attach one with :meth:`build_index`, by assigning a loaded one, or by saving it
        next to native vectors (``wordvec.load`` attaches it); assign None to detach."""
        return self._index

    @index.setter
    def index(self, value) -> None:
        # Checked against these keys and vectors on the first search (StaleIndexError), which
        # keeps loading fast: the check reads the whole matrix.
        self._index = value
        self._index_checked = False

    def build_index(self, *, threads: int | None = None, **params) -> object:
        """Build an approximate nearest-neighbour index (HNSW, extra ``ann``), attach it and
        return it. ``params``: ``connectivity``, ``expansion_add``, ``expansion_search``,
        ``dtype`` (defaults in :data:`wordvec.vectors.ann.DEFAULTS`); ``threads``: build threads
        (None: one per core). Save it next to native vectors with ``kv.index.save(path)``."""
        from wordvec.vectors.ann import AnnIndex

        built = AnnIndex.build(self, threads=threads, **params)
        self._index = built
        self._index_checked = True  # built from these very vectors
        return built

    def _use_index(self, index: str | None, limit: int) -> bool:
        if index not in (None, "exact", "ann"):
            raise ValueError(f"index must be None, 'exact' or 'ann', got {index!r}")
        if index == "exact":
            return False
        if index == "ann":
            if self._index is None:
                raise ValueError("index='ann' needs an index: build one with kv.build_index() (or "
                                 "`wordvec index PATH` next to saved vectors)")
            return True
        return self._index is not None and limit >= ANN_MIN_KEYS

    def _ann_search(self, query, topn, limit, exclude) -> list[tuple[str, float]] | None:
        """``_search`` through the index: its candidates, rescored exactly. None when the index
        cannot answer (restrict_vocab below a quarter of the keys, or too few candidates left
        after the exclusions): the caller then searches exactly."""
        if topn < 1:
            raise ValueError(f"topn must be >= 1, got {topn}")
        if not self._index_checked:
            self._index.check(self)
            self._index_checked = True
        n = len(self)
        if 4 * limit < n:
            return None
        if not np.isfinite(query).all():
            return []
        banned = sorted({i for i in exclude if i < limit})
        want = topn + len(banned)
        if limit < n:
            want = -(-want * n // limit)
        ids = self._index.search(query, want)
        if limit < n:
            ids = ids[ids < limit]
        if banned:
            ids = ids[~np.isin(ids, banned)]
        if ids.size < min(topn, limit - len(banned)):
            return None
        ids = np.sort(ids)
        if self._unit is not None:
            rows = self._unit[ids]
        else:  # the rows of unit_vectors, without computing the whole matrix
            with np.errstate(invalid="ignore", over="ignore"):
                rows = self.vectors[ids]
                norms = np.linalg.norm(rows, axis=1, keepdims=True)
                norms[norms == 0] = 1.0
                rows = (rows / norms).astype(np.float32, copy=False)
        return self._candidate_pairs(ids, rows @ query, topn)

    def _search(self, query, topn, restrict_vocab, exclude, index=None) -> list[tuple[str, float]]:
        limit = self._limit(restrict_vocab)
        norm = float(np.linalg.norm(query))
        if norm > 0:
            query = query / norm
        query = query.astype(np.float32, copy=False)
        if self._use_index(index, limit):
            try:
                found = self._ann_search(query, topn, limit, exclude)
            except ImportError:
                if index == "ann":
                    raise
                warnings.warn("an index is attached but usearch is not installed; searching exactly "
                              "(pip install 'wordvec[ann]')", RuntimeWarning, stacklevel=3)
                found = None
            if found is not None:
                return found
        scores = self.unit_vectors[:limit] @ query
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
