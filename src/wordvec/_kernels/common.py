"""Pieces shared by the training kernels: the RNG, the sigmoid tables, the opening of every
kernel's sentence loop (buffer, learning rate, window), subsampling, sampling, and the two
output-layer steps (negative sampling, hierarchical softmax).

Everything here is pure: arrays and scalars in, arrays out. The RNG is word2vec.c's
linear congruential generator (``next_random = next_random * 25214903917 + 11``), its
state an explicit one-element uint64 array owned by the caller.

Every training kernel (skipgram.py, cbow.py, subword.py) has the same skeleton, word2vec.c's
TrainModelThread::

    buf = sentence_buffer(offsets)
    for s in range(offsets.shape[0] - 1):
        alpha = sentence_alpha(offsets, s, alpha0, alpha1)
        n = subsample(tokens, offsets[s], offsets[s + 1], keep, buf, rng)
        for i in range(n):
            lo, hi = context_window(i, n, window, rng)
            ...the architecture and the loss...

so that two kernels differ only in their algorithm. LLVM inlines the small helpers; the output
steps (``ns_update``, ``ns_update_shared``, ``hs_update``) stay calls of their own. The
negative-sampling kernels work one word ahead: word ``i + 1``'s window and noise words are drawn
before word ``i``'s steps (the same random numbers in the same order as the skeleton) and the rows
word ``i + 1`` will read are prefetched (``prefetch_row``) while word ``i`` computes.
"""

from __future__ import annotations

import numba
import numpy as np
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic

from wordvec.vocab.sampling import GUIDE_SHIFT

# word2vec.c: EXP_TABLE_SIZE 1000, MAX_EXP 6; sigmoid(x) for x in [-6, 6) read from a table.
MAX_EXP = 6.0
EXP_TABLE_SIZE = 1000
_x = (np.arange(EXP_TABLE_SIZE, dtype=np.float64) / EXP_TABLE_SIZE * 2.0 - 1.0) * MAX_EXP
SIGMOID_TABLE = (np.exp(_x) / (np.exp(_x) + 1.0)).astype(np.float32)
# -log(sigmoid(x)) and -log(1 - sigmoid(x)) on the same grid: the loss, accumulated in float64.
NLL_POS_TABLE = np.log1p(np.exp(-_x))  # -log sigmoid(x)
NLL_NEG_TABLE = np.log1p(np.exp(_x))  # -log (1 - sigmoid(x))
TABLE_SCALE = EXP_TABLE_SIZE / MAX_EXP / 2.0

#: ``vocab.negative_table``'s default domain, 2**31 - 1.
MERSENNE_31 = np.int64(2**31 - 1)

LCG_MUL = np.uint64(25214903917)
LCG_ADD = np.uint64(11)

_JIT = dict(nogil=True, cache=True, fastmath=True, error_model="numpy")


@numba.njit(**_JIT)
def next_random(rng):
    """Advance the LCG in ``rng[0]`` and return 32 fresh bits (bits 16..47 of the state)."""
    r = rng[0] * LCG_MUL + LCG_ADD
    rng[0] = r
    return (r >> np.uint64(16)) & np.uint64(0xFFFFFFFF)


@numba.njit(**_JIT)
def table_index(f):
    """Index into the sigmoid tables for a score ``f`` in (-MAX_EXP, MAX_EXP)."""
    return int((f + MAX_EXP) * TABLE_SCALE)


@numba.njit(**_JIT)
def zero(buf):
    """``buf[:] = 0`` for a 1-d buffer (word2vec.c: ``for (c = 0; c < layer1_size; c++) neu1e[c] = 0``)."""
    for k in range(buf.shape[0]):
        buf[k] = 0.0


@numba.njit(inline="always", **_JIT)
def add_to_row(m, row, v):
    """``m[row] += v``, by index (no row view: see ``binary_logistic``)."""
    for k in range(m.shape[1]):
        m[row, k] += v[k]


