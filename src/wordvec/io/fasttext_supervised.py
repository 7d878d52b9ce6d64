"""Supervised fastText models (``fasttext supervised``, ``.bin``): read them and predict with them.

The file layout is the unsupervised one (:mod:`wordvec.io.fasttext_format`) with ``model = 3``
(``model_name::sup``, args.h) and labels in the dictionary: its first ``nwords`` entries are
words (type 0), the ``nlabels`` after them labels (type 1); the input matrix holds
``nwords + bucket`` rows (words, then the hash buckets that character n-grams *and word
n-grams* share), the output matrix one row per label.

Prediction mirrors fastText 0.9.2 (github.com/facebookresearch/fastText, src/):

* ``Dictionary::readWord`` / ``getLine`` (dictionary.cc): tokens are split on the bytes
  ``' ' \\n \\r \\t \\v \\f \\0``; a line ends with the end-of-sentence token ``</s>`` (fastText's
  Python ``predict`` appends the ``\\n`` that reads as it, and so do we for every text); a token
  is a word unless it is a label of the dictionary or, out of the vocabulary, starts with
  ``__label__`` (``Args::label``, not saved in the file); labels in the text are ignored.
  Each word adds its input rows (``addSubwords``: its own row and, with ``maxn > 0``, its
  character n-gram buckets; an unknown word only its n-gram buckets) and its FNV-1a hash;
  then ``addWordNgrams`` adds, for every run of 2..``wordNgrams`` consecutive words, the bucket
  ``h % bucket`` of ``h = h * 116049371 + hash[j]``, computed in uint64 over the hashes stored
  as *int32* (so hashes >= 2^31 are sign-extended: fastText's quirk, reproduced).
* ``Model::computeHidden`` (model.cc): the hidden vector is the mean of those rows, summed in
  float32 in that order and multiplied by ``float32(1 / n)``; each output row's dot product is
  summed in float32 (``DenseMatrix::dotRow``). Both loops run in numba kernels (pure, arrays
  in and out) with slow NumPy twins that the tests compare them against.
* ``Loss::predict`` (loss.cc): ``softmax`` normalises the exponentials; ``one-vs-all`` and
  ``ns`` pass each score through fastText's *sigmoid lookup table* (512 steps over [-8, 8],
  not the exact sigmoid: to agree to 1e-5 we must use the table too); ``hs`` walks the
  Huffman tree built over the label counts (``HierarchicalSoftmaxLoss::buildTree``) with the
  exact sigmoid at every inner node. Scores are kept as ``log(p + 1e-5)`` and given back as
  ``exp`` of that, so fastText reports ``p + 1e-5`` (a lone label scores 1.00001): we report
  what fastText reports. ``k`` best labels (``k=-1``: all) whose probability is at least
  ``threshold`` (for ``hs``: every node on the path to the label, and the depth-first search
  pruned by the k-th best score as fastText prunes it), best first. The k best are kept in a
  heap that follows libstdc++'s ``push_heap`` / ``pop_heap`` / ``sort_heap`` step by step, so
  labels with equal probabilities (frequent with the sigmoid table) come out in fastText's order.

Where wordvec differs: a text holding ``\\n`` is refused (fastText's Python ``predict`` refuses
it too; the command-line ``fasttext predict`` would take each line as a text); every text ends
with ``</s>``, also the last line of a file without a final line break (which ``fasttext
predict`` reads without one); a fastText built with another C++ library than libstdc++ could
order equal probabilities otherwise.

Quantized models (``.ftz`` from ``fasttext quantize``, with ``-cutoff``, ``-qnorm``, ``-qout``,
``-dsub``) are read by :func:`wordvec.io.fasttext_format.read_fasttext_model` and predict as
fastText does: input rows rebuilt as ``QuantMatrix::addRowToVector`` adds them, n-grams mapped
(or dropped) through the prune index (``Dictionary::pushHash``), a quantized output's dot
products scaled by the row's norm afterwards (``ProductQuantizer::mulcode``). Files older than
the magic number (2016) are refused with a :class:`FormatError`.
"""

from __future__ import annotations

import math
import mmap as _mmap
import os
import re
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numba
import numpy as np

from wordvec.exceptions import FormatError
from wordvec.io._text import first_nonfinite_row, nonfinite_hint
from wordvec.io.fasttext_format import FASTTEXT_MAGIC, FASTTEXT_VERSION
from wordvec.io.native import MAX_NGRAM_LENGTH
from wordvec.vectors.subword import EOS, SubwordVectors
from wordvec.vocab.subwords import fasttext_hash, oov_rows

__all__ = [
    "LABEL_PREFIX",
    "SupervisedFastText",
    "fasttext_model_kind",
    "fasttext_tokens",
    "is_fasttext_supervised",
    "load_fasttext_supervised",
]

#: fastText's default label prefix (``Args::label``); the file does not store the one used in training.
LABEL_PREFIX = "__label__"
#: ``Dictionary::readWord``'s separators.
_SEPARATORS = re.compile("[ \n\r\t\v\f\0]+")
_INT_ARGS = ("dim", "ws", "epoch", "minCount", "neg", "wordNgrams", "loss", "model", "bucket", "minn", "maxn",
             "lrUpdateRate")
_LOSSES = {1: "hs", 2: "ns", 3: "softmax", 4: "one-vs-all"}
_MODELS = {1: "cbow", 2: "sg", 3: "sup"}
_WORD_NGRAM_PRIME = np.uint64(116049371)  # Dictionary::addWordNgrams
# Loss::Loss (loss.cc): the sigmoid table of BinaryLogisticLoss::computeOutput
_SIGMOID_TABLE_SIZE, _MAX_SIGMOID = 512, 8
_TOKEN_CACHE = 1 << 20  # tokens whose features are remembered (cleared when full)
_NO_PRUNE = np.empty(0, dtype=np.int64)


def fasttext_tokens(line: str) -> list[str]:
    r"""The tokens fastText reads from ``line`` (``Dictionary::readWord``): split on space, tab,
    ``\n``, ``\r``, ``\v``, ``\f`` and NUL only (other Unicode spaces belong to the token).

    >>> fasttext_tokens("a  fine\tfilm")
    ['a', 'fine', 'film']
    >>> fasttext_tokens("a\u00a0b c")                # a no-break space belongs to the token, as in fastText
    ['a\xa0b', 'c']
    """
    return [t for t in _SEPARATORS.split(line) if t]


