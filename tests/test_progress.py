"""The one progress bar (wordvec._progress): units, the rate, the loss column, nesting."""

from __future__ import annotations

import re
import time

import pytest

from wordvec._progress import ProgressBar, _rate


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
    with ProgressBar(100, "glove", unit=unit) as bar:
        time.sleep(0.01)
        bar.update(40)
        time.sleep(0.01)
        bar.update(150, loss=0.25, description="glove epoch 2")  # clipped to the total
    err = plain(capsys.readouterr().err)
    assert f"{unit}/s" in err and "loss 0.2500" in err and "glove epoch 2" in err and "100.0%" in err


def test_unknown_total_shows_the_count(capsys):
    with ProgressBar(0, "reading corpus", unit="tokens") as bar:
        time.sleep(0.01)
        bar.update(12_345)
    err = plain(capsys.readouterr().err)
    assert "12,345 tokens" in err and "tokens/s" in err and "loss" not in err


def test_rate_unit_counts_something_else_than_the_bar(capsys):
    with ProgressBar(2048, "tokenizing c.txt", unit="bytes", rate_unit="lines") as bar:
        time.sleep(0.01)
        bar.update(1024, count=300)
    err = plain(capsys.readouterr().err)
    assert "50.0%" in err and "300 lines" in err and "lines/s" in err and "bytes/s" not in err


def test_a_bar_inside_a_live_bar_does_not_fail(capsys):
    with ProgressBar(10, "outer") as outer, ProgressBar(10, "inner", unit="lines") as inner:
        inner.update(5)
        outer.update(5)
    assert "outer" in plain(capsys.readouterr().err)
