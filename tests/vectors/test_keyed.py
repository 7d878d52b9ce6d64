"""KeyedVectors (vectors/keyed.py) and exact top-k search (vectors/search.py).

Query results are checked against gensim 4.4's ``KeyedVectors`` built from the same keys
and vectors; the rest pins down construction, error messages (DESIGN.md conventions 7, 11)
and the edge cases gensim handles differently or not at all (zero rows, topn > vocabulary).
"""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.vectors.keyed import KeyedVectors
from wordvec.vectors.search import top_k

SEED = 12345

# gensim 4.4's most_similar_cosmul calls its own deprecated init_sims()
pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated `init_sims`:DeprecationWarning")
N_KEYS, DIM = 2000, 50


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def random_data() -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(SEED)
    keys = [f"w{i:04d}" for i in range(N_KEYS)]
    vectors = rng.normal(size=(N_KEYS, DIM)).astype(np.float32)
    return keys, vectors


@pytest.fixture(scope="module")
def kv(random_data) -> KeyedVectors:
    keys, vectors = random_data
    return KeyedVectors(keys, vectors)


@pytest.fixture(scope="module")
def gkv(random_data):
    gensim_models = pytest.importorskip("gensim.models")
    keys, vectors = random_data
    g = gensim_models.KeyedVectors(DIM)
    g.add_vectors(keys, vectors)
    return g


@pytest.fixture
def small() -> KeyedVectors:
    """Six keys in 3-D; 'zero' has a zero vector."""
    keys = ["a", "b", "c", "d", "e", "zero"]
    vectors = np.array(
        [
            [1.0, 0.0, 0.0],
            [0.9, 0.1, 0.0],
            [0.0, 1.0, 0.0],
            [0.0, 0.0, 2.0],
            [-1.0, 0.5, 0.5],
            [0.0, 0.0, 0.0],
        ]
    )
    return KeyedVectors(keys, vectors, counts=[60, 50, 40, 30, 20, 10])


@pytest.fixture
def words() -> KeyedVectors:
    keys = ["the", "king", "queen", "man", "woman", "kingdom", "apple"]
    rng = np.random.default_rng(SEED)
    return KeyedVectors(keys, rng.normal(size=(len(keys), 8)))


def assert_same_results(ours, theirs, atol=1e-5):
    assert [k for k, _ in ours] == [k for k, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], rtol=0, atol=atol)


# -------------------------------------------------------------- construction
def test_float64_input_becomes_float32_c_contiguous():
    vectors = np.arange(12, dtype=np.float64).reshape(3, 4)
    kv = KeyedVectors(["x", "y", "z"], vectors)
    assert kv.vectors.dtype == np.float32
    assert kv.vectors.flags.c_contiguous
    np.testing.assert_array_equal(kv.vectors, vectors.astype(np.float32))


def test_fortran_order_float32_becomes_c_contiguous():
    vectors = np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4))
    assert not vectors.flags.c_contiguous
    kv = KeyedVectors(["x", "y", "z"], vectors)
    assert kv.vectors.flags.c_contiguous
    np.testing.assert_array_equal(kv.vectors, vectors)


def test_int_and_list_input_become_float32():
    kv = KeyedVectors(["x", "y"], [[1, 2], [3, 4]])
    assert kv.vectors.dtype == np.float32
    assert kv.vectors.flags.c_contiguous
    np.testing.assert_array_equal(kv["y"], [3.0, 4.0])


def test_read_only_memmap_is_not_copied(tmp_path):
    path = tmp_path / "vectors.npy"
    np.save(path, np.arange(12, dtype=np.float32).reshape(3, 4))
    mm = np.load(path, mmap_mode="r")
    kv = KeyedVectors(["x", "y", "z"], mm)
    assert np.shares_memory(kv.vectors, mm)
    # queries work on read-only storage
    assert kv.unit_vectors.shape == (3, 4)
    assert [k for k, _ in kv.most_similar("x", topn=2)] == ["y", "z"]


def test_duplicate_key_is_named():
    with pytest.raises(ValueError, match=r"duplicate key 'b'.*1 and 3"):
        KeyedVectors(["a", "b", "c", "b"], np.zeros((4, 2)))


