"""Compaction of provisionally encoded sentences into final token ids (one pass, no temporaries)."""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(nogil=True, cache=True)
def compact_chunk(prov, lengths, remap, out_tokens, out_offsets, tok_pos, sent_pos):
    """Map provisional ids through ``remap`` (-1 = pruned), dropping pruned tokens and emptied sentences.

    ``lengths`` are the raw lengths of the whole sentences in ``prov``. Kept tokens are appended to
    ``out_tokens`` from ``tok_pos``; each non-empty sentence's end is written to
    ``out_offsets[sent_pos + 1]``. Returns the new (tok_pos, sent_pos). Twin:
    ``reference_encode.compact_chunk``.
    """
    i = 0
    for s in range(lengths.shape[0]):
        start = tok_pos
        for _ in range(lengths[s]):
            m = remap[prov[i]]
            i += 1
            if m >= 0:
                out_tokens[tok_pos] = m
                tok_pos += 1
        if tok_pos > start:
            sent_pos += 1
            out_offsets[sent_pos] = tok_pos
    return tok_pos, sent_pos
