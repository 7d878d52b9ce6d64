"""Training orchestration: trainer, schedules, callbacks, progress."""

from wordvec.train.callbacks import Callback, Checkpoint, EarlyStopping, EpochLogs, LossLogger
from wordvec.train.trainer import TrainingDivergedError

__all__ = ["Callback", "Checkpoint", "EarlyStopping", "EpochLogs", "LossLogger", "TrainingDivergedError"]