@intrinsic
def _prefetch(typingctx, matrix, row, col):
    """``llvm.prefetch`` of the cache line that holds ``matrix[row, col]`` (a read, kept in every
    cache level): a hint, no result, no fault on any address."""
    if not (isinstance(matrix, types.Array) and matrix.ndim == 2
            and isinstance(row, types.Integer) and isinstance(col, types.Integer)):
        return None

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        r = context.cast(builder, args[1], signature.args[1], types.intp)
        c = context.cast(builder, args[2], signature.args[2], types.intp)
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [r, c], wraparound=False)
        i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
        # the intrinsic is named after its pointer type: "ptr" (opaque pointers, numba >= 0.6x) or "i8*"
        name = "llvm.prefetch.p0" if str(i8p) == "ptr" else "llvm.prefetch.p0i8"
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]),
                                            name)
        builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return types.void(matrix, row, col), codegen


@numba.njit(inline="always", **_JIT)
def prefetch_row(m, row):
    """Ask the CPU to start loading row ``row`` of a float32 matrix (every 64-byte line of it), so
    that a later step that reads it does not wait for memory."""
    for k in range(0, m.shape[1], 16):
        _prefetch(m, row, k)


# ------------------------------------------------------------------- the sentence loop
@numba.njit(**_JIT)
def sentence_buffer(offsets):
    """An int32 buffer that holds the longest of the sentences ``offsets[s]:offsets[s+1]``.

    word2vec.c reads one sentence at a time into ``sen[MAX_SENTENCE_LENGTH + 1]``; here a job's
    sentences are already in memory, and each one's subsampled tokens are copied into this buffer.
    """
    longest = 0
    for s in range(offsets.shape[0] - 1):
        longest = max(longest, offsets[s + 1] - offsets[s])
    return np.empty(longest, dtype=np.int32)


@numba.njit(**_JIT)
def sentence_alpha(offsets, s, alpha0, alpha1):
    """The learning rate of sentence ``s``: linear from ``alpha0`` at the chunk's first token to
    ``alpha1`` at its end (float32).

    word2vec.c updates ``alpha = starting_alpha * (1 - word_count_actual / (train_words + 1))``
    every 10,000 words; the trainer gives each job its (alpha0, alpha1) from that linear decay
    (train/schedules.py) and the kernel interpolates per sentence.
    """
    span = max(offsets[offsets.shape[0] - 1] - offsets[0], 1)
    return np.float32(alpha0 + (alpha1 - alpha0) * ((offsets[s] - offsets[0]) / span))


@numba.njit(**_JIT)
def subsample(tokens, start, end, keep, buf, rng):
    """Copy the tokens of one sentence that survive subsampling into ``buf``; return how many.

    A token w is kept when a 32-bit draw is below ``keep[w]`` (2**32 = always keep), so each
    token costs one draw, as in word2vec.c (which draws only when sample > 0).
    """
    n = 0
    for i in range(start, end):
        w = tokens[i]
        thr = keep[w]
        if thr < 4294967296:
            if np.int64(next_random(rng)) >= thr:
                continue
        buf[n] = w
        n += 1
    return n


@numba.njit(**_JIT)
def draw_negative(cum_table, neg_guide, rng):
    """A noise word drawn with probability proportional to its share of ``cum_table``.

    ``cum_table`` is the cumulative distribution of ``count ** ns_exponent`` (0.75 by default, the
    exponent of Mikolov et al. 2013) from ``vocab.negative_table``; the word drawn for a uniform
    ``x`` in ``[0, cum_table[-1])`` is the first ``i`` with ``cum_table[i] > x``. word2vec.c draws
    ``table[(next_random >> 16) % table_size]`` from a 1e8-entry table (InitUnigramTable); this is
    the same distribution from one int64 per word, searched through ``neg_guide``
    (``vocab.negative_guide``, a guide table: Chen & Asau 1974): the answer lies between
    ``neg_guide[j]`` and ``neg_guide[j + 1]`` for ``j = x >> GUIDE_SHIFT``, a range of one or two
    words for the frequent ones, so a draw costs a bucket look-up and a few steps of binary search
    instead of ~17 dependent loads over the whole table (3.4 times faster measured on a
    70,000-word table). The word drawn is exactly the plain binary search's.
    The default domain ``2**31 - 1`` is a Mersenne number: ``x mod (2**31 - 1)`` of a 32-bit draw
    is a sum and one subtraction instead of a 64-bit division.
    """
    n = cum_table.shape[0]
    domain = cum_table[n - 1]
    r = np.int64(next_random(rng))
    if domain == MERSENNE_31:
        x = (r & MERSENNE_31) + (r >> 31)
        if x >= MERSENNE_31:
            x -= MERSENNE_31
    else:
        x = r % domain
    j = x >> GUIDE_SHIFT
    lo = np.int64(neg_guide[j])
    hi = min(np.int64(neg_guide[j + 1]), n - 1)
    while lo < hi:  # first i with cum_table[i] > x
        mid = (lo + hi) >> 1
        if cum_table[mid] > x:
            hi = mid
        else:
            lo = mid + 1
    return lo


