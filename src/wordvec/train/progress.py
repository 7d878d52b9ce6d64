"""Progress bars (rich) for corpus scans and training: rate, ETA and the current loss."""

from __future__ import annotations

import sys

__all__ = ["TrainingProgress"]


class TrainingProgress:
    """A progress bar over ``total`` words; a no-op when ``enabled`` is False.

    rich is imported only when a bar is shown; on a non-terminal it prints one final line.
    """

    def __init__(self, total: int, description: str, enabled: bool = True, unit: str = "words"):
        self.enabled = enabled
        self.total = total
        self.description = description
        self.unit = unit
        self._progress = None
        self._task = None

    def __enter__(self) -> TrainingProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("{task.percentage:>5.1f}%" if self.total else "{task.completed:,} " + self.unit),
                TextColumn("{task.fields[rate]}"),
                TextColumn("loss {task.fields[loss]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(file=sys.stderr),
                transient=False,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task(self.description, total=self.total or None, rate="", loss="-")
        return self

    def update(self, completed: int, loss: float | None = None, description: str | None = None) -> None:
        if self._progress is None:
            return
        task = self._progress.tasks[0]
        elapsed = task.elapsed or 0.0
        rate = f"{completed / elapsed / 1000:,.0f}k {self.unit}/s" if elapsed > 0 else ""
        fields = {"rate": rate}
        if loss is not None:
            fields["loss"] = f"{loss:.4f}"
        if description is not None:
            fields["description"] = description
        self._progress.update(self._task, completed=completed, **fields)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
