"""Huffman tree for hierarchical softmax, as word2vec.c's CreateBinaryTree builds it."""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

__all__ = ["HuffmanTree", "build_huffman"]


@dataclass(frozen=True)
class HuffmanTree:
    """Codes and inner-node paths per word, flattened (CSR).

    For word w, ``codes[offsets[w]:offsets[w+1]]`` are its bits (0/1) from the root down and
    ``points[...]`` the indexes (0 .. V-2) of the inner nodes on that path, the row of the
    output matrix ``syn1`` each bit is predicted from.
    """

    codes: np.ndarray  # uint8
    points: np.ndarray  # int32
    offsets: np.ndarray  # int64, len V + 1

    def code(self, w: int) -> list[int]:
        return self.codes[self.offsets[w]:self.offsets[w + 1]].tolist()

    def path(self, w: int) -> list[int]:
        return self.points[self.offsets[w]:self.offsets[w + 1]].tolist()


@numba.njit(cache=True)
def _build(counts):
    # word2vec.c CreateBinaryTree: counts sorted descending; leaves 0..V-1, inner nodes V..2V-2.
    v = counts.shape[0]
    count = np.empty(2 * v, dtype=np.int64)
    count[:v] = counts
    count[v:] = np.iinfo(np.int64).max // 4
    binary = np.zeros(2 * v, dtype=np.uint8)
    parent = np.zeros(2 * v, dtype=np.int64)
    pos1 = v - 1
    pos2 = v
    for a in range(v - 1):
        # two smallest nodes: leaves from the right end (pos1, moving left) or inner nodes (pos2, moving right)
        if pos1 >= 0 and count[pos1] < count[pos2]:
            min1 = pos1
            pos1 -= 1
        else:
            min1 = pos2
            pos2 += 1
        if pos1 >= 0 and count[pos1] < count[pos2]:
            min2 = pos1
            pos1 -= 1
        else:
            min2 = pos2
            pos2 += 1
        count[v + a] = count[min1] + count[min2]
        parent[min1] = v + a
        parent[min2] = v + a
        binary[min2] = 1
    lengths = np.zeros(v, dtype=np.int64)
    for w in range(v):
        b = w
        n = 0
        while b != 2 * v - 2:
            b = parent[b]
            n += 1
        lengths[w] = n
    offsets = np.zeros(v + 1, dtype=np.int64)
    for w in range(v):
        offsets[w + 1] = offsets[w] + lengths[w]
    codes = np.zeros(offsets[v], dtype=np.uint8)
    points = np.zeros(offsets[v], dtype=np.int32)
    for w in range(v):
        n = lengths[w]
        b = w
        i = n - 1
        # walk leaf -> root, filling from the end so the stored order is root -> leaf
        while b != 2 * v - 2:
            codes[offsets[w] + i] = binary[b]
            b = parent[b]
            points[offsets[w] + i] = b - v
            i -= 1
    return codes, points, offsets


def build_huffman(counts: np.ndarray) -> HuffmanTree:
    """Huffman codes for words whose counts are sorted in decreasing order."""
    counts = np.ascontiguousarray(counts, dtype=np.int64)
    if counts.size == 0:
        raise ValueError("cannot build a Huffman tree over an empty vocabulary")
    if counts.size > 1 and np.any(np.diff(counts) > 0):
        raise ValueError("Huffman counts must be sorted in decreasing order")
    if counts.size == 1:
        # One word: word2vec.c would give it an empty code; give it one bit so training has a target.
        return HuffmanTree(np.zeros(1, np.uint8), np.zeros(1, np.int32), np.array([0, 1], np.int64))
    codes, points, offsets = _build(counts)
    return HuffmanTree(codes, points, offsets)
