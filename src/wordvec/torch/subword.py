"""FastText vectors as an ``nn.EmbeddingBag``: unseen words embed inside a model through their
character n-grams, exactly as :class:`~wordvec.vectors.subword.SubwordVectors` computes them.

``to_torch_bag(sv)`` returns an ``nn.EmbeddingBag(mode="mean")`` whose weight is fastText's input
matrix, ``vstack(word_rows, ngram_rows)`` (row ``i`` is vocabulary word ``i``, row ``V + b`` n-gram
bucket ``b``), and a :class:`SubwordEncoder` that turns words into the ``(input, offsets)`` pair the
bag takes. A vocabulary word's bag is its own row plus its n-gram rows, an unseen word's its n-gram
rows alone, and ``</s>`` (which fastText never splits) its own row only — so
``bag(*encoder.encode(words))[j]`` equals ``sv[words[j]]`` (up to float32 rounding). Vectors of a
``FastText(jamo=True)`` model give an encoder that takes the n-grams over jamo, as they do.

>>> import numpy as np
>>> from wordvec.vectors import SubwordVectors
>>> sv = SubwordVectors(["film", "good"], np.ones((2, 4)), np.zeros((50, 4)), min_n=3, max_n=4, bucket=50)
>>> bag, encoder = to_torch_bag(sv)
>>> bag(*encoder.encode(["film", "filmmaking"])).shape    # (2, d), OOV words included
torch.Size([2, 4])
>>> ids, offsets, text_index = encoder.encode_batch([["a", "good", "film"], ["bad"]])
>>> bag(ids, offsets).shape, text_index.tolist()          # one vector per token, and its text
(torch.Size([4, 4]), [0, 0, 0, 1])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from wordvec.corpus.tokenizers import get_tokenizer
from wordvec.vocab.subwords import oov_rows

if TYPE_CHECKING:
    from wordvec.vectors.subword import SubwordVectors

__all__ = ["SubwordEncoder", "to_torch_bag"]

_EOS = "</s>"  # fastText's Dictionary::EOS: never split into n-grams (see wordvec.vectors.subword)


class SubwordEncoder:
    """Words -> the ``(input, offsets)`` pair of an ``nn.EmbeddingBag`` over fastText's input matrix.

    >>> import numpy as np
    >>> from wordvec.vectors import SubwordVectors
    >>> rng = np.random.default_rng(0)
    >>> ft = SubwordVectors(["film", "good"], rng.normal(size=(2, 4)), rng.normal(size=(50, 4)), min_n=3, max_n=4,
    ...                     bucket=50)
    >>> encoder = SubwordEncoder(ft.index_to_key, min_n=3, max_n=4, bucket=50)
    >>> ids, offsets = encoder.encode(["film", "flim"])
    >>> offsets.tolist(), ids[:offsets[1]].tolist()[:1]     # "film" starts with its own row, 0
    ([0, 8], [0])
    >>> ids, offsets, text_index = encoder.encode_batch([["a", "good", "film"], ["bad"]])
    >>> text_index.tolist()                                  # which text each token came from
    [0, 0, 0, 1]

    Parameters
    ----------
    index_to_key:
        The vocabulary, in row order (rows ``0 .. V-1`` of the bag's weight).
    min_n, max_n, bucket:
        The n-gram settings of the vectors (n-gram bucket ``b`` is row ``V + b``).
    jamo:
        Take n-grams over the jamo of Hangul syllables (``<decompose(word)>``), as
        ``SubwordVectors(jamo=True)`` does.
    tokenizer:
        What :meth:`encode_batch` applies to raw strings (``"regex"``, ``"whitespace"``).
    cache_size:
        How many words' row lists to remember (0 turns the cache off).
    """

    def __init__(self, index_to_key: Sequence[str], *, min_n: int, max_n: int, bucket: int,
                 jamo: bool = False, tokenizer: str = "regex", cache_size: int = 100_000):
        self.index_to_key: list[str] = list(index_to_key)
        self.key_to_index: dict[str, int] = {w: i for i, w in enumerate(self.index_to_key)}
        self.min_n, self.max_n, self.bucket = int(min_n), int(max_n), int(bucket)
        if not isinstance(jamo, (bool, np.bool_)):
            raise TypeError(f"jamo must be True or False, got {jamo!r}")
        self.jamo = bool(jamo)
        if self.jamo:
            from wordvec.corpus.jamo import decompose

            self._ngram_text = decompose
        else:
            self._ngram_text = str
        self.tokenizer = tokenizer
        self._tokenize = get_tokenizer(tokenizer)
        self.cache_size = int(cache_size)
        self._cache: dict[str, np.ndarray] = {}

    @classmethod
    def from_vectors(cls, sv: SubwordVectors, **kwargs) -> SubwordEncoder:
        return cls(sv.index_to_key, min_n=sv.min_n, max_n=sv.max_n, bucket=sv.bucket,
                   jamo=sv.jamo, **kwargs)

    @property
    def num_embeddings(self) -> int:
        """Rows of the matching weight: ``V + bucket``."""
        return len(self.index_to_key) + self.bucket

    def __repr__(self) -> str:
        return (f"SubwordEncoder({len(self.index_to_key)} words, {'jamo ' if self.jamo else ''}"
                f"n-grams {self.min_n}-{self.max_n} "
                f"in {self.bucket} buckets)")

    # ------------------------------------------------------------------ rows of one word
    def rows(self, word: str) -> np.ndarray:
        """The weight rows (int64) whose mean is ``word``'s vector; a KeyError naming the word if
        it is neither in the vocabulary nor has any character n-gram."""
        if not isinstance(word, str):
            raise TypeError(f"words are strings, got {type(word).__name__}: {word!r}")
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        n_vocab = len(self.index_to_key)
        ngrams = (np.empty(0, dtype=np.int64) if word == _EOS
                  else oov_rows(self._ngram_text(word), n_vocab, self.min_n, self.max_n, self.bucket))
        index = self.key_to_index.get(word)
        if index is not None:
            rows = np.concatenate([np.array([index], dtype=np.int64), ngrams.astype(np.int64)])
        elif ngrams.size == 0:
            raise KeyError(f"{word!r} is not in the vocabulary ({n_vocab} keys) and has no "
                           f"{'jamo' if self.jamo else 'character'} n-grams (min_n={self.min_n}, "
                           f"max_n={self.max_n})")
        else:
            rows = ngrams.astype(np.int64)
        if self.cache_size > 0:
            if len(self._cache) >= self.cache_size:
                self._cache.clear()
            self._cache[word] = rows
        return rows

    def has_rows(self, word: str) -> bool:
        """True if :meth:`rows` answers for ``word`` (in the vocabulary, or has an n-gram)."""
        try:
            self.rows(word)
        except KeyError:
            return False
        return True

    # ------------------------------------------------------------------ encoding
    def _flatten(self, words: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
        bags = [self.rows(w) for w in words]
        lengths = np.fromiter((len(b) for b in bags), dtype=np.int64, count=len(bags))
        offsets = np.zeros(len(bags), dtype=np.int64)
        if len(bags) > 1:
            np.cumsum(lengths[:-1], out=offsets[1:])
        ids = np.concatenate(bags) if bags else np.empty(0, dtype=np.int64)
        return torch.from_numpy(ids), torch.from_numpy(offsets)

    def encode(self, words: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """``(ids, offsets)`` for ``bag(ids, offsets)``: one bag per word, in order.

        ``ids`` (int64) are the words' rows flattened; ``offsets`` (int64, ``len(words)``) the
        start of each word's rows in ``ids`` (EmbeddingBag's default, ``include_last_offset=False``).
        A word that is not in the vocabulary and has no n-gram raises a KeyError naming it.
        """
        if isinstance(words, str):
            raise TypeError("encode() takes a list of words; use encode([word]) for one word")
        return self._flatten(words)

    def encode_batch(self, texts: Sequence[str | Sequence[str]]
                     ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Every token of every text as its own bag: ``(ids, offsets, text_index)``.

        Raw strings are tokenized with the encoder's tokenizer. ``bag(ids, offsets)`` gives one
        row per token, all texts' tokens in order; ``text_index`` (int64, one per token) is the
        position of its text in ``texts``, ready for ``index_add_``/``scatter_reduce`` (e.g. the
        mean vector of each text). An empty text contributes no token. A token with no rows
        raises a KeyError naming it.
        """
        if isinstance(texts, str):
            raise TypeError("encode_batch() takes a list of texts, not one string")
        tokens: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            toks = self._tokenize(text) if isinstance(text, str) else list(text)
            tokens.extend(toks)
            owner.extend([i] * len(toks))
        ids, offsets = self._flatten(tokens)
        return ids, offsets, torch.tensor(owner, dtype=torch.long)


