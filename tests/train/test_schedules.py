"""Per-job seeds and the learning-rate schedule."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.train.schedules import job_seed, linear_alpha


def test_job_seed_is_a_pure_function_of_seed_epoch_and_job():
    a = job_seed(1, 0, 0)
    assert a.dtype == np.uint64 and a.shape == (1,) and a[0] != 0
    np.testing.assert_array_equal(a, job_seed(1, 0, 0))
    others = {int(job_seed(*k)[0]) for k in [(2, 0, 0), (1, 1, 0), (1, 0, 1)]}
    assert int(a[0]) not in others and len(others) == 3


def test_linear_alpha_decays_and_is_floored():
    assert linear_alpha(0.1, 0.001, 0.0) == pytest.approx(0.1)
    assert linear_alpha(0.1, 0.001, 0.5) == pytest.approx(0.05)
    assert linear_alpha(0.1, 0.001, 1.0) == pytest.approx(0.001)
    assert linear_alpha(0.1, 0.001, 2.0) == pytest.approx(0.001)  # progress is clipped to [0, 1]
