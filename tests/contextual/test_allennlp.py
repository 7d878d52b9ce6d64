"""Reading AllenNLP's ELMo files: a tiny options.json + weights.hdf5 written here in exactly the
published layout (bilm-tf's TensorFlow variables), checked layer by layer against a NumPy forward
pass written from the TensorFlow formulas, independently of the code under test."""

from __future__ import annotations

import json

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

from wordvec.contextual import ELMo  # noqa: E402
from wordvec.exceptions import FormatError  # noqa: E402

C, FILTERS, N_HIGHWAY, P, N, LAYERS, CLIP = 4, [[1, 4], [2, 6], [3, 5]], 2, 6, 10, 2, 3.0
F = sum(n for _, n in FILTERS)
OPTIONS = {"lstm": {"use_skip_connections": True, "projection_dim": P, "cell_clip": CLIP, "proj_clip": CLIP,
                    "dim": N, "n_layers": LAYERS},
           "char_cnn": {"activation": "relu", "filters": FILTERS, "n_highway": N_HIGHWAY, "embedding": {"dim": C},
                        "n_characters": 262, "max_characters_per_token": 50}}


def make_weights(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    w = {"char_embed": rng.normal(0, 1, (261, C))}
    for i, (width, n) in enumerate(FILTERS):
        w[f"CNN/W_cnn_{i}"] = rng.normal(0, 0.5, (1, width, C, n))
        w[f"CNN/b_cnn_{i}"] = rng.normal(0, 0.1, n)
    for k in range(N_HIGHWAY):
        for part in ("carry", "transform"):
            w[f"CNN_high_{k}/W_{part}"] = rng.normal(0, 0.3, (F, F))
            w[f"CNN_high_{k}/b_{part}"] = rng.normal(0, 0.1, F)
    w["CNN_proj/W_proj"] = rng.normal(0, 0.5, (F, P))
    w["CNN_proj/b_proj"] = rng.normal(0, 0.1, P)
    for d in range(2):
        for k in range(LAYERS):
            cell = f"RNN_{d}/RNN/MultiRNNCell/Cell{k}/LSTMCell"
            w[f"{cell}/W_0"] = rng.normal(0, 0.8, (P + P, 4 * N))  # large enough that the clips bite
            w[f"{cell}/B"] = rng.normal(0, 0.5, 4 * N)
            w[f"{cell}/W_P_0"] = rng.normal(0, 1.5, (N, P))
    return {k: v.astype(np.float32) for k, v in w.items()}


@pytest.fixture
def elmo_files(tmp_path):
    weights = make_weights()
    options_file, weight_file = tmp_path / "options.json", tmp_path / "weights.hdf5"
    options_file.write_text(json.dumps(OPTIONS))
    with h5py.File(weight_file, "w") as f:
        for name, value in weights.items():
            f.create_dataset(name, data=value)
    return options_file, weight_file, weights


# ---------------------------------------------------------------- the reference, in NumPy
def char_ids(word: str) -> list[int]:
    core = {"<S>": [256], "</S>": [257]}.get(word) or list(word.encode("utf-8"))[:48]
    ids = [258, *core, 259] + [260] * (48 - len(core))
    return [i + 1 for i in ids]


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def token_vector(word: str, w) -> np.ndarray:
    emb = np.vstack([np.zeros((1, C)), w["char_embed"]]).astype(np.float64)
    x = emb[char_ids(word)]                                    # (50, C)
    feats = []
    for i, (width, n) in enumerate(FILTERS):
        kern = w[f"CNN/W_cnn_{i}"][0]                          # (width, C, n)
        conv = [np.einsum("kc,kcn->n", x[s:s + width], kern) + w[f"CNN/b_cnn_{i}"] for s in range(50 - width + 1)]
        feats.append(np.maximum(np.max(conv, axis=0), 0.0))
    h = np.concatenate(feats)
    for k in range(N_HIGHWAY):
        g = sigmoid(h @ w[f"CNN_high_{k}/W_carry"] + w[f"CNN_high_{k}/b_carry"])
        t = np.maximum(h @ w[f"CNN_high_{k}/W_transform"] + w[f"CNN_high_{k}/b_transform"], 0.0)
        h = g * t + (1.0 - g) * h
    return h @ w["CNN_proj/W_proj"] + w["CNN_proj/b_proj"]


def lstm_tf(xs: np.ndarray, w, cell: str, clipped: list) -> np.ndarray:
    """TensorFlow's LSTMCell(num_proj, cell_clip, proj_clip), forget_bias 1, gates i, j, f, o."""
    c, h, out = np.zeros(N), np.zeros(P), []
    for x in xs:
        z = np.concatenate([x, h]) @ w[f"{cell}/W_0"] + w[f"{cell}/B"]
        i, j, f, o = np.split(z, 4)
        c = sigmoid(f + 1.0) * c + sigmoid(i) * np.tanh(j)
        clipped.append(int(np.sum(np.abs(c) > CLIP)))
        c = np.clip(c, -CLIP, CLIP)
        h = (sigmoid(o) * np.tanh(c)) @ w[f"{cell}/W_P_0"]
        clipped.append(int(np.sum(np.abs(h) > CLIP)))
        h = np.clip(h, -CLIP, CLIP)
        out.append(h)
    return np.array(out)


def reference(sentence: list[str], w, clipped: list) -> np.ndarray:
    """(LAYERS + 1, len + 2, 2P): [token, token], then [forward, backward] per LSTM layer, markers included."""
    tokens = np.array([token_vector(t, w) for t in ["<S>", *sentence, "</S>"]])
    layers = [np.concatenate([tokens, tokens], axis=1)]
    fwd, bwd = tokens, tokens[::-1]
    for k in range(LAYERS):
        f_out = lstm_tf(fwd, w, f"RNN_0/RNN/MultiRNNCell/Cell{k}/LSTMCell", clipped)
        b_out = lstm_tf(bwd, w, f"RNN_1/RNN/MultiRNNCell/Cell{k}/LSTMCell", clipped)
        if k > 0:  # residual connections from the second layer on
            f_out, b_out = f_out + fwd, b_out + bwd
        fwd, bwd = f_out, b_out
        layers.append(np.concatenate([f_out, b_out[::-1]], axis=1))
    return np.stack(layers)


SENTENCES = [["the", "bank", "of", "the", "river"], ["unseenwordxyz"], ["a", "über", "long", "sentence", "with",
                                                                          "many", "more", "words", "than", "others"]]


def test_layers_match_an_independent_numpy_forward_pass(elmo_files):
    options_file, weight_file, weights = elmo_files
    elmo = ELMo.from_allennlp(options_file, weight_file, device="cpu")
    cfg = elmo.config
    assert (cfg.projection_dim, cfg.lstm_dim, cfg.n_layers, cfg.cell_clip, cfg.proj_clip) == (P, N, LAYERS, CLIP, CLIP)
    out = elmo.embed(SENTENCES, layer="all")  # one padded batch: sentences of 1 to 10 words
    clipped: list[int] = []
    for sent, got in zip(SENTENCES, out.tokens):
        want = reference(sent, weights, clipped)[:, 1:-1]  # embed drops the markers
        assert got.shape == want.shape == (LAYERS + 1, len(sent), 2 * P)
        for layer in range(LAYERS + 1):
            np.testing.assert_allclose(got[layer], want[layer], rtol=1e-4, atol=1e-4, err_msg=f"layer {layer}")
    assert sum(clipped) > 0, "the weights should make the clips bite, or the test checks less than it says"


def test_the_markers_positions_match_too(elmo_files):
    import torch

    from wordvec.contextual.chars import sentence_char_ids

    options_file, weight_file, weights = elmo_files
    elmo = ELMo.from_allennlp(options_file, weight_file, device="cpu")
    ids, lengths = sentence_char_ids(SENTENCES[:1])
    with torch.no_grad():
        acts = elmo.bilm_(torch.from_numpy(ids).long(), torch.from_numpy(lengths))[:, 0].numpy()
    np.testing.assert_allclose(acts, reference(SENTENCES[0], weights, []), rtol=1e-4, atol=1e-4)


def test_the_model_saves_and_loads_without_softmax(elmo_files, tmp_path):
    options_file, weight_file, _ = elmo_files
    elmo = ELMo.from_allennlp(options_file, weight_file, device="cpu")
    elmo.save(tmp_path / "converted")
    back = ELMo.load(tmp_path / "converted", device="cpu")
    assert back.vocab_ is None and back.source_ == "allennlp"
    assert np.array_equal(back.embed(SENTENCES).sentences, elmo.embed(SENTENCES).sentences)
    with pytest.raises(ValueError, match="no softmax"):
        back.perplexity([["a", "b"]])


def test_a_missing_dataset_names_the_file_and_the_dataset(elmo_files):
    options_file, weight_file, _ = elmo_files
    with h5py.File(weight_file, "a") as f:
        del f["CNN_proj/W_proj"]
    with pytest.raises(FormatError, match=r"weights\.hdf5: dataset CNN_proj/W_proj is missing"):
        ELMo.from_allennlp(options_file, weight_file)


def test_weights_of_other_sizes_are_refused(elmo_files):
    options_file, weight_file, _ = elmo_files
    options = json.loads(options_file.read_text())
    options["lstm"]["dim"] = N + 2
    options_file.write_text(json.dumps(options))
    with pytest.raises(FormatError, match=r"weights\.hdf5: dataset RNN_0/.*/W_0 has shape"):
        ELMo.from_allennlp(options_file, weight_file)


def test_files_that_are_not_elmo_files(elmo_files, tmp_path):
    options_file, weight_file, _ = elmo_files
    bad = tmp_path / "not.hdf5"
    bad.write_bytes(b"this is not hdf5")
    with pytest.raises(FormatError, match=r"not\.hdf5: not an HDF5 file"):
        ELMo.from_allennlp(options_file, bad)
    bad_options = tmp_path / "bad.json"
    bad_options.write_text('{"lstm": {"use_skip_connections": true}}')
    with pytest.raises(FormatError, match=r"bad\.json: not ELMo options"):
        ELMo.from_allennlp(bad_options, weight_file)
    with pytest.raises(FileNotFoundError, match="nowhere.hdf5"):
        ELMo.from_allennlp(options_file, tmp_path / "nowhere.hdf5")


def test_options_without_a_real_projection_are_refused(elmo_files):
    # wordvec reads lstm_dim == projection_dim as "no projection"; bilm-tf would still project.
    options_file, weight_file, _ = elmo_files
    options = json.loads(options_file.read_text())
    options["lstm"]["dim"] = options["lstm"]["projection_dim"]
    options_file.write_text(json.dumps(options))
    with pytest.raises(FormatError, match=r"must be larger than lstm\.projection_dim"):
        ELMo.from_allennlp(options_file, weight_file)
