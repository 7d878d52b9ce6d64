"""The classifier on frozen ELMo features, end to end on a small sample: a tiny biLM trained here,
the classifier trained on its features, saved and reloaded, and the same through the command line."""

from __future__ import annotations

import json
import random
import re

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("safetensors")

from typer.testing import CliRunner

from wordvec.cli.app import app
from wordvec.contextual import ELMo, ScalarMix
from wordvec.exceptions import FormatError, NotFittedError
from wordvec.torch import ContextualClassifier, TextClassifier, load_classifier
from wordvec.torch.contextual import ContextualNet

POS = ["good", "great", "lovely", "superb"]
NEG = ["bad", "awful", "poor", "dreadful"]
MIXED = ["average", "middling", "so-so"]
FILL = ["the", "film", "plot", "was", "a", "story", "really", "actor"]
#: A biLM small enough to train on 400 sentences in about a second.
TINY = dict(char_embedding_dim=4, filters=((1, 8), (2, 8), (3, 8)), n_highway=1, projection_dim=16, lstm_dim=32,
            n_layers=2, batch_tokens=96, min_count=1, epochs=1, seed=3)
#: Classifier settings that learn the synthetic task in a few tenths of a second.
FAST = dict(hidden=32, learning_rate=0.01, epochs=30, patience=5, seed=1)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def synthetic(n: int, seed: int, classes: int = 2) -> tuple[list[str], list[str]]:
    """Filler words around one word of the text's class."""
    words_of = {"pos": POS, "neg": NEG, "mixed": MIXED}
    names = ["neg", "pos", "mixed"][:classes]
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(n):
        label = names[i % classes]
        words = [rng.choice(FILL) for _ in range(rng.randint(2, 6))] + [rng.choice(words_of[label])]
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def elmo():
    texts, _ = synthetic(400, seed=1, classes=3)
    return ELMo(progress=False, **TINY).fit([t.split() for t in texts])


@pytest.fixture(scope="module")
def elmo_dir(elmo, tmp_path_factory):
    path = tmp_path_factory.mktemp("elmo") / "bilm"
    elmo.save(path)
    return path


@pytest.fixture(scope="module")
def trained(elmo):
    texts, labels = synthetic(400, seed=1)
    return ContextualClassifier(elmo, **FAST).fit(texts, labels)


def test_learns_a_separable_task(trained):
    texts, labels = synthetic(200, seed=2)
    assert trained.evaluate(texts, labels)["accuracy"] >= 0.9
    assert trained.score(texts, labels) == trained.evaluate(texts, labels)["accuracy"]
    assert trained.classes_ == ["neg", "pos"]
    assert trained.model_.output.out_features == 1  # two classes: one logit, a sigmoid
    proba = trained.predict_proba(["a really lovely film", "the awful plot", ""])
    assert proba.shape == (3, 2) and proba.dtype == np.float32
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)
    assert trained.predict(["a really lovely film", "the awful plot"]) == ["pos", "neg"]
    weights = trained.layer_weights()
    assert len(weights) == 3 and abs(sum(weights) - 1) < 1e-6


def test_history_early_stopping_and_best_epoch(trained):
    h = trained.history_
    assert [r["epoch"] for r in h] == list(range(1, len(h) + 1))
    assert {"loss", "accuracy", "val_loss", "val_accuracy", "seconds"} <= set(h[0])
    assert h[trained.best_epoch_ - 1]["val_loss"] == min(r["val_loss"] for r in h)
    assert len(h) - trained.best_epoch_ <= trained.patience
    assert trained.seconds_features_ > 0


def test_features_are_every_layer_mean_pooled(trained, elmo):
    texts = ["the lovely film", "a plot", ""]
    feats = trained.features(texts)
    assert feats.shape == (3, elmo.n_layers, elmo.dim) and feats.dtype == np.float32
    np.testing.assert_allclose(feats, elmo.embed(texts, layer="all").sentences, rtol=1e-5, atol=1e-6)
    assert not feats[2].any()  # an empty text: zeros
    cut = ContextualClassifier(elmo, max_len=2)
    np.testing.assert_allclose(cut.features(["the lovely film"]), trained.features(["the lovely"]), atol=1e-6)


