"""The one progress bar (rich): corpus scans, tokenizing, co-occurrence counting and training.

A bar shows what is done (a percentage of ``total``, or the count when the total is unknown),
the rate, the elapsed time and the ETA, and the current loss once one is reported. It writes
to stderr, so piped output stays clean; on a non-terminal rich prints one final line.

This module is the bottom layer: it imports nothing from wordvec, and rich only when a bar is
shown.
"""

from __future__ import annotations

import sys

__all__ = ["ProgressBar"]


class ProgressBar:
    """A progress bar over ``total`` units of work; a no-op when ``enabled`` is False.

    Parameters
    ----------
    total:
        The units of work in all (0: unknown; the bar then shows the count done instead of a percentage).
    description:
        The label on the left; :meth:`update` can change it.
    enabled:
        False: nothing is shown and rich is not imported.
    unit:
        What ``completed`` counts (``"words"``, ``"tokens"``, ``"entries"``, ``"bytes"``); the
        rate reads ``12k words/s``.
    rate_unit:
        What the rate counts when that is not what the bar measures: the token cache's bar
        measures the bytes of a file read and reports ``lines/s``. Updates then pass ``count=``
        (the lines done), shown next to the percentage as ``1,024 lines``.

    Used as a context manager. If another live display is running and rich cannot nest them
    (rich < 14), no bar is shown and updates are ignored.
    """

    def __init__(self, total: int, description: str, enabled: bool = True, unit: str = "words", *,
                 rate_unit: str | None = None):
        self.enabled = enabled
        self.total = total
        self.description = description
        self.unit = unit
        self.rate_unit = rate_unit
        self._progress = None
        self._task = None

    def __enter__(self) -> ProgressBar:
        if not self.enabled:
            return self
        from rich.console import Console
        from rich.errors import LiveError
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        columns = [TextColumn("[bold]{task.description}"), BarColumn(),
                   TextColumn("{task.percentage:>5.1f}%" if self.total else "{task.completed:,} " + self.unit)]
        if self.rate_unit is not None:
            columns.append(TextColumn("{task.fields[count]} " + self.rate_unit))
        columns += [TextColumn("{task.fields[rate]}"), TextColumn("{task.fields[loss]}"),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn()]
        progress = Progress(*columns, console=Console(file=sys.stderr), transient=False)
        try:
            progress.start()
        except LiveError:  # another bar is live and this rich cannot nest them
            return self
        self._progress = progress
        self._task = progress.add_task(self.description, total=self.total or None, rate="", loss="", count="0")
        return self

    def update(self, completed: int, loss: float | None = None, description: str | None = None, *,
               count: int | None = None) -> None:
        """Set the units done (``completed``, clipped to ``total``), and optionally the current
        loss, a new description, and the ``count`` of ``rate_unit`` done (for the rate)."""
        if self._progress is None:
            return
        elapsed = self._progress.tasks[0].elapsed or 0.0
        done = completed if count is None else count
        unit = self.unit if self.rate_unit is None else self.rate_unit
        fields = {"rate": _rate(done / elapsed, unit) if elapsed > 0 else ""}
        if count is not None:
            fields["count"] = f"{count:,}"
        if loss is not None:
            fields["loss"] = f"loss {loss:.4f}"
        if description is not None:
            fields["description"] = description
        if self.total:
            completed = min(completed, self.total)
        self._progress.update(self._task, completed=completed, **fields)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()


def _rate(per_second: float, unit: str) -> str:
    """``"850 lines/s"``, ``"12k words/s"``: thousands are shortened from 10,000 a second up."""
    if per_second < 10_000:
        return f"{per_second:,.0f} {unit}/s"
    return f"{per_second / 1000:,.0f}k {unit}/s"
