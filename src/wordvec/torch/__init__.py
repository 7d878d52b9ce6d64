"""The PyTorch bridge (extra ``wordvec[torch]``): embeddings to and from ``nn.Embedding``, and a
text classifier built on them or on contextual (ELMo) features.

``import wordvec`` never loads this package; importing it without PyTorch raises an
ImportError that says ``pip install 'wordvec[torch]'``.

>>> emb, vocab = to_torch(kv)                       # doctest: +SKIP
>>> ids, mask = vocab.encode_batch(["a good film", "bad"])
>>> kv2 = from_torch(emb, vocab)                    # back to KeyedVectors
>>> bag, enc = to_torch_bag(sv)                     # FastText: nn.EmbeddingBag over n-grams
>>> vecs = bag(*enc.encode(["film", "filmmaking"]))  # unseen words included
>>> clf = ContextualClassifier("elmo_dir").fit(texts, labels)   # frozen biLM, learned mix
>>> load_classifier("clf_dir")                      # a saved classifier of either kind
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
