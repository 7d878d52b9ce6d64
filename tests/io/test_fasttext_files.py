"""Every fastText file (issue 15, item 4): pre-magic ``.bin``, quantized ``.ftz``, writing back
what was read, and ``wordvec quantize``.

References: gensim's ``load_facebook_vectors`` on its test files (the pre-magic layout, which
fastText 0.9 itself refuses), and the fastText package (fasttext-wheel 0.9.2): models it trains,
supervised models it quantizes, and the ``.ftz`` files wordvec writes, which it must load and
answer ``get_word_vector`` for exactly as wordvec does. The k-means and encoding kernels are
compared with their NumPy twins.
"""

from __future__ import annotations

import os
import struct
import warnings

import numpy as np
import pytest
from clitools import assert_one_line_error, invoke, plain
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordvec._kernels import reference_quantize as ref
from wordvec._kernels.quantize import assign_centroids, encode_rows, kmeans
from wordvec._kernels.reference import RefRNG
from wordvec.exceptions import FormatError
from wordvec.io import detect_format, load, load_fasttext_bin, read_fasttext_model, save, save_fasttext_bin
from wordvec.io.fasttext_format import FASTTEXT_MAGIC, KSUB, QuantizedMatrix, is_fasttext_bin
from wordvec.io.quantize import quantize_fasttext, quantize_subword_vectors, trained_buckets
from wordvec.vectors.subword import SubwordVectors

gensim = pytest.importorskip("gensim")
fasttext = pytest.importorskip("fasttext")
from gensim.models.fasttext import load_facebook_vectors  # noqa: E402

DATA = os.path.join(os.path.dirname(gensim.__file__), "test", "test_data")
LEGACY = [("lee_fasttext.bin", "utf-8"), ("non_ascii_fasttext.bin", "utf-8"), ("cp852_fasttext.bin", "cp852")]
OOV = ["unseenword", "nights", "xyzzy", "q", "zz", "který", "영화가"]


def _ft_load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fasttext.load_model(os.fspath(path))


def _gensim_vectors(name, encoding):
    return load_facebook_vectors(os.path.join(DATA, name), encoding=encoding)


def _compare_with_gensim(sv, wv, oov=OOV):
    """Vectors of every vocabulary word (``</s>`` aside: fastText now gives it no n-grams, the
    2016 fastText that wrote these files, and gensim, did) and of out-of-vocabulary words."""
    assert sv.index_to_key == wv.index_to_key
    keep = np.array([k != "</s>" for k in sv.index_to_key])
    np.testing.assert_allclose(sv.vectors[keep], wv.vectors[keep], atol=1e-6, rtol=0)
    for word in oov:
        assert sv.is_oov(word) == (word not in wv.key_to_index)
        np.testing.assert_allclose(sv[word], wv[word], atol=1e-6, rtol=0)


# ------------------------------------------------------------------------ pre-magic .bin
@pytest.mark.parametrize("name,encoding", LEGACY)
def test_pre_magic_files_are_detected_and_load_like_gensim(name, encoding):
    path = os.path.join(DATA, name)
    with open(path, "rb") as f:
        assert struct.unpack("<i", f.read(4))[0] != FASTTEXT_MAGIC  # really the old layout
    assert is_fasttext_bin(path) and detect_format(path) == "fasttext-bin"
    sv = load(path, encoding=encoding)
    assert isinstance(sv, SubwordVectors)
    _compare_with_gensim(sv, _gensim_vectors(name, encoding))


def test_pre_magic_header_sniffing_never_takes_other_files(tmp_path):
    for name in ("lee_fasttext.vec", "euclidean_vectors.bin", "crime-and-punishment.vec", "lee.cor",
                 "high_precision.kv.bin", "pretrained.vec"):
        path = os.path.join(DATA, name)
        assert not is_fasttext_bin(path), name
    (tmp_path / "empty.bin").write_bytes(b"")
    assert not is_fasttext_bin(tmp_path / "empty.bin") and not is_fasttext_bin(tmp_path / "missing.bin")
    assert detect_format(os.path.join(DATA, "euclidean_vectors.bin")) == "word2vec-binary"


