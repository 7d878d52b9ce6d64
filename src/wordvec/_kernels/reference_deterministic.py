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
    mean ``g`` filtered as the trainer does: ``v = mu v + g``, the matrices (which hold the
    look-ahead ``W + mu v``) move by ``mu**2 v_old + (1 + mu) g`` (no row runs past the horizon in
    the tests' few rounds). Returns the summed loss (float64, in job order)."""
    total = 0.0
    velocity = [np.zeros(syn0.shape), np.zeros(syn1.shape)]
    for first in range(0, len(jobs), round_jobs):
        changes = []
        for tokens, offsets, alpha0, alpha1, state in jobs[first:first + round_jobs]:
            loss, _, _, d0, d1, _ = ref_private_job(twin, syn0, syn1, tokens, offsets, *middle, alpha0, alpha1,
                                                    state, **(options or {}))
            total += loss
            changes.append((d0, d1))
        if mu is None:
            for d0, d1 in changes:
                syn0 += d0
                syn1 += d1
            continue
        for which, m in enumerate((syn0, syn1)):
            g = sum(c[which] for c in changes) / len(changes)
            m += (mu * mu * velocity[which] + (1 + mu) * g).astype(m.dtype)
            velocity[which] = mu * velocity[which] + g
    return total



def ref_block_momentum(W, rounds, mu, horizon):
    """Twin of ``delta.momentum_begin/add/end`` over several rounds, written from the definition:
    ``rounds`` is a list of rounds, each a list of (rows, delta) with equal weights; returns the
    matrix the jobs read after the last round, ``W + mu * v`` (dense float64 arithmetic). Each round:
    ``v = mu * v + mean(deltas)`` (a job that did not touch a row adds 0 for it), ``W += v``; a row
    not moved for ``horizon`` rounds drops its momentum."""
    W = W.astype(np.float64)
    v = np.zeros_like(W)
    last = np.full(W.shape[0], -(1 << 30))
    for r, deltas in enumerate(rounds, start=1):
        v[last <= r - horizon] = 0.0
        v *= mu
        for rows, delta in deltas:
            for row, change in zip(rows, delta):
                v[row] += change / len(deltas)
                last[row] = r
        W += v
    v[last <= len(rounds) - horizon] = 0.0
    return W + mu * v