def test_non_str_key_in_constructor():
    with pytest.raises(TypeError, match=r"key #1 is int"):
        KeyedVectors(["a", 7], np.zeros((2, 2)))


@pytest.mark.parametrize(
    "shape, match",
    [((3,), r"2-D.*\(3,\)"), ((3, 2, 2), r"2-D.*\(3, 2, 2\)"), ((4, 2), r"3 keys but 4"), ((2, 2), r"3 keys but 2")],
)
def test_wrong_vector_shapes(shape, match):
    with pytest.raises(ValueError, match=match):
        KeyedVectors(["a", "b", "c"], np.zeros(shape))


@pytest.mark.parametrize("counts", [[1, 2], [1, 2, 3, 4], [[1, 2, 3]], 5])
def test_wrong_counts_shape(counts):
    with pytest.raises(ValueError, match=r"counts must have shape \(3,\)"):
        KeyedVectors(["a", "b", "c"], np.zeros((3, 2)), counts=counts)


def test_counts_stored_as_int64(small):
    assert small.counts.dtype == np.int64
    np.testing.assert_array_equal(small.counts, [60, 50, 40, 30, 20, 10])
    assert KeyedVectors(["a"], np.zeros((1, 2))).counts is None


def test_basics(small):
    assert len(small) == 6
    assert small.vector_size == 3
    assert "a" in small and "zero" in small
    assert "nope" not in small and 5 not in small
    assert list(small) == ["a", "b", "c", "d", "e", "zero"]
    assert small.index_to_key == ["a", "b", "c", "d", "e", "zero"]
    assert small.key_to_index == {k: i for i, k in enumerate(small.index_to_key)}
    assert small.get_index("d") == 3
    np.testing.assert_array_equal(small["d"], [0.0, 0.0, 2.0])
    assert small["d"].dtype == np.float32
    assert repr(small) == "KeyedVectors(6 keys, 3 dimensions)"


def test_keys_from_generator():
    kv = KeyedVectors((k for k in "xyz"), np.eye(3))
    assert kv.index_to_key == ["x", "y", "z"]


def test_empty_vocabulary():
    kv = KeyedVectors([], np.zeros((0, 4)))
    assert len(kv) == 0 and kv.vector_size == 4 and list(kv) == []
    with pytest.raises(KeyError, match="not in the vocabulary"):
        kv["a"]


# ---------------------------------------------------------------- unknown keys
def _key_error_message(excinfo) -> str:
    return excinfo.value.args[0]


def test_unknown_key_suggests_close_key(words):
    with pytest.raises(KeyError) as excinfo:
        words["kingg"]
    msg = _key_error_message(excinfo)
    assert "'kingg'" in msg and "not in the vocabulary (7 keys)" in msg
    assert "did you mean" in msg and "'king'" in msg


def test_unknown_key_suggests_lowercase_first(words):
    with pytest.raises(KeyError) as excinfo:
        words["King"]
    msg = _key_error_message(excinfo)
    assert "'King'" in msg
    assert msg.split("did you mean ", 1)[1].startswith("'king'")


def test_unknown_key_lowercase_suggested_even_when_not_close():
    # "APPLE" vs "apple": difflib ratio 0, only the lowercase rule finds it
    kv = KeyedVectors(["apple", "pear"], np.eye(2))
    with pytest.raises(KeyError) as excinfo:
        kv.get_index("APPLE")
    assert "did you mean 'apple'?" in _key_error_message(excinfo)


def test_unknown_key_without_close_match(words):
    with pytest.raises(KeyError) as excinfo:
        words["zzzzzzzz"]
    msg = _key_error_message(excinfo)
    assert "'zzzzzzzz'" in msg and "did you mean" not in msg


@pytest.mark.parametrize(
    "call",
    [
        lambda kv: kv.most_similar("kingg"),
        lambda kv: kv.most_similar("king", negative=["kingg"]),
        lambda kv: kv.most_similar_cosmul(["king", "kingg"]),
        lambda kv: kv.similarity("king", "kingg"),
        lambda kv: kv.distance("kingg", "king"),
        lambda kv: kv.doesnt_match(["king", "queen", "kingg"]),
        lambda kv: kv.unit_vector("kingg"),
    ],
)
def test_queries_name_unknown_key(words, call):
    with pytest.raises(KeyError) as excinfo:
        call(words)
    msg = _key_error_message(excinfo)
    assert "'kingg'" in msg and "'king'" in msg