def fasttext_model_kind(path: str | os.PathLike[str]) -> str | None:
    """``"sup"``, ``"cbow"`` or ``"sg"`` for a file starting with fastText's magic number (the
    ``model`` argument of its header); None for any other file (or one too short to tell).

    >>> import fasttext                                # the reference implementation (pip install fasttext-wheel)
    >>> with open("train.txt", "w", encoding="utf-8") as f:
    ...     for _ in range(20):
    ...         print("__label__good a fine film , loved it", file=f)
    ...         print("__label__bad a dull film , hated it", file=f)
    ...
    >>> fasttext.train_supervised("train.txt", dim=8, epoch=25, lr=0.5, minCount=1, bucket=1000, seed=1, thread=1,
    ...                           verbose=0).save_model("clf.bin")
    >>> fasttext_model_kind("clf.bin"), fasttext_model_kind("train.txt")
    ('sup', None)
    """
    try:
        with open(path, "rb") as f:
            head = f.read(8 + 4 * len(_INT_ARGS))
    except OSError:
        return None
    if len(head) < 8 + 4 * len(_INT_ARGS) or struct.unpack_from("<i", head)[0] != FASTTEXT_MAGIC:
        return None
    return _MODELS.get(struct.unpack_from("<i", head, 8 + 4 * _INT_ARGS.index("model"))[0])


