"""plot_history: a classifier's loss and accuracy per epoch (no torch needed to draw them)."""

from __future__ import annotations

import pytest

from wordvec.viz import plot_history

HISTORY = [{"epoch": e, "loss": 1.0 / e, "accuracy": 0.5 + e / 20, "val_loss": 1.1 / e + e / 50,
            "val_accuracy": 0.5 + e / 25, "seconds": 0.1} for e in range(1, 7)]


def test_plot_history_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    assert plot_history(HISTORY, tmp_path / "history.png", best_epoch=4) == tmp_path / "history.png"
    assert (tmp_path / "history.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    training_only = [{k: v for k, v in row.items() if not k.startswith("val_")} for row in HISTORY]
    plot_history(training_only, tmp_path / "history.svg")
    assert (tmp_path / "history.svg").read_text(encoding="utf-8").startswith("<?xml")


def test_an_empty_history_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="no training history"):
        plot_history([], tmp_path / "history.png")
