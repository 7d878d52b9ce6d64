"""Trained vectors and the queries on them."""

from wordvec.vectors.keyed import KeyedVectors

__all__ = ["KeyedVectors"]