# ------------------------------------------------------- agreement with gensim
QUERIES_POS = [["w0000"], ["w0123", "w1500"], ["w0007", "w0042", "w1999"]]
QUERIES_POS_NEG = [(["w0010", "w0020"], ["w0030"]), (["w0100"], ["w0200", "w0300"]), (["w1234"], ["w0001"])]


@pytest.mark.parametrize("positive", QUERIES_POS)
@pytest.mark.parametrize("topn", [1, 10, 57])
def test_most_similar_positive_matches_gensim(kv, gkv, positive, topn):
    ours = kv.most_similar(positive, topn=topn)
    assert len(ours) == topn
    assert_same_results(ours, gkv.most_similar(positive=positive, topn=topn))


def test_most_similar_single_str_matches_gensim(kv, gkv):
    assert_same_results(kv.most_similar("w0500"), gkv.most_similar("w0500"))


@pytest.mark.parametrize("positive, negative", QUERIES_POS_NEG)
def test_most_similar_positive_negative_matches_gensim(kv, gkv, positive, negative):
    ours = kv.most_similar(positive, negative, topn=15)
    assert_same_results(ours, gkv.most_similar(positive=positive, negative=negative, topn=15))


def test_most_similar_negative_only_matches_gensim(kv, gkv):
    ours = kv.most_similar(negative=["w0003"], topn=10)
    assert_same_results(ours, gkv.most_similar(negative=["w0003"], topn=10))


@pytest.mark.parametrize("restrict_vocab", [50, 300, 1999, 2000, 5000])
@pytest.mark.parametrize("positive, negative", [(["w0010"], []), (["w0010", "w0400"], ["w0020"])])
def test_most_similar_restrict_vocab_matches_gensim(kv, gkv, positive, negative, restrict_vocab):
    ours = kv.most_similar(positive, negative, topn=10, restrict_vocab=restrict_vocab)
    theirs = gkv.most_similar(positive=positive, negative=negative, topn=10, restrict_vocab=restrict_vocab)
    assert_same_results(ours, theirs)
    assert all(kv.get_index(k) < restrict_vocab for k, _ in ours)


@pytest.mark.parametrize("positive", QUERIES_POS)
@pytest.mark.parametrize("topn", [1, 10, 40])
def test_most_similar_cosmul_positive_matches_gensim(kv, gkv, positive, topn):
    # gensim divides by (1 + 1e-6) even without negatives: a 1e-6 relative difference at most
    ours = kv.most_similar_cosmul(positive, topn=topn)
    assert_same_results(ours, gkv.most_similar_cosmul(positive=positive, topn=topn))


@pytest.mark.parametrize("positive, negative", QUERIES_POS_NEG)
def test_most_similar_cosmul_positive_negative_matches_gensim(kv, gkv, positive, negative):
    ours = kv.most_similar_cosmul(positive, negative, topn=15)
    assert_same_results(ours, gkv.most_similar_cosmul(positive=positive, negative=negative, topn=15))


@pytest.mark.parametrize("restrict_vocab", [50, 300, 2000])
def test_most_similar_cosmul_restrict_vocab(kv, gkv, restrict_vocab):
    # gensim 4.4 accepts but ignores restrict_vocab in most_similar_cosmul: compare against its
    # full ranking filtered to the first restrict_vocab keys.
    positive, negative = ["w0010", "w0400"], ["w0020"]
    ours = kv.most_similar_cosmul(positive, negative, topn=10, restrict_vocab=restrict_vocab)
    full = gkv.most_similar_cosmul(positive=positive, negative=negative, topn=N_KEYS)
    theirs = [(k, s) for k, s in full if gkv.get_index(k) < restrict_vocab][:10]
    assert_same_results(ours, theirs)


def test_similarity_and_distance_match_gensim(kv, gkv):
    rng = np.random.default_rng(SEED + 1)
    for _ in range(50):
        a, b = (f"w{i:04d}" for i in rng.integers(0, N_KEYS, 2))
        sim = kv.similarity(a, b)
        assert isinstance(sim, float)
        assert sim == pytest.approx(float(gkv.similarity(a, b)), abs=1e-6)
        assert kv.distance(a, b) == pytest.approx(float(gkv.distance(a, b)), abs=1e-6)
        assert kv.distance(a, b) == pytest.approx(1.0 - sim, abs=1e-12)
    assert kv.similarity("w0001", "w0001") == pytest.approx(1.0, abs=1e-6)


