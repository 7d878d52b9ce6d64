"""Block momentum: joining the deltas of workers (or jobs) that trained from the same matrices.

Blockwise model-update filtering (Chen & Huo 2016, ICASSP, "Scalable training of deep learning
machines by incremental block training with intra-block parallel optimization and blockwise
model-update filtering"): the word-weighted mean of the deltas, filtered by a momentum per row.
Used by data-parallel training on a cluster (:mod:`wordvec.distributed.rounds`) and by
deterministic multi-threaded training (:mod:`wordvec.train.trainer`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["BlockMomentum", "HORIZON_FRACTION"]

#: A row's momentum is dropped once it has decayed to this fraction (``mu**horizon``) without the
#: row moving again: with ``mu`` = 0.75 after 17 rounds, with 0.5 after 7.
HORIZON_FRACTION = 0.01


class BlockMomentum:
    """Blockwise model-update filtering (Chen & Huo 2016, "BMUF"): the round's word-weighted mean
    delta, filtered by a momentum per matrix row, moves the matrix.

    Each round, ``g`` = the mean of all groups' deltas weighted by the words each trained (a group
    that did not touch a row adds zero for it), the row's step ``v = mu * v + eta * g`` and
    ``matrix += v``. ``mu = 1 - 1 / G`` for ``G`` groups (the paper's choice): a row that every group
    moves a little the same way (the linear regime, most rows) gets ``eta / (1 - mu) = G`` times the
    mean in steady state, the sum of the deltas, as Hogwild threads sharing the matrix would give it;
    a row that every group drives to the point its gradients balance at (the output row of "the")
    gets a damped step towards that point instead of the sum's overshoot by ``G - 1`` times (which
    diverged with 4 groups), and it is not slowed to the mean's ``1 / G`` either.

    ``nesterov``: the workers start each round from :meth:`lookahead`, ``matrix + mu * v`` (the
    paper's NBM, measured better here than the classic form), and their deltas are taken from it.
    ``restart`` (:meth:`apply` only; ``combine="momentum-restart"`` on a cluster): a row whose mean
    delta points against its momentum drops the momentum (adaptive restart, O'Donoghue & Candes
    2015), which cuts the overshoot of rows every group moves most of the way; measured in
    benchmarks/RESULTS.md, not the default.
    Momentum is kept only for rows moved in the last ``horizon`` rounds (after which ``mu**horizon``
    is below :data:`HORIZON_FRACTION` and the row's remaining momentum is dropped), so a round costs the rows in play,
    not the whole matrix.

    >>> bm = BlockMomentum(2, [(3, 1)])
    >>> m = np.zeros((3, 1), dtype=np.float32)
    >>> bm.apply(0, m, [(np.array([0]), np.array([[2.]])), (np.array([0]), np.array([[2.]]))], [1, 1])
    >>> m.ravel().tolist()
    [2.0, 0.0, 0.0]
    >>> bm.apply(0, m, [(np.array([1]), np.array([[2.]])), (np.array([], dtype=np.int64), np.zeros((0, 1)))], [1, 1])
    >>> m.ravel().tolist()                 # row 0 keeps moving by mu * 2; row 1 gets the mean 2/2
    [3.0, 1.0, 0.0]
    """

    def __init__(self, groups: int, shapes: Sequence[tuple[int, int]], mu: float | None = None, eta: float = 1.0,
                 nesterov: bool = True, restart: bool = False,
                 row_mu: Sequence[np.ndarray | None] | None = None, counted: bool = False):
        self.nesterov = bool(nesterov)
        self.restart = bool(restart)
        self.counted = bool(counted)
        if self.counted and self.restart:
            raise ValueError("counted and restart are two different rules: choose one")
        self.mu = (1.0 - 1.0 / max(int(groups), 1)) if mu is None else float(mu)
        if not 0.0 <= self.mu < 1.0:
            raise ValueError(f"block momentum must be in [0, 1), got {self.mu}")
        # ``row_mu[which]``: a momentum per row of that matrix instead of ``mu`` (apply/lookahead
        # only), e.g. a lower one for FastText's n-gram rows, which every group moves every round.
        self.row_mu = [None] * len(shapes) if row_mu is None else list(row_mu)
        if len(self.row_mu) != len(shapes):
            raise ValueError(f"row_mu needs one entry per matrix ({len(shapes)}), got {len(self.row_mu)}")
        top = self.mu
        for which, m in enumerate(self.row_mu):
            if m is None:
                continue
            m = self.row_mu[which] = np.asarray(m, dtype=np.float32)
            if m.shape != (shapes[which][0],) or not ((m >= 0) & (m < 1)).all():
                raise ValueError(f"row_mu[{which}] must hold one momentum in [0, 1) per row ({shapes[which][0]})")
            top = max(top, float(m.max(initial=0.0)))
        self.eta = float(eta)
        self.horizon = max(1, math.ceil(math.log(HORIZON_FRACTION) / math.log(top))) if top > 0 else 1
        self.velocity = [np.zeros(shape, dtype=np.float32) for shape in shapes]
        # ``counted``: the momentum each row's last step was taken with (1 - 1/c for the c groups
        # that moved it, at most its cap ``row_mu``/``mu``); the look-ahead and the momentum-only
        # steps of the rounds that do not touch it use it.
        self.mu_now = [np.zeros(shape[0], dtype=np.float32) for shape in shapes] if self.counted else None
        self.last = [np.full(shape[0], -(1 << 30), dtype=np.int64) for shape in shapes]
        self.round = [0 for _ in shapes]

    def lookahead(self, which: int, matrix: np.ndarray) -> np.ndarray:
        """What the workers start the next round from: ``matrix + mu * v`` (Nesterov's look-ahead,
        the paper's "NBM"; the deltas they return are taken from it)."""
        v, last = self.velocity[which], self.last[which]
        r = self.round[which]
        live = np.flatnonzero(last > r - self.horizon)
        if not live.shape[0] or not self.nesterov:
            return matrix
        out = matrix.copy()
        out[live] += self._mu(which, live) * v[live]
        return out

    def _mu(self, which: int, rows: np.ndarray):
        """The momentum of ``rows`` of matrix ``which``: a float32 scalar, or a column of them."""
        if self.counted:
            return self.mu_now[which][rows][:, None]
        m = self.row_mu[which]
        return np.float32(self.mu) if m is None else m[rows][:, None]

    def apply_in_place(self, which: int, matrix: np.ndarray, deltas: Sequence[tuple[np.ndarray, np.ndarray]],
                       weights: Sequence[float], map_parts: Callable | None = None, parts: int = 1) -> None:
        """:meth:`apply` for a ``matrix`` that holds the look-ahead point itself (the matrix the
        workers read, ``W + mu * v``), not ``W``: a round moves it by ``mu**2 v + (1 + mu) g``, to
        ``W' + mu * v'`` again (Nesterov's update). No copy of the matrix is made, and the work is
        compiled (``wordvec._kernels.delta.momentum_add``) and lazy: a row's momentum-only moves of
        the rounds in which no delta touched it are made when one next does, so a round costs the
        rows it touched. Until then readers see the row as it was (a row no job needs does not move);
        :meth:`settle` brings every row up to date (the trainer calls it at the end of each epoch).
        ``deltas[k] = (rows, values)`` with ``rows`` a 1-d array or a kernels' ``touched`` array
        (rows in column 0). Deterministic: every sum runs in the order of ``deltas``. No horizon
        here: momentum decays geometrically and is never dropped. ``map_parts`` (an executor's
        ``map``) and ``parts``: the rows split ``parts`` ways (row mod ``parts``), each part run by
        ``map_parts`` on threads (the compiled loop releases the GIL); the result is the same bits
        for any ``parts``.

        >>> bm = BlockMomentum(2, [(2, 1)])
        >>> m = np.zeros((2, 1), dtype=np.float32)
        >>> none = (np.zeros(0, dtype=np.int64), np.zeros((0, 1), dtype=np.float32))
        >>> bm.apply_in_place(0, m, [(np.array([0]), np.array([[2.]], dtype=np.float32)), none], [1, 1])
        >>> m.ravel().tolist()                  # v = 1, W = 1, and the matrix holds W + v / 2
        [1.5, 0.0]
        >>> bm.apply_in_place(0, m, [none, none], [1, 1]); m.ravel().tolist()   # row 0 not moved yet
        [1.5, 0.0]
        >>> bm.settle(0, m); m.ravel().tolist()  # now by mu**2 v: W + mu v = 1.5, then 1.5 + 0.25
        [1.75, 0.0]
        """
        from wordvec._kernels import delta as dk

        if self.row_mu[which] is not None:
            raise ValueError("apply_in_place takes one momentum per matrix; row_mu works with apply()")
        v, last = self.velocity[which], self.last[which]
        r = self.round[which] = self.round[which] + 1
        wsum = float(sum(w for w in weights if w > 0))
        work = [(rows if rows.ndim == 2 else np.ascontiguousarray(rows, dtype=np.int32)[:, None],
                 np.ascontiguousarray(values, dtype=np.float32), self.eta * w / wsum)
                for (rows, values), w in zip(deltas, weights) if w > 0 and rows.shape[0]]
        parts = max(1, int(parts)) if map_parts is not None else 1

        def run(part: int) -> None:
            for touched, values, scale in work:  # in the order of ``deltas``
                dk.momentum_add(matrix, v, last, touched, values, scale, r, self.mu, part, parts)

        if parts == 1:
            run(0)
        else:
            list(map_parts(run, range(parts)))

    def settle(self, which: int, matrix: np.ndarray) -> None:
        """Make every pending momentum-only move of :meth:`apply_in_place` on ``matrix`` (``which``)."""
        from wordvec._kernels import delta as dk

        dk.momentum_settle(matrix, self.velocity[which], self.last[which], self.round[which], self.mu)

    def apply(self, which: int, matrix: np.ndarray, deltas: Sequence[tuple[np.ndarray, np.ndarray]],
              weights: Sequence[float]) -> None:
        """One round of matrix ``which``: ``deltas[k] = (rows, values)`` of group ``k``, weighted by
        ``weights[k]`` (its words trained)."""
        v, last = self.velocity[which], self.last[which]
        r = self.round[which] = self.round[which] + 1
        live = np.flatnonzero(last > r - self.horizon)
        stale = np.flatnonzero((last <= r - self.horizon) & (last > r - self.horizon - 1))
        if stale.shape[0]:
            v[stale] = 0.0
        wsum = float(sum(w for w in weights if w > 0))
        if self.counted:
            self._counted_velocity(which, deltas, weights, r, live)
        else:
            self._velocity(which, matrix, deltas, weights, r, live, wsum)
        moved = np.flatnonzero(last > r - self.horizon)
        matrix[moved] += v[moved].astype(matrix.dtype, copy=False)

    def _velocity(self, which: int, matrix: np.ndarray, deltas: Sequence[tuple[np.ndarray, np.ndarray]],
                  weights: Sequence[float], r: int, live: np.ndarray, wsum: float) -> None:
        """:meth:`apply`'s new velocities under one momentum per row (``row_mu``) or per matrix."""
        v, last = self.velocity[which], self.last[which]
        if self.restart and wsum > 0:
            # Adaptive restart (O'Donoghue & Candes 2015): a row whose mean delta turns against its
            # momentum is overshooting its balance point (rows every group drives there ring under a
            # momentum of 1 - 1/G); it restarts from its mean delta alone.
            touched = np.unique(np.concatenate([rows for (rows, _), w in zip(deltas, weights) if w > 0]
                                               or [np.zeros(0, dtype=np.int64)]))
            if touched.shape[0]:
                g = _sum_rows(touched, [(rows, values, self.eta * w / wsum) for (rows, values), w
                                        in zip(deltas, weights) if w > 0 and rows.shape[0]], v.shape[1])
                against = touched[np.einsum("ij,ij->i", g, v[touched]) < 0]
                if self.nesterov:  # the deltas start from the look-ahead W + mu v: keep that part
                    matrix[against] += self._mu(which, against) * v[against]
                v[against] = 0.0
        v[live] *= self._mu(which, live)
        if wsum > 0:
            for (rows, values), w in zip(deltas, weights):
                if w > 0 and rows.shape[0]:
                    v[rows] += np.float32(self.eta * w / wsum) * values.astype(np.float32, copy=False)
                    last[rows] = r

    def _counted_velocity(self, which: int, deltas: Sequence[tuple[np.ndarray, np.ndarray]],
                          weights: Sequence[float], r: int, live: np.ndarray) -> None:
        """:meth:`apply`'s new velocities with a momentum per row from the groups that moved it
        (``counted=True``).

        A row that ``c`` groups changed this round gets the word-weighted mean of *their* deltas,
        ``g``, and the momentum ``mu = 1 - 1/c`` (capped at the row's ``row_mu`` or ``mu``), so in
        steady state it moves by ``c g``, the sum of its deltas, as Hogwild threads would move it: a
        rare word one group trained gets its delta at once (the plain rule gives it ``1/G`` of it now
        and the rest over the next rounds, through the momentum), a row every group moves is treated
        as the plain rule treats it. When a row's ``c`` changes, the momentum it has not yet delivered
        (``mu v / (1 - mu)``, the rest of its geometric series) is carried over into the new one
        whole: ``v' = v mu / (1 - mu) / c' + g``, which is ``mu v + g`` when ``c`` stays the same.

        >>> bm = BlockMomentum(2, [(2, 1)], counted=True)
        >>> m = np.zeros((2, 1), dtype=np.float32)
        >>> none = (np.zeros(0, dtype=np.int64), np.zeros((0, 1), dtype=np.float32))
        >>> bm.apply(0, m, [(np.array([0]), np.array([[2.]])), none], [1, 1])   # one group: all of it
        >>> m.ravel().tolist()
        [2.0, 0.0]
        >>> bm.apply(0, m, [(np.array([1]), np.array([[2.]])), (np.array([1]), np.array([[4.]]))], [1, 1])
        >>> m.ravel().tolist()               # row 1: the mean 3 now, the momentum 1/2 carries it on
        [2.0, 3.0]
        >>> bm.apply(0, m, [none, none], [1, 1]); m.ravel().tolist()
        [2.0, 4.5]
        """
        v, last, mu_now = self.velocity[which], self.last[which], self.mu_now[which]
        use = [(np.asarray(rows).reshape(-1), values, float(w)) for (rows, values), w in zip(deltas, weights)
               if w > 0 and rows.shape[0]]
        if use:
            every = np.concatenate([u[0] for u in use])
            groups = np.bincount(every, minlength=v.shape[0])  # the rows of one delta are distinct
            wt = np.bincount(every, weights=np.concatenate([np.full(u[0].shape[0], u[2]) for u in use]),
                             minlength=v.shape[0])
            touched = np.flatnonzero(groups)
        else:
            touched = np.zeros(0, dtype=np.int64)
        coast = np.setdiff1d(live, touched, assume_unique=True)
        v[coast] *= mu_now[coast][:, None]
        if touched.shape[0]:
            cap = self.row_mu[which]
            cap = np.float32(self.mu) if cap is None else cap[touched]
            c = np.minimum(groups[touched].astype(np.float32), np.float32(1.0) / (np.float32(1.0) - cap))
            old = mu_now[touched]
            carry = (old / (np.float32(1.0) - old) / c)[:, None]
            g = _sum_rows(touched, [(rows, values, self.eta * w) for rows, values, w in use], v.shape[1])
            g /= wt[touched].astype(np.float32)[:, None]
            v[touched] = v[touched] * carry + g
            mu_now[touched] = np.float32(1.0) - np.float32(1.0) / c
            last[touched] = r


def _sum_rows(touched: np.ndarray, scaled: Sequence[tuple[np.ndarray, np.ndarray, float]], width: int) -> np.ndarray:
    """``sum(scale * values)`` of the ``(rows, values, scale)`` in ``scaled``, one row per entry of the
    sorted ``touched`` (which holds every row of them), float32."""
    g = np.zeros((touched.shape[0], width), dtype=np.float32)
    for rows, values, scale in scaled:
        g[np.searchsorted(touched, rows)] += np.float32(scale) * values
    return g
