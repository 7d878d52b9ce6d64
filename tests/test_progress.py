"""The one progress bar (wordvec._progress): when it is drawn, units, the rate, the loss column, nesting."""

from __future__ import annotations

import re
import time

import pytest

import sys
import types

import wordvec._progress as progress_module
from wordvec._progress import ProgressBar, _rate, in_notebook, show_progress, stderr_is_terminal


def plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def test_rate_shortens_thousands():
    assert _rate(850.4, "lines") == "850 lines/s"
    assert _rate(9_999, "words") == "9,999 words/s"
    assert _rate(12_345, "words") == "12k words/s"
    assert _rate(2_500_000, "entries") == "2,500k entries/s"


def test_disabled_bar_is_silent(capsys):
    with ProgressBar(10, "quiet", enabled=False) as bar:
        bar.update(5, loss=1.0, description="still quiet")
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("unit", ["words", "tokens", "entries"])
def test_unit_names_the_rate_and_the_loss_appears_once_reported(capsys, unit):
    with ProgressBar(100, "glove", enabled=True, unit=unit) as bar:
        time.sleep(0.01)
        bar.update(40)
        time.sleep(0.01)
        bar.update(150, loss=0.25, description="glove epoch 2")  # clipped to the total
    err = plain(capsys.readouterr().err)
    assert f"{unit}/s" in err and "loss 0.2500" in err and "glove epoch 2" in err and "100.0%" in err


def test_unknown_total_shows_the_count(capsys):
    with ProgressBar(0, "reading corpus", enabled=True, unit="tokens") as bar:
        time.sleep(0.01)
        bar.update(12_345)
    err = plain(capsys.readouterr().err)
    assert "12,345 tokens" in err and "tokens/s" in err and "loss" not in err


def test_rate_unit_counts_something_else_than_the_bar(capsys):
    with ProgressBar(2048, "tokenizing c.txt", enabled=True, unit="bytes", rate_unit="lines") as bar:
        time.sleep(0.01)
        bar.update(1024, count=300)
    err = plain(capsys.readouterr().err)
    assert "50.0%" in err and "300 lines" in err and "lines/s" in err and "bytes/s" not in err


def test_a_bar_inside_a_live_bar_does_not_fail(capsys):
    with ProgressBar(10, "outer", enabled=True) as outer, ProgressBar(10, "inner", True, unit="lines") as inner:
        inner.update(5)
        outer.update(5)
    assert "outer" in plain(capsys.readouterr().err)


# ------------------------------------------------------------------ when a bar is drawn
class _Stream:
    """A stderr stand-in that says whether it is a terminal."""

    def __init__(self, tty: bool):
        self.tty, self.written = tty, []

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def _fake_ipython(monkeypatch, shell_class_name: str | None) -> None:
    module = types.ModuleType("IPython")
    shell = None if shell_class_name is None else type(shell_class_name, (), {})()
    module.get_ipython = lambda: shell
    monkeypatch.setitem(sys.modules, "IPython", module)


def test_by_default_no_bar_where_nobody_watches(capsys):
    # pytest's captured stderr is no terminal: a log file, a pipe and a test get no bar
    assert not stderr_is_terminal() and not in_notebook()
    with ProgressBar(10, "unwatched") as bar:
        bar.update(5, loss=1.0)
        assert not bar.shown
    assert capsys.readouterr().err == ""


def test_by_default_a_bar_on_a_terminal(monkeypatch):
    stream = _Stream(tty=True)
    monkeypatch.setattr(sys, "stderr", stream)
    assert show_progress(None) and not show_progress(False)
    with ProgressBar(10, "watched", unit="words") as bar:
        assert bar.shown
        bar.update(10, loss=0.5)
    assert "watched" in plain("".join(stream.written))


def test_forced_on_writes_the_final_state_into_a_file(tmp_path, monkeypatch):
    with open(tmp_path / "log.txt", "w", encoding="utf-8") as log:
        monkeypatch.setattr(sys, "stderr", log)
        assert not show_progress(None) and show_progress(True)
        with ProgressBar(10, "nobody", unit="words"):
            pass
        with ProgressBar(10, "forced", True, unit="words") as bar:
            bar.update(10)
    text = (tmp_path / "log.txt").read_text(encoding="utf-8")
    assert "nobody" not in text and "forced" in text and text.count("\n") == 1


def test_a_closed_or_missing_stderr_is_no_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)
    assert not stderr_is_terminal()
    closed = open(__file__, encoding="utf-8")
    closed.close()
    monkeypatch.setattr(sys, "stderr", closed)
    assert not stderr_is_terminal()


@pytest.mark.parametrize("shell, notebook", [("ZMQInteractiveShell", True), ("TerminalInteractiveShell", False),
                                             (None, False)])
def test_a_notebook_kernel_counts_as_watched(monkeypatch, shell, notebook):
    _fake_ipython(monkeypatch, shell)
    assert in_notebook() is notebook
    assert show_progress(None) is notebook
    assert show_progress(False) is False


def test_in_a_notebook_without_ipywidgets_the_bar_prints_its_final_state(monkeypatch):
    _fake_ipython(monkeypatch, "ZMQInteractiveShell")
    stream = _Stream(tty=False)  # ipykernel's stderr is no terminal
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import fails: rich cannot draw its widget
    console = progress_module._console()
    assert not console.is_jupyter
    with ProgressBar(4, "cell", unit="words") as bar:
        bar.update(4)
    assert "cell" in plain("".join(stream.written))


def test_status_field_and_transient_bar(capsys):
    with ProgressBar(10, "epoch 1/3", enabled=True, unit="examples") as bar:
        bar.update(10, loss=0.5, status="val_accuracy 0.8125")
    err = plain(capsys.readouterr().err)
    assert "val_accuracy 0.8125" in err and "examples/s" in err
    with ProgressBar(10, "cleared", enabled=True, unit="examples", transient=True) as bar:
        bar.update(10)
    assert "cleared" not in plain(capsys.readouterr().err)  # left nothing behind
