"""Character n-grams and fastText's hashing of them into buckets.

Mirrors fastText's ``Dictionary::computeSubwords`` and ``Dictionary::hash`` (src/dictionary.cc):
a word is wrapped as ``<word>``; n-grams of ``min_n..max_n`` *characters* are taken at UTF-8
character boundaries (the single characters ``<`` and ``>`` alone are skipped); each n-gram's
UTF-8 bytes are hashed with 32-bit FNV-1a in which every byte is first cast to ``int8_t`` and
then to ``uint32_t`` — so bytes >= 0x80 are sign-extended to 0xFFFFFFxx, fastText's quirk that
non-ASCII (e.g. Korean) words must reproduce — and the hash modulo ``bucket`` picks the row.
"""

from __future__ import annotations

from collections.abc import Sequence

import numba
import numpy as np

__all__ = ["BOW", "EOW", "EOS", "fasttext_hash", "char_ngrams", "ngram_hashes", "subword_table"]

BOW, EOW = "<", ">"
EOS = "</s>"  # fastText's Dictionary::EOS, the word that ends every line: never split into n-grams
_FNV_OFFSET = 2166136261
_FNV_PRIME = 16777619


def fasttext_hash(data: bytes | str) -> int:
    """fastText's FNV-1a hash (uint32) of a string's UTF-8 bytes, sign extension included.

    >>> fasttext_hash("<ki"), fasttext_hash("é")          # as fastText's Dictionary::hash, sign extension included
    (1468299675, 1023043777)
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    h = _FNV_OFFSET
    for b in data:
        h ^= (b - 256 if b >= 128 else b) & 0xFFFFFFFF  # uint32_t(int8_t(byte))
        h = (h * _FNV_PRIME) & 0xFFFFFFFF
    return h


def char_ngrams(word: str, min_n: int, max_n: int) -> list[str]:
    """The character n-grams of ``<word>`` in fastText's order (by start, then by length).

    >>> char_ngrams("king", 3, 4)
    ['<ki', '<kin', 'kin', 'king', 'ing', 'ing>', 'ng>']
    """
    w = BOW + word + EOW
    out = []
    if max_n <= 0:
        return out
    for i in range(len(w)):
        for n in range(min_n, max_n + 1):
            if i + n > len(w):
                break
            if n == 1 and (i == 0 or i + n == len(w)):
                continue
            out.append(w[i:i + n])
    return out


@numba.njit(cache=True, nogil=True)
def _hash_range(buf, start, end):
    h = np.uint32(_FNV_OFFSET)
    for p in range(start, end):
        b = np.int32(buf[p])
        if b >= 128:
            b -= 256
        h = np.uint32(h ^ np.uint32(b & 0xFFFFFFFF))
        h = np.uint32(np.uint64(h) * np.uint64(_FNV_PRIME) & np.uint64(0xFFFFFFFF))
    return h


@numba.njit(cache=True, nogil=True)
def _word_ngram_hashes(buf, start, end, min_n, max_n, out, pos):
    """Hashes of the n-grams of the bytes ``buf[start:end]`` (already wrapped in < >) into ``out``."""
    for i in range(start, end):
        if (buf[i] & 0xC0) == 0x80:
            continue
        j = i
        n = 1
        while j < end and n <= max_n:
            j += 1
            while j < end and (buf[j] & 0xC0) == 0x80:
                j += 1
            if n >= min_n and not (n == 1 and (i == start or j == end)):
                out[pos] = _hash_range(buf, i, j)
                pos += 1
            n += 1
    return pos


@numba.njit(cache=True, nogil=True)
def _table(buf, word_offsets, min_n, max_n, bucket, n_words, base, no_ngrams):
    # ``no_ngrams``: the index of the one word that keeps no n-gram rows (fastText's "</s>"), or -1
    n = word_offsets.shape[0] - 1
    # an upper bound: every character starts at most (max_n - min_n + 1) n-grams
    total = 0
    for w in range(n):
        total += (word_offsets[w + 1] - word_offsets[w]) * max(max_n - min_n + 1, 0) + 1
    ids = np.empty(total, dtype=np.int32)
    offsets = np.zeros(n + 1, dtype=np.int64)
    hashes = np.empty(max(total, 1), dtype=np.uint32)
    pos = 0
    for w in range(n):
        if n_words > 0:  # vocabulary words lead with their own row
            ids[pos] = w
            pos += 1
        if max_n > 0 and w != no_ngrams:
            end = _word_ngram_hashes(buf, word_offsets[w], word_offsets[w + 1], min_n, max_n, hashes, 0)
            for k in range(end):
                ids[pos] = base + np.int32(hashes[k] % np.uint32(bucket))
                pos += 1
        offsets[w + 1] = pos
    return ids[:pos].copy(), offsets


def _utf8_buffer(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [(BOW + w + EOW).encode("utf-8") for w in words]
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    buf = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    return buf, offsets


def ngram_hashes(word: str, min_n: int, max_n: int) -> np.ndarray:
    """The FNV-1a hashes (uint32) of ``word``'s n-grams, in ``char_ngrams`` order.

    >>> ngram_hashes("king", 3, 3).tolist()
    [1468299675, 1995950837, 2766771707, 1604217300]
    """
    buf, off = _utf8_buffer([word])
    out = np.empty(max(int(off[1]) * max(max_n - min_n + 1, 0), 1), dtype=np.uint32)
    n = _word_ngram_hashes(buf, 0, int(off[1]), min_n, max_n, out, 0) if max_n > 0 else 0
    return out[:n].copy()


def subword_table(words: Sequence[str], min_n: int, max_n: int, bucket: int, *,
                  include_word: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Input rows of each word, flattened: ``ids[offsets[w]:offsets[w+1]]``.

    >>> ids, offsets = subword_table(["king", "queen"], 3, 3, bucket=10)
    >>> offsets.tolist()
    [0, 5, 11]
    >>> ids[offsets[0]:offsets[1]].tolist()        # row 0 (the word), then 2 + hash % 10 for <ki, kin, ing, ng>
    [0, 7, 9, 9, 2]

    The first row is the word's own (its index ``w``); its n-gram rows follow as
    ``len(words) + hash % bucket`` — the layout of fastText's input matrix (``nwords`` word rows,
    then ``bucket`` n-gram rows; ``Dictionary::getSubwords``). With ``include_word=False`` the
    word's own row is left out and only the n-gram rows are listed, still offset by
    ``len(words)``. The rows of an out-of-vocabulary word's n-grams, offset by the size of the
    trained vocabulary, are :func:`oov_rows`'s. fastText's end-of-line word ``</s>`` has no n-grams.
    """
    if bucket < 1 and max_n > 0:
        raise ValueError(f"bucket must be >= 1 when subwords are on, got {bucket}")
    buf, word_offsets = _utf8_buffer(words)
    try:  # fastText's initNgrams: "</s>" keeps its own row only
        eos = words.index(EOS)
    except ValueError:
        eos = -1
    return _table(buf, word_offsets, min_n, max_n, max(bucket, 1), len(words) if include_word else 0,
                  np.int32(len(words)), eos)


def oov_rows(word: str, n_vocab: int, min_n: int, max_n: int, bucket: int) -> np.ndarray:
    """Input-matrix rows of an out-of-vocabulary word's n-grams (``n_vocab + hash % bucket``)."""
    if max_n <= 0 or bucket < 1:
        return np.empty(0, dtype=np.int64)
    return n_vocab + (ngram_hashes(word, min_n, max_n) % np.uint32(bucket)).astype(np.int64)
