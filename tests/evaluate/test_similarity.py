"""Word-similarity evaluation: correlations, OOV counting, agreement with gensim 4.4."""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
import pytest

from wordvec.evaluate import SimilarityResult, evaluate_similarity, load_word_pairs
from wordvec.evaluate.similarity import pearson, rankdata, restricted_vocab, spearman
from wordvec.vectors.keyed import KeyedVectors


# ------------------------------------------------------------------ correlations
@pytest.mark.parametrize("ties", [False, True])
def test_spearman_and_pearson_equal_scipy(ties):
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(3)
    for n in (2, 3, 10, 353):
        x = rng.integers(0, 5, n).astype(float) if ties else rng.standard_normal(n)
        y = rng.integers(0, 4, n).astype(float) if ties else x + rng.standard_normal(n)
        if np.ptp(x) == 0 or np.ptp(y) == 0:
            continue
        assert spearman(x, y) == pytest.approx(stats.spearmanr(x, y)[0], abs=1e-12)
        assert pearson(x, y) == pytest.approx(stats.pearsonr(x, y)[0], abs=1e-12)


def test_rankdata_average_ties():
    np.testing.assert_array_equal(rankdata([10, 20, 10, 30, 20, 20]), [1.5, 4, 1.5, 6, 4, 4])
    stats = pytest.importorskip("scipy.stats")
    x = np.random.default_rng(0).integers(0, 7, 200)
    np.testing.assert_array_equal(rankdata(x), stats.rankdata(x))


def test_degenerate_correlations_are_nan():
    assert math.isnan(spearman([1.0], [2.0]))
    assert math.isnan(pearson([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]))
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)


