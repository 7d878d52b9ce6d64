"""The one progress bar (rich): corpus scans, tokenizing, co-occurrence counting and training.

A bar shows what is done (a percentage of ``total``, or the count when the total is unknown),
the rate, the elapsed time and the ETA, and the current loss once one is reported. It writes
to stderr, so piped output stays clean.

Whether a bar is drawn follows what tqdm and scikit-learn users expect: ``enabled=None`` (the
default of every ``progress=`` parameter in wordvec) draws one only where a person is watching,
that is when stderr is a terminal or the code runs in a Jupyter/IPython kernel (a notebook);
a log file, a pipe, a cron job or pytest gets none. ``True`` and ``False`` force it on or off
(``True`` into a file writes the bar's final state as one line). :func:`show_progress` is that
rule, for code that decides before it makes a bar.

This module is the bottom layer: it imports nothing from wordvec, and rich only when a bar is
shown.
"""

from __future__ import annotations

import os
import sys

__all__ = ["ProgressBar", "in_notebook", "show_progress", "stderr_is_terminal"]


def stderr_is_terminal() -> bool:
    """Whether standard error is a terminal (False when it is a file, a pipe, or closed)."""
    stream = sys.stderr
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed stream
        return False


def in_notebook() -> bool:
    """Whether this code runs in a Jupyter/IPython kernel (a notebook, JupyterLab, qtconsole,
    Colab, Databricks), where stderr is no terminal but a person watches the cell's output.

    Looks at IPython only if something already imported it (a plain script never pays for it);
    the IPython terminal shell is a terminal, not a kernel, and :func:`stderr_is_terminal` covers it.
    """
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    if get_ipython is None:
        return False
    try:
        shell = get_ipython()
    except Exception:  # noqa: BLE001 - a half-initialised IPython is not a notebook
        return False
    if shell is None:
        return False
    kind = type(shell)
    return (kind.__name__ == "ZMQInteractiveShell" or "google.colab" in kind.__module__
            or bool(os.environ.get("DATABRICKS_RUNTIME_VERSION")))


def show_progress(progress: bool | None) -> bool:
    """Whether to draw a bar: ``progress`` when it is True or False; for None, whether a person
    is watching (stderr is a terminal, or the code runs in a notebook kernel).

    >>> show_progress(True), show_progress(False)
    (True, False)
    >>> show_progress(None)        # False here: stderr is not a terminal and this is no notebook
    False
    """
    if progress is not None:
        return bool(progress)
    return stderr_is_terminal() or in_notebook()


def _console():
    """The console bars draw on: stderr; in a notebook without ipywidgets (rich's live widgets
    need it), a plain stream that shows each bar's final state once."""
    from rich.console import Console

    if in_notebook():
        try:
            import ipywidgets  # noqa: F401
        except ImportError:
            return Console(file=sys.stderr, force_jupyter=False)
    return Console(file=sys.stderr)


class ProgressBar:
    """A progress bar over ``total`` units of work; a no-op when it is not shown.

    >>> # enabled=None (the default) draws only on a terminal or in a notebook
    >>> with ProgressBar(total=1000, description="counting", enabled=False) as bar:
    ...     for done in range(0, 1001, 250):
    ...         bar.update(done, loss=0.5)
    ...
    >>> bar.shown
    False

    Parameters
    ----------
    total:
        The units of work in all (0: unknown; the bar then shows the count done instead of a percentage).
    description:
        The label on the left; :meth:`update` can change it.
    enabled:
        None (default): a bar only where a person is watching (stderr is a terminal, or a
        notebook kernel; see :func:`show_progress`); True: always; False: never. Without a bar
        nothing is written and rich is not imported.
    unit:
        What ``completed`` counts (``"words"``, ``"tokens"``, ``"entries"``, ``"bytes"``); the
        rate reads ``12k words/s``.
    rate_unit:
        What the rate counts when that is not what the bar measures: the token cache's bar
        measures the bytes of a file read and reports ``lines/s``. Updates then pass ``count=``
        (the lines done), shown next to the percentage as ``1,024 lines``.
    transient:
        Clear the bar when it ends (for a caller that prints its own line in its place, as
        ``wordvec classify train`` does after each epoch) instead of leaving its final state.

    Used as a context manager; :attr:`shown` says whether a bar is drawn. If another live
    display is running and rich cannot nest them (rich < 14), no bar is shown and updates are ignored.
    """

    def __init__(self, total: int, description: str, enabled: bool | None = None, unit: str = "words", *,
                 rate_unit: str | None = None, transient: bool = False):
        self.enabled = enabled
        self.total = total
        self.description = description
        self.unit = unit
        self.rate_unit = rate_unit
        self.transient = transient
        self._progress = None
        self._task = None

    @property
    def shown(self) -> bool:
        """Whether a bar is being drawn (inside the ``with`` block)."""
        return self._progress is not None

    def __enter__(self) -> ProgressBar:
        if not show_progress(self.enabled):
            return self
        from rich.errors import LiveError
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        columns = [TextColumn("[bold]{task.description}"), BarColumn(),
                   TextColumn("{task.percentage:>5.1f}%" if self.total else "{task.completed:,} " + self.unit)]
        if self.rate_unit is not None:
            columns.append(TextColumn("{task.fields[count]} " + self.rate_unit))
        columns += [TextColumn("{task.fields[rate]}"), TextColumn("{task.fields[loss]}"),
                    TextColumn("{task.fields[status]}"), TimeElapsedColumn(), TextColumn("ETA"),
                    TimeRemainingColumn()]
        progress = Progress(*columns, console=_console(), transient=self.transient)
        try:
            progress.start()
        except LiveError:  # another bar is live and this rich cannot nest them
            return self
        self._progress = progress
        self._task = progress.add_task(self.description, total=self.total or None, rate="", loss="", count="0",
                                       status="")
        return self

    def update(self, completed: int, loss: float | None = None, description: str | None = None, *,
               count: int | None = None, status: str | None = None) -> None:
        """Set the units done (``completed``, clipped to ``total``), and optionally the current
        loss, a new description, the ``count`` of ``rate_unit`` done (for the rate), and a
        ``status`` text shown after the loss (``"val_accuracy 0.8123"``)."""
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
        if status is not None:
            fields["status"] = status
        if description is not None:
            fields["description"] = description
        if self.total:
            completed = min(completed, self.total)
        self._progress.update(self._task, completed=completed, **fields)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _rate(per_second: float, unit: str) -> str:
    """``"850 lines/s"``, ``"12k words/s"``: thousands are shortened from 10,000 a second up."""
    if per_second < 10_000:
        return f"{per_second:,.0f} {unit}/s"
    return f"{per_second / 1000:,.0f}k {unit}/s"
