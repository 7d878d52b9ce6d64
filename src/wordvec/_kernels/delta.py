"""Private rows and sparse deltas: the pieces of deterministic training (``deterministic=True``).

A deterministic job (deterministic.py, subword_deterministic.py) never writes the shared matrices.
It reads them as a snapshot that no thread moves while it runs, and the first time it touches a row
it copies that row into a private buffer (copy on write); every later read and write of the row goes
to the copy, so the job sees its own updates, in order, exactly as a job run alone on a copy of the
whole matrix would. At the end the copies become a sparse delta, ``(rows, copy - snapshot)``, and
the trainer adds the deltas of a round of jobs to the matrices in job order, so every sum is taken
in one fixed order whatever thread ran which job.

How a round's deltas combine (``accumulate_contraction``, ``apply_combined``). Adding them is right
for a row that few updates move a little (the linear regime), but not for a row that every job moves
far: the output row of "the" gets hundreds of updates in a job of a few thousand words and reaches
the point x* its gradients balance at, so each of c jobs moves it by about x* - x, their sum
overshoots by (c - 1)(x* - x), and the error is multiplied by 1 - c every round: with 4 or more jobs
a round, training diverged on real text even with jobs of 1,000 words (skip-gram and FastText), while
the mean of the deltas, stable, slowed every row that several jobs touch (a loss 30 % above
Hogwild's). The combination models each of its updates as contracting a row towards x* by a factor
exp(-kappa), kappa = CONTRACTION x the job's learning rate, so that job j, having updated row r n_j
times, moved it (1 - rho_j)(x* - x) with rho_j = exp(-kappa_j n_j). The jobs run one after the other
would have moved it (1 - prod rho_j)(x* - x), so the row gets

    s_r * sum_j delta_j,   s_r = (1 - exp(-sum_j kappa_j n_j)) / sum_j (1 - exp(-kappa_j n_j))

which is exactly the delta of a row only one job touched (s_r = 1), tends to the sum for rows moved
a little, and to the mean for rows each job moved to their limit. Rows are counted in ``touched[:, 1]``
by the kernels. CONTRACTION = 1 (per unit learning rate): 0.25 let FastText's loss climb in its second
epoch; 4 and 16 learned more slowly (training loss after 2 epochs on 600k tokens, rounds of 8 x 10,000 words).

A private store is three arrays per matrix ``m``:

``slot``
    int32, one entry per row of ``m``, -1 where the job has not touched the row, else the row's
    index in the buffer. The caller owns it (one per thread, all -1 between jobs): ``to_delta``
    resets the entries it set, so a store of 2M n-gram rows is not refilled for every job.
``touched``
    int32 (capacity, 2): the rows copied so far, in the order they were first touched, and how many
    updates the job made to each (for the combination of a round's deltas: ``apply_combined``).
``priv``
    float32 (capacity, d), their private values.

Everything here is pure and numba-compiled like the rest of ``_kernels``; the NumPy twin of a
deterministic job is its Hogwild kernel's twin run on copies of the matrices
(reference_deterministic.py).
"""

from __future__ import annotations

import numba
import numpy as np

from wordvec._kernels.common import _JIT

#: Rows a private buffer holds at first; it doubles when a step could overflow it.
START_ROWS = 1024
#: kappa per unit of learning rate in the combination of a round's deltas (see above).
CONTRACTION = 1.0


@numba.njit(**_JIT)
def new_store(m):
    """Empty (touched, priv) buffers for rows of ``m`` (START_ROWS rows, fewer if ``m`` has fewer)."""
    cap = min(m.shape[0], START_ROWS)
    return np.empty((cap, 2), dtype=np.int32), np.empty((cap, m.shape[1]), dtype=np.float32)


