"""Vectors for evaluation words outside the (restricted) vocabulary, built from subwords.

Used by :func:`~wordvec.evaluate.evaluate_analogies` and
:func:`~wordvec.evaluate.evaluate_similarity` with ``oov=True``. Only vectors that can
build a vector for an unseen word take part -- :class:`wordvec.vectors.subword.SubwordVectors`
(FastText), recognised by its public ``has_vector`` / ``get_vector`` / ``is_oov`` methods;
plain :class:`~wordvec.vectors.keyed.KeyedVectors` raise a ``ValueError``.

The rule, in one place: a dataset word whose spelling (upper-cased when case-insensitive) is
not among the first ``restrict_vocab`` keys gets ``kv.get_vector(word)`` -- spelled as in the
dataset -- when ``kv.has_vector(word)``: the mean of its character n-gram rows for a word
the model never saw, its own trained vector for a vocabulary word beyond ``restrict_vocab``.
A word with no vector at all (no n-gram; n-grams off) stays out of vocabulary. When several
dataset spellings fold to the same upper-cased word, the first one in dataset order supplies
the vector. The vectors are unit-normalised like ``kv.unit_vectors`` (a zero vector stays zero).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from wordvec.vectors.keyed import KeyedVectors

__all__ = ["OOVVectors", "check_subword_vectors", "has_subwords", "oov_vectors"]


def has_subwords(kv) -> bool:
    """True when ``kv`` can build vectors for unseen words (``has_vector``, ``get_vector``, ``is_oov``).

    >>> import numpy as np
    >>> from wordvec.vectors import KeyedVectors, SubwordVectors
    >>> has_subwords(KeyedVectors(["king"], np.ones((1, 2))))
    False
    >>> has_subwords(SubwordVectors(["king"], np.ones((1, 2)), np.ones((5, 2)), min_n=3, max_n=4, bucket=5))
    True
    """
    return all(callable(getattr(kv, name, None)) for name in ("has_vector", "get_vector", "is_oov"))


def check_subword_vectors(kv) -> None:
    """Raise a ``ValueError`` unless ``kv`` can build vectors for out-of-vocabulary words.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> check_subword_vectors(KeyedVectors(["king"], np.ones((1, 2))))
    Traceback (most recent call last):
        ...
    ValueError: oov=True needs vectors with subword information (FastText's SubwordVectors, ...
    """
    if not has_subwords(kv):
        raise ValueError(
            f"oov=True needs vectors with subword information (FastText's SubwordVectors, which build "
            f"a vector for an unseen word from its character n-grams); these {type(kv).__name__} have "
            f"none, so out-of-vocabulary words cannot get vectors: evaluate a FastText model (trained, "
            f"a fastText .bin or a native FastText directory) or leave oov off"
        )


@dataclass(frozen=True)
class OOVVectors:
    """Unit vectors for dataset words outside the restricted vocabulary.

    >>> import numpy as np
    >>> from wordvec.vectors import SubwordVectors
    >>> ft = SubwordVectors(["king", "queen"], np.ones((2, 4)), np.random.default_rng(0).normal(size=(20, 4)),
    ...                     min_n=3, max_n=4, bucket=20)
    >>> extra = oov_vectors(ft, ["king", "kings"], {"KING": 0, "QUEEN": 1}, limit=2, case_insensitive=True)
    >>> extra.first, extra.words, extra.index, extra.unit.shape
    (2, ('kings',), {'KINGS': 2}, (1, 4))

    ``index`` maps a word (upper-cased when case-insensitive) to its row number, counted on
    from ``first`` (= the restricted vocabulary size), so that vocabulary rows and these rows
    form one candidate matrix ``vstack([kv.unit_vectors[:first], unit])``.
    """

    first: int
    index: dict[str, int]
    words: tuple[str, ...]  # as spelled in the dataset, in row order
    unit: np.ndarray  # (len(words), d) float32

    def __len__(self) -> int:
        return len(self.words)


def oov_vectors(kv: KeyedVectors, words: Iterable[str], lookup: dict[str, int], limit: int,
                case_insensitive: bool) -> OOVVectors:
    """Vectors for those of ``words`` that ``lookup`` (the restricted vocabulary) lacks.

    >>> import numpy as np
    >>> from wordvec.vectors import SubwordVectors
    >>> ft = SubwordVectors(["king", "queen"], np.ones((2, 4)), np.random.default_rng(0).normal(size=(20, 4)),
    ...                     min_n=3, max_n=4, bucket=20)
    >>> extra = oov_vectors(ft, ["queen", "kings"], {"KING": 0}, limit=1, case_insensitive=True)
    >>> extra.words, extra.index                                # rows counted on from limit
    (('queen', 'kings'), {'QUEEN': 1, 'KINGS': 2})
    >>> bool(np.allclose(np.linalg.norm(extra.unit, axis=1), 1))
    True

    ``lookup`` and ``limit`` come from :func:`wordvec.evaluate.similarity.restricted_vocab`.
    """
    check_subword_vectors(kv)
    index: dict[str, int] = {}
    spelled: list[str] = []
    rows: list[np.ndarray] = []
    for word in words:
        key = word.upper() if case_insensitive else word
        if key in lookup or key in index or not kv.has_vector(word):
            continue
        index[key] = limit + len(rows)
        spelled.append(word)
        rows.append(np.asarray(kv.get_vector(word), dtype=np.float32))
    unit = np.zeros((len(rows), kv.vector_size), dtype=np.float32)
    if rows:
        unit[:] = rows
        norms = np.linalg.norm(unit, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        unit /= norms
    return OOVVectors(limit, index, tuple(spelled), unit)
