"""FastText(jamo=True): Korean n-grams over jamo instead of syllables (Park et al. 2018).

The word stays the vocabulary key and keeps its own row; only the n-grams (and so their FNV-1a
buckets) are taken from ``<decompose(word)>``. References are built in plain Python from
``decompose``, ``char_ngrams`` and ``fasttext_hash``; those two are checked here against gensim's
fastText hashing for Korean (non-ASCII, sign-extended bytes).
"""

from __future__ import annotations

import gzip
import itertools

import numpy as np
import pytest

from wordvec.config import FastTextConfig, config_from_dict
from wordvec.corpus.jamo import decompose, has_hangul
from wordvec.models.fasttext import FastText
from wordvec.vectors.subword import SubwordVectors
from wordvec.vocab.subwords import char_ngrams, fasttext_hash, ngram_hashes, subword_table

KOREAN = ["영화가", "먹었다", "재밌었어요", "한국어", "값", "ㅋㅋ", "배우들의연기"]
ASCII = ["film", "walking", "a", "</s>x", "café"]


def korean_corpus(rng, n_sent=400):
    """Stems x endings, two topics (eating verbs, film nouns), with a few ASCII words mixed in."""
    verbs = [s + e for s in ["먹", "마시", "씹"] for e in ["었다", "는다", "고", "어요", "으면"]]
    nouns = [s + e for s in ["영화", "배우", "감독"] for e in ["가", "를", "의", "에서", "도"]]
    topics = [verbs + ["eat", "ate"], nouns + ["film", "café"]]
    return [list(rng.choice(topics[i % 2], size=8)) for i in range(n_sent)]


def small_model(rng, **kw):
    params = dict(vector_size=12, window=3, min_count=1, epochs=1, sample=0, min_n=3, max_n=6, bucket=3000,
                  workers=1, seed=5, progress=False)
    return FastText(**{**params, **kw}).fit(korean_corpus(rng))


def kernel_table(m: FastText):
    """The (ids, offsets) subword table the model's training kernel was given."""
    cfg = m.config
    k = m._make_kernel(cfg, m.vocab_, m._syn0, np.zeros(0, np.int32), np.zeros(1, np.int64),
                       np.ones(len(m.vocab_), np.float32))
    return k.sub


# ------------------------------------------------------------------------------ config
def test_jamo_defaults_to_off_and_is_validated():
    assert FastText().config == FastTextConfig()
    assert FastTextConfig().jamo is False and FastText().jamo is False
    cfg = FastText(jamo=True).config
    assert cfg.jamo is True and cfg.to_dict()["jamo"] is True
    assert config_from_dict(cfg.to_dict()) == cfg
    old = {k: v for k, v in FastTextConfig().to_dict().items() if k != "jamo"}  # saved before the option
    assert config_from_dict(old).jamo is False
    with pytest.raises(ValueError, match="jamo"):
        FastText(jamo="yes").fit([["a"]])
    assert "jamo=True" in repr(FastText(jamo=True)) and "jamo" not in repr(FastText())


# ------------------------------------------------------------------------------ hashing (fastText)
@pytest.mark.parametrize("word", KOREAN + ["café", "walking"])
def test_korean_ngrams_hash_exactly_as_fasttext(word):
    """Korean n-grams (multi-byte UTF-8, bytes >= 0x80 sign-extended) against gensim's fastText hashing,
    for syllables and for their jamo decomposition alike."""
    inner = pytest.importorskip("gensim.models.fasttext_inner")
    for text in (word, decompose(word)):
        for min_n, max_n in [(1, 3), (2, 4), (3, 6)]:
            ours = char_ngrams(text, min_n, max_n)
            theirs = inner.compute_ngrams_bytes(text, min_n, max_n)
            assert [g.encode("utf-8") for g in ours] == theirs
            expected = [inner.ft_hash_bytes(g) for g in theirs]
            assert [fasttext_hash(g) for g in ours] == expected
            assert ngram_hashes(text, min_n, max_n).tolist() == expected