# ------------------------------------------------------------------ evaluation
@pytest.fixture()
def pairs_file(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text(
        "# test pairs\n"
        "cat\tdog\t8\n"
        "cat\tcar\t1\n"
        "dog\tcar\t2\n"
        "CAT\tkitten\t9\n"  # kitten beyond restrict_vocab=4 below
        "cat\tunicorn\t5\n",  # never in the vocabulary
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def small_kv():
    keys = ["cat", "dog", "car", "Cat", "kitten"]
    vectors = np.array([[1, 0.1, 0], [1, 0.3, 0], [0, 1, 0.2], [0, 0, 1], [1, 0.05, 0]], dtype=np.float32)
    return KeyedVectors(keys, vectors)


def test_known_values_and_oov(small_kv, pairs_file):
    res = evaluate_similarity(small_kv, pairs_file, restrict_vocab=None)
    assert isinstance(res, SimilarityResult)
    assert (res.pairs_used, res.pairs_skipped, res.pairs) == (4, 1, 5)
    assert res.coverage == pytest.approx(0.8)
    assert res.oov_pairs == (("cat", "unicorn"),)
    # model similarities rank cat-kitten > cat-dog > dog-car > cat-car exactly as the gold
    assert res.spearman == pytest.approx(1.0)

    restricted = evaluate_similarity(small_kv, pairs_file, restrict_vocab=4)
    assert (restricted.pairs_used, restricted.pairs_skipped) == (3, 2)
    assert restricted.restrict_vocab == 4


def test_case_handling(small_kv, pairs_file):
    # case-insensitive: "CAT" is looked up as the first of cat/Cat in index order -> "cat"
    insensitive = evaluate_similarity(small_kv, pairs_file, restrict_vocab=None)
    assert insensitive.pairs_used == 4
    # case-sensitive: "CAT" is unknown
    sensitive = evaluate_similarity(small_kv, pairs_file, restrict_vocab=None, case_insensitive=False)
    assert (sensitive.pairs_used, sensitive.pairs_skipped) == (3, 2)


def test_first_case_variant_supplies_the_vector(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text("paris\tfrance\t9\nparis\tgermany\t3\nparis\tspain\t5\n", encoding="utf-8")
    # "Paris" comes first: its vector (close to germany) is used for every spelling.
    keys = ["Paris", "paris", "france", "germany", "spain"]
    vectors = np.array([[0, 1], [1, 0], [1, 0.1], [0.1, 1], [1, 1]], dtype=np.float32)
    res = evaluate_similarity(KeyedVectors(keys, vectors), path, restrict_vocab=None)
    assert res.spearman == pytest.approx(-1.0)


def test_all_pairs_oov_gives_nan(small_kv, tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text("x\ty\t1\nz\tw\t2\n", encoding="utf-8")
    res = evaluate_similarity(small_kv, path)
    assert res.pairs_used == 0 and res.pairs_skipped == 2 and res.coverage == 0.0
    assert math.isnan(res.spearman) and math.isnan(res.pearson)
    assert "0 / 2" in res.summary()


def test_dataset_object_and_summary(small_kv, pairs_file):
    ds = load_word_pairs(pairs_file)
    res = evaluate_similarity(small_kv, ds)
    assert res.dataset == str(pairs_file)
    text = str(res)
    assert "Spearman" in text and "Pearson" in text and "skipped" in text
    d = res.to_dict()
    assert d["pairs_used"] == res.pairs_used and d["spearman"] == res.spearman
    assert set(d) >= {"dataset", "spearman", "pearson", "pairs_used", "pairs_skipped", "coverage"}


def test_restrict_vocab_validated(small_kv):
    with pytest.raises(ValueError, match="restrict_vocab"):
        evaluate_similarity(small_kv, restrict_vocab=0)


def test_restricted_vocab_groups():
    kv = KeyedVectors(["a", "B", "A", "b", "c"], np.eye(5, dtype=np.float32))
    limit, lookup, group = restricted_vocab(kv, 4, True)
    assert limit == 4
    assert lookup == {"A": 0, "B": 1}
    assert group.tolist() == [0, 1, 0, 1]
    limit, lookup, group = restricted_vocab(kv, None, False)
    assert limit == 5 and lookup["A"] == 2 and group.tolist() == [0, 1, 2, 3, 4]


# ------------------------------------------------------------------ agreement with gensim
@pytest.mark.parametrize("name", ["wordsim353", "simlex999"])
@pytest.mark.parametrize("case_insensitive", [True, False])
def test_agrees_with_gensim(name, case_insensitive):
    gensim_models = pytest.importorskip("gensim.models")
    pytest.importorskip("scipy")
    ds = load_word_pairs(name)
    words = sorted({w for pair in ds.pairs for w in pair})
    rng = np.random.default_rng(11)
    rng.shuffle(words)
    keys = [f"filler{i}" for i in range(200)]
    for i, w in enumerate(words):
        if i % 9 == 0:
            keys.append(w.upper())  # a case variant that comes first (its vector wins)
        keys.append(w)
        if i % 7 == 0:
            keys.append(w.capitalize() if w.capitalize() != w else w + "_x")
    keys = list(dict.fromkeys(keys))
    vectors = rng.standard_normal((len(keys), 24)).astype(np.float32)
    restrict = int(len(keys) * 0.7)  # leaves some pairs out of vocabulary

    ours = evaluate_similarity(
        KeyedVectors(keys, vectors), name, restrict_vocab=restrict, case_insensitive=case_insensitive
    )
    gkv = gensim_models.KeyedVectors(vector_size=24)
    gkv.add_vectors(keys, vectors)
    path = resources.files("wordvec.evaluate") / "data" / {"wordsim353": "wordsim353.tsv",
                                                           "simlex999": "simlex999.txt"}[name]
    g_pearson, g_spearman, g_oov = gkv.evaluate_word_pairs(
        str(path), restrict_vocab=restrict, case_insensitive=case_insensitive
    )
    assert ours.pairs_skipped > 0
    assert 100.0 * ours.pairs_skipped / ours.pairs == pytest.approx(g_oov, abs=1e-9)
    assert ours.spearman == pytest.approx(g_spearman[0], abs=1e-5)
    assert ours.pearson == pytest.approx(g_pearson[0], abs=1e-5)