def to_torch_bag(sv: SubwordVectors, freeze: bool = True, tokenizer: str = "regex"
                 ) -> tuple[nn.EmbeddingBag, SubwordEncoder]:
    """An ``nn.EmbeddingBag(mode="mean")`` holding fastText's input matrix, and the
    :class:`SubwordEncoder` that indexes it.

    >>> import numpy as np
    >>> from wordvec.vectors import SubwordVectors
    >>> rng = np.random.default_rng(0)
    >>> ft = SubwordVectors(["film", "good"], rng.normal(size=(2, 4)), rng.normal(size=(50, 4)), min_n=3, max_n=4,
    ...                     bucket=50)
    >>> bag, encoder = to_torch_bag(ft)
    >>> vectors = bag(*encoder.encode(["film", "filmmaking"]))   # a vocabulary word and an unseen one
    >>> vectors.shape
    torch.Size([2, 4])
    >>> bool(np.allclose(vectors[1].numpy(), ft["filmmaking"], atol=1e-6))
    True

    The weight is ``vstack(sv.word_rows, sv.ngram_rows)`` as a float32 copy (training the layer
    leaves ``sv`` untouched); ``freeze=True`` makes it non-trainable. ``bag(*encoder.encode(words))``
    reproduces ``sv[word]`` for vocabulary and unseen words alike.
    """
    word_rows = np.asarray(sv.word_rows, dtype=np.float32)
    ngram_rows = np.asarray(sv.ngram_rows, dtype=np.float32).reshape(-1, word_rows.shape[1])
    weight = np.vstack([word_rows, ngram_rows]).astype(np.float32, copy=False)
    bag = nn.EmbeddingBag.from_pretrained(torch.from_numpy(np.ascontiguousarray(weight)), freeze=freeze,
                                          mode="mean")
    return bag, SubwordEncoder.from_vectors(sv, tokenizer=tokenizer)
