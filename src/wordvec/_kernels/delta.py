"""Private rows and sparse deltas: the pieces of deterministic training (``deterministic=True``).

A deterministic job (deterministic.py, subword_deterministic.py) never writes the shared matrices.
It reads them as a snapshot that no thread moves while it runs, and the first time it touches a row
it copies that row into a private buffer (copy on write); every later read and write of the row goes
to the copy, so the job sees its own updates, in order, exactly as a job run alone on a copy of the
whole matrix would. At the end the copies become a sparse delta, ``(rows, copy - snapshot)``, and
the trainer adds the deltas of a round of jobs to the matrices in job order, so every sum is taken
in one fixed order whatever thread ran which job.

How a round's deltas combine: adding them is right for a row that few updates move a little (the
linear regime), but not for a row that every job moves far: the output row of "the" gets hundreds
of updates in a job of a few thousand words and reaches the point x* its gradients balance at, so
each of c jobs moves it by about x* - x, their sum overshoots by (c - 1)(x* - x), and with 4 or more
jobs a round training diverged on real text; the mean of the deltas, stable, slows every row that
several jobs touch. The trainer filters the round's mean delta through a block momentum
(``momentum_add`` / ``momentum_settle`` here; wordvec.train.momentum says why), which gives the sum in
the linear regime and a damped step for saturated rows. (An earlier rule scaled each row's summed
delta by a contraction model of its update counts; it lost 0.07 WordSim-353 Spearman for skip-gram
and 2 analogy points for CBOW against Hogwild, where the momentum is level: benchmarks/RESULTS.md.)

A private store is three arrays per matrix ``m``:

``slot``
    int32, one entry per row of ``m``, -1 where the job has not touched the row, else the row's
    index in the buffer. The caller owns it (one per thread, all -1 between jobs): ``to_delta``
    resets the entries it set, so a store of 2M n-gram rows is not refilled for every job.
``touched``
    int32 (capacity, 2): the rows copied so far, in the order they were first touched, and how many
    updates the job made to each.
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


@numba.njit(inline="always", **_JIT)
def _catch_up(m, v, last, row, r, mu):
    """Bring row ``row`` of a block momentum to round ``r``: the rounds since ``last[row]`` in which
    it was not moved each moved it by ``mu**2 v`` (the momentum alone, v decaying by ``mu`` a round)."""
    k = r - last[row]
    if k > 0:
        decay = mu ** k
        drift = np.float32(mu * mu * (1.0 - decay) / (1.0 - mu)) if mu < 1.0 else np.float32(0.0)
        decay32 = np.float32(decay)
        for c in range(m.shape[1]):
            m[row, c] += drift * v[row, c]
            v[row, c] *= decay32
        last[row] = r


@numba.njit(**_JIT)
def momentum_add(m, v, last, touched, delta, scale, r, mu, part=0, parts=1):
    """One job's share of round ``r``'s mean delta ``g`` in a block momentum (wordvec.train.momentum)
    on a matrix ``m`` that holds the look-ahead point ``W + mu v``: a round moves it by
    ``mu**2 v + (1 + mu) g`` and sets ``v = mu v + g``. Rows are brought up to date lazily, when a
    job next touches them (``last[row]``: the round ``m[row]`` is up to date with), so a round costs
    the rows its jobs touched, not every row with momentum; :func:`momentum_settle` brings them all.
    Adds ``scale * delta`` (rows ``touched[:, 0]``) to ``v`` and ``(1 + mu) * scale * delta`` to ``m``.
    ``part``/``parts``: only the rows ``row % parts == part`` (threads sharing a round's work: every
    row's sums are the same, in the same order, whatever ``parts``)."""
    scale32 = np.float32(scale)
    c = np.float32((1.0 + mu) * scale)
    for i in range(touched.shape[0]):
        row = touched[i, 0]
        if parts > 1 and row % parts != part:
            continue
        _catch_up(m, v, last, row, r, mu)
        for k in range(v.shape[1]):
            v[row, k] += scale32 * delta[i, k]
            m[row, k] += c * delta[i, k]


@numba.njit(**_JIT)
def momentum_settle(m, v, last, r, mu):
    """Bring every row of a block momentum up to round ``r`` (rows with no momentum are skipped)."""
    for row in range(m.shape[0]):
        if last[row] < r:
            moving = False
            for k in range(v.shape[1]):
                if v[row, k] != 0.0:
                    moving = True
                    break
            if moving:
                _catch_up(m, v, last, row, r, mu)
            else:
                last[row] = r


@numba.njit(**_JIT)
def longest(offsets):
    """The longest span ``offsets[i + 1] - offsets[i]`` (a Huffman code, a word's subword rows); 0 if none."""
    best = 0
    for i in range(offsets.shape[0] - 1):
        best = max(best, offsets[i + 1] - offsets[i])
    return best