@numba.njit(**_JIT)
def reduced_window(window, rng):
    """word2vec.c's dynamic window: b = next_random % window, effective window = window - b."""
    return window - np.int64(next_random(rng) % np.uint64(window))


@numba.njit(**_JIT)
def context_window(i, n, window, rng):
    """The positions ``lo:hi`` (``i`` included) of word ``i``'s context in a sentence of ``n`` words.

    One draw per word for the reduced window, as word2vec.c (``b = next_random % window``; its loop
    ``for (a = b; a < window * 2 + 1 - b; a++) if (a != window)`` skips positions outside the sentence).
    """
    b = reduced_window(window, rng)
    return max(0, i - b), min(n, i + b + 1)


# ------------------------------------------------------------------- output-layer steps
@numba.njit(inline="always", **_JIT)
def binary_logistic(h, row, neu1e, syn1neg, t, positive, alpha):
    """One SGD step of binary logistic regression of ``h[row]`` on output row ``t``; returns its loss.

    The label is 1 for the true word (``positive``), 0 for a noise word. word2vec.c, NEGATIVE
    SAMPLING block::

        f = h . syn1neg[t];  g = (label - sigmoid(f)) * alpha   (sigmoid read from the table)
        neu1e += g * syn1neg[t];  syn1neg[t] += g * h

    with the saturated gradient beyond +-MAX_EXP (``g = (label - 1) * alpha`` or ``label * alpha``).
    fastText's ``Loss::binaryLogistic`` (src/loss.cc) is the same step. The loss is the negative
    log-likelihood of the label (float64, from the tables; ``max(0, -+f)`` beyond +-MAX_EXP).

    Rows are addressed by index, never sliced: a numba view would update the parent array's
    reference count atomically, and with several threads on the same matrices that count's cache
    line would bounce between cores on every example. For the same reason the step is inlined
    (numba keeps the reference counting of a called function's array arguments), and its two updates
    share one loop, so that all three arrays are last used in the same place, where numba can prune
    their reference counting (written as two loops, it could not, and skip-gram ran a quarter slower).
    Each element is updated as in two loops: ``neu1e[k]`` reads ``syn1neg[t, k]`` before it moves.
    """
    label = np.float32(1.0) if positive else np.float32(0.0)
    f = np.float32(0.0)
    for k in range(h.shape[1]):
        f += h[row, k] * syn1neg[t, k]
    if f >= MAX_EXP:
        g = (label - np.float32(1.0)) * alpha
        loss = 0.0 if positive else np.float64(f)
    elif f <= -MAX_EXP:
        g = label * alpha
        loss = -np.float64(f) if positive else 0.0
    else:
        i = table_index(f)
        g = (label - SIGMOID_TABLE[i]) * alpha
        loss = NLL_POS_TABLE[i] if positive else NLL_NEG_TABLE[i]
    for k in range(h.shape[1]):
        neu1e[k] += g * syn1neg[t, k]
        syn1neg[t, k] += g * h[row, k]
    return loss


