"""Record scanning for the word2vec binary format: ``word `` then ``nbytes`` raw bytes, per record.

The loader (:mod:`wordvec.io.word2vec_format`) memory-maps a plain file and hands its bytes here:
one pass finds every word and copies every vector's bytes, instead of a Python step per word.
Anything unexpected stops the scan with a status; the loader then reads the file again with its
careful reader, which names the byte offset. Twin: ``reference_records``.
"""

from __future__ import annotations

import numba
import numpy as np

#: Statuses of :func:`scan_word2vec_binary`.
SCAN_OK, SCAN_ENDS, SCAN_MALFORMED = 0, 1, 2

_SPACE, _NEWLINE = 32, 10


@numba.njit(nogil=True, cache=True)
def scan_word2vec_binary(buf, pos, want, out, word_start, word_end):
    """Read ``want`` records from ``buf`` (uint8) starting at ``pos``.

    A record is: any number of ``\\n`` (word2vec.c ends each vector with one, gensim does not),
    the word (bytes up to the first space), one space, then ``out.shape[1]`` bytes, copied to
    ``out[i]`` (``out`` is the uint8 view of the float32 matrix). ``word_start[i]``/``word_end[i]``
    get the word's byte range. Returns ``(status, pos, i)``: ``SCAN_OK`` with the position after the
    last record; or the record ``i`` and its start where the scan stopped — ``SCAN_ENDS`` (the data
    ends inside it) or ``SCAN_MALFORMED`` (an empty word, or a line end inside one).
    """
    n = buf.shape[0]
    nbytes = out.shape[1]
    for i in range(want):
        while pos < n and buf[pos] == _NEWLINE:
            pos += 1
        s = pos
        while pos < n and buf[pos] != _SPACE:
            if buf[pos] == _NEWLINE:
                return SCAN_MALFORMED, s, i
            pos += 1
        if pos >= n:
            return SCAN_ENDS, s, i
        if pos == s:
            return SCAN_MALFORMED, s, i
        word_start[i] = s
        word_end[i] = pos
        pos += 1
        if pos + nbytes > n:
            return SCAN_ENDS, s, i
        out[i, :] = buf[pos:pos + nbytes]
        pos += nbytes
    return SCAN_OK, pos, want


@numba.njit(nogil=True, cache=True)
def join_words(buf, word_start, word_end, sep):
    """The words' bytes, ``buf[word_start[i]:word_end[i]]``, one after another with ``sep`` (one
    byte) between them, as one uint8 array (decoded by the caller in one call)."""
    k = word_start.shape[0]
    total = max(k - 1, 0)
    for i in range(k):
        total += word_end[i] - word_start[i]
    out = np.empty(total, dtype=np.uint8)
    p = 0
    for i in range(k):
        if i:
            out[p] = sep
            p += 1
        for j in range(word_start[i], word_end[i]):
            out[p] = buf[j]
            p += 1
    return out


@numba.njit(nogil=True, cache=True)
def scan_key_count_lines(buf, want, key_start, key_end, counts):
    """Read the first ``want`` lines ``key<TAB>count\\n`` of ``buf`` (uint8): each key's byte range
    (up to the line's last tab) and its count, a run of 1 to 18 ASCII digits. Returns ``(status,
    i)``: ``SCAN_OK``, or ``SCAN_MALFORMED`` with the first line ``i`` that is not that simple
    (no tab, a count with a sign, spaces or a ``\\r``, a line without its end): the caller's careful
    reader then names what is wrong there, or accepts what Python's ``int`` accepts."""
    n = buf.shape[0]
    pos = 0
    for i in range(want):
        s = pos
        tab = -1
        while pos < n and buf[pos] != _NEWLINE:
            if buf[pos] == 9:
                tab = pos
            pos += 1
        if pos >= n or tab < 0:
            return SCAN_MALFORMED, i
        digits = pos - tab - 1
        if digits < 1 or digits > 18:
            return SCAN_MALFORMED, i
        value = 0
        for j in range(tab + 1, pos):
            d = buf[j] - 48
            if d < 0 or d > 9:
                return SCAN_MALFORMED, i
            value = value * 10 + d
        key_start[i] = s
        key_end[i] = tab
        counts[i] = value
        pos += 1
    return SCAN_OK, want
