"""Continued training (Word2Vec/FastText ``partial_fit``, ``load``): gensim's ``train()`` on a trained
model and its ``build_vocab(update=True)`` as the specification, the saved directory, the refusals."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import wordvec
from wordvec.corpus.encode import scan_corpus
from wordvec.exceptions import EmptyVocabularyError, FormatError
from wordvec.models import FastText, GloVe, Word2Vec
from wordvec.train.callbacks import Callback
from wordvec.vocab import Vocab, build_huffman, keep_thresholds, matching_inner_nodes

GENSIM_DATA = Path(__import__("gensim").__file__).parent / "test" / "test_data"


def _lines(name: str) -> list[list[str]]:
    with open(GENSIM_DATA / name, encoding="latin-1") as fh:
        return [line.lower().split() for line in fh if line.split()]


@pytest.fixture(scope="module")
def lee():
    """Corpus A: the Lee background corpus (60k tokens); B: the Lee test corpus (4k tokens)."""
    return _lines("lee_background.cor"), _lines("lee.cor")


SMALL = dict(vector_size=16, epochs=1, workers=1, seed=3, progress=False)
A_TOY = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "sat", "on", "the", "log"]] * 20
B_TOY = [["a", "bird", "sat", "on", "the", "tree"], ["the", "cat", "ate", "the", "bird"]] * 20 + [["rare"]]


class _AtStart(Callback):
    """Copies of the matrices as training begins (after the vocabulary update, before any step)."""

    def on_train_begin(self, model):
        self.syn0 = model._syn0.copy()
        self.output = model.output_vectors_.copy()
        self.vectors = np.array(model.wv.vectors)


def _gensim_updated(cls_name, a, b, **kw):
    import gensim

    g = getattr(gensim.models, cls_name)(seed=1, workers=1, **kw)
    g.build_vocab(a)
    g.train(a, total_examples=len(a), epochs=g.epochs)
    old_samples = {w: int(g.wv.get_vecattr(w, "sample_int")) for w in g.wv.index_to_key}
    g.build_vocab(b, update=True)
    return g, old_samples


# ---------------------------------------------------------------------- vocabulary, counts, thresholds
def test_update_vocab_counts_and_new_words_as_gensim(lee):
    a, b = lee
    g, _ = _gensim_updated("Word2Vec", a, b, vector_size=8, min_count=3, epochs=1)
    model = Word2Vec(min_count=3, **SMALL).fit(a)
    old_keys = list(model.vocab_.index_to_key)
    model.set_params(epochs=1).partial_fit(b, update_vocab=True)
    vocab = model.vocab_
    # counts: sums over both corpora, for every word, as gensim's
    assert dict(zip(vocab.index_to_key, vocab.counts.tolist())) == {
        w: int(g.wv.get_vecattr(w, "count")) for w in g.wv.index_to_key}
    # old words keep their indexes; new words are appended, gensim's new words in a stable sort by count
    assert vocab.index_to_key[:len(old_keys)] == old_keys
    gensim_new = g.wv.index_to_key[len(old_keys):]
    assert len(gensim_new) > 10
    b_counts = {}
    for sent in b:
        for w in sent:
            b_counts[w] = b_counts.get(w, 0) + 1
    assert vocab.index_to_key[len(old_keys):] == sorted(gensim_new, key=lambda w: -b_counts[w])
    assert not vocab.ordered
    assert model.training_runs_[-1]["words_added"] == len(gensim_new)


def test_subsampling_after_update_follows_gensims_rule(lee):
    a, b = lee
    g, _ = _gensim_updated("Word2Vec", a, b, vector_size=8, min_count=2, sample=1e-3, epochs=1)
    model = Word2Vec(min_count=2, sample=1e-3, **SMALL).fit(a)
    old = model.vocab_
    new, _ = scan_corpus(b, min_count=1)
    vocab, remap, _ = old.updated(new.index_to_key, new.counts, add_words=True, min_count=2, max_vocab_size=None,
                                  total_words=new.total_words)
    keep = model._continued_keep(model.config, old, vocab, new.counts, remap, True) / 2**32
    ours = dict(zip(vocab.index_to_key, np.minimum(keep, 1.0).tolist()))
    theirs = {w: int(g.wv.get_vecattr(w, "sample_int")) / (2**32 - 1) for w in g.wv.index_to_key}
    for w in theirs:
        assert ours[w] == pytest.approx(theirs[w], abs=1e-6), w


def test_keep_vocab_leaves_vocabulary_counts_and_thresholds_alone(lee):
    a, b = lee
    model = Word2Vec(min_count=3, **SMALL).fit(a)
    vocab = model.vocab_
    model.partial_fit(b)
    assert model.vocab_ is vocab
    assert model.corpus_stats_["retained_words"] == sum(1 for s in b for w in s if w in vocab)
    assert model.corpus_stats_["total_words"] == sum(map(len, b))
    assert model.training_runs_[-1]["vocabulary"] == "kept"


def test_vocab_updated_exact():
    old = Vocab(["a", "b", "c"], np.array([5, 3, 1]), total_words=12)
    grown, remap, added = old.updated(["c", "d", "a", "e", "f"], np.array([4, 3, 2, 2, 1]), add_words=True,
                                      min_count=2, max_vocab_size=None, total_words=20)
    assert grown.index_to_key == ["a", "b", "c", "d", "e"]
    assert grown.counts.tolist() == [7, 3, 5, 3, 2]
    assert remap.tolist() == [2, 3, 0, 4, -1]
    assert added == 2 and grown.total_words == 32
    capped, remap, added = old.updated(["c", "d", "a", "e"], np.array([4, 3, 2, 2]), add_words=True, min_count=2,
                                       max_vocab_size=4, total_words=11)
    assert capped.index_to_key == ["a", "b", "c", "d"] and remap.tolist() == [2, 3, 0, -1] and added == 1
    same, remap, added = old.updated(["c", "d"], np.array([4, 3]), add_words=False, min_count=1,
                                     max_vocab_size=None, total_words=7)
    assert same is old and remap.tolist() == [2, -1] and added == 0
    with pytest.raises(ValueError, match="decreasing"):
        Vocab(["a", "b"], np.array([1, 2]))
    assert not Vocab(["a", "b"], np.array([1, 2]), ordered=False).ordered


def test_keep_thresholds_with_an_explicit_total():
    counts = np.array([100, 10, 1])
    assert keep_thresholds(counts, 1e-2).tolist() == keep_thresholds(counts, 1e-2, total=111).tolist()
    p = keep_thresholds(counts[:1], 1e-2, total=1000)[0] / 2**32
    assert p == pytest.approx((math.sqrt(100 / 10) + 1) * 10 / 100, rel=1e-9)


# ---------------------------------------------------------------------- weights
@pytest.mark.parametrize("loss", ["negative", "hierarchical"])
def test_learned_rows_are_kept_bit_for_bit_until_training(loss):
    model = Word2Vec(min_count=1, loss=loss, **SMALL).fit(A_TOY)
    syn0, syn1 = model._syn0.copy(), model.output_vectors_.copy()
    n_old, old_counts = len(model.vocab_), model.vocab_.counts.copy()
    start = _AtStart()
    model.set_params(callbacks=[start]).partial_fit(B_TOY, update_vocab=True)
    n = len(model.vocab_)
    assert model.vocab_.index_to_key[n_old:] == ["bird", "a", "tree", "ate", "rare"]
    assert np.array_equal(start.syn0[:n_old], syn0)
    new_rows = start.syn0[n_old:]
    assert new_rows.shape == (n - n_old, 16) and np.abs(new_rows).max() <= 0.5 / 16 and np.abs(new_rows).min() > 0
    assert not np.array_equal(new_rows[0], syn0[0])
    if loss == "negative":  # syn1neg grows by zero rows, as gensim's
        assert np.array_equal(start.output[:n_old], syn1) and not start.output[n_old:].any()
    else:  # the rebuilt tree's nodes over the same words keep their rows, the others start at zero
        new_rows, old_rows = matching_inner_nodes(build_huffman(old_counts, sort=True),
                                                  build_huffman(model.vocab_.counts, sort=True))
        assert len(new_rows) >= 1
        assert np.array_equal(start.output[new_rows], syn1[old_rows])
        rest = np.setdiff1d(np.arange(start.output.shape[0]), new_rows)
        assert not start.output[rest].any()
    assert not np.array_equal(model._syn0[:n_old], syn0)  # and then it trains


def test_matching_inner_nodes_split_the_same_words():
    old = build_huffman(np.array([9, 7, 4, 3, 2, 1]))
    assert [m.tolist() for m in matching_inner_nodes(old, old)] == [list(range(5))] * 2
    new = build_huffman(np.array([9, 7, 4, 3, 2, 1, 30]), sort=True)

    def leaves(tree, n):
        return [frozenset(w for w in range(n) if node in tree.path(w)) for node in range(n - 1)]

    before, after = leaves(old, 6), leaves(new, 7)
    new_rows, old_rows = matching_inner_nodes(old, new)
    assert [after[i] for i in new_rows] == [before[j] for j in old_rows]
    assert set(new_rows.tolist()) == {i for i, s in enumerate(after) if s in before}
    assert len(new_rows) == 5  # the new frequent word only adds a root above the old tree


def test_unsorted_huffman_is_the_sorted_tree_in_word_order(rng):
    counts = rng.integers(1, 50, size=40)
    tree = build_huffman(counts, sort=True)
    rank = np.argsort(-counts, kind="stable")
    ranked = build_huffman(counts[rank])
    for r, w in enumerate(rank):
        assert tree.code(w) == ranked.code(r) and tree.path(w) == ranked.path(r)
    with pytest.raises(ValueError, match="decreasing"):
        build_huffman(counts)


@pytest.mark.parametrize("update", [False, True])
def test_words_absent_from_the_new_corpus_do_not_move(update):
    model = Word2Vec(min_count=1, sample=0, **SMALL).fit(A_TOY)  # tiny corpus: no subsampling
    before = model.wv.vectors.copy()
    model.partial_fit(B_TOY, update_vocab=update)
    absent = [model.vocab_.key_to_index[w] for w in ("mat", "dog", "log")]
    present = [model.vocab_.key_to_index[w] for w in ("the", "cat", "sat", "on")]
    assert np.array_equal(model.wv.vectors[absent], before[absent])
    assert not np.array_equal(model.wv.vectors[present], before[present])


def test_fasttext_update_inserts_word_rows_before_the_kept_ngram_buckets():
    model = FastText(min_count=1, bucket=50, **SMALL).fit(A_TOY)
    n_old = len(model.vocab_)
    syn0, composed = model._syn0.copy(), model.wv.vectors.copy()
    start = _AtStart()
    model.set_params(callbacks=[start]).partial_fit(B_TOY, update_vocab=True)
    n = len(model.vocab_)
    assert start.syn0.shape == (n + 50, 16)
    assert np.array_equal(start.syn0[:n_old], syn0[:n_old]) and np.array_equal(start.syn0[n:], syn0[n_old:])
    assert np.array_equal(start.vectors[:n_old], composed)  # old words' vectors untouched by the update
    assert np.abs(start.syn0[n_old:n]).max() <= 1 / 16
    assert "bird" in model.wv and model.wv["bird"].shape == (16,)


def test_learning_rate_starts_again_from_alpha():
    model = Word2Vec(min_count=1, alpha=0.04, min_alpha=0.0001, **{**SMALL, "epochs": 2}).fit(A_TOY)
    model.partial_fit(B_TOY)
    assert [log.alpha for log in model.epoch_logs_] == pytest.approx([0.02, 0.0001])
    assert len(model.loss_history_) == 2


def test_partial_fit_before_fit_fits():
    a = Word2Vec(min_count=1, **SMALL).partial_fit(A_TOY)
    b = Word2Vec(min_count=1, **SMALL).fit(A_TOY)
    assert np.array_equal(a.wv.vectors, b.wv.vectors)


def test_continued_runs_are_reproducible_and_streamed_equals_in_memory(monkeypatch):
    from wordvec.corpus import encode

    def run():
        return Word2Vec(min_count=1, **SMALL).fit(A_TOY).partial_fit(B_TOY, update_vocab=True).wv.vectors

    first = run()
    assert np.array_equal(first, run())
    monkeypatch.setattr(encode, "SPILL_TOKENS", 10)  # the new corpus goes to temporary files
    assert np.array_equal(first, run())


def test_settings_that_shape_the_matrices_cannot_change():
    model = Word2Vec(min_count=1, **SMALL).fit(A_TOY)
    with pytest.raises(ValueError, match="vector_size is 8 but the model was trained with 16"):
        model.set_params(vector_size=8).partial_fit(B_TOY)
    ft = FastText(min_count=1, bucket=50, **SMALL).fit(A_TOY)
    with pytest.raises(ValueError, match="bucket is 60 but the model was trained with 50"):
        ft.set_params(bucket=60).partial_fit(B_TOY)
    with pytest.raises(ValueError, match="unknown parameter vectorsize"):
        model.set_params(vectorsize=8)


def test_no_known_word_in_the_new_corpus_says_what_to_do():
    model = Word2Vec(min_count=1, **SMALL).fit(A_TOY)
    with pytest.raises(EmptyVocabularyError, match="update_vocab=True"):
        model.partial_fit([["zebra", "yak"]] * 3)
    with pytest.raises(EmptyVocabularyError, match="min_count=5"):
        model.set_params(min_count=5).partial_fit([["zebra", "yak"]] * 3, update_vocab=True)


# ---------------------------------------------------------------------- save and load
@pytest.mark.parametrize("cls,extra", [(Word2Vec, {}), (FastText, {"bucket": 50})])
@pytest.mark.parametrize("loss", ["negative", "hierarchical"])
def test_saved_model_continues_exactly_as_the_one_in_memory(tmp_path, cls, extra, loss):
    model = cls(min_count=1, loss=loss, **SMALL, **extra).fit(A_TOY)
    model.save(tmp_path / "m")
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    rows = len(model.vocab_) if loss == "negative" else len(model.vocab_) - 1
    assert config["has_output"] is True and config["output"] == loss and config["output_rows"] == rows
    assert np.load(tmp_path / "m" / "output.npy").shape == (rows, 16)
    loaded = cls.load(tmp_path / "m", progress=False)
    assert repr(loaded) == repr(model) and loaded.vocab_.index_to_key == model.vocab_.index_to_key
    assert np.array_equal(loaded.vocab_.counts, model.vocab_.counts)
    assert np.array_equal(loaded._syn0, model._syn0) and np.array_equal(loaded.output_vectors_, model.output_vectors_)
    assert loaded.loss_history_ == model.loss_history_ and loaded.summary() == model.summary()
    for m in (model, loaded):
        m.partial_fit(B_TOY, update_vocab=True)
    assert np.array_equal(loaded.wv.vectors, model.wv.vectors)
    loaded.save(tmp_path / "m2")  # a grown vocabulary (counts not sorted) saves and loads again
    again = cls.load(tmp_path / "m2")
    assert again.vocab_.index_to_key == model.vocab_.index_to_key and len(again.training_runs_) == 2
    assert np.array_equal(again.output_vectors_, model.output_vectors_)
    assert type(wordvec.load(tmp_path / "m2")) is type(model.wv)  # still plain vectors for everyone else


def test_load_restores_the_tokenizer_and_warns_on_another(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The Cat sat on the mat\nthe dog sat on the log\n" * 10, encoding="utf-8")
    Word2Vec(min_count=1, tokenizer="whitespace", **SMALL).fit(path).save(tmp_path / "m")
    loaded = Word2Vec.load(tmp_path / "m")
    assert type(loaded.tokenizer).__name__ == "WhitespaceTokenizer"
    loaded.partial_fit(path)
    assert "The" in loaded.vocab_
    with pytest.warns(UserWarning, match="tokenized by"):
        Word2Vec.load(tmp_path / "m", tokenizer="regex").partial_fit(path)


def test_what_cannot_be_continued_is_refused_in_one_line(tmp_path):
    model = Word2Vec(min_count=1, **SMALL).fit(A_TOY)
    model.save(tmp_path / "w2v")
    for fmt, name in (("word2vec-text", "v.txt"), ("word2vec-binary", "v.bin"), ("glove", "g.txt")):
        wordvec.save(model.wv, tmp_path / name, format=fmt)
        with pytest.raises(ValueError, match=f"a {fmt} file holds only the word vectors: no output layer "
                                             r"\(syn1neg/syn1\), no word counts") as err:
            Word2Vec.load(tmp_path / name)
        assert "\n" not in str(err.value)
    wordvec.save(model.wv, tmp_path / "kv")
    with pytest.raises(ValueError, match="saved without their model"):
        Word2Vec.load(tmp_path / "kv")
    GloVe(vector_size=4, min_count=1, epochs=1, workers=1, progress=False).fit(A_TOY).save(tmp_path / "glove")
    with pytest.raises(ValueError, match="a glove model cannot be trained further"):
        Word2Vec.load(tmp_path / "glove")
    with pytest.raises(ValueError, match="holds a word2vec model; load it with Word2Vec.load"):
        FastText.load(tmp_path / "w2v")
    with pytest.raises(FileNotFoundError):
        Word2Vec.load(tmp_path / "nothing")
    config = json.loads((tmp_path / "w2v" / "config.json").read_text())
    del config["has_output"]  # as written before the output layer was saved
    (tmp_path / "w2v" / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="saved without its output layer"):
        Word2Vec.load(tmp_path / "w2v")


def test_damaged_output_layers_are_format_errors(tmp_path):
    from wordvec.io.native import load_output

    Word2Vec(min_count=1, **SMALL).fit(A_TOY).save(tmp_path / "m")
    out = tmp_path / "m" / "output.npy"
    data = out.read_bytes()
    out.write_bytes(data[:-7])
    with pytest.raises(FormatError, match="output.npy.*truncated"):
        Word2Vec.load(tmp_path / "m")
    matrix = np.load(tmp_path / "m" / "vectors.npy")[:, :3].copy()
    np.save(out, np.ascontiguousarray(matrix))
    with pytest.raises(FormatError, match="output.npy.*shape"):
        load_output(tmp_path / "m")
    bad = np.zeros((len(matrix), 16), np.float32)
    bad[2, 1] = np.nan
    np.save(out, bad)
    with pytest.raises(FormatError, match="row 2 of the output layer holds NaN"):
        load_output(tmp_path / "m")
    config_path = tmp_path / "m" / "config.json"
    config = json.loads(config_path.read_text())
    config["output_rows"] = 3
    config_path.write_text(json.dumps(config, indent=2))
    with pytest.raises(FormatError, match=r"config.json, line \d+: 'output_rows' is 3"):
        load_output(tmp_path / "m")


# ---------------------------------------------------------------------- quality on real text
@pytest.mark.slow
def test_fasttext_drift_of_absent_words_is_no_worse_than_gensims(shared_data):
    """Train on 150k tokens of running text (A), continue on the next 150k (B); words of A absent from B
    move only through shared n-grams: their mean cosine to their own vector before B stays at least
    gensim's (minus a tolerance) at the same settings."""
    import gzip

    from gensim.models import FastText as GF

    sents = []
    with gzip.open(shared_data / "corpora" / "en" / "running.txt.gz", "rt", encoding="utf-8") as fh:
        n = 0
        for line in fh:
            sents.append(line.split())
            n += len(sents[-1])
            if n > 300_000:
                break
    half = len(sents) // 2
    a, b = sents[:half], sents[half:]
    kw = dict(vector_size=32, window=5, negative=5, min_count=3, epochs=2, min_n=3, max_n=6, bucket=100_000)
    ours = FastText(**kw, alpha=0.025, workers=2, seed=1, progress=False).fit(a)
    theirs = GF(**kw, alpha=0.025, workers=2, seed=1)
    theirs.build_vocab(a)
    theirs.train(a, total_examples=len(a), epochs=2)
    in_b = {w for s in b for w in s}
    absent = [w for w in ours.vocab_.index_to_key if w not in in_b and w in theirs.wv.key_to_index]
    assert len(absent) > 200

    def snapshot(vectors_of):
        m = np.array([vectors_of(w) for w in absent], dtype=np.float64)
        return m / np.linalg.norm(m, axis=1, keepdims=True)

    ours_before, theirs_before = snapshot(ours.wv.__getitem__), snapshot(theirs.wv.get_vector)
    ours.partial_fit(b, update_vocab=True)
    theirs.build_vocab(b, update=True)
    theirs.train(b, total_examples=len(b), epochs=2)
    ours_drift = float(np.mean(np.sum(ours_before * snapshot(ours.wv.__getitem__), axis=1)))
    theirs_drift = float(np.mean(np.sum(theirs_before * snapshot(theirs.wv.get_vector), axis=1)))
    assert ours_drift >= theirs_drift - 0.02, (ours_drift, theirs_drift)
