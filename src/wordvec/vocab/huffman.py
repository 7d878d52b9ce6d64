"""Huffman tree for hierarchical softmax, as word2vec.c's CreateBinaryTree builds it."""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

__all__ = ["HuffmanTree", "build_huffman", "matching_inner_nodes"]


@dataclass(frozen=True)
class HuffmanTree:
    """Codes and inner-node paths per word, flattened (CSR).

    >>> import numpy as np
    >>> tree = build_huffman(np.array([5, 3, 2]))
    >>> start, end = tree.offsets[2], tree.offsets[3]       # word 2, the rarest: the longest code
    >>> tree.codes[start:end].tolist(), tree.points[start:end].tolist()
    ([0, 0], [1, 0])

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


def build_huffman(counts: np.ndarray, *, sort: bool = False) -> HuffmanTree:
    """Huffman codes for words whose counts are sorted in decreasing order.

    >>> import numpy as np
    >>> tree = build_huffman(np.array([5, 3, 2, 1]))
    >>> [tree.codes[tree.offsets[w]:tree.offsets[w + 1]].tolist() for w in range(4)]
    [[0], [1, 1], [1, 0, 1], [1, 0, 0]]

    ``sort=True`` takes counts in any order (a vocabulary grown by continued training): the words
    are ranked by a stable sort on decreasing count, the tree is built over that ranking and the
    codes are given back in the words' own order. On counts already sorted the tree is the same.
    """
    counts = np.ascontiguousarray(counts, dtype=np.int64)
    if counts.size == 0:
        raise ValueError("cannot build a Huffman tree over an empty vocabulary")
    unsorted = counts.size > 1 and bool(np.any(np.diff(counts) > 0))
    if unsorted and not sort:
        raise ValueError("Huffman counts must be sorted in decreasing order")
    if counts.size == 1:
        # One word: word2vec.c would give it an empty code; give it one bit so training has a target.
        return HuffmanTree(np.zeros(1, np.uint8), np.zeros(1, np.int32), np.array([0, 1], np.int64))
    if not unsorted:
        return HuffmanTree(*_build(counts))
    rank = np.argsort(-counts, kind="stable")  # rank[r] = the word at rank r
    codes, points, offsets = _build(counts[rank])
    lengths = np.diff(offsets)
    own = np.empty_like(lengths)
    own[rank] = lengths  # the length of word w's code
    new_offsets = np.zeros_like(offsets)
    np.cumsum(own, out=new_offsets[1:])
    # entry j of ranked word r moves to new_offsets[rank[r]] + (j - offsets[r])
    starts = np.repeat(new_offsets[rank] - offsets[:-1], lengths) + np.arange(offsets[-1])
    new_codes = np.empty_like(codes)
    new_points = np.empty_like(points)
    new_codes[starts] = codes
    new_points[starts] = points
    return HuffmanTree(new_codes, new_points, new_offsets)


@numba.njit(cache=True)
def _leaf_sets(points, offsets, n_inner):
    # Each inner node's set of leaves as (number of leaves, sum of a 64-bit hash of each leaf):
    # a node and the leaves below it are the words whose paths pass through it.
    size = np.zeros(n_inner, dtype=np.int64)
    key = np.zeros(n_inner, dtype=np.uint64)
    for w in range(offsets.shape[0] - 1):
        x = np.uint64(w) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(0x632BE59BD9B4E019)  # splitmix64
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
        for j in range(offsets[w], offsets[w + 1]):
            size[points[j]] += 1
            key[points[j]] += x
    return size, key


def matching_inner_nodes(old: HuffmanTree, new: HuffmanTree) -> tuple[np.ndarray, np.ndarray]:
    """``(new_rows, old_rows)``: the inner nodes of ``new`` that split exactly the same words as an
    inner node of ``old`` (words ``0..len(old)-1`` being the same words in both trees).

    >>> import numpy as np
    >>> old = build_huffman(np.array([4, 3, 2, 1]))
    >>> new = build_huffman(np.array([4, 3, 2, 1, 9]), sort=True)  # a frequent word added by continued training
    >>> new_rows, old_rows = matching_inner_nodes(old, new)
    >>> new_rows.tolist(), old_rows.tolist()
    ([0, 1, 2], [0, 1, 2])

    An inner node's row of the output matrix (``syn1``) is the classifier that sends its words left
    or right; a node over the same words is the same classifier, so continued training keeps its
    row. Nodes are compared by their set of leaves (its size and a sum of 64-bit hashes of the
    words, exact but for a 2**-64 chance).
    """
    n_old, n_new = old.offsets.shape[0] - 1, new.offsets.shape[0] - 1
    if n_old < 2 or n_new < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    size_old, key_old = _leaf_sets(old.points, old.offsets, n_old - 1)
    size_new, key_new = _leaf_sets(new.points, new.offsets, n_new - 1)
    at = {(int(k), int(s)): i for i, (k, s) in enumerate(zip(key_old.tolist(), size_old.tolist()))}
    pairs = [(i, at[(k, s)]) for i, (k, s) in enumerate(zip(key_new.tolist(), size_new.tolist()))
             if (k, s) in at]
    if not pairs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    new_rows, old_rows = np.array(pairs, dtype=np.int64).T
    return new_rows, old_rows
