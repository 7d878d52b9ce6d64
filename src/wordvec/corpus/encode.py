"""One pass over a corpus: count words and encode every sentence as int32 ids.

Each token gets a provisional id in order of first appearance (a C-level defaultdict
lookup per token); after the pass the vocabulary is sorted and pruned and the
provisional ids are remapped with one NumPy gather. The corpus is therefore tokenized
once, however many epochs follow. Tokens of pruned words are dropped before windowing,
as in word2vec.c and gensim.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from wordvec.vocab.vocab import EmptyVocabularyError, Vocab

__all__ = ["EncodedCorpus", "scan_corpus", "encode_with_vocab", "MAX_SENTENCE_LENGTH"]

log = logging.getLogger(__name__)

# Sentences longer than this are split into pieces of at most this many tokens (and counted in
# ``EncodedCorpus.n_split``): every token is trained, none is dropped (gensim truncates at 10,000).
MAX_SENTENCE_LENGTH = 10_000
_FLUSH = 1 << 20  # tokens buffered in a Python list before conversion to an int32 array


@dataclass(frozen=True)
class EncodedCorpus:
    """Token ids of kept words (int32) and sentence boundaries (int64, ``offsets[s]:offsets[s+1]``)."""

    tokens: np.ndarray
    offsets: np.ndarray
    raw_words: int  # tokens in the source, kept or not
    n_split: int = 0  # sentences split because they were longer than max_sentence_length

    @property
    def n_sentences(self) -> int:
        return int(self.offsets.shape[0] - 1)

    @property
    def n_tokens(self) -> int:
        return int(self.tokens.shape[0])


def _read(corpus: Iterable, progress: Callable[[int], None] | None):
    """Provisional ids (int32 array), sentence lengths (int64 array), keys in first-seen order."""
    ids: dict[str, int] = defaultdict(itertools.count().__next__)
    get = ids.__getitem__
    buf: list[int] = []
    chunks: list[np.ndarray] = []
    lengths: list[int] = []
    seen = 0
    for n_sent, sent in enumerate(corpus):
        if isinstance(sent, str):
            raise TypeError(f"sentence #{n_sent} is a string, not a list of tokens")
        before = len(buf)
        try:
            buf.extend(map(get, sent))
        except TypeError:
            bad = next(t for t in sent if not isinstance(t, str))
            raise TypeError(f"sentence #{n_sent}: tokens must be strings, got {type(bad).__name__} {bad!r}") from None
        lengths.append(len(buf) - before)
        if len(buf) >= _FLUSH:
            chunks.append(np.array(buf, dtype=np.int32))
            seen += len(buf)
            buf.clear()
            if progress is not None:
                progress(seen)
    chunks.append(np.array(buf, dtype=np.int32))
    if progress is not None:
        progress(seen + len(buf))
    tokens = np.concatenate(chunks) if len(chunks) > 1 else chunks[0]
    return tokens, np.array(lengths, dtype=np.int64), list(ids.keys())


def _split_long(offsets: np.ndarray, max_len: int) -> tuple[np.ndarray, int]:
    lengths = np.diff(offsets)
    long = np.flatnonzero(lengths > max_len)
    if long.size == 0:
        return offsets, 0
    extra = [np.arange(offsets[s] + max_len, offsets[s + 1], max_len) for s in long]
    merged = np.sort(np.concatenate([offsets, *extra]), kind="stable")
    return merged, int(long.size)


def _finish(prov: np.ndarray, lengths: np.ndarray, remap: np.ndarray, max_sentence_length: int) -> EncodedCorpus:
    mapped = remap[prov]
    keep = mapped >= 0
    tokens = np.ascontiguousarray(mapped[keep], dtype=np.int32)
    raw_offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=raw_offsets[1:])
    kept_before = np.zeros(len(keep) + 1, dtype=np.int64)
    np.cumsum(keep, out=kept_before[1:])
    offsets = kept_before[raw_offsets]
    offsets = offsets[np.concatenate(([True], np.diff(offsets) > 0))]  # drop emptied sentences
    offsets, n_split = _split_long(offsets, max_sentence_length)
    if n_split:
        log.warning("%d sentences longer than %d tokens were split into pieces (no token dropped)",
                    n_split, max_sentence_length)
    return EncodedCorpus(tokens, offsets, raw_words=int(prov.shape[0]), n_split=n_split)


def scan_corpus(corpus: Iterable, *, min_count: int = 5, max_vocab_size: int | None = None,
                max_sentence_length: int = MAX_SENTENCE_LENGTH,
                progress: Callable[[int], None] | None = None) -> tuple[Vocab, EncodedCorpus]:
    """Count, build the Vocab (see its ordering rule) and encode the corpus, in one pass."""
    if max_sentence_length < 2:
        raise ValueError(f"max_sentence_length must be >= 2, got {max_sentence_length}")
    prov, lengths, keys = _read(corpus, progress)
    if prov.size == 0:
        raise EmptyVocabularyError(
            "the corpus is empty: it holds no tokens (check the path, the file's encoding and the tokenizer)")
    counts = np.bincount(prov, minlength=len(keys)).astype(np.int64)
    vocab = Vocab.from_arrays(keys, counts, min_count=min_count, max_vocab_size=max_vocab_size,
                              total_words=int(prov.size))
    order = np.argsort(-counts, kind="stable")[: len(vocab)]
    remap = np.full(len(keys), -1, dtype=np.int32)
    remap[order] = np.arange(len(vocab), dtype=np.int32)
    return vocab, _finish(prov, lengths, remap, max_sentence_length)


def encode_with_vocab(corpus: Iterable, vocab: Vocab, *,
                      max_sentence_length: int = MAX_SENTENCE_LENGTH) -> EncodedCorpus:
    """Encode a corpus against an existing vocabulary (words outside it are dropped)."""
    prov, lengths, keys = _read(corpus, None)
    k2i = vocab.key_to_index
    remap = np.fromiter((k2i.get(k, -1) for k in keys), dtype=np.int32, count=len(keys))
    return _finish(prov, lengths, remap, max_sentence_length)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
