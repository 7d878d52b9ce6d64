"""Callbacks called by the trainer at the start of training and at the end of every epoch."""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass

__all__ = ["Callback", "EpochLogs", "LossLogger", "Checkpoint", "EarlyStopping", "epoch_end"]

log = logging.getLogger("wordvec")


@dataclass(frozen=True)
class EpochLogs:
    """What the trainer knows at the end of an epoch.

    >>> logs = EpochLogs(epoch=0, loss=12.5, mean_loss=2.5, examples=5, words=9, seconds=0.01, alpha=0.025)
    >>> logs.mean_loss
    2.5
    """

    epoch: int  # 0-based
    loss: float  # summed negative log-likelihood of the epoch (float64)
    mean_loss: float  # per training example
    examples: int
    words: int  # tokens trained after subsampling
    seconds: float
    alpha: float  # learning rate at the end of the epoch


class Callback:
    """Base class: override what you need. ``on_epoch_end`` returning True stops training.

    >>> from wordvec import Word2Vec
    >>> class StopAfterOne(Callback):
    ...     def on_epoch_end(self, model, logs):
    ...         print("epoch", logs.epoch + 1, "done")
    ...         return True                      # stop training here
    ...
    >>> model = Word2Vec(vector_size=8, min_count=1, epochs=5, seed=1, progress=False, callbacks=[StopAfterOne()])
    >>> model = model.fit([["the", "king", "rules"], ["the", "queen", "rules"]])
    epoch 1 done
    """

    def on_train_begin(self, model) -> None:
        pass

    def on_epoch_end(self, model, logs: EpochLogs) -> bool | None:
        return None

    def on_train_end(self, model) -> None:
        pass


def epoch_end(callbacks, model, logs: EpochLogs) -> bool:
    """Call every callback's ``on_epoch_end(model, logs)``, in order (all of them, even after one
    asks to stop); True if any asked to stop training.

    >>> class Stop(Callback):
    ...     def on_epoch_end(self, model, logs):
    ...         return True
    >>> logs = EpochLogs(epoch=0, loss=1.0, mean_loss=1.0, examples=1, words=1, seconds=0.1, alpha=0.025)
    >>> epoch_end([Callback(), Stop()], None, logs), epoch_end([Callback()], None, logs)
    (True, False)
    """
    stop = False
    for cb in callbacks:
        stop = bool(cb.on_epoch_end(model, logs)) or stop
    return stop


class LossLogger(Callback):
    """Logs (and keeps) the loss of each epoch.

    >>> from wordvec import Word2Vec
    >>> losses = LossLogger()
    >>> model = Word2Vec(vector_size=8, min_count=1, epochs=3, seed=1, progress=False, callbacks=[losses])
    >>> model = model.fit([["the", "king", "rules"], ["the", "queen", "rules"]])
    >>> [logs.epoch for logs in losses.history]
    [0, 1, 2]
    """

    def __init__(self):
        self.history: list[EpochLogs] = []

    def on_epoch_end(self, model, logs: EpochLogs) -> None:
        self.history.append(logs)
        log.info("epoch %d: loss %.6g (%.4f per example), %d words in %.1fs",
                 logs.epoch + 1, logs.loss, logs.mean_loss, logs.words, logs.seconds)


class Checkpoint(Callback):
    """Saves the current vectors in the native format after every ``every`` epochs.

    >>> from wordvec import Word2Vec, load
    >>> model = Word2Vec(vector_size=8, min_count=1, epochs=2, seed=1, progress=False,
    ...                  callbacks=[Checkpoint("checkpoint/", every=1)])
    >>> model = model.fit([["the", "king", "rules"], ["the", "queen", "rules"]])
    >>> load("checkpoint/")
    KeyedVectors(4 keys, 8 dimensions)

    The directory ``path`` is replaced atomically, so a crash never leaves a half-written checkpoint.
    """

    def __init__(self, path: str | os.PathLike, every: int = 1):
        if every < 1:
            raise ValueError(f"every must be >= 1, got {every}")
        self.path = path
        self.every = every

    def on_epoch_end(self, model, logs: EpochLogs) -> None:
        if (logs.epoch + 1) % self.every == 0:
            model.save(self.path)


class EarlyStopping(Callback):
    """Stops when the mean loss per example improved by less than ``min_delta`` (relative)
    for ``patience`` epochs in a row.

    >>> from wordvec import Word2Vec
    >>> stop = EarlyStopping(min_delta=0.5, patience=1)   # a loss that improves by less than 50% stops it
    >>> model = Word2Vec(vector_size=8, min_count=1, epochs=50, seed=1, progress=False, callbacks=[stop])
    >>> model = model.fit([["the", "king", "rules"], ["the", "queen", "rules"]] * 20)
    >>> len(model.loss_history_) < 50
    True
    """

    def __init__(self, min_delta: float = 1e-3, patience: int = 1):
        self.min_delta = min_delta
        self.patience = patience
        self._best = math.inf
        self._bad = 0

    def on_train_begin(self, model) -> None:
        self._best = math.inf
        self._bad = 0

    def on_epoch_end(self, model, logs: EpochLogs) -> bool:
        if logs.mean_loss < self._best * (1.0 - self.min_delta):
            self._best = logs.mean_loss
            self._bad = 0
            return False
        self._bad += 1
        return self._bad >= self.patience
