"""``load(..., dtype=, unicode_errors=)`` for every format (issue 15, item 3), against gensim's
``load_word2vec_format(datatype=, unicode_errors=)`` and ``load_facebook_vectors`` on the same files."""

from __future__ import annotations

import os

import numpy as np
import pytest

import wordvec
from wordvec.exceptions import FormatError
from wordvec.io import load, save, save_fasttext_bin, save_word2vec
from wordvec.vectors.keyed import KeyedVectors
from wordvec.vectors.subword import SubwordVectors

gensim = pytest.importorskip("gensim")
from gensim.models import KeyedVectors as GensimKV  # noqa: E402
from gensim.models.fasttext import load_facebook_vectors  # noqa: E402

DATA = os.path.join(os.path.dirname(gensim.__file__), "test", "test_data")
DTYPES = [np.float16, np.float32, np.float64]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """word2vec text and binary files and a GloVe file of the same vectors, with values that
    round differently in float16, float32 and float64."""
    root = tmp_path_factory.mktemp("opts")
    rng = np.random.default_rng(2)
    keys = ["the", "café", "한국어", "x"]
    # values with more digits than float32 holds: float64 parsing must keep them
    text = ["4 3"] + [f"{k} " + " ".join(f"{v:.17g}" for v in rng.standard_normal(3) * 3) for k in keys]
    (root / "hi.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    (root / "hi.glove").write_text("\n".join(text[1:]) + "\n", encoding="utf-8")
    kv = KeyedVectors(keys, rng.standard_normal((4, 3)).astype(np.float32))
    save_word2vec(kv, root / "v.bin", binary=True)
    return root


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name,binary,no_header", [("hi.txt", False, False), ("v.bin", True, False),
                                                   ("hi.glove", False, True)])
def test_dtype_matches_gensim_datatype(files, name, binary, no_header, dtype):
    path = files / name
    ours = load(path, format="glove" if no_header else None, dtype=dtype)
    theirs = GensimKV.load_word2vec_format(str(path), binary=binary, no_header=no_header, datatype=dtype)
    assert ours.index_to_key == theirs.index_to_key
    assert ours.vectors.dtype == dtype == theirs.vectors.dtype
    np.testing.assert_array_equal(ours.vectors, theirs.vectors)
    # queries work whatever the storage
    assert ours.most_similar("the", topn=1)[0][0] in ours.index_to_key


def test_float64_keeps_digits_float32_drops(files):
    wide = load(files / "hi.txt", dtype="float64").vectors
    narrow = load(files / "hi.txt").vectors
    assert narrow.dtype == np.float32
    assert (wide != narrow.astype(np.float64)).any()
    np.testing.assert_allclose(wide, narrow, rtol=1e-6)


