"""Shared fixtures. Tests that need ../shared/data skip with a clear reason where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("WORDVEC_SHARED_DATA", ROOT.parent / "shared" / "data"))
SEED = 12345


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(SEED)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA} (set WORDVEC_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_model():
    """The demo's skip-gram model, trained once per test session on the bundled corpus (~40 s on 2 cores)."""
    from wordvec.demo import run_demo

    lines: list[str] = []
    model = run_demo(progress=False, workers=2, echo=lines.append)
    model.demo_output = "\n".join(lines)
    return model
