"""One pass over a corpus: count words and encode every sentence as int32 ids.

Each token gets a provisional id in order of first appearance (a C-level defaultdict
lookup per token); after the pass the vocabulary is sorted and pruned and the
provisional ids are remapped with one NumPy gather. The corpus is therefore tokenized
once, however many epochs follow. Tokens of pruned words are dropped before windowing,
as in word2vec.c and gensim.

Memory flat in corpus length: with ``spill_tokens`` set, a corpus longer than that many
tokens is not held in memory. Its provisional ids and sentence lengths go to anonymous
temporary files (``tempfile.TemporaryFile``: no name on disk, removed by the system when
closed, even after a crash) as they are read; the remap then rewrites the ids in place, in
blocks, and writes the final sentence offsets to a second file. The resulting
:class:`EncodedCorpus` maps both files read-only (``tokens`` and ``offsets`` are
``np.memmap``), and training reads each job's window with ``pread`` into a small buffer
(:meth:`EncodedCorpus.read_sentences`), so that neither the anonymous memory nor the resident
file pages of the process grow with the corpus: the bytes stay in the OS page cache (or on
disk). The ids and offsets are the same as the in-memory path's, bit for bit.
"""

from __future__ import annotations

import itertools
import logging
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from wordvec.vocab.vocab import EmptyVocabularyError, Vocab

__all__ = ["EncodedCorpus", "scan_corpus", "encode_with_vocab", "MAX_SENTENCE_LENGTH", "SPILL_TOKENS"]

log = logging.getLogger(__name__)

# Sentences longer than this are split into pieces of at most this many tokens (and counted in
# ``EncodedCorpus.n_split``): every token is trained, none is dropped (gensim truncates at 10,000).
MAX_SENTENCE_LENGTH = 10_000
_FLUSH = 1 << 18  # tokens buffered in a Python list before conversion to an int32 array
#: Corpora of more tokens than this are encoded to temporary files and streamed (Word2Vec and
#: FastText pass it to :func:`scan_corpus`): 4M tokens, 16 MiB of ids. Smaller ones stay in memory.
SPILL_TOKENS = 1 << 22
_BLOCK_SENTENCES = 1 << 16  # sentences per block when the spilled ids are remapped
_BLOCK_OFFSETS = 1 << 20  # offsets read per block when job boundaries are computed (8 MiB)