@pytest.mark.parametrize("name,encoding", LEGACY)
def test_pre_magic_files_written_back_load_in_fasttext(tmp_path, name, encoding):
    """Written back (version 12, UTF-8 words), fastText 0.9 reads what it refused, and answers as
    gensim does on the original; wordvec reads it back bit for bit."""
    ft = load_fasttext_bin(os.path.join(DATA, name), encoding=encoding)
    out = tmp_path / "back.bin"
    save_fasttext_bin(out, ft.vectors, ft.output, ft.args, ntokens=ft.ntokens)
    back = load_fasttext_bin(out)
    np.testing.assert_array_equal(back.vectors.word_rows, ft.vectors.word_rows)
    np.testing.assert_array_equal(back.vectors.ngram_rows, ft.vectors.ngram_rows)
    np.testing.assert_array_equal(back.output, ft.output)
    assert back.args == ft.args and back.ntokens == ft.ntokens
    model = _ft_load(out)
    wv = _gensim_vectors(name, encoding)
    words = [w for w in wv.index_to_key if w != "</s>"][:300] + OOV
    for word in words:
        np.testing.assert_allclose(model.get_word_vector(word), wv[word], atol=1e-6, rtol=0)
    # the generic save writes it back too
    save(load(os.path.join(DATA, name), encoding=encoding), tmp_path / "again.bin", format="fasttext-bin")
    np.testing.assert_array_equal(load(tmp_path / "again.bin").vectors, back.vectors.vectors)


def test_empty_word_and_spaces_are_legal_in_bin(tmp_path):
    rng = np.random.default_rng(1)
    keys = ["", "two words", "a\tb", "x"]
    sv = SubwordVectors(keys, rng.standard_normal((4, 3)), rng.standard_normal((7, 3)), min_n=1, max_n=3,
                        bucket=7, counts=np.array([4, 3, 2, 1]))
    path = tmp_path / "odd.bin"
    save(sv, path, format="fasttext-bin")
    back = load(path)
    assert back.index_to_key == keys
    np.testing.assert_array_equal(back.vectors, sv.vectors)
    model = _ft_load(path)
    assert model.get_words(on_unicode_error="strict") == keys
    np.testing.assert_allclose(model.get_word_vector("x"), sv["x"], atol=1e-6)
    np.testing.assert_allclose(model.get_word_vector("unseen"), sv["unseen"], atol=1e-6)
    nul = SubwordVectors(["a\0b"], np.zeros((1, 3)), np.zeros((7, 3)), min_n=1, max_n=3, bucket=7)
    with pytest.raises(ValueError, match="NUL"):
        save(nul, tmp_path / "nul.bin", format="fasttext-bin")
    assert not (tmp_path / "nul.bin").exists()


# ------------------------------------------------------------------------- .ftz round trip
@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A small skip-gram model trained by the fastText package on gensim's Lee corpus."""
    root = tmp_path_factory.mktemp("ft")
    model = fasttext.train_unsupervised(os.path.join(DATA, "lee_background.cor"), model="skipgram", dim=12,
                                        bucket=8000, minCount=3, epoch=2, thread=1, verbose=0)
    path = root / "lee.bin"
    model.save_model(os.fspath(path))
    return path


SETTINGS = [dict(), dict(qnorm=False), dict(qout=False), dict(prune=False, dsub=3, qnorm=False), dict(dsub=5)]


