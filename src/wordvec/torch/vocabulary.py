"""EmbeddingVocab: token <-> row index for an ``nn.Embedding``, with ``<unk>`` at 0 and ``<pad>`` at 1.

Row 0 is the unknown-word token (every word not in the vocabulary maps to it), row 1 the
padding token (``padding_idx=1``: a zero row that gets no gradient), then the words. The
layout follows the PyTorch tutorials' ``nn.Embedding(..., padding_idx=...)`` convention.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

import torch

from wordvec.corpus.tokenizers import TOKENIZER_NAMES, get_tokenizer, is_batch_tokenizer

__all__ = ["PAD_INDEX", "UNK_INDEX", "EmbeddingVocab"]

_DEPRECATED = {"Vocabulary": "EmbeddingVocab"}

UNK_INDEX = 0
PAD_INDEX = 1


class EmbeddingVocab:
    """Keys in row order: ``[unk, pad, word_0, word_1, ...]``.

    >>> vocab = EmbeddingVocab(["the", "king", "queen"])
    >>> vocab.index_to_key, vocab.key_to_index["king"]
    (['<unk>', '<pad>', 'the', 'king', 'queen'], 3)
    >>> vocab.tokenize("The King and the Queen")       # as the training text was tokenized
    ['the', 'king', 'and', 'the', 'queen']
    >>> vocab.encode(["the", "king", "and", "the", "queen"])      # unknown words are <unk> (0)
    [2, 3, 0, 2, 4]
    >>> ids, mask = vocab.encode_batch(["the king", "a queen rules"])
    >>> ids.tolist(), mask.tolist()
    ([[2, 3, 1], [0, 4, 0]], [[True, True, False], [True, True, True]])

    The rows of an ``nn.Embedding``, where :class:`wordvec.vocab.Vocab` is the vocabulary a model
    trains on (words and their counts, no special tokens). Called ``Vocabulary`` in earlier
    versions; that name still works, with a DeprecationWarning.

    Parameters
    ----------
    words:
        The words, in the order of their embedding rows (after the two specials).
    specials:
        The names of the unknown-word and padding tokens, in that order.
    counts:
        Optional frequency of each word (same length as ``words``), kept for export.
    tokenizer:
        The tokenizer name (``"regex"``, ``"whitespace"`` or ``"korean"``, the last with the
        ``[ko]`` extra) :meth:`encode_batch` applies to raw strings; saved with the vocabulary
        so a reloaded model tokenizes the same way.
    """

    def __init__(self, words: Sequence[str], *, specials: tuple[str, str] = ("<unk>", "<pad>"),
                 counts: Sequence[int] | None = None, tokenizer: str = "regex"):
        specials = tuple(specials)
        if len(specials) != 2 or not all(isinstance(s, str) and s for s in specials) or specials[0] == specials[1]:
            raise ValueError(f"specials must be two different non-empty names (unknown, padding), got {specials!r}")
        words = list(words)
        index: dict[str, int] = {specials[0]: UNK_INDEX, specials[1]: PAD_INDEX}
        for i, word in enumerate(words):
            if not isinstance(word, str):
                raise TypeError(f"word #{i} is {type(word).__name__}, not str: {word!r}")
            if word in index:
                where = "is a special token" if word in specials else f"is repeated (first at row {index[word]})"
                hint = "; pass other names with specials=(unk, pad)" if word in specials else ""
                raise ValueError(f"word {word!r} at row {i + 2} {where}{hint}")
            index[word] = i + 2
        if counts is not None:
            counts = [int(c) for c in counts]
            if len(counts) != len(words):
                raise ValueError(f"{len(words)} words but {len(counts)} counts")
        if not isinstance(tokenizer, str):
            raise TypeError(f"tokenizer must be a name ({', '.join(map(repr, TOKENIZER_NAMES))}) so that it "
                            f"can be saved, got {type(tokenizer).__name__}")
        self._tokenize = get_tokenizer(tokenizer)
        self.tokenizer = tokenizer
        self.specials: tuple[str, str] = specials  # type: ignore[assignment]
        self.index_to_key: list[str] = [specials[0], specials[1], *words]
        self.key_to_index: dict[str, int] = index
        self.counts: list[int] | None = counts

    # ------------------------------------------------------------------ construction
    @classmethod
    def build(cls, texts: Iterable[str | Sequence[str]], *, min_count: int = 1, max_vocab_size: int | None = None,
              specials: tuple[str, str] = ("<unk>", "<pad>"), tokenizer: str = "regex",
              max_size: int | None = None) -> EmbeddingVocab:
        """Count the words of ``texts`` (raw strings are tokenized) and keep those seen at least
        ``min_count`` times, most frequent first (ties in first-seen order), at most
        ``max_vocab_size`` (``max_size``: its deprecated name)."""
        if max_size is not None:
            warnings.warn("EmbeddingVocab.build(max_size=...) is deprecated: use max_vocab_size",
                          DeprecationWarning, stacklevel=2)
            max_vocab_size = max_size
        if min_count < 1:
            raise ValueError(f"min_count must be >= 1, got {min_count}")
        counter: Counter[str] = Counter()
        for tokens in _tokenize_stream(get_tokenizer(tokenizer), texts):
            counter.update(tokens)
        for s in specials:
            counter.pop(s, None)
        items = [(w, c) for w, c in counter.most_common() if c >= min_count]
        if max_vocab_size is not None:
            items = items[:max_vocab_size]
        if not items:
            raise ValueError(f"no word occurs at least min_count={min_count} times; lower min_count")
        return cls([w for w, _ in items], specials=specials, counts=[c for _, c in items], tokenizer=tokenizer)

    # ------------------------------------------------------------------ basics
    @property
    def unk(self) -> str:
        return self.specials[0]

    @property
    def pad(self) -> str:
        return self.specials[1]

    @property
    def unk_index(self) -> int:
        return UNK_INDEX

    @property
    def pad_index(self) -> int:
        return PAD_INDEX

    @property
    def words(self) -> list[str]:
        """The words without the two specials, in row order (row ``i + 2`` for word ``i``)."""
        return self.index_to_key[2:]

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, key: object) -> bool:
        return key in self.key_to_index

    def __repr__(self) -> str:
        return f"EmbeddingVocab({len(self) - 2} words + {self.specials!r}, tokenizer={self.tokenizer!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, EmbeddingVocab) and self.index_to_key == other.index_to_key
                and self.tokenizer == other.tokenizer)

    def tokenize(self, text: str) -> list[str]:
        return self._tokenize(text)

    def tokenize_batch(self, texts: Sequence[str | Sequence[str]]) -> list[list[str]]:
        """The tokens of each text (raw strings are tokenized, token lists pass through), in
        batches when the tokenizer can (the Korean tokenizer's ``tokenize_many``)."""
        return _tokenize_all(self._tokenize, texts)

    # ------------------------------------------------------------------ encoding
    def encode(self, tokens: Sequence[str]) -> list[int]:
        """Row indexes of ``tokens``; a word not in the vocabulary maps to ``<unk>`` (0)."""
        if isinstance(tokens, str):
            raise TypeError("encode() takes a list of tokens; use encode_batch([text]) or tokenize() for raw text")
        get = self.key_to_index.get
        return [get(t, UNK_INDEX) for t in tokens]

    def encode_batch(self, texts: Sequence[str | Sequence[str]], max_len: int | None = None
                     ) -> tuple[torch.Tensor, torch.Tensor]:
        """Encode and pad ``texts`` (raw strings are tokenized with the vocabulary's tokenizer).

        Returns ``(ids, mask)``: an int64 tensor of shape ``(len(texts), L)`` filled with the
        padding index after each text's end, and a bool tensor of the same shape, True on real
        tokens. ``L`` is the longest text, cut to ``max_len`` when given (longer texts keep
        their first ``max_len`` tokens); at least 1, so an empty text is one padded position.
        """
        if isinstance(texts, str):
            raise TypeError("encode_batch() takes a list of texts, not one string")
        if max_len is not None and max_len < 1:
            raise ValueError(f"max_len must be >= 1, got {max_len}")
        rows = [self.encode(t) for t in self.tokenize_batch(texts)]
        if max_len is not None:
            rows = [r[:max_len] for r in rows]
        width = max([len(r) for r in rows] + [1])
        ids = torch.full((len(rows), width), PAD_INDEX, dtype=torch.long)
        lengths = torch.tensor([len(r) for r in rows], dtype=torch.long)
        for i, r in enumerate(rows):
            if r:
                ids[i, :len(r)] = torch.tensor(r, dtype=torch.long)
        mask = torch.arange(width).unsqueeze(0) < lengths.unsqueeze(1)
        return ids, mask

    # ------------------------------------------------------------------ persistence
    def to_dict(self) -> dict:
        """A JSON-serialisable description (what :meth:`from_dict` reads)."""
        d: dict = {"specials": list(self.specials), "tokenizer": self.tokenizer, "words": self.words}
        if self.counts is not None:
            d["counts"] = self.counts
        return d

    @classmethod
    def from_dict(cls, d: dict) -> EmbeddingVocab:
        try:
            return cls(d["words"], specials=tuple(d["specials"]), counts=d.get("counts"),
                       tokenizer=d.get("tokenizer", "regex"))
        except KeyError as exc:
            raise ValueError(f"vocabulary description lacks the field {exc.args[0]!r}") from None


def _tokenize_stream(tok, texts: Iterable[str | Sequence[str]], batch: int = 4096) -> Iterator[Sequence[str]]:
    """The tokens of each of ``texts``, in order: raw strings are tokenized (through
    ``tok.tokenize_many``, a batch at a time, when it has one), token lists pass through."""
    if not is_batch_tokenizer(tok):
        for t in texts:
            yield tok(t) if isinstance(t, str) else t
        return
    pending: list[str] = []
    for t in texts:
        if isinstance(t, str):
            pending.append(t)
            if len(pending) < batch:
                continue
        if pending:
            yield from tok.tokenize_many(pending)
            pending = []
        if not isinstance(t, str):
            yield t
    if pending:
        yield from tok.tokenize_many(pending)


def _tokenize_all(tok, texts: Iterable[str | Sequence[str]]) -> list[Sequence[str]]:
    return list(_tokenize_stream(tok, texts))


def __getattr__(name: str):
    """``Vocabulary``: the name of :class:`EmbeddingVocab` in earlier versions (deprecated)."""
    if name in _DEPRECATED:
        warnings.warn(f"wordvec.torch.{name} is now called {_DEPRECATED[name]}", DeprecationWarning, stacklevel=2)
        return globals()[_DEPRECATED[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
