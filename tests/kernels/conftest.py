"""The kernel tests' shared inputs: one tiny corpus with its tables, drawn from the session seed.

Every kernel test runs a numba kernel and its NumPy twin (``_kernels/reference*.py``) on copies of
the same arrays with the same RNG state, then compares whole matrices (``assert_twins``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from wordvec.vocab import build_huffman, keep_thresholds, negative_table
from wordvec.vocab.subwords import subword_table

# Korean and accented words give multi-byte n-grams; "a" is shorter than the smallest n-gram.
WORDS = ["the", "cat", "sat", "on", "mat", "dog", "영화가", "café", "ran", "a"]
V, D, BUCKET = len(WORDS), 8, 37
LENGTHS = [7, 1, 12, 5, 9]  # sentence lengths; the one-word sentence has no context


@dataclass
class TinyCorpus:
    """Zipf-like counts, sentences drawn from them, and input/output matrices (V + BUCKET, D) / (V, D)."""

    counts: np.ndarray
    tokens: np.ndarray
    offsets: np.ndarray
    syn0: np.ndarray  # word rows first, then BUCKET n-gram rows (Word2Vec tests use syn0[:V])
    syn1: np.ndarray

    def keep(self, sample: float) -> np.ndarray:
        return keep_thresholds(self.counts, sample)

    @property
    def cum_table(self) -> np.ndarray:
        return negative_table(self.counts)

    @property
    def tree(self):
        return build_huffman(self.counts)

    @property
    def subwords(self) -> tuple[np.ndarray, np.ndarray]:
        """(sub_ids, sub_offsets) of WORDS with 2..4-character n-grams in BUCKET buckets."""
        return subword_table(WORDS, 2, 4, BUCKET)

    def pair(self, *, subwords: bool = False, hierarchical: bool = False):
        """Two copies of (input, output) matrices: (a0, a1) for the kernel, (b0, b1) for the twin.

        The output matrix has V - 1 rows (one per inner Huffman node) for hierarchical softmax.
        """
        s0 = self.syn0 if subwords else self.syn0[:V]
        s1 = self.syn1[: V - 1] if hierarchical else self.syn1
        return s0.copy(), s1.copy(), s0.copy(), s1.copy()


@pytest.fixture
def tiny(rng) -> TinyCorpus:
    counts = np.sort(rng.integers(1, 200, size=V))[::-1].astype(np.int64)
    tokens = rng.choice(V, size=sum(LENGTHS), p=counts / counts.sum()).astype(np.int32)
    offsets = np.concatenate(([0], np.cumsum(LENGTHS))).astype(np.int64)
    syn0 = ((rng.random((V + BUCKET, D), dtype=np.float32) - 0.5) / D).astype(np.float32)
    syn1 = (rng.standard_normal((V, D)).astype(np.float32) * 0.3).astype(np.float32)
    return TinyCorpus(counts, tokens, offsets, syn0, syn1)


def _assert_twins(out, ref, state, kernel_arrays, twin_arrays, rtol=1e-4, atol=1e-6):
    """A kernel's (loss, examples, words) and final RNG state against its twin's, and its matrices."""
    loss, examples, words = out
    ref_loss, ref_examples, ref_words, ref_state = ref
    assert (examples, words, int(state[0])) == (ref_examples, ref_words, ref_state)
    for got, want in zip(kernel_arrays, twin_arrays):
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)
    assert loss == pytest.approx(ref_loss, rel=rtol)


@pytest.fixture
def assert_twins():
    return _assert_twins