def test_doesnt_match_matches_gensim(kv, gkv):
    rng = np.random.default_rng(SEED + 2)
    for size in [2, 3, 4, 6, 10] * 6:
        group = [f"w{i:04d}" for i in rng.choice(N_KEYS, size=size, replace=False)]
        if size == 2:
            # two words are equally far from their mean: a tie broken by rounding, in gensim too
            assert kv.doesnt_match(group) in group
            unit = np.stack([kv.unit_vector(w) for w in group])
            mean = unit.mean(axis=0)
            cos = unit @ (mean / np.linalg.norm(mean))
            assert cos[0] == pytest.approx(cos[1], abs=1e-6)
            continue
        assert kv.doesnt_match(group) == gkv.doesnt_match(group)


def test_doesnt_match_finds_planted_outlier():
    rng = np.random.default_rng(SEED)
    base = rng.normal(size=16)
    vectors = [base + 0.05 * rng.normal(size=16) for _ in range(4)] + [-base]
    kv = KeyedVectors(["p", "q", "r", "s", "odd"], np.array(vectors))
    assert kv.doesnt_match(["p", "odd", "q", "r", "s"]) == "odd"
    assert kv.doesnt_match(("s", "r", "odd")) == "odd"


@pytest.mark.parametrize("scale", [1.0, 37.5])
@pytest.mark.parametrize("topn", [1, 10, 33])
def test_similar_by_vector_matches_gensim(kv, gkv, topn, scale):
    vector = np.random.default_rng(SEED + 3).normal(size=DIM) * scale  # float64, not unit length
    ours = kv.similar_by_vector(vector, topn=topn)
    assert_same_results(ours, gkv.similar_by_vector(vector.astype(np.float32), topn=topn))


def test_similar_by_vector_returns_the_key_itself(kv):
    # no exclusion: a key's own vector finds the key first, with cosine 1
    (key, score), *_ = kv.similar_by_vector(kv["w0777"], topn=3)
    assert key == "w0777" and score == pytest.approx(1.0, abs=1e-6)


def test_similar_by_vector_restrict_vocab_matches_gensim(kv, gkv):
    vector = kv["w1000"] + kv["w0005"]
    ours = kv.similar_by_vector(vector, topn=10, restrict_vocab=100)
    assert_same_results(ours, gkv.similar_by_vector(vector, topn=10, restrict_vocab=100))


def test_result_types(kv):
    for results in (
        kv.most_similar("w0001", topn=3),
        kv.most_similar_cosmul("w0001", topn=3),
        kv.similar_by_vector(kv["w0001"], topn=3),
    ):
        assert isinstance(results, list) and len(results) == 3
        for key, score in results:
            assert type(key) is str and type(score) is float


# ----------------------------------------------------------- unit vectors
def test_unit_vectors_cached_and_unit_norm(kv):
    unit = kv.unit_vectors
    assert unit is kv.unit_vectors
    assert unit.dtype == np.float32 and unit.shape == kv.vectors.shape
    np.testing.assert_allclose(np.linalg.norm(unit, axis=1), 1.0, rtol=0, atol=1e-6)
    np.testing.assert_allclose(kv.unit_vector("w0042"), kv["w0042"] / np.linalg.norm(kv["w0042"]), atol=1e-6)


