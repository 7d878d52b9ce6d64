"""wordvec: train, query, evaluate and move word embeddings.

The public names are loaded on first use, so ``import wordvec`` (and ``wordvec --help``) stays
instant; heavy optional parts (plotting, torch, Korean tokenizer, web page) are extras that
``import wordvec`` never loads. ``wordvec.save(kv, path, format=...)`` and ``wordvec.load(path)``
write and read vectors in every format :mod:`wordvec.io` knows.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

__all__ = ["Word2Vec", "FastText", "GloVe", "PPMISVD", "KeyedVectors", "Vocab", "SubwordVectors", "Cooccurrence", "build_cooccurrence",
           "load", "save", "__version__"]

_LAZY = {"Word2Vec": "wordvec.models", "FastText": "wordvec.models", "GloVe": "wordvec.models", "PPMISVD": "wordvec.models",
         "KeyedVectors": "wordvec.vectors", "SubwordVectors": "wordvec.vectors", "Vocab": "wordvec.vocab", "Cooccurrence": "wordvec.cooccur",
         "build_cooccurrence": "wordvec.cooccur"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'wordvec' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def load(path, format: str | None = None, limit: int | None = None, *, dtype="float32",
         unicode_errors: str = "strict", **options):
    """Load KeyedVectors from a native directory, a word2vec/GloVe file or a fastText ``.bin``/``.ftz``
    (format detected when None); ``dtype`` is float16, float32 or float64, ``unicode_errors`` a
    ``bytes.decode`` error handler for the words. See :func:`wordvec.io.load` for ``options``.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors, load, save
    >>> wv = KeyedVectors(["king", "queen"], np.eye(2))
    >>> save(wv, "vectors.txt", format="word2vec-text")
    >>> load("vectors.txt")
    KeyedVectors(2 keys, 2 dimensions)
    >>> load("vectors.txt", limit=1).index_to_key
    ['king']
    """
    from wordvec.io import load as _load

    return _load(path, format=format, limit=limit, dtype=dtype, unicode_errors=unicode_errors, **options)


def save(kv, path, format: str = "native", **options) -> None:
    """Save KeyedVectors to ``path``, atomically: the native directory (default), ``"word2vec-text"``,
    ``"word2vec-binary"``, ``"glove"`` or ``"fasttext-bin"``; see :func:`wordvec.io.save` for ``options``.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors, load, save
    >>> wv = KeyedVectors(["king", "queen"], np.eye(2))
    >>> save(wv, "vectors/")                      # the native directory
    >>> sorted(p.name for p in __import__("pathlib").Path("vectors").iterdir())
    ['config.json', 'vectors.npy', 'vocab.tsv']
    >>> save(wv, "vectors.bin", format="word2vec-binary")
    >>> load("vectors.bin")["queen"]
    array([0., 1.], dtype=float32)
    """
    from wordvec.io import save as _save

    _save(kv, path, format=format, **options)