def test_float16_overflow_is_refused_unless_allowed(tmp_path):
    (tmp_path / "big.txt").write_text("1 2\nw 70000.0 1.0\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"line 2.*float16's range"):
        load(tmp_path / "big.txt", dtype="float16")
    kv = load(tmp_path / "big.txt", dtype="float16", allow_nonfinite=True)
    theirs = GensimKV.load_word2vec_format(str(tmp_path / "big.txt"), datatype=np.float16)
    np.testing.assert_array_equal(kv.vectors, theirs.vectors)  # both infinity


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_for_native_and_fasttext(tmp_path, dtype):
    ft_path = os.path.join(DATA, "lee_fasttext_new.bin")
    sv = load(ft_path, dtype=dtype)
    assert isinstance(sv, SubwordVectors)
    assert sv.vectors.dtype == sv.word_rows.dtype == sv.ngram_rows.dtype == dtype
    reference = load_facebook_vectors(ft_path)
    tolerance = 1e-2 if dtype == np.float16 else 1e-6
    keep = [k != "</s>" for k in sv.index_to_key]
    np.testing.assert_allclose(sv.vectors[keep], reference.vectors[keep], atol=tolerance, rtol=tolerance)
    np.testing.assert_allclose(sv["unseenword"], reference["unseenword"], atol=tolerance, rtol=tolerance)
    save(load(ft_path), tmp_path / "nat")
    native = load(tmp_path / "nat", dtype=dtype)
    assert native.vectors.dtype == dtype
    np.testing.assert_array_equal(native.vectors, load(ft_path).vectors.astype(dtype))
    assert native.most_similar("night", topn=3)


def test_bad_options_are_refused(files):
    with pytest.raises(ValueError, match="dtype must be one of float16, float32, float64"):
        load(files / "hi.txt", dtype="int8")
    with pytest.raises(ValueError, match="unicode_errors"):
        load(files / "hi.txt", unicode_errors="shrug")


# --------------------------------------------------------------------------- unicode_errors
@pytest.fixture(scope="module")
def latin1(tmp_path_factory):
    """Files whose second word is latin-1 (b'caf\\xe9'), not UTF-8, in each text/binary format."""
    root = tmp_path_factory.mktemp("latin1")
    (root / "w.txt").write_bytes(b"3 2\nthe 0.5 1.5\ncaf\xe9 2.5 -1\nna\xefve\xff 1 1\n")
    (root / "w.glove").write_bytes(b"the 0.5 1.5\ncaf\xe9 2.5 -1\nna\xefve\xff 1 1\n")
    (root / "w.bin").write_bytes(b"3 2\n" + b"".join(w + b" " + np.array(v, "<f4").tobytes() + b"\n" for w, v in
                                                      [(b"the", [0.5, 1.5]), (b"caf\xe9", [2.5, -1]),
                                                       (b"na\xefve\xff", [1, 1])]))
    return root


@pytest.mark.parametrize("errors", ["replace", "ignore", "backslashreplace"])
@pytest.mark.parametrize("name,binary,no_header", [("w.txt", False, False), ("w.bin", True, False),
                                                   ("w.glove", False, True)])
def test_unicode_errors_match_gensim(latin1, name, binary, no_header, errors):
    path = latin1 / name
    ours = load(path, format="glove" if no_header else None, unicode_errors=errors)
    theirs = GensimKV.load_word2vec_format(str(path), binary=binary, no_header=no_header, unicode_errors=errors)
    assert ours.index_to_key == theirs.index_to_key
    np.testing.assert_array_equal(ours.vectors, theirs.vectors)


@pytest.mark.parametrize("name,where", [("w.txt", "line 3"), ("w.bin", "byte"), ("w.glove", "line 2")])
def test_strict_names_the_word_and_the_place(latin1, name, where):
    with pytest.raises(FormatError, match=rf"{where}.*caf\\xe9.*unicode_errors='replace'"):
        load(latin1 / name, format="glove" if name.endswith("glove") else None)


def _latin1_bin(path):
    """A fastText .bin whose word #1 is latin-1 bytes (written as UTF-8 text, then patched)."""
    rng = np.random.default_rng(4)
    sv = SubwordVectors(["the", "cafX", "night"], rng.standard_normal((3, 4)), rng.standard_normal((11, 4)),
                        min_n=2, max_n=3, bucket=11, counts=np.array([5, 4, 3]))
    save_fasttext_bin(path, sv)
    data = path.read_bytes().replace(b"cafX\0", b"caf\xe9\0")
    path.write_bytes(data)


def test_fasttext_unicode_errors_and_gensims_fallback(tmp_path):
    path = tmp_path / "latin1.bin"
    _latin1_bin(path)
    with pytest.raises(FormatError, match=r"byte \d+: entry #1 b'caf\\xe9' is not valid utf-8.*unicode_errors"):
        load(path)
    # gensim decodes a word that fails with backslashreplace (and logs an error): the same keys
    theirs = load_facebook_vectors(str(path))
    ours = load(path, unicode_errors="backslashreplace")
    assert ours.index_to_key == theirs.index_to_key == ["the", "caf\\xe9", "night"]
    keep = [0, 2]  # the rows of words whose n-grams hash the same (the decoded text is what is hashed)
    np.testing.assert_allclose(ours.vectors[keep], theirs.vectors[keep], atol=1e-6)
    assert load(path, unicode_errors="replace").index_to_key[1] == "caf\ufffd"
    assert load(path, unicode_errors="ignore").index_to_key[1] == "caf"


def test_top_level_load_takes_the_options(files, latin1):
    kv = wordvec.load(files / "hi.txt", dtype="float16")
    assert kv.vectors.dtype == np.float16
    assert wordvec.load(latin1 / "w.txt", unicode_errors="ignore").index_to_key == ["the", "caf", "nave"]
    assert wordvec.load(files / "hi.txt", limit=2, allow_nonfinite=True).index_to_key == ["the", "café"]


def test_unicode_errors_for_a_native_vocabulary(tmp_path):
    """A native ``vocab.tsv`` with a byte that is not UTF-8: refused naming the line by default,
    decoded with the handler when asked."""
    from wordvec import KeyedVectors, save
    from wordvec.io import FormatError

    kv = KeyedVectors(["alpha", "beta"], np.eye(2, dtype=np.float32))
    save(kv, tmp_path / "nat")
    vocab = tmp_path / "nat" / "vocab.tsv"
    vocab.write_bytes(vocab.read_bytes().replace(b"beta", b"b\xffta"))
    with pytest.raises(FormatError, match=r"vocab\.tsv.*line 2|line 2.*vocab\.tsv"):
        load(tmp_path / "nat")
    assert load(tmp_path / "nat", unicode_errors="replace").index_to_key == ["alpha", "b\ufffdta"]
    assert load(tmp_path / "nat", unicode_errors="ignore").index_to_key == ["alpha", "bta"]
