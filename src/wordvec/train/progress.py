"""The training progress bar: :class:`wordvec._progress.ProgressBar`, under the name the trainer uses.

``TrainingProgress(total, description, enabled=..., unit=...)`` and
``.update(completed, loss=..., description=...)``; see :class:`~wordvec._progress.ProgressBar`.
"""

from __future__ import annotations

from wordvec._progress import ProgressBar as TrainingProgress

__all__ = ["TrainingProgress"]