@numba.njit(**_JIT)
def ns_update(h, row, neu1e, syn1neg, target, negative, cum_table, neg_guide, alpha, rng):
    """Negative sampling for the hidden vector ``h[row]`` and the true ``target``; returns the loss.

    ``binary_logistic`` on the target (label 1), then on ``negative`` noise words drawn one before
    each step (label 0); a draw equal to the target is skipped, as word2vec.c does
    (``if (target == word) continue``). fastText's ``NegativeSamplingLoss::forward`` (src/loss.cc).
    (Drawing all the noise words first would consume the same random numbers, but the steps then
    wait for the binary searches instead of overlapping them: skip-gram ran 7% slower.)
    """
    loss = binary_logistic(h, row, neu1e, syn1neg, target, True, alpha)
    for _ in range(negative):
        t = draw_negative(cum_table, neg_guide, rng)
        if t != target:
            loss += binary_logistic(h, row, neu1e, syn1neg, t, False, alpha)
    return loss


@numba.njit(**_JIT)
def draw_negatives(cum_table, neg_guide, negs, rng):
    """Fill ``negs`` with noise words (``draw_negative``), one draw each, in order."""
    for q in range(negs.shape[0]):
        negs[q] = draw_negative(cum_table, neg_guide, rng)


@numba.njit(**_JIT)
def ns_update_shared(h, row, neu1e, syn1neg, target, negs, alpha):
    """``ns_update`` with the noise words drawn beforehand (``negs``; one equal to the target is skipped).

    Used by the batched skip-gram kernels, where one draw of negatives serves every context word of
    a window (Ji et al. 2016, "Parallelizing Word2Vec in Shared and Distributed Memory" — Intel's
    pWord2Vec / HogBatch): the output rows stay in cache across the window and each word costs
    ``negative`` draws instead of ``negative`` per context word. Updates stay per example (SGD).
    """
    loss = binary_logistic(h, row, neu1e, syn1neg, target, True, alpha)
    for q in range(negs.shape[0]):
        t = negs[q]
        if t != target:
            loss += binary_logistic(h, row, neu1e, syn1neg, t, False, alpha)
    return loss


@numba.njit(**_JIT)
def ns_update_drawn(h, row, neu1e, syn1neg, target, drawn, start, negative, alpha):
    """``ns_update`` with its ``negative`` noise words drawn beforehand: ``drawn[start:start + negative]``
    (one equal to the target is skipped). For kernels that draw a whole word's noise words one word
    ahead (per-pair negatives, in word2vec.c's order) and prefetch their rows."""
    loss = binary_logistic(h, row, neu1e, syn1neg, target, True, alpha)
    for q in range(start, start + negative):
        t = drawn[q]
        if t != target:
            loss += binary_logistic(h, row, neu1e, syn1neg, t, False, alpha)
    return loss


@numba.njit(**_JIT)
def hs_update(h, row, neu1e, syn1, codes, points, start, end, alpha):
    """Hierarchical softmax for ``h[row]`` along the Huffman path ``points[start:end]`` with bits ``codes``.

    word2vec.c, HIERARCHICAL SOFTMAX block: for each inner node, f = sigmoid(h . syn1[node]);
    g = (1 - code - f) * alpha; ``neu1e += g * syn1[node]``; ``syn1[node] += g * h``. Nodes whose
    score is beyond +-MAX_EXP are skipped (word2vec.c does the same).
    Returns the negative log-likelihood of the path (float64).
    """
    d = h.shape[1]
    loss = 0.0
    for j in range(start, end):
        t = points[j]
        f = np.float32(0.0)
        for k in range(d):
            f += h[row, k] * syn1[t, k]
        code = codes[j]
        if f <= -MAX_EXP or f >= MAX_EXP:
            # the loss of a saturated node still counts: -log sigmoid(+-f) ~ max(0, -+f)
            if code == 0 and f < 0:
                loss -= f
            elif code == 1 and f > 0:
                loss += f
            continue
        i = table_index(f)
        g = (np.float32(1.0) - np.float32(code) - SIGMOID_TABLE[i]) * alpha
        loss += NLL_POS_TABLE[i] if code == 0 else NLL_NEG_TABLE[i]
        for k in range(d):
            neu1e[k] += g * syn1[t, k]
        for k in range(d):
            syn1[t, k] += g * h[row, k]
    return loss
