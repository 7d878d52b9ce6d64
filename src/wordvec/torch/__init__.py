"""The PyTorch bridge (extra ``wordvec[torch]``): embeddings to and from ``nn.Embedding``, and a
text classifier built on them.

``import wordvec`` never loads this package; importing it without PyTorch raises an
ImportError that says ``pip install wordvec[torch]``.

>>> emb, vocab = to_torch(kv)                       # doctest: +SKIP
>>> ids, mask = vocab.encode_batch(["a good film", "bad"])
>>> kv2 = from_torch(emb, vocab)                    # back to KeyedVectors
>>> bag, enc = to_torch_bag(sv)                     # FastText: nn.EmbeddingBag over n-grams
>>> vecs = bag(*enc.encode(["film", "filmmaking"]))  # unseen words included
"""

from wordvec.torch._extras import require_torch

require_torch()

from wordvec.torch.classifier import ClassifierConfig, MeanEmbeddingNet, TextClassifier
from wordvec.torch.data import LabelledTexts, read_labelled
from wordvec.torch.embedding import embedding_for, from_torch, to_torch
from wordvec.torch.subword import SubwordEncoder, to_torch_bag
from wordvec.torch.vocabulary import EmbeddingVocab

__all__ = ["ClassifierConfig", "EmbeddingVocab", "LabelledTexts", "MeanEmbeddingNet", "SubwordEncoder",
           "TextClassifier", "embedding_for", "from_torch", "read_labelled", "to_torch", "to_torch_bag"]


def __getattr__(name: str):
    """``Vocabulary``: the name of :class:`EmbeddingVocab` in earlier versions (deprecated)."""
    from wordvec.torch import vocabulary

    return getattr(vocabulary, name)
