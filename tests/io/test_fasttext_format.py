"""Facebook fastText .bin models (io/fasttext_format.py) and SubwordVectors in the native format.

Golden files are the fastText-written models that gensim's wheel ships as test data: our vectors
must equal the ``.vec`` file fastText wrote next to ``lee_fasttext.bin`` and gensim's
``load_facebook_model(...).wv`` for vocabulary and out-of-vocabulary words. One known
difference: current fastText (dictionary.cc ``initNgrams``) gives the end-of-sentence token
``</s>`` no n-grams, which we follow; gensim (and the 2016 fastText that wrote the legacy test
files) averages n-grams for it too, so ``</s>`` is compared separately.
"""

from __future__ import annotations

import os
import struct

import numpy as np
import pytest

from wordvec.io import (
    FormatError,
    detect_format,
    load,
    load_fasttext_bin,
    load_word2vec,
    save,
    save_fasttext_bin,
    save_fasttext_vec,
)
from wordvec.io.fasttext_format import FASTTEXT_MAGIC
from wordvec.vectors.subword import SubwordVectors

gensim = pytest.importorskip("gensim")
from gensim.models.fasttext import load_facebook_model

DATA = os.path.join(os.path.dirname(gensim.__file__), "test", "test_data")
# (file, encoding): legacy (pre-magic) files and one version-11 file with the magic number
MODELS = [("lee_fasttext.bin", "utf-8"), ("lee_fasttext_new.bin", "utf-8"),
          ("non_ascii_fasttext.bin", "utf-8"), ("cp852_fasttext.bin", "cp852")]
OOV = ["unseenword", "영화가", "night", "nights", "xyzzy", "q"]


@pytest.fixture(scope="module")
def gensim_wv():
    cache = {}

    def get(name, encoding="utf-8"):
        if name not in cache:
            cache[name] = load_facebook_model(os.path.join(DATA, name), encoding=encoding).wv
        return cache[name]
    return get


def load_model(name, encoding="utf-8"):
    return load_fasttext_bin(os.path.join(DATA, name), encoding=encoding)


def check_against_gensim(sv, wv):
    assert sv.index_to_key == wv.index_to_key
    eos = sv.key_to_index.get("</s>")
    keep = np.ones(len(sv), dtype=bool)
    if eos is not None:
        keep[eos] = False
        np.testing.assert_array_equal(sv.vectors[eos], sv.word_rows[eos])
    np.testing.assert_allclose(sv.vectors[keep], wv.vectors[keep], atol=1e-5, rtol=0)
    for word in OOV:
        assert sv.is_oov(word) == (word not in wv.key_to_index)
        np.testing.assert_allclose(sv[word], wv[word], atol=1e-5, rtol=0)


@pytest.mark.parametrize("name,encoding", MODELS)
def test_golden_models_match_gensim(name, encoding, gensim_wv):
    ft = load_model(name, encoding)
    sv = ft.vectors
    assert isinstance(sv, SubwordVectors)
    assert (sv.min_n, sv.max_n, sv.bucket, sv.vector_size) == (
        ft.args["minn"], ft.args["maxn"], ft.args["bucket"], ft.args["dim"])
    assert ft.output.shape == (len(sv), sv.vector_size) and ft.output.dtype == np.float32
    assert ft.args["model"] == "sg" and ft.args["loss"] == "ns"
    check_against_gensim(sv, gensim_wv(name, encoding))


def test_lee_model_matches_the_vec_file_fasttext_wrote():
    sv = load_model("lee_fasttext.bin").vectors
    vec = load_word2vec(os.path.join(DATA, "lee_fasttext.vec"))
    assert vec.index_to_key == sv.index_to_key
    keep = [k != "</s>" for k in vec.index_to_key]
    # .vec values carry 5 significant digits
    np.testing.assert_allclose(sv.vectors[keep], vec.vectors[keep], rtol=1e-4, atol=1e-5)
    ft = load_model("lee_fasttext.bin")
    assert (ft.ntokens, int(ft.vectors.counts.sum()) > 0) == (60189, True)
    assert ft.args == {"dim": 10, "ws": 5, "epoch": 5, "minCount": 5, "neg": 5, "wordNgrams": 1,
                       "loss": "ns", "model": "sg", "bucket": 1000, "minn": 3, "maxn": 6,
                       "lrUpdateRate": 10000, "t": pytest.approx(1e-4)}


