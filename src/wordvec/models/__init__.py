"""Estimators: parameters in __init__, fit() -> self, learned state ends with '_'."""

from wordvec.exceptions import NotFittedError
from wordvec.models.base import CooccurrenceEstimator, Estimator
from wordvec.models.fasttext import FastText
from wordvec.models.glove import GloVe
from wordvec.models.ppmi_svd import PPMISVD
from wordvec.models.registry import ESTIMATORS, fit_model, get_estimator
from wordvec.models.word2vec import Word2Vec

__all__ = ["Word2Vec", "FastText", "GloVe", "PPMISVD", "NotFittedError", "Estimator", "CooccurrenceEstimator",
           "ESTIMATORS", "fit_model", "get_estimator"]
