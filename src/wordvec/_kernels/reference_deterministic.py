"""Slow NumPy twins of the deterministic kernels (deterministic.py, subword_deterministic.py, delta.py).

A deterministic job is, by construction, its Hogwild kernel run alone on private copies of the
matrices: so its twin runs the Hogwild kernel's twin (reference.py) on copies and returns the change
as dense matrices. Tests scatter the kernel's sparse deltas into dense ones and compare, and check
that the kernel left the shared matrices untouched.
"""

from __future__ import annotations

import numpy as np

from wordvec._kernels import reference

__all__ = ["ref_private_job", "ref_apply_delta", "ref_rounds", "ref_block_momentum"]


def ref_private_job(twin, syn0, syn1, *args, **kwargs):
    """``twin`` (a reference.py function) on copies of ``syn0``/``syn1``; returns
    (loss, examples, words, dense delta of syn0, dense delta of syn1, final RNG state)."""
    p0, p1 = syn0.copy(), syn1.copy()
    loss, examples, words, state = twin(p0, p1, *args, **kwargs)
    return loss, examples, words, p0 - syn0, p1 - syn1, state


def ref_apply_delta(m, rows, delta):
    """``m[rows[i]] += delta[i]``, one row after another (twin of ``delta.apply_delta``)."""
    for r, change in zip(rows, delta):
        m[r] += change


def ref_rounds(twin, syn0, syn1, jobs, round_jobs, middle=(), options=None, mu=None):
    """The trainer's deterministic schedule, written out: ``jobs`` is a list of
    ``(tokens, offsets, alpha0, alpha1, rng_state)``; every job of a round of ``round_jobs`` runs
    ``twin(copy0, copy1, tokens, offsets, *middle, alpha0, alpha1, rng_state, **options)`` on copies
    of the matrices as they were at the round's start, then the round's changes are added to
    ``syn0``/``syn1`` (in place) in job order (``mu`` None), or, with a block momentum ``mu``, their
    mean ``g`` is filtered as the trainer does (:func:`ref_block_momentum`'s rule, with its lazy
    rows: a row no job changed in a round keeps its value until one does, or until the end, when
    every row is brought up to date). Returns the summed loss (float64, in job order)."""
    total = 0.0
    state = [_LazyMomentum(syn0.shape, mu), _LazyMomentum(syn1.shape, mu)] if mu is not None else None
    for first in range(0, len(jobs), round_jobs):
        changes = []
        for tokens, offsets, alpha0, alpha1, rng in jobs[first:first + round_jobs]:
            loss, _, _, d0, d1, _ = ref_private_job(twin, syn0, syn1, tokens, offsets, *middle, alpha0, alpha1,
                                                    rng, **(options or {}))
            total += loss
            changes.append((d0, d1))
        if state is None:
            for d0, d1 in changes:
                syn0 += d0
                syn1 += d1
            continue
        for which, m in enumerate((syn0, syn1)):
            state[which].step(m, [c[which] for c in changes])
    if state is not None:
        state[0].settle(syn0)
        state[1].settle(syn1)
    return total


class _LazyMomentum:
    """The lazy block momentum of ``delta.momentum_add`` / ``momentum_settle``, densely, in float64."""

    def __init__(self, shape, mu):
        self.mu, self.v, self.last, self.r = mu, np.zeros(shape), np.zeros(shape[0], dtype=np.int64), 0

    def _catch_up(self, m, rows):
        k = self.r - self.last[rows]
        m[rows] += (self.mu ** 2 * (1 - self.mu ** k) / (1 - self.mu))[:, None] * self.v[rows]
        self.v[rows] *= (self.mu ** k)[:, None]
        self.last[rows] = self.r

    def step(self, m, deltas):
        self.r += 1
        g = sum(deltas) / len(deltas)
        rows = np.flatnonzero(np.any([d.any(axis=1) for d in deltas], axis=0))
        self._catch_up(m, rows)
        self.v[rows] += g[rows]
        m[rows] += (1 + self.mu) * g[rows]

    def settle(self, m):
        self._catch_up(m, np.arange(m.shape[0]))


def ref_block_momentum(W, rounds, mu):
    """Twin of ``delta.momentum_add`` + ``momentum_settle`` over several rounds, written from the
    definition (eagerly: every row every round): ``rounds`` is a list of rounds, each a list of
    (rows, delta) with equal weights; returns the look-ahead ``W + mu * v`` after the last round
    (dense float64 arithmetic). Each round: ``v = mu * v + mean(deltas)`` (a job that did not touch
    a row adds 0 for it), ``W += v``."""
    W = W.astype(np.float64)
    v = np.zeros_like(W)
    for deltas in rounds:
        v *= mu
        for rows, delta in deltas:
            for row, change in zip(rows, delta):
                v[row] += change / len(deltas)
        W += v
    return W + mu * v

