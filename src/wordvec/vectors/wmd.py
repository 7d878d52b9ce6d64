"""Word Mover's Distance between two documents (Kusner et al. 2015), on POT (extra ``wmd``).

The distance is the least total cost of moving one document's words onto the other's, each
word carrying its share of the document, at the cost of the Euclidean distance between the two
words' vectors. As gensim's ``KeyedVectors.wmdistance`` computes it (its semantics are the
specification here; the code is written from them):

* tokens without a vector are dropped (logged at INFO level); if a document has none left the
  distance is ``inf`` (logged as a warning);
* each document is a normalised bag of words: a word's weight is its count divided by the
  number of kept tokens;
* the cost of moving word ``a`` to word ``b`` is ``||v_a - v_b||`` (Euclidean), over unit
  vectors with ``norm=True`` (the default);
* the optimal transport is solved exactly by POT's network simplex (``ot.emd2``, Flamary et al.
  2021), on the rectangular problem between the two documents' distinct words. gensim solves the
  same problem padded to a square over the union of both vocabularies, with zero weights
  outside each document's words: the same optimum.

Deliberate differences from gensim: when every cost is zero (both documents hold the same single
word, or words whose vectors coincide) the distance is 0.0 (gensim returns 0.0 for one shared
word but ``inf`` for distinct words with equal vectors, to spare POT an all-zero matrix); with
``norm=True`` a zero vector stays zero (gensim divides it by its zero norm: NaN); for
:class:`~wordvec.vectors.subword.SubwordVectors` an out-of-vocabulary word counts when it has
an n-gram and is dropped when it has none (gensim keeps it as the zero vector); a document must
be a list of tokens, not a str (gensim would take a str's characters).

POT is imported when a distance is computed, never by ``import wordvec``; without it the call
raises an ImportError naming ``pip install 'wordvec[wmd]'``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numba
import numpy as np

__all__ = ["WMD_HINT", "euclidean_distances", "require_pot", "wmdistance"]

WMD_HINT = "pip install 'wordvec[wmd]'"

log = logging.getLogger(__name__)


def require_pot():
    """POT's ``emd2``, or an ImportError that says how to install the extra.

    >>> require_pot().__name__           # without POT: an ImportError naming pip install 'wordvec[wmd]'
    'emd2'
    """
    try:
        from ot import emd2
    except ImportError as exc:
        raise ImportError(f"Word Mover's Distance needs POT (Python Optimal Transport), which is not installed: "
                          f"{WMD_HINT}") from exc
    return emd2


@numba.njit(cache=True, nogil=True)
def _euclidean(a, b, out):
    """``out[i, j] = ||a[i] - b[j]||`` (float64 accumulation), for two row matrices."""
    d = a.shape[1]
    for i in range(a.shape[0]):
        for j in range(b.shape[0]):
            total = 0.0
            for k in range(d):
                diff = np.float64(a[i, k]) - np.float64(b[j, k])
                total += diff * diff
            out[i, j] = np.sqrt(total)


def euclidean_distances_reference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The slow NumPy twin of :func:`euclidean_distances` (tests compare the two)."""
    diff = a.astype(np.float64)[:, None, :] - b.astype(np.float64)[None, :, :]
    return np.sqrt((diff * diff).sum(axis=2))


def euclidean_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance (float64) between each row of ``a`` (n, d) and each row of ``b`` (m, d),
    computed from the differences (exactly 0 for equal rows, unlike the ``|a|² + |b|² - 2ab``
    expansion).

    >>> import numpy as np
    >>> euclidean_distances(np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[3.0, 4.0]]))
    array([[5.],
           [0.]])
    """
    a = np.ascontiguousarray(a, dtype=np.float32)
    b = np.ascontiguousarray(b, dtype=np.float32)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"need two row matrices of the same width, got shapes {a.shape} and {b.shape}")
    out = np.empty((a.shape[0], b.shape[0]), dtype=np.float64)
    _euclidean(a, b, out)
    return out


def _tokens(document: Any, name: str) -> list[str]:
    if isinstance(document, (str, bytes, bytearray)):
        raise TypeError(f"{name} must be a list of tokens, got {type(document).__name__}: {document[:50]!r} "
                        f"(split it first, e.g. text.split())")
    try:
        tokens = list(document)
    except TypeError:
        raise TypeError(f"{name} must be a list of tokens, got {type(document).__name__}: {document!r}") from None
    for t in tokens:
        if not isinstance(t, str):
            raise TypeError(f"{name} must hold tokens (str), got {type(t).__name__}: {t!r}")
    return tokens


def wmdistance(kv, document1: Sequence[str], document2: Sequence[str], norm: bool = True) -> float:
    """Word Mover's Distance between two documents (lists of tokens) over the vectors of ``kv``
    (a :class:`~wordvec.vectors.keyed.KeyedVectors` or ``SubwordVectors``).

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["obama", "president", "speaks", "talks"],
    ...                   np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]))
    >>> round(wmdistance(wv, ["obama", "speaks"], ["president", "talks"]), 4)
    0.1106
    >>> wmdistance(wv, ["obama"], ["unknown"])    # no token of the second document has a vector
    inf

    ``norm=True`` measures between unit vectors (gensim's default), ``norm=False`` between the
    vectors as stored. Returns ``inf`` when a document has no token with a vector. The module
    docstring lists the differences from gensim. Needs POT: ``pip install 'wordvec[wmd]'``.
    """
    emd2 = require_pot()
    doc1, doc2 = _tokens(document1, "document1"), _tokens(document2, "document2")
    kept1 = [t for t in doc1 if kv._has_vector(t)]
    kept2 = [t for t in doc2 if kv._has_vector(t)]
    dropped1, dropped2 = len(doc1) - len(kept1), len(doc2) - len(kept2)
    if dropped1 or dropped2:
        log.info("wmdistance: removed %d and %d out-of-vocabulary tokens from document 1 and 2", dropped1, dropped2)
    if not kept1 or not kept2:
        log.warning("wmdistance: %s no token with a vector: the distance is inf",
                    "neither document has" if not kept1 and not kept2 else
                    f"document {1 if not kept1 else 2} has")
        return float("inf")
    bag1, bag2 = Counter(kept1), Counter(kept2)  # distinct words in first-seen order
    words1, words2 = list(bag1), list(bag2)
    v1 = kv._rows(words1, norm=norm)[0]
    v2 = kv._rows(words2, norm=norm)[0]
    cost = euclidean_distances(v1, v2)
    if not cost.any():  # every move is free (POT would stall on an all-zero matrix)
        return 0.0
    weights1 = np.array([bag1[w] for w in words1], dtype=np.float64) / len(kept1)
    weights2 = np.array([bag2[w] for w in words2], dtype=np.float64) / len(kept2)
    return float(emd2(weights1, weights2, cost))
