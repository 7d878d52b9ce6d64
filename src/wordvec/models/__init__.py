"""Estimators: parameters in __init__, fit() -> self, learned state ends with '_'."""

from wordvec.models.fasttext import FastText
from wordvec.models.glove import GloVe
from wordvec.models.ppmi_svd import PPMISVD
from wordvec.models.word2vec import NotFittedError, Word2Vec

__all__ = ["Word2Vec", "FastText", "GloVe", "PPMISVD", "NotFittedError"]
