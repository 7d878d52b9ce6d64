"""FastText vectors as an nn.EmbeddingBag: vocabulary and unseen words embed as SubwordVectors does."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from wordvec.torch import SubwordEncoder, to_torch_bag
from wordvec.vectors.subword import SubwordVectors

WORDS = ["the", "a", "film", "movie", "good", "bad", "great", "plot", "actor", "scene",
         "영화가", "café", "배우", "재미있다", "naïve", "story", "music", "end", "start", "long",
         "short", "funny", "sad", "dark", "light", "old", "new", "best", "worst", "</s>"]
UNSEEN = ["films", "영화", "cafés", "filmmaking", "x", "재미", "über"]
D, BUCKET = 8, 50


def make(max_n: int = 4, bucket: int = BUCKET) -> SubwordVectors:
    rng = np.random.default_rng(0)
    return SubwordVectors(WORDS, rng.normal(size=(len(WORDS), D)).astype(np.float32),
                          rng.normal(size=(bucket, D)).astype(np.float32),
                          min_n=2 if max_n else 0, max_n=max_n, bucket=bucket)


@pytest.fixture
def sv() -> SubwordVectors:
    return make()


def test_weight_is_the_input_matrix_and_freeze_is_honoured(sv):
    bag, enc = to_torch_bag(sv)
    assert isinstance(bag, torch.nn.EmbeddingBag) and bag.mode == "mean"
    assert isinstance(enc, SubwordEncoder) and enc.num_embeddings == len(WORDS) + BUCKET
    assert bag.weight.dtype == torch.float32 and bag.weight.shape == (len(WORDS) + BUCKET, D)
    np.testing.assert_array_equal(bag.weight.detach().numpy(), np.vstack([sv.word_rows, sv.ngram_rows]))
    assert not bag.weight.requires_grad
    assert to_torch_bag(sv, freeze=False)[0].weight.requires_grad
    before = sv.word_rows.copy()
    bag.weight.data += 1  # a copy: the vectors stay untouched
    np.testing.assert_array_equal(sv.word_rows, before)


@pytest.mark.parametrize("words", [WORDS, UNSEEN, ["영화가", "영화", "café", "cafés", "</s>"]])
def test_bag_reproduces_subword_vectors(sv, words):
    bag, enc = to_torch_bag(sv)
    ids, offsets = enc.encode(words)
    assert ids.dtype == torch.long and offsets.dtype == torch.long and offsets.shape == (len(words),)
    out = bag(ids, offsets).detach().numpy()
    expected = np.stack([sv[w] for w in words])
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-6)


def test_bag_rows_follow_the_vocabulary_layout(sv):
    enc = to_torch_bag(sv)[1]
    rows = enc.rows("영화가")
    assert rows[0] == WORDS.index("영화가") and (rows[1:] >= len(WORDS)).all()
    assert (enc.rows("영화") >= len(WORDS)).all()  # unseen: n-gram rows only
    assert enc.rows("</s>").tolist() == [WORDS.index("</s>")]  # fastText never splits </s>


def test_encode_batch_gives_one_bag_per_token_and_their_texts(sv):
    bag, enc = to_torch_bag(sv)
    texts = [["a", "good", "film"], [], ["영화가", "filmmaking"], "the café"]
    ids, offsets, text_index = enc.encode_batch(texts)
    assert text_index.tolist() == [0, 0, 0, 2, 2, 3, 3]
    tokens = ["a", "good", "film", "영화가", "filmmaking", "the", "café"]
    np.testing.assert_allclose(bag(ids, offsets).detach().numpy(), np.stack([sv[t] for t in tokens]), atol=1e-6)
    with pytest.raises(TypeError):
        enc.encode_batch("one string")
    with pytest.raises(TypeError):
        enc.encode("film")


def test_gradients_reach_the_ngram_rows_of_an_unseen_word(sv):
    bag, enc = to_torch_bag(sv, freeze=False)
    bag(*enc.encode(["filmmaking"])).sum().backward()
    touched = set(torch.nonzero(bag.weight.grad.abs().sum(1)).flatten().tolist())
    assert touched == set(enc.rows("filmmaking").tolist()) and min(touched) >= len(WORDS)


def test_a_word_without_rows_raises_key_error_naming_it():
    sv = make(max_n=0, bucket=0)
    bag, enc = to_torch_bag(sv)
    assert bag.weight.shape == (len(WORDS), D)
    np.testing.assert_allclose(bag(*enc.encode(["film", "café"])).detach().numpy(),
                               np.stack([sv["film"], sv["café"]]), atol=1e-6)
    with pytest.raises(KeyError, match="filmmaking"):
        enc.encode(["film", "filmmaking"])
    with pytest.raises(KeyError, match="filmmaking"):
        enc.encode_batch([["film"], ["filmmaking"]])
    with pytest.raises(KeyError):
        sv["filmmaking"]  # SubwordVectors agrees
    assert not enc.has_rows("filmmaking") and enc.has_rows("film")
    # with n-grams on, only an unseen </s> has no rows
    with pytest.raises(KeyError, match="</s>"):
        SubwordEncoder(["film"], min_n=2, max_n=4, bucket=BUCKET).encode(["</s>"])


def test_bag_of_jamo_vectors_uses_jamo_ngrams():
    rng = np.random.default_rng(1)
    sv = SubwordVectors(WORDS, rng.normal(size=(len(WORDS), D)).astype(np.float32),
                        rng.normal(size=(BUCKET, D)).astype(np.float32), min_n=3, max_n=6, bucket=BUCKET, jamo=True)
    bag, enc = to_torch_bag(sv)
    assert enc.jamo and "jamo n-grams 3-6" in repr(enc)
    words = WORDS + UNSEEN + ["처음보는말", "먹었다", "ㅋㅋ"]
    out = bag(*enc.encode(words)).detach().numpy()
    np.testing.assert_allclose(out, np.stack([sv[w] for w in words]), rtol=0, atol=1e-6)
    syllables = SubwordEncoder(WORDS, min_n=3, max_n=6, bucket=BUCKET)  # the same vocabulary, jamo off
    assert set(enc.rows("영화")) != set(syllables.rows("영화"))
    assert enc.rows("films").tolist() == syllables.rows("films").tolist()
    assert enc.rows("</s>").tolist() == [WORDS.index("</s>")]
