"""``wordvec classify train / predict / evaluate`` through typer's CliRunner."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

pytest.importorskip("torch")

from typer.testing import CliRunner

from wordvec.cli.app import app

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
POS = ["good", "great", "lovely"]
NEG = ["bad", "awful", "poor"]
FILL = ["the", "film", "plot", "was"]


def invoke(*args):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def write_data(path: Path, n: int, seed: int, extra_label: str | None = None) -> Path:
    rng = random.Random(seed)
    rows = ["label\ttext"]
    for i in range(n):
        label = "pos" if i % 2 else "neg"
        words = [rng.choice(FILL) for _ in range(3)] + [rng.choice(POS if label == "pos" else NEG)]
        rng.shuffle(words)
        rows.append(f"{label}\t{' '.join(words)}")
    if extra_label:
        rows.append(f"{extra_label}\tthe film")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("classify")
    out = d / "model"
    result = invoke("classify", "train", write_data(d / "train.tsv", 200, 1), "-o", out, "--embedding-dim", "8",
                    "--epochs", "25", "--learning-rate", "0.02", "--batch-size", "16", "--patience", "5",
                    "--plot", d / "history.png", "--save-vectors", d / "learned")
    assert result.exit_code == 0, result.output
    out_text = ANSI.sub("", result.stdout)
    # a line per epoch: loss, accuracy, validation loss and accuracy, examples/s and seconds
    epoch_lines = [ln for ln in out_text.splitlines() if ln.startswith("epoch")]
    assert epoch_lines and all(re.fullmatch(r"epoch +\d+  loss \d\.\d{4}  accuracy \d\.\d{4}  val_loss \d\.\d{4}  "
                                            r"val_accuracy \d\.\d{4}  \([\d,]+ examples/s, \d+\.\d s\)", ln)
                               for ln in epoch_lines), epoch_lines
    assert epoch_lines[0].startswith("epoch   1  loss")
    assert result.stderr == ""  # CliRunner's stderr is no terminal: no bar
    assert "2 classes" in out_text and f"saved to {out}" in out_text
    learned = invoke("similar", d / "learned", "lovely", "-n", "2")  # the embedding is ordinary vectors
    assert learned.exit_code == 0, learned.output
    pytest.importorskip("matplotlib")
    assert (d / "history.png").is_file()
    return out


def test_predict(model):
    result = invoke("classify", "predict", model, "a lovely film", "the awful plot")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert [ln.split("\t")[0] for ln in lines] == ["pos", "neg"]
    assert lines[0].split("\t")[2] == "a lovely film"


def test_evaluate(model, tmp_path):
    result = invoke("classify", "evaluate", model, write_data(tmp_path / "test.tsv", 60, 2))
    assert result.exit_code == 0, result.output
    assert "accuracy 1.0000  (60 of 60 texts" in result.stdout


def test_evaluate_warns_about_labels_only_in_the_test_set(model, tmp_path):
    data = write_data(tmp_path / "test.tsv", 10, 3, extra_label="mixed")
    result = invoke("classify", "evaluate", model, data)
    assert result.exit_code == 0, result.output
    assert "warning:" in result.stderr and "'mixed'" in result.stderr and f"{data}:12" in result.stderr
    assert "10 of 11 texts" in result.stdout


def test_missing_column_is_one_line_error(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("label\tbody\n1\tgood\n", encoding="utf-8")
    result = invoke("classify", "train", bad, "-o", tmp_path / "m", "--text-column", "review")
    assert result.exit_code == 1
    err = ANSI.sub("", result.stderr).strip()
    assert err.startswith("error: ") and "\n" not in err and f"{bad}:1" in err and "'review'" in err


def test_missing_model_is_one_line_error(tmp_path):
    result = invoke("classify", "predict", tmp_path / "nothing", "text")
    assert result.exit_code == 1 and "error:" in result.stderr and "Traceback" not in result.output


def _texts(n: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    labels = ["pos" if i % 2 else "neg" for i in range(n)]
    return [" ".join([rng.choice(FILL), rng.choice(POS if y == "pos" else NEG)]) for y in labels], labels


def test_classifier_bar_per_epoch_with_rate_loss_and_validation_accuracy(capsys):
    from wordvec.torch import TextClassifier

    texts, labels = _texts(80, 5)
    clf = TextClassifier(8, epochs=2, patience=5, progress=True).fit(texts, labels)
    err = ANSI.sub("", capsys.readouterr().err)
    bars = [ln for ln in err.splitlines() if ln.startswith("epoch ")]
    assert [b.split()[1] for b in bars] == ["1/2", "2/2"], err  # a bar per epoch, left as it ended
    for bar in bars:
        assert "100.0%" in bar and "examples/s" in bar and re.search(r"loss \d\.\d{4}", bar)
        assert re.search(r"val_accuracy \d\.\d{4}", bar), bar
    assert all(row["examples_per_second"] > 0 for row in clf.history_)


def test_classifier_bar_defaults_to_none_where_nobody_watches_and_clears_for_on_epoch(capsys):
    from wordvec.torch import TextClassifier

    texts, labels = _texts(40, 6)
    TextClassifier(8, epochs=1).fit(texts, labels)  # progress=None under pytest: no terminal, no bar
    assert capsys.readouterr().err == ""
    rows = []
    TextClassifier(8, epochs=1, progress=True).fit(texts, labels, on_epoch=rows.append)
    assert len(rows) == 1 and "epoch 1/1" not in capsys.readouterr().err  # the callback reports the epoch


def test_classify_train_draws_the_epoch_bar_on_a_terminal(tmp_path, monkeypatch):
    import wordvec._progress

    monkeypatch.setattr(wordvec._progress, "stderr_is_terminal", lambda: True)
    data = write_data(tmp_path / "train.tsv", 60, 7)
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    args = ["classify", "train", str(data), "-o", str(tmp_path / "m"), "--embedding-dim", "4", "--epochs", "2"]
    # TTY_COMPATIBLE: rich draws on CliRunner's stream as on a terminal
    result = runner.invoke(app, args, env={"COLUMNS": "200", "TTY_COMPATIBLE": "1"})
    assert result.exit_code == 0, result.output
    err = ANSI.sub("", result.stderr)
    assert "epoch 1/2" in err and "examples/s" in err and "loss" in err
    assert "epoch   1  loss" in result.stdout  # and the line that stays
    quiet = runner.invoke(app, [*args[:4], str(tmp_path / "q"), *args[5:], "--quiet"],
                          env={"COLUMNS": "200", "TTY_COMPATIBLE": "1"})
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == "" and not re.search(r"^epoch", quiet.stdout, re.M)
