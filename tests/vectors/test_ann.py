"""The approximate nearest-neighbour index (extra ``ann``) and ``most_similar_batch``."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys

import numpy as np
import pytest

import wordvec
from wordvec.vectors import KeyedVectors, keyed
from wordvec.vectors.ann import AnnIndex, StaleIndexError

HAS_USEARCH = importlib.util.find_spec("usearch") is not None
needs_usearch = pytest.mark.skipif(not HAS_USEARCH, reason="the ann extra (usearch) is not installed: "
                                                            "pip install 'wordvec[ann]' (the dev extra includes it)")


def clustered(n: int = 4000, dim: int = 32, clusters: int = 60, seed: int = 0) -> KeyedVectors:
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((clusters, dim))
    x = centers[rng.integers(0, clusters, n)] + 0.6 * rng.standard_normal((n, dim))
    return KeyedVectors([f"w{i}" for i in range(n)], x.astype(np.float32))


@pytest.fixture(scope="module")
def kv() -> KeyedVectors:
    kv = clustered()
    if HAS_USEARCH:
        kv.build_index(threads=1)
    return kv


def keys_of(pairs):
    return [w for w, _ in pairs]


def same_results(a, b, tol=1e-5):
    """Equal lists of (key, score), except that keys whose scores differ by less than ``tol`` (a
    near-tie in float32: a matrix product and a matrix-vector product round differently) may swap."""
    assert len(a) == len(b)
    np.testing.assert_allclose([s for _, s in a], [s for _, s in b], atol=tol)
    for (wa, sa), (wb, sb) in zip(a, b):
        if wa != wb:
            assert abs(sa - sb) < tol
            assert any(w == wa and abs(s - sa) < tol for w, s in b), (wa, b)


# ------------------------------------------------------------------------------ search
@needs_usearch
def test_recall_against_exact(kv):
    rng = np.random.default_rng(1)
    recalls = []
    for i in rng.choice(len(kv), 300, replace=False):
        word = kv.index_to_key[i]
        exact = set(keys_of(kv.most_similar(word, index="exact")))
        recalls.append(len(exact & set(keys_of(kv.most_similar(word, index="ann")))) / 10)
    assert np.mean(recalls) >= 0.95


@needs_usearch
def test_scores_are_the_exact_scores_and_query_keys_are_left_out(kv):
    for word in ("w0", "w17", "w3999"):
        ann = kv.most_similar(word, topn=20, index="ann")
        assert word not in keys_of(ann)
        assert len(ann) == 20
        exact = dict(kv.most_similar(word, topn=len(kv), index="exact"))
        for w, s in ann:
            assert s == pytest.approx(exact[w], abs=1e-6)
        assert [s for _, s in ann] == sorted((s for _, s in ann), reverse=True)
    pos, neg = ["w1", "w2"], ["w3"]
    ann = kv.most_similar(positive=pos, negative=neg, topn=10, index="ann")
    assert not set(pos + neg) & set(keys_of(ann))
    assert len(set(keys_of(ann)) & set(keys_of(kv.most_similar(positive=pos, negative=neg, index="exact")))) >= 8


@needs_usearch
def test_restrict_vocab_and_topn(kv):
    for limit in (3500, 2000, 50):  # 50 and 2000: below a quarter... or at half, both answered right
        ann = kv.most_similar("w5", topn=10, restrict_vocab=limit, index="ann")
        assert all(kv.get_index(w) < limit for w in keys_of(ann))
        assert len(ann) == 10
    assert keys_of(kv.most_similar("w5", restrict_vocab=50, index="ann")) == \
        keys_of(kv.most_similar("w5", restrict_vocab=50, index="exact"))
    # topn beyond what restrict_vocab leaves: every other key, as the exact search returns them
    assert keys_of(kv.most_similar("w1", topn=10, restrict_vocab=4, index="ann")) == \
        keys_of(kv.most_similar("w1", topn=10, restrict_vocab=4, index="exact"))
    with pytest.raises(ValueError, match="topn"):
        kv.most_similar("w1", topn=0, index="ann")


@needs_usearch
def test_similar_by_vector_through_the_index(kv):
    v = kv["w7"] + kv["w8"]
    ann, exact = kv.similar_by_vector(v, index="ann"), kv.similar_by_vector(v, index="exact")
    assert len(set(keys_of(ann)) & set(keys_of(exact))) >= 9


@needs_usearch
def test_automatic_choice_uses_the_index_above_the_threshold(kv, monkeypatch):
    calls = []
    search = kv.index.search
    monkeypatch.setattr(kv.index, "search", lambda q, k: calls.append(k) or search(q, k))
    kv.most_similar("w1")  # 4,000 keys: below ANN_MIN_KEYS, exact
    assert calls == []
    monkeypatch.setattr(keyed, "ANN_MIN_KEYS", 1000)
    kv.most_similar("w1")
    assert calls
    calls.clear()
    kv.most_similar("w1", index="exact")
    kv.most_similar("w1", restrict_vocab=500)  # restricted below the threshold: exact
    assert calls == []


def test_index_argument_is_checked():
    kv = clustered(200, 8)
    with pytest.raises(ValueError, match="build_index"):
        kv.most_similar("w1", index="ann")
    with pytest.raises(ValueError, match="'exact' or 'ann'"):
        kv.most_similar("w1", index="fast")
    assert kv.most_similar("w1") == kv.most_similar("w1", index="exact")


@needs_usearch
def test_nonfinite_rows_are_left_out_of_the_index():
    kv = clustered(1000, 16)
    vectors = np.array(kv.vectors)
    vectors[[3, 10, 500]] = np.nan
    vectors[11, 0] = np.inf
    kv = KeyedVectors(kv.index_to_key, vectors)
    kv.build_index(threads=1)
    bad = {"w3", "w10", "w500", "w11"}
    for word in ("w1", "w2", "w700"):
        ann = kv.most_similar(word, topn=30, index="ann")
        assert not bad & set(keys_of(ann))
        assert all(np.isfinite(s) for _, s in ann)
    assert kv.most_similar("w3", index="ann") == kv.most_similar("w3", index="exact") == []


@needs_usearch
def test_parameters_are_checked():
    kv = clustered(300, 8)
    with pytest.raises(TypeError, match="unknown index parameter"):
        kv.build_index(m=16)
    with pytest.raises(ValueError, match="connectivity"):
        kv.build_index(connectivity=1)
    with pytest.raises(ValueError, match="dtype"):
        kv.build_index(dtype="f64x")
    index = kv.build_index(connectivity=8, expansion_search=20, dtype="f16")
    index.expansion_search = 40
    assert index.params["expansion_search"] == 40
    assert len(kv.most_similar("w1", index="ann")) == 10


# --------------------------------------------------------------------------- persistence
@needs_usearch
def test_save_load_round_trip_memory_mapped(kv, tmp_path):
    path = tmp_path / "vectors"
    wordvec.save(kv, path)
    saved = kv.index.save(path)
    assert saved == path / "ann" and (saved / "index.usearch").is_file() and (saved / "config.json").is_file()
    loaded = wordvec.load(path)
    assert isinstance(loaded.index, AnnIndex) and loaded.index.path == saved
    for word in ("w0", "w33", "w2500"):
        assert loaded.most_similar(word, index="ann") == kv.most_similar(word, index="ann")
    assert loaded.index._mmap
    # a load limited to fewer keys leaves the index out; mmap=False reads it into memory
    assert wordvec.io.load(path, limit=100).index is None
    in_memory = wordvec.io.load(path, mmap=False)
    assert in_memory.most_similar("w0", index="ann") == kv.most_similar("w0", index="ann")
    # saving the vectors again replaces the directory: the old index goes with it
    wordvec.save(kv, path)
    assert wordvec.load(path).index is None


@needs_usearch
def test_stale_index_is_refused(kv, tmp_path, monkeypatch):
    monkeypatch.setattr(keyed, "ANN_MIN_KEYS", 1000)
    path = tmp_path / "vectors"
    wordvec.save(kv, path)
    kv.index.save(path)
    changed = np.array(kv.vectors)
    changed[123, 0] += 0.5
    for name, other in (("vectors", KeyedVectors(kv.index_to_key, changed)),
                        ("keys", KeyedVectors(["x"] + kv.index_to_key[1:], kv.vectors)),
                        ("count", KeyedVectors(kv.index_to_key[:-1], kv.vectors[:-1]))):
        target = tmp_path / f"changed-{name}"
        wordvec.save(other, target)
        shutil.copytree(path / "ann", target / "ann")
        loaded = wordvec.load(target)
        with pytest.raises(StaleIndexError, match="rebuild it"):
            loaded.most_similar("w5", index="ann")
        with pytest.raises(StaleIndexError):
            loaded.most_similar("w5")  # automatic: refused too, not silently exact
        if name == "vectors":  # an exact search still answers
            assert len(loaded.most_similar("w5", index="exact")) == 10
    # attaching a loaded index to other vectors in memory is refused on the first search as well
    other = KeyedVectors(kv.index_to_key, changed)
    other.index = AnnIndex.load(path)
    with pytest.raises(StaleIndexError):
        other.most_similar("w1", index="ann")


@needs_usearch
def test_save_needs_a_native_directory(kv, tmp_path):
    with pytest.raises(FileNotFoundError, match="not a native vectors directory"):
        kv.index.save(tmp_path)


def test_damaged_index_configuration_is_a_format_error(tmp_path):
    kv = clustered(100, 4)
    wordvec.save(kv, tmp_path / "v")
    (tmp_path / "v" / "ann").mkdir()
    (tmp_path / "v" / "ann" / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(wordvec.io.FormatError, match="index configuration"):
        wordvec.load(tmp_path / "v")


# ---------------------------------------------------------------------- missing extra
@pytest.fixture
def no_usearch(monkeypatch):
    for name in list(sys.modules):
        if name == "usearch" or name.startswith("usearch."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "usearch", None)
    monkeypatch.setitem(sys.modules, "usearch.index", None)


def test_missing_extra_names_the_install_command(no_usearch):
    kv = clustered(200, 8)
    with pytest.raises(ImportError, match=r"pip install 'wordvec\[ann\]'") as info:
        kv.build_index()
    assert "\n" not in str(info.value)


@needs_usearch
def test_missing_extra_with_a_saved_index(kv, tmp_path, monkeypatch):
    wordvec.save(kv, tmp_path / "v")
    kv.index.save(tmp_path / "v")
    for name in list(sys.modules):
        if name == "usearch" or name.startswith("usearch."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "usearch", None)
    monkeypatch.setitem(sys.modules, "usearch.index", None)
    monkeypatch.setattr(keyed, "ANN_MIN_KEYS", 1000)
    loaded = wordvec.load(tmp_path / "v")  # loading needs no usearch
    with pytest.raises(ImportError, match=r"pip install 'wordvec\[ann\]'"):
        loaded.most_similar("w1", index="ann")
    with pytest.warns(RuntimeWarning, match="searching exactly"):
        assert loaded.most_similar("w1") == kv.most_similar("w1", index="exact")


def test_import_wordvec_does_not_import_the_extra():
    code = ("import sys, wordvec, wordvec.io, wordvec.vectors.ann, numpy as np; "
            "kv = wordvec.KeyedVectors(['a', 'b'], np.eye(2)); kv.most_similar('a'); "
            "assert 'usearch' not in sys.modules, 'usearch imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------------------------ batched
def test_batch_matches_the_per_key_loop():
    kv = clustered(3000, 24, seed=3)
    words = [f"w{i}" for i in range(0, 3000, 7)] + ["w1", "w1"]
    for topn, restrict in ((10, None), (1, None), (25, 1000), (10, 7), (5000, None)):
        batch = kv.most_similar_batch(words, topn=topn, restrict_vocab=restrict)
        assert len(batch) == len(words)
        for word, got in zip(words, batch):
            want = kv.most_similar(word, topn=topn, restrict_vocab=restrict, index="exact")
            same_results(got, want)
            assert word not in keys_of(got)


@pytest.mark.parametrize("chunk", [32, 7, 1])
def test_batch_blocks_and_ties(monkeypatch, chunk):
    # many exact ties (repeated rows): the lower index wins, as in the per-key search
    rng = np.random.default_rng(0)
    base = rng.standard_normal((40, 8)).astype(np.float32)
    kv = KeyedVectors([f"w{i}" for i in range(400)], np.repeat(base, 10, axis=0))
    monkeypatch.setattr(keyed, "_BATCH_KEYS", 3)  # blocks of 3 keys
    monkeypatch.setattr(keyed, "_BATCH_TILE", 50)  # tiles of whole chunks: 32, 49 or 50 rows
    monkeypatch.setattr(keyed, "_BATCH_CHUNK", chunk)  # 7: the last chunk is shorter
    words = [f"w{i}" for i in range(0, 400, 9)]
    for word, got in zip(words, kv.most_similar_batch(words, topn=12)):
        want = kv.most_similar(word, topn=12)
        assert keys_of(got) == keys_of(want)
        np.testing.assert_allclose([s for _, s in got], [s for _, s in want], atol=1e-6)


def test_batch_nonfinite_rows_and_arguments():
    kv = clustered(500, 8)
    vectors = np.array(kv.vectors)
    vectors[[4, 9]] = np.nan
    kv = KeyedVectors(kv.index_to_key, vectors)
    words = ["w1", "w4", "w100"]
    batch = kv.most_similar_batch(words, topn=600)
    assert batch[1] == [] == kv.most_similar("w4")
    for word, got in zip(words, batch):
        same_results(got, kv.most_similar(word, topn=600))
        assert len(got) in (0, 497)
    assert kv.most_similar_batch([]) == []
    (got,) = kv.most_similar_batch("w1")
    same_results(got, kv.most_similar("w1"))
    with pytest.raises(KeyError, match="nope"):
        kv.most_similar_batch(["w1", "nope"])
    with pytest.raises(ValueError, match="topn"):
        kv.most_similar_batch(["w1"], topn=0)


def test_batch_on_subword_vectors_builds_unknown_words():
    from wordvec.vectors import SubwordVectors

    rng = np.random.default_rng(0)
    words = ["apple", "apples", "applet", "banana", "bananas", "cherry", "grape", "grapes"]
    sv = SubwordVectors(words, rng.standard_normal((8, 6)).astype(np.float32),
                        rng.standard_normal((50, 6)).astype(np.float32), min_n=3, max_n=4, bucket=50)
    for word, got in zip(["apple", "applez"], sv.most_similar_batch(["apple", "applez"], topn=5)):
        same_results(got, sv.most_similar(word, topn=5))


# -------------------------------------------------------------------------- projector page
@needs_usearch
def test_projector_neighbours_use_the_index(monkeypatch):
    for module in ("fastapi", "httpx", "plotly", "sklearn"):
        pytest.importorskip(module, reason="the projector page needs the web extra")
    from fastapi.testclient import TestClient

    from wordvec.web.server import create_app

    kv = clustered(2000, 16)
    kv.build_index(threads=1)
    monkeypatch.setattr(keyed, "ANN_MIN_KEYS", 1000)
    calls = []
    search = kv.index.search
    monkeypatch.setattr(kv.index, "search", lambda q, k: calls.append(k) or search(q, k))
    client = TestClient(create_app(kv), base_url="http://127.0.0.1")
    got = client.get("/api/neighbors", params={"word": "w5", "topn": 5}).json()["neighbors"]
    assert calls and len(got) == 5 and "w5" not in [x["word"] for x in got]
    want = kv.most_similar("w5", topn=5, index="ann")
    assert [x["word"] for x in got] == keys_of(want)
    analogy = client.get("/api/analogy", params={"a": "w1", "b": "w2", "c": "w3", "topn": 4}).json()["results"]
    assert [x["word"] for x in analogy] == keys_of(kv.most_similar(positive=["w2", "w3"], negative=["w1"], topn=4))
    assert len(client.get("/api/word/w7").json()["neighbors"]) == 10
