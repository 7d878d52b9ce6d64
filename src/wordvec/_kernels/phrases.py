"""Phrase counting kernels: unigram and bigram counts of word2phrase / gensim's ``Phrases``.

The count loop of gensim 4's ``Phrases._learn_vocab`` (the spec; Mikolov et al. 2013's
word2phrase.c ``LearnVocabFromTrainFile`` without connectors), over token ids:

* every non-connector token adds one to its unigram count; connector tokens are counted in
  the corpus total only;
* every two successive non-connector tokens of a sentence, with the connector tokens between
  them (``bank of america``), add one to the count of that *bigram* (a sequence of ids);
* after each sentence, when the table holds more than ``max_vocab_size`` entries (unigrams
  plus bigrams), every entry with a count below ``min_reduce`` is dropped and ``min_reduce``
  grows by one (gensim's ``utils.prune_vocab``: it keeps ``count >= min_reduce``, so the first
  prune, at ``min_reduce`` 1, drops nothing).

Bigrams live in an open-addressing hash table: ``slots`` (int32, a power of two, at most half
full) holds entry indices or -1; row ``e`` of ``ent`` (int64) is ``(hash, count, start << 24 |
length)`` and the ids of the bigram are ``arena[start:start + length]`` (a bigram is shorter
than :data:`MAX_LENGTH` tokens: the caller refuses longer sentences). Two bigrams are the same entry only
when their id sequences are equal (the hash only finds the slot).

``state`` (int64[STATE_SIZE]) carries the scalars between calls: see the ``S_*`` indices.
The kernels never allocate: :func:`count_sentences` stops before a sentence that might not fit
and returns its index; the caller grows the arrays and calls again.
"""

from __future__ import annotations

import numba
import numpy as np

from wordvec._kernels.common import _JIT

__all__ = ["count_sentences", "prune", "rehash", "sequence_hash", "STATE_SIZE", "LENGTH_BITS", "MAX_LENGTH", "S_TOTAL", "S_MIN_REDUCE",
           "S_UNIGRAMS", "S_BIGRAMS", "S_PEAK", "S_ARENA", "S_PRUNES"]

S_TOTAL = 0  # tokens read, connectors included (gensim's corpus_word_count)
S_MIN_REDUCE = 1  # the next prune drops counts below this (starts at 1)
S_UNIGRAMS = 2  # ids with a non-zero unigram count
S_BIGRAMS = 3  # rows of ent in use
S_PEAK = 4  # the most entries (unigrams + bigrams) held at the end of a sentence
S_ARENA = 5  # ints of arena in use
S_PRUNES = 6  # prunes done
STATE_SIZE = 8
LENGTH_BITS = 24
MAX_LENGTH = 1 << LENGTH_BITS  # tokens in one bigram (its two words and the connectors between them)
_LENGTH_MASK = MAX_LENGTH - 1

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)


@numba.njit(**_JIT)
def sequence_hash(ids, lo, hi):
    """A 64-bit hash of ``ids[lo:hi]``: FNV-1a over the ids, then MurmurHash3's finaliser (so
    that the low bits, which pick the slot, depend on every id). Returned as int64."""
    h = _FNV_OFFSET
    for k in range(lo, hi):
        h = (h ^ np.uint64(np.uint32(ids[k]))) * _FNV_PRIME
    h ^= h >> np.uint64(33)
    h *= _MIX1
    h ^= h >> np.uint64(33)
    h *= _MIX2
    h ^= h >> np.uint64(33)
    return np.int64(h)


@numba.njit(**_JIT)
def _insert_slot(slots, e, h):
    mask = slots.shape[0] - 1
    i = h & mask
    while slots[i] != -1:
        i = (i + 1) & mask
    slots[i] = e


@numba.njit(**_JIT)
def rehash(slots, ent, arena, n_big, recompute):
    """Rebuild ``slots`` from the first ``n_big`` rows of ``ent``; with ``recompute``, hash the
    arena sequences again first (after the ids were renumbered)."""
    slots[:] = -1
    for e in range(n_big):
        if recompute:
            start = ent[e, 2] >> LENGTH_BITS
            ent[e, 0] = sequence_hash(arena, start, start + (ent[e, 2] & _LENGTH_MASK))
        _insert_slot(slots, e, ent[e, 0])


