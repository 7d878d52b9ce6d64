"""Stanford GloVe text format: golden files, gensim interop, errors with line numbers."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from wordvec.io import (
    FormatError,
    detect_format,
    load,
    load_glove,
    save_glove,
)
from wordvec.io import _text
from wordvec.vectors.keyed import KeyedVectors

DATA = Path(__file__).resolve().parent.parent / "data"


def gensim_glove(path, **kwargs):
    gensim = pytest.importorskip("gensim", reason="gensim is needed for golden-file comparisons")
    from gensim.models import KeyedVectors as GensimKV

    del gensim
    return GensimKV.load_word2vec_format(str(path), no_header=True, **kwargs)


def gensim_test_glove() -> Path:
    gensim = pytest.importorskip("gensim", reason="gensim is needed for golden-file comparisons")
    path = Path(gensim.__file__).parent / "test" / "test_data" / "test_glove.txt"
    if not path.is_file():
        pytest.skip(f"gensim's test data is not installed at {path}")
    return path


def assert_same(kv, gkv):
    assert kv.index_to_key == list(gkv.index_to_key)
    np.testing.assert_array_equal(kv.vectors, gkv.vectors, strict=True)


def test_golden_stanford_file_matches_gensim():
    path = gensim_test_glove()
    kv = load_glove(path)
    assert (len(kv), kv.vector_size) == (76, 50)
    assert_same(kv, gensim_glove(path))
    assert detect_format(path) == "glove"
    assert_same(load_glove(path, limit=10), gensim_glove(path, limit=10))


def test_stanford_style_fixture_with_spaces_in_words():
    kv = load(DATA / "io_glove.txt")
    assert kv.index_to_key == ["the", ",", "café", "한국어", ". . .", "at name@domain.com"]
    assert kv.counts is None
    np.testing.assert_array_equal(kv[". . ."], np.array([0.001, 7.0], dtype=np.float32))
    np.testing.assert_array_equal(kv["한국어"], np.array([0.0, -0.0], dtype=np.float32))
    assert np.signbit(kv["한국어"][1])


def test_round_trip_and_gensim_reads_it(tmp_path):
    rng = np.random.default_rng(1)
    keys = ["the", "café", "한국어", "naïve"]
    vectors = rng.standard_normal((4, 5)).astype(np.float32)
    vectors[0, 0] = np.float32(1e-45)
    kv = KeyedVectors(keys, vectors)
    for name in ["g.txt", "g.txt.gz"]:
        save_glove(kv, tmp_path / name)
        back = load_glove(tmp_path / name)
        assert back.index_to_key == keys
        np.testing.assert_array_equal(back.vectors, vectors, strict=True)
    first = (tmp_path / "g.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("the 1e-45 ") and len(first.split(" ")) == 6
    assert_same(kv, gensim_glove(tmp_path / "g.txt"))


@pytest.mark.parametrize("limit,expected", [(0, 0), (2, 2), (100, 6)])
def test_limit(limit, expected):
    kv = load_glove(DATA / "io_glove.txt", limit=limit)
    assert len(kv) == expected and kv.vector_size == 2


@pytest.mark.parametrize(
    "content,line,message",
    [
        (b"", 1, "empty file"),
        (b"\n\n", 1, "empty file"),
        (b"alone\n", 1, "expected a word followed by at least one value"),
        (b"400000 300\nthe 1 2\n", 1, "looks like a word2vec header"),
        (b"a 1 2 3\nb 1 2\n", 2, "expected 4 fields (a word and 3 values, as on line 1), found 3"),
        (b"a 1 2 3\nb 1 2 3 4\n", 2, "found 5"),
        (b"a 1 2\nb 1 2\nc 1 two\n", 3, "field 3 is not a number: 'two'"),
        (b"a 1 2\n\nb 1 2\n", 2, "empty line"),
    ],
)
def test_malformed(tmp_path, content, line, message):
    path = tmp_path / "g.txt"
    path.write_bytes(content)
    with pytest.raises(FormatError) as info:
        load_glove(path)
    assert info.value.line == line
    assert message in str(info.value)
    assert str(info.value).startswith(f"{path}, line {line}: ")


def test_trailing_blank_lines_and_crlf(tmp_path):
    path = tmp_path / "g.txt"
    path.write_bytes(b"a 1 2 \r\nb\t3  4\r\n\n\n")
    kv = load_glove(path)
    assert kv.index_to_key == ["a", "b"]
    np.testing.assert_array_equal(kv.vectors, [[1, 2], [3, 4]])


def test_unicode_errors(tmp_path):
    path = tmp_path / "g.txt"
    path.write_bytes(b"ok 1\ncaf\xc3 2\n")  # word cut inside a UTF-8 character
    with pytest.raises(FormatError, match=r"line 2: word b'caf\\xc3' is not valid utf-8"):
        load_glove(path)
    assert load_glove(path, unicode_errors="ignore").index_to_key == ["ok", "caf"]
    assert load_glove(path, unicode_errors="replace").index_to_key == ["ok", "caf\ufffd"]


def test_duplicates(tmp_path):
    path = tmp_path / "g.txt"
    path.write_bytes(b"a 1\nb 2\na 3\n")
    with pytest.warns(UserWarning, match=r"'a' at line 3, first at line 1"):
        kv = load_glove(path)
    assert kv.index_to_key == ["a", "b"] and kv["a"][0] == 1
    with pytest.raises(FormatError, match=r"line 3: duplicate word 'a' \(first at line 1\)"):
        load_glove(path, duplicates="error")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_key_map_after_duplicates_and_dtypes(tmp_path, dtype):
    # The float32 load hands the reader's own key map to the vectors (no second dictionary); both
    # paths must map every key to its row, the duplicate skipped.
    path = tmp_path / "g.txt"
    path.write_bytes(b"a 1 0\nb 2 0\na 3 0\nc 4 0\n")
    with pytest.warns(UserWarning):
        kv = load_glove(path, dtype=dtype)
    assert kv.key_to_index == {"a": 0, "b": 1, "c": 2}
    assert kv.vectors.dtype == dtype and [kv[k][0] for k in "abc"] == [1, 2, 4]
    assert kv.most_similar("c", topn=1)[0][0] in {"a", "b"}


def test_keys_with_spaces_rejected_on_save(tmp_path):
    kv = KeyedVectors(["a b"], np.zeros((1, 2), dtype=np.float32))
    with pytest.raises(ValueError, match="key #0 'a b' contains whitespace"):
        save_glove(kv, tmp_path / "g.txt")
    assert os.listdir(tmp_path) == []


def test_failed_save_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "g.txt"
    path.write_bytes(b"old 1 2\n")

    def failing(row):
        raise RuntimeError("disk full")

    monkeypatch.setattr(_text, "format_vector", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        save_glove(KeyedVectors(["new"], np.zeros((1, 2), dtype=np.float32)), path)
    assert path.read_bytes() == b"old 1 2\n"
    assert os.listdir(tmp_path) == ["g.txt"]
