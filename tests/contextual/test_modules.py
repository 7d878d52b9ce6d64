"""The network's mechanics: shapes, masks, padding invariance, causality, unseen words, the two
LSTM code paths, the character CNN's short cut, ScalarMix."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from wordvec.contextual.bilm import BiLM, reverse_padded
from wordvec.contextual.charcnn import CharCNNEncoder
from wordvec.contextual.chars import char_table, sentence_char_ids
from wordvec.contextual.config import preset_config
from wordvec.contextual.embed import embed_tokens
from wordvec.contextual.lstm import ProjectedLSTM
from wordvec.contextual.scalar_mix import ScalarMix

CFG = preset_config(char_embedding_dim=4, filters=((1, 8), (2, 8), (3, 8)), n_highway=1, projection_dim=8,
                    lstm_dim=16, n_layers=2, seed=3)  # conftest's TINY sizes


def run(bilm: BiLM, sentences):
    ids, lengths = sentence_char_ids(sentences, CFG.max_characters_per_token)
    with torch.no_grad():
        return bilm(torch.from_numpy(ids).long(), torch.from_numpy(lengths)).numpy(), lengths


def test_shapes_and_padding_is_zero(fresh_bilm):
    acts, lengths = run(fresh_bilm, [["a", "b", "c"], ["d"]])
    assert acts.shape == (CFG.n_layers + 1, 2, 5, 2 * CFG.projection_dim)
    assert lengths.tolist() == [5, 3]
    assert np.all(acts[:, 1, 3:] == 0) and np.any(acts[:, 1, :3] != 0)
    # layer 0 is the token vector twice
    assert np.array_equal(acts[0, :, :, :CFG.projection_dim], acts[0, :, :, CFG.projection_dim:])


def test_a_sentence_does_not_depend_on_its_batch_mates(fresh_bilm):
    target = ["the", "bank", "of", "the", "river"]
    alone = embed_tokens(fresh_bilm, [target], layer="all").tokens[0]
    crowds = [[["x"] * 12, target, ["a", "b"]], [target, ["extraordinarilylongword"] * 3], [["y"], target]]
    for crowd in crowds:
        got = embed_tokens(fresh_bilm, crowd, layer="all", batch_size=8).tokens[crowd.index(target)]
        np.testing.assert_allclose(got, alone, rtol=0, atol=1e-6)


def test_the_forward_lm_never_sees_the_future_nor_the_backward_the_past(fresh_bilm):
    base = ["one", "two", "three", "four", "five", "six"]
    changed = base[:3] + ["CHANGED"] + base[4:]
    a, _ = run(fresh_bilm, [base])
    b, _ = run(fresh_bilm, [changed])
    p, t = CFG.projection_dim, 1 + 3  # position of the changed word, <S> counted
    # "unchanged" up to float rounding (a longer word changes the CNN's width, and BLAS its blocking)
    for layer in range(1, CFG.n_layers + 1):
        fwd_before = np.abs(a[layer, 0, :t, :p] - b[layer, 0, :t, :p]).max()
        bwd_after = np.abs(a[layer, 0, t + 1:, p:] - b[layer, 0, t + 1:, p:]).max()
        fwd_after = np.abs(a[layer, 0, t + 1:, :p] - b[layer, 0, t + 1:, :p]).max()
        bwd_before = np.abs(a[layer, 0, :t, p:] - b[layer, 0, :t, p:]).max()
        assert fwd_before < 1e-6, "forward states before the change moved"
        assert bwd_after < 1e-6, "backward states after the change moved"
        assert min(fwd_after, bwd_before) > 1e-4  # while the states that may see it did move


def test_any_word_gets_a_vector_from_its_characters():
    enc = CharCNNEncoder(CFG).eval()
    with torch.no_grad():
        vecs = enc(torch.from_numpy(char_table(["bank", "banks", "qwzxjvk", "은행"])).long()).numpy()
    assert vecs.shape == (4, CFG.projection_dim) and np.all(np.isfinite(vecs))
    assert len({v.tobytes() for v in vecs}) == 4


def test_the_cnn_short_cut_equals_the_full_width_computation():
    torch.manual_seed(1)
    enc = CharCNNEncoder(CFG)
    ids = torch.from_numpy(char_table(["a", "bank", "riverside", "x" * 60, "<S>"])).long()

    def full(ids):
        x = enc.char_embedding(ids).transpose(1, 2)
        h = torch.cat([torch.relu(c(x).amax(-1)) for c in enc.convolutions], -1)
        for hw in enc.highways:
            h = hw(h)
        return enc.projection(h)

    for rows in (ids[:3], ids[[0, 4]], ids):  # the short cut applies to the first two only
        torch.testing.assert_close(enc(rows), full(rows), rtol=1e-5, atol=1e-6)
        grad_a = torch.autograd.grad(enc(rows).sum(), enc.char_embedding.weight)[0]
        grad_b = torch.autograd.grad(full(rows).sum(), enc.char_embedding.weight)[0]
        torch.testing.assert_close(grad_a, grad_b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("cells, out", [(12, 4), (6, 6)], ids=["projected", "no projection"])
def test_the_step_loop_equals_the_fused_lstm_without_clipping(cells, out):
    torch.manual_seed(0)
    layer = ProjectedLSTM(5, cells, out)
    assert (layer.lstm.proj_size == 0) == (cells == out)  # equal sizes: a plain LSTM, no projection
    x = torch.randn(3, 7, 5)
    fused = layer(x)
    assert fused.shape == (3, 7, out)
    assert not layer.clipped
    torch.testing.assert_close(layer._loop(x), fused, rtol=1e-5, atol=1e-6)
    layer.cell_clip = 0.05
    assert not torch.allclose(layer(x), fused)  # the clip does something


def test_a_projection_wider_than_the_cells_is_refused():
    with pytest.raises(ValueError, match="projection_dim \\(8\\) cannot exceed lstm_dim \\(4\\)"):
        ProjectedLSTM(3, 4, 8)


def test_reverse_padded_reverses_within_each_length():
    x = torch.arange(8).view(2, 4, 1)
    out = reverse_padded(x, torch.tensor([4, 2]))
    assert out[..., 0].tolist() == [[3, 2, 1, 0], [5, 4, 6, 7]]
    assert torch.equal(reverse_padded(out, torch.tensor([4, 2])), x)


def test_scalar_mix_softmax_weights_and_gamma():
    layers = torch.stack([torch.full((2, 3), float(v)) for v in (1.0, 2.0, 4.0)])
    mix = ScalarMix(3)
    torch.testing.assert_close(mix(layers), layers.mean(0))  # starts as the average
    mix = ScalarMix(3, weights=[0.0, np.log(2.0), np.log(5.0)], gamma=2.0)
    torch.testing.assert_close(mix.normalized_weights(), torch.tensor([0.125, 0.25, 0.625]))
    torch.testing.assert_close(mix(layers), torch.full((2, 3), 2.0 * (0.125 + 0.5 + 2.5)))
    assert [n for n, _ in mix.named_parameters()] == ["scalar_parameters", "gamma"]
    (mix(layers).sum()).backward()
    assert mix.scalar_parameters.grad is not None and mix.gamma.grad is not None
    assert list(ScalarMix(3, trainable=False).parameters()) == []
    with pytest.raises(ValueError, match="mixes 3 layers, got 2"):
        mix(layers[:2])
