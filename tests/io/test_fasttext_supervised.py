"""Supervised fastText models (wordvec.io.fasttext_supervised) against fastText's own answers.

Models are trained with the fastText package (``fasttext-wheel``) on the bundled demo corpus,
labelled by each line's first word (the label is removed from the text, so it has to be guessed
from the rest: fastText's own answers are the reference, not the accuracy). fastText's Python
``predict`` breaks on NumPy 2 (``np.array(copy=False)``), so the reference comes from the
binding underneath: ``model.f.predict(text + "\\n", k, threshold, "strict")``, which is what
``predict`` calls.
"""

from __future__ import annotations

import collections
import lzma
import math
import struct

import numpy as np
import pytest

from wordvec.demo import demo_corpus_path
from wordvec.exceptions import FormatError
from wordvec.io import fasttext_supervised as fs
from wordvec.io.fasttext_supervised import (
    SupervisedFastText,
    fasttext_model_kind,
    fasttext_tokens,
    is_fasttext_supervised,
    load_fasttext_supervised,
)
from wordvec.vocab.subwords import fasttext_hash

fasttext = pytest.importorskip("fasttext")

# texts that exercise the tokenizer and the dictionary: empty, unknown words only, a label token in
# the text (ignored), a literal </s> (ends the line), tabs / \r / \v, non-ASCII words (hashes >= 2^31)
EDGE_TEXTS = ["", "   ", "zzqxj vvkpq", "__label__the king of the land", "__label__nolabel the sea", "the </s> sea",
              "the\tking\rof\vthe\fland", "café naïve 東京 über", "the", "a a a a a a a a a a a a"]


def _lines(limit: int) -> list[list[str]]:
    with lzma.open(demo_corpus_path(), "rt", encoding="utf-8") as f:
        out = []
        for line in f:
            words = line.split()
            if len(words) > 3:
                out.append(words)
            if len(out) == limit:
                return out
    return out


