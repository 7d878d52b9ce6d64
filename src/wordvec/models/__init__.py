"""Estimators: parameters in __init__, fit() -> self, learned state ends with '_'."""

from wordvec.models.word2vec import NotFittedError, Word2Vec

__all__ = ["Word2Vec", "NotFittedError"]
