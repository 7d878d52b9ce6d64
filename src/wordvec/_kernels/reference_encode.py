"""Slow Python twin of the encoding kernel (encode.py), for tests on tiny inputs."""

from __future__ import annotations

import numpy as np

__all__ = ["compact_chunk"]


def compact_chunk(prov, lengths, remap) -> tuple[list[int], list[int]]:
    """Sentence by sentence (``lengths`` tokens each from ``prov``), the tokens mapped through
    ``remap`` with the pruned ones (-1) dropped; sentences left empty are dropped too.

    Returns (tokens, ends): the kept ids, and the end of each kept sentence counted from the
    first kept token — what the kernel appends to its output arrays.
    """
    tokens: list[int] = []
    ends: list[int] = []
    start = 0
    for n in np.asarray(lengths).tolist():
        kept = [int(remap[t]) for t in prov[start:start + n] if remap[t] >= 0]
        start += n
        if kept:
            tokens.extend(kept)
            ends.append(len(tokens))
    return tokens, ends
