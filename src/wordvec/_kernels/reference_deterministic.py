"""Slow NumPy twins of the deterministic kernels (deterministic.py, subword_deterministic.py, delta.py).

A deterministic job is, by construction, its Hogwild kernel run alone on private copies of the
matrices: so its twin runs the Hogwild kernel's twin (reference.py) on copies and returns the change
as dense matrices. Tests scatter the kernel's sparse deltas into dense ones and compare, and check
that the kernel left the shared matrices untouched.
"""

from __future__ import annotations

import numpy as np

from wordvec._kernels import reference

__all__ = ["ref_private_job", "ref_apply_delta", "ref_rounds", "ref_combine"]


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


def ref_rounds(twin, syn0, syn1, jobs, round_jobs, middle=(), options=None):
    """The trainer's deterministic schedule, written out: ``jobs`` is a list of
    ``(tokens, offsets, alpha0, alpha1, rng_state)``; every job of a round of ``round_jobs`` runs
    ``twin(copy0, copy1, tokens, offsets, *middle, alpha0, alpha1, rng_state, **options)`` on copies
    of the matrices as they were at the round's start, then the round's changes are added to
    ``syn0``/``syn1`` (in place) in job order. Returns the summed loss (float64, in job order)."""
    total = 0.0
    for first in range(0, len(jobs), round_jobs):
        changes = []
        for tokens, offsets, alpha0, alpha1, state in jobs[first:first + round_jobs]:
            loss, _, _, d0, d1, _ = ref_private_job(twin, syn0, syn1, tokens, offsets, *middle, alpha0, alpha1,
                                                    state, **(options or {}))
            total += loss
            changes.append((d0, d1))
        for d0, d1 in changes:
            syn0 += d0
            syn1 += d1
    return total



def ref_combine(m, updates, kappas):
    """Twin of a round's commit (``accumulate_contraction`` + ``apply_combined``): ``updates`` is a list
    of (touched, delta) with ``touched[:, 0]`` the rows and ``touched[:, 1]`` their updates, ``kappas``
    each job's kappa. Row r gets ``s_r * delta`` from each job, in job order, with
    ``s_r = (1 - exp(-sum_j kappa_j n_j)) / sum_j (1 - exp(-kappa_j n_j))`` (1 where the sum is 0)."""
    total, spread = {}, {}
    for (touched, _), kappa in zip(updates, kappas):
        for r, n in touched:
            x = kappa * int(n)
            total[r] = total.get(r, 0.0) + x
            spread[r] = spread.get(r, 0.0) - np.expm1(-x)
    for touched, delta in updates:
        for (r, _), change in zip(touched, delta):
            s = np.float32(-np.expm1(-total[r]) / spread[r]) if spread[r] > 0 else np.float32(1.0)
            m[r] += s * change
