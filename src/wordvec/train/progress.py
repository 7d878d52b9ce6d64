"""The training progress bar: :class:`wordvec._progress.ProgressBar`, under the name the trainer uses.

``TrainingProgress(total, description, enabled=..., unit=...)`` and
``.update(completed, loss=..., description=...)``; ``enabled=None`` (the default of the models'
``progress=``) draws a bar only when stderr is a terminal or in a notebook kernel; see
:class:`~wordvec._progress.ProgressBar` and :func:`~wordvec._progress.show_progress`.
"""

from __future__ import annotations

from wordvec._progress import ProgressBar as TrainingProgress
from wordvec._progress import show_progress

__all__ = ["TrainingProgress", "show_progress"]