def is_fasttext_supervised(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a fastText file (magic number) of a supervised model (``model = 3``).

    >>> import fasttext                                # the reference implementation (pip install fasttext-wheel)
    >>> with open("train.txt", "w", encoding="utf-8") as f:
    ...     for _ in range(20):
    ...         print("__label__good a fine film , loved it", file=f)
    ...         print("__label__bad a dull film , hated it", file=f)
    ...
    >>> fasttext.train_supervised("train.txt", dim=8, epoch=25, lr=0.5, minCount=1, bucket=1000, seed=1, thread=1,
    ...                           verbose=0).save_model("clf.bin")
    >>> is_fasttext_supervised("clf.bin"), is_fasttext_supervised("train.txt")
    (True, False)
    """
    return fasttext_model_kind(path) == "sup"


# ----------------------------------------------------------------------------- kernels
@numba.njit(cache=True, nogil=True)
def _hidden_kernel(matrix, ids, offsets, out):
    """``out[t]`` = mean of the rows ``ids[offsets[t]:offsets[t+1]]`` of ``matrix``: float32 sums in
    order, times ``float32(1 / n)`` (``Model::computeHidden``); rows of empty texts stay zero."""
    d = matrix.shape[1]
    for t in range(offsets.shape[0] - 1):
        start, end = offsets[t], offsets[t + 1]
        for p in range(start, end):
            r = ids[p]
            for k in range(d):
                out[t, k] += matrix[r, k]
        if end > start:
            scale = np.float32(1.0 / (end - start))
            for k in range(d):
                out[t, k] *= scale


@numba.njit(cache=True, nogil=True)
def _scores_kernel(hidden, output, out):
    """``out[t, i]`` = dot(output[i], hidden[t]) summed in float32 in order (``DenseMatrix::dotRow``)."""
    for t in range(hidden.shape[0]):
        for i in range(output.shape[0]):
            acc = np.float32(0.0)
            for j in range(output.shape[1]):
                acc += output[i, j] * hidden[t, j]
            out[t, i] = acc


def _widen(hashes: Sequence[int]) -> np.ndarray:
    """uint32 word hashes as ``addWordNgrams`` sees them: stored in a ``vector<int32_t>``, then
    widened to ``uint64`` (sign extension: hashes >= 2^31 become 0xFFFFFFFF........)."""
    return np.asarray(hashes, dtype=np.uint32).view(np.int32).astype(np.int64).view(np.uint64)


@numba.njit(cache=True, nogil=True)
def _line_ids_kernel(rows, row_offsets, hashes, hash_offsets, n, bucket, nwords, prune):
    """Each text's input rows: its word rows, then (``Dictionary::addWordNgrams``) for every start
    ``i`` and every run ``i..j`` of 2..``n`` words the row ``nwords + h % bucket`` of
    ``h = h * 116049371 + hashes[j]`` (uint64 arithmetic, wrapping as in C++). A non-empty
    ``prune`` maps each bucket to its row after the words, -1 dropping it (``Dictionary::pushHash``
    of a pruned model). Returns the flat ids and their offsets per text."""
    n_texts = row_offsets.shape[0] - 1
    bound = 0
    for t in range(n_texts):
        length = hash_offsets[t + 1] - hash_offsets[t]
        bound += row_offsets[t + 1] - row_offsets[t]
        if n > 1:
            for d in range(1, min(n - 1, length - 1) + 1):
                bound += length - d
    ids = np.empty(bound, dtype=np.int64)
    offsets = np.zeros(n_texts + 1, dtype=np.int64)
    prime = np.uint64(116049371)
    b = np.uint64(max(bucket, 1))
    pruned = prune.shape[0] > 0
    p = 0
    for t in range(n_texts):
        for q in range(row_offsets[t], row_offsets[t + 1]):
            ids[p] = rows[q]
            p += 1
        start, end = hash_offsets[t], hash_offsets[t + 1]
        if n > 1:
            for i in range(start, end):
                h = hashes[i]
                for j in range(i + 1, min(end, i + n)):
                    h = h * prime + hashes[j]
                    r = np.int64(h % b)
                    if pruned:
                        r = prune[r]
                        if r < 0:
                            continue
                    ids[p] = nwords + r
                    p += 1
        offsets[t + 1] = p
    return ids[:p], offsets


def reference_word_ngrams(hashes: Sequence[int], n: int, bucket: int, nwords: int) -> list[int]:
    """Slow NumPy twin of the word n-gram part of :func:`_line_ids_kernel`, for one text's uint32
    word hashes: the rows in fastText's order (by start, then by length)."""
    s = _widen(hashes)
    length, longest = len(s), min(n - 1, len(s) - 1)
    if longest < 1:
        return []
    table = np.zeros((length, longest), dtype=np.uint64)
    h = s
    for d in range(1, longest + 1):
        h = h[:-1] * _WORD_NGRAM_PRIME + s[d:]  # NumPy's uint64 arithmetic wraps, as C++'s does
        table[:length - d, d - 1] = h % np.uint64(bucket)
    valid = np.arange(length)[:, None] + np.arange(1, longest + 1)[None, :] < length
    return (table[valid].astype(np.int64) + nwords).tolist()


def reference_hidden(matrix: np.ndarray, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Slow NumPy twin of :func:`_hidden_kernel` (the tests compare the two)."""
    out = np.zeros((len(offsets) - 1, matrix.shape[1]), dtype=np.float32)
    for t in range(len(offsets) - 1):
        rows = np.asarray(matrix[ids[offsets[t]:offsets[t + 1]]], dtype=np.float64)
        if len(rows):
            out[t] = rows.sum(axis=0) / len(rows)
    return out


def reference_scores(hidden: np.ndarray, output: np.ndarray) -> np.ndarray:
    """Slow NumPy twin of :func:`_scores_kernel` (float64 products, for the tests)."""
    return (np.asarray(hidden, dtype=np.float64) @ np.asarray(output, dtype=np.float64).T).astype(np.float32)


def _std_log(x) -> np.ndarray:
    """fastText's ``std_log(real x)``: ``float(log(double(float(x)) + 1e-5))``."""
    return np.log(np.asarray(x).astype(np.float32).astype(np.float64) + 1e-5).astype(np.float32)


# libstdc++'s push_heap / pop_heap / sort_heap with fastText's comparePairs (``a.first > b.first``:
# the front is the worst kept score). Followed step by step, so that labels with equal scores (common
# with the sigmoid table) come out in fastText's order.
@numba.njit(cache=True, nogil=True)
def _sift_up(vals, ids, hole, top, v, i):
    parent = (hole - 1) // 2
    while hole > top and vals[parent] > v:
        vals[hole] = vals[parent]
        ids[hole] = ids[parent]
        hole = parent
        parent = (hole - 1) // 2
    vals[hole] = v
    ids[hole] = i


@numba.njit(cache=True, nogil=True)
def _adjust(vals, ids, hole, length, v, i):
    top = hole
    second = hole
    while second < (length - 1) // 2:
        second = 2 * (second + 1)
        if vals[second] > vals[second - 1]:
            second -= 1
        vals[hole] = vals[second]
        ids[hole] = ids[second]
        hole = second
    if (length & 1) == 0 and second == (length - 2) // 2:
        second = 2 * (second + 1)
        vals[hole] = vals[second - 1]
        ids[hole] = ids[second - 1]
        hole = second - 1
    _sift_up(vals, ids, hole, top, v, i)


@numba.njit(cache=True, nogil=True)
def _keep(vals, ids, n, k, v, i):
    """``heap.push_back; push_heap; if size > k: pop_heap, pop_back``; returns the new size."""
    _sift_up(vals, ids, n, 0, v, i)
    n += 1
    if n > k:
        last = n - 1
        lv, li = vals[last], ids[last]
        vals[last], ids[last] = vals[0], ids[0]
        _adjust(vals, ids, 0, last, lv, li)
        n = last
    return n


@numba.njit(cache=True, nogil=True)
def _sort(vals, ids, n):
    """``std::sort_heap``: best first."""
    while n > 1:
        n -= 1
        v, i = vals[n], ids[n]
        vals[n], ids[n] = vals[0], ids[0]
        _adjust(vals, ids, 0, n, v, i)


@numba.njit(cache=True, nogil=True)
def _kbest_kernel(probs, logp, k, threshold, out_vals, out_ids, out_n):
    """``Loss::findKBest`` then ``sort_heap`` for each row: labels with ``probs >= threshold``,
    ranked by ``logp`` (``std_log(probs)``); ``out_*`` have ``k + 1`` columns."""
    for t in range(probs.shape[0]):
        vals, ids = out_vals[t], out_ids[t]
        n = 0
        for i in range(probs.shape[1]):
            if probs[t, i] < threshold:
                continue
            if n == k and logp[t, i] < vals[0]:
                continue
            n = _keep(vals, ids, n, k, logp[t, i], i)
        _sort(vals, ids, n)
        out_n[t] = n


@numba.njit(cache=True)
def _f32_log(x):
    return np.float32(math.log(np.float64(np.float32(x)) + 1e-5))


@numba.njit(cache=True, nogil=True)
def _tree_kernel(scores, left, right, k, bound, out_vals, out_ids, out_n):
    """``HierarchicalSoftmaxLoss::dfs`` from the root for each row of ``scores`` (one score per output
    row: inner node ``osz + r`` uses row ``r``), with an explicit stack visiting left before right;
    ``bound`` is ``std_log(threshold)``. Leaves are labels; ``out_*`` have ``k + 1`` columns."""
    osz = scores.shape[1]
    n_nodes = left.shape[0]
    stack_node = np.empty(n_nodes + 1, dtype=np.int64)
    stack_score = np.empty(n_nodes + 1, dtype=np.float32)
    for t in range(scores.shape[0]):
        vals, ids = out_vals[t], out_ids[t]
        n = 0
        stack_node[0] = n_nodes - 1
        stack_score[0] = np.float32(0.0)
        sp = 1
        while sp > 0:
            sp -= 1
            node = stack_node[sp]
            score = stack_score[sp]
            if score < bound:
                continue
            if n == k and score < vals[0]:
                continue
            if left[node] == -1 and right[node] == -1:
                n = _keep(vals, ids, n, k, score, node)
                continue
            x = scores[t, node - osz]
            f = np.float32(1.0 / np.float64(np.float32(1.0) + np.float32(math.exp(-x))))
            stack_node[sp] = right[node]
            stack_score[sp] = score + _f32_log(f)
            stack_node[sp + 1] = left[node]
            stack_score[sp + 1] = score + _f32_log(np.float32(1.0 - np.float64(f)))
            sp += 2
        _sort(vals, ids, n)
        out_n[t] = n


def reference_kbest(probs: np.ndarray, k: int, threshold: float) -> list[list[tuple[int, float]]]:
    """Slow twin of :func:`_kbest_kernel`: the ``k`` best ``(label, std_log(p))`` of each row with
    ``p >= threshold``, sorted (ties by label index; fastText's heap may order them otherwise)."""
    logp = _std_log(probs)
    out = []
    for p, lp in zip(probs, logp):
        cand = [i for i in range(len(p)) if p[i] >= np.float32(threshold)]
        cand.sort(key=lambda i: (-lp[i], i))
        out.append([(i, float(lp[i])) for i in cand[:k]])
    return out


def _sigmoid_table() -> np.ndarray:
    i = np.arange(_SIGMOID_TABLE_SIZE + 1)
    x = (np.float32(2 * _MAX_SIGMOID) * i.astype(np.float32)) / np.float32(_SIGMOID_TABLE_SIZE) - np.float32(
        _MAX_SIGMOID)
    return (1.0 / (1.0 + np.exp(-x.astype(np.float32)).astype(np.float64))).astype(np.float32)


_SIGMOID = _sigmoid_table()


def table_sigmoid(x: np.ndarray) -> np.ndarray:
    """fastText's ``Loss::sigmoid``: 0 below -8, 1 above 8, else the table entry
    ``int((x + 8) * 512 / 8 / 2)`` (float32 arithmetic, as fastText computes the index)."""
    x = np.asarray(x, dtype=np.float32)
    inside = (x >= -_MAX_SIGMOID) & (x <= _MAX_SIGMOID)
    idx = np.where(inside, (x + np.float32(_MAX_SIGMOID)) * np.float32(_SIGMOID_TABLE_SIZE // _MAX_SIGMOID // 2), 0)
    out = _SIGMOID[idx.astype(np.int64)]
    return np.where(x > _MAX_SIGMOID, np.float32(1.0), np.where(x < -_MAX_SIGMOID, np.float32(0.0), out))


def _softmax(scores: np.ndarray) -> np.ndarray:
    """``SoftmaxLoss::computeOutput`` in float32."""
    # loss.cc calls the unqualified exp: C's double exp on the float32 difference, rounded back
    e = np.exp((scores - scores.max(axis=1, keepdims=True)).astype(np.float64)).astype(np.float32)
    z = np.cumsum(e, axis=1, dtype=np.float32)[:, -1:]  # summed in order, as fastText
    return (e / z).astype(np.float32)


def _huffman_tree(counts: np.ndarray) -> dict[str, np.ndarray]:
    """``HierarchicalSoftmaxLoss::buildTree`` over the label counts (sorted most frequent first, as
    the dictionary stores them): ``left``/``right`` children of the ``2 * osz - 1`` nodes (-1 at the
    leaves, which are the labels; the root is the last node), and for every label the output rows
    of the inner nodes on its path from the root (``rows``, padded with -1), whether each step goes
    right (``go_right``: fastText's ``binary``) and the path length (``depth``)."""
    osz = len(counts)
    n_nodes = 2 * osz - 1
    count = np.full(n_nodes, 1e15)
    count[:osz] = counts
    parent = np.full(n_nodes, -1, dtype=np.int64)
    left = np.full(n_nodes, -1, dtype=np.int64)
    right = np.full(n_nodes, -1, dtype=np.int64)
    binary = np.zeros(n_nodes, dtype=bool)
    leaf, node = osz - 1, osz
    for i in range(osz, n_nodes):
        mini = [0, 0]
        for j in range(2):
            if leaf >= 0 and count[leaf] < count[node]:
                mini[j], leaf = leaf, leaf - 1
            else:
                mini[j], node = node, node + 1
        left[i], right[i] = mini
        count[i] = count[mini[0]] + count[mini[1]]
        parent[mini[0]] = parent[mini[1]] = i
        binary[mini[1]] = True
    paths = []
    for i in range(osz):
        steps, j = [], i
        while parent[j] != -1:
            steps.append((parent[j] - osz, binary[j]))
            j = parent[j]
        paths.append(steps[::-1])
    depth = max([len(p) for p in paths] + [1])
    rows = np.full((osz, depth), -1, dtype=np.int64)
    go_right = np.zeros((osz, depth), dtype=bool)
    for i, p in enumerate(paths):
        for s, (r, b) in enumerate(p):
            rows[i, s], go_right[i, s] = r, b
    return {"left": left, "right": right, "rows": rows, "go_right": go_right,
            "depth": np.array([len(p) for p in paths], dtype=np.int64)}


def reference_tree(scores: np.ndarray, tree: dict[str, np.ndarray], k: int,
                   threshold: float) -> list[list[tuple[int, float]]]:
    """Slow NumPy twin of :func:`_tree_kernel`: every label's log score summed from the root down
    (vectorised over labels), kept when every node on its path scored at least
    ``std_log(threshold)``; the ``k`` best, ties by label index (no pruning by the k-th best)."""
    rows, go_right, depth = tree["rows"], tree["go_right"], tree["depth"]
    n_texts, osz = scores.shape
    bound = _std_log(threshold)
    if osz == 1:  # the root is the only leaf
        return [[(0, 0.0)] if bound <= 0 else [] for _ in range(n_texts)]
    inner = scores[:, :osz - 1].astype(np.float32)
    f = (1.0 / (np.float32(1) + np.exp(-inner)).astype(np.float64)).astype(np.float32)
    up, down = _std_log(f), _std_log(1.0 - f.astype(np.float64))
    safe = np.where(rows >= 0, rows, 0)
    steps = np.where(go_right[None], up[:, safe], down[:, safe])  # (texts, labels, depth)
    steps[:, rows < 0] = 0
    partial = np.cumsum(steps, axis=2, dtype=np.float32)
    final = partial[:, np.arange(osz), depth - 1]
    reached = (np.where((rows >= 0)[None], partial, np.inf).min(axis=2) >= bound) & (bound <= 0)
    out = []
    for t in range(n_texts):
        cand = sorted(np.flatnonzero(reached[t]).tolist(), key=lambda i: (-final[t, i], i))
        out.append([(i, float(final[t, i])) for i in cand[:k]])
    return out


# ------------------------------------------------------------------------------ reading
class _Reader:
    """Sequential little-endian reads from a buffer; a short read is a FormatError with its offset."""

    def __init__(self, path: Path, buf):
        self.path, self.buf, self.pos = path, buf, 0

    def fail(self, reason: str, offset: int | None = None):
        raise FormatError(self.path, reason, offset=self.pos if offset is None else offset)

    def unpack(self, fmt: str, what: str) -> tuple:
        s = struct.Struct("<" + fmt)
        if self.pos + s.size > len(self.buf):
            self.fail(f"file is truncated: {what} needs {s.size} bytes, {len(self.buf) - self.pos} left "
                      f"(file is {len(self.buf)} bytes)")
        out = s.unpack_from(self.buf, self.pos)
        self.pos += s.size
        return out

    def word(self, i: int) -> bytes:
        end = self.buf.find(b"\0", self.pos)
        if end < 0:
            self.fail(f"file is truncated: entry #{i} has no terminating NUL byte")
        out = bytes(self.buf[self.pos:end])
        self.pos = end + 1
        return out

    def matrix_header(self, what: str, shape: tuple[int, int], expected: str) -> int:
        """Read a matrix's quantization flag and shape (checked); return the offset of its data."""
        (quant,) = self.unpack("?", f"the {what} quantization flag")
        if quant:
            raise _Quantized
        m, n = self.unpack("2q", f"the {what} matrix shape")
        if (m, n) != shape:
            self.fail(f"{what} matrix has shape ({m}, {n}), expected {expected}", self.pos - 16)
        offset = self.pos
        if offset + m * n * 4 > len(self.buf):
            self.fail(f"file is truncated: the {what} matrix ({m} x {n} float32) needs {m * n * 4} bytes, "
                      f"{len(self.buf) - offset} left (file is {len(self.buf)} bytes)")
        self.pos += m * n * 4
        return offset


def load_fasttext_supervised(path: str | os.PathLike[str], *, mmap: bool = True, allow_nonfinite: bool = False,
                             label_prefix: str = LABEL_PREFIX) -> SupervisedFastText:
    """Read a supervised fastText ``.bin`` model (``fasttext supervised``; see the module docstring).

    >>> import fasttext                                # the reference implementation (pip install fasttext-wheel)
    >>> with open("train.txt", "w", encoding="utf-8") as f:
    ...     for _ in range(20):
    ...         print("__label__good a fine film , loved it", file=f)
    ...         print("__label__bad a dull film , hated it", file=f)
    ...
    >>> fasttext.train_supervised("train.txt", dim=8, epoch=25, lr=0.5, minCount=1, bucket=1000, seed=1, thread=1,
    ...                           verbose=0).save_model("clf.bin")
    >>> model = load_fasttext_supervised("clf.bin")
    >>> model.predict("hated it")[0][0]
    '__label__bad'
    >>> len(model.wv) > 0, model.dim
    (True, 8)

    ``mmap=True`` memory-maps the input matrix (``nwords + bucket`` rows: 800 MB for fastText's
    default 2,000,000 buckets of 100 dimensions) instead of copying it into memory (it is
    read once, in blocks, for the NaN check unless ``allow_nonfinite=True``). ``label_prefix``
    is what marks an unknown token as a label (fastText uses its default, ``__label__``,
    whatever training used: the file does not store it). NaN or infinity in a matrix is refused (a :class:`FormatError` with the offset of
    the first bad row) unless ``allow_nonfinite=True``. Every malformed, truncated or
    unsupervised file raises :class:`FormatError` naming the file and the byte offset. A quantized
    ``.ftz`` is read whole (it is small) through :func:`wordvec.io.fasttext_format.read_fasttext_model`.
    """
    path = Path(path)
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            raise FormatError(path, "file is empty; not a fastText model", offset=0)
        with _mmap.mmap(f.fileno(), 0, access=_mmap.ACCESS_READ) as buf:
            try:
                header, offsets, end = _parse(_Reader(path, buf))
            except _Quantized:
                header = None
    if header is None:
        return _quantized_model(path, allow_nonfinite, label_prefix)
    nwords, nlabels, dim, bucket = header["nwords"], header["nlabels"], header["args"]["dim"], header["args"]["bucket"]
    shape = (nwords + bucket, dim)
    if mmap:
        matrix = np.memmap(path, dtype="<f4", mode="r", offset=offsets[0], shape=shape).view(np.ndarray)
    else:
        with open(path, "rb") as f:
            f.seek(offsets[0])
            matrix = np.fromfile(f, dtype="<f4", count=shape[0] * dim).reshape(shape)
    with open(path, "rb") as f:
        f.seek(offsets[1])
        output = np.fromfile(f, dtype="<f4", count=nlabels * dim).reshape(nlabels, dim)
    matrix = matrix.astype(np.float32, copy=False)  # '<f4' is float32 on every platform fastText runs on
    output = output.astype(np.float32, copy=False)
    if not allow_nonfinite:
        _check_finite(path, matrix, offsets[0], "input", header["words"])
        _check_finite(path, output, offsets[1], "output", header["labels"])
    return SupervisedFastText(header["words"], header["labels"], matrix, output, header["args"],
                              word_counts=header["word_counts"], label_counts=header["label_counts"],
                              ntokens=header["ntokens"], label_prefix=label_prefix)


class _Quantized(Exception):
    """Raised by :func:`_parse` on a quantized or pruned model (read by fasttext_format instead)."""


def _quantized_model(path: Path, allow_nonfinite: bool, label_prefix: str) -> SupervisedFastText:
    """A ``.ftz`` model, read by :func:`wordvec.io.fasttext_format.read_fasttext_model`: the input
    rows reconstructed as ``QuantMatrix::addRowToVector`` adds them (centroids times the row's
    norm, in float32); a quantized output kept as centroids and norms apart, because
    ``ProductQuantizer::mulcode`` scales the dot product, not the row."""
    from wordvec.io.fasttext_format import QuantizedMatrix, read_fasttext_model

    model = read_fasttext_model(path, unicode_errors="surrogateescape", allow_nonfinite=allow_nonfinite)
    args = dict(model.args)
    if model.version == 11:
        args["maxn"] = 0
    n = model.nwords
    matrix = model.input.reconstruct() if isinstance(model.input, QuantizedMatrix) else model.input
    if not isinstance(model.input, QuantizedMatrix) and model.prune_index is not None:
        raise FormatError(path, "the dictionary is pruned but the input matrix is not quantized; fastText refuses "
                          "such a file (\"Invalid model file\")")
    output, norms = model.output, None
    if isinstance(output, QuantizedMatrix):
        if output.qnorm:
            norms = output.norm_centroids[output.norm_codes]
            output = QuantizedMatrix(output.codes, output.centroids, output.dsub)
        output = output.reconstruct()
    return SupervisedFastText(model.words[:n], model.words[n:], np.asarray(matrix, dtype=np.float32),
                              np.asarray(output, dtype=np.float32), args, word_counts=model.counts[:n],
                              label_counts=model.counts[n:], ntokens=model.ntokens, label_prefix=label_prefix,
                              prune_index=model.prune_index, output_norms=norms)


def _check_finite(path: Path, matrix: np.ndarray, at: int, what: str, names: list[str]) -> None:
    step = 1 << 16
    for start in range(0, matrix.shape[0], step):  # in blocks: the input matrix may be a large memory map
        row = first_nonfinite_row(np.asarray(matrix[start:start + step]))
        if row is None:
            continue
        row += start
        kind = "NaN" if np.isnan(matrix[row]).any() else "infinity"
        if row < len(names):
            name = f"row {row} ({'label' if what == 'output' else 'word'} {names[row]!r})"
        else:
            name = f"row {row} (hash bucket {row - len(names)})"
        raise FormatError(path, f"{name} of the {what} matrix holds {kind}; {nonfinite_hint()}",
                          offset=at + row * matrix.shape[1] * 4)


def _parse(r: _Reader) -> tuple[dict[str, Any], tuple[int, int], int]:
    magic, version = r.unpack("2i", "the header")
    if magic != FASTTEXT_MAGIC:
        r.fail(f"not a fastText model: the file does not start with fastText's magic number {FASTTEXT_MAGIC}", 0)
    if version > FASTTEXT_VERSION:
        r.fail(f"fastText version {version} is newer than the {FASTTEXT_VERSION} this reader knows", 4)
    start = r.pos
    values = r.unpack("12id", "the model arguments")
    args: dict[str, Any] = dict(zip(_INT_ARGS, values[:12], strict=True))
    args["t"] = values[12]
    if args["model"] != 3:
        kind = _MODELS.get(args["model"], f"unknown model type {args['model']}")
        r.fail(f"not a supervised model (model {kind}): an unsupervised model holds word vectors; load it with "
               "wordvec.load (or wordvec.io.load_fasttext_bin)", start)
    bad = []
    if args["loss"] not in _LOSSES:
        bad.append(f"loss={args['loss']}")
    if args["dim"] <= 0 or args["bucket"] < 0:
        bad.append(f"dim={args['dim']}, bucket={args['bucket']}")
    bad += [f"{k}={args[k]}" for k in ("ws", "epoch", "minCount", "neg", "wordNgrams", "lrUpdateRate") if args[k] < 0]
    if version == 11:  # FastText::loadModel: supervised models of version 11 use no character n-grams
        args["maxn"] = 0
    minn, maxn = args["minn"], args["maxn"]
    if maxn < 0 or maxn > MAX_NGRAM_LENGTH or (maxn > 0 and not 1 <= minn <= maxn):
        bad.append(f"minn={minn}, maxn={maxn}")
    if not (math.isfinite(args["t"]) and args["t"] >= 0):
        bad.append(f"t={args['t']}")
    if args["bucket"] == 0 and (maxn > 0 or args["wordNgrams"] > 1):
        bad.append(f"bucket=0 with maxn={maxn}, wordNgrams={args['wordNgrams']} (n-grams need hash buckets)")
    if bad:
        r.fail("invalid model arguments (" + "; ".join(bad) + ")", start)
    args["loss"], args["model"] = _LOSSES[args["loss"]], "sup"

    start = r.pos
    size, nwords, nlabels = r.unpack("3i", "the dictionary sizes")
    (ntokens,) = r.unpack("q", "the dictionary token count")
    (pruneidx_size,) = r.unpack("q", "the dictionary prune index size")
    if nwords < 0 or nlabels < 1 or size != nwords + nlabels:
        r.fail(f"invalid dictionary sizes: size={size}, nwords={nwords}, nlabels={nlabels} (a supervised model "
               "has at least one label, and size = nwords + nlabels)", start)
    if size * 10 > len(r.buf) - r.pos:  # every entry takes 10 bytes at least (NUL, count, type)
        r.fail(f"invalid dictionary size {size}: its entries need more than the "
               f"{len(r.buf) - r.pos} bytes left (file is {len(r.buf)} bytes)", start)
    if pruneidx_size >= 0:  # only quantized models are pruned
        raise _Quantized
    names: list[str] = []
    counts = np.empty(size, dtype=np.int64)
    seen: dict[str, int] = {}
    for i in range(size):
        at = r.pos
        raw = r.word(i)
        counts[i], kind = r.unpack("qb", f"the count and type of entry #{i}")
        want = 0 if i < nwords else 1
        if kind != want:
            r.fail(f"entry #{i} ({raw!r}) has type {kind}; the first {nwords} entries must be words (type 0) "
                   f"and the {nlabels} after them labels (type 1)", at)
        word = raw.decode("utf-8", "surrogateescape")  # fastText reads bytes; input text never matches bad ones
        first = seen.setdefault(word, i)
        if first != i:
            r.fail(f"entry #{i} repeats {word!r} (entry #{first})", at)
        names.append(word)
    dim, bucket = args["dim"], args["bucket"]
    input_at = r.matrix_header("input", (nwords + bucket, dim), f"({nwords} words + {bucket} buckets, {dim})")
    output_at = r.matrix_header("output", (nlabels, dim), f"({nlabels} labels, {dim})")
    if r.pos != len(r.buf):
        r.fail(f"{len(r.buf) - r.pos} unexpected bytes after the output matrix")
    header = {"args": args, "nwords": nwords, "nlabels": nlabels, "ntokens": int(ntokens),
              "words": names[:nwords], "labels": names[nwords:],
              "word_counts": counts[:nwords], "label_counts": counts[nwords:]}
    return header, (input_at, output_at), r.pos


# ----------------------------------------------------------------------------- the model
class SupervisedFastText:
    """A supervised fastText model: the text classifier ``fasttext supervised`` trains.

    >>> import fasttext                                # the reference implementation (pip install fasttext-wheel)
    >>> with open("train.txt", "w", encoding="utf-8") as f:
    ...     for _ in range(20):
    ...         print("__label__good a fine film , loved it", file=f)
    ...         print("__label__bad a dull film , hated it", file=f)
    ...
    >>> fasttext.train_supervised("train.txt", dim=8, epoch=25, lr=0.5, minCount=1, bucket=1000, seed=1, thread=1,
    ...                           verbose=0).save_model("clf.bin")
    >>> model = load_fasttext_supervised("clf.bin")
    >>> model.labels
    ['__label__good', '__label__bad']
    >>> [label for label, _ in model.predict("loved it", k=2)]
    ['__label__good', '__label__bad']
    >>> model.sentence_vector("loved it").shape, model.features("loved it").tolist()
    ((8,), [6, 3, 4])

    Load one with :func:`load_fasttext_supervised`. :meth:`predict` gives fastText's labels
    and probabilities (to 1e-5, every loss); :meth:`features` the input rows of a text
    (``Dictionary::getLine``); :meth:`sentence_vector` fastText's ``getSentenceVector`` of a
    supervised model (the mean of those rows); :attr:`wv` the word vectors (labels left out).

    Parameters
    ----------
    words, labels:
        The dictionary's words and labels, in file order.
    input_matrix:
        ``(len(words) + bucket, dim)`` float32: word rows, then the hash buckets.
    output_matrix:
        ``(len(labels), dim)`` float32.
    args:
        fastText's arguments (``dim``, ``wordNgrams``, ``loss``, ``bucket``, ``minn``, ``maxn``, ...;
        ``loss`` as a string: ``softmax``, ``hs``, ``ns``, ``one-vs-all``).
    word_counts, label_counts:
        Counts from the dictionary (the label counts shape the ``hs`` tree).
    """

    def __init__(self, words: Sequence[str], labels: Sequence[str], input_matrix: np.ndarray,
                 output_matrix: np.ndarray, args: dict[str, Any], *, word_counts: np.ndarray | None = None,
                 label_counts: np.ndarray | None = None, ntokens: int = 0, label_prefix: str = LABEL_PREFIX,
                 prune_index: np.ndarray | None = None, output_norms: np.ndarray | None = None):
        self.words, self.labels = list(words), list(labels)
        self.args = dict(args)
        self.input_matrix, self.output_matrix = input_matrix, output_matrix
        n, dim, bucket = len(self.words), int(self.args["dim"]), int(self.args["bucket"])
        self._prune: np.ndarray | None = None
        if prune_index is None:
            if input_matrix.shape != (n + bucket, dim):
                raise ValueError(f"input_matrix has shape {input_matrix.shape}, expected ({n} + {bucket}, {dim})")
        else:
            pairs = np.asarray(prune_index, dtype=np.int64).reshape(-1, 2)
            extra = input_matrix.shape[0] - n
            if input_matrix.ndim != 2 or input_matrix.shape[1] != dim or extra < 0 or (pairs.size and (
                    pairs[:, 0].min() < 0 or pairs[:, 0].max() >= bucket or pairs[:, 1].min() < 0
                    or pairs[:, 1].max() >= extra)):
                raise ValueError(f"prune_index does not fit: {len(pairs)} (bucket, row) pairs for {bucket} buckets "
                                 f"and an input matrix of shape {input_matrix.shape} with {n} words")
            self._prune = np.full(bucket, -1, dtype=np.int64)
            self._prune[pairs[:, 0]] = pairs[:, 1]
        if output_matrix.shape != (len(self.labels), dim):
            raise ValueError(f"output_matrix has shape {output_matrix.shape}, expected ({len(self.labels)}, {dim})")
        self.output_norms = None if output_norms is None else np.asarray(output_norms, dtype=np.float32)
        if self.output_norms is not None and self.output_norms.shape != (len(self.labels),):
            raise ValueError(f"output_norms must have shape ({len(self.labels)},), got {self.output_norms.shape}")
        if not self.labels:
            raise ValueError("a supervised model needs at least one label")
        if self.args["loss"] not in _LOSSES.values():
            raise ValueError(f"unknown loss {self.args['loss']!r}; fastText's are {', '.join(_LOSSES.values())}")
        self.word_counts = np.ones(n, dtype=np.int64) if word_counts is None else np.asarray(word_counts, np.int64)
        self.label_counts = (np.ones(len(self.labels), dtype=np.int64) if label_counts is None
                             else np.asarray(label_counts, np.int64))
        self.ntokens = int(ntokens)
        self.label_prefix = label_prefix
        self._word_index = {w: i for i, w in enumerate(self.words)}
        self._label_set = set(self.labels)
        self._cache: dict[str, tuple[tuple[int, ...], int | None]] = {}
        self._tree = _huffman_tree(self.label_counts) if self.args["loss"] == "hs" else None
        self._wv: SubwordVectors | None = None

    def __repr__(self) -> str:
        a = self.args
        return (f"SupervisedFastText({len(self.words)} words, {len(self.labels)} labels, dim {a['dim']}, "
                f"loss {a['loss']}, wordNgrams {a['wordNgrams']}, bucket {a['bucket']})")

    @property
    def dim(self) -> int:
        """The vector size."""
        return int(self.args["dim"])

    # ---------------------------------------------------------------- features
    def _token(self, token: str) -> tuple[tuple[int, ...], int | None]:
        """A token's input rows and its int32-stored hash (None: a label, which adds nothing)."""
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        wid = self._word_index.get(token)
        if wid is None and (token in self._label_set or token.startswith(self.label_prefix)):
            out: tuple[tuple[int, ...], int | None] = ((), None)
        else:
            rows = ([] if wid is None else [wid]) + self._ngram_rows(token)
            out = (tuple(rows), fasttext_hash(token.encode("utf-8", "surrogateescape")))
        if len(self._cache) >= _TOKEN_CACHE:
            self._cache.clear()
        self._cache[token] = out
        return out

    def _ngram_rows(self, word: str) -> list[int]:
        """Input rows of ``word``'s character n-grams (``computeSubwords`` + ``pushHash``; none for
        ``</s>`` or without n-grams)."""
        minn, maxn, bucket = self.args["minn"], self.args["maxn"], self.args["bucket"]
        if maxn <= 0 or word == EOS:  # Dictionary::addSubwords / initNgrams: </s> has no n-grams
            return []
        grams = oov_rows(word, 0, minn, maxn, bucket)
        if self._prune is not None:  # Dictionary::pushHash of a pruned model
            grams = self._prune[grams]
            grams = grams[grams >= 0]
        return (grams + len(self.words)).tolist()

    def word_vector(self, word: str) -> np.ndarray | None:
        """fastText's ``getWordVector``: the mean of ``word``'s row (if in the vocabulary) and its
        character n-gram rows; None when it has neither (fastText prints zeros) or is a label
        (fastText would read a hash bucket's row). Works for every model, pruned ones too."""
        if word in self._label_set:
            return None
        wid = self._word_index.get(word)
        rows = ([] if wid is None else [wid]) + self._ngram_rows(word)
        if not rows:
            return None
        out = np.zeros((1, self.dim), dtype=np.float32)
        _hidden_kernel(self.input_matrix, np.asarray(rows, dtype=np.int64), np.array([0, len(rows)]), out)
        return out[0]

    def _words(self, text: str) -> tuple[list[int], list[int]]:
        """The rows of the words of ``text + "\\n"`` (``addSubwords``) and their hashes."""
        if "\n" in text:
            raise ValueError(f"a text is one line; {text[:40]!r}... holds a line break (predict each line apart)")
        rows: list[int] = []
        hashes: list[int] = []
        for token in [*fasttext_tokens(text), EOS]:
            ids, h = self._token(token)
            if h is not None:
                rows.extend(ids)
                hashes.append(h)
            if token == EOS:  # getLine stops at the first </s>, even one written in the text
                break
        return rows, hashes

    def _encode(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Input rows of every text, flattened: ``ids[offsets[t]:offsets[t+1]]``."""
        rows: list[int] = []
        hashes: list[int] = []
        row_offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        hash_offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        for t, text in enumerate(texts):
            r, h = self._words(text)
            rows.extend(r)
            hashes.extend(h)
            row_offsets[t + 1], hash_offsets[t + 1] = len(rows), len(hashes)
        return _line_ids_kernel(np.asarray(rows, dtype=np.int64), row_offsets, _widen(hashes), hash_offsets,
                                int(self.args["wordNgrams"]), int(self.args["bucket"]), len(self.words),
                                self._prune if self._prune is not None else _NO_PRUNE)

    def features(self, text: str) -> np.ndarray:
        """The input-matrix rows of ``text`` in fastText's order (``Dictionary::getLine`` on
        ``text + "\\n"``): each word's rows, then the word n-gram buckets. Int64."""
        return self._encode([text])[0]

    def _hidden(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Hidden vectors of ``texts`` and how many input rows each had."""
        ids, offsets = self._encode(texts)
        hidden = np.zeros((len(texts), self.dim), dtype=np.float32)
        _hidden_kernel(self.input_matrix, ids, offsets, hidden)
        return hidden, np.diff(offsets)

    def sentence_vector(self, text: str) -> np.ndarray:
        """fastText's ``getSentenceVector`` of a supervised model: the mean input row of ``text``
        (words, their n-grams, ``</s>`` and word n-grams; zeros when there is none)."""
        return self._hidden([text])[0][0]

    def sentence_vectors(self, texts: Sequence[str]) -> np.ndarray:
        """:meth:`sentence_vector` of each text, as a ``(len(texts), dim)`` float32 array."""
        return self._hidden(list(texts))[0]

    # ---------------------------------------------------------------- prediction
    def predict(self, text: str, k: int = 1, threshold: float = 0.0) -> list[tuple[str, float]]:
        """The ``k`` most probable labels of ``text`` (``k=-1``: all) whose probability is at least
        ``threshold``, best first, as ``(label, probability)``: fastText's ``predict``.

        A text with no known word, n-gram or ``</s>`` gets no label (an empty list), as in fastText.
        """
        return self.predict_batch([text], k=k, threshold=threshold)[0]

    def predict_batch(self, texts: Iterable[str], k: int = 1, threshold: float = 0.0,
                      batch_size: int = 1024) -> list[list[tuple[str, float]]]:
        """:meth:`predict` of each text, ``batch_size`` texts per pass through the kernels."""
        k = int(k)
        if k == -1:
            k = len(self.labels)
        elif k < 1:
            raise ValueError(f"k must be 1 or more (or -1 for every label), got {k}")
        texts = list(texts)
        out: list[list[tuple[str, float]]] = []
        for start in range(0, len(texts), batch_size):
            out.extend(self._predict_block(texts[start:start + batch_size], k, np.float32(threshold)))
        return out

    def _predict_block(self, texts: list[str], k: int, threshold: np.float32) -> list[list[tuple[str, float]]]:
        hidden, lengths = self._hidden(texts)
        scores = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        _scores_kernel(hidden, self.output_matrix, scores)
        if self.output_norms is not None:  # a quantized output: ProductQuantizer::mulcode scales the dot product
            scores *= self.output_norms
        vals = np.zeros((len(texts), k + 1), dtype=np.float32)
        ids = np.zeros((len(texts), k + 1), dtype=np.int64)
        found = np.zeros(len(texts), dtype=np.int64)
        loss = self.args["loss"]
        if loss == "hs":
            _tree_kernel(scores, self._tree["left"], self._tree["right"], k, _std_log(threshold)[()], vals, ids, found)
        else:
            p = _softmax(scores) if loss == "softmax" else table_sigmoid(scores)
            _kbest_kernel(p, _std_log(p), k, threshold, vals, ids, found)
        probs = np.exp(vals)  # FastText::predictLine: exp of the float32 log score
        return [[] if lengths[t] == 0 else  # FastText::predict: no input row, no prediction
                [(self.labels[ids[t, j]], float(probs[t, j])) for j in range(found[t])]
                for t in range(len(texts))]

    # ---------------------------------------------------------------- word vectors
    @property
    def wv(self) -> SubwordVectors:
        """The words' vectors (fastText's ``getWordVector``: a word's row averaged with its character
        n-gram rows when ``maxn > 0``; unknown words from their n-grams, or none without n-grams).
        Labels are left out (fastText would read a hash bucket's row for them). Built on first use.
        A pruned (quantized) model with character n-grams whose prune index drops buckets has no
        such vectors (fastText leaves the dropped n-grams out of a word's mean): a ValueError."""
        if self._wv is None:
            n, dim = len(self.words), self.dim
            minn, maxn, bucket = self.args["minn"], self.args["maxn"], self.args["bucket"]
            rows = self.input_matrix[:n]
            if maxn <= 0 or (self._prune is not None and (self._prune < 0).all()):  # words only (no n-gram rows)
                ngrams, bucket = np.zeros((0, dim), dtype=np.float32), 0
            elif self._prune is None:
                ngrams = self.input_matrix[n:]
            elif (self._prune >= 0).all():  # several buckets may share a row
                ngrams = self.input_matrix[n + self._prune]
            else:
                raise ValueError(f"this quantized model's prune index drops {int((self._prune < 0).sum())} of its "
                                 f"{bucket} n-gram buckets, which fastText leaves out of a word's mean; its word "
                                 "vectors cannot be given as SubwordVectors")
            if bucket == 0:
                minn = maxn = 0
            self._wv = SubwordVectors(self.words, rows, ngrams, min_n=minn, max_n=maxn, bucket=bucket,
                                      counts=self.word_counts)
        return self._wv