@pytest.mark.parametrize("options", SETTINGS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults")
def test_ftz_written_by_wordvec_loads_in_fasttext_with_the_same_vectors(tmp_path, trained, options):
    target = tmp_path / "m.ftz"
    report = quantize_fasttext(trained, target, workers=1, **options)
    assert detect_format(target) == "fasttext-bin" and target.stat().st_size == report.target_bytes
    model = _ft_load(target)
    assert model.is_quantized() and model.get_dimension() == 12
    sv = load(target)
    assert sv.index_to_key == model.get_words(on_unicode_error="strict")
    for word in sv.index_to_key[:400] + OOV:
        np.testing.assert_allclose(model.get_word_vector(word), sv[word], atol=1e-6, rtol=0)
    # what is measured is what fastText reads; quantization costs little on these vectors
    assert report.mean_cosine > 0.98 and report.quantized.index_to_key == report.original.index_to_key
    ft = load_fasttext_bin(target)
    assert ft.quantization is not None
    assert ft.quantization.input.qnorm == options.get("qnorm", True)
    assert (ft.quantization.output is not None) == options.get("qout", True)
    assert (ft.quantization.prune_index is not None) == options.get("prune", True)
    original_output = load_fasttext_bin(trained).output
    if options.get("qout", True):  # quantized too, so close
        assert np.corrcoef(ft.output.ravel(), original_output.ravel())[0, 1] > 0.95
    else:  # kept dense, as it was
        np.testing.assert_array_equal(ft.output, original_output)
    # written back from what was read: the same bytes
    again = tmp_path / "again.ftz"
    save_fasttext_bin(again, ft.vectors, ft.output, ft.args, ntokens=ft.ntokens, quantization=ft.quantization)
    assert again.read_bytes() == target.read_bytes()


def test_pruning_shares_only_untrained_buckets(trained):
    ft = load_fasttext_bin(trained)
    mask = trained_buckets(ft.vectors)
    assert 0 < mask.sum() < ft.vectors.bucket
    q = quantize_subword_vectors(ft.vectors, ft.output, workers=1)
    pairs = q.prune_index
    assert pairs.shape == (ft.vectors.bucket, 2) and (pairs[:, 0] == np.arange(ft.vectors.bucket)).all()
    kept = pairs[mask, 1]
    assert np.unique(kept).size == kept.size  # every trained bucket its own row
    assert (pairs[~mask, 1] == mask.sum()).all()  # the untrained ones one shared row, after them
    assert q.input.shape == (len(ft.vectors) + mask.sum() + 1, 12)
    # a vocabulary word's n-grams are all trained buckets
    word = ft.vectors.index_to_key[5]
    from wordvec.vocab.subwords import oov_rows

    assert mask[oov_rows(word, 0, ft.vectors.min_n, ft.vectors.max_n, ft.vectors.bucket)].all()


def test_quantized_reconstruction_is_fasttexts_addcode():
    rng = np.random.default_rng(5)
    codes = rng.integers(0, KSUB, (6, 3), dtype=np.uint8)
    centroids = rng.standard_normal(7 * KSUB).astype(np.float32)  # dim 7, dsub 3: widths 3, 3, 1
    norms = rng.random(KSUB).astype(np.float32)
    norm_codes = rng.integers(0, KSUB, 6, dtype=np.uint8)
    q = QuantizedMatrix(codes, centroids, 3, norm_codes, norms)
    assert (q.nsubq, q.lastdsub, q.shape) == (3, 1, (6, 7))
    expected = np.empty((6, 7), np.float32)
    for i in range(6):
        for k in range(3):
            d = 1 if k == 2 else 3
            base = k * KSUB * 3 + int(codes[i, k]) * d  # ProductQuantizer::get_centroids
            expected[i, 3 * k:3 * k + d] = norms[norm_codes[i]] * centroids[base:base + d]
    np.testing.assert_array_equal(q.reconstruct(), expected)
    np.testing.assert_array_equal(q.reconstruct(2, 4), expected[2:4])
    with pytest.raises(ValueError):
        QuantizedMatrix(codes[:, :2], centroids, 3)


# --------------------------------------------------------------- .ftz written by fastText
@pytest.fixture(scope="module")
def supervised_ftz(tmp_path_factory):
    """A supervised model quantized by fastText itself (qnorm, qout, cutoff: a pruned dictionary)."""
    root = tmp_path_factory.mktemp("sup")
    train = root / "train.txt"
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(300)]
    with open(train, "w", encoding="utf-8") as f:
        for _ in range(600):
            label = int(rng.integers(0, 3))
            text = " ".join(rng.choice(words[label * 100:(label + 1) * 100], 8))
            f.write(f"__label__{label} {text}\n")
    model = fasttext.train_supervised(os.fspath(train), dim=8, epoch=3, wordNgrams=2, minn=2, maxn=3, bucket=5000,
                                      thread=1, verbose=0)
    model.quantize(input=os.fspath(train), qnorm=True, qout=False, cutoff=400, retrain=False, dsub=2, verbose=0)
    path = root / "sup.ftz"
    model.save_model(os.fspath(path))
    return path, model


def test_fasttext_written_ftz_reads_row_for_row(supervised_ftz):
    path, model = supervised_ftz
    raw = read_fasttext_model(path)
    assert raw.quantized and raw.args["model"] == "sup" and raw.nlabels == 3
    assert raw.words[raw.nwords:] == model.get_labels()
    assert raw.words[:raw.nwords] == model.get_words(on_unicode_error="strict")
    assert raw.prune_index is not None and 0 < raw.prune_index.shape[0] < raw.args["bucket"]
    assert raw.input.qnorm and raw.input.shape[0] == raw.nwords + raw.prune_index[:, 1].max() + 1
    rows = raw.input.reconstruct()
    for i in range(0, rows.shape[0], 7):
        np.testing.assert_allclose(rows[i], model.get_input_vector(i), atol=1e-6, rtol=0)
    assert isinstance(raw.output, np.ndarray) and raw.output.shape == (3, 8)
    with pytest.raises(FormatError, match="supervised"):
        load_fasttext_bin(path)
    with pytest.raises(FormatError, match="supervised"):
        load(path)


