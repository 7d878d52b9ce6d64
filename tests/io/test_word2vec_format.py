"""word2vec.c text/binary formats: golden files, gensim interop, errors with line/offset."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import pytest

from wordvec.io import (
    FormatError,
    detect_format,
    load,
    load_word2vec,
    save,
    save_word2vec,
)
from wordvec.io import _text
from wordvec.vectors.keyed import KeyedVectors

DATA = Path(__file__).resolve().parent.parent / "data"


def gensim_data() -> Path:
    gensim = pytest.importorskip("gensim", reason="gensim is needed for golden-file comparisons")
    path = Path(gensim.__file__).parent / "test" / "test_data"
    if not path.is_dir():
        pytest.skip(f"gensim's test data is not installed at {path}")
    return path


def gensim_load(path, **kwargs):
    from gensim.models import KeyedVectors as GensimKV

    return GensimKV.load_word2vec_format(str(path), **kwargs)


def assert_same(kv, gkv):
    assert kv.index_to_key == list(gkv.index_to_key)
    assert kv.vectors.dtype == np.float32
    np.testing.assert_array_equal(kv.vectors, gkv.vectors, strict=True)


@pytest.fixture
def kv():
    keys = ["the", "café", "한국어", "naïve", "</s>", "x"]
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((len(keys), 7)).astype(np.float32)
    # awkward values: subnormal, largest float32, negative zero, values needing 9 digits
    vectors[0, :4] = [np.float32(1e-45), np.finfo(np.float32).max, -0.0, np.float32(0.1)]
    vectors[1, 0] = np.nextafter(np.float32(1), np.float32(2))
    return KeyedVectors(keys, vectors, np.array([60, 50, 40, 30, 20, 10]))


# ------------------------------------------------------------------------- golden files
GOLDEN = [
    ("toy-model.vec", False),
    ("high_precision.kv.txt", False),
    ("high_precision.kv.bin", True),
    ("crime-and-punishment.vec", False),
    ("euclidean_vectors.bin", True),
    ("poincare_vectors.bin", True),
    ("lee_fasttext.vec", False),
]


@pytest.mark.parametrize("name,binary", GOLDEN)
def test_golden_files_match_gensim_exactly(name, binary):
    path = gensim_data() / name
    assert_same(load_word2vec(path, binary=binary), gensim_load(path, binary=binary))
    assert detect_format(path) == ("word2vec-binary" if binary else "word2vec-text")


@pytest.mark.parametrize(
    "name,binary", [("crime-and-punishment.vec", False), ("euclidean_vectors.bin", True)]
)
@pytest.mark.parametrize("limit", [0, 1, 5, 100000])
def test_limit_matches_gensim(name, binary, limit):
    path = gensim_data() / name
    kv = load_word2vec(path, binary=binary, limit=limit)
    if limit == 0:  # gensim treats limit=0 as "no limit"
        assert len(kv) == 0 and kv.vectors.shape[1] > 0
        return
    assert_same(kv, gensim_load(path, binary=binary, limit=limit))


@pytest.mark.parametrize("errors", ["ignore", "replace"])
def test_unicode_errors_match_gensim(errors):
    # words cut inside a UTF-8 character, as word2vec.c produces
    path = gensim_data() / "w2v_keyedvectors_load_test.modeldata"
    with pytest.raises(FormatError, match=r"line 2: word .* is not valid utf-8"):
        load_word2vec(path)
    assert_same(
        load_word2vec(path, unicode_errors=errors), gensim_load(path, unicode_errors=errors)
    )


def test_gensim_pretrained_vec_with_short_body():
    with pytest.raises(FormatError) as info:
        load(gensim_data() / "pretrained.vec")
    assert info.value.line == 3
    assert "header announces 3" in str(info.value)


def test_fasttext_bin_is_named():
    with pytest.raises(FormatError, match="fastText .bin model"):
        load_word2vec(gensim_data() / "toy-model.bin", binary=True)


def test_word2vec_c_fixtures():
    keys = ["</s>", "the", "café", "한국어"]
    text = load(DATA / "io_w2vc.txt")  # %lf with trailing space, as word2vec.c writes
    binary = load(DATA / "io_w2vc.bin")  # "\n" after each vector, as word2vec.c writes
    assert text.index_to_key == keys == binary.index_to_key
    assert text.counts is None
    expected = np.array(
        [[0, 0, 0], [0.5, -1.25, 0.003], [-0.125, 2.0, 1e-7], [1.5, -0.75, 0.0625]],
        dtype=np.float32,
    )
    np.testing.assert_array_equal(binary.vectors, expected)
    np.testing.assert_array_equal(text.vectors, np.round(expected, 6))
    gensim_data()
    assert_same(binary, gensim_load(DATA / "io_w2vc.bin", binary=True))
    assert_same(text, gensim_load(DATA / "io_w2vc.txt"))


# ---------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_round_trip_exact(tmp_path, kv, binary, suffix):
    path = tmp_path / (("v.bin" if binary else "v.txt") + suffix)
    save_word2vec(kv, path, binary=binary)
    back = load(path)
    assert back.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(back.vectors, kv.vectors, strict=True)
    assert back.counts is None
    if suffix:
        with gzip.open(path, "rb") as f:
            assert f.readline() == b"6 7\n"


@pytest.mark.parametrize("binary", [False, True])
def test_gensim_reads_our_files(tmp_path, kv, binary):
    gensim_data()
    path = tmp_path / ("v.bin" if binary else "v.txt.gz")
    vocab = tmp_path / "vocab.txt"
    save_word2vec(kv, path, binary=binary, vocab_path=vocab)
    g = gensim_load(path, binary=binary, fvocab=str(vocab))
    assert_same(kv, g)
    assert [g.get_vecattr(k, "count") for k in kv.index_to_key] == kv.counts.tolist()


def test_text_output_is_byte_identical_to_gensim(tmp_path, kv):
    gensim_data()
    from gensim.models import KeyedVectors as GensimKV

    g = GensimKV(kv.vector_size)
    g.add_vectors(kv.index_to_key, kv.vectors)
    g.save_word2vec_format(str(tmp_path / "gensim.txt"))
    save_word2vec(kv, tmp_path / "ours.txt")
    assert (tmp_path / "ours.txt").read_bytes() == (tmp_path / "gensim.txt").read_bytes()


def test_binary_layout(tmp_path):
    kv = KeyedVectors(["a", "bé"], np.array([[1.0, -2.0], [0.5, 3.0]], dtype=np.float32))
    save(kv, tmp_path / "v.bin", format="word2vec-binary")
    expected = b"2 2\na " + np.array([1.0, -2.0], "<f4").tobytes() + b"\n"
    expected += "bé ".encode() + np.array([0.5, 3.0], "<f4").tobytes() + b"\n"
    assert (tmp_path / "v.bin").read_bytes() == expected


def test_vocab_path_round_trip_and_missing_word(tmp_path, kv):
    save_word2vec(kv, tmp_path / "v.txt", vocab_path=tmp_path / "vocab.txt")
    assert (tmp_path / "vocab.txt").read_text(encoding="utf-8").splitlines()[1] == "café 50"
    back = load_word2vec(tmp_path / "v.txt", vocab_path=tmp_path / "vocab.txt")
    np.testing.assert_array_equal(back.counts, kv.counts)
    (tmp_path / "vocab.txt").write_text("the 5\ncafé 4\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"no count for word '한국어' .*line 4"):
        load_word2vec(tmp_path / "v.txt", vocab_path=tmp_path / "vocab.txt")
    with pytest.raises(ValueError, match="counts"):
        save_word2vec(
            KeyedVectors(["a"], np.zeros((1, 2))), tmp_path / "x.txt", vocab_path=tmp_path / "c"
        )


@pytest.mark.parametrize("bad", ["two words", "tab\there", "new\nline", ""])
def test_unwritable_keys_rejected(tmp_path, bad):
    kv = KeyedVectors(["ok", bad], np.zeros((2, 2), dtype=np.float32))
    with pytest.raises(ValueError, match="key #1"):
        save_word2vec(kv, tmp_path / "v.txt")
    assert not (tmp_path / "v.txt").exists()


# -------------------------------------------------------------------------------- errors
def write(tmp_path, content: bytes, name="v.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    "content,line,message",
    [
        (b"", 1, "empty file"),
        (b"three 2\na 1 2\n", 1, "expected a header 'count dimensions'"),
        (b"1 2 3\na 1 2\n", 1, "GloVe"),
        (
            b"2 3\na 1 2 3\nb 1 2\n",
            3,
            "expected 4 fields (a word and the 3 values the header announces), found 3",
        ),
        (b"2 3\na 1 2 3\nb 1 2 3 4\n", 3, "found 5"),
        (b"2 3\na 1 2 3\nb 1 x2 3\n", 3, "field 3 is not a number: 'x2'"),
        (b"2 3\na 1 2 3\n\n", 3, "empty line"),
        (b"3 2\na 1 2\nb 3 4\n", 4, "file ends after 2 vector(s); the header announces 3"),
        (b"1 2\na 1 2\nb 3 4\n", 3, "unexpected data after the 1 vectors"),
    ],
)
def test_malformed_text(tmp_path, content, line, message):
    path = write(tmp_path, content)
    with pytest.raises(FormatError) as info:
        load_word2vec(path)
    assert info.value.line == line
    assert message in str(info.value)
    assert str(info.value).startswith(f"{path}, line {line}: ")
    assert isinstance(info.value, ValueError)


def test_text_tolerances(tmp_path):
    # \r\n line ends, trailing spaces, runs of spaces/tabs between numbers, trailing blank lines
    kv = load_word2vec(write(tmp_path, b"2 2 \r\na 1  2 \r\nb 3\t4\t\r\n\n\n"))
    assert kv.index_to_key == ["a", "b"]
    np.testing.assert_array_equal(kv.vectors, [[1, 2], [3, 4]])


def test_binary_file_read_as_text_gets_a_hint(tmp_path):
    with pytest.raises(FormatError, match="pass binary=True"):
        load_word2vec(DATA / "io_w2vc.bin")


def test_binary_truncated_reports_offset(tmp_path):
    data = (DATA / "io_w2vc.bin").read_bytes()
    third = data.index("café".encode()) - 1  # the "\n" before the word; word starts after it
    path = write(tmp_path, data[: third + 10], "cut.bin")
    with pytest.raises(FormatError) as info:
        load_word2vec(path, binary=True)
    assert info.value.offset == third
    assert "file ends inside vector 3 of the 4" in str(info.value)
    assert str(info.value).startswith(f"{path}, byte {third}: ")
    # limit stops before the damage
    assert load_word2vec(path, binary=True, limit=2).index_to_key == ["</s>", "the"]


def test_binary_trailing_garbage_and_wrong_header(tmp_path):
    data = (DATA / "io_w2vc.bin").read_bytes()
    path = write(tmp_path, data + b"junk", "extra.bin")
    with pytest.raises(FormatError) as info:
        load_word2vec(path, binary=True)
    assert info.value.offset == len(data) and "unexpected data after the 4 vectors" in str(
        info.value
    )
    assert len(load_word2vec(path, binary=True, limit=3)) == 3  # a limit stops before the junk
    path = write(
        tmp_path, b"4 2\n" + data[4:], "dims.bin"
    )  # header claims 2 dimensions, data has 3
    with pytest.raises(FormatError, match=r"byte \d+: "):
        load_word2vec(path, binary=True)


def test_binary_without_newlines_gensim_style(tmp_path):
    kv = KeyedVectors(["a", "b"], np.array([[10.0, 0.0], [1.0, 2.0]], dtype=np.float32))
    body = b"2 2\n" + b"".join(
        k.encode() + b" " + v.tobytes() for k, v in zip(kv.index_to_key, kv.vectors, strict=True)
    )
    back = load_word2vec(write(tmp_path, body, "g.bin"), binary=True)
    assert back.index_to_key == ["a", "b"]
    np.testing.assert_array_equal(back.vectors, kv.vectors)


@pytest.mark.parametrize("binary", [False, True])
def test_duplicates(tmp_path, binary):
    kv = KeyedVectors(["a", "b", "c"], np.arange(6, dtype=np.float32).reshape(3, 2))
    path = tmp_path / ("d.bin" if binary else "d.txt")
    save_word2vec(kv, path, binary=binary)
    raw = path.read_bytes().replace(b"\nc ", b"\na ")  # third entry repeats "a"
    path.write_bytes(raw)
    with pytest.warns(UserWarning, match=r"skipped 1 duplicate word\(s\), keeping the first .*'a'"):
        back = load_word2vec(path, binary=binary)
    assert back.index_to_key == ["a", "b"]
    np.testing.assert_array_equal(back.vectors, kv.vectors[:2])
    with pytest.raises(
        FormatError, match=r"duplicate word 'a' \(first at (line 2|byte 4)\)"
    ) as info:
        load_word2vec(path, binary=binary, duplicates="error")
    assert (info.value.line or info.value.offset) == (4 if not binary else raw.rindex(b"\na ") + 1)
    gensim_data()
    # gensim keeps the first too, but 4.4 leaves an unused slot (key None, zero vector) at the end
    g = gensim_load(path, binary=binary)
    assert g.index_to_key[:2] == ["a", "b"] and len(g.index_to_key) == 3
    np.testing.assert_array_equal(back.vectors, g.vectors[:2], strict=True)


# ------------------------------------------------------------------------- atomic writes
def test_failed_save_keeps_previous_file(tmp_path, kv, monkeypatch):
    path = tmp_path / "v.txt"
    save_word2vec(kv, path)
    before = path.read_bytes()
    calls = []

    def failing(row):
        calls.append(1)
        if len(calls) > 3:
            raise RuntimeError("disk full")
        return " ".join(map(str, row))

    monkeypatch.setattr(_text, "format_vector", failing)
    big = KeyedVectors([f"w{i}" for i in range(5000)], np.ones((5000, 7), dtype=np.float32))
    with pytest.raises(RuntimeError, match="disk full"):
        save_word2vec(big, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["v.txt"]  # no temporary file left behind


def test_detect_format(tmp_path, kv):
    save(kv, tmp_path / "a.vec.gz", format="word2vec-text")
    save(kv, tmp_path / "b.bin.gz", format="word2vec-binary")
    save(kv, tmp_path / "c.dat", format="word2vec-binary")  # binary without .bin: sniffed
    save(kv, tmp_path / "d.txt", format="glove")
    save(kv, tmp_path / "e", format="native")
    got = {p: detect_format(tmp_path / p) for p in ["a.vec.gz", "b.bin.gz", "c.dat", "d.txt", "e"]}
    assert got == {
        "a.vec.gz": "word2vec-text",
        "b.bin.gz": "word2vec-binary",
        "c.dat": "word2vec-binary",
        "d.txt": "glove",
        "e": "native",
    }
    for name in got:
        np.testing.assert_array_equal(load(tmp_path / name).vectors, kv.vectors)
    with pytest.raises(ValueError, match="unknown format 'w2v'"):
        save(kv, tmp_path / "x", format="w2v")
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.txt")


def test_bz2_is_read_but_not_written(tmp_path, kv):
    import bz2

    save_word2vec(kv, tmp_path / "v.txt")
    (tmp_path / "v.txt.bz2").write_bytes(bz2.compress((tmp_path / "v.txt").read_bytes()))
    np.testing.assert_array_equal(load(tmp_path / "v.txt.bz2").vectors, kv.vectors)
    with pytest.raises(ValueError, match="writing .bz2 is not supported"):
        save_word2vec(kv, tmp_path / "w.txt.bz2")


def test_limit_validation_and_missing_directory(tmp_path, kv):
    save_word2vec(kv, tmp_path / "v.txt")
    assert len(load_word2vec(tmp_path / "v.txt", limit=np.int64(2))) == 2
    with pytest.raises(ValueError, match="limit must be >= 0"):
        load_word2vec(tmp_path / "v.txt", limit=-1)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        save_word2vec(kv, tmp_path / "no" / "such" / "v.txt")


# ------------------------------------------------------------------ the memory-mapped binary reader
def _careful(monkeypatch):
    from wordvec.io import word2vec_format

    monkeypatch.setattr(word2vec_format, "_read_binary_mapped", lambda *a, **k: None)


def _outcome(path, **kwargs):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            kv = load_word2vec(path, binary=True, **kwargs)
        except FormatError as exc:
            return ("error", str(exc))
    return ("ok", kv.index_to_key, kv.vectors.tobytes(), [str(w.message) for w in caught])


def test_mapped_binary_reader_agrees_with_the_careful_one_on_every_cut_and_damage(tmp_path, monkeypatch):
    """A plain binary file is read in one compiled pass over its memory map; whatever that pass
    does not accept (a cut, a damaged byte, trailing data, a repeated or undecodable word) is read
    again by the careful reader. Same keys, bytes, warnings and error messages either way."""
    rng = np.random.default_rng(3)
    kv = KeyedVectors(["king", "왕비", "x", "queen"], rng.standard_normal((4, 3)).astype(np.float32))
    good = tmp_path / "good.bin"
    save_word2vec(kv, good, binary=True)
    data = good.read_bytes()
    variants = {"good": data, "gensim's layout": data[:4] + data[4:].replace(b"\n", b""),
                "duplicate": data.replace("왕비".encode(), b"king"),
                "bad utf-8": data.replace("왕비".encode(), b"\xff\xfe\xfd\xfc\xfb\xfa"),
                "trailing": data + b"extra"}
    x = data.index(b"\nx ") + 3
    variants["nan"] = data[:x] + np.float32("nan").tobytes() + data[x + 4:]  # named by its byte offset
    for cut in range(len(data) - 20, len(data)):
        variants[f"cut {cut}"] = data[:cut]
    for at in range(5, len(data), 7):
        variants[f"space at {at}"] = data[:at] + b" " + data[at + 1:]
    f = tmp_path / "v.bin"
    outcomes = {}
    for name, blob in variants.items():
        f.write_bytes(blob)
        for kwargs in ({}, {"limit": 2}, {"unicode_errors": "replace"}, {"duplicates": "error"}):
            outcomes[name, str(kwargs)] = _outcome(f, **kwargs)
    with monkeypatch.context() as m:
        _careful(m)
        for name, blob in variants.items():
            f.write_bytes(blob)
            for kwargs in ({}, {"limit": 2}, {"unicode_errors": "replace"}, {"duplicates": "error"}):
                assert _outcome(f, **kwargs) == outcomes[name, str(kwargs)], (name, kwargs)
    kinds = {o[0] for o in outcomes.values()}
    assert kinds == {"ok", "error"}
    assert outcomes["good", "{}"][1] == ["king", "왕비", "x", "queen"]
    assert outcomes["duplicate", "{}"][3] and "duplicate" in outcomes["duplicate", "{}"][3][0]
    assert outcomes["nan", "{}"][0] == "error" and f"byte {x - 2}:" in outcomes["nan", "{}"][1]


def test_mapped_binary_reader_is_used_for_plain_files(tmp_path, monkeypatch):
    from wordvec.io import word2vec_format

    calls = []
    real = word2vec_format._read_binary_mapped
    monkeypatch.setattr(word2vec_format, "_read_binary_mapped", lambda *a, **k: calls.append(1) or real(*a, **k))
    kv = KeyedVectors(["a", "b"], np.eye(2, dtype=np.float32))
    save_word2vec(kv, tmp_path / "v.bin", binary=True)
    save_word2vec(kv, tmp_path / "v.bin.gz", binary=True)
    for name in ("v.bin", "v.bin.gz"):
        got = load_word2vec(tmp_path / name, binary=True)
        assert got.index_to_key == ["a", "b"] and np.array_equal(got.vectors, kv.vectors)
        assert got.key_to_index == {"a": 0, "b": 1}
    assert calls == [1]  # the plain file only; the .gz is streamed