def test_unit_vectors_keep_zero_rows_zero(small):
    unit = small.unit_vectors
    assert np.all(np.isfinite(unit))
    np.testing.assert_array_equal(unit[small.get_index("zero")], [0.0, 0.0, 0.0])
    norms = np.linalg.norm(unit, axis=1)
    np.testing.assert_allclose(norms[:-1], 1.0, atol=1e-6)
    np.testing.assert_array_equal(small.unit_vector("d"), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(small["zero"], [0.0, 0.0, 0.0])  # raw vectors untouched


def test_zero_vector_queries_do_not_crash(small):
    results = small.similar_by_vector(np.zeros(3), topn=10)
    assert len(results) == 6
    assert all(score == 0.0 for _, score in results)
    assert small.similarity("a", "zero") == 0.0
    assert small.distance("zero", "zero") == 1.0
    results = small.most_similar("zero", topn=10)
    assert [k for k, _ in results] != [] and "zero" not in [k for k, _ in results]
    assert all(np.isfinite(s) for _, s in results)
    results = small.most_similar("a", topn=10)
    assert dict(results)["zero"] == 0.0
    assert all(np.isfinite(s) for _, s in small.most_similar_cosmul("zero", topn=10))
    assert dict(small.most_similar_cosmul("a", topn=10))["zero"] == pytest.approx(0.5)


# ----------------------------------------------------------------- topn, exclusions
def test_topn_larger_than_vocabulary(small):
    # c, d and zero all score 0: tied, so in index order
    assert [k for k, _ in small.most_similar("a", topn=100)] == ["b", "c", "d", "zero", "e"]
    assert {k for k, _ in small.most_similar(["a", "c"], ["d"], topn=100)} == {"b", "e", "zero"}
    assert len(small.most_similar_cosmul("a", topn=100)) == 5
    assert len(small.most_similar_cosmul(["a", "c"], ["d"], topn=100)) == 3
    assert len(small.similar_by_vector(np.ones(3), topn=100)) == 6


def test_topn_equal_to_candidates(small):
    assert len(small.most_similar("a", topn=5)) == 5
    assert len(small.most_similar("a", topn=4)) == 4


def test_topn_larger_than_restricted_vocabulary(small):
    # query word inside the restricted range is excluded; outside it, nothing to exclude
    assert [k for k, _ in small.most_similar("a", topn=100, restrict_vocab=3)] == ["b", "c"]
    assert [k for k, _ in small.most_similar("e", topn=100, restrict_vocab=3)] == ["c", "b", "a"]
    assert len(small.most_similar_cosmul("a", topn=100, restrict_vocab=3)) == 2
    assert len(small.most_similar_cosmul("e", topn=100, restrict_vocab=3)) == 3
    assert len(small.similar_by_vector(np.ones(3), topn=100, restrict_vocab=4)) == 4


def test_topn_all_on_large_vocabulary(kv):
    results = kv.most_similar(["w0001", "w0002"], ["w0003"], topn=N_KEYS + 10)
    keys = [k for k, _ in results]
    assert len(keys) == N_KEYS - 3 and len(set(keys)) == N_KEYS - 3
    assert not {"w0001", "w0002", "w0003"} & set(keys)
    scores = [s for _, s in results]
    assert scores == sorted(scores, reverse=True) and all(np.isfinite(scores))


@pytest.mark.parametrize("topn", [0, -1, -10])
def test_topn_below_one_raises(small, topn):
    with pytest.raises(ValueError, match=rf"topn must be >= 1, got {topn}"):
        small.most_similar("a", topn=topn)
    with pytest.raises(ValueError, match="topn must be >= 1"):
        small.most_similar_cosmul("a", topn=topn)
    with pytest.raises(ValueError, match="topn must be >= 1"):
        small.similar_by_vector(np.ones(3), topn=topn)


@pytest.mark.parametrize("restrict_vocab", [0, -3])
def test_restrict_vocab_below_one_raises(small, restrict_vocab):
    with pytest.raises(ValueError, match="restrict_vocab must be >= 1"):
        small.most_similar("a", restrict_vocab=restrict_vocab)
    with pytest.raises(ValueError, match="restrict_vocab must be >= 1"):
        small.most_similar_cosmul("a", restrict_vocab=restrict_vocab)


def test_query_words_never_returned(kv):
    rng = np.random.default_rng(SEED + 4)
    for _ in range(20):
        q = [f"w{i:04d}" for i in rng.choice(200, size=4, replace=False)]
        for results in (
            kv.most_similar(q[:2], q[2:], topn=50),
            kv.most_similar(q, topn=50, restrict_vocab=300),
            kv.most_similar(negative=q, topn=50),
            kv.most_similar_cosmul(q[:2], q[2:], topn=50),
            kv.most_similar_cosmul(q, topn=50, restrict_vocab=300),
        ):
            assert len(results) == 50
            assert not set(q) & {k for k, _ in results}


def test_query_words_never_returned_even_when_identical_to_others():
    # 'a' and 'a2' share one vector: 'a2' (cosine 1) is returned, 'a' never
    kv = KeyedVectors(["a", "a2", "b"], np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    assert [k for k, _ in kv.most_similar("a", topn=5)] == ["a2", "b"]
    assert [k for k, _ in kv.most_similar_cosmul("a2", topn=5)] == ["a", "b"]


def test_cosmul_duplicate_query_word(small):
    assert [k for k, _ in small.most_similar_cosmul(["a", "a"], topn=100)] == [
        k for k, _ in small.most_similar_cosmul("a", topn=100)
    ]


@pytest.mark.parametrize(
    "positive, negative", [(["a", "a"], None), ("a", "a"), (["a", "b", "a"], None), ("b", ["a", "a"])]
)
def test_most_similar_repeated_query_word_topn_all(small, positive, negative):
    query = set([positive] if isinstance(positive, str) else positive)
    query |= set([negative] if isinstance(negative, str) else (negative or []))
    results = small.most_similar(positive, negative, topn=100)
    assert len(results) == len(small) - len(query)


def test_most_similar_repeated_query_word_small_topn(small):
    # below the vocabulary size the duplicate does not matter
    assert [k for k, _ in small.most_similar(["a", "a"], topn=3)] == [k for k, _ in small.most_similar("a", topn=3)]


# ------------------------------------------------------------------ argument errors
def test_most_similar_needs_a_key(small):
    for call in (
        lambda: small.most_similar(),
        lambda: small.most_similar([], []),
        lambda: small.most_similar(None, None),
    ):
        with pytest.raises(ValueError, match="at least one positive or negative"):
            call()


def test_cosmul_needs_a_positive_key(small):
    with pytest.raises(ValueError, match="at least one positive"):
        small.most_similar_cosmul(negative=["a"])
    with pytest.raises(ValueError, match="at least one positive"):
        small.most_similar_cosmul()


def test_doesnt_match_needs_two_keys(small):
    with pytest.raises(ValueError, match="at least two"):
        small.doesnt_match(["a"])
    with pytest.raises(ValueError, match="at least two"):
        small.doesnt_match("ab")  # one key named "ab", not two letters


def test_similar_by_vector_wrong_shape(small):
    with pytest.raises(ValueError, match=r"shape \(3,\), got \(4,\)"):
        small.similar_by_vector(np.ones(4))
    with pytest.raises(ValueError, match=r"shape \(3,\), got \(1, 3\)"):
        small.similar_by_vector(np.ones((1, 3)))


@pytest.mark.parametrize(
    "call, match",
    [
        # positive/negative take keys or vectors (numpy arrays): tests/vectors/test_keyed_toolbox.py
        (lambda kv: kv.most_similar([5]), r"positive must hold keys \(str\) or vectors .*, got int: 5"),
        (lambda kv: kv.most_similar(["a", None]), r"positive must hold keys \(str\) or vectors .*, got NoneType"),
        (lambda kv: kv.most_similar("a", negative=[1.5]), r"negative must hold keys \(str\) or vectors .*, got float"),
        # gensim's (key, weight) pairs are not taken
        (lambda kv: kv.most_similar_cosmul([("a", 0.5)]), r"positive must hold keys \(str\) or vectors .*got tuple"),
        (lambda kv: kv.most_similar([[1.0, 0.0, 0.0]]), r"positive must hold keys \(str\) or vectors .*got list"),
        (lambda kv: kv.doesnt_match(["a", "b", 3]), r"words must hold keys \(str\), got int"),
        (lambda kv: kv[["a", 3]], r"keys must hold keys \(str\), got int"),  # kv[["a"]] is a list look-up
        (lambda kv: kv.similarity("a", {"b"}), r"keys are strings, got set"),
    ],
)
def test_non_str_key_raises_clear_type_error(small, call, match):
    with pytest.raises(TypeError, match=match):
        call(small)


@pytest.mark.parametrize(
    "call",
    [
        lambda kv: kv[5],
        lambda kv: kv[b"a"],
        lambda kv: kv.get_index(None),
        lambda kv: kv.similarity("a", 5),
        lambda kv: kv.unit_vector(0),
    ],
)
def test_hashable_non_str_key_raises_type_error(small, call):
    with pytest.raises(TypeError, match="keys are strings"):
        call(small)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda kv: kv.most_similar(5), r"positive.*int"),
        (lambda kv: kv.most_similar(b"ab"), r"positive.*bytes"),
        (lambda kv: kv.most_similar("a", negative=7), r"negative.*int"),
        (lambda kv: kv.most_similar_cosmul(3.5), r"positive.*float"),
    ],
)
def test_bare_non_str_query_raises_clear_type_error(small, call, match):
    with pytest.raises(TypeError, match=match):
        call(small)


