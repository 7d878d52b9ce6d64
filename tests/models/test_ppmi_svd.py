"""PPMI + SVD: PPMI values on a hand-computed example, the SVD, topics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from wordvec.cooccur import Cooccurrence, build_cooccurrence
from wordvec.models.ppmi_svd import PPMISVD, ppmi


def matrix(dense, keys=None):
    dense = np.asarray(dense, dtype=np.float32)
    r, c = np.nonzero(dense)
    keys = keys or [f"w{i}" for i in range(dense.shape[0])]
    return Cooccurrence(r.astype(np.int32), c.astype(np.int32), dense[r, c], keys,
                        np.arange(len(keys), 0, -1) * 10)


def test_ppmi_on_a_hand_computed_example():
    # X = [[0, 2, 1], [2, 0, 1], [1, 1, 4]]: row sums 3, 3, 6; column sums 3, 3, 6; total 12.
    m = matrix([[0, 2, 1], [2, 0, 1], [1, 1, 4]])
    r, c, v = ppmi(m, cds=1.0)
    got = {(int(a), int(b)): x for a, b, x in zip(r, c, v)}
    # PMI(0,1) = log(2 * 12 / (3 * 3)) = log(8/3); PMI(0,2) = log(1 * 12 / (3 * 6)) < 0; PMI(2,2) = log(48/36)
    assert got[(0, 1)] == pytest.approx(math.log(8 / 3))
    assert got[(1, 0)] == pytest.approx(math.log(8 / 3))
    assert got[(2, 2)] == pytest.approx(math.log(4 / 3))
    assert set(got) == {(0, 1), (1, 0), (2, 2)}  # negative PMI entries are dropped
    # context-distribution smoothing: #(c)^0.75 normalised by sum_c #(c)^0.75 (3^.75 + 3^.75 + 6^.75)
    r, c, v = ppmi(m, cds=0.75)
    z = 2 * 3 ** 0.75 + 6 ** 0.75
    got = {(int(a), int(b)): x for a, b, x in zip(r, c, v)}
    assert got[(0, 1)] == pytest.approx(math.log(2 * z / (3 * 3 ** 0.75)))
    assert got[(2, 2)] == pytest.approx(math.log(4 * z / (6 * 6 ** 0.75)))
    expect_02 = math.log(1 * z / (3 * 6 ** 0.75))
    assert ((0, 2) in got) == (expect_02 > 0)
    # shifted PPMI with shift=2 subtracts log 2
    r, c, v = ppmi(m, cds=1.0, shift=2.0)
    got = {(int(a), int(b)): x for a, b, x in zip(r, c, v)}
    assert got == {(0, 1): pytest.approx(math.log(8 / 3) - math.log(2)),
                   (1, 0): pytest.approx(math.log(8 / 3) - math.log(2))}


@pytest.mark.parametrize("svd", ["randomized", "arpack"])
def test_svd_matches_numpy_with_eigenvalue_weighting(rng, svd):
    if svd == "arpack":
        pytest.importorskip("scipy")
    # five blocks of different strengths: a clear gap after the 5th singular value
    block = np.repeat(np.arange(5), 8)
    intensity = np.where(block[:, None] == block[None, :], 3.0 + block[:, None], 0.3)
    dense = rng.poisson(intensity).astype(np.float32)
    dense = dense + dense.T
    m = matrix(dense)
    model = PPMISVD(vector_size=5, eig=0.5, svd=svd, progress=False).fit_cooccurrence(m)
    r, c, v = ppmi(m)
    P = np.zeros((40, 40))
    P[r, c] = v
    u, s, _ = np.linalg.svd(P)
    np.testing.assert_allclose(model.singular_values_, s[:5], rtol=1e-3)
    # the same subspace (signs and rotations within equal singular values aside): compare U S^0.5 U^T
    want = (u[:, :5] * s[:5] ** 0.5)
    got = model.wv.vectors.astype(np.float64)
    np.testing.assert_allclose(got @ got.T, want @ want.T, atol=2e-3 * np.abs(want @ want.T).max())


def test_topics_are_learnt_and_runs_are_identical(rng):
    topics = [[f"{t}{i}" for i in range(10)] for t in "abc"]
    words = sum(topics, [])
    sents = [[str(w) if rng.random() > 0.2 else str(rng.choice(words)) for w in rng.choice(topics[s % 3], 12)]
             for s in range(2000)]
    mat = build_cooccurrence(sents, min_count=1, progress=False)
    a = PPMISVD(vector_size=5, progress=False).fit_cooccurrence(mat)
    b = PPMISVD(vector_size=5, progress=False).fit_cooccurrence(mat)
    np.testing.assert_array_equal(a.wv.vectors, b.wv.vectors)
    for w in words:
        assert all(k[0] == w[0] for k, _ in a.wv.most_similar(w, topn=5))


def test_errors_name_the_parameter():
    with pytest.raises(ValueError, match="vector_size=5 must be smaller than the vocabulary"):
        PPMISVD(vector_size=5, min_count=1, progress=False).fit([["a", "b", "c"]])
    with pytest.raises(ValueError, match="cds"):
        PPMISVD(cds=0).fit([["a", "b"]])
