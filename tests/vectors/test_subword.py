"""SubwordVectors (vectors/subword.py): fastText's getWordVector for vocabulary and OOV words.

References are written out in plain Python from ``char_ngrams`` and ``fasttext_hash``
(vocab/subwords.py, itself checked against gensim); agreement with gensim's and fastText's own
files is tested in tests/io/test_fasttext_format.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.vectors.keyed import KeyedVectors
from wordvec.vectors.subword import SubwordVectors
from wordvec.corpus.jamo import decompose
from wordvec.vocab.subwords import char_ngrams, fasttext_hash

KEYS = ["the", "cat", "sat", "mat", "</s>", "한국어", "cats", "a"]
DIM, BUCKET, MINN, MAXN = 6, 97, 2, 4


@pytest.fixture(scope="module")
def rows():
    rng = np.random.default_rng(7)
    return (rng.standard_normal((len(KEYS), DIM)).astype(np.float32),
            rng.standard_normal((BUCKET, DIM)).astype(np.float32))


@pytest.fixture(scope="module")
def sv(rows):
    return SubwordVectors(KEYS, *rows, min_n=MINN, max_n=MAXN, bucket=BUCKET, counts=np.arange(8, 0, -1))


def reference(word, rows, in_vocab, jamo=False):
    word_rows, ngram_rows = rows
    parts = [word_rows[KEYS.index(word)]] if in_vocab else []
    if word != "</s>":
        text = decompose(word) if jamo else word
        parts += [ngram_rows[fasttext_hash(g) % BUCKET] for g in char_ngrams(text, MINN, MAXN)]
    return np.mean(parts, axis=0)


def test_vocabulary_vectors_are_means_of_word_and_ngram_rows(sv, rows):
    for word in KEYS:
        np.testing.assert_allclose(sv[word], reference(word, rows, True), rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(sv["</s>"], rows[0][KEYS.index("</s>")])  # EOS has no n-grams
    assert sv.vectors.dtype == np.float32 and sv.vectors.shape == (len(KEYS), DIM)
    assert sv.counts.tolist() == list(range(8, 0, -1))


@pytest.mark.parametrize("word", ["dog", "sitting", "영화가", "x", "mats"])
def test_oov_vectors_are_means_of_ngram_rows(sv, rows, word):
    assert word not in sv and sv.is_oov(word) and sv.has_vector(word)
    np.testing.assert_allclose(sv.get_vector(word), reference(word, rows, False), rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(sv[word], sv.get_vector(word))


def test_membership_and_missing_vectors(sv, rows):
    assert "cat" in sv and not sv.is_oov("cat") and sv.has_vector("cat")
    no_ngrams = SubwordVectors(KEYS, rows[0], np.zeros((0, DIM), np.float32), min_n=0, max_n=0, bucket=0)
    np.testing.assert_array_equal(no_ngrams.vectors, rows[0])
    assert not no_ngrams.has_vector("dog") and no_ngrams.is_oov("dog")
    with pytest.raises(KeyError, match="'dog'.*no character n-grams"):
        no_ngrams["dog"]
    with pytest.raises(TypeError):
        sv.is_oov(3)


def test_in_vocabulary_queries_match_keyed_vectors(sv):
    kv = KeyedVectors(KEYS, sv.vectors)
    assert sv.most_similar("cat", topn=4) == kv.most_similar("cat", topn=4)
    assert sv.most_similar_cosmul(["cat", "mat"], ["the"], topn=3) == kv.most_similar_cosmul(
        ["cat", "mat"], ["the"], topn=3)
    assert sv.similarity("cat", "sat") == pytest.approx(kv.similarity("cat", "sat"))
    assert sv.doesnt_match(["cat", "mat", "한국어"]) == kv.doesnt_match(["cat", "mat", "한국어"])


def unit(v):
    return v / np.linalg.norm(v)


def test_queries_accept_oov_words(sv):
    dog = unit(sv["dog"])
    scores = (sv.vectors / np.linalg.norm(sv.vectors, axis=1, keepdims=True)) @ dog
    got = sv.most_similar("dog", topn=len(KEYS))  # nothing excluded: "dog" has no index
    assert [k for k, _ in got] == [KEYS[i] for i in np.argsort(-scores)]
    np.testing.assert_allclose([s for _, s in got], np.sort(scores)[::-1], rtol=1e-5)
    assert sv.similarity("dog", "cat") == pytest.approx(float(dog @ unit(sv["cat"])), rel=1e-5)
    assert sv.distance("dog", "cats") == pytest.approx(1 - float(dog @ unit(sv["cats"])), rel=1e-5)
    assert sv.similarity("dog", "dog") == pytest.approx(1.0, rel=1e-6)
    np.testing.assert_allclose(sv.unit_vector("dog"), dog, rtol=1e-6)
    # analogy with an OOV term: the in-vocabulary term is excluded, the OOV one cannot be
    got = dict(sv.most_similar(positive=["dog", "cat"], negative=["the"], topn=len(KEYS)))
    assert "cat" not in got and "the" not in got and len(got) == len(KEYS) - 2
    cos = sv.most_similar_cosmul(positive=["dogs"], negative=["cat"], topn=3)
    assert len(cos) == 3 and "cat" not in dict(cos)
    assert sv.doesnt_match(["cat", "cats", "dog", "한국어"]) in {"cat", "cats", "dog", "한국어"}


def test_query_with_word_without_ngrams_names_it(rows):
    sv = SubwordVectors(KEYS, rows[0], np.zeros((0, DIM), np.float32), min_n=0, max_n=0, bucket=0)
    with pytest.raises(KeyError, match="'dog'"):
        sv.most_similar("dog")
    with pytest.raises(KeyError, match="'dog'"):
        sv.similarity("cat", "dog")


def test_validation(rows):
    w, g = rows
    with pytest.raises(ValueError, match="bucket"):
        SubwordVectors(KEYS, w, g, min_n=MINN, max_n=MAXN, bucket=BUCKET + 1)
    with pytest.raises(ValueError, match="keys"):
        SubwordVectors(KEYS[:-1], w, g, min_n=MINN, max_n=MAXN, bucket=BUCKET)
    with pytest.raises(ValueError, match="columns"):
        SubwordVectors(KEYS, w, g[:, :3], min_n=MINN, max_n=MAXN, bucket=BUCKET)
    with pytest.raises(ValueError, match="min_n"):
        SubwordVectors(KEYS, w, g, min_n=5, max_n=MAXN, bucket=BUCKET)
    assert "SubwordVectors(8 keys, 6 dimensions" in repr(SubwordVectors(KEYS, w, g, min_n=MINN, max_n=MAXN,
                                                                          bucket=BUCKET))


# ------------------------------------------------------------------------------ jamo n-grams
@pytest.fixture(scope="module")
def jamo_sv(rows):
    return SubwordVectors(KEYS, *rows, min_n=MINN, max_n=MAXN, bucket=BUCKET, counts=np.arange(8, 0, -1), jamo=True)


def test_jamo_vectors_take_ngrams_of_the_decomposed_word(jamo_sv, sv, rows):
    assert jamo_sv.jamo and not sv.jamo
    for word in KEYS:  # vocabulary words: own row plus the n-grams of <decompose(word)>
        np.testing.assert_allclose(jamo_sv[word], reference(word, rows, True, jamo=True), rtol=1e-6, atol=1e-6)
    for word in ["영화가", "먹었다", "재밌었어요", "dog", "ㅋㅋ"]:  # unseen: the n-grams alone
        assert jamo_sv.is_oov(word) == (word not in KEYS)
        np.testing.assert_allclose(jamo_sv[word], reference(word, rows, word in KEYS, jamo=True),
                                   rtol=1e-6, atol=1e-6)
    # words without Hangul syllables get the same vectors either way; Korean ones do not
    for word in ["the", "cats", "dog", "sitting", "ㅋㅋ"]:
        np.testing.assert_array_equal(jamo_sv[word], sv[word])
    for word in ["한국어", "영화가"]:
        assert not np.allclose(jamo_sv[word], sv[word])
    got = dict(jamo_sv.most_similar("영화가", topn=len(KEYS)))  # queries accept unseen words as well
    assert len(got) == len(KEYS)


def test_jamo_repr_and_errors_name_the_word_as_given(rows):
    sv = SubwordVectors(KEYS, *rows, min_n=MINN, max_n=MAXN, bucket=BUCKET, jamo=True)
    assert repr(sv) == f"SubwordVectors(8 keys, 6 dimensions, jamo n-grams {MINN}-{MAXN} in {BUCKET} buckets)"
    assert "jamo" not in repr(SubwordVectors(KEYS, *rows, min_n=MINN, max_n=MAXN, bucket=BUCKET))
    off = SubwordVectors(KEYS, rows[0], np.zeros((0, DIM), np.float32), min_n=0, max_n=0, bucket=0, jamo=True)
    with pytest.raises(KeyError, match="'영화를' is not in the vocabulary"):
        off["영화를"]
    with pytest.raises(TypeError, match="jamo"):
        SubwordVectors(KEYS, *rows, min_n=MINN, max_n=MAXN, bucket=BUCKET, jamo="yes")
