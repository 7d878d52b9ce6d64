"""What the estimators share (models/base.py) and the registry that fits one by name."""

from __future__ import annotations

import re

import numpy as np
import pytest
from typer.testing import CliRunner

import wordvec
from wordvec.config import MODELS
from wordvec.cooccur import build_cooccurrence
from wordvec.exceptions import NotFittedError, TrainingDivergedError
from wordvec.io import read_native_config
from wordvec.models import ESTIMATORS, PPMISVD, FastText, GloVe, Word2Vec, fit_model, get_estimator

SENTENCES = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "sat", "on", "the", "log"],
             ["a", "cat", "and", "a", "dog"]] * 30
SMALL = {"word2vec": dict(vector_size=8, epochs=1, workers=1), "fasttext": dict(vector_size=8, epochs=1, bucket=100),
         "glove": dict(vector_size=8, epochs=2, workers=1), "ppmi-svd": dict(vector_size=3)}


def test_every_model_name_has_an_estimator_whose_config_carries_the_name():
    assert tuple(ESTIMATORS) == MODELS
    for name, cls in ESTIMATORS.items():
        assert get_estimator(name) is cls and cls.config_class.model_name == name
    with pytest.raises(ValueError, match="unknown model 'bert'; choose one of word2vec, fasttext, glove, ppmi-svd"):
        get_estimator("bert")


@pytest.mark.parametrize("name", MODELS)
def test_config_repr_guard_and_summary_are_shared(name):
    cls = ESTIMATORS[name]
    model = cls(**SMALL[name], min_count=1, progress=False)
    assert model.config == cls.config_class(**SMALL[name], min_count=1)
    assert repr(model).startswith(f"{cls.__name__}(vector_size=")
    for attempt in (lambda: model.wv, model.summary, lambda: model.save("never")):
        with pytest.raises(NotFittedError, match=r"not trained yet: call fit\(corpus\)"):
            attempt()
    fitted = fit_model(name, SENTENCES, **SMALL[name], min_count=1, progress=False)
    assert type(fitted) is cls and fitted.wv.vector_size == SMALL[name]["vector_size"]
    assert fitted.summary().startswith(f"Trained {name} (") and "words in the vocabulary" in fitted.summary()
    assert fitted.tokenizer_ is None  # token lists: nothing was tokenized


def test_reprs_name_the_main_settings():
    assert repr(Word2Vec()) == "Word2Vec(vector_size=100, architecture='skipgram', loss='negative', window=5, epochs=5)"
    assert repr(FastText()) == ("FastText(vector_size=100, architecture='skipgram', loss='negative', min_n=3, "
                                "max_n=6, bucket=2000000)")
    assert repr(FastText(jamo=True)).endswith("bucket=2000000, jamo=True)")
    assert repr(GloVe()) == "GloVe(vector_size=100, window=10, x_max=100.0, weight_exponent=0.75, epochs=25)"
    assert repr(PPMISVD(cds=1.0)) == "PPMISVD(vector_size=100, window=10, cds=1.0, eig=0.5)"


def test_fit_model_takes_a_counted_matrix_for_the_cooccurrence_models(tmp_path):
    matrix = build_cooccurrence(SENTENCES, min_count=1, progress=False)
    matrix.save(tmp_path / "m.npz")
    for source in (matrix, tmp_path / "m.npz", str(tmp_path / "m.npz")):
        model = fit_model("ppmi-svd", source, vector_size=3, progress=False)
        assert model.wv.index_to_key == matrix.keys and not hasattr(model, "cooccurrence_")
    with pytest.raises(TypeError, match="negative"):
        fit_model("glove", matrix, negative=5)


@pytest.mark.parametrize("cls", [GloVe, PPMISVD])
def test_cooccurrence_models_record_their_tokenizer_and_reuse_the_matrix_vocabulary(cls, tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("\n".join(" ".join(s) for s in SENTENCES) + "\n", encoding="utf-8")
    model = cls(vector_size=3, min_count=1, tokenizer="whitespace", progress=False).fit(corpus)
    assert model.tokenizer_ == {"name": "whitespace", "lowercase": False}
    assert model.vocab_.index_to_key == model.cooccurrence_.keys
    np.testing.assert_array_equal(model.vocab_.counts, model.cooccurrence_.counts)
    assert model.vocab_.total_words == model.cooccurrence_.settings["total_words"]
    model.save(tmp_path / "m")
    extra = read_native_config(tmp_path / "m")["extra"]
    assert extra["tokenizer"] == {"name": "whitespace", "lowercase": False}
    assert extra["cooccurrence"]["window"] == 10 and extra["config"]["model"] == cls.config_class.model_name
    from wordvec.cli.app import app

    out = CliRunner().invoke(app, ["info", str(tmp_path / "m")]).output
    assert "tokenizer:   whitespace (lowercase=False)" in out
    # a matrix counted from text keeps its tokenizer, so a fit on the saved matrix records it too
    model.cooccurrence_.save(tmp_path / "c.npz")
    again = cls(vector_size=3, progress=False).fit_cooccurrence(tmp_path / "c.npz")
    assert again.tokenizer_ == {"name": "whitespace", "lowercase": False}


def test_glove_divergence_names_its_learning_rate(monkeypatch):
    import wordvec._kernels.glove as kernels

    monkeypatch.setattr(kernels, "glove_adagrad", lambda *args: (float("nan"), 1))
    with pytest.raises(TrainingDivergedError, match=r"lower learning_rate \(now 0\.05\)") as caught:
        GloVe(vector_size=4, min_count=1, epochs=1, workers=1, progress=False).fit(SENTENCES)
    # the parameter is learning_rate; only the command line calls it --alpha (never a bare "alpha",
    # the GloVe paper's name for the weighting exponent)
    assert "--alpha on the command line" in str(caught.value)
    assert not re.search(r"(?<!-)\balpha\b", str(caught.value))


def test_a_checkpoint_saves_each_epochs_glove_vectors(tmp_path):
    from wordvec.train import Callback, Checkpoint

    saved = []

    class Keep(Callback):
        def on_epoch_end(self, model, logs):
            saved.append(np.asarray(wordvec.load(tmp_path / "ckpt").vectors).copy())

    model = GloVe(vector_size=4, min_count=1, epochs=2, workers=1, progress=False,
                  callbacks=[Checkpoint(tmp_path / "ckpt"), Keep()]).fit(SENTENCES)
    assert not np.array_equal(saved[0], saved[1])  # the sum W + W~ is rebuilt for every save
    np.testing.assert_array_equal(saved[1], model.wv.vectors)
