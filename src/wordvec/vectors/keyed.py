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

The rest of gensim 4's ``KeyedVectors`` toolbox answers as gensim does on the same keys and
vectors (issue 15; tests/vectors/test_keyed_toolbox.py compares them): ``get_vector(key,
norm=...)``, ``kv[["a", "b"]]``, ``get_mean_vector``, ``n_similarity``, ``distances``,
``cosine_similarities``, ``closer_than``, ``rank``, ``most_similar_to_given``,
``similar_by_key`` (and gensim's older name ``similar_by_word``),
``relative_cosine_similarity``, ``rank_by_centrality``, ``add_vectors`` / ``kv[key] = vector``,
``fill_norms`` / ``norms``, vectors as well as keys in ``most_similar``'s and
``most_similar_cosmul``'s ``positive``/``negative``, ``topn=None`` for every score, and Word
Mover's Distance (``wmdistance``, extra ``wmd``: :mod:`wordvec.vectors.wmd`). The relations among
given keys (means, set similarities, distances, ranks, WMD) live in the mixin
:class:`wordvec.vectors.relations.Relations`.

Where wordvec deliberately answers differently from gensim, the method's docstring says so. The
differences shared by every method: keys are strings (gensim also takes integer indexes); an
unknown key raises a ``KeyError`` that names it (gensim's ``n_similarity``,
``get_mean_vector(ignore_missing=False)`` aside, and ``rank_by_centrality`` skip unknown keys);
a zero vector has cosine 0 with everything (gensim divides by its zero norm: NaN);
``topn < 1`` raises ``ValueError`` (gensim returns ``[]``); vectors returned for a key are
read-only views (as gensim's ``get_vector``), so that the cached unit vectors cannot go stale.
"""

from __future__ import annotations

import difflib
import logging
import warnings
from collections.abc import Iterable, Sequence

import numpy as np

from wordvec.vectors.relations import Relations
from wordvec.vectors.relations import normalized as _normalized
from wordvec.vectors.search import dots, top_k

__all__ = ["ANN_MIN_KEYS", "KeyedVectors"]

#: ``most_similar(index=None)`` searches an attached index from this many keys up; below it the
#: exact search takes under a millisecond anyway (benchmarks/RESULTS.md, "Queries at scale").
ANN_MIN_KEYS = 100_000
#: ``most_similar_batch``: keys scored together (one matrix product per tile of the vectors), at
#: most; fewer on a vocabulary so large that their chunk maxima would pass _BATCH_MAXIMA floats.
_BATCH_KEYS = 1024
_BATCH_MAXIMA = 1 << 24
#: ``most_similar_batch``: vector rows per product (a tile's scores, rows x keys in float32, are
#: 16 MB: they stay in cache while their chunk maxima are taken, and are never kept). Measured
#: on 400,000 x 100 vectors (benchmarks/RESULTS.md): 1,024 keys x 4,096 rows 0.62 s for 1,000
#: keys, 256 x 16,384 0.83 s.
_BATCH_TILE = 1 << 12
#: ``most_similar_batch`` bounds each key's k-th best score by the maxima of chunks this long.
_BATCH_CHUNK = 32

log = logging.getLogger(__name__)


def _check_topn(topn) -> None:
    """``topn`` is a positive int, or None (every score)."""
    if topn is None:
        return
    if isinstance(topn, bool) or not isinstance(topn, (int, np.integer)):
        raise TypeError(f"topn must be an int or None, got {type(topn).__name__}: {topn!r}")
    if topn < 1:
        raise ValueError(f"topn must be >= 1, got {topn}")


class KeyedVectors(Relations):
    """Keys mapped to rows of a float32 matrix.

    >>> import numpy as np
    >>> wv = KeyedVectors(["king", "queen", "man", "woman"],
    ...                   np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]]))
    >>> wv
    KeyedVectors(4 keys, 3 dimensions)
    >>> wv["queen"]
    array([1., 0., 1.], dtype=float32)
    >>> round(wv.similarity("king", "queen"), 3)
    0.5
    >>> [(word, round(score, 3)) for word, score in wv.most_similar(positive=["king", "woman"], negative=["man"])]
    [('queen', 0.959)]

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
        self._norms: np.ndarray | None = None
        self._index = None  # an attached AnnIndex (wordvec.vectors.ann)
        self._index_checked = False
        self._all_finite: bool | None = None

    @classmethod
    def _from_checked(cls, keys: list[str], vectors: np.ndarray, counts: np.ndarray | None,
                      key_to_index: dict[str, int]) -> KeyedVectors:
        """For loaders that have already built ``key_to_index`` (unique ``str`` keys, in order), a
        C-contiguous float32 ``vectors`` and int64 ``counts`` (or None): no second pass over 400,000
        keys."""
        self = cls.__new__(cls)
        cls.__init__(self, [], np.empty((0, vectors.shape[1]), dtype=np.float32))
        self.index_to_key, self.key_to_index, self.vectors, self.counts = keys, key_to_index, vectors, counts
        return self

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

    def __getitem__(self, key_or_keys: str | list[str] | tuple[str, ...]) -> np.ndarray:
        """``kv["king"]``: the key's vector (:meth:`get_vector`, a read-only view);
        ``kv[["king", "queen"]]`` (a list or tuple of keys): one row per key, a 2-D copy (an
        empty list gives shape ``(0, vector_size)``, where gensim's ``vstack`` raises)."""
        if isinstance(key_or_keys, (list, tuple)):
            return self._rows(self._terms(key_or_keys, "keys"), norm=False)[0]
        return self.get_vector(key_or_keys)

    def __setitem__(self, keys: str | list[str] | tuple[str, ...], vectors: np.ndarray) -> None:
        """``kv["new"] = vector`` or ``kv[["a", "b"]] = matrix``: :meth:`add_vectors` with
        ``replace=True`` (existing keys get the new vectors, new keys are appended)."""
        self.add_vectors(keys, vectors, replace=True)

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

    def get_vector(self, key: str, norm: bool = False) -> np.ndarray:
        """The vector of ``key`` (a read-only view of its row, as in gensim), scaled to unit
        length with ``norm=True`` (a zero vector stays zero; gensim divides by 0: NaN)."""
        row = (self.unit_vectors if norm else self.vectors)[self.get_index(key)]
        row.flags.writeable = False  # writes must go through add_vectors (caches, index)
        return row

    def unit_vector(self, key: str) -> np.ndarray:
        """``get_vector(key, norm=True)``."""
        return self.get_vector(key, norm=True)

    @property
    def norms(self) -> np.ndarray:
        """Euclidean length of each row (float32, read-only), computed once and cached."""
        if self._norms is None:
            with np.errstate(invalid="ignore", over="ignore"):
                norms = np.linalg.norm(self.vectors, axis=1).astype(np.float32, copy=False)
            norms.flags.writeable = False
            self._norms = norms
        return self._norms

    @property
    def unit_vectors(self) -> np.ndarray:
        """Rows scaled to unit length (zero rows stay zero), computed once and cached
        (read-only: :meth:`add_vectors` or ``fill_norms(force=True)`` renews it).

        A row holding NaN or infinity (loaded with ``allow_nonfinite=True``) gives a NaN row
        here; the searches skip the keys whose similarity is not a number."""
        if self._unit is None:
            norms = self.norms[:, None].copy()
            norms[norms == 0] = 1.0
            with np.errstate(invalid="ignore", over="ignore"):
                unit = (self.vectors / norms).astype(np.float32, copy=False)
            unit.flags.writeable = False
            self._unit = unit
        return self._unit

    def fill_norms(self, force: bool = False) -> None:
        """Compute and cache :attr:`norms` and :attr:`unit_vectors` now (they are otherwise
        computed on first use). ``force=True`` recomputes them: call it after writing into
        ``kv.vectors`` in place, which wordvec cannot see (it also makes an attached
        approximate index check its fingerprint again before its next answer, so that an
        index built for the old vectors raises ``StaleIndexError`` instead of answering).
        :meth:`add_vectors` and ``kv[key] = vector`` need no call: they renew the caches."""
        if force:
            self._forget_cached()
            self._index_checked = False
        self.unit_vectors  # noqa: B018 (fills both caches)

    def _forget_cached(self) -> None:
        self._unit = None
        self._norms = None
        self._all_finite = None

    # ----------------------------------------------------------------- queries
    def similarity(self, key1: str, key2: str) -> float:
        """Cosine similarity of two keys."""
        unit, _ = self._query_units([key1, key2])
        return float(np.dot(unit[0], unit[1]))

    def distance(self, key1: str, key2: str) -> float:
        """Cosine distance, ``1 - similarity``."""
        return 1.0 - self.similarity(key1, key2)

    def _rows(self, keys: list[str], norm: bool) -> tuple[np.ndarray, list[int]]:
        """The vectors of ``keys`` (one row each, a copy; unit length with ``norm``) and the
        indexes of those that are in the vocabulary (left out of search results). The one
        hook the queries share: ``SubwordVectors`` overrides it to build out-of-vocabulary
        words from n-grams."""
        idx = [self.get_index(k) for k in keys]
        rows = (self.unit_vectors if norm else self.vectors)[idx]
        return rows.view(np.ndarray), idx

    def _query_units(self, words: list[str]) -> tuple[np.ndarray, list[int]]:
        """``_rows(words, norm=True)``: unit vectors of query keys and their vocabulary indexes."""
        return self._rows(words, norm=True)

    def _has_vector(self, key: object) -> bool:
        """Whether ``key`` has a vector (``SubwordVectors``: also from its n-grams)."""
        return isinstance(key, str) and key in self.key_to_index

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

    def _as_vector(self, value: np.ndarray, name: str) -> np.ndarray:
        """``value`` as a float32 vector of this model's size, or a ValueError naming ``name``."""
        try:
            vector = np.asarray(value, dtype=np.float32)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must hold keys (str) or numeric vectors, got an array of "
                            f"{np.asarray(value).dtype}") from None
        if vector.shape != (self.vector_size,):
            raise ValueError(f"{name}: a vector must have shape ({self.vector_size},), got {vector.shape}")
        return vector

    def _query_terms(self, value, name: str) -> list[str | np.ndarray]:
        """Keys and vectors: a key, a 1-D array, a 2-D array (its rows) or an iterable of keys
        and 1-D arrays (gensim's ``_ensure_list``, without its ``(key, weight)`` pairs)."""
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, np.ndarray):
            if value.ndim == 1:
                return [self._as_vector(value, name)]
            if value.ndim == 2:
                return [self._as_vector(row, name) for row in value]
            raise ValueError(f"{name}: vectors must be a 1-D array or the rows of a 2-D array, got shape {value.shape}")
        if isinstance(value, (bytes, bytearray)) or not isinstance(value, Iterable):
            raise TypeError(f"{name} must be a key (str), a vector or a list of them, "
                            f"got {type(value).__name__}: {value!r}")
        terms: list[str | np.ndarray] = []
        for item in value:
            if isinstance(item, str):
                terms.append(item)
            elif isinstance(item, np.ndarray):
                terms.append(self._as_vector(item, name))
            else:
                raise TypeError(f"{name} must hold keys (str) or vectors (numpy arrays), "
                                f"got {type(item).__name__}: {item!r}")
        return terms

    def _term_rows(self, terms: list[str | np.ndarray], normalize_vectors: bool) -> tuple[np.ndarray, list[int]]:
        """One row per term: a key's unit vector, a vector as given (unit length with
        ``normalize_vectors``); and the vocabulary indexes of the keys."""
        keys = [t for t in terms if isinstance(t, str)]
        if len(keys) == len(terms):
            return self._query_units(keys)
        units, idx = self._query_units(keys) if keys else (None, [])
        rows = np.empty((len(terms), self.vector_size), dtype=np.float32)
        k = 0
        for j, term in enumerate(terms):
            if isinstance(term, str):
                rows[j] = units[k]
                k += 1
            else:
                rows[j] = _normalized(term) if normalize_vectors else term
        return rows, idx

    def _limit(self, restrict_vocab: int | None) -> int:
        n = len(self)
        if restrict_vocab is None:
            return n
        if restrict_vocab < 1:
            raise ValueError(f"restrict_vocab must be >= 1, got {restrict_vocab}")
        return min(int(restrict_vocab), n)

    def most_similar(
        self,
        positive: str | np.ndarray | Iterable[str | np.ndarray] | None = None,
        negative: str | np.ndarray | Iterable[str | np.ndarray] | None = None,
        topn: int | None = 10,
        restrict_vocab: int | None = None,
        index: str | None = None,
    ) -> list[tuple[str, float]] | np.ndarray:
        """Keys closest to the mean of ``positive`` minus ``negative`` unit vectors (3CosAdd).

        ``most_similar(positive=["king", "woman"], negative=["man"])`` answers
        "man is to king as woman is to ?". The query keys themselves are never returned.
        ``restrict_vocab`` searches only the first N keys (the most frequent, for trained models).

        ``positive`` and ``negative`` take vectors (numpy arrays) as well as keys, as gensim's
        do: a key adds its unit vector, a vector is added as given (not normalised, as in
        gensim: scale it to unit length to weigh it like a key), and a vector excludes nothing
        from the results. gensim's ``(key, weight)`` pairs are not taken: weigh with
        :meth:`get_mean_vector` and search with :meth:`similar_by_vector`.

        ``topn=None`` returns every score instead: a float32 array of the cosines of the first
        ``restrict_vocab`` keys (all keys by default) in index order, the query keys included,
        always computed exactly (as gensim, except that a zero row scores 0, not NaN).

        ``index``: ``"exact"`` compares the query with every key; ``"ann"`` asks the attached
        approximate index (:meth:`build_index`) for candidates and scores them exactly (the
        same cosines up to float32 rounding, same exclusions; a neighbour may be missed:
        recall@10 was 0.987 with the default parameters on 400,000 skip-gram vectors, 0.944 on a
        hard set of barely trained ones; raise ``kv.index.expansion_search`` for more, see
        benchmarks/RESULTS.md); ``None`` picks
        ``"ann"`` when an index is attached and the vocabulary holds at least
        :data:`ANN_MIN_KEYS` keys, else ``"exact"``.
        """
        pos, neg = self._query_terms(positive, "positive"), self._query_terms(negative, "negative")
        if not pos and not neg:
            raise ValueError("most_similar needs at least one positive or negative key (or vector)")
        _check_topn(topn)
        rows, idx = self._term_rows(pos + neg, normalize_vectors=False)
        query = rows[: len(pos)].sum(axis=0) - rows[len(pos):].sum(axis=0)
        if topn is None:
            return self._all_scores(query, restrict_vocab, index)
        return self._search(query, topn, restrict_vocab, exclude=idx, index=index)

    def similar_by_key(
        self, key: str, topn: int | None = 10, restrict_vocab: int | None = None, index: str | None = None
    ) -> list[tuple[str, float]] | np.ndarray:
        """``most_similar(key, topn=topn, restrict_vocab=restrict_vocab, index=index)``: the keys
        closest to one key (gensim's name; ``topn=None`` gives every score)."""
        if not isinstance(key, str):
            raise TypeError(f"key must be a key (str), got {type(key).__name__}: {key!r}")
        return self.most_similar(key, topn=topn, restrict_vocab=restrict_vocab, index=index)

    def similar_by_word(
        self, word: str, topn: int | None = 10, restrict_vocab: int | None = None, index: str | None = None
    ) -> list[tuple[str, float]] | np.ndarray:
        """:meth:`similar_by_key` under gensim's older name (kept for code written for gensim)."""
        return self.similar_by_key(word, topn=topn, restrict_vocab=restrict_vocab, index=index)

    def similar_by_vector(
        self, vector: np.ndarray, topn: int | None = 10, restrict_vocab: int | None = None, index: str | None = None
    ) -> list[tuple[str, float]] | np.ndarray:
        """Keys closest (cosine) to an arbitrary vector; ``topn`` (None: every score) and
        ``index`` as in :meth:`most_similar`."""
        vector = np.asarray(vector, dtype=np.float32)
        if vector.shape != (self.vector_size,):
            raise ValueError(f"vector must have shape ({self.vector_size},), got {vector.shape}")
        _check_topn(topn)
        if topn is None:
            return self._all_scores(vector, restrict_vocab, index)
        return self._search(vector, topn, restrict_vocab, exclude=(), index=index)

    def _all_scores(self, query: np.ndarray, restrict_vocab: int | None, index: str | None) -> np.ndarray:
        """``topn=None``: the cosine of ``query`` with each of the first ``restrict_vocab`` keys."""
        if index not in (None, "exact", "ann"):
            raise ValueError(f"index must be None, 'exact' or 'ann', got {index!r}")
        limit = self._limit(restrict_vocab)
        return self.unit_vectors[:limit] @ _normalized(np.asarray(query, dtype=np.float32))

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
        if topn is None:
            raise ValueError("most_similar_batch needs an int topn; for every score, use most_similar(key, topn=None)")
        _check_topn(topn)
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
        results: list[list[tuple[str, float]]] = []
        per_block = max(1, min(_BATCH_KEYS, _BATCH_MAXIMA // max(1, -(-limit // _BATCH_CHUNK))))
        for start in range(0, len(keys), per_block):
            stop = start + per_block
            results.extend(self._batch_block(unit, queries[start:stop], excluded[start:stop], topn, sanitize))
        return results

    def _batch_block(self, unit: np.ndarray, queries: np.ndarray, excluded: list[list[int]], topn: int,
                     sanitize: bool) -> list[list[tuple[str, float]]]:
        """``most_similar`` for a block of (unit) ``queries``, each with its ``excluded`` rows.

        The vectors are read tile by tile: each tile's scores against every query (one matrix
        product, ``tile x keys``) are reduced at once to the maxima of chunks of ``_BATCH_CHUNK``
        rows and dropped. The ``topn``-th largest of a key's chunk maxima is a lower bound of its
        ``topn``-th best score (those ``topn`` maxima are scores of ``topn`` different rows), so
        only the chunks whose maximum reaches it (a few dozen) can hold its results: their rows
        are scored again, exactly as the ANN candidates are, and the best kept as ``_pairs`` keeps
        them. Excluded rows (the query keys) and non-finite scores are -inf before the maxima."""
        n, chunk = unit.shape[0], _BATCH_CHUNK
        n_chunks = -(-n // chunk)
        if n_chunks <= topn:  # few rows: every chunk is a candidate of every key
            where_key = np.repeat(np.arange(len(queries)), n_chunks)
            where_chunk = np.tile(np.arange(n_chunks), len(queries))
        else:
            where_key, where_chunk = self._batch_candidates(unit, queries, excluded, topn, sanitize)
        cuts = np.searchsorted(where_key, np.arange(len(queries) + 1))
        span = np.arange(chunk)
        out = []
        for r, banned in enumerate(excluded):
            cols = (where_chunk[cuts[r]:cuts[r + 1], None] * chunk + span).ravel()
            if cols.size and cols[-1] >= n:
                cols = cols[cols < n]
            scores = dots(unit[cols], queries[r])
            for b in banned:
                scores[cols == b] = -np.inf
            out.append(self._candidate_pairs(cols, scores, topn))  # ascending: ties as in top_k
        return out

    @staticmethod
    def _batch_candidates(unit: np.ndarray, queries: np.ndarray, excluded: list[list[int]], topn: int,
                          sanitize: bool) -> tuple[np.ndarray, np.ndarray]:
        """``(key, chunk)`` pairs, sorted by key: the chunks whose maximum reaches the key's bound."""
        n, chunk = unit.shape[0], _BATCH_CHUNK
        n_chunks = -(-n // chunk)
        ban_rows = np.array([i for banned in excluded for i in banned], dtype=np.int64)
        ban_keys = np.array([r for r, banned in enumerate(excluded) for _ in banned], dtype=np.int64)
        tile = max(chunk, _BATCH_TILE // chunk * chunk)  # whole chunks per tile
        maxima = np.empty((len(queries), n_chunks), dtype=np.float32)  # a row per key
        across = np.ascontiguousarray(queries.T)
        for lo in range(0, n, tile):
            hi = min(n, lo + tile)
            scores = unit[lo:hi] @ across
            if sanitize:
                scores[~np.isfinite(scores)] = -np.inf
            inside = (ban_rows >= lo) & (ban_rows < hi)
            if inside.any():
                scores[ban_rows[inside] - lo, ban_keys[inside]] = -np.inf
            whole = (hi - lo) // chunk  # reshaped, not reduceat: that is many times slower along axis 0
            first = lo // chunk
            if whole:  # transposed a tile at a time, while it is in cache
                blocks = scores[:whole * chunk].reshape(whole, chunk, len(queries))
                maxima[:, first:first + whole] = blocks.max(axis=1).T
            if whole * chunk < hi - lo:  # the last, shorter chunk
                maxima[:, first + whole] = scores[whole * chunk:].max(axis=0)
        bound = np.partition(maxima, n_chunks - topn, axis=1)[:, n_chunks - topn]
        return np.nonzero(maxima >= bound[:, None])

    def _candidate_pairs(self, ids: np.ndarray, scores: np.ndarray, topn: int) -> list[tuple[str, float]]:
        """The best ``topn`` of candidate rows ``ids`` (ascending) with their ``scores``;
        non-finite scores are left out."""
        valid = np.isfinite(scores)
        n_valid = int(np.count_nonzero(valid))
        if n_valid < scores.shape[0]:
            scores = np.where(valid, scores, -np.inf)
        best = top_k(scores, min(topn, n_valid))
        keys = self.index_to_key
        return [(keys[i], score) for i, score in zip(ids[best].tolist(), scores[best].tolist())]

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
        if banned:  # a few query keys: a comparison each is cheaper than np.isin
            keep = ids != banned[0]
            for b in banned[1:]:
                keep &= ids != b
            ids = ids[keep]
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
        return self._candidate_pairs(ids, dots(rows, query), topn)

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
        keys = self.index_to_key
        return [(keys[i], score) for i, score in zip(best.tolist(), scores[best].tolist())]

    def most_similar_cosmul(
        self,
        positive: str | np.ndarray | Iterable[str | np.ndarray] | None = None,
        negative: str | np.ndarray | Iterable[str | np.ndarray] | None = None,
        topn: int | None = 10,
        restrict_vocab: int | None = None,
    ) -> list[tuple[str, float]] | np.ndarray:
        """3CosMul (Levy & Goldberg 2014): argmax prod cos(x, p) / (prod cos(x, n) + 1e-6).

        Cosines are shifted to [0, 1] with ``(1 + cos) / 2`` as in the paper and gensim.
        ``positive``/``negative`` take vectors as well as keys (a vector excludes nothing).
        Unlike gensim, a vector is scaled to unit length first, so that its term is a shifted
        cosine like the others (gensim uses it as given: the same answers for unit vectors).
        ``topn=None`` returns every score (float32, index order, query keys included); unlike
        gensim 4.4, which ignores it here, ``restrict_vocab`` limits those scores and the search.
        """
        pos, neg = self._query_terms(positive, "positive"), self._query_terms(negative, "negative")
        if not pos:
            raise ValueError("most_similar_cosmul needs at least one positive key (or vector)")
        _check_topn(topn)
        query, idx = self._term_rows(pos + neg, normalize_vectors=True)
        limit = self._limit(restrict_vocab)
        cos = (1.0 + self.unit_vectors[:limit] @ query.T) / 2.0  # (limit, len(pos + neg))
        scores = np.prod(cos[:, : len(pos)], axis=1)
        if neg:
            scores = scores / (np.prod(cos[:, len(pos):], axis=1) + 1e-6)
        scores = scores.astype(np.float32)
        if topn is None:
            return scores
        banned = sorted({i for i in idx if i < limit})
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

    # ------------------------------------------------------------------ adding vectors
    def add_vectors(self, keys: str | Iterable[str], vectors: np.ndarray, replace: bool = False) -> None:
        """Append new keys with their vectors; existing keys keep their vectors unless ``replace``.

        ``keys``: one key with a vector of shape ``(vector_size,)``, or a list of keys with one
        row each. New keys go to the end in the order given (with count 0 when the vectors have
        counts); the matrix is copied to grow. Replaced rows are written in place when the
        matrix is writable (arrays sharing it see the change, as in gensim), after a copy when
        it is not (a memory map). Cached norms and unit vectors are renewed, and an attached
        approximate index is detached (it was built for the old vectors and would answer with
        them): build a new one with :meth:`build_index`. Unlike gensim, a key given twice is
        refused (gensim corrupts its index) and keys are strings only.
        """
        if isinstance(keys, str):
            keys = [keys]
            vectors = self._new_rows(vectors, 1, f"the vector of {keys[0]!r}", single=True)
        else:
            keys = self._terms(keys, "keys")
            vectors = self._new_rows(vectors, len(keys), "vectors", single=False)
        seen: dict[str, int] = {}
        for j, key in enumerate(keys):
            if key in seen:
                raise ValueError(f"duplicate key {key!r} at positions {seen[key]} and {j} of keys")
            seen[key] = j
        old = [j for j, key in enumerate(keys) if key in self.key_to_index]
        new = [j for j, key in enumerate(keys) if key not in self.key_to_index]
        if not new and not (replace and old):
            return
        if replace and old:
            self._replace_rows(np.array([self.key_to_index[keys[j]] for j in old], dtype=np.int64), vectors[old])
        if new:
            self._append_rows([keys[j] for j in new], vectors[new])
        self._forget_cached()
        self._index = None
        self._index_checked = False

    def _new_rows(self, vectors, n: int, name: str, single: bool) -> np.ndarray:
        """``vectors`` as a float32 ``(n, vector_size)`` matrix (one vector when ``single``)."""
        want = (self.vector_size,) if single else (n, self.vector_size)
        try:
            array = np.asarray(vectors, dtype=np.float32)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be numbers of shape {want}: {exc}") from None
        if array.shape != want and not (n == 0 and array.size == 0):
            raise ValueError(f"{name} must have shape {want}, got {array.shape}")
        return np.ascontiguousarray(array.reshape(n, self.vector_size))

    def _append_rows(self, keys: list[str], rows: np.ndarray) -> None:
        """Add new ``keys`` (not in the vocabulary) with their vectors at the end."""
        n = len(self.index_to_key)
        grown = np.empty((n + len(keys), self.vector_size), dtype=np.float32)
        grown[:n] = self.vectors
        grown[n:] = rows
        self.vectors = grown
        self.index_to_key.extend(keys)
        self.key_to_index.update(zip(keys, range(n, n + len(keys))))
        if self.counts is not None:
            self.counts = np.concatenate([self.counts, np.zeros(len(keys), dtype=np.int64)])

    def _replace_rows(self, idx: np.ndarray, rows: np.ndarray) -> None:
        """Overwrite the vectors of the keys at ``idx``."""
        if not self.vectors.flags.writeable:
            self.vectors = np.array(self.vectors, dtype=np.float32, order="C")
        self.vectors[idx] = rows
