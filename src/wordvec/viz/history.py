"""Training history: loss and accuracy per epoch, on the training and the validation data.

Draws the rows a model trained by epochs keeps (:attr:`wordvec.torch.TextClassifier.history_`),
so it needs no torch: ``plot_history(clf.history_, "history.png", best_epoch=clf.best_epoch_)``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from wordvec.viz._extras import require
from wordvec.viz.plot import new_figure, save_figure

__all__ = ["plot_history"]


def plot_history(history: Sequence[Mapping[str, float]], path: str | os.PathLike[str], *,
                 best_epoch: int = 0) -> Path:
    """Save loss and accuracy per epoch side by side (PNG, SVG or PDF by suffix; needs matplotlib).

    >>> history = [{"epoch": 1, "loss": 0.69, "accuracy": 0.55, "val_loss": 0.66, "val_accuracy": 0.6},
    ...            {"epoch": 2, "loss": 0.52, "accuracy": 0.78, "val_loss": 0.58, "val_accuracy": 0.7}]
    >>> plot_history(history, "history.png", best_epoch=2).name      # e.g. TextClassifier's history_
    'history.png'

    ``history``: one row per epoch with ``epoch``, ``loss``, ``accuracy`` and, when the model was
    validated, ``val_loss`` and ``val_accuracy``. ``best_epoch`` (1-based; 0 for none) is marked
    with a dotted line. Returns the path written.
    """
    if not history:
        raise ValueError("no training history to plot (the model was not trained by fit())")
    ticker = require("matplotlib.ticker", "plotting")
    figure = new_figure((10, 4))
    epochs = [h["epoch"] for h in history]
    for ax, key, title in zip(figure.subplots(1, 2), ("loss", "accuracy"), ("Loss", "Accuracy")):
        ax.plot(epochs, [h[key] for h in history], "o-", label="training")
        if "val_" + key in history[0]:
            ax.plot(epochs, [h["val_" + key] for h in history], "s--", label="validation")
        if best_epoch:
            ax.axvline(best_epoch, color="grey", linestyle=":", label=f"best (epoch {best_epoch})")
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        ax.legend()
    return save_figure(figure, path, dpi=100)
