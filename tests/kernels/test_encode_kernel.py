"""The encoding kernel (compact_chunk) against its Python twin."""

from __future__ import annotations

import numpy as np

from wordvec._kernels import reference_encode as ref
from wordvec._kernels.encode import compact_chunk


def test_compact_chunk_matches_python(rng):
    lengths = np.array([4, 0, 3, 1, 6, 2, 5], dtype=np.int64)
    prov = rng.integers(0, 9, size=int(lengths.sum())).astype(np.int32)
    remap = np.array([0, -1, 1, 2, -1, 3, -1, 4, 5], dtype=np.int32)  # provisional id -> final id, -1 = pruned
    prov[7] = 1  # the one-word sentence is pruned away entirely
    want_tokens, want_ends = ref.compact_chunk(prov, lengths, remap)
    assert len(want_ends) < np.count_nonzero(lengths)  # an emptied sentence was dropped
    # append after what earlier chunks wrote: 3 tokens in 2 sentences
    out_tokens = np.full(3 + prov.size, -7, dtype=np.int32)
    out_offsets = np.full(2 + lengths.size + 1, -7, dtype=np.int64)
    out_offsets[:3] = [0, 1, 3]
    tok_pos, sent_pos = compact_chunk(prov, lengths, remap, out_tokens, out_offsets, 3, 2)
    assert (tok_pos, sent_pos) == (3 + len(want_tokens), 2 + len(want_ends))
    assert out_tokens[3:tok_pos].tolist() == want_tokens
    assert out_offsets[3:sent_pos + 1].tolist() == [3 + e for e in want_ends]
    assert (out_tokens[tok_pos:] == -7).all() and (out_offsets[sent_pos + 1:] == -7).all()