def test_features_in_many_small_chunks_keep_the_texts_order(trained, monkeypatch):
    import wordvec.torch.contextual as module

    texts, _ = synthetic(30, seed=11)
    whole = trained.features(texts)
    monkeypatch.setattr(module, "_CHUNK_TOKENS", 7)
    monkeypatch.setattr(module, "_CHUNK_TEXTS", 3)
    np.testing.assert_allclose(trained.features(texts), whole, rtol=1e-5, atol=1e-6)


def test_mixing_pooled_layers_equals_pooling_mixed_vectors(trained, elmo):
    """The frozen-biLM shortcut: a scalar mix without layer norm commutes with mean pooling."""
    mix = ScalarMix(elmo.n_layers, weights=[0.5, -1.0, 2.0], gamma=1.7, trainable=False)
    texts = ["the really lovely film was a story", "awful"]
    pooled = torch.from_numpy(trained.features(texts))
    with torch.no_grad():
        mixed_after = mix(pooled.transpose(0, 1)).numpy()
    mixed_first = elmo.embed(texts, layer="mix", mix=mix).sentences
    np.testing.assert_allclose(mixed_after, mixed_first, rtol=1e-5, atol=1e-6)


def test_save_and_load_give_identical_predictions(trained, tmp_path):
    trained.save(tmp_path / "clf")
    assert sorted(p.name for p in (tmp_path / "clf").iterdir()) == ["bilm", "config.json", "weights.safetensors"]
    meta = json.loads((tmp_path / "clf" / "config.json").read_text())
    assert meta["kind"] == "wordvec.ContextualClassifier" and meta["classes"] == ["neg", "pos"]
    assert meta["features"] == {"kind": "elmo", "directory": "bilm", "n_layers": 3, "dim": 32, "static": None}
    assert meta["config"]["hidden"] == 32 and meta["best_epoch"] == trained.best_epoch_
    assert ELMo.load(tmp_path / "clf" / "bilm").dim == 32  # the copy of the biLM is an ordinary ELMo model
    texts, _ = synthetic(50, seed=4)
    for again in (ContextualClassifier.load(tmp_path / "clf"), load_classifier(tmp_path / "clf")):
        assert isinstance(again, ContextualClassifier)
        np.testing.assert_array_equal(again.predict_proba(texts), trained.predict_proba(texts))
        assert again.classes_ == trained.classes_ and again.history_ == trained.history_
        assert again.config == trained.config


def test_load_classifier_reads_static_classifiers_too(tmp_path):
    texts, labels = synthetic(60, seed=5)
    TextClassifier(4, epochs=1, seed=0).fit(texts, labels).save(tmp_path / "static")
    assert isinstance(load_classifier(tmp_path / "static"), TextClassifier)
    with pytest.raises(ValueError, match="not a wordvec classifier"):
        ContextualClassifier.load(tmp_path / "static")


def test_an_elmo_directory_and_three_classes(elmo_dir):
    texts, labels = synthetic(300, seed=6, classes=3)
    clf = ContextualClassifier(str(elmo_dir), **FAST).fit(texts, labels)
    assert clf.classes_ == ["mixed", "neg", "pos"] and clf.model_.output.out_features == 3
    test_texts, test_labels = synthetic(90, seed=7, classes=3)
    assert clf.evaluate(test_texts, test_labels)["accuracy"] >= 0.8
    np.testing.assert_allclose(clf.predict_proba(test_texts).sum(axis=1), 1, rtol=1e-6)
    assert repr(clf).startswith(f"ContextualClassifier({str(elmo_dir)!r}, hidden=32")


def test_validation_data_and_same_seed_same_model(elmo):
    texts, labels = synthetic(120, seed=8)
    val = synthetic(30, seed=9)
    a = ContextualClassifier(elmo, epochs=2, seed=4).fit(texts, labels, validation=val)
    b = ContextualClassifier(elmo, epochs=2, seed=4).fit(texts, labels, validation=val)
    np.testing.assert_array_equal(a.predict_proba(val[0]), b.predict_proba(val[0]))
    rows = []
    ContextualClassifier(elmo, epochs=2, validation_split=0.0).fit(texts, labels, on_epoch=rows.append)
    assert len(rows) == 2 and "val_loss" not in rows[0]