def _labelled(path, n_labels: int, limit: int) -> list[str]:
    """Write ``__label__FIRSTWORD rest`` for lines whose first word is among the ``n_labels`` most
    common; return other texts of the corpus to predict."""
    lines = _lines(limit)
    top = {w for w, _ in collections.Counter(ws[0] for ws in lines).most_common(n_labels)}
    with open(path, "w", encoding="utf-8") as f:
        for ws in lines:
            if ws[0] in top:
                f.write(f"__label__{ws[0]} {' '.join(ws[1:])}\n")
    return [" ".join(ws[1:]) for ws in _lines(limit + 400)[limit:]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("supervised")
    texts = _labelled(d / "train.txt", 12, 12000)
    return d, texts + EDGE_TEXTS


def _train(corpus, name, **params):
    d, texts = corpus
    options = dict(dim=16, epoch=2, bucket=50000, thread=1, verbose=0, seed=1, minCount=1)
    options.update(params)
    model = fasttext.train_supervised(input=str(d / "train.txt"), **options)
    path = d / name
    model.save_model(str(path))
    return model, path


def _reference(model, text: str, k: int, threshold: float) -> list[tuple[str, float]]:
    return [(label, p) for p, label in model.f.predict(text + "\n", k, threshold, "strict")]


def _assert_same_predictions(reference_model, ours: SupervisedFastText, texts, cases=((1, 0.0), (-1, 0.0), (3, 0.05))):
    checked = 0
    for k, threshold in cases:
        for text, got in zip(texts, ours.predict_batch(texts, k=k, threshold=threshold)):
            want = _reference(reference_model, text, k, threshold)
            assert [label for label, _ in got] == [label for label, _ in want], (text, k, threshold, got, want)
            np.testing.assert_allclose([p for _, p in got], [p for _, p in want], rtol=0, atol=1e-5,
                                       err_msg=f"{text!r}, k={k}, threshold={threshold}")
            checked += len(want)
    assert checked > len(texts)  # the cases found labels to compare


CONFIGS = {
    "words": dict(wordNgrams=1),
    "bigrams": dict(wordNgrams=2),
    "trigrams+chars": dict(wordNgrams=3, minn=2, maxn=4),
}


@pytest.mark.parametrize("loss", ["softmax", "hs", "ova", "ns"])
@pytest.mark.parametrize("config", list(CONFIGS))
def test_predictions_match_fasttext(corpus, loss, config):
    model, path = _train(corpus, f"{loss}-{config}.bin", loss=loss, **CONFIGS[config])
    assert is_fasttext_supervised(path) and fasttext_model_kind(path) == "sup"
    ours = load_fasttext_supervised(path)
    assert ours.labels == model.labels and ours.words == model.words
    assert ours.args["loss"] == {"ova": "one-vs-all"}.get(loss, loss)
    _assert_same_predictions(model, ours, corpus[1])
    assert ours.predict("the king of the land", k=1)[0][0] == _reference(model, "the king of the land", 1, 0.0)[0][0]


def test_predict_agrees_with_predict_batch_and_k_minus_one_lists_every_label(corpus):
    model, path = _train(corpus, "softmax.bin", loss="softmax", wordNgrams=2)
    ours = load_fasttext_supervised(path, mmap=False)
    text = corpus[1][0]
    everything = ours.predict(text, k=-1)
    assert sorted(label for label, _ in everything) == sorted(ours.labels)
    # fastText reports exp(log(p + 1e-5)): the probabilities of every label sum to 1 + 12e-5
    assert math.isclose(sum(p for _, p in everything), 1 + len(ours.labels) * 1e-5, abs_tol=1e-5)
    assert ours.predict_batch([text], k=2) == [ours.predict(text, k=2)]
    assert ours.predict(text, k=1, threshold=1.01) == []


def test_features_and_sentence_vectors_match_fasttext(corpus):
    """getSentenceVector of a supervised model averages exactly the rows of Dictionary::getLine, so
    equal vectors (to the bit) mean equal features: words, char n-grams, </s> and word n-grams."""
    model, path = _train(corpus, "features.bin", loss="softmax", wordNgrams=3, minn=2, maxn=4)
    ours = load_fasttext_supervised(path)
    texts = corpus[1]
    got = ours.sentence_vectors(texts)
    for text, vec in zip(texts, got):
        np.testing.assert_array_equal(vec, model.get_sentence_vector(text), err_msg=repr(text))
        np.testing.assert_array_equal(vec, ours.sentence_vector(text))
    ids = ours.features("the king")
    eos = ours.words.index("</s>")
    assert ids[0] == ours.words.index("the") and eos in ids.tolist() and ids.max() >= len(ours.words)


def test_word_vectors_match_fasttext(corpus):
    model, path = _train(corpus, "words.bin", loss="hs", wordNgrams=2, minn=3, maxn=5)
    ours = load_fasttext_supervised(path)
    for word in model.words[:300] + ["zzqxj", "kingliness", "東京"]:
        want = model.get_word_vector(word)
        np.testing.assert_allclose(ours.word_vector(word), want, rtol=0, atol=1e-7, err_msg=word)
        np.testing.assert_allclose(ours.wv[word], want, rtol=0, atol=1e-6, err_msg=word)
    assert ours.word_vector(ours.labels[0]) is None and ours.labels[0] not in ours.wv


def test_words_only_model_has_no_vector_for_unknown_words(corpus):
    model, path = _train(corpus, "plain.bin", loss="softmax", wordNgrams=1)
    ours = load_fasttext_supervised(path)
    assert ours.args["maxn"] == 0 and ours.word_vector("zzqxj") is None and not ours.wv.has_vector("zzqxj")
    np.testing.assert_array_equal(ours.wv["the"], model.get_word_vector("the"))
    assert not model.get_word_vector("zzqxj").any()  # fastText: zeros


@pytest.mark.parametrize("loss", ["softmax", "hs", "ova", "ns"])
@pytest.mark.parametrize("options", [dict(qnorm=True, cutoff=1000), dict(cutoff=300, dsub=3)],
                         ids=["qnorm-cutoff", "cutoff-dsub3"])
def test_quantized_models_match_fasttext(corpus, loss, options):
    model, _ = _train(corpus, "q.bin", loss=loss, wordNgrams=2, minn=3, maxn=4)
    model.quantize(input=str(corpus[0] / "train.txt"), retrain=False, **options)
    path = corpus[0] / f"{loss}.ftz"
    model.save_model(str(path))
    ours = load_fasttext_supervised(path)
    _assert_same_predictions(model, ours, corpus[1][:200] + EDGE_TEXTS)
    for text in corpus[1][:50]:
        np.testing.assert_array_equal(ours.sentence_vector(text), model.get_sentence_vector(text))
    for word in model.words[:100] + ["zzqxj"]:  # pruned n-grams drop out of the mean, as in fastText
        want, got = model.get_word_vector(word), ours.word_vector(word)
        np.testing.assert_array_equal(np.zeros_like(want) if got is None else got, want, err_msg=word)


@pytest.mark.parametrize("loss", ["softmax", "hs", "ova"])
def test_quantized_output_matrix_matches_fasttext(tmp_path, loss):
    """-qout quantizes the output too (fastText needs 256 rows: 300 labels)."""
    texts = _labelled(tmp_path / "train.txt", 300, 30000)
    model = fasttext.train_supervised(input=str(tmp_path / "train.txt"), loss=loss, dim=8, epoch=1, bucket=5000,
                                      thread=1, verbose=0, seed=1, wordNgrams=2)
    model.quantize(input=str(tmp_path / "train.txt"), retrain=False, qout=True, qnorm=True, cutoff=2000)
    model.save_model(str(tmp_path / "m.ftz"))
    ours = load_fasttext_supervised(tmp_path / "m.ftz")
    assert len(ours.labels) == 300 and ours.output_norms is not None
    _assert_same_predictions(model, ours, texts[:150], cases=((1, 0.0), (5, 0.01)))


# ------------------------------------------------------------------ hashing and kernels
def _word_ngrams_by_hand(words: list[str], n: int, bucket: int, nwords: int) -> list[int]:
    """Dictionary::addWordNgrams in Python integers: int32-stored hashes widened to uint64."""
    def widened(h: int) -> int:
        return (h - (1 << 32)) % (1 << 64) if h >= 1 << 31 else h

    hashes = [widened(fasttext_hash(w)) for w in words]
    out = []
    for i in range(len(hashes)):
        h = hashes[i]
        for j in range(i + 1, min(len(hashes), i + n)):
            h = (h * 116049371 + hashes[j]) % (1 << 64)
            out.append(nwords + h % bucket)
    return out


def test_word_ngram_hashing_is_fastTexts_including_sign_extension():
    words = ["the", "東京", "café", "über", "king", "</s>"]
    assert any(fasttext_hash(w) >= 1 << 31 for w in words) and any(fasttext_hash(w) < 1 << 31 for w in words)
    for n in (2, 3, 5):
        want = _word_ngrams_by_hand(words, n, 2_000_000, 7)
        assert fs.reference_word_ngrams([fasttext_hash(w) for w in words], n, 2_000_000, 7) == want
        ids, offsets = fs._line_ids_kernel(np.array([1, 2], dtype=np.int64), np.array([0, 2]),
                                           fs._widen([fasttext_hash(w) for w in words]), np.array([0, len(words)]),
                                           n, 2_000_000, 7, fs._NO_PRUNE)
        assert ids.tolist() == [1, 2] + want and offsets.tolist() == [0, 2 + len(want)]


def test_kernels_match_their_numpy_twins(rng):
    matrix = rng.standard_normal((50, 7)).astype(np.float32)
    ids = rng.integers(0, 50, 40).astype(np.int64)
    offsets = np.array([0, 3, 3, 10, 40], dtype=np.int64)
    hidden = np.zeros((4, 7), dtype=np.float32)
    fs._hidden_kernel(matrix, ids, offsets, hidden)
    np.testing.assert_allclose(hidden, fs.reference_hidden(matrix, ids, offsets), rtol=1e-5, atol=1e-6)
    assert not hidden[1].any()  # an empty text stays zero
    output = rng.standard_normal((9, 7)).astype(np.float32)
    scores = np.zeros((4, 9), dtype=np.float32)
    fs._scores_kernel(hidden, output, scores)
    np.testing.assert_allclose(scores, fs.reference_scores(hidden, output), rtol=1e-5, atol=1e-5)

    probs = fs._softmax(scores)
    for k, threshold in ((1, 0.0), (4, 0.1), (9, 0.0)):
        vals = np.zeros((4, k + 1), np.float32)
        idx = np.zeros((4, k + 1), np.int64)
        found = np.zeros(4, np.int64)
        fs._kbest_kernel(probs, fs._std_log(probs), k, np.float32(threshold), vals, idx, found)
        for t, want in enumerate(fs.reference_kbest(probs, k, threshold)):
            assert found[t] == len(want)
            np.testing.assert_array_equal(vals[t, :found[t]], [v for _, v in want])
            if len(set(probs[t].tolist())) == probs.shape[1]:  # ties (the empty text) are ordered as fastText's heap orders them
                assert idx[t, :found[t]].tolist() == [i for i, _ in want]

    tree = fs._huffman_tree(np.array([40, 30, 10, 9, 5, 5, 3, 2, 1], dtype=np.int64))
    for k, threshold in ((1, 0.0), (3, 0.05), (9, 0.0)):
        vals = np.zeros((4, k + 1), np.float32)
        idx = np.zeros((4, k + 1), np.int64)
        found = np.zeros(4, np.int64)
        fs._tree_kernel(scores, tree["left"], tree["right"], k, fs._std_log(threshold)[()], vals, idx, found)
        for t, want in enumerate(fs.reference_tree(scores, tree, k, threshold)):
            assert found[t] == len(want)
            np.testing.assert_allclose(vals[t, :found[t]], [v for _, v in want], rtol=0, atol=1e-6)


def test_huffman_tree_probabilities_sum_to_one(rng):
    tree = fs._huffman_tree(np.array([50, 20, 20, 7, 2, 1], dtype=np.int64))
    assert tree["depth"].tolist()[0] == 1 and tree["depth"].max() >= 3  # the most frequent label is nearest
    scores = rng.standard_normal((3, 6)).astype(np.float32)
    for row in fs.reference_tree(scores, tree, 6, 0.0):
        assert math.isclose(sum(math.exp(v) for _, v in row), 1.0, rel_tol=1e-4)


def test_sigmoid_table_is_fastTexts():
    x = np.array([-9, -8.0001, -8, -3.3, 0, 0.01, 2.5, 7.99, 8, 8.5], dtype=np.float32)
    got = fs.table_sigmoid(x)
    assert got[0] == got[1] == 0 and got[-1] == 1
    # index int((x + 8) * 32): -3.3 -> 150, 0 -> 256, 0.01 -> 256 (the table is a step function)
    assert got[3] == pytest.approx(1 / (1 + math.exp(-(150 * 16 / 512 - 8))), rel=1e-6)
    assert got[2] == pytest.approx(1 / (1 + math.exp(8)), rel=1e-6) and got[9] == 1
    assert got[8] == pytest.approx(1 / (1 + math.exp(-8)), rel=1e-6)  # x == 8 is the last entry, x > 8 is 1
    assert got[4] == got[5] == np.float32(0.5)
    assert np.all(np.abs(got - 1 / (1 + np.exp(-x.astype(np.float64)))) < 0.008)


def test_tokens_split_on_fastTexts_separators_only():
    assert fasttext_tokens(" a\tb\r\nc\vd\fe\0f  ") == ["a", "b", "c", "d", "e", "f"]
    assert fasttext_tokens("a\u00a0b c\u2003d") == ["a\u00a0b", "c\u2003d"]  # other spaces belong to the word


# ------------------------------------------------------------------ a model written by hand
def _write(path, *, words=(("hello", 3), ("world", 2), ("</s>", 5)), labels=(("__label__a", 4), ("__label__b", 1)),
           dim=2, loss=3, model=3, word_ngrams=1, bucket=0, minn=0, maxn=0, input_rows=None, output_rows=None,
           magic=793712314, version=12, pruneidx=-1, quant=False, types=None, trailing=b""):
    """fastText's layout (FastText::saveModel): magic, version, args, dictionary, matrices."""
    words, labels = list(words), list(labels)
    n = len(words)
    if input_rows is None:
        input_rows = np.arange((n + bucket) * dim, dtype=np.float32).reshape(n + bucket, dim) / 10
    if output_rows is None:
        output_rows = np.array([[1, 0], [0, 1]], dtype=np.float32)[:len(labels)]
    out = struct.pack("<2i", magic, version)
    out += struct.pack("<12id", dim, 5, 5, 1, 5, word_ngrams, loss, model, bucket, minn, maxn, 100, 1e-4)
    out += struct.pack("<3iqq", n + len(labels), n, len(labels), 100, pruneidx)
    entries = [(w, c, 0) for w, c in words] + [(w, c, 1) for w, c in labels]
    for i, (w, c, t) in enumerate(entries):
        out += w.encode() + b"\0" + struct.pack("<qb", c, t if types is None else types[i])
    out += struct.pack("<?2q", quant, *input_rows.shape) + np.ascontiguousarray(input_rows, "<f4").tobytes()
    out += struct.pack("<?2q", False, *output_rows.shape) + np.ascontiguousarray(output_rows, "<f4").tobytes()
    path.write_bytes(out + trailing)
    return path


def test_a_model_written_by_hand_predicts_the_softmax_of_its_mean_row(tmp_path):
    ours = load_fasttext_supervised(_write(tmp_path / "m.bin"))
    assert ours.words == ["hello", "world", "</s>"] and ours.labels == ["__label__a", "__label__b"]
    # "hello world" + </s>: rows 0, 1, 2 = (0, .1), (.2, .3), (.4, .5); mean (.2, .3); scores (.2, .3)
    assert ours.features("hello world").tolist() == [0, 1, 2]
    p_b = 1 / (1 + math.exp(-0.1))
    got = ours.predict("hello world", k=2)
    assert [label for label, _ in got] == ["__label__b", "__label__a"]
    assert got[0][1] == pytest.approx(p_b + 1e-5, abs=1e-6) and got[1][1] == pytest.approx(1 - p_b + 1e-5, abs=1e-6)
    # an unknown word and a label add nothing: only </s> is left, row (.4, .5)
    assert ours.features("nothing __label__a").tolist() == [2]
    assert ours.predict("nothing", k=1)[0][0] == "__label__b"


def test_a_text_with_no_input_row_gets_no_label(tmp_path):
    ours = load_fasttext_supervised(_write(tmp_path / "m.bin", words=(("hello", 3),)))
    assert ours.features("").size == 0 and ours.predict("", k=-1) == [] and ours.predict("hello")[0]


def test_bad_arguments_are_refused(tmp_path):
    ours = load_fasttext_supervised(_write(tmp_path / "m.bin"))
    with pytest.raises(ValueError, match="k must be 1 or more"):
        ours.predict("hello", k=0)
    with pytest.raises(ValueError, match="line break"):
        ours.predict("hello\nworld")


@pytest.mark.parametrize("kwargs, message", [
    (dict(model=2), "not a supervised model (model sg)"),
    (dict(magic=12345), "magic number"),
    (dict(version=13), "fastText version 13 is newer"),
    (dict(loss=9), "loss=9"),
    (dict(maxn=3, minn=0, bucket=4), "minn=0, maxn=3"),
    (dict(word_ngrams=2, bucket=0), "bucket=0"),
    (dict(labels=()), "at least one label"),
    (dict(types=[0, 1, 0, 1, 1]), "entry #1 (b'world') has type 1"),
    (dict(words=(("hello", 3), ("hello", 2))), "repeats 'hello'"),
    (dict(output_rows=np.zeros((3, 2), np.float32)), "output matrix has shape (3, 2), expected (2 labels, 2)"),
    (dict(trailing=b"\0\0"), "2 unexpected bytes"),
    (dict(output_rows=np.array([[1, 0], [np.nan, 1]], np.float32)), "row 1 (label '__label__b') of the output matrix holds NaN"),
])
def test_malformed_files_are_a_format_error_naming_the_place(tmp_path, kwargs, message):
    path = _write(tmp_path / "bad.bin", **kwargs)
    with pytest.raises(FormatError) as info:
        load_fasttext_supervised(path)
    assert message in str(info.value) and str(path) in str(info.value) and info.value.offset is not None


def test_nonfinite_rows_load_when_allowed(tmp_path):
    path = _write(tmp_path / "nan.bin", output_rows=np.array([[1, 0], [np.nan, 1]], np.float32))
    assert load_fasttext_supervised(path, allow_nonfinite=True).labels == ["__label__a", "__label__b"]


def test_every_truncation_is_a_format_error(tmp_path):
    data = _write(tmp_path / "m.bin").read_bytes()
    for cut in range(0, len(data), 3):
        (tmp_path / "cut.bin").write_bytes(data[:cut])
        with pytest.raises(FormatError, match="cut.bin"):
            load_fasttext_supervised(tmp_path / "cut.bin")


def test_kind_detection(tmp_path):
    assert fasttext_model_kind(_write(tmp_path / "s.bin")) == "sup"
    assert fasttext_model_kind(_write(tmp_path / "u.bin", model=1, labels=())) == "cbow"
    (tmp_path / "t.txt").write_text("2 2\na 1 2\nb 3 4\n")
    assert fasttext_model_kind(tmp_path / "t.txt") is None and fasttext_model_kind(tmp_path / "missing") is None
    assert not is_fasttext_supervised(tmp_path / "u.bin")