@pytest.fixture(scope="module")
def lee():
    return load_model("lee_fasttext_new.bin")


def assert_same(a: SubwordVectors, b: SubwordVectors):
    assert a.index_to_key == b.index_to_key
    assert (a.min_n, a.max_n, a.bucket) == (b.min_n, b.max_n, b.bucket)
    np.testing.assert_array_equal(a.word_rows, b.word_rows)
    np.testing.assert_array_equal(a.ngram_rows, b.ngram_rows)
    np.testing.assert_array_equal(a.vectors, b.vectors)
    np.testing.assert_array_equal(a.counts, b.counts)


def test_bin_round_trip_is_exact_and_gensim_reads_it(tmp_path, lee):
    path = tmp_path / "model.bin"
    save_fasttext_bin(path, lee.vectors, lee.output, lee.args, ntokens=lee.ntokens)
    back = load_fasttext_bin(path)
    assert_same(back.vectors, lee.vectors)
    np.testing.assert_array_equal(back.output, lee.output)
    assert back.args == lee.args and back.ntokens == lee.ntokens
    with open(path, "rb") as f:
        assert struct.unpack("<2i", f.read(8)) == (FASTTEXT_MAGIC, 12)
    check_against_gensim(back.vectors, load_facebook_model(str(path)).wv)
    assert detect_format(path) == "fasttext-bin"
    assert_same(load(path), lee.vectors)
    short = load(path, limit=5)
    assert short.index_to_key == lee.vectors.index_to_key[:5]
    np.testing.assert_array_equal(short.vectors, lee.vectors.vectors[:5])
    np.testing.assert_array_equal(short["unseenword"], lee.vectors["unseenword"])


def test_save_builds_args_from_vectors(tmp_path, lee):
    path = tmp_path / "m.bin"
    save(lee.vectors, path, format="fasttext-bin")  # zero output matrix, fastText default args
    back = load_fasttext_bin(path)
    assert_same(back.vectors, lee.vectors)
    assert not back.output.any() and back.args["lrUpdateRate"] == 100 and back.args["minn"] == 3
    assert back.ntokens == int(lee.vectors.counts.sum())
    with pytest.raises(ValueError, match="bucket"):
        save_fasttext_bin(path, lee.vectors, None, {"bucket": 5})
    with pytest.raises(ValueError, match="output"):
        save_fasttext_bin(path, lee.vectors, np.zeros((2, 10), np.float32))
    with pytest.raises(TypeError):
        save(load_word2vec(os.path.join(DATA, "lee_fasttext.vec")), path, format="fasttext-bin")


def test_vec_file_round_trip(tmp_path, lee):
    save_fasttext_vec(tmp_path / "m.vec", lee.vectors)
    back = load_word2vec(tmp_path / "m.vec")
    assert back.index_to_key == lee.vectors.index_to_key
    np.testing.assert_array_equal(back.vectors, lee.vectors.vectors)


def test_native_round_trip_keeps_ngrams(tmp_path, lee, is_file_backed):
    save(lee.vectors, tmp_path / "nat")
    back = load(tmp_path / "nat")
    assert isinstance(back, SubwordVectors)
    assert_same(back, lee.vectors)
    assert is_file_backed(back.ngram_rows) and not back.ngram_rows.flags.writeable
    assert not is_file_backed(load(tmp_path / "nat", mmap=False).ngram_rows)
    np.testing.assert_array_equal(back["unseenword"], lee.vectors["unseenword"])
    short = load(tmp_path / "nat", limit=10)
    assert short.index_to_key == lee.vectors.index_to_key[:10]
    np.testing.assert_array_equal(short.vectors, lee.vectors.vectors[:10])
    np.testing.assert_array_equal(short["unseenword"], lee.vectors["unseenword"])
    (tmp_path / "nat" / "ngrams.npy").unlink()
    with pytest.raises(FormatError, match="ngrams.npy"):
        load(tmp_path / "nat")


