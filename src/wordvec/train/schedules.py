"""Learning-rate schedules and deterministic per-job seeds."""

from __future__ import annotations

import numpy as np

__all__ = ["linear_alpha", "job_seed"]

_MASK = (1 << 64) - 1


def linear_alpha(alpha: float, min_alpha: float, progress: float) -> float:
    """word2vec.c's decay: ``alpha * (1 - progress)``, floored at ``min_alpha``.

    >>> linear_alpha(0.025, 0.0001, 0.0), linear_alpha(0.025, 0.0001, 0.5)
    (0.025, 0.0125)
    >>> linear_alpha(0.025, 0.0001, 1.0)          # floored at min_alpha
    0.0001
    """
    return max(min_alpha, alpha * (1.0 - min(max(progress, 0.0), 1.0)))


def _splitmix64(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def job_seed(seed: int, epoch: int, job: int) -> np.ndarray:
    """The RNG state (a one-element uint64 array) of one job: a pure function of (seed, epoch, job).

    >>> import numpy as np
    >>> bool(np.array_equal(job_seed(1, epoch=0, job=3), job_seed(1, epoch=0, job=3)))
    True
    >>> bool(np.array_equal(job_seed(1, epoch=0, job=3), job_seed(1, epoch=1, job=3)))
    False

    Jobs draw from independent streams whatever thread runs them, so a seeded run with
    ``workers=1`` is exactly repeatable, and with more workers only Hogwild's interleaving of
    updates differs.
    """
    s = _splitmix64(_splitmix64(_splitmix64(seed) ^ epoch) ^ job)
    return np.array([s or 1], dtype=np.uint64)
