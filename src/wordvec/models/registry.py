"""The estimators by name (the names ``wordvec train --model`` takes), and fitting one by name.

>>> model = fit_model("glove", [["the", "cat", "sat"], ["the", "dog", "sat"]], vector_size=4,
...                   min_count=1, epochs=2, progress=False)
>>> print(model.summary())
Trained glove (4 dimensions) on 6 tokens: 4 words in the vocabulary. ...
"""

from __future__ import annotations

import os
from pathlib import Path

from wordvec.cooccur.matrix import Cooccurrence
from wordvec.models.base import CooccurrenceEstimator, Estimator
from wordvec.models.fasttext import FastText
from wordvec.models.glove import GloVe
from wordvec.models.ppmi_svd import PPMISVD
from wordvec.models.word2vec import Word2Vec

__all__ = ["ESTIMATORS", "get_estimator", "fit_model"]

#: Model name (its config's ``model_name``, as in :data:`wordvec.config.MODELS`) -> estimator class.
ESTIMATORS: dict[str, type[Estimator]] = {cls.config_class.model_name: cls
                                          for cls in (Word2Vec, FastText, GloVe, PPMISVD)}


def get_estimator(name: str) -> type[Estimator]:
    """The estimator class called ``name`` (``"word2vec"``, ``"fasttext"``, ``"glove"``, ``"ppmi-svd"``).

    >>> get_estimator("word2vec").__name__, get_estimator("ppmi-svd").__name__
    ('Word2Vec', 'PPMISVD')
    >>> get_estimator("bert")
    Traceback (most recent call last):
        ...
    ValueError: unknown model 'bert'; choose one of word2vec, fasttext, glove, ppmi-svd
    """
    try:
        return ESTIMATORS[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(ESTIMATORS)}") from None


def fit_model(name: str, corpus, *, encoding: str | None = None, **options) -> Estimator:
    """Build the estimator called ``name`` with ``options`` (its ``__init__`` parameters) and fit it.

    >>> model = fit_model("fasttext", [["the", "king", "rules"], ["the", "queen", "rules"]], vector_size=8,
    ...                   min_count=1,
    ...                   bucket=100, epochs=1, progress=False)
    >>> model.wv                                 # 4 words and fastText's end-of-line "</s>"
    SubwordVectors(5 keys, 8 dimensions, n-grams 3-6 in 100 buckets)

    ``corpus`` is what the estimator's ``fit`` takes; GloVe and PPMI+SVD also take a
    :class:`~wordvec.cooccur.Cooccurrence` or the path of a saved one (``.npz``), which they
    fit with ``fit_cooccurrence``. Options left out take the model's own defaults (its config's).
    ``encoding``: that of the text files (None: UTF-8; ``"latin-1"``, ``"cp949"``, ...); a matrix
    has none.
    """
    model = get_estimator(name)(**options)
    if isinstance(model, CooccurrenceEstimator) and _is_matrix(corpus):
        return model.fit_cooccurrence(corpus)
    return model.fit(corpus, encoding=encoding)


def _is_matrix(corpus) -> bool:
    if isinstance(corpus, Cooccurrence):
        return True
    return isinstance(corpus, (str, os.PathLike)) and Path(corpus).suffix == ".npz" and Path(corpus).is_file()
