"""Reduce word vectors to 2 or 3 dimensions: PCA and t-SNE (scikit-learn), UMAP (umap-learn).

Every method is deterministic for a given ``seed`` (PCA's signs are fixed by scikit-learn's
``svd_flip``; t-SNE and UMAP take the seed as ``random_state``; UMAP then runs on one thread).
Vectors are unit-normalised first by default, so distances follow cosine similarity, the
measure the neighbour queries use. Before t-SNE and UMAP, vectors wider than
``pca_first`` dimensions are reduced to that many by PCA (the usual preprocessing, as in the
scikit-learn and openTSNE guides): it keeps the neighbourhoods and makes the kNN step cheaper.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from wordvec.viz._extras import require

__all__ = ["METHODS", "METHOD_NAMES", "Reduction", "reduce", "select_words"]

METHODS = ("pca", "tsne", "umap")
#: How each method is written in titles.
METHOD_NAMES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}


@dataclass(frozen=True)
class Reduction:
    """The words that were reduced, their row indexes in the vectors, and their coordinates.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["king", "queen", "man", "woman", "horse"], np.random.default_rng(0).normal(size=(5, 10)))
    >>> result = reduce(kv, ["king", "queen", "man"], method="pca")
    >>> result.words, result.indices.tolist(), result.coords.shape, result.method
    (['king', 'queen', 'man'], [0, 1, 2], (3, 2), 'pca')
    """

    words: list[str]
    indices: np.ndarray  # int64, shape (n,)
    coords: np.ndarray  # float64, shape (n, dims)
    method: str
    #: PCA only: ``(mean, components)`` of the fitted projection (shapes ``(d,)`` and ``(dims, d)``), so
    #: other words can be placed in the same plane (:meth:`project`); None for t-SNE and UMAP.
    basis: tuple[np.ndarray, np.ndarray] | None = None
    #: Whether the vectors were unit-normalised before the projection.
    normalized: bool = True

    @property
    def dims(self) -> int:
        return int(self.coords.shape[1])

    def __len__(self) -> int:
        return len(self.words)

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """Coordinates of other ``vectors`` (rows of the same model) in this PCA's plane or space.

        The same fitted projection (mean and components), so the words land exactly where PCA
        would put them; nothing is refitted. t-SNE and UMAP have no such map (a t-SNE of more words
        is a different picture): they raise a ValueError.
        """
        if self.basis is None:
            raise ValueError(f"{METHOD_NAMES[self.method]} cannot place new words in an existing projection; "
                             "only PCA can")
        x = np.atleast_2d(np.asarray(vectors, dtype=np.float64))
        if self.normalized:
            norms = np.linalg.norm(x, axis=1, keepdims=True)
            x = x / np.where(norms > 0, norms, 1.0)
        mean, components = self.basis
        return (x - mean) @ components.T


def select_words(kv, words: Iterable[str] | None = None, top: int | None = None) -> tuple[list[str], np.ndarray]:
    """The chosen ``words`` (every unknown one reported at once) or the first ``top`` keys.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["king", "queen", "man", "woman", "horse"], np.random.default_rng(0).normal(size=(5, 10)))
    >>> words, indices = select_words(kv, top=2)
    >>> words, indices.tolist()
    (['king', 'queen'], [0, 1])
    >>> select_words(kv, ["horse", "king"])[1].tolist()
    [4, 0]

    With neither, every key is chosen. Returns the words and their indexes (int64).
    """
    if words is not None and top is not None:
        raise ValueError("give words or top, not both")
    if words is not None:
        if isinstance(words, str):
            raise TypeError(f"words must be a list of keys, not one string: {words!r}")
        words = list(dict.fromkeys(words))  # drop repeats, keep order
        if not words:
            raise ValueError("words is empty: give at least one word")
        missing: list[str] = []
        indices: list[int] = []
        for w in words:
            try:
                indices.append(kv.get_index(w))
            except KeyError as exc:
                missing.append(str(exc.args[0]) if exc.args else repr(w))
        if missing:
            raise KeyError(f"{len(missing)} of {len(words)} words are not in the vocabulary: " + "; ".join(missing))
        return words, np.asarray(indices, dtype=np.int64)
    n = len(kv) if top is None else int(top)
    if n < 1:
        raise ValueError(f"top must be >= 1, got {top}")
    n = min(n, len(kv))
    return list(kv.index_to_key[:n]), np.arange(n, dtype=np.int64)


def reduce(
    kv,
    words: Iterable[str] | None = None,
    top: int | None = None,
    method: str = "pca",
    dims: int = 2,
    seed: int = 0,
    *,
    normalize: bool = True,
    perplexity: float = 30.0,
    n_neighbors: int = 15,
    pca_first: int | None = 50,
) -> Reduction:
    """Project ``words`` (or the ``top`` most frequent keys, or all keys) to ``dims`` dimensions.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["king", "queen", "man", "woman", "horse"], np.random.default_rng(0).normal(size=(5, 10)))
    >>> reduce(kv, top=4, method="pca", dims=3).coords.shape        # "tsne" and "umap" need the [viz] extra
    (4, 3)
    >>> reduce(kv, ["king", "quen"])
    Traceback (most recent call last):
        ...
    KeyError: "1 of 2 words are not in the vocabulary: 'quen' is not in the vocabulary (5 ...

    ``method`` is ``"pca"``, ``"tsne"`` or ``"umap"``. ``perplexity`` (t-SNE) and
    ``n_neighbors`` (UMAP) are lowered automatically for a handful of words. An unknown word
    raises a KeyError that lists every unknown word with suggestions.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if dims not in (2, 3):
        raise ValueError(f"dims must be 2 or 3, got {dims}")
    chosen, indices = select_words(kv, words, top)
    n = len(chosen)
    if n < dims + 1:
        raise ValueError(f"{method} to {dims} dimensions needs at least {dims + 1} words, got {n}")
    x = (kv.unit_vectors if normalize else kv.vectors)[indices].astype(np.float64)
    basis = None
    if method == "pca":
        coords, basis = _pca(x, dims, seed)
    else:
        if pca_first is not None and x.shape[1] > pca_first and n > pca_first:
            x, _ = _pca(x, pca_first, seed)
        coords = _tsne(x, dims, seed, perplexity) if method == "tsne" else _umap(x, dims, seed, n_neighbors)
    return Reduction(chosen, indices, np.ascontiguousarray(coords, dtype=np.float64), method, basis, normalize)


