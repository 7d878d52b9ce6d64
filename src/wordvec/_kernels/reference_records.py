"""Slow Python twin of the record scanner (records.py), for tests on small inputs."""

from __future__ import annotations

from wordvec._kernels.records import SCAN_ENDS, SCAN_MALFORMED, SCAN_OK

__all__ = ["join_words", "scan_key_count_lines", "scan_word2vec_binary"]


def scan_word2vec_binary(data: bytes, pos: int, want: int, nbytes: int):
    """``(status, pos, i, words, rows)``: the kernel's status, position and record index, with the
    word byte ranges and vector bytes of the records read (as lists)."""
    words, rows = [], []
    for i in range(want):
        while data[pos:pos + 1] == b"\n":
            pos += 1
        space = data.find(b" ", pos)
        newline = data.find(b"\n", pos)
        if 0 <= newline < (space if space >= 0 else len(data)):
            return SCAN_MALFORMED, pos, i, words, rows
        if space < 0:
            return SCAN_ENDS, pos, i, words, rows
        if space == pos:
            return SCAN_MALFORMED, pos, i, words, rows
        if space + 1 + nbytes > len(data):
            return SCAN_ENDS, pos, i, words, rows
        words.append((pos, space))
        rows.append(data[space + 1:space + 1 + nbytes])
        pos = space + 1 + nbytes
    return SCAN_OK, pos, want, words, rows


def join_words(data: bytes, ranges, sep: bytes) -> bytes:
    return sep.join(data[a:b] for a, b in ranges)


def scan_key_count_lines(data: bytes, want: int):
    """``(status, i, ranges, counts)``: the kernel's status and line, with the key byte ranges and
    counts of the lines read."""
    from wordvec._kernels.records import SCAN_MALFORMED

    ranges, counts, pos = [], [], 0
    for i in range(want):
        end = data.find(b"\n", pos)
        if end < 0:
            return SCAN_MALFORMED, i, ranges, counts
        tab = data.rfind(b"\t", pos, end)
        count = data[tab + 1:end]
        if tab < 0 or not (1 <= len(count) <= 18) or not all(48 <= c <= 57 for c in count):
            return SCAN_MALFORMED, i, ranges, counts
        ranges.append((pos, tab))
        counts.append(int(count))
        pos = end + 1
    return SCAN_OK, want, ranges, counts