@dataclass(frozen=True)
class EncodedCorpus:
    """Token ids of kept words (int32) and sentence boundaries (int64, ``offsets[s]:offsets[s+1]``).

    >>> vocab, encoded = scan_corpus([["the", "king"], ["the", "queen", "rules"]], min_count=1)
    >>> encoded.tokens.tolist(), encoded.offsets.tolist()
    ([0, 1, 0, 2, 3], [0, 2, 5])
    >>> encoded.n_sentences, encoded.retained_words, encoded.streamed
    (2, 5, False)

    A streamed corpus (``streamed``) keeps both in anonymous temporary files, mapped read-only;
    read windows of it with :meth:`read_sentences` rather than through the maps, whose pages
    would count in the process's resident memory once touched. :meth:`close` frees the files
    (garbage collection does too).
    """

    tokens: np.ndarray
    offsets: np.ndarray
    total_words: int  # tokens in the source, kept or not (Vocab.total_words)
    n_split: int = 0  # sentences split because they were longer than max_sentence_length
    _files: tuple | None = field(default=None, repr=False, compare=False)  # (tokens, offsets) files

    @property
    def n_sentences(self) -> int:
        return int(self.offsets.shape[0] - 1)

    @property
    def retained_words(self) -> int:
        """Tokens of kept words: the length of ``tokens`` (Vocab.retained_words)."""
        return int(self.tokens.shape[0])

    @property
    def streamed(self) -> bool:
        """True when tokens and offsets live in temporary files rather than in memory."""
        return self._files is not None

    def read_sentences(self, s0: int, s1: int) -> tuple[np.ndarray, np.ndarray]:
        """Sentences ``s0:s1`` as (token ids, offsets from 0): new arrays for a streamed corpus, views
        otherwise. Safe to call from several threads at once."""
        if self._files is None:
            o0, o1 = int(self.offsets[s0]), int(self.offsets[s1])
            return self.tokens[o0:o1], self.offsets[s0:s1 + 1] - o0
        offsets = _pread(self._files[1], np.int64, s0, s1 + 1 - s0)
        o0 = int(offsets[0])
        tokens = _pread(self._files[0], np.int32, o0, int(offsets[-1]) - o0)
        offsets -= o0
        return tokens, offsets

    def job_cuts(self, job_words: int) -> tuple[np.ndarray, np.ndarray]:
        """(sentence indexes where jobs start, plus the end; the offsets there): the trainer's
        ``make_jobs(offsets, job_words)`` and ``offsets[cuts]``, computed by blocks of offsets."""
        n_sent = self.n_sentences
        if n_sent <= 0:
            return np.array([0, 0], dtype=np.int64), np.full(2, self._offset(0), dtype=np.int64)
        first, last = self._offset(0), self._offset(n_sent)
        targets = np.arange(first + job_words, last, job_words)
        cuts, at = [np.array([0])], [np.array([first])]
        # Blocks overlap by one offset: a target t falls in exactly one (block[0], block[-1]], where
        # searchsorted(..., "left") finds the same index as over the whole array.
        step = max(_BLOCK_OFFSETS, 2)
        for b0 in range(0, n_sent, step - 1):
            block = self._offsets_block(b0, min(b0 + step, n_sent + 1))
            lo, hi = np.searchsorted(targets, [block[0], block[-1]], side="right")
            if hi > lo:
                found = np.searchsorted(block, targets[lo:hi], side="left")
                cuts.append(found + b0)
                at.append(block[found])
        cuts.append(np.array([n_sent]))
        at.append(np.array([last]))
        cuts, first_seen = np.unique(np.concatenate(cuts), return_index=True)
        return cuts.astype(np.int64), np.concatenate(at).astype(np.int64)[first_seen]

    def _offset(self, s: int) -> int:
        return int(self.offsets[s]) if self._files is None else int(_pread(self._files[1], np.int64, s, 1)[0])

    def _offsets_block(self, b0: int, b1: int) -> np.ndarray:
        return self.offsets[b0:b1] if self._files is None else _pread(self._files[1], np.int64, b0, b1 - b0)

    def close(self) -> None:
        """Free a streamed corpus's temporary files (its arrays are unusable afterwards)."""
        if self._files is not None:
            for f in self._files:
                f.close()


def _pread(f, dtype, start: int, count: int) -> np.ndarray:
    """``count`` items of ``dtype`` from item ``start`` of file ``f``, by position (no shared seek)."""
    out = np.empty(count, dtype=dtype)
    view = memoryview(out).cast("B")
    pos, done, fd = start * out.itemsize, 0, f.fileno()
    while done < view.nbytes:
        n = os.preadv(fd, [view[done:]], pos + done)
        if n <= 0:
            raise EOFError(f"the encoded corpus file ended {view.nbytes - done} bytes early")
        done += n
    return out


class _Spill:
    """Provisional ids and raw sentence lengths in memory, moved to temporary files past ``limit`` tokens."""

    def __init__(self, limit: int | None, directory):
        self.limit, self.directory = limit, directory
        self.chunks: list[tuple[np.ndarray, np.ndarray]] = []
        self.n_tokens = 0
        self.files = None  # (ids, lengths) temporary files once spilled
        self.counts = np.zeros(0, dtype=np.int64)
        self.n_sentences = 0

    def add(self, prov: np.ndarray, lengths: np.ndarray, n_keys: int) -> None:
        self.n_tokens += prov.shape[0]
        if self.files is None and self.limit is not None and self.n_tokens > self.limit:
            self.files = (tempfile.TemporaryFile(dir=self.directory), tempfile.TemporaryFile(dir=self.directory))
            held, self.chunks = self.chunks, []
            for p, n in held:
                self._write(p, n, n_keys)
        if self.files is None:
            self.chunks.append((prov, lengths))
        else:
            self._write(prov, lengths, n_keys)

    def _write(self, prov, lengths, n_keys):
        if self.counts.shape[0] < n_keys:
            self.counts = np.concatenate([self.counts, np.zeros(n_keys - self.counts.shape[0], dtype=np.int64)])
        self.counts += np.bincount(prov, minlength=n_keys)[:n_keys] if prov.size else 0
        self.files[0].write(prov.tobytes())
        self.files[1].write(lengths.astype(np.int64, copy=False).tobytes())
        self.n_sentences += lengths.shape[0]


