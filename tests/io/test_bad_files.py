"""Bad vector files reported by users, one test each: every loader refuses them with one clear
:class:`FormatError` naming the file and the line or byte offset, and never loads them silently.

The cases (truncated text files, lying headers, damaged ``.npy``/``.gz``/``.npz``/fastText files,
NaN and infinity, a text corpus given where vectors are expected) come from the issue on loaders;
``test_fuzz_loaders.py`` covers the same ground at random.
"""

from __future__ import annotations

import gzip
import math
import shutil
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

from wordvec.cooccur import Cooccurrence
from wordvec.exceptions import FormatError
from wordvec.io import (load, load_fasttext_bin, load_glove, load_native, load_word2vec, save, save_fasttext_bin,
                        save_native)
from wordvec.vectors.keyed import KeyedVectors
from wordvec.vectors.subword import SubwordVectors


@pytest.fixture(scope="module")
def kv() -> KeyedVectors:
    rng = np.random.default_rng(7)
    keys = [f"w{i}" for i in range(300)]
    return KeyedVectors(keys, rng.standard_normal((300, 50)).astype(np.float32), np.arange(300, 0, -1))


@pytest.fixture(scope="module")
def files(kv, tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("valid")
    out = {"glove": d / "g.txt", "text": d / "w.txt", "binary": d / "w.bin", "gz": d / "w.txt.gz",
           "native": d / "native"}
    save(kv, out["glove"], format="glove")
    save(kv, out["text"], format="word2vec-text")
    save(kv, out["binary"], format="word2vec-binary")
    save(kv, out["gz"], format="word2vec-text")
    save(kv, out["native"])
    return out


def refused(match: str, call, *args, **kwargs) -> FormatError:
    with pytest.raises(FormatError, match=match or None) as info:
        call(*args, **kwargs)
    return info.value


def copy_native(files, tmp_path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(files["native"], target)
    return target


# ------------------------------------------------------------------------- item 1: truncation
def test_glove_cut_to_14_bytes(files, tmp_path):
    path = tmp_path / "g.txt"
    path.write_bytes(files["glove"].read_bytes()[:14])
    err = refused("truncated", load_glove, path)
    assert err.line == 1 and str(err).startswith(f"{path}, line 1: ")


def test_glove_cut_after_a_value_and_its_space_is_still_refused(tmp_path):
    # "the -0.038194 -0.24487" cut to 14 bytes ends with a space: it would load as 1 x 1
    path = tmp_path / "g.txt"
    path.write_bytes(b"the -0.038194 -0.24487 0.72812\n"[:14])
    assert refused("truncated", load_glove, path).line == 1


def test_half_a_glove_file(files, tmp_path):
    data = files["glove"].read_bytes()
    path = tmp_path / "g.txt"
    path.write_bytes(data[: len(data) // 2])
    err = refused("file ends inside this line", load_glove, path)
    assert err.line == data[: len(data) // 2].count(b"\n") + 1


def test_word2vec_text_missing_its_last_5_bytes(files, tmp_path):
    data = files["text"].read_bytes()
    path = tmp_path / "w.txt"
    path.write_bytes(data[:-5])
    assert refused("truncated", load_word2vec, path).line == 301


def test_word2vec_text_without_its_final_newline_is_refused(files, tmp_path):
    # "0.2318" cut from "0.23180827" still parses: only the missing line end tells
    path = tmp_path / "w.txt"
    path.write_bytes(files["text"].read_bytes()[:-1])
    assert refused("may have been cut short", load_word2vec, path).line == 301


def test_last_line_ending_in_a_space_without_newline_loads(tmp_path):
    # word2vec.c writes "%lf " per value: a file that lost only its last "\n" is whole
    path = tmp_path / "w.txt"
    path.write_bytes(b"2 2\na 0.5 1.5 \nb 2.5 3.5 ")
    np.testing.assert_array_equal(load_word2vec(path).vectors, [[0.5, 1.5], [2.5, 3.5]])
    path.write_bytes(b"a 0.5 1.5\nb 2.5 3.5 ")
    np.testing.assert_array_equal(load_glove(path).vectors, [[0.5, 1.5], [2.5, 3.5]])


def test_short_last_line_without_newline(tmp_path):
    path = tmp_path / "g.txt"
    path.write_bytes(b"a 1 2 3\nb 1 2 ")
    assert refused(r"file ends inside this line, after 3 of its 4 fields", load_glove, path).line == 2
    path.write_bytes(b"2 3\na 1 2 3\nb 1 2 ")
    assert refused(r"file ends inside this line, after 3 of its 4 fields", load_word2vec, path).line == 3


def test_word2vec_fewer_rows_than_the_header(files, tmp_path):
    lines = files["text"].read_bytes().splitlines(keepends=True)
    path = tmp_path / "w.txt"
    path.write_bytes(b"".join(lines[:151]))
    assert refused("file ends after 150 vector", load_word2vec, path).line == 152


# ------------------------------------------------------------ item 4: headers claiming too much
@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("compressed", [False, True])
def test_header_claiming_10_12_rows(files, tmp_path, binary, compressed):
    data = files["binary" if binary else "text"].read_bytes()
    body = b"1000000000000 50\n" + data.split(b"\n", 1)[1]
    path = tmp_path / ("w.bin" if binary else "w.txt")
    if compressed:
        path = path.with_name(path.name + ".gz")
        body = gzip.compress(body)
    path.write_bytes(body)
    err = refused(r"file ends (after 300 vector\(s\); the header announces|inside vector 301 of the) 1000000000000",
                  load_word2vec, path, binary=binary)
    assert (err.offset if binary else err.line) is not None


@pytest.mark.parametrize("binary", [False, True])
def test_header_claiming_huge_dimension(files, tmp_path, binary):
    data = files["binary" if binary else "text"].read_bytes()
    path = tmp_path / "w.bin"
    path.write_bytes(b"1 1000000000000\n" + data.split(b"\n", 1)[1])
    err = refused("", load_word2vec, path, binary=binary)
    assert err.line == 2 or err.offset is not None


def test_empty_vectors_npy(files, tmp_path):
    d = copy_native(files, tmp_path)
    (d / "vectors.npy").write_bytes(b"")
    err = refused("empty file", load_native, d)
    assert err.path.endswith("vectors.npy") and err.offset == 0


@pytest.mark.parametrize("mmap", [True, False])
def test_truncated_vectors_npy(files, tmp_path, mmap):
    d = copy_native(files, tmp_path)
    data = (d / "vectors.npy").read_bytes()
    (d / "vectors.npy").write_bytes(data[: len(data) // 2])
    err = refused("truncated", load_native, d, mmap=mmap)
    assert err.path.endswith("vectors.npy") and err.offset == len(data) // 2


def test_corrupt_npy_header(files, tmp_path):
    d = copy_native(files, tmp_path)
    data = (d / "vectors.npy").read_bytes()
    start = data.index(b"{")
    (d / "vectors.npy").write_bytes(data[:start] + b"{'descr': '''" + data[start + 13:])  # a TokenError in numpy
    err = refused("corrupt header", load_native, d)
    assert err.path.endswith("vectors.npy") and err.offset == 0


def test_truncated_gz(files, tmp_path):
    data = files["gz"].read_bytes()
    path = tmp_path / "w.txt.gz"
    path.write_bytes(data[: len(data) // 2])
    err = refused(r"the \.gz data is damaged or truncated", load_word2vec, path)
    assert err.line is not None and err.line > 1
    with pytest.raises(FormatError, match="truncated"):
        load(path)  # with format detection too


def test_damaged_gz(files, tmp_path):
    data = bytearray(files["gz"].read_bytes())
    data[40:60] = bytes(20)
    path = tmp_path / "w.txt.gz"
    path.write_bytes(bytes(data))
    refused("damaged", load, path)


@pytest.fixture
def fasttext_bin(tmp_path) -> bytes:
    rng = np.random.default_rng(3)
    sv = SubwordVectors(["a", "bb", "ccc"], rng.standard_normal((3, 4)), rng.standard_normal((5, 4)), min_n=1,
                        max_n=2, bucket=5)
    save_fasttext_bin(tmp_path / "m.bin", sv)
    return (tmp_path / "m.bin").read_bytes()


# the 12 int32 arguments start at byte 8: dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate
@pytest.mark.parametrize("field,value,message", [
    (10, 2**31 - 1, "maxn=2147483647"),
    (9, 0, "minn=0"),
    (0, 2**30, "dim=1073741824"),
    (8, 2**31 - 1, "bucket=2147483647"),
    (2, -1, "negative epoch=-1"),
])
def test_fasttext_absurd_header_values(tmp_path, fasttext_bin, field, value, message):
    data = bytearray(fasttext_bin)
    struct.pack_into("<i", data, 8 + 4 * field, value)
    path = tmp_path / "bad.bin"
    path.write_bytes(bytes(data))
    err = refused(f"invalid model arguments.*{message}", load_fasttext_bin, path)
    assert err.offset == 8
    refused(message, load, path)


def test_fasttext_dictionary_larger_than_the_file(tmp_path, fasttext_bin):
    data = bytearray(fasttext_bin)
    struct.pack_into("<2i", data, 64, 2**31 - 1, 2**31 - 1)  # size, nwords
    path = tmp_path / "bad.bin"
    path.write_bytes(bytes(data))
    assert refused("invalid dictionary size", load_fasttext_bin, path).offset == 64


def test_fasttext_matrix_shape_without_bytes(tmp_path, fasttext_bin):
    # (2^62, 0) needs 0 bytes of data, but numpy cannot even describe such an array
    data = bytearray(fasttext_bin)
    at = 92 + len(b"a\0bb\0ccc\0") + 3 * 9 + 1  # after the dictionary and the quantization flag
    assert struct.unpack_from("<2q", data, at) == (3 + 5, 4)
    struct.pack_into("<2q", data, at, 2**62, 0)
    path = tmp_path / "bad.bin"
    path.write_bytes(bytes(data))
    err = refused(r"input matrix has shape \(4611686018427387904, 0\), expected \(3 words \+ 5 buckets, 4\)",
                  load_fasttext_bin, path)
    assert err.offset == at


def cooccurrence(keys=("a", "b")) -> Cooccurrence:
    return Cooccurrence(np.array([0, 1], dtype=np.int32), np.array([1, 0], dtype=np.int32),
                        np.array([2.0, 2.0], dtype=np.float32), list(keys), np.array([5, 3]), {"window": 2})


def with_member(path: Path, name: str, data: bytes) -> bytes:
    """The .npz at ``path`` with member ``name`` replaced by ``data`` (a valid zip: CRCs match)."""
    out = path.with_name("rebuilt.npz")
    with zipfile.ZipFile(path) as src:
        members = {info.filename: src.read(info) for info in src.infolist()}
    members[name] = data
    with zipfile.ZipFile(out, "w") as dst:
        for member, content in members.items():
            dst.writestr(member, content)
    return out.read_bytes()


def npy_bytes(header: bytes, body: bytes = b"") -> bytes:
    header = header + b" " * ((64 - (10 + len(header) + 1) % 64) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + body


INT_HEADER = b"{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }"


@pytest.mark.parametrize("damage,message", [
    ("truncated", "not a readable co-occurrence file"),
    ("garbage", "not a readable co-occurrence file"),
    ("flipped byte", "damaged"),
    ("member header", "member 'row': corrupt .npy header"),
    ("huge shape", r"member 'col': the header announces \(1000000000000,\)"),
    ("duplicate key", r"key #1 'a' repeats key #0"),
    ("unsorted", "not sorted"),
])
def test_broken_npz_for_glove(tmp_path, damage, message):
    import wordvec

    path = tmp_path / "m.npz"
    cooccurrence(["a", "a"] if damage == "duplicate key" else ["a", "b"]).save(path)
    data = path.read_bytes()
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = b"PK\x03\x04" + bytes(100)
    elif damage == "flipped byte":
        at = data.index(b"'descr'")
        data = data[:at] + b"'dexcr'" + data[at + 7:]  # same length: the CRC no longer matches
    elif damage == "member header":
        data = with_member(path, "row.npy", npy_bytes(INT_HEADER.replace(b"'<i4'", b"'''<i4'")))
    elif damage == "huge shape":
        data = with_member(path, "col.npy", npy_bytes(INT_HEADER.replace(b"(2,)", b"(1000000000000,)"), bytes(8)))
    elif damage == "unsorted":
        path.write_bytes(with_member(path, "col.npy", npy_bytes(INT_HEADER, np.array([1, 1], "<i4").tobytes())))
        data = with_member(path, "row.npy", npy_bytes(INT_HEADER, np.array([1, 0], "<i4").tobytes()))
    broken = tmp_path / "broken.npz"
    broken.write_bytes(data)
    err = refused(message, Cooccurrence.load, broken)
    assert err.path == str(broken) and err.offset is not None
    with pytest.raises(FormatError, match=message):  # what `wordvec train broken.npz --model glove` runs
        wordvec.GloVe(vector_size=4, epochs=1).fit_cooccurrence(broken)


def test_config_json_not_utf8(files, tmp_path):
    d = copy_native(files, tmp_path)
    config = (d / "config.json").read_bytes()
    (d / "config.json").write_bytes(config.replace(b'"kind"', b'"\xff\xfeind"'))
    err = refused("not valid UTF-8", load_native, d)
    assert err.path.endswith("config.json") and err.line == config[: config.index(b'"kind"')].count(b"\n") + 1


def test_duplicate_key_in_vocab_tsv(files, tmp_path):
    d = copy_native(files, tmp_path)
    vocab = (d / "vocab.tsv").read_bytes()
    (d / "vocab.tsv").write_bytes(vocab.replace(b"w3\t", b"w1\t", 1))
    err = refused(r"duplicate key 'w1' \(first on line 2\)", load_native, d)
    assert err.path.endswith("vocab.tsv") and err.line == 4


# -------------------------------------------------------------------------- item 5: NaN and inf
def nan_kv() -> KeyedVectors:
    vectors = np.array([[1, 0], [np.nan, 1], [0.9, 0.1], [np.inf, 0], [0, 1]], dtype=np.float32)
    return KeyedVectors(["a", "nan", "b", "inf", "c"], vectors)


@pytest.mark.parametrize("format,where", [("word2vec-text", "line"), ("word2vec-binary", "offset"),
                                          ("glove", "line"), ("native", "offset")])
def test_nonfinite_vectors_refused_then_allowed(tmp_path, format, where):
    path = tmp_path / ("v" if format == "native" else "v.bin" if "binary" in format else "v.txt")
    save(nan_kv(), path, format=format)
    err = refused(r"holds NaN.*allow_nonfinite=True", load, path, format=format)
    assert getattr(err, where) is not None
    if where == "line":
        assert err.line == (3 if format == "word2vec-text" else 2)  # the first bad row, "nan"
    kv = load(path, format=format, allow_nonfinite=True)
    assert np.isnan(kv["nan"]).any() and np.isinf(kv["inf"]).any()
    result = kv.most_similar("a", topn=10)
    assert [k for k, _ in result] == ["b", "c"]  # the NaN and inf rows have no similarity
    assert all(math.isfinite(s) for _, s in result)
    assert kv.most_similar("nan") == []
    assert all(math.isfinite(s) for _, s in kv.most_similar_cosmul("a", topn=10))


def test_infinite_text_value_refused(tmp_path):
    path = tmp_path / "v.txt"
    path.write_bytes(b"2 2\na 1 2\nb 1e39 3\n")  # beyond float32's range
    assert refused("infinity", load_word2vec, path).line == 3


def test_nonfinite_fasttext_refused_then_allowed(tmp_path, fasttext_bin):
    data = bytearray(fasttext_bin)
    at = len(data) - (3 * 4 * 4) - 17 - (5 * 4 * 4) - (3 * 4 * 4)  # the input matrix's first row
    struct.pack_into("<f", data, at, float("nan"))
    path = tmp_path / "nan.bin"
    path.write_bytes(bytes(data))
    err = refused(r"row 0 \(word 'a'\) of the input matrix holds NaN", load_fasttext_bin, path)
    assert err.offset == at
    sv = load_fasttext_bin(path, allow_nonfinite=True).vectors
    assert np.isnan(sv["a"]).any()
    assert all(math.isfinite(s) for _, s in sv.most_similar("bb"))


def test_nonfinite_native_subword_refused(tmp_path):
    sv = SubwordVectors(["a", "bb"], np.array([[1, np.nan], [0, 1]]), np.ones((3, 2)), min_n=1, max_n=2, bucket=3)
    save_native(sv, tmp_path / "d")
    err = refused(r"row 0 \(key 'a'\) holds NaN", load_native, tmp_path / "d")
    assert err.path.endswith("word_rows.npy")
    assert load_native(tmp_path / "d", allow_nonfinite=True).most_similar("bb") == []


# ---------------------------------------------------------------- item 7: not a vectors file
@pytest.fixture
def corpus(tmp_path) -> Path:
    path = tmp_path / "corpus.txt"
    path.write_text("the king ruled the land\nand the queen ruled too\n")
    return path


def test_text_corpus_is_not_a_vectors_file(corpus):
    err = refused("does not look like a vectors file", load, corpus)
    assert err.line == 1 and "COUNT DIM" in str(err) and "'the king ruled the land'" in str(err)
    err = refused("does not look like a word2vec vectors file", load, corpus, format="word2vec-text")
    assert err.line == 1


def test_cli_similar_on_a_corpus_says_not_a_vectors_file(corpus):
    from typer.testing import CliRunner

    from wordvec.cli.app import app

    result = CliRunner().invoke(app, ["similar", str(corpus), "king"], env={"COLUMNS": "200"})
    assert result.exit_code != 0
    assert "does not look like a vectors file" in result.output + getattr(result, "stderr", "")
    assert "Traceback" not in result.output
