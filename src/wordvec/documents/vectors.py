"""Document vectors: the (optionally weighted) mean of a text's word vectors.

Works with any vectors object that has ``__contains__``, ``__getitem__`` and ``vector_size``
(KeyedVectors; SubwordVectors, whose ``__contains__`` is true for out-of-vocabulary words it
can build from character n-grams). Words the vectors do not contain are skipped; a text
with no known word gets the zero vector.

Weightings:

* ``"mean"``: every known token counts once.
* ``"tfidf"``: token weight = idf(w) = ln((1 + N) / (1 + df(w))) + 1, fitted on a collection
  (scikit-learn's smoothed idf); repeated tokens count once per occurrence, so the sum is tf·idf.
* ``"sif"``: smooth inverse frequency, weight = a / (a + p(w)) (Arora, Liang & Ma 2017, "A
  simple but tough-to-beat baseline for sentence embeddings"), with p(w) from the vectors'
  corpus counts when they have them, else from the fitted collection; ``remove_component``
  then subtracts the projection on the first singular vector of the fitted collection.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from wordvec.corpus.tokenizers import Tokenizer, get_tokenizer

__all__ = ["WEIGHTINGS", "DocumentVectorizer", "document_vector"]

WEIGHTINGS = ("mean", "tfidf", "sif")


def document_vector(tokens: Iterable[str], vectors, weights: dict[str, float] | None = None,
                    default_weight: float = 1.0) -> np.ndarray:
    """Weighted mean of the vectors of the known ``tokens`` (float32; zeros if none is known).

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["king", "queen"], np.array([[1, 0], [0, 1]]))
    >>> document_vector(["the", "king", "queen"], wv)          # "the" has no vector
    array([0.5, 0.5], dtype=float32)
    >>> document_vector(["king", "queen"], wv, weights={"king": 3.0})
    array([0.75, 0.25], dtype=float32)

    ``weights`` maps a word to its weight (``default_weight`` for words it lacks).
    """
    tokens = list(tokens)
    index = getattr(vectors, "key_to_index", None)
    matrix = getattr(vectors, "vectors", None)
    if isinstance(index, dict) and isinstance(matrix, np.ndarray):  # KeyedVectors: one gather
        rows = [index[t] for t in tokens if t in index]
        if weights is None:
            w = np.full(len(rows), default_weight, dtype=np.float64)
        else:
            keys = [t for t in tokens if t in index] if rows else []
            w = np.array([weights.get(t, default_weight) for t in keys], dtype=np.float64)
        norm = float(w.sum())
        if not rows or norm <= 0:
            return np.zeros(matrix.shape[1], dtype=np.float32)
        return (w @ matrix[rows].astype(np.float64) / norm).astype(np.float32)
    total = np.zeros(int(vectors.vector_size), dtype=np.float64)
    norm = 0.0
    for t in tokens:
        if t in vectors:
            w = default_weight if weights is None else weights.get(t, default_weight)
            if w:
                total += w * np.asarray(vectors[t], dtype=np.float64)
                norm += w
    if norm > 0:
        total /= norm
    return total.astype(np.float32)


class DocumentVectorizer:
    """Turns texts into document vectors (rows of a float32 matrix).

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["king", "queen", "dog"], np.array([[1, 0], [1, 1], [0, 1]]))
    >>> DocumentVectorizer(wv).transform(["The king", "the queen and the dog", "no known word"])
    array([[1. , 0. ],
           [0.5, 1. ],
           [0. , 0. ]], dtype=float32)
    >>> texts = ["the king", "the king and the queen", "the dog"]
    >>> DocumentVectorizer(wv, weighting="tfidf").fit(texts).transform(texts).shape
    (3, 2)

    ``fit(texts)`` learns what the weighting needs from a collection (document frequencies
    for ``"tfidf"``; word probabilities when the vectors have no counts, and the common
    component, for ``"sif"``); ``"mean"`` needs no fit. ``transform(texts)`` returns an
    ``(n, vector_size)`` matrix. Texts are raw strings, tokenized with ``tokenizer``.
    """

    def __init__(self, vectors, *, weighting: str = "mean", tokenizer: str | Tokenizer = "regex",
                 sif_a: float = 1e-3, remove_component: bool = True):
        self.vectors = vectors
        self.weighting = weighting
        self.tokenizer = tokenizer
        self.sif_a = sif_a
        self.remove_component = remove_component

    def _check(self) -> None:
        if self.weighting not in WEIGHTINGS:
            raise ValueError(f"weighting must be one of {', '.join(WEIGHTINGS)}, got {self.weighting!r}")
        for name in ("__contains__", "__getitem__"):
            if not hasattr(self.vectors, name):
                raise TypeError(f"vectors must support {name} (KeyedVectors or SubwordVectors), "
                                f"got {type(self.vectors).__name__}")
        if not hasattr(self.vectors, "vector_size"):
            raise TypeError(f"vectors must have vector_size, got {type(self.vectors).__name__}")
        if self.sif_a <= 0:
            raise ValueError(f"sif_a must be > 0, got {self.sif_a}")

    def tokenize(self, text: str) -> list[str]:
        return get_tokenizer(self.tokenizer)(text)

    def fit(self, texts: Iterable[str]) -> DocumentVectorizer:
        self._check()
        tokenized = [self.tokenize(t) for t in texts]
        self.weights_: dict[str, float] | None = None
        self.default_weight_ = 1.0
        self.component_: np.ndarray | None = None
        if self.weighting == "tfidf":
            df: Counter[str] = Counter()
            for toks in tokenized:
                df.update(set(toks))
            n = len(tokenized)
            self.weights_ = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}
            self.default_weight_ = math.log(1 + n) + 1.0  # a word no document had: rarest possible
        elif self.weighting == "sif":
            self.weights_, self.default_weight_ = self._sif_weights(tokenized)
            if self.remove_component and len(tokenized) > 1:
                matrix = self._matrix(tokenized)
                known = matrix[np.abs(matrix).sum(axis=1) > 0]
                if len(known) > 1:
                    _, _, vt = np.linalg.svd(known.astype(np.float64), full_matrices=False)
                    self.component_ = vt[0].astype(np.float32)
        return self

    def _sif_weights(self, tokenized: list[list[str]]) -> tuple[dict[str, float], float]:
        a = self.sif_a
        counts = getattr(self.vectors, "counts", None)
        keys = getattr(self.vectors, "index_to_key", None)
        if counts is not None and keys is not None and len(counts) and int(np.sum(counts)) > 0:
            total = float(np.sum(counts))
            freq = {k: float(c) / total for k, c in zip(keys, counts)}
            return {w: a / (a + p) for w, p in freq.items()}, 1.0
        c: Counter[str] = Counter()
        for toks in tokenized:
            c.update(toks)
        total = float(sum(c.values())) or 1.0
        return {w: a / (a + n / total) for w, n in c.items()}, 1.0

    def _matrix(self, tokenized: Sequence[Sequence[str]]) -> np.ndarray:
        out = np.zeros((len(tokenized), int(self.vectors.vector_size)), dtype=np.float32)
        for i, toks in enumerate(tokenized):
            out[i] = document_vector(toks, self.vectors, self.weights_, self.default_weight_)
        return out

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        if not hasattr(self, "weights_"):
            if self.weighting != "mean":
                raise RuntimeError(f"weighting={self.weighting!r} must be fitted on a collection first: call fit()")
            self.fit([])
        if isinstance(texts, str):
            raise TypeError("transform() takes a list of texts, not one string")
        out = self._matrix([self.tokenize(t) for t in texts])
        if self.component_ is not None:
            nonzero = np.abs(out).sum(axis=1) > 0
            out[nonzero] -= np.outer(out[nonzero] @ self.component_, self.component_)
        return out

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        return self.fit(texts).transform(texts)
