"""The biLM's training data: the corpus encoded once, the softmax classes, and length-bucketed batches.

The corpus (and the validation text) is read in one pass with
:func:`wordvec.corpus.encode.scan_corpus`, keeping every word: each distinct word is a *type* with
its character ids (inputs are characters, so no input is ever unknown). The softmax predicts the
``min_count`` / ``max_vocab_size`` most frequent words of the training part; classes 0, 1, 2 are
``<S>``, ``</S>`` and ``<UNK>``, word i of the softmax vocabulary is class i + 3.

Training runs on whole sentences (each wrapped in ``<S>`` ... ``</S>``, from a zero state), the way
the vectors are computed afterwards, rather than on fixed windows of the concatenated stream with
state carried across batches (bilm-tf's choice): training then sees exactly the contexts ``embed``
sees, forward and backward LMs share one batch and one character-CNN pass, and a checkpoint needs
no carried LSTM state. To keep padding low, an epoch's sentences are shuffled, sorted by length
within pools of about 50 batches, cut into batches of about ``batch_tokens`` tokens, and the
batches shuffled.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from wordvec.contextual.chars import BOS, EOS, char_table
from wordvec.corpus.encode import scan_corpus
from wordvec.vocab.vocab import Vocab

__all__ = ["N_SPECIAL", "UNK_CLASS", "TrainingData", "encode_training_data", "make_batches"]

#: Softmax classes before the words: <S>, </S>, <UNK>.
N_SPECIAL = 3
BOS_CLASS, EOS_CLASS, UNK_CLASS = 0, 1, 2
_POOL_BATCHES = 50


@dataclass(frozen=True)
class TrainingData:
    """A corpus ready for the biLM.

    >>> from wordvec.contextual.config import BiLMConfig
    >>> cfg = BiLMConfig(filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1).validate()
    >>> from wordvec.contextual.data import encode_training_data
    >>> sentences = [["we", "sat", "on", "the", "river", "bank"], ["the", "bank", "gave", "a", "loan"]] * 5
    >>> data = encode_training_data(sentences, None, validation_split=0.2, min_count=1, max_vocab_size=None,
    ...                             max_sentence_length=100, max_characters=50)
    >>> data.n_train, len(data.offsets) - 1                 # 8 training sentences, 2 held out
    (8, 10)
    >>> data.vocab.index_to_key[:3], data.chars.shape
    (['the', 'bank', 'we'], (11, 50))

    tokens / offsets: every token as a type id (int32) and the sentences' bounds (int64), training
        sentences first, then the held-out ones (from ``n_train`` on).
    chars: the ``(n_types + 2, max_characters)`` character ids of the types; the last two rows are
        ``<S>`` and ``</S>``.
    classes: the softmax class of every type (same rows as ``chars``).
    vocab: the softmax's words (class = index + 3).
    """

    tokens: np.ndarray
    offsets: np.ndarray
    n_train: int
    chars: np.ndarray
    classes: np.ndarray
    vocab: Vocab
    n_split: int

    @property
    def bos(self) -> int:
        return self.chars.shape[0] - 2

    @property
    def eos(self) -> int:
        return self.chars.shape[0] - 1

    @property
    def n_sentences(self) -> int:
        return int(self.offsets.shape[0] - 1)

    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def train_tokens(self) -> int:
        return int(self.offsets[self.n_train])

    def heldout_tokens(self) -> int:
        return int(self.offsets[-1] - self.offsets[self.n_train])

    def fingerprint(self) -> dict:
        """What a checkpoint records of the corpus, to refuse resuming on another one."""
        return {"sentences": self.n_sentences, "train_sentences": self.n_train,
                "tokens": int(self.offsets[-1]), "types": int(self.chars.shape[0] - 2),
                "vocab_size": len(self.vocab), "crc32": zlib.crc32(self.tokens.tobytes())}

    def batch(self, sentence_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(types, lengths)``: a ``(B, T)`` int64 array of type ids with the markers (padding: <S>)
        and the lengths with markers."""
        starts, stops = self.offsets[sentence_ids], self.offsets[sentence_ids + 1]
        lengths = stops - starts + 2
        types = np.full((len(sentence_ids), int(lengths.max())), self.bos, dtype=np.int64)
        for b, (start, stop) in enumerate(zip(starts.tolist(), stops.tolist())):
            types[b, 1:1 + stop - start] = self.tokens[start:stop]
            types[b, 1 + stop - start] = self.eos
        return types, lengths


