"""``wordvec elmo train|embed|similar|from-allennlp`` through typer's CliRunner."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from wordvec.cli.app import app

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
TINY_OPTIONS = ["--projection-dim", "8", "--lstm-dim", "16", "--n-highway", "0", "--min-count", "1",
                "--batch-tokens", "96", "--quiet"]


def invoke(*args, columns: int = 200):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)})


def plain(text: str) -> str:
    return ANSI.sub("", text)


@pytest.fixture(scope="module")
def text_file(tmp_path_factory, corpus):
    path = tmp_path_factory.mktemp("elmo") / "corpus.txt"
    path.write_text("\n".join(" ".join(s) for s in corpus) + "\n")
    return path


@pytest.fixture(scope="module")
def model_dir(text_file):
    out = text_file.parent / "model"
    result = invoke("elmo", "train", text_file, "-o", out, *TINY_OPTIONS)
    assert result.exit_code == 0, result.output
    assert "Held-out perplexity" in result.stdout and f"Saved to {out}" in result.stdout
    return out


def test_train_saves_a_model_with_the_options_given(model_dir):
    cfg = json.loads((model_dir / "config.json").read_text())["config"]
    assert (cfg["projection_dim"], cfg["lstm_dim"], cfg["n_highway"], cfg["min_count"]) == (8, 16, 0, 1)
    assert cfg["epochs"] == 2 and cfg["lstm_dim"] != 4096  # defaults: the small preset's


def test_embed_writes_a_row_per_line(model_dir, tmp_path):
    text = tmp_path / "lines.txt"
    text.write_text("the cat sat on the mat\n\na bank of the river\n")
    out = tmp_path / "vecs.npy"
    result = invoke("elmo", "embed", model_dir, text, "-o", out, "--layer", "-1")
    assert result.exit_code == 0, result.output
    vecs = np.load(out)
    assert vecs.shape == (3, 16) and vecs.dtype == np.float32 and np.all(vecs[1] == 0)
    result = invoke("elmo", "embed", model_dir, text, "-o", tmp_path / "all.npy", "--layer", "all")
    assert result.exit_code == 0 and np.load(tmp_path / "all.npy").shape == (3, 3, 16)


def test_similar_prints_the_nearest_uses(model_dir, text_file):
    result = invoke("elmo", "similar", model_dir, "she sat on a bank of the river", "bank", text_file, "-n", "3")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "[bank]" in line]
    assert len(rows) == 3
    scores = [float(r.split()[0]) for r in rows]
    assert scores == sorted(scores, reverse=True)


def test_checkpoint_and_resume(text_file, tmp_path):
    ckpt, out = tmp_path / "ckpt", tmp_path / "out"
    args = ["elmo", "train", text_file, "-o", out, *TINY_OPTIONS, "--epochs", "1", "--checkpoint", ckpt]
    assert invoke(*args, "--checkpoint-every", "2").exit_code == 0
    assert (ckpt / "trainer.json").is_file()
    result = invoke(*args, "--resume", "--force")  # the run had finished: nothing left to train
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("args, message", [
    (["elmo", "embed", "nowhere", "x.txt", "-o", "y.npy"], "ELMo model not found: nowhere"),
    (["elmo", "train", "missing.txt", "-o", "m"], "corpus file not found: missing.txt"),
    (["elmo", "train", "{text}", "-o", "m", "--lstm-dim", "4", "--projection-dim", "8"],
     "lstm_dim must be at least projection_dim=8"),
    (["elmo", "train", "{text}", "-o", "m", "--resume"], "--resume needs --checkpoint DIR"),
    (["elmo", "embed", "{model}", "{text}", "-o", "y.npy", "--layer", "top"], "layer must be an index"),
    (["elmo", "similar", "{model}", "a river", "bank", "{text}"], "'bank' is not a token of 'a river'"),
])
def test_errors_are_one_line(model_dir, text_file, tmp_path, args, message):
    args = [a.format(text=text_file, model=model_dir) for a in args]
    args = [str(tmp_path / a) if a in ("m", "y.npy") else a for a in args]
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    err = plain(result.stderr).strip()
    assert err.startswith("error: ") and "\n" not in err and message in err, err


def test_a_corrupt_model_is_one_line(model_dir, tmp_path, text_file):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(model_dir, broken)
    (broken / "weights.safetensors").write_bytes(b"garbage")
    result = invoke("elmo", "embed", broken, text_file, "-o", tmp_path / "v.npy")
    assert result.exit_code == 1
    assert "weights.safetensors: not a readable safetensors file" in plain(result.stderr)


@pytest.mark.parametrize("command", ["", "train", "embed", "similar", "from-allennlp"])
def test_help_fits_80_columns(command):
    result = invoke(*(["elmo", command] if command else ["elmo"]), "--help", columns=80)
    assert result.exit_code == 0, result.output
    text = plain(result.stdout)
    assert "Usage" in text and max(len(line) for line in text.splitlines()) <= 80


def test_from_allennlp_then_embed(tmp_path):
    h5py = pytest.importorskip("h5py")
    rng = np.random.default_rng(0)
    c, p, n = 4, 6, 10
    (tmp_path / "options.json").write_text(json.dumps({
        "lstm": {"use_skip_connections": True, "projection_dim": p, "cell_clip": 3, "proj_clip": 3, "dim": n,
                 "n_layers": 1},
        "char_cnn": {"activation": "relu", "filters": [[1, 4], [2, 4]], "n_highway": 1, "embedding": {"dim": c},
                     "n_characters": 262, "max_characters_per_token": 50}}))
    shapes = {"char_embed": (261, c), "CNN/W_cnn_0": (1, 1, c, 4), "CNN/b_cnn_0": (4,), "CNN/W_cnn_1": (1, 2, c, 4),
              "CNN/b_cnn_1": (4,), "CNN_high_0/W_carry": (8, 8), "CNN_high_0/b_carry": (8,),
              "CNN_high_0/W_transform": (8, 8), "CNN_high_0/b_transform": (8,), "CNN_proj/W_proj": (8, p),
              "CNN_proj/b_proj": (p,)}
    for d in range(2):
        cell = f"RNN_{d}/RNN/MultiRNNCell/Cell0/LSTMCell"
        shapes.update({f"{cell}/W_0": (2 * p, 4 * n), f"{cell}/B": (4 * n,), f"{cell}/W_P_0": (n, p)})
    with h5py.File(tmp_path / "weights.hdf5", "w") as f:
        for name, shape in shapes.items():
            f.create_dataset(name, data=rng.normal(0, 0.5, shape).astype(np.float32))
    result = invoke("elmo", "from-allennlp", tmp_path / "options.json", tmp_path / "weights.hdf5",
                    "-o", tmp_path / "converted")
    assert result.exit_code == 0, result.output
    (tmp_path / "t.txt").write_text("The Bank\n")
    result = invoke("elmo", "embed", tmp_path / "converted", tmp_path / "t.txt", "-o", tmp_path / "v.npy")
    assert result.exit_code == 0, result.output
    assert np.load(tmp_path / "v.npy").shape == (1, 2 * p)
