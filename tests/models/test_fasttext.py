"""FastText: subword training, vectors for unseen words, settings."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.models.fasttext import FastText


def morphology_corpus(rng, n_sent=1500):
    """Two topics whose words share stems within a topic (walk/walking/walked, swim/...)."""
    stems = {"move": ["walk", "jump", "climb", "kick"], "think": ["read", "learn", "teach", "count"]}
    suffixes = ["", "s", "ing", "ed", "er"]
    topics = {t: [s + x for s in ss for x in suffixes] for t, ss in stems.items()}
    sents = []
    for i in range(n_sent):
        words = topics["move"] if i % 2 else topics["think"]
        sents.append(list(rng.choice(words, size=8)))
    return sents, topics


def test_fasttext_learns_and_builds_oov_vectors_from_ngrams(rng):
    sents, topics = morphology_corpus(rng)
    held_out = {"walkers", "jumpings", "learners", "readings"}  # never seen
    m = FastText(vector_size=24, window=3, min_count=1, epochs=5, sample=0, min_n=3, max_n=5, bucket=5000,
                 workers=2, seed=3, progress=False).fit(sents)
    wv = m.wv
    assert len(wv) == 40 and wv.vectors.shape == (40, 24)
    assert m.loss_history_[-1] < m.loss_history_[0]
    for word in held_out:
        assert word not in wv and wv.is_oov(word)
        v = wv[word]
        assert v.shape == (24,) and np.all(np.isfinite(v))
    # OOV words lie closer to their own stem's forms than to the other topic's words
    sim_same = np.mean([wv.similarity("walkers", w) for w in ["walk", "walked", "walker", "walking"]])
    sim_other = np.mean([wv.similarity("walkers", w) for w in topics["think"]])
    assert sim_same > sim_other + 0.2, (sim_same, sim_other)
    near = [w for w, _ in wv.most_similar("learners", topn=5)]
    assert sum(w in topics["think"] for w in near) >= 4, near


@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
@pytest.mark.parametrize("loss", ["negative", "hierarchical"])
def test_every_architecture_and_loss_trains(rng, architecture, loss):
    sents, topics = morphology_corpus(rng, 600)
    wv = FastText(vector_size=16, window=3, min_count=1, epochs=3, sample=0, min_n=3, max_n=4, bucket=2000,
                  architecture=architecture, loss=loss, workers=1, progress=False).fit(sents).wv
    within = np.mean([wv.similarity(a, b) for a in topics["move"] for b in topics["move"] if a != b])
    across = np.mean([wv.similarity(a, b) for a in topics["move"] for b in topics["think"]])
    assert within > across


def test_workers_1_with_seed_is_reproducible(rng):
    sents, _ = morphology_corpus(rng, 200)
    kw = dict(vector_size=8, min_count=1, epochs=1, bucket=1000, workers=1, seed=9, progress=False)
    a = FastText(**kw).fit(sents).wv
    b = FastText(**kw).fit(sents).wv
    np.testing.assert_array_equal(a.vectors, b.vectors)
    np.testing.assert_array_equal(a["unseenword"], b["unseenword"])


def test_max_n_zero_turns_subwords_off(rng):
    sents, _ = morphology_corpus(rng, 200)
    m = FastText(vector_size=8, min_count=1, epochs=1, max_n=0, progress=False).fit(sents)
    assert m._syn0.shape[0] == len(m.vocab_)
    with pytest.raises(KeyError, match="unseenword"):
        m.wv["unseenword"]


def test_config_defaults_and_validation():
    m = FastText()
    assert (m.alpha, m.min_n, m.max_n, m.bucket) == (0.05, 3, 6, 2_000_000)
    assert m.config.to_dict()["model"] == "fasttext"
    from wordvec.config import FastTextConfig

    assert m.config == FastTextConfig()  # every default comes from FastTextConfig, none from Word2Vec's
    assert m.shared_negatives is False
    with pytest.raises(ValueError, match="max_n"):
        FastText(min_n=4, max_n=3).fit([["a"]])


def test_cli_trains_fasttext_and_answers_oov_words(rng, tmp_path):
    from typer.testing import CliRunner

    from wordvec.cli.app import app

    sents, _ = morphology_corpus(rng, 600)
    corpus = tmp_path / "c.txt"
    corpus.write_text("\n".join(" ".join(s) for s in sents) + "\n", encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "ft"
    r = runner.invoke(app, ["train", str(corpus), "-o", str(out), "--model", "fasttext", "--min-count", "1",
                            "--epochs", "2", "--vector-size", "16", "--bucket", "3000", "--max-n", "5", "-q"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["similar", str(out), "walkers", "--topn", "3"])
    assert r.exit_code == 0, r.output
    assert "out of vocabulary" in r.output


def test_trained_model_saves_as_facebook_bin_that_gensim_reads(rng, tmp_path):
    gensim_ft = pytest.importorskip("gensim.models.fasttext")
    from wordvec.io.fasttext_format import load_fasttext_bin

    sents, _ = morphology_corpus(rng, 300)
    m = FastText(vector_size=12, min_count=1, epochs=1, bucket=500, max_n=5, progress=False).fit(sents)
    path = tmp_path / "model.bin"
    m.save_fasttext_bin(path)
    back = load_fasttext_bin(path)
    np.testing.assert_array_equal(back.vectors.vectors, m.wv.vectors)
    np.testing.assert_array_equal(back.output, m.output_vectors_)
    g = gensim_ft.load_facebook_model(str(path)).wv
    for word in ["walking", "taught", "unseenword"]:
        np.testing.assert_allclose(g[word], m.wv[word], atol=1e-5)


def test_cli_fasttext_uses_fasttext_defaults_unless_given(monkeypatch, tmp_path):
    import dataclasses

    from typer.testing import CliRunner

    from wordvec.cli.app import app

    seen = {}

    def fake_fit(self, corpus, *, encoding=None):  # the model the command built, before any training
        seen.update(dataclasses.asdict(self.config))
        raise ValueError("stop here")

    monkeypatch.setattr(FastText, "fit", fake_fit)
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n", encoding="utf-8")
    CliRunner().invoke(app, ["train", str(corpus), "-o", str(tmp_path / "o"), "--model", "fasttext", "--window", "3"])
    assert seen["alpha"] == 0.05 and seen["ns_exponent"] == 0.5 and seen["shared_negatives"] is False
    assert seen["window"] == 3