def _read(corpus: Iterable, progress: Callable[[int], None] | None, spill: _Spill | None = None):
    """Provisional ids and raw sentence lengths, in chunks of whole sentences; keys in first-seen order.

    With ``spill`` the chunks are handed to it (it returns ``spill``), otherwise returned as a list."""
    ids: dict[str, int] = defaultdict(itertools.count().__next__)
    get = ids.__getitem__
    buf: list[int] = []
    lengths: list[int] = []
    chunks: list[tuple[np.ndarray, np.ndarray]] = []
    add = chunks.append if spill is None else (lambda chunk: spill.add(*chunk, len(ids)))
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
            add((np.array(buf, dtype=np.int32), np.array(lengths, dtype=np.int64)))
            seen += len(buf)
            buf.clear()
            lengths.clear()
            if progress is not None:
                progress(seen)
    add((np.array(buf, dtype=np.int32), np.array(lengths, dtype=np.int64)))
    if progress is not None:
        progress(seen + len(buf))
    return (chunks if spill is None else spill), list(ids.keys())


def _counts(chunks, n_keys: int) -> np.ndarray:
    if isinstance(chunks, _Spill):
        counts = np.zeros(n_keys, dtype=np.int64)
        counts[: chunks.counts.shape[0]] = chunks.counts
        for prov, _ in chunks.chunks:
            counts += np.bincount(prov, minlength=n_keys)
        return counts
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


def _warn_split(n_split: int, max_sentence_length: int) -> None:
    if n_split:
        log.warning("%d sentences longer than %d tokens were split into pieces (no token dropped)",
                    n_split, max_sentence_length)


def _finish(chunks, remap: np.ndarray, n_kept: int, max_sentence_length: int) -> EncodedCorpus:
    from wordvec._kernels.encode import compact_chunk

    if isinstance(chunks, _Spill):
        if chunks.files is None:
            chunks = chunks.chunks
        else:
            return _finish_spilled(chunks, remap, max_sentence_length)
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
    _warn_split(n_split, max_sentence_length)
    return EncodedCorpus(tokens, offsets, total_words=raw, n_split=n_split)


def _finish_spilled(spill: _Spill, remap: np.ndarray, max_sentence_length: int) -> EncodedCorpus:
    """Remap the spilled ids block by block, in place (kept ids never move forward), and write the
    offsets to a new temporary file; the lengths file is closed (freed) at the end."""
    from wordvec._kernels.encode import compact_chunk

    ids_file, lengths_file = spill.files
    ids_file.flush()
    lengths_file.flush()
    offsets_file = tempfile.TemporaryFile(dir=spill.directory)
    n_sent = spill.n_sentences
    tok_pos, raw, n_split, end = 0, 0, 0, 0
    offsets_file.write(np.zeros(1, dtype=np.int64).tobytes())
    try:
        for s0 in range(0, n_sent, _BLOCK_SENTENCES):
            lengths = _pread(lengths_file, np.int64, s0, min(_BLOCK_SENTENCES, n_sent - s0))
            prov = _pread(ids_file, np.int32, raw, int(lengths.sum()))
            raw += prov.shape[0]
            out = np.empty(prov.shape[0], dtype=np.int32)
            block = np.zeros(lengths.shape[0] + 1, dtype=np.int64)
            kept, n_out = compact_chunk(prov, lengths, remap, out, block, 0, 0)
            del prov
            os.pwrite(ids_file.fileno(), memoryview(out[:kept]).cast("B"), tok_pos * 4)
            block = block[: n_out + 1] + tok_pos
            block[0] = end
            block, split = _split_long(block, max_sentence_length)
            n_split += split
            offsets_file.write(block[1:].tobytes())
            tok_pos += kept
            end = tok_pos
    except BaseException:
        ids_file.close()
        offsets_file.close()
        raise
    finally:
        lengths_file.close()
    ids_file.truncate(tok_pos * 4)
    offsets_file.flush()
    _warn_split(n_split, max_sentence_length)
    n_offsets = offsets_file.seek(0, os.SEEK_END) // 8
    tokens = np.memmap(ids_file, dtype=np.int32, mode="r", shape=(tok_pos,)) if tok_pos else np.zeros(0, np.int32)
    offsets = np.memmap(offsets_file, dtype=np.int64, mode="r", shape=(n_offsets,))
    return EncodedCorpus(tokens, offsets, total_words=raw, n_split=n_split, _files=(ids_file, offsets_file))


