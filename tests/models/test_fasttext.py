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
    assert len(wv) == 41 and wv.vectors.shape == (41, 24)  # 40 words and fastText's "</s>"
    assert wv.counts[wv.key_to_index["</s>"]] == len(sents)
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


# ------------------------------------------------------------------ fastText's end-of-line word
def test_every_sentence_ends_with_the_word_eos_as_in_fasttext(rng, tmp_path):
    """fastText reads a line as its words and then ``</s>`` (Dictionary::getLine): a word counted once
    a sentence, trained in the windows of the last words, without n-grams of its own."""
    from wordvec.vocab.subwords import EOS

    sents, _ = morphology_corpus(rng, n_sent=300)
    kw = dict(vector_size=12, window=3, min_count=1, epochs=1, sample=0, min_n=3, max_n=5, bucket=2000, workers=1,
              seed=3, progress=False)
    m = FastText(**kw).fit(sents)
    assert m.config.eos and EOS in m.wv and m.vocab_.counts[m.vocab_.key_to_index[EOS]] == len(sents)
    assert m.vocab_.total_words == sum(map(len, sents)) + len(sents)
    w = m.vocab_.key_to_index[EOS]
    ids, offsets = m._make_kernel(m.config, m.vocab_, m._syn0, np.zeros(0, np.int32), np.zeros(1, np.int64),
                                  np.ones(len(m.vocab_), np.float32)).sub
    assert ids[offsets[w]:offsets[w + 1]].tolist() == [w]  # its own row only
    assert all(offsets[v + 1] - offsets[v] > 1 for v in range(len(m.vocab_)) if v != w)
    np.testing.assert_array_equal(m.wv[EOS], m._syn0[w])
    assert not np.array_equal(m._syn0[w], FastText(**kw).fit(sents[:1])._syn0[0])  # it trained
    # a file: one "</s>" a line, and nothing changes in the words' own counts
    path = tmp_path / "corpus.txt"
    path.write_text("".join(" ".join(s) + "\n" for s in sents), encoding="utf-8")
    f = FastText(**kw, tokenizer="whitespace").fit(str(path))
    assert f.vocab_.index_to_key == m.vocab_.index_to_key and np.array_equal(f.vocab_.counts, m.vocab_.counts)
    # eos=False: gensim's reading, no such word
    plain = FastText(**kw, eos=False).fit(sents)
    assert EOS not in plain.wv and len(plain.wv) == len(m.wv) - 1
    assert FastText().eos is True and FastText(eos=False).config.eos is False
    with pytest.raises(ValueError, match="eos must be True or False"):
        FastText(eos="yes").config


def test_a_model_saved_before_eos_existed_continues_without_it(rng, tmp_path):
    import json

    from wordvec.vocab.subwords import EOS

    sents, _ = morphology_corpus(rng, n_sent=200)
    kw = dict(vector_size=8, window=3, min_count=1, epochs=1, sample=0, bucket=500, workers=1, seed=3,
              progress=False)
    FastText(**kw, eos=False).fit(sents).save(tmp_path / "m")
    config = json.loads((tmp_path / "m" / "config.json").read_text(encoding="utf-8"))
    del config["extra"]["config"]["eos"]  # as a save from before the setting wrote it
    (tmp_path / "m" / "config.json").write_text(json.dumps(config), encoding="utf-8")
    old = FastText.load(tmp_path / "m")
    assert old.config.eos is False
    old.partial_fit(sents[:50], update_vocab=True)
    assert EOS not in old.wv
    with pytest.raises(ValueError, match="eos"):
        old.eos = True
        old.partial_fit(sents[:50])
