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
_FLUSH = 1 << 18  # tokens buffered in a Python list before conversion to an int32 array


@dataclass(frozen=True)
class EncodedCorpus:
    """Token ids of kept words (int32) and sentence boundaries (int64, ``offsets[s]:offsets[s+1]``)."""

    tokens: np.ndarray
    offsets: np.ndarray
    total_words: int  # tokens in the source, kept or not (Vocab.total_words)
    n_split: int = 0  # sentences split because they were longer than max_sentence_length

    @property
    def n_sentences(self) -> int:
        return int(self.offsets.shape[0] - 1)

    @property
    def retained_words(self) -> int:
        """Tokens of kept words: the length of ``tokens`` (Vocab.retained_words)."""
        return int(self.tokens.shape[0])


def _read(corpus: Iterable, progress: Callable[[int], None] | None):
    """Provisional ids and raw sentence lengths, in chunks of whole sentences; keys in first-seen order."""
    ids: dict[str, int] = defaultdict(itertools.count().__next__)
    get = ids.__getitem__
    buf: list[int] = []
    lengths: list[int] = []
    chunks: list[tuple[np.ndarray, np.ndarray]] = []
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
            chunks.append((np.array(buf, dtype=np.int32), np.array(lengths, dtype=np.int64)))
            seen += len(buf)
            buf.clear()
            lengths.clear()
            if progress is not None:
                progress(seen)
    chunks.append((np.array(buf, dtype=np.int32), np.array(lengths, dtype=np.int64)))
    if progress is not None:
        progress(seen + len(buf))
    return chunks, list(ids.keys())


def _counts(chunks, n_keys: int) -> np.ndarray:
    counts = np.zeros(n_keys, dtype=np.int64)
    for prov, _ in chunks:
        counts += np.bincount(prov, minlength=n_keys)
    return counts


def _split_long(offsets: np.ndarray, max_len: int) -> tuple[np.ndarray, int]:
    lengths = np.diff(offsets)
    long = np.flatnonzero(lengths > max_len)
    if long.size == 0:
        return offsets, 0
    extra = [np.arange(offsets[s] + max_len, offsets[s + 1], max_len) for s in long]
    merged = np.sort(np.concatenate([offsets, *extra]), kind="stable")
    return merged, int(long.size)


def _finish(chunks, remap: np.ndarray, n_kept: int, max_sentence_length: int) -> EncodedCorpus:
    from wordvec._kernels.encode import compact_chunk

    n_sent = sum(len(lengths) for _, lengths in chunks)
    tokens = np.empty(n_kept, dtype=np.int32)
    offsets = np.zeros(n_sent + 1, dtype=np.int64)
    tok_pos, sent_pos, raw = 0, 0, 0
    while chunks:  # consume the chunks so their memory is freed as we go
        prov, lengths = chunks.pop(0)
        raw += prov.shape[0]
        tok_pos, sent_pos = compact_chunk(prov, lengths, remap, tokens, offsets, tok_pos, sent_pos)
    offsets = offsets[: sent_pos + 1].copy()
    offsets, n_split = _split_long(offsets, max_sentence_length)
    if n_split:
        log.warning("%d sentences longer than %d tokens were split into pieces (no token dropped)",
                    n_split, max_sentence_length)
    return EncodedCorpus(tokens, offsets, total_words=raw, n_split=n_split)


def scan_corpus(corpus: Iterable, *, min_count: int = 5, max_vocab_size: int | None = None,
                max_sentence_length: int = MAX_SENTENCE_LENGTH,
                progress: Callable[[int], None] | None = None) -> tuple[Vocab, EncodedCorpus]:
    """Count, build the Vocab (see its ordering rule) and encode the corpus, in one pass."""
    if max_sentence_length < 2:
        raise ValueError(f"max_sentence_length must be >= 2, got {max_sentence_length}")
    chunks, keys = _read(corpus, progress)
    if not keys:
        raise EmptyVocabularyError(
            "the corpus is empty: it holds no tokens (check the path, the file's encoding and the tokenizer)")
    counts = _counts(chunks, len(keys))
    vocab = Vocab.from_arrays(keys, counts, min_count=min_count, max_vocab_size=max_vocab_size,
                              total_words=int(counts.sum()))
    order = np.argsort(-counts, kind="stable")[: len(vocab)]
    remap = np.full(len(keys), -1, dtype=np.int32)
    remap[order] = np.arange(len(vocab), dtype=np.int32)
    return vocab, _finish(chunks, remap, vocab.retained_words, max_sentence_length)


def encode_with_vocab(corpus: Iterable, vocab: Vocab, *,
                      max_sentence_length: int = MAX_SENTENCE_LENGTH) -> EncodedCorpus:
    """Encode a corpus against an existing vocabulary (words outside it are dropped)."""
    chunks, keys = _read(corpus, None)
    k2i = vocab.key_to_index
    remap = np.fromiter((k2i.get(k, -1) for k in keys), dtype=np.int32, count=len(keys))
    counts = _counts(chunks, len(keys))
    n_kept = int(counts[remap >= 0].sum())
    return _finish(chunks, remap, n_kept, max_sentence_length)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
