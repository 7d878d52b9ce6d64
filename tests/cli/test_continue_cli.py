"""``wordvec train NEW --init DIR -o OUT``: continued training from the command line."""

from __future__ import annotations

import json

import numpy as np
from clitools import assert_one_line_error, invoke, plain

import wordvec
from wordvec.models import FastText, Word2Vec

A = "the cat sat on the mat\nthe dog sat on the log\n" * 20
B = "a bird sat on the tree\nthe cat ate the bird\n" * 20


def _corpora(tmp_path):
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B, encoding="utf-8")
    return tmp_path / "a.txt", tmp_path / "b.txt"


def _train(*args):
    result = invoke("train", *args, "-q")
    assert result.exit_code == 0, result.output + plain(result.stderr)
    return result


def test_init_keeps_the_vocabulary_by_default_and_update_vocab_grows_it(tmp_path):
    a, b = _corpora(tmp_path)
    _train(a, "-o", tmp_path / "v1", "-d", "12", "--min-count", "1", "--epochs", "1", "-w", "1")
    kept = _train(b, "--init", tmp_path / "v1", "-o", tmp_path / "kept")
    assert "Continued training (run 2, vocabulary kept) of word2vec" in kept.stdout
    assert wordvec.load(tmp_path / "kept").index_to_key == wordvec.load(tmp_path / "v1").index_to_key
    grown = _train(b, "--init", tmp_path / "v1", "-o", tmp_path / "grown", "--update-vocab", "--epochs", "2")
    assert "4 words added" in grown.stdout
    kv = wordvec.load(tmp_path / "grown")
    assert kv.index_to_key[-4:] == ["bird", "a", "tree", "ate"] and len(kv) == 11
    config = json.loads((tmp_path / "grown" / "config.json").read_text())
    extra = config["extra"]
    assert extra["config"]["epochs"] == 2 and extra["config"]["vector_size"] == 12  # typed option; saved one
    assert [r["vocabulary"] for r in extra["runs"]] == ["new", "updated"] and config["has_output"]
    # the same as in Python, step for step
    model = Word2Vec.load(tmp_path / "v1", epochs=2).partial_fit(b, update_vocab=True)
    assert np.array_equal(model.wv.vectors, kv.vectors)


def test_init_continues_a_fasttext_model_and_writes_other_formats(tmp_path):
    a, b = _corpora(tmp_path)
    _train(a, "-o", tmp_path / "ft", "--model", "fasttext", "--bucket", "100", "-d", "8", "--min-count", "1",
           "--epochs", "1")
    out = _train(b, "--init", tmp_path / "ft", "-o", tmp_path / "v.txt", "-f", "word2vec-text", "--update-vocab")
    assert "of fasttext" in out.stdout
    assert "bird" in wordvec.load(tmp_path / "v.txt")
    assert FastText.load(tmp_path / "ft").config.bucket == 100


def test_init_refusals_are_one_line(tmp_path):
    a, b = _corpora(tmp_path)
    _train(a, "-o", tmp_path / "v1", "-d", "12", "--min-count", "1", "--epochs", "1")
    _train(a, "-o", tmp_path / "v1.txt", "-f", "word2vec-text", "-d", "12", "--min-count", "1", "--epochs", "1")
    assert_one_line_error(invoke("train", b, "--init", tmp_path / "v1.txt", "-o", tmp_path / "x"),
                          "a word2vec-text file holds only the word vectors", "no output layer", "no word counts")
    assert_one_line_error(invoke("train", b, "--init", tmp_path / "v1", "-o", tmp_path / "x", "--model", "fasttext"),
                          "--model fasttext does not match the word2vec model")
    assert_one_line_error(invoke("train", b, "-o", tmp_path / "x", "--update-vocab"),
                          "--update-vocab applies with --init")
    assert_one_line_error(invoke("train", b, "--init", tmp_path / "v1", "-o", tmp_path / "x", "-d", "20"),
                          "vector_size is 20 but the model was trained with 12")
    assert_one_line_error(invoke("train", b, "--init", tmp_path / "missing", "-o", tmp_path / "x"), "missing")
    assert not (tmp_path / "x").exists()


def test_help_documents_the_options():
    text = plain(invoke("train", "--help").stdout)
    assert "--init" in text and "--update-vocab" in text and "--keep-vocab" in text
