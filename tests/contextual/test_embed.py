"""``ELMo.embed``: layers, pooling, strings and token lists, empty sentences, long documents in windows."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from wordvec.contextual import ScalarMix
from wordvec.contextual.embed import window_plan


def test_layers_and_pooling(tiny_model):
    m = tiny_model
    sents = ["the cat sat on the mat", "the bank"]
    every = m.embed(sents, layer="all")
    assert [t.shape for t in every.tokens] == [(3, 6, m.dim), (3, 2, m.dim)]
    assert every.sentences.shape == (2, 3, m.dim) and every.sentences.dtype == np.float32
    np.testing.assert_allclose(every.sentences[1], every.tokens[1].mean(axis=1), rtol=1e-6)
    avg = m.embed(sents)
    np.testing.assert_allclose(avg.tokens[0], every.tokens[0].mean(axis=0), rtol=1e-6, atol=1e-7)
    top = m.embed(sents, layer=-1)
    assert np.array_equal(top.tokens[0], every.tokens[0][2]) and np.array_equal(top.tokens[0], m.embed(sents, layer=2).tokens[0])
    mix = ScalarMix(3, weights=[0.0, 0.0, 5.0], gamma=2.0)
    mixed = m.embed(sents, layer="mix", mix=mix)
    with torch.no_grad():
        want = mix(torch.from_numpy(every.tokens[0])).numpy()
    np.testing.assert_allclose(mixed.tokens[0], want, rtol=1e-6)
    # mixing then pooling equals pooling then mixing: a classifier can pool each layer once
    with torch.no_grad():
        pooled_then_mixed = mix(torch.from_numpy(every.sentences).transpose(0, 1)).numpy()
    np.testing.assert_allclose(mixed.sentences, pooled_then_mixed, rtol=1e-5, atol=1e-6)


def test_strings_are_tokenized_like_token_lists(tiny_model):
    a = tiny_model.embed(["The Cat sat!"])
    b = tiny_model.embed([["the", "cat", "sat"]])
    assert np.array_equal(a.sentences, b.sentences)


def test_an_empty_sentence_gives_zeros(tiny_model):
    out = tiny_model.embed(["", "a cat"], layer=1)
    assert out.tokens[0].shape == (0, tiny_model.dim)
    assert np.all(out.sentences[0] == 0) and np.any(out.sentences[1] != 0)
    assert tiny_model.embed([]).sentences.shape == (0, tiny_model.dim)


def test_bad_layers(tiny_model):
    with pytest.raises(ValueError, match=r"layer must be in -3\.\.2"):
        tiny_model.embed(["a"], layer=3)
    with pytest.raises(ValueError, match="one of average, all, mix"):
        tiny_model.embed(["a"], layer="top")
    with pytest.raises(ValueError, match="pass mix=ScalarMix"):
        tiny_model.embed(["a"], layer="mix")
    with pytest.raises(ValueError, match="combines 2 layers; this biLM has 3"):
        tiny_model.embed(["a"], layer="mix", mix=ScalarMix(2))
    with pytest.raises(TypeError, match="not one string"):
        tiny_model.embed("a cat")


@pytest.mark.parametrize("n, window, overlap", [(10, 6, 2), (100, 20, 5), (21, 20, 0), (57, 10, 9), (5, 10, 3)])
def test_window_plans_tile_the_document(n, window, overlap):
    plan = window_plan(n, window, overlap)
    kept = [i for _, _, a, b in plan for i in range(a, b)]
    assert kept == list(range(n))
    for start, stop, a, b in plan:
        assert 0 <= start <= a <= b <= stop <= n and stop - start == min(window, n)
        # a kept token sees overlap // 2 tokens on each side unless the document ends first
        assert a - start >= min(overlap // 2, a) and stop - b >= min(overlap - overlap // 2, n - b)


def test_long_documents_run_in_windows(tiny_model):
    doc = ("the cat sat on the mat and the dog looked at the old man " * 8).split()
    assert len(doc) == 112
    whole = tiny_model.embed([doc], layer="all", window=200).tokens[0]
    windowed = tiny_model.embed([doc], layer="all", window=40, overlap=16).tokens[0]
    assert windowed.shape == whole.shape == (3, 112, tiny_model.dim)
    assert np.array_equal(windowed[0], whole[0])  # the token layer has no context
    # the first window's kept tokens saw the same left context and a cut right context
    assert np.allclose(windowed[1:, :10], whole[1:, :10], atol=0.05)
    assert tiny_model.embed([doc]).tokens[0].shape == (112, tiny_model.dim)  # max_sentence_length (100) windows


def test_activations_for_torch_users(tiny_model):
    acts, mask = tiny_model.activations(["a cat sat", "the bank"])
    assert acts.shape == (3, 2, 3, tiny_model.dim) and mask.tolist() == [[True] * 3, [True, True, False]]
    assert torch.all(acts[:, 1, 2] == 0)
    want = tiny_model.embed(["the bank"], layer="all").tokens[0]
    np.testing.assert_allclose(acts[:, 1, :2].detach().numpy(), want, atol=1e-6)
