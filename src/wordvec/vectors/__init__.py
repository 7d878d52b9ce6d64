"""Trained vectors and the queries on them."""

from wordvec.vectors.keyed import KeyedVectors
from wordvec.vectors.subword import SubwordVectors

__all__ = ["KeyedVectors", "SubwordVectors"]
