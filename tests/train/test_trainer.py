"""run_epochs: divergence is caught and named, the learning rate decays linearly across jobs."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.train import TrainingDivergedError
from wordvec.train.trainer import run_epochs


def test_divergence_is_detected_and_reported():
    def nan_kernel(s0, s1, a0, a1, rng):
        return float("nan"), 1, 1

    with pytest.raises(TrainingDivergedError, match="diverged; lower alpha"):
        run_epochs(nan_kernel, offsets=np.array([0, 5, 10]), epochs=1, alpha=0.1, min_alpha=0.0, workers=1,
                   seed=1, progress=False)

    def ok_kernel(s0, s1, a0, a1, rng):
        return 1.0, 1, 1

    with pytest.raises(TrainingDivergedError, match="NaN or infinite"):
        run_epochs(ok_kernel, offsets=np.array([0, 5]), epochs=1, alpha=0.1, min_alpha=0.0, workers=1, seed=1,
                   progress=False, check_finite=lambda: False)


def test_learning_rate_decays_linearly_across_jobs():
    seen = []

    def kernel(s0, s1, a0, a1, rng):
        seen.append((s0, a0, a1))
        return 0.0, 1, 1

    offsets = np.arange(0, 100_001, 1000)
    run_epochs(kernel, offsets=offsets, epochs=2, alpha=0.1, min_alpha=0.001, workers=1, seed=1, progress=False,
               job_words=10_000)
    seen.sort()
    alphas = [a0 for _, a0, _ in sorted(seen, key=lambda x: -x[1])]
    assert alphas[0] == pytest.approx(0.1)
    assert min(a1 for _, _, a1 in seen) == pytest.approx(0.001)
    assert len(seen) == 20


def test_divergence_names_the_models_rate_option_and_the_bar_its_unit(capsys):
    def nan_kernel(s0, s1, a0, a1, rng):
        return float("nan"), 1, 1

    with pytest.raises(TrainingDivergedError, match=r"lower learning_rate \(now 0.1\)"):
        run_epochs(nan_kernel, offsets=np.array([0, 5, 10]), epochs=1, alpha=0.1, min_alpha=0.1, workers=1,
                   seed=1, progress=False, rate_name="learning_rate")

    def ok_kernel(s0, s1, a0, a1, rng):
        return 1.0, 1, 5

    run_epochs(ok_kernel, offsets=np.array([0, 5, 10]), epochs=1, alpha=0.1, min_alpha=0.1, workers=1,
               seed=1, progress=True, unit="entries", job_words=5)
    assert "entries/s" in capsys.readouterr().err