def _pca(x: np.ndarray, dims: int, seed: int) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """The PCA coordinates of ``x`` and the fitted ``(mean, components)``."""
    decomposition = require("sklearn.decomposition", "PCA")
    dims = min(dims, x.shape[0], x.shape[1])
    pca = decomposition.PCA(n_components=dims, random_state=seed)
    coords = pca.fit_transform(x)
    return coords, (pca.mean_.copy(), pca.components_.copy())


def _tsne(x: np.ndarray, dims: int, seed: int, perplexity: float) -> np.ndarray:
    manifold = require("sklearn.manifold", "t-SNE")
    # scikit-learn needs perplexity < n_samples; a third of the points is the usual ceiling.
    perplexity = float(min(perplexity, max(1.0, (x.shape[0] - 1) / 3)))
    method = "barnes_hut" if dims <= 3 else "exact"
    tsne = manifold.TSNE(n_components=dims, perplexity=perplexity, init="pca", random_state=seed,
                         method=method, learning_rate="auto")
    return tsne.fit_transform(x)


def _umap(x: np.ndarray, dims: int, seed: int, n_neighbors: int) -> np.ndarray:
    umap = require("umap", "UMAP")
    n = x.shape[0]
    n_neighbors = int(max(2, min(n_neighbors, n - 1)))
    # Spectral initialisation needs more points than dimensions + 1; random works for any n.
    init = "spectral" if n > dims + 2 and n > n_neighbors + 1 else "random"
    with warnings.catch_warnings():
        # "n_jobs value 1 overridden to 1 by setting random_state": the seed is the point.
        warnings.filterwarnings("ignore", message=".*n_jobs.*", category=UserWarning)
        warnings.filterwarnings("ignore", message=".*k >= N.*")
        model = umap.UMAP(n_components=dims, n_neighbors=n_neighbors, random_state=seed, init=init,
                          metric="euclidean", n_jobs=1)
        return model.fit_transform(x)