def test_pruned_unsupervised_model_that_drops_buckets_is_refused_clearly(tmp_path, trained):
    ft = load_fasttext_bin(trained)
    q = quantize_subword_vectors(ft.vectors, ft.output, workers=1)
    from wordvec.io.fasttext_format import Quantization

    dropped = Quantization(q.input, q.output, q.prune_index[:100])
    path = tmp_path / "dropped.ftz"
    save_fasttext_bin(path, ft.vectors, quantization=dropped)
    with pytest.raises(FormatError, match="keeps 100 of the 8000 n-gram buckets.*read_fasttext_model"):
        load(path)
    assert read_fasttext_model(path).prune_index.shape == (100, 2)
    model = _ft_load(path)  # fastText reads it: the n-grams dropped leave a word's mean
    assert model.is_quantized()


# --------------------------------------------------------------------------- damaged .ftz
@pytest.fixture(scope="module")
def tiny_files(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    rng = np.random.default_rng(7)
    sv = SubwordVectors(["a", "bb", "ccc"], rng.standard_normal((3, 4)), rng.standard_normal((9, 4)), min_n=1,
                        max_n=2, bucket=9, counts=np.array([3, 2, 1]))
    q = quantize_subword_vectors(sv, rng.standard_normal((3, 4)), qnorm=True, workers=1)
    save_fasttext_bin(root / "t.ftz", sv, quantization=q)
    return {"ftz": (root / "t.ftz").read_bytes(), "legacy": open(os.path.join(DATA, "cp852_fasttext.bin"), "rb").read()}


def test_tiny_ftz_is_exact(tiny_files, tmp_path):
    """Fewer rows than 256 centroids: every row is its own centroid, so nothing is lost."""
    path = tmp_path / "t.ftz"
    path.write_bytes(tiny_files["ftz"])
    sv = load(path)
    assert sv.index_to_key == ["a", "bb", "ccc"]
    assert _ft_load(path).is_quantized()
    np.testing.assert_allclose(_ft_load(path).get_word_vector("bb"), sv["bb"], atol=1e-6)


@pytest.mark.parametrize("cut", [20, 100, 150, 200, -300, -20, -1])
def test_truncated_ftz_reports_offset(tiny_files, tmp_path, cut):
    data = tiny_files["ftz"]
    path = tmp_path / "cut.ftz"
    path.write_bytes(data[:cut])
    with pytest.raises(FormatError) as err:
        load(path)
    assert err.value.offset is not None and 0 <= err.value.offset <= len(data)


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(which=st.sampled_from(["ftz", "legacy"]), at=st.integers(0, 2**20), blob=st.binary(min_size=1, max_size=12),
       cut=st.booleans())
def test_damaged_ftz_and_pre_magic_files_load_or_raise_format_error(tiny_files, tmp_path, which, at, blob, cut):
    data = tiny_files[which]
    at %= len(data)
    data = data[:at] if cut else data[:at] + blob + data[at + len(blob):]
    path = tmp_path / "x.bin"
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            kv = load(path, encoding="cp852" if which == "legacy" else "utf-8")
        except FormatError as exc:
            assert exc.offset is not None or exc.line is not None
            return
    assert kv.vectors.shape[0] == len(kv) and np.isfinite(kv.vectors).all()


# ---------------------------------------------------------------- kernels vs NumPy twins
def test_assign_and_encode_match_the_twin():
    rng = np.random.default_rng(11)
    x = rng.standard_normal((300, 3)).astype(np.float32)
    c = rng.standard_normal((16, 3)).astype(np.float32)
    c[5] = c[3]  # a tie: the lower index wins
    codes = np.empty(300, dtype=np.int64)
    total = assign_centroids(x, c, codes)
    want, want_total = ref.assign_centroids(x, c)
    np.testing.assert_array_equal(codes, want)
    assert total == pytest.approx(want_total, rel=1e-12)
    assert not (codes == 5).any()
    matrix = rng.standard_normal((50, 7)).astype(np.float32)
    flat = rng.standard_normal(7 * KSUB).astype(np.float32)
    out = np.empty((50, 3), dtype=np.uint8)
    encode_rows(matrix, flat, 3, KSUB, out)
    np.testing.assert_array_equal(out, ref.encode_rows(matrix, flat, 3, KSUB))


def test_kmeans_matches_the_twin_with_empty_clusters():
    rng = np.random.default_rng(12)
    x = np.repeat(rng.standard_normal((40, 2)).astype(np.float32), 8, axis=0)  # 320 points, 40 distinct
    start = x[rng.permutation(len(x))[:KSUB]].copy()  # duplicates: many clusters empty on the first M-step
    got = start.copy()
    state = np.array([99], dtype=np.uint64)
    total = kmeans(x, got, 5, state)
    want, want_total = ref.kmeans(x, start, 5, RefRNG(99))
    np.testing.assert_array_equal(got, want)
    assert total == pytest.approx(want_total, rel=1e-12)
    codes, _ = ref.assign_centroids(x, got)
    assert np.bincount(codes, minlength=KSUB).max() <= 8  # every distinct point got a centroid of its own


def test_kmeans_lowers_the_distortion():
    rng = np.random.default_rng(13)
    x = rng.standard_normal((5000, 2)).astype(np.float32)
    c = x[:KSUB].copy()
    before = ref.assign_centroids(x, c)[1]
    after = kmeans(x, c, 10, np.array([1], dtype=np.uint64))
    assert after < 0.6 * before


# ----------------------------------------------------------------------------------- CLI
def test_quantize_command(tmp_path, trained):
    out = tmp_path / "m.ftz"
    result = invoke("quantize", trained, "-o", out, "--no-qnorm", "--analogies", "google")
    assert result.exit_code == 0, result.output
    text = plain(result.output)
    assert f"wrote {out}" in text and "x smaller than" in text and "cosine similarity" in text
    assert "analogies (" in text and "before" in text and "after" in text
    assert _ft_load(out).is_quantized() and not load_fasttext_bin(out).quantization.input.qnorm
    assert_one_line_error(invoke("quantize", trained, "-o", out), "already exists", "--force")
    assert_one_line_error(invoke("quantize", os.path.join(DATA, "lee_fasttext.vec"), "-o", tmp_path / "v.ftz"),
                          "lee_fasttext.vec")
    assert not (tmp_path / "v.ftz").exists()


# ------------------------------------------------------------------------------- quality
@pytest.mark.slow
def test_quantized_vectors_keep_analogies_on_real_text(tmp_path):
    """On real English text, the ``.ftz`` loses at most 2 analogy points against the ``.bin`` and is
    at least 10 times smaller (2,000,000 buckets, fastText's default)."""
    corpus = "/work/shared/data/corpora/en/running.txt.gz"
    if not os.path.exists(corpus):
        pytest.skip("needs /work/shared/data (the English corpus; see data/README.md)")
    import gzip

    from wordvec.evaluate import evaluate_analogies

    text = tmp_path / "en.txt"
    with gzip.open(corpus, "rt", encoding="utf-8") as src, open(text, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= 150_000:
                break
            dst.write(line)
    model = fasttext.train_unsupervised(os.fspath(text), model="skipgram", dim=50, epoch=3, minCount=5, thread=2,
                                        verbose=0)
    model.save_model(os.fspath(tmp_path / "en.bin"))
    report = quantize_fasttext(tmp_path / "en.bin", tmp_path / "en.ftz", workers=2)
    assert report.ratio >= 10
    before = evaluate_analogies(report.original, "google", restrict_vocab=30000)
    after = evaluate_analogies(report.quantized, "google", restrict_vocab=30000)
    assert before.accuracy > 0.05  # the model learned something to lose
    assert after.accuracy >= before.accuracy - 0.02 and report.mean_cosine > 0.99
    assert _ft_load(tmp_path / "en.ftz").is_quantized()


def test_unsupervised_model_with_label_tokens_loads_its_words(tmp_path):
    """Text holding ``__label__x`` tokens gives an unsupervised model whose dictionary lists them
    as labels after the words: fastText loads it and so does wordvec, with the words only."""
    text = tmp_path / "labelled.txt"
    with open(os.path.join(DATA, "lee_background.cor"), encoding="utf-8") as fh:
        lines = [f"__label__{i % 3} {line.strip()}" for i, line in enumerate(fh)]
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = fasttext.train_unsupervised(os.fspath(text), model="skipgram", dim=8, bucket=4000, minCount=3,
                                        epoch=1, thread=1, verbose=0)
    path = tmp_path / "labelled.bin"
    model.save_model(os.fspath(path))
    assert read_fasttext_model(path).nlabels == 3
    sv = load(path)
    ft = _ft_load(path)
    assert not any(w.startswith("__label__") for w in sv.index_to_key)
    assert sv.index_to_key == ft.get_words()
    for word in ["the", "government", "unseenword"]:
        np.testing.assert_allclose(sv[word], ft.get_word_vector(word), rtol=1e-5, atol=1e-6)
