"""The word2vec binary record scanner (``_kernels/records.py``) against its Python twin, on
well-formed records in both writers' layouts and on every cut and damage of a small file."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec._kernels import reference_records as ref
from wordvec._kernels.records import SCAN_ENDS, SCAN_MALFORMED, SCAN_OK, join_words, scan_word2vec_binary


def _records(rng, n, dim, newline: bool) -> bytes:
    out = []
    for i in range(n):
        word = "".join(rng.choice(list("abcdé한"), size=rng.integers(1, 6))).encode() + str(i).encode()
        row = rng.standard_normal(dim).astype("<f4").tobytes()
        out.append(word + b" " + row + (b"\n" if newline else b""))
    return b"".join(out)


def _scan(data: bytes, pos: int, want: int, dim: int):
    buf = np.frombuffer(data, dtype=np.uint8)
    out = np.zeros((want, 4 * dim), dtype=np.uint8)
    starts, ends = np.zeros(want, np.int64), np.zeros(want, np.int64)
    status, end, i = scan_word2vec_binary(buf, pos, want, out, starts, ends)
    return status, end, i, list(zip(starts[:i].tolist(), ends[:i].tolist())), [bytes(r) for r in out[:i]]


@pytest.mark.parametrize("newline", [True, False])
def test_well_formed_records_match_the_twin(newline):
    rng = np.random.default_rng(0)
    data = b"5 3\n" + _records(rng, 5, 3, newline)
    got = _scan(data, 4, 5, 3)
    assert got[0] == SCAN_OK
    assert got == ref.scan_word2vec_binary(data, 4, 5, 12)
    words = [data[a:b] for a, b in got[3]]
    assert bytes(join_words(np.frombuffer(data, np.uint8), np.array([a for a, _ in got[3]]),
                            np.array([b for _, b in got[3]]), 10)) == ref.join_words(data, got[3], b"\n")
    assert words[0].decode().endswith("0") and all(b" " not in w and b"\n" not in w for w in words)


def test_every_cut_and_every_damaged_byte_matches_the_twin():
    rng = np.random.default_rng(1)
    data = b"4 2\n" + _records(rng, 4, 2, True)
    seen = set()
    for cut in range(4, len(data) + 1):
        got = _scan(data[:cut], 4, 4, 2)
        assert got == ref.scan_word2vec_binary(data[:cut], 4, 4, 8), cut
        seen.add(got[0])
    for at in range(4, len(data)):
        for byte in (b" ", b"\n"):
            damaged = data[:at] + byte + data[at + 1:]
            assert _scan(damaged, 4, 4, 2) == ref.scan_word2vec_binary(damaged, 4, 4, 8), (at, byte)
            seen.add(_scan(damaged, 4, 4, 2)[0])
    assert seen == {SCAN_OK, SCAN_ENDS, SCAN_MALFORMED}


def test_leading_line_ends_are_skipped_and_an_empty_word_is_malformed():
    row = np.arange(2, dtype="<f4").tobytes()
    data = b"\n\nab " + row + b"\n \x00" + row
    status, end, i, words, rows = _scan(data, 0, 2, 2)
    assert (status, i, words, rows) == (SCAN_MALFORMED, 1, [(2, 4)], [row])
    assert ref.scan_word2vec_binary(data, 0, 2, 8)[:3] == (SCAN_MALFORMED, end, 1)