# ------------------------------------------------------------------------------ bad files
@pytest.fixture(scope="module")
def small_bin(tmp_path_factory):
    rng = np.random.default_rng(3)
    keys = ["a", "bb", "ccc"]
    sv = SubwordVectors(keys, rng.standard_normal((3, 4)), rng.standard_normal((5, 4)), min_n=1, max_n=2,
                        bucket=5, counts=np.array([3, 2, 1]))
    path = tmp_path_factory.mktemp("small") / "small.bin"
    save_fasttext_bin(path, sv, rng.standard_normal((3, 4)).astype(np.float32))
    return path, path.read_bytes()


# header 8 + args 56 + dictionary sizes 28, then "a\0" + 9 bytes
ARGS_AT, DICT_AT, ENTRIES_AT = 8, 64, 92


@pytest.mark.parametrize("cut", [0, 3, 8, 40, 70, ENTRIES_AT + 1, ENTRIES_AT + 5, 140, -1])
def test_truncated_file_reports_offset(tmp_path, small_bin, cut):
    data = small_bin[1]
    path = tmp_path / "cut.bin"
    path.write_bytes(data[:cut] if cut >= 0 else data[:-1])
    with pytest.raises(FormatError) as err:
        load_fasttext_bin(path)
    assert err.value.offset is not None and err.value.offset <= len(data)
    assert "truncated" in str(err.value) or "empty" in str(err.value) or "not a fastText" in str(err.value)


def patched(tmp_path, data, offset, fmt, value):
    data = bytearray(data)
    struct.pack_into(fmt, data, offset, value)
    path = tmp_path / "bad.bin"
    path.write_bytes(bytes(data))
    return path


def test_corrupt_files(tmp_path, small_bin):
    data = small_bin[1]
    cases = [
        (4, "<i", 13, "version 13"),
        (ARGS_AT + 7 * 4, "<i", 3, "supervised"),  # model = sup
        (ARGS_AT + 6 * 4, "<i", 9, "invalid model arguments"),  # loss
        (DICT_AT + 8, "<i", 1, "invalid dictionary sizes"),  # nlabels (labels after the words are legal)
        (DICT_AT + 20, "<q", 4, "pruned"),  # pruneidx_size
        (ENTRIES_AT + 2 + 8, "<b", 1, "label"),  # entry type
        (ENTRIES_AT + 2 + 9 + 3 + 9 + 4 + 9, "<?", True, "quantized"),  # quant_
    ]
    for offset, fmt, value, message in cases:
        with pytest.raises(FormatError, match=message):
            load_fasttext_bin(patched(tmp_path, data, offset, fmt, value))
    (tmp_path / "extra.bin").write_bytes(data + b"\0")
    with pytest.raises(FormatError, match="unexpected bytes"):
        load_fasttext_bin(tmp_path / "extra.bin")
    (tmp_path / "junk.bin").write_bytes(b"\x01\x02" * 100)
    with pytest.raises(FormatError, match="not a fastText model"):
        load_fasttext_bin(tmp_path / "junk.bin")


def test_supervised_golden_model_is_refused():
    with pytest.raises(FormatError, match="supervised"):
        load_model("pang_lee_polarity_fasttext.bin")


def test_jamo_vectors_are_refused_as_bin_but_export_as_vec(tmp_path, small_bin):
    """fastText has no jamo mode: a .bin would give unseen Korean words different vectors."""
    rng = np.random.default_rng(3)
    sv = SubwordVectors(["영화", "a"], rng.standard_normal((2, 4)), rng.standard_normal((5, 4)), min_n=1, max_n=3,
                        bucket=5, jamo=True)
    for call in (lambda p: save_fasttext_bin(p, sv), lambda p: save(sv, p, format="fasttext-bin")):
        with pytest.raises(ValueError, match=r"jamo.*fastText has no jamo mode.*[Ss]ave natively.*\.vec"):
            call(tmp_path / "m.bin")
        assert not (tmp_path / "m.bin").exists()
    save_fasttext_vec(tmp_path / "m.vec", sv)
    back = load_word2vec(tmp_path / "m.vec")
    assert back.index_to_key == ["영화", "a"]
    np.testing.assert_array_equal(back.vectors, sv.vectors)
    assert load_fasttext_bin(small_bin[0]).vectors.jamo is False  # fastText models are never jamo
