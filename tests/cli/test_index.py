"""``wordvec index`` and ``wordvec similar --index``."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest
from clitools import assert_one_line_error, invoke, plain

import wordvec
from wordvec.vectors import KeyedVectors

needs_usearch = pytest.mark.skipif(importlib.util.find_spec("usearch") is None,
                                   reason="the ann extra (usearch) is not installed: pip install 'wordvec[ann]'")


@pytest.fixture
def vectors(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2000, 16)).astype(np.float32)
    path = tmp_path / "vectors"
    wordvec.save(KeyedVectors([f"w{i}" for i in range(2000)], x), path)
    return path


def neighbours(result) -> list[str]:
    return [line.split()[1] for line in plain(result.stdout).splitlines()[1:]]


@needs_usearch
def test_index_then_similar(vectors):
    result = invoke("index", vectors, "--threads", "1", "--connectivity", "12")
    assert result.exit_code == 0, result.output
    assert "Indexed 2,000 words" in result.stdout and str(vectors / "ann") in result.stdout
    assert (vectors / "ann" / "config.json").is_file()
    assert wordvec.load(vectors).index.params["connectivity"] == 12
    ann = invoke("similar", vectors, "w3", "--topn", "5", "--index", "ann")
    exact = invoke("similar", vectors, "w3", "--topn", "5", "--index", "exact")
    auto = invoke("similar", vectors, "w3", "--topn", "5")
    assert ann.exit_code == exact.exit_code == auto.exit_code == 0, ann.output + exact.output
    assert len(neighbours(ann)) == 5 and "w3" not in neighbours(ann)
    assert len(set(neighbours(ann)) & set(neighbours(exact))) >= 4
    assert neighbours(auto) == neighbours(exact)  # 2,000 words: below the automatic threshold


@needs_usearch
def test_existing_index_needs_force(vectors):
    assert invoke("index", vectors, "--threads", "1").exit_code == 0
    assert_one_line_error(invoke("index", vectors), "already exists", "--force")
    result = invoke("index", vectors, "--force", "--expansion-search", "99")
    assert result.exit_code == 0, result.output
    assert wordvec.load(vectors).index.params["expansion_search"] == 99


def test_index_needs_a_native_directory(tmp_path, vectors):
    text = tmp_path / "vectors.txt"
    wordvec.save(wordvec.load(vectors), text, format="word2vec-text")
    assert_one_line_error(invoke("index", text), "not a native vectors directory", "wordvec convert")
    assert_one_line_error(invoke("index", tmp_path / "missing"), "no such file")


def test_similar_index_ann_without_index(vectors):
    assert_one_line_error(invoke("similar", vectors, "w1", "--index", "ann"), "build one")
    assert invoke("similar", vectors, "w1", "--index", "fast").exit_code == 2


def test_missing_extra_is_one_line(vectors, monkeypatch):
    for name in list(sys.modules):
        if name == "usearch" or name.startswith("usearch."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "usearch", None)
    monkeypatch.setitem(sys.modules, "usearch.index", None)
    assert_one_line_error(invoke("index", vectors), "pip install 'wordvec[ann]'")
    assert not (vectors / "ann").exists()


def test_help_shows_the_index_defaults():
    from wordvec.vectors.ann import DEFAULTS

    out = plain(invoke("index", "--help").stdout)
    for name, option in (("connectivity", "--connectivity"), ("expansion_add", "--expansion-add"),
                         ("expansion_search", "--expansion-search")):
        line = next(x for x in out.splitlines() if option in x)
        assert f"[default: {DEFAULTS[name]}]" in line, line  # the two-column help (cli._common.print_help)