def test_bad_inputs(elmo, tmp_path, elmo_dir):
    texts, labels = synthetic(20, seed=10)
    with pytest.raises(ValueError, match="at least two classes"):
        ContextualClassifier(elmo).fit(texts, ["pos"] * len(texts))
    with pytest.raises(ValueError, match="20 texts but 19 labels"):
        ContextualClassifier(elmo).fit(texts, labels[:-1])
    with pytest.raises(ValueError, match="validation labels not in the training labels: other"):
        ContextualClassifier(elmo).fit(texts, labels, validation=(["x"], ["other"]))
    with pytest.raises(ValueError, match="hidden must be >= 1"):
        ContextualClassifier(elmo, hidden=0).fit(texts, labels)
    with pytest.raises(TypeError, match="fitted ELMo or the directory"):
        ContextualClassifier().fit(texts, labels)
    with pytest.raises(NotFittedError, match="not trained yet"):
        ContextualClassifier(ELMo(**TINY)).fit(texts, labels)
    with pytest.raises(NotFittedError):
        ContextualClassifier(elmo).predict(["good"])
    with pytest.raises(TypeError, match="list of texts"):
        ContextualClassifier(elmo).features("one string")
    with pytest.raises(FileNotFoundError, match="not a wordvec classifier directory"):
        load_classifier(tmp_path / "nothing")
    with pytest.raises(ValueError, match="not a wordvec classifier"):
        load_classifier(elmo_dir)  # an ELMo model is no classifier


# ---------------------------------------------------------------------- static vectors beside ELMo
def sentiment_vectors():
    """2-d vectors whose first coordinate is the words' sentiment: the task is linear in their mean."""
    from wordvec import KeyedVectors

    words = POS + NEG + MIXED + FILL + ["unseengood"]
    rows = [[1.0, 0.1]] * len(POS) + [[-1.0, 0.1]] * len(NEG) + [[0.0, 0.2]] * (len(MIXED) + len(FILL)) + [[1.0, 0.3]]
    return KeyedVectors(words, np.array(rows, dtype=np.float32))


def test_the_static_mean_joins_the_mixed_elmo_vector():
    static = torch.nn.Embedding(6, 2, padding_idx=1)
    net = ContextualNet(2, 4, hidden=3, n_outputs=1, static=static)
    features = torch.randn(2, 2, 4)
    ids = torch.tensor([[2, 3, 1], [4, 1, 1]])
    mask = ids != 1
    with torch.no_grad():
        mixed = net.mix(((features - net.shift) * net.scale).transpose(0, 1))
        mean = torch.stack([static.weight[[2, 3]].mean(0), static.weight[4]])
        expected = net.output(torch.relu(net.hidden(torch.cat([mixed, mean], dim=1))))
        np.testing.assert_allclose(net(features, ids, mask).numpy(), expected.numpy(), rtol=1e-6)
    assert net.hidden.in_features == 4 + 2
    with pytest.raises(ValueError, match="ids and mask"):
        net(features)