# ------------------------------------------------------------------------------ training table
def test_jamo_model_trains_on_decomposed_ngrams_and_keeps_word_rows(rng):
    m = small_model(rng, jamo=True)
    keys = m.vocab_.index_to_key
    ids, offsets = kernel_table(m)
    ref_ids, ref_offsets = subword_table([decompose(w) for w in keys], 3, 6, 3000)
    np.testing.assert_array_equal(ids, ref_ids)
    np.testing.assert_array_equal(offsets, ref_offsets)
    np.testing.assert_array_equal(ids[offsets[:-1]], np.arange(len(keys)))  # each word leads with its own row
    n = len(keys)
    assert "</s>" in keys
    for w, word in enumerate(keys):  # the table spells out <decompose(word)>'s n-grams ("</s>" has none)
        expected = [] if word == "</s>" else [n + fasttext_hash(g) % 3000 for g in char_ngrams(decompose(word), 3, 6)]
        assert ids[offsets[w] + 1:offsets[w + 1]].tolist() == expected
    # model.wv composes vocabulary vectors from that same table
    wv = m.wv
    assert isinstance(wv, SubwordVectors) and wv.jamo
    for w in range(0, n, 7):
        np.testing.assert_allclose(wv.vectors[w], m._syn0[ids[offsets[w]:offsets[w + 1]]].mean(0), atol=1e-6)
    assert m.loss_history_[0] > 0 and np.isfinite(m._syn0).all()


def test_jamo_and_syllable_tables_differ_only_for_korean():
    syllable = small_model(np.random.default_rng(1))
    jamo = small_model(np.random.default_rng(1), jamo=True)
    keys = syllable.vocab_.index_to_key
    assert jamo.vocab_.index_to_key == keys  # the vocabulary does not depend on the n-grams
    (s_ids, s_off), (j_ids, j_off) = kernel_table(syllable), kernel_table(jamo)
    np.testing.assert_array_equal(s_ids[s_off[:-1]], j_ids[j_off[:-1]])  # same word rows
    assert {"film", "café", "eat", "ate"} <= set(keys)
    for w, word in enumerate(keys):
        s = set(s_ids[s_off[w] + 1:s_off[w + 1]].tolist())
        j = set(j_ids[j_off[w] + 1:j_off[w + 1]].tolist())
        if has_hangul(word):
            assert s != j, word
        else:
            assert s == j, word
    # and for words outside any vocabulary, through SubwordVectors
    rows = np.random.default_rng(0).standard_normal((len(keys) + 3000, 4)).astype(np.float32)
    sv = {flag: SubwordVectors(keys, rows[:len(keys)], rows[len(keys):], min_n=3, max_n=6, bucket=3000, jamo=flag)
          for flag in (False, True)}
    for word in KOREAN + ASCII:
        syl, jam = sv[False]._ngram_indexes(word), sv[True]._ngram_indexes(word)
        if has_hangul(word):
            assert set(syl.tolist()) != set(jam.tolist()), word
        else:  # no syllable blocks (ASCII, café, the compatibility jamo of ㅋㅋ): nothing to split
            np.testing.assert_array_equal(syl, jam)
            np.testing.assert_array_equal(sv[False][word], sv[True][word])


def test_oov_vectors_use_jamo_ngrams_as_training_did(rng):
    m = small_model(rng, jamo=True)
    wv, n = m.wv, len(m.vocab_)
    ngrams = m._syn0[n:]
    for word in ["처음보는말", "먹었어요", "영화에게", "walking"]:
        assert wv.is_oov(word)
        grams = char_ngrams(decompose(word), 3, 6)
        expected = np.mean([ngrams[fasttext_hash(g) % 3000] for g in grams], axis=0)
        np.testing.assert_allclose(wv[word], expected, atol=1e-6)
    assert "jamo n-grams 3-6" in repr(wv)
    # a syllable model of the same weights would answer differently for Korean, the same for ASCII
    syl = SubwordVectors(wv.index_to_key, wv.word_rows, wv.ngram_rows, min_n=3, max_n=6, bucket=3000)
    assert not np.allclose(syl["처음보는말"], wv["처음보는말"])
    np.testing.assert_array_equal(syl["walking"], wv["walking"])


def test_seeded_single_worker_jamo_runs_are_identical(rng):
    sents = korean_corpus(rng, 100)
    kw = dict(vector_size=8, min_count=1, epochs=1, bucket=1000, workers=1, seed=9, jamo=True, progress=False)
    a, b = FastText(**kw).fit(sents).wv, FastText(**kw).fit(sents).wv
    np.testing.assert_array_equal(a.vectors, b.vectors)
    np.testing.assert_array_equal(a["처음보는말"], b["처음보는말"])