# ------------------------------------------------------------------------ top_k
def test_top_k_order():
    scores = np.array([0.1, 0.9, -0.5, 0.3, 0.7, 0.0], dtype=np.float32)
    np.testing.assert_array_equal(top_k(scores, 3), [1, 4, 3])
    np.testing.assert_array_equal(top_k(scores, 6), [1, 4, 3, 0, 5, 2])
    np.testing.assert_array_equal(top_k(scores, 1), [1])


def test_top_k_matches_full_sort():
    scores = np.random.default_rng(SEED).normal(size=1000).astype(np.float32)
    for k in (1, 7, 100, 999, 1000):
        np.testing.assert_array_equal(top_k(scores, k), np.argsort(-scores, kind="stable")[:k])


@pytest.mark.parametrize("n", [5, 11, 64, 65, 300])  # both sides of the small-input path (search._SMALL)
def test_top_k_small_and_large_inputs_agree_with_stable_sort_on_ties(n):
    rng = np.random.default_rng(SEED)
    scores = rng.integers(0, 4, size=n).astype(np.float32)  # many ties, some -inf
    scores[rng.integers(0, n, size=n // 5)] = -np.inf
    for k in sorted({1, 2, n // 3, n - 1, n}):
        np.testing.assert_array_equal(top_k(scores, k), np.argsort(-scores, kind="stable")[:k])


def test_top_k_ties_broken_by_lower_index_when_all_selected():
    scores = np.array([0.5, 1.0, 0.5, 1.0, 0.5, 0.0], dtype=np.float32)
    np.testing.assert_array_equal(top_k(scores, 6), [1, 3, 0, 2, 4, 5])
    np.testing.assert_array_equal(top_k(scores, 10), [1, 3, 0, 2, 4, 5])
    # ties entirely inside the selection
    np.testing.assert_array_equal(top_k(scores, 2), [1, 3])
    np.testing.assert_array_equal(top_k(np.zeros(4), 4), [0, 1, 2, 3])


def test_top_k_ties_at_the_cut_broken_by_lower_index():
    np.testing.assert_array_equal(top_k(np.array([0, 1, 1, 1, 1, 1, 1], dtype=np.float32), 5), [1, 2, 3, 4, 5])
    rng = np.random.default_rng(SEED)
    for _ in range(200):
        n = int(rng.integers(2, 200))
        scores = rng.integers(0, 3, n).astype(np.float32)
        k = int(rng.integers(1, n + 1))
        np.testing.assert_array_equal(top_k(scores, k), np.lexsort((np.arange(n), -scores))[:k])


def test_similar_by_vector_ties_in_index_order():
    # six keys share one direction: the first five should win, in index (frequency) order
    vectors = np.array([[-1.0, 0.0]] + [[1.0, 0.0]] * 6)
    kv = KeyedVectors([f"k{i}" for i in range(7)], vectors)
    assert [k for k, _ in kv.similar_by_vector(np.array([1.0, 0.0]), topn=5)] == ["k1", "k2", "k3", "k4", "k5"]


@pytest.mark.parametrize("k", [0, -1, -100])
def test_top_k_zero_or_negative_k(k):
    result = top_k(np.array([1.0, 2.0, 3.0]), k)
    assert result.shape == (0,) and result.dtype == np.int64


def test_top_k_k_larger_than_n():
    scores = np.array([3.0, 1.0, 2.0])
    np.testing.assert_array_equal(top_k(scores, 10), [0, 2, 1])
    assert top_k(np.empty(0), 5).shape == (0,)


def test_top_k_with_minus_inf():
    scores = np.array([-np.inf, 0.2, -np.inf, 0.1], dtype=np.float32)
    np.testing.assert_array_equal(top_k(scores, 2), [1, 3])
    np.testing.assert_array_equal(top_k(scores, 4), [1, 3, 0, 2])