@pytest.mark.parametrize("freeze", [False, True])
def test_static_vectors_beside_elmo_fit_save_and_load(elmo, tmp_path, freeze):
    kv = sentiment_vectors()
    texts, labels = synthetic(200, seed=6)
    clf = ContextualClassifier(elmo, vectors=kv, freeze=freeze, **FAST).fit(texts, labels)
    assert clf.pretrained_found_ == len(kv) and clf.model_.static.weight.shape == (len(kv) + 2, 2)
    assert "vectors=<20 vectors>" in repr(clf) and (f"freeze={freeze}" in repr(clf)) == freeze
    test_texts, test_labels = synthetic(100, seed=7)
    assert clf.score(test_texts, test_labels) >= 0.9
    # a word the training texts never had keeps its pre-trained row (no gradient ever reaches it)
    unseen = clf.model_.static.weight[clf.vocabulary_.key_to_index["unseengood"]].detach().numpy()
    np.testing.assert_array_equal(unseen, kv["unseengood"])
    row = clf.model_.static.weight[clf.vocabulary_.key_to_index["good"]].detach().numpy()
    assert np.array_equal(row, kv["good"]) == freeze  # fine-tuned unless frozen

    clf.save(tmp_path / "clf")
    assert sorted(p.name for p in (tmp_path / "clf").iterdir()) == ["bilm", "config.json", "vocab.json",
                                                                    "weights.safetensors"]
    meta = json.loads((tmp_path / "clf" / "config.json").read_text())
    assert meta["features"]["static"] == {"vocabulary": "vocab.json", "dim": 2, "found": len(kv)}
    assert meta["config"]["freeze"] is freeze
    again = load_classifier(tmp_path / "clf")
    np.testing.assert_array_equal(again.predict_proba(test_texts), clf.predict_proba(test_texts))
    assert again.vocabulary_ == clf.vocabulary_ and again.config == clf.config
    (tmp_path / "clf" / "vocab.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(FormatError, match="vocab.json"):
        ContextualClassifier.load(tmp_path / "clf")


def test_static_vectors_must_be_keyed_vectors(elmo):
    texts, labels = synthetic(40, seed=8)
    with pytest.raises(TypeError, match="KeyedVectors"):
        ContextualClassifier(elmo, vectors={"good": np.ones(2)}, **FAST).fit(texts, labels)


def test_damaged_weights_name_the_file(trained, tmp_path):
    trained.save(tmp_path / "clf")
    (tmp_path / "clf" / "weights.safetensors").write_bytes(b"not safetensors")
    with pytest.raises(FormatError, match="weights.safetensors"):
        ContextualClassifier.load(tmp_path / "clf")


# ---------------------------------------------------------------------- the command line
def invoke(*args):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def write_tsv(path, n: int, seed: int):
    texts, labels = synthetic(n, seed)
    path.write_text("label\ttext\n" + "".join(f"{y}\t{t}\n" for t, y in zip(texts, labels)), encoding="utf-8")
    return path


def test_cli_train_predict_evaluate_with_elmo_features(elmo_dir, tmp_path):
    out = tmp_path / "clf"
    result = invoke("classify", "train", write_tsv(tmp_path / "train.tsv", 400, 1), "-o", out,
                    "--features", f"elmo:{elmo_dir}", "--hidden", "32", "--learning-rate", "0.01",
                    "--epochs", "30", "--patience", "5", "--seed", "1")
    assert result.exit_code == 0, result.output
    text = ANSI.sub("", result.stdout)
    assert "epoch   1  loss" in text and "ELMo features (3 layers x 32, mixed " in text and f"saved to {out}" in text
    assert json.loads((out / "config.json").read_text())["config"]["hidden"] == 32

    result = invoke("classify", "predict", out, "a lovely film", "the awful plot")
    assert result.exit_code == 0, result.output
    assert [ln.split("\t")[0] for ln in result.stdout.strip().splitlines()] == ["pos", "neg"]

    result = invoke("classify", "evaluate", out, write_tsv(tmp_path / "test.tsv", 100, 2))
    assert result.exit_code == 0, result.output
    accuracy = float(re.search(r"accuracy (\S+)", result.stdout).group(1))
    assert accuracy >= 0.9 and "of 100 texts" in result.stdout


@pytest.mark.parametrize("features, message", [
    ("elmo", "--features must be 'static' or 'elmo:DIR'"),
    ("glove:x", "--features must be 'static' or 'elmo:DIR'"),
])
def test_cli_bad_features_value_is_one_line(tmp_path, features, message):
    result = invoke("classify", "train", write_tsv(tmp_path / "t.tsv", 10, 1), "-o", tmp_path / "m",
                    "--features", features)
    err = ANSI.sub("", result.stderr).strip()
    assert result.exit_code == 1 and err.startswith("error: ") and "\n" not in err and message in err


def test_cli_a_directory_that_is_no_elmo_model(tmp_path):
    data = write_tsv(tmp_path / "t.tsv", 10, 1)
    for target, message in [(tmp_path / "missing", "ELMo model not found"), (tmp_path, "config.json")]:
        result = invoke("classify", "train", data, "-o", tmp_path / "m", "--features", f"elmo:{target}")
        err = ANSI.sub("", result.stderr).strip()
        assert result.exit_code == 1 and err.startswith("error: ") and "\n" not in err and message in err, err
    assert not (tmp_path / "m").exists()


def test_cli_elmo_features_with_static_vectors(elmo_dir, tmp_path):
    from wordvec.io import save_word2vec

    vec = tmp_path / "static.vec"
    save_word2vec(sentiment_vectors(), vec)
    out = tmp_path / "clf"
    result = invoke("classify", "train", write_tsv(tmp_path / "train.tsv", 200, 1), "-o", out,
                    "--features", f"elmo:{elmo_dir}", "--vectors", vec, "--freeze", "--hidden", "32",
                    "--learning-rate", "0.01", "--epochs", "30", "--patience", "5", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert "and static vectors (20 words x 2, frozen)" in ANSI.sub("", result.stdout)
    result = invoke("classify", "evaluate", out, write_tsv(tmp_path / "test.tsv", 100, 2))
    assert result.exit_code == 0 and float(re.search(r"accuracy (\S+)", result.stdout).group(1)) >= 0.9
    result = invoke("classify", "train", write_tsv(tmp_path / "t.tsv", 10, 1), "-o", tmp_path / "m2",
                    "--features", f"elmo:{elmo_dir}", "--freeze")
    assert result.exit_code == 1 and "--freeze needs --vectors" in ANSI.sub("", result.stderr)


def test_cli_static_options_are_refused_with_elmo(elmo_dir, tmp_path):
    result = invoke("classify", "train", write_tsv(tmp_path / "t.tsv", 10, 1), "-o", tmp_path / "m",
                    "--features", f"elmo:{elmo_dir}", "--embedding-dim", "8", "--tokenizer", "whitespace")
    err = ANSI.sub("", result.stderr).strip()
    assert result.exit_code == 1 and "--embedding-dim, --tokenizer apply to static features only" in err


def test_dropout_in_training_only_and_seeded(elmo):
    net = ContextualNet(3, 32, 16, 1, dropout=0.5)
    x = torch.randn(64, 3, 32)
    net.eval()
    np.testing.assert_array_equal(net(x).detach(), net(x).detach())  # no dropout when predicting
    net.train()
    torch.manual_seed(0)
    a = net(x).detach()
    torch.manual_seed(1)
    assert not torch.equal(a, net(x).detach())  # a new mask each batch
    hidden_inputs = []
    net.hidden.register_forward_pre_hook(lambda module, args: hidden_inputs.append(args[0].detach()))
    net(x)
    zeroed = float((hidden_inputs[-1] == 0).float().mean())
    assert 0.4 < zeroed < 0.6  # half of the dense layer's inputs

    texts, labels = synthetic(200, seed=11)
    val = synthetic(40, seed=12)
    runs = [ContextualClassifier(elmo, **{**FAST, "epochs": 3}, dropout=d).fit(texts, labels, validation=val)
            for d in (0.5, 0.5, 0.0)]
    torch.manual_seed(123)  # the global state does not reach the masks: same seed, same model
    np.testing.assert_array_equal(runs[0].predict_proba(val[0]), runs[1].predict_proba(val[0]))
    assert not np.array_equal(runs[0].predict_proba(val[0]), runs[2].predict_proba(val[0]))
    assert runs[0].model_.dropout.p == 0.5 and "dropout=0.5" in repr(runs[0])


def test_dropout_saved_and_validated(elmo, tmp_path):
    texts, labels = synthetic(120, seed=13)
    clf = ContextualClassifier(elmo, **{**FAST, "epochs": 2}, dropout=0.3).fit(texts, labels)
    clf.save(tmp_path / "clf")
    again = ContextualClassifier.load(tmp_path / "clf")
    assert again.dropout == 0.3 and json.loads((tmp_path / "clf" / "config.json").read_text())["config"]["dropout"] == 0.3
    np.testing.assert_array_equal(again.predict_proba(texts[:20]), clf.predict_proba(texts[:20]))
    for bad in (1.0, -0.1, True, "0.5"):
        with pytest.raises(ValueError, match="dropout must be"):
            ContextualClassifier(elmo, dropout=bad).fit(texts, labels)


def test_cli_dropout_is_an_elmo_option(elmo_dir, tmp_path):
    data = write_tsv(tmp_path / "t.tsv", 60, 1)
    result = invoke("classify", "train", data, "-o", tmp_path / "m", "--dropout", "0.5")
    err = ANSI.sub("", result.stderr).strip()
    assert result.exit_code == 1 and "--dropout apply to --features elmo:DIR only" in err and not (tmp_path / "m").exists()
    out = tmp_path / "clf"
    result = invoke("classify", "train", data, "-o", out, "--features", f"elmo:{elmo_dir}", "--dropout", "0.25",
                    "--hidden", "16", "--epochs", "2", "--quiet")
    assert result.exit_code == 0, result.output
    assert json.loads((out / "config.json").read_text())["config"]["dropout"] == 0.25
