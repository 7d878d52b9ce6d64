"""Word-word co-occurrence matrices: streaming counting under a memory cap, saving, loading."""

from wordvec.cooccur.builder import build_cooccurrence, cooccurrence_from_encoded, count_cooccurrences
from wordvec.cooccur.matrix import Cooccurrence

__all__ = ["Cooccurrence", "build_cooccurrence", "cooccurrence_from_encoded", "count_cooccurrences"]