class _Counted:
    """Passes a corpus through and counts its sentences and tokens (where training ends)."""

    def __init__(self, corpus: Iterable):
        self.corpus = corpus
        self.tokens = 0

    def __iter__(self) -> Iterator:
        for sentence in self.corpus:
            self.tokens += len(sentence)
            yield sentence


def encode_training_data(corpus: Iterable, validation: Iterable | None, *, validation_split: float,
                         min_count: int, max_vocab_size: int | None, max_sentence_length: int,
                         max_characters: int, progress=None) -> TrainingData:
    """Read ``corpus`` (and ``validation``) once and build the :class:`TrainingData`.

    >>> sentences = [["we", "sat", "on", "the", "river", "bank"], ["the", "bank", "gave", "a", "loan"]] * 5
    >>> data = encode_training_data(sentences, None, validation_split=0.2, min_count=1, max_vocab_size=None,
    ...                             max_sentence_length=100, max_characters=50)
    >>> data.n_train, data.tokens[:6].tolist(), data.offsets[:3].tolist()
    (8, [2, 3, 4, 0, 5, 1], [0, 6, 11])

    Without ``validation`` the last ``validation_split`` of the sentences are held out (at least
    one when the split is not 0 and there are two sentences or more).
    """
    counted = _Counted(corpus)
    source = counted if validation is None else _chain(counted, validation)
    types_vocab, encoded = scan_corpus(source, min_count=1, max_sentence_length=max_sentence_length,
                                       progress=progress)
    offsets = encoded.offsets
    n_sent = len(offsets) - 1
    if validation is None:
        n_heldout = int(n_sent * validation_split)
        if validation_split > 0 and n_heldout == 0 and n_sent >= 2:
            n_heldout = 1
        n_train = n_sent - n_heldout
    else:
        n_train = int(np.searchsorted(offsets, counted.tokens, side="left"))
    if n_train == 0:
        raise ValueError("no training sentence is left after holding out the validation sentences; "
                         "lower validation_split or give a larger corpus")
    types = types_vocab.index_to_key
    counts = np.bincount(encoded.tokens[: offsets[n_train]], minlength=len(types))
    vocab = Vocab.from_arrays(types, counts, min_count=min_count, max_vocab_size=max_vocab_size)
    classes = np.full(len(types) + 2, UNK_CLASS, dtype=np.int64)
    order = np.argsort(-counts, kind="stable")[: len(vocab)]
    classes[order] = np.arange(N_SPECIAL, N_SPECIAL + len(vocab))
    classes[-2:] = (BOS_CLASS, EOS_CLASS)
    chars = char_table([*types, BOS, EOS], max_characters)
    return TrainingData(encoded.tokens, offsets, n_train, chars, classes, vocab, encoded.n_split)


def _chain(first: Iterable, second: Iterable) -> Iterator:
    yield from first
    yield from second


def make_batches(lengths: np.ndarray, batch_tokens: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Sentence ids cut into batches of about ``batch_tokens`` tokens (padding counted, markers too).

    >>> import numpy as np
    >>> batches = make_batches(np.array([5, 3, 8, 2, 6]), batch_tokens=12, rng=np.random.default_rng(0))
    >>> sorted(int(i) for batch in batches for i in batch)   # every sentence once
    [0, 1, 2, 3, 4]

    Shuffled, sorted by length within pools of about 50 batches, cut, and the batches shuffled.
    """
    n = len(lengths)
    if n == 0:
        return []
    sizes = lengths + 2
    per_pool = max(1, _POOL_BATCHES * batch_tokens // max(1, int(sizes.mean())))
    order = rng.permutation(n)
    batches: list[np.ndarray] = []
    for start in range(0, n, per_pool):
        pool = order[start:start + per_pool]
        pool = pool[np.argsort(sizes[pool], kind="stable")]
        begin = 0
        for i in range(1, len(pool) + 1):
            # sorted by length: the padded size of pool[begin:i] is its count times its last length
            if i == len(pool) or (i + 1 - begin) * sizes[pool[i]] > batch_tokens:
                batches.append(pool[begin:i])
                begin = i
    return [batches[i] for i in rng.permutation(len(batches))]
