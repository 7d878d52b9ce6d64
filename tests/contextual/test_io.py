"""The saved directory: a bit-exact round trip, no pickle, and one clear error per damaged file;
the optional dependencies' errors."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from wordvec.contextual import ELMo
from wordvec.exceptions import FormatError

SENTENCES = ["the cat sat on the mat", "a bank of the river", ["money", "in", "the", "bank", "account"]]


@pytest.fixture
def saved(tiny_model, tmp_path):
    path = tmp_path / "model"
    tiny_model.save(path)
    return path


def test_round_trip_is_bit_exact(tiny_model, saved):
    assert sorted(p.name for p in saved.iterdir()) == ["config.json", "vocab.tsv", "weights.safetensors"]
    back = ELMo.load(saved, device="cpu")
    a, b = tiny_model.bilm_.state_dict(), back.bilm_.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert back.config == tiny_model.config
    assert back.vocab_.index_to_key == tiny_model.vocab_.index_to_key
    assert np.array_equal(back.vocab_.counts, tiny_model.vocab_.counts)
    assert back.perplexity_ == tiny_model.perplexity_ and back.history_ == tiny_model.history_
    for layer in ("all", "average", -1):
        x, y = tiny_model.embed(SENTENCES, layer=layer), back.embed(SENTENCES, layer=layer)
        assert all(np.array_equal(p, q) for p, q in zip(x.tokens, y.tokens))
        assert np.array_equal(x.sentences, y.sentences)
    assert back.perplexity(SENTENCES[2:]) == tiny_model.perplexity(SENTENCES[2:])


def test_config_json_is_plain_and_versioned(saved):
    meta = json.loads((saved / "config.json").read_text())
    assert meta["format_version"] == 1 and meta["kind"] == "elmo_bilm"
    assert meta["config"]["projection_dim"] == 8 and meta["vocab_size"] == len(
        (saved / "vocab.tsv").read_text().splitlines())
    assert meta["tokenizer"] == {"name": "regex"}
    assert (saved / "weights.safetensors").read_bytes()[8:9] == b"{"  # a JSON header, not a pickle


def test_saving_again_replaces_the_directory(tiny_model, saved):
    (saved / "stray.txt").write_text("old")
    tiny_model.save(saved)
    assert not (saved / "stray.txt").exists()


@pytest.mark.parametrize("name, damage, message", [
    ("weights.safetensors", b"\x10\x00\x00\x00\x00\x00\x00\x00{not json", "not a readable safetensors file"),
    ("config.json", b"{", "not valid JSON"),
    ("config.json", b'{"kind": "keyed_vectors"}', "not an ELMo model"),
    ("config.json", b'{"kind": "elmo_bilm", "format_version": 99}', "upgrade wordvec"),
    ("vocab.tsv", b"word-without-count\n", "line 1: expected word<TAB>count"),
])
def test_a_damaged_file_is_one_error_naming_it(saved, name, damage, message):
    (saved / name).write_bytes(damage)
    with pytest.raises(FormatError, match=message) as info:
        ELMo.load(saved)
    assert str(info.value).startswith(str(saved / name)) and "\n" not in str(info.value)


def test_weights_that_do_not_fit_the_config(saved):
    meta = json.loads((saved / "config.json").read_text())
    meta["config"]["lstm_dim"] = 20
    (saved / "config.json").write_text(json.dumps(meta))
    with pytest.raises(FormatError, match=r"weights\.safetensors: .* has shape"):
        ELMo.load(saved)


def test_missing_things(tmp_path):
    with pytest.raises(FileNotFoundError, match="ELMo model not found"):
        ELMo.load(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FormatError, match=r"config\.json: missing"):
        ELMo.load(tmp_path / "empty")
    (tmp_path / "file").write_text("x")
    with pytest.raises(FormatError, match="not an ELMo model directory"):
        ELMo.load(tmp_path / "file")


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)


def test_missing_extras_name_the_install_command():
    hint = "pip install 'wordvec[torch]'"
    result = run("import sys; sys.modules['torch'] = None\n"
                 "import wordvec.contextual as c; print(c.preset_config('original').lstm_dim)\n"
                 "try:\n    c.ELMo\nexcept ImportError as e:\n    print(e)")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "4096" and hint in lines[1] and "PyTorch" in lines[1]
    result = run("import sys; sys.modules['h5py'] = None\nfrom wordvec.contextual import ELMo\n"
                 "try:\n    ELMo.from_allennlp('o.json', 'w.hdf5')\nexcept ImportError as e:\n    print(e)")
    assert hint in result.stdout and "h5py" in result.stdout, result.stderr


def test_import_wordvec_and_the_cli_do_not_load_torch():
    result = run("import sys, wordvec, wordvec.cli.app, wordvec.contextual, wordvec.contextual.chars; "
                 "print('torch' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
