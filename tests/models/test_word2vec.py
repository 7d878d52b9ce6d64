"""Word2Vec: API rules, reproducibility, every architecture x loss, quality on real text."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec import KeyedVectors, Word2Vec
from wordvec.models import NotFittedError
from wordvec.vocab import EmptyVocabularyError
from qualitytools import assert_demo_quality


def topic_corpus(rng, n_sent=1500):
    """Two topics whose words co-occur only within their own topic."""
    animals = ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "duck"]
    metals = ["iron", "gold", "silver", "copper", "zinc", "lead", "tin", "steel"]
    sents = []
    for i in range(n_sent):
        words = animals if i % 2 else metals
        sents.append(list(rng.choice(words, size=8)))
    return sents, animals, metals


def test_init_stores_params_and_wv_before_fit_is_clear():
    m = Word2Vec(vector_size=7, window=2, architecture="cbow")
    assert m.vector_size == 7 and m.window == 2 and m.architecture == "cbow"
    with pytest.raises(NotFittedError, match="call fit"):
        m.wv
    assert "cbow" in repr(m)


def test_invalid_parameters_raise_at_fit_naming_them():
    with pytest.raises(ValueError, match="architecture"):
        Word2Vec(architecture="sg").fit([["a"]])
    with pytest.raises(ValueError, match="loss"):
        Word2Vec(loss="softmax").fit([["a"]])
    with pytest.raises(ValueError, match="window"):
        Word2Vec(window=0).fit([["a"]])


def test_empty_corpus_and_min_count_errors():
    with pytest.raises(EmptyVocabularyError, match="empty"):
        Word2Vec(progress=False).fit([[]])
    with pytest.raises(EmptyVocabularyError, match="min_count=5"):
        Word2Vec(progress=False).fit([["a", "b"]])


@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
@pytest.mark.parametrize("loss", ["negative", "hierarchical"])
def test_every_architecture_and_loss_learns_topics(rng, architecture, loss):
    sents, animals, metals = topic_corpus(rng)
    m = Word2Vec(vector_size=20, window=3, min_count=1, epochs=5, sample=0, architecture=architecture, loss=loss,
                 workers=2, seed=7, progress=False, alpha=0.05 if architecture == "cbow" else 0.025).fit(sents)
    wv = m.wv
    assert isinstance(wv, KeyedVectors) and wv.vectors.dtype == np.float32
    assert len(m.loss_history_) == 5 and all(isinstance(x, float) for x in m.loss_history_)
    assert m.loss_history_[-1] < m.loss_history_[0]
    within = np.mean([wv.similarity(a, b) for a in animals for b in animals if a != b])
    across = np.mean([wv.similarity(a, b) for a in animals for b in metals])
    assert within > across + 0.3, (within, across)
    top = [w for w, _ in wv.most_similar("cat", topn=5)]
    assert set(top) <= set(animals)


def test_workers_1_with_seed_is_exactly_reproducible(rng):
    sents, _, _ = topic_corpus(rng, 300)
    kw = dict(vector_size=16, min_count=1, epochs=2, workers=1, seed=123, progress=False)
    a = Word2Vec(**kw).fit(sents).wv.vectors
    b = Word2Vec(**kw).fit(sents).wv.vectors
    np.testing.assert_array_equal(a, b)
    c = Word2Vec(**{**kw, "seed": 124}).fit(sents).wv.vectors
    assert not np.array_equal(a, c)


def test_progress_bar_runs(rng, capsys):
    sents, _, _ = topic_corpus(rng, 100)
    Word2Vec(vector_size=8, min_count=1, epochs=1, progress=True).fit(sents)
    err = capsys.readouterr().err
    assert "skipgram/negative" in err and "words/s" in err


@pytest.mark.slow
def test_quality_on_the_bundled_demo_corpus(demo_model):
    wv = demo_model.wv
    assert_demo_quality(wv)


def test_save_and_load_native_keeps_vectors_counts_and_config(rng, tmp_path):
    import wordvec
    from wordvec.io import read_native_config

    sents, _, _ = topic_corpus(rng, 200)
    m = Word2Vec(vector_size=8, min_count=1, epochs=1, progress=False, architecture="cbow").fit(sents)
    m.save(tmp_path / "model")
    kv = wordvec.load(tmp_path / "model")
    np.testing.assert_array_equal(np.asarray(kv.vectors), m.wv.vectors)
    assert kv.index_to_key == m.wv.index_to_key
    np.testing.assert_array_equal(kv.counts, m.vocab_.counts)
    cfg = read_native_config(tmp_path / "model")["extra"]["config"]
    assert cfg["architecture"] == "cbow" and cfg["vector_size"] == 8
    from wordvec.config import config_from_dict

    assert config_from_dict(cfg) == m.config


def test_shared_negatives_variant_learns_topics(rng):
    sents, animals, metals = topic_corpus(rng)
    wv = Word2Vec(vector_size=20, window=3, min_count=1, epochs=5, sample=0, shared_negatives=True, workers=2,
                  progress=False).fit(sents).wv
    within = np.mean([wv.similarity(a, b) for a in animals for b in animals if a != b])
    across = np.mean([wv.similarity(a, b) for a in animals for b in metals])
    assert within > across + 0.3


def test_saved_model_records_its_tokenizer(tmp_path):
    from typer.testing import CliRunner

    from wordvec.cli.app import app
    from wordvec.io import read_native_config

    corpus = tmp_path / "c.txt"
    corpus.write_text("The cat sat on the mat\nthe dog sat on the log\n" * 20, encoding="utf-8")
    m = Word2Vec(vector_size=8, min_count=1, epochs=1, workers=1, tokenizer="whitespace", progress=False)
    m.fit(corpus).save(tmp_path / "m")
    assert read_native_config(tmp_path / "m")["extra"]["tokenizer"] == {"name": "whitespace", "lowercase": False}
    out = CliRunner().invoke(app, ["info", str(tmp_path / "m")]).output
    assert "tokenizer:   whitespace (lowercase=" in out
    m = Word2Vec(vector_size=8, min_count=1, epochs=1, workers=1, progress=False)
    m.fit([["a", "b", "c"]] * 5).save(tmp_path / "lists")  # token lists: nothing was tokenized
    assert read_native_config(tmp_path / "lists")["extra"]["tokenizer"] is None