def scan_corpus(corpus: Iterable, *, min_count: int = 5, max_vocab_size: int | None = None,
                max_sentence_length: int = MAX_SENTENCE_LENGTH,
                progress: Callable[[int], None] | None = None,
                spill_tokens: int | None = None, spill_dir: str | os.PathLike | None = None,
                ) -> tuple[Vocab, EncodedCorpus]:
    """Count, build the Vocab (see its ordering rule) and encode the corpus, in one pass.

    >>> vocab, encoded = scan_corpus([["the", "king"], ["the", "queen"], ["a", "king"]], min_count=2)
    >>> vocab.index_to_key, vocab.total_words
    (['the', 'king'], 6)
    >>> encoded.tokens.tolist(), encoded.offsets.tolist()          # words under min_count are dropped
    ([0, 1, 0, 1], [0, 2, 3, 4])

    ``spill_tokens``: a corpus of more tokens than this is encoded to anonymous temporary files in
    ``spill_dir`` (default: ``tempfile``'s directory, ``$TMPDIR``) and returned streamed (see the
    module's docstring); None keeps every corpus in memory. Either way the result is the same.
    """
    if max_sentence_length < 2:
        raise ValueError(f"max_sentence_length must be >= 2, got {max_sentence_length}")
    spill = None if spill_tokens is None else _Spill(spill_tokens, spill_dir)
    try:
        chunks, keys = _read(corpus, progress, spill)
        if not keys:
            raise EmptyVocabularyError(
                "the corpus is empty: it holds no tokens (check the path, the file's encoding and the tokenizer)")
        counts = _counts(chunks, len(keys))
        vocab = Vocab.from_arrays(keys, counts, min_count=min_count, max_vocab_size=max_vocab_size,
                                  total_words=int(counts.sum()))
    except BaseException:
        if spill is not None and spill.files is not None:
            for f in spill.files:
                f.close()
        raise
    order = np.argsort(-counts, kind="stable")[: len(vocab)]
    remap = np.full(len(keys), -1, dtype=np.int32)
    remap[order] = np.arange(len(vocab), dtype=np.int32)
    return vocab, _finish(chunks, remap, vocab.retained_words, max_sentence_length)


def encode_with_vocab(corpus: Iterable, vocab: Vocab, *,
                      max_sentence_length: int = MAX_SENTENCE_LENGTH) -> EncodedCorpus:
    """Encode a corpus against an existing vocabulary (words outside it are dropped).

    >>> from wordvec.vocab import Vocab
    >>> vocab = Vocab.from_counts({"the": 2, "king": 1})
    >>> encoded = encode_with_vocab([["the", "new", "king"], ["long", "live", "the", "king"]], vocab)
    >>> encoded.tokens.tolist(), encoded.offsets.tolist()
    ([0, 1, 0, 1], [0, 2, 4])
    """
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