@numba.njit(**_JIT)
def grow(touched, priv, n, need, limit):
    """(touched, priv) with room for ``need`` more rows after the ``n`` owned (never more than ``limit``
    rows, the matrix's: a job cannot own more rows than there are). Kernels call it only when
    ``n + need`` passes the capacity, so the check stays inline and the call is rare."""
    cap = min(max(2 * touched.shape[0], n + need), limit)
    if cap <= touched.shape[0]:
        return touched, priv
    t = np.empty((cap, 2), dtype=np.int32)
    p = np.empty((cap, priv.shape[1]), dtype=np.float32)
    for i in range(n):
        t[i, 0] = touched[i, 0]
        t[i, 1] = touched[i, 1]
        for k in range(priv.shape[1]):
            p[i, k] = priv[i, k]
    return t, p


@numba.njit(inline="always", **_JIT)
def own(slot, touched, priv, m, r, n):
    """(index of row ``r`` of ``m`` in ``priv``, rows owned): copied from ``m`` the first time, with
    no updates counted yet (the kernels add them to ``touched[i, 1]``).

    The buffers must have room for one more row (``grow``). Kernels own a sentence's words once, after
    subsampling (``own_all``), not at every use: a lookup in the innermost loop cost a third of the
    kernel's time.
    """
    i = np.int64(slot[r])
    if i < 0:
        i = n
        slot[r] = n
        touched[n, 0] = r
        touched[n, 1] = 0
        for k in range(m.shape[1]):
            priv[n, k] = m[r, k]
        n += 1
    return i, n


@numba.njit(inline="always", **_JIT)
def own_all(slot, touched, priv, m, rows, mapped, count, times, n):
    """``own`` each of ``rows[:count]`` into ``mapped`` and count ``times`` updates for each; returns
    the rows owned."""
    for q in range(count):
        i, n = own(slot, touched, priv, m, rows[q], n)
        mapped[q] = i
        touched[i, 1] += times
    return n


@numba.njit(**_JIT)
def to_delta(slot, touched, priv, m, n):
    """The job's sparse delta ``(touched, priv - m[rows])`` of its ``n`` rows (``touched[:, 0]`` the
    rows, ``touched[:, 1]`` their updates); resets their ``slot`` entries to -1 so the store serves
    the next job."""
    for i in range(n):
        r = touched[i, 0]
        slot[r] = -1
        for k in range(m.shape[1]):
            priv[i, k] -= m[r, k]
    return touched[:n], priv[:n]


@numba.njit(**_JIT)
def apply_delta(m, rows, delta):
    """``m[rows[i]] += delta[i]`` for i in order (the rows of one delta are distinct)."""
    for i in range(rows.shape[0]):
        r = rows[i]
        for k in range(m.shape[1]):
            m[r, k] += delta[i, k]


@numba.njit(**_JIT)
def accumulate_contraction(total, spread, touched, kappa):
    """Add one job's contraction of each of its rows: ``total[r] += kappa * updates`` and
    ``spread[r] += 1 - exp(-kappa * updates)`` (float64)."""
    for i in range(touched.shape[0]):
        r = touched[i, 0]
        x = kappa * touched[i, 1]
        total[r] += x
        spread[r] -= np.expm1(-x)


@numba.njit(**_JIT)
def apply_combined(m, total, spread, touched, delta):
    """``m[r] += s_r * delta`` for one job's rows, ``s_r = (1 - exp(-total[r])) / spread[r]``: 1 for a
    row only this job touched (exactly), down to 1/c for one that c jobs each moved to its limit."""
    for i in range(touched.shape[0]):
        r = touched[i, 0]
        s = np.float32(1.0)
        if spread[r] > 0.0:
            s = np.float32(-np.expm1(-total[r]) / spread[r])
        for k in range(m.shape[1]):
            m[r, k] += s * delta[i, k]


@numba.njit(**_JIT)
def reset_rows(total, spread, touched):
    """``total[rows] = spread[rows] = 0`` for one job's rows (the accumulators serve the next round)."""
    for i in range(touched.shape[0]):
        r = touched[i, 0]
        total[r] = 0.0
        spread[r] = 0.0


@numba.njit(**_JIT)
def longest(offsets):
    """The longest span ``offsets[i + 1] - offsets[i]`` (a Huffman code, a word's subword rows); 0 if none."""
    best = 0
    for i in range(offsets.shape[0] - 1):
        best = max(best, offsets[i + 1] - offsets[i])
    return best

