"""The PyTorch bridge (extra ``wordvec[torch]``): embeddings to and from ``nn.Embedding``, and a
text classifier built on them or on contextual (ELMo) features.

``import wordvec`` never loads this package; importing it without PyTorch raises an
ImportError that says ``pip install 'wordvec[torch]'``.

>>> import numpy as np
>>> from wordvec import KeyedVectors
>>> from wordvec.vectors import SubwordVectors
>>> kv = KeyedVectors(["good", "bad", "film"], np.eye(3))
>>> emb, vocab = to_torch(kv)
>>> ids, mask = vocab.encode_batch(["a good film", "bad"])
>>> emb(ids).shape
torch.Size([2, 3, 3])
>>> from_torch(emb, vocab)                          # back to KeyedVectors
KeyedVectors(3 keys, 3 dimensions)
>>> sv = SubwordVectors(["film"], np.ones((1, 4)), np.zeros((50, 4)), min_n=3, max_n=4, bucket=50)
>>> bag, enc = to_torch_bag(sv)                     # FastText: nn.EmbeddingBag over n-grams
>>> bag(*enc.encode(["film", "filmmaking"])).shape  # unseen words included
torch.Size([2, 4])

``ContextualClassifier(elmo).fit(texts, labels)`` trains on frozen ELMo features (a learned mix of
the biLM's layers) and ``load_classifier(path)`` reads a saved classifier of either kind; their
own docstrings show them at work.
"""

from wordvec.torch._extras import require_torch

require_torch()

from wordvec.torch.classifier import ClassifierConfig, MeanEmbeddingNet, TextClassifier
from wordvec.torch.data import LabelledTexts, read_labelled
from wordvec.torch.embedding import embedding_for, from_torch, to_torch
from wordvec.torch.subword import SubwordEncoder, to_torch_bag
from wordvec.torch.vocabulary import EmbeddingVocab

__all__ = ["ClassifierConfig", "ContextualClassifier", "EmbeddingVocab", "LabelledTexts", "MeanEmbeddingNet",
           "SubwordEncoder", "TextClassifier", "embedding_for", "from_torch", "load_classifier", "read_labelled",
           "to_torch", "to_torch_bag"]

#: Loaded on first use: they bring in :mod:`wordvec.contextual` (the biLM).
_CONTEXTUAL = ("ContextualClassifier", "load_classifier")


def __getattr__(name: str):
    """``ContextualClassifier`` and ``load_classifier`` (loaded on first use); ``Vocabulary``: the
    name of :class:`EmbeddingVocab` in earlier versions (deprecated)."""
    if name in _CONTEXTUAL:
        from wordvec.torch import contextual

        return getattr(contextual, name)
    from wordvec.torch import vocabulary

    return getattr(vocabulary, name)
