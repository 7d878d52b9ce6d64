"""The GloVe AdaGrad kernel against its NumPy twin (reference_glove.py)."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec._kernels import reference_glove as ref
from wordvec._kernels.glove import glove_adagrad, glove_weights, shuffle_entries


def setup(rng, n=9, d=6, nnz=40, scale=1.0):
    W = ((rng.random((n, d + 1)) - 0.5) / d * scale).astype(np.float32)
    C = ((rng.random((n, d + 1)) - 0.5) / d * scale).astype(np.float32)
    GW = (1 + rng.random((n, d + 1))).astype(np.float32)
    GC = (1 + rng.random((n, d + 1))).astype(np.float32)
    rows = rng.integers(0, n, nnz).astype(np.int32)
    cols = rng.integers(0, n, nnz).astype(np.int32)
    vals = (rng.random(nnz) * 30 + 0.2).astype(np.float32)
    return W, C, GW, GC, rows, cols, vals


def prepared(vals, x_max, alpha):
    w = np.empty(vals.size, np.float32)
    lx = np.empty(vals.size, np.float32)
    glove_weights(vals, x_max, alpha, w, lx)
    return w, lx


def test_weights_and_logs(rng):
    vals = np.array([0.5, 5.0, 10.0, 11.0, 1000.0], dtype=np.float32)
    w, lx = prepared(vals, 10.0, 0.75)
    np.testing.assert_allclose(w, ref.glove_weights(vals, 10.0, 0.75), rtol=1e-6)
    np.testing.assert_allclose(w[2:], 1.0)
    np.testing.assert_allclose(lx, np.log(vals), rtol=1e-6)


def test_one_adagrad_step_matches_numpy(rng):
    W, C, GW, GC, rows, cols, vals = setup(rng)
    twin = [a.astype(np.float64) for a in (W, C, GW, GC)]
    w, lx = prepared(vals, 10.0, 0.75)
    loss, done = glove_adagrad(W, C, GW, GC, rows, cols, w, lx, 3, 4, np.float32(0.05), np.float32(100.0))
    ref_loss = ref.glove_step(*twin, int(rows[3]), int(cols[3]), float(vals[3]), 10.0, 0.75, 0.05, 100.0)
    assert done == 1
    assert loss == pytest.approx(ref_loss, rel=1e-5)
    for got, want in zip((W, C, GW, GC), twin):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_an_epoch_matches_numpy_with_clipping(rng):
    # large vectors make fdiff * w exceed grad_clip, so clipping is exercised
    W, C, GW, GC, rows, cols, vals = setup(rng, scale=400.0)
    twin = [a.astype(np.float64) for a in (W, C, GW, GC)]
    clip = 0.5
    assert np.abs(W[:, :-1]).max() * 1 > clip
    w, lx = prepared(vals, 10.0, 0.75)
    loss, done = glove_adagrad(W, C, GW, GC, rows, cols, w, lx, 0, rows.size, np.float32(0.05),
                               np.float32(clip))
    ref_loss = ref.glove_epoch(*twin, rows, cols, vals, 10.0, 0.75, 0.05, clip)
    assert done == rows.size
    assert loss == pytest.approx(ref_loss, rel=1e-4)
    for got, want in zip((W, C, GW, GC), twin):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_loss_is_float64_and_nan_entries_are_skipped(rng):
    W, C, GW, GC, rows, cols, vals = setup(rng)
    w, lx = prepared(vals, 10.0, 0.75)
    lx[0] = np.nan
    before = W.copy()
    loss, done = glove_adagrad(W, C, GW, GC, rows[:1], cols[:1], w, lx, 0, 1, np.float32(0.05), np.float32(100.0))
    assert isinstance(loss, float) and loss == 0.0 and done == 0
    np.testing.assert_array_equal(W, before)


def test_shuffle_matches_numpy(rng):
    *_, rows, cols, vals = setup(rng, nnz=57)
    weight, logx = prepared(vals, 10.0, 0.75)
    want = ref.shuffle_entries(rows, cols, weight, logx, 77)
    state = np.array([77], dtype=np.uint64)
    got = [a.copy() for a in (rows, cols, weight, logx)]
    shuffle_entries(*got, state)
    for g, w in zip(got, want[:4]):
        np.testing.assert_array_equal(g, w)
    assert int(state[0]) == want[4]
    assert not np.array_equal(got[0], rows)  # the entries moved, together:
    assert sorted(zip(got[0].tolist(), got[1].tolist(), got[2].tolist())) == sorted(
        zip(rows.tolist(), cols.tolist(), weight.tolist()))
