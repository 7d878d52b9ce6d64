"""Progress bars only where a person watches: the commands and the library parts they call.

A command without ``--quiet`` asks for the default (a bar on a terminal or in a notebook,
:func:`wordvec._progress.show_progress`), never for a bar forced into whatever stderr is (a log
file, a pipe, CliRunner); ``--quiet`` turns it off even on a terminal. The library parts decide
through ``show_progress`` too, so a notebook gets the bars a terminal gets.
"""

from __future__ import annotations

import random

import pytest
from clitools import invoke, plain

import wordvec._progress

WORDS = ["the", "new", "york", "times", "bank", "of", "america", "city", "moved", "reported", "los", "angeles"]


@pytest.fixture
def corpus(tmp_path):
    rng = random.Random(0)
    path = tmp_path / "corpus.txt"
    lines = [" ".join(rng.choice(WORDS) for _ in range(10)) for _ in range(60)] + ["new york city"] * 20
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def watched(monkeypatch):
    """Make wordvec believe a person watches stderr (a terminal), as show_progress decides it."""
    monkeypatch.setattr(wordvec._progress, "stderr_is_terminal", lambda: True)


#: Each command's arguments (a small run) and a word of its bar's label.
COMMANDS = {
    "cooccur": (["--min-count", "1", "--window", "2"], "counting words"),
    "phrases": (["--min-count", "2", "--threshold", "1"], "counting phrases"),
}


def _run(command: str, corpus, out, *extra: str):
    args, _ = COMMANDS[command]
    target = out / ("m.npz" if command == "cooccur" else "ph")
    result = invoke(command, corpus, "-o", target, *args, *extra)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_bar_where_nobody_watches(command, corpus, tmp_path):
    """CliRunner's stderr is no terminal, as a log file: the command writes no bar there
    (``progress=not quiet`` forced one, its final state written as a line)."""
    result = _run(command, corpus, tmp_path)
    assert plain(result.stderr).strip() == ""


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_bar_on_a_terminal_and_quiet_silences_it(command, corpus, tmp_path, watched):
    _, label = COMMANDS[command]
    loud = _run(command, corpus, tmp_path / "loud")
    assert label in plain(loud.stderr)
    assert label not in plain(loud.stdout)  # bars go to stderr only
    quiet = _run(command, corpus, tmp_path / "quiet", "--quiet")
    assert plain(quiet.stderr).strip() == ""


# ------------------------------------------------------------------- the library parts
def test_phrases_follow_show_progress(capsys, monkeypatch):
    from wordvec.corpus.phrases import Phrases

    sentences = [["new", "york", "city"], ["in", "new", "york"]] * 10
    Phrases(min_count=1, threshold=1).fit(sentences)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(wordvec._progress, "in_notebook", lambda: True)  # a notebook: no terminal, a person
    Phrases(min_count=1, threshold=1).fit(sentences)
    assert "counting phrases" in plain(capsys.readouterr().err)
    Phrases(min_count=1, threshold=1, progress=False).fit(sentences)
    assert capsys.readouterr().err == ""


class _SplitTokenizer:
    """The least a CachedCorpus tokenizer has: tokenize_many."""

    def tokenize_many(self, lines):
        return (line.split() for line in lines)


def test_token_cache_follows_show_progress(corpus, capsys, monkeypatch):
    from wordvec.corpus.cache import CachedCorpus

    assert len(list(CachedCorpus(corpus, _SplitTokenizer(), cache=False))) == 80
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(wordvec._progress, "in_notebook", lambda: True)
    list(CachedCorpus(corpus, _SplitTokenizer(), cache=False))
    assert "tokenizing corpus.txt" in plain(capsys.readouterr().err)
    list(CachedCorpus(corpus, _SplitTokenizer(), cache=False, progress=False))
    assert capsys.readouterr().err == ""


#: A biLM small enough to train on a few dozen sentences in well under a second.
TINY_ELMO = dict(char_embedding_dim=4, filters=((1, 8), (2, 8)), n_highway=1, projection_dim=8, lstm_dim=16,
                 n_layers=1, batch_tokens=64, min_count=1, epochs=1, seed=3)


def test_elmo_and_its_classifier_follow_show_progress(capsys, monkeypatch):
    """ELMo's training bar and the ELMo classifier's bars (features, then one per epoch) appear
    where a person watches, and not in a captured stderr."""
    pytest.importorskip("torch")
    pytest.importorskip("safetensors")
    from wordvec.contextual import ELMo
    from wordvec.torch import ContextualClassifier

    rng = random.Random(1)
    texts = [" ".join(rng.choice(WORDS[:6]) for _ in range(4)) + (" good" if i % 2 else " bad") for i in range(40)]
    labels = ["pos" if i % 2 else "neg" for i in range(40)]
    elmo = ELMo(**TINY_ELMO).fit([t.split() for t in texts])
    ContextualClassifier(elmo, hidden=8, epochs=2, patience=5).fit(texts, labels)
    assert capsys.readouterr().err == ""

    monkeypatch.setattr(wordvec._progress, "in_notebook", lambda: True)
    elmo = ELMo(**TINY_ELMO).fit([t.split() for t in texts])
    assert "biLM" in plain(capsys.readouterr().err)
    ContextualClassifier(elmo, hidden=8, epochs=2, patience=5).fit(texts, labels)
    err = plain(capsys.readouterr().err)
    assert "ELMo features" in err and "epoch 1/2" in err and "epoch 2/2" in err
    ContextualClassifier(elmo, hidden=8, epochs=2, patience=5, progress=False).fit(texts, labels)
    assert capsys.readouterr().err == ""

