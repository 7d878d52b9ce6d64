"""The bridge between KeyedVectors and ``torch.nn.Embedding``, both ways.

``to_torch(kv)`` puts pre-trained vectors into an embedding layer (row 0 ``<unk>``, row 1
``<pad>``, then the words in the vectors' order); ``from_torch(embedding, vocabulary)``
turns an embedding trained inside a model back into KeyedVectors, to query, evaluate, plot
or export it like any other vectors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from wordvec.torch.vocabulary import PAD_INDEX, UNK_INDEX, EmbeddingVocab

if TYPE_CHECKING:
    from wordvec.vectors.keyed import KeyedVectors

__all__ = ["UNK_INITS", "embedding_for", "from_torch", "to_torch"]

#: How the ``<unk>`` row of a pre-trained embedding is initialised.
UNK_INITS = ("mean", "zeros")


def _unk_row(vectors: np.ndarray, unk_init: str) -> np.ndarray:
    if unk_init not in UNK_INITS:
        raise ValueError(f"unk_init must be one of {', '.join(UNK_INITS)}, got {unk_init!r}")
    if unk_init == "mean" and len(vectors):
        return vectors.mean(axis=0, dtype=np.float64).astype(np.float32)
    return np.zeros(vectors.shape[1], dtype=np.float32)


def to_torch(kv: KeyedVectors, specials: tuple[str, str] = ("<unk>", "<pad>"), freeze: bool = True,
             unk_init: str = "mean", tokenizer: str = "regex") -> tuple[nn.Embedding, EmbeddingVocab]:
    """An ``nn.Embedding`` holding ``kv``'s vectors, and the :class:`EmbeddingVocab` that indexes it.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["good", "bad", "film"], np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]]))
    >>> embedding, vocab = to_torch(kv)
    >>> vocab.index_to_key, embedding.padding_idx, embedding.weight.requires_grad
    (['<unk>', '<pad>', 'good', 'bad', 'film'], 1, False)
    >>> [round(x, 3) for x in embedding.weight[0].tolist()]      # <unk>: the mean vector
    [0.0, 0.333]
    >>> ids, mask = vocab.encode_batch(["a good film", "bad"])
    >>> ids.tolist(), embedding(ids).shape
    ([[0, 2, 4], [3, 1, 1]], torch.Size([2, 3, 2]))

    Row 0 is ``<unk>`` (the mean vector, or zeros with ``unk_init="zeros"``), row 1 ``<pad>`` (a
    zero row, ``padding_idx=1``, which never receives a gradient), then ``kv.index_to_key`` in
    order. ``freeze=True`` makes the weights non-trainable. The weight is float32 and a copy:
    training the layer leaves ``kv`` untouched.
    """
    vectors = np.asarray(kv.vectors, dtype=np.float32)
    vocabulary = EmbeddingVocab(kv.index_to_key, specials=specials, counts=kv.counts, tokenizer=tokenizer)
    weight = np.empty((len(vocabulary), vectors.shape[1]), dtype=np.float32)
    weight[UNK_INDEX] = _unk_row(vectors, unk_init)
    weight[PAD_INDEX] = 0.0
    weight[2:] = vectors
    embedding = nn.Embedding.from_pretrained(torch.from_numpy(weight), freeze=freeze, padding_idx=PAD_INDEX)
    return embedding, vocabulary


def embedding_for(vocabulary: EmbeddingVocab, dim: int | None = None, vectors=None, *, freeze: bool = False,
                  unk_init: str = "mean", scale: float | None = None,
                  generator: torch.Generator | None = None) -> tuple[nn.Embedding, int]:
    """An ``nn.Embedding`` for ``vocabulary``: rows of words found in ``vectors`` copied from it,
    the others drawn from N(0, scale²) (``scale`` defaults to the vectors' standard deviation, or
    0.1 without vectors). Returns the layer and how many words were found in ``vectors``.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["good", "bad", "film"], np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]]))
    >>> from wordvec.torch import EmbeddingVocab
    >>> vocab = EmbeddingVocab(["good", "awful"])
    >>> embedding, found = embedding_for(vocab, vectors=kv)
    >>> found, embedding.weight.shape                  # "awful" is not in kv: drawn at random
    (1, torch.Size([4, 2]))
    >>> embedding.weight[vocab.key_to_index["good"]].tolist()
    [1.0, 0.0]

    ``vectors`` is anything with ``__contains__``, ``__getitem__`` and ``vector_size``
    (KeyedVectors, SubwordVectors). The padding row is zero and ``padding_idx`` is set.
    """
    if vectors is not None:
        if dim is not None and dim != vectors.vector_size:
            raise ValueError(f"dim={dim} but the vectors have {vectors.vector_size} dimensions")
        dim = int(vectors.vector_size)
    if dim is None or dim < 1:
        raise ValueError(f"give an embedding size (dim >= 1) or pre-trained vectors, got dim={dim}")
    words = vocabulary.words
    found_rows: list[int] = []
    found_vecs: list[np.ndarray] = []
    if vectors is not None:
        for i, w in enumerate(words):
            if w in vectors:
                found_rows.append(i + 2)
                found_vecs.append(np.asarray(vectors[w], dtype=np.float32))
    known = np.stack(found_vecs) if found_vecs else np.zeros((0, dim), dtype=np.float32)
    if scale is None:
        scale = float(known.std()) if len(known) else 0.1
    weight = torch.randn(len(vocabulary), dim, generator=generator) * scale
    if len(known):
        weight[torch.tensor(found_rows, dtype=torch.long)] = torch.from_numpy(known)
        weight[UNK_INDEX] = torch.from_numpy(_unk_row(known, unk_init))
    weight[PAD_INDEX] = 0.0
    embedding = nn.Embedding.from_pretrained(weight, freeze=freeze, padding_idx=PAD_INDEX)
    return embedding, len(found_rows)


def from_torch(embedding: nn.Embedding | torch.Tensor, vocabulary: EmbeddingVocab, include_specials: bool = False
               ) -> KeyedVectors:
    """KeyedVectors from a (trained) embedding and the vocabulary that indexes it.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["good", "bad", "film"], np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]]))
    >>> embedding, vocab = to_torch(kv, freeze=False)
    >>> with __import__("torch").no_grad():
    ...     embedding.weight[vocab.key_to_index["film"]] = 2.0      # stands in for fine-tuning
    ...
    >>> back = from_torch(embedding, vocab)
    >>> back, back["film"]
    (KeyedVectors(3 keys, 2 dimensions), array([2., 2.], dtype=float32))

    The specials are left out unless ``include_specials``; counts come from the vocabulary
    when it has them. The vectors are a float32 copy, detached from autograd.
    """
    from wordvec.vectors.keyed import KeyedVectors

    weight = embedding.weight if isinstance(embedding, nn.Module) else embedding
    weight = weight.detach().to("cpu", torch.float32).numpy()
    if weight.ndim != 2 or weight.shape[0] != len(vocabulary):
        raise ValueError(f"the embedding has shape {tuple(weight.shape)} but the vocabulary has "
                         f"{len(vocabulary)} rows (2 specials + {len(vocabulary) - 2} words)")
    if include_specials:
        keys, rows, counts = vocabulary.index_to_key, weight, None
        if vocabulary.counts is not None:
            counts = np.array([0, 0, *vocabulary.counts], dtype=np.int64)
    else:
        keys, rows = vocabulary.words, weight[2:]
        counts = None if vocabulary.counts is None else np.array(vocabulary.counts, dtype=np.int64)
    return KeyedVectors(keys, np.array(rows, dtype=np.float32, order="C"), counts)
