"""wordvec: train, query, evaluate and move word embeddings.

Heavy optional parts (plotting, torch, Korean tokenizer, web page) are extras that
``import wordvec`` never loads.
"""

from wordvec.models import Word2Vec
from wordvec.vectors import KeyedVectors
from wordvec.vocab import Vocab

__version__ = "0.1.0"

__all__ = ["Word2Vec", "KeyedVectors", "Vocab", "load", "__version__"]


def load(path, format: str | None = None, limit: int | None = None) -> KeyedVectors:
    """Load vectors from the native directory or a word2vec/GloVe file (format detected when None)."""
    from wordvec.io import load as _load

    return _load(path, format=format, limit=limit)