@numba.njit(**_JIT)
def prune(uni, slots, ent, arena, state):
    """gensim's ``prune_vocab(vocab, min_reduce)``: drop the unigrams and bigrams counted fewer
    than ``min_reduce`` times, compact ``ent`` and ``arena``, rebuild ``slots``; then
    ``min_reduce += 1``."""
    min_reduce = state[S_MIN_REDUCE]
    n_uni = state[S_UNIGRAMS]
    for w in range(uni.shape[0]):
        c = uni[w]
        if c > 0 and c < min_reduce:
            uni[w] = 0
            n_uni -= 1
    kept = 0
    used = 0
    for e in range(state[S_BIGRAMS]):
        if ent[e, 1] >= min_reduce:
            start = ent[e, 2] >> LENGTH_BITS
            length = ent[e, 2] & _LENGTH_MASK
            for k in range(length):  # moves left only: used <= start
                arena[used + k] = arena[start + k]
            ent[kept, 0] = ent[e, 0]
            ent[kept, 1] = ent[e, 1]
            ent[kept, 2] = (used << LENGTH_BITS) | length
            kept += 1
            used += length
    state[S_UNIGRAMS] = n_uni
    state[S_BIGRAMS] = kept
    state[S_ARENA] = used
    state[S_MIN_REDUCE] = min_reduce + 1
    state[S_PRUNES] += 1
    rehash(slots, ent, arena, kept, False)


@numba.njit(**_JIT)
def count_sentences(tokens, offsets, first, is_conn, uni, state, slots, ent, arena, max_vocab_size):
    """Count the sentences ``first, first + 1, ...`` of ``tokens`` (sentence ``s`` is
    ``tokens[offsets[s]:offsets[s + 1]]``, ids below ``uni.shape[0]``; ``is_conn[w]`` marks
    connector words) into ``uni``, the bigram table and ``state``, pruning after a sentence as
    gensim does.

    Returns the index of the first sentence not counted: ``offsets.shape[0] - 1`` when all were,
    else the caller must grow ``ent``, ``arena`` or ``slots`` to fit a sentence of that length
    (``n`` tokens need ``n`` free rows, ``2 * n`` free arena ints and a table at most half full
    with ``n`` more rows) and call again from there.
    """
    n_sent = offsets.shape[0] - 1
    mask = slots.shape[0] - 1
    for s in range(first, n_sent):
        lo = offsets[s]
        hi = offsets[s + 1]
        n = hi - lo
        if (state[S_BIGRAMS] + n > ent.shape[0] or state[S_ARENA] + 2 * n > arena.shape[0]
                or 2 * (state[S_BIGRAMS] + n) > slots.shape[0]):
            return s
        state[S_TOTAL] += n
        start = -1
        for p in range(lo, hi):
            w = tokens[p]
            if is_conn[w]:
                continue  # inside a candidate, it is part of the next bigram; else it is skipped
            if uni[w] == 0:
                state[S_UNIGRAMS] += 1
            uni[w] += 1
            if start >= 0:
                length = p + 1 - start
                h = sequence_hash(tokens, start, p + 1)
                i = h & mask
                while True:
                    e = slots[i]
                    if e == -1:
                        e = state[S_BIGRAMS]
                        used = state[S_ARENA]
                        for k in range(length):
                            arena[used + k] = tokens[start + k]
                        ent[e, 0] = h
                        ent[e, 1] = 1
                        ent[e, 2] = (used << LENGTH_BITS) | length
                        slots[i] = e
                        state[S_BIGRAMS] = e + 1
                        state[S_ARENA] = used + length
                        break
                    if ent[e, 0] == h and (ent[e, 2] & _LENGTH_MASK) == length:
                        at = ent[e, 2] >> LENGTH_BITS
                        same = True
                        for k in range(length):
                            if arena[at + k] != tokens[start + k]:
                                same = False
                                break
                        if same:
                            ent[e, 1] += 1
                            break
                    i = (i + 1) & mask
            start = p  # the end of one bigram is the start of the next
        size = state[S_UNIGRAMS] + state[S_BIGRAMS]
        if size > state[S_PEAK]:
            state[S_PEAK] = size
        if size > max_vocab_size:
            prune(uni, slots, ent, arena, state)
    return n_sent