# ------------------------------------------------------------------------------ saving
def test_model_save_keeps_jamo_and_bin_export_refuses(rng, tmp_path):
    from typer.testing import CliRunner

    from wordvec.cli.app import app
    from wordvec.io import load, load_word2vec

    m = small_model(rng, jamo=True)
    m.save(tmp_path / "nat")
    back = load(tmp_path / "nat")
    assert isinstance(back, SubwordVectors) and back.jamo
    np.testing.assert_array_equal(back["처음보는말"], m.wv["처음보는말"])
    np.testing.assert_array_equal(back.vectors, m.wv.vectors)
    with pytest.raises(ValueError, match=r"jamo.*fastText has no jamo mode.*native.*\.vec"):
        m.save_fasttext_bin(tmp_path / "m.bin")
    assert not (tmp_path / "m.bin").exists()
    from wordvec.io import save_fasttext_vec

    save_fasttext_vec(tmp_path / "m.vec", m.wv)  # the vocabulary's vectors are fine
    np.testing.assert_array_equal(load_word2vec(tmp_path / "m.vec").vectors, m.wv.vectors)

    r = CliRunner().invoke(app, ["info", str(tmp_path / "nat")])
    assert r.exit_code == 0, r.output
    assert "jamo n-grams 3-6" in r.output and "jamo" in r.output.split("saved config:")[1]


# ------------------------------------------------------------------------------ real Korean text
@pytest.mark.slow
def test_jamo_fasttext_on_korean_reviews(shared_data):
    path = shared_data / "corpora" / "ko" / "nsmc_reviews.txt.gz"
    if not path.is_file():
        pytest.skip(f"Korean review corpus not found at {path}")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        sents = [line.split() for line in itertools.islice(f, 5000)]
    sents = [s for s in sents if s]
    m = FastText(vector_size=32, bucket=50_000, epochs=2, min_count=3, workers=1, seed=1, jamo=True,
                 progress=False).fit(sents)
    wv = m.wv
    assert wv.jamo and len(wv) > 1000
    assert m.loss_history_[-1] < m.loss_history_[0]
    word = "영화였는데"  # unseen; its neighbours should share its stem 영화
    assert wv.is_oov(word) and np.isfinite(wv[word]).all()
    near = [w for w, _ in wv.most_similar(word, topn=6)]
    assert sum(w.startswith("영화") for w in near) >= 3, near


def test_cli_train_jamo_flag(tmp_path):
    from typer.testing import CliRunner

    import wordvec
    from wordvec.cli.app import app

    corpus = tmp_path / "ko.txt"
    corpus.write_text("영화 가 재밌 었 다\n배우 연기 가 좋 았 다\n영화 배우 연기 최고\n" * 50, encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "ft"
    r = runner.invoke(app, ["train", str(corpus), "-o", str(out), "--model", "fasttext", "--jamo", "--min-count", "1",
                            "--epochs", "1", "--vector-size", "8", "--bucket", "500", "--tokenizer", "whitespace", "-q"])
    assert r.exit_code == 0, r.output
    wv = wordvec.load(out)
    assert wv.jamo is True and wv.is_oov("영화관") and wv["영화관"].shape == (8,)
    # refused before training: a jamo model cannot become a fastText .bin, and word2vec has no n-grams
    r = runner.invoke(app, ["train", str(corpus), "-o", str(tmp_path / "m.bin"), "--model", "fasttext", "--jamo",
                            "--format", "fasttext-bin", "-q"])
    assert r.exit_code != 0 and "jamo" in r.output and not (tmp_path / "m.bin").exists()
    r = runner.invoke(app, ["train", str(corpus), "-o", str(tmp_path / "w2v"), "--jamo", "-q"])
    assert r.exit_code != 0 and "--model fasttext" in r.output
    r = runner.invoke(app, ["train", str(corpus), "-o", str(tmp_path / "gl"), "--model", "glove", "--jamo", "-q"])
    assert r.exit_code != 0 and "--model fasttext" in r.output and not (tmp_path / "gl").exists()
