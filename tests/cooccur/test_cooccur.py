"""Co-occurrence counting against a brute-force NumPy count, spills, saving and loading."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec._kernels.reference_glove import cooccurrence_dense
from wordvec.cooccur import Cooccurrence, build_cooccurrence, count_cooccurrences


def random_sentences(rng, n_words, n_sent, max_len=40):
    return [rng.integers(0, n_words, rng.integers(0, max_len)).astype(np.int32) for _ in range(n_sent)]


def encode(sents):
    offsets = np.zeros(len(sents) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(s) for s in sents])
    return np.concatenate(sents).astype(np.int32), offsets


def as_dense(rows, cols, vals, n):
    out = np.zeros((n, n))
    out[rows, cols] = vals
    return out


@pytest.mark.parametrize("symmetric", [True, False])
@pytest.mark.parametrize("weighting", [True, False])
@pytest.mark.parametrize("memory_mb", [64.0, 0.0005])  # the second forces hundreds of spilled runs
def test_counts_equal_brute_force(rng, symmetric, weighting, memory_mb):
    n = 200
    sents = random_sentences(rng, n, 400)
    tokens, offsets = encode(sents)
    stats = {}
    rows, cols, vals = count_cooccurrences([(tokens, offsets)], n, window=5, distance_weighting=weighting,
                                           symmetric=symmetric, memory_mb=memory_mb, stats=stats)
    assert (stats["runs"] > 10) == (memory_mb < 1)
    ref = cooccurrence_dense(sents, n, 5, weighting, symmetric)
    np.testing.assert_allclose(as_dense(rows, cols, vals, n), ref, rtol=1e-6)
    keys = rows.astype(np.int64) * n + cols
    assert np.all(np.diff(keys) > 0), "entries must be sorted by (row, col) without duplicates"
    assert vals.size == np.count_nonzero(ref)
    assert rows.dtype == cols.dtype == np.int32 and vals.dtype == np.float32
    if symmetric:
        np.testing.assert_allclose(ref, ref.T)


def exact_values(sents, n, window, symmetric):
    """{(row, col): the exact rational sum of 1/distance} by brute force with Fractions."""
    from fractions import Fraction

    out = {}
    for s in sents:
        for j in range(len(s)):
            for k in range(max(0, j - window), j):
                w = Fraction(1, j - k)
                out[(int(s[k]), int(s[j]))] = out.get((int(s[k]), int(s[j])), 0) + w
                if symmetric:
                    out[(int(s[j]), int(s[k]))] = out.get((int(s[j]), int(s[k])), 0) + w
    return out


@pytest.mark.parametrize("memory_mb", [64.0, 1.0, 0.0005])
def test_weighted_sums_are_exact_whatever_the_order(rng, memory_mb):
    # 1/3, 1/7 ... summed in float64 depend on the order of addition (dense table, buffer, spills,
    # a cluster's partitions); counted in units of 1/lcm(1..window) they are exact, so every value
    # is the exact rational sum rounded to float32 -- the same to the bit for any memory cap.
    n, window = 300, 7
    sents = random_sentences(rng, n, 300)
    rows, cols, vals = count_cooccurrences([encode(sents)], n, window=window, distance_weighting=True,
                                           symmetric=True, memory_mb=memory_mb)
    exact = exact_values(sents, n, window, True)
    want = np.array([np.float32(float(exact[(r, c)])) for r, c in zip(rows.tolist(), cols.tolist())])
    assert len(exact) == vals.size
    np.testing.assert_array_equal(vals, want)


def test_shard_sums_are_whole_units_and_reduce_in_any_order(rng):
    from wordvec._kernels.cooccur import weight_unit
    from wordvec.distributed.cooccur import count_pairs, merge_slices

    n, window = 50, 9
    sents = random_sentences(rng, n, 200)
    unit = weight_unit(window, True)
    assert unit == 2520.0
    a = count_pairs(*encode(sents[:100]), n, window=window, distance_weighting=True, symmetric=True)
    b = count_pairs(*encode(sents[100:]), n, window=window, distance_weighting=True, symmetric=True)
    assert np.all(a[1] == np.round(a[1])) and np.all(b[1] == np.round(b[1]))
    ab, ba = merge_slices(n, a, b, unit=unit), merge_slices(n, b, a, unit=unit)
    for x, y in zip(ab, ba):
        np.testing.assert_array_equal(x, y)
    whole = count_cooccurrences([encode(sents)], n, window=window, distance_weighting=True, symmetric=True,
                                memory_mb=0.0005)
    for x, y in zip(ab, whole):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("symmetric", [True, False])
def test_dense_table_and_buffer_together_without_spill(rng, symmetric):
    # 2000 words, 1 MiB: the frequent pairs' dense table covers part of the matrix, the buffer the rest
    n = 2000
    sents = random_sentences(rng, n, 100)
    stats = {}
    rows, cols, vals = count_cooccurrences([encode(sents)], n, window=5, distance_weighting=True,
                                           symmetric=symmetric, memory_mb=1.0, stats=stats)
    assert stats["runs"] == 0 and 0 < stats["dense_entries"] < n * n
    ref = cooccurrence_dense(sents, n, 5, True, symmetric)
    np.testing.assert_allclose(as_dense(rows, cols, vals, n), ref, rtol=1e-6)
    assert np.all(np.diff(rows.astype(np.int64) * n + cols) > 0)


def test_dense_layout_follows_max_product():
    from wordvec.cooccur.builder import dense_layout

    lookup = dense_layout(10, 30)
    lengths = np.diff(lookup)
    assert lookup[-1] <= 30 and list(lengths) == sorted(lengths, reverse=True)
    p = int(lengths[0])  # row 0 holds columns c with (c + 1) * 1 <= max_product
    assert all(lengths[r] == min(p // (r + 1), 10) for r in range(10))
    assert dense_layout(10, 10**6)[-1] == 100


def test_batches_and_windows_do_not_cross_sentences(rng):
    # Two batches, and sentences of length 0 and 1: the same counts as one batch.
    sents = random_sentences(rng, 50, 120, max_len=8)
    half = len(sents) // 2
    r1 = count_cooccurrences([encode(sents)], 50, window=10, distance_weighting=True, symmetric=True,
                             memory_mb=1)
    r2 = count_cooccurrences([encode(sents[:half]), encode(sents[half:])], 50, window=10,
                             distance_weighting=True, symmetric=True, memory_mb=0.0005)
    for a, b in zip(r1, r2):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    np.testing.assert_allclose(as_dense(*r1, 50), cooccurrence_dense(sents, 50, 10), rtol=1e-6)


def test_hand_counted_example():
    # "a b c" with window 2, weighting 1/d, symmetric: a-b 1, b-c 1, a-c 0.5 (both ways)
    m = build_cooccurrence([["a", "b", "c"], ["zz"]], window=2, min_count=1, progress=False)
    d = m.dense()
    i = {k: n for n, k in enumerate(m.keys)}
    assert d[i["a"], i["b"]] == d[i["b"], i["a"]] == 1.0
    assert d[i["a"], i["c"]] == d[i["c"], i["a"]] == 0.5
    assert d[i["zz"]].sum() == 0 and m.nnz == 6
    left = build_cooccurrence([["a", "b", "c"]], window=2, symmetric=False, distance_weighting=False,
                              min_count=1, progress=False).dense()
    # Stanford's -symmetric 0 order: row = the left word, column = the right word
    assert left[i["a"], i["c"]] == 1.0 and left[i["c"], i["a"]] == 0.0


def test_pruned_words_are_dropped_before_windowing():
    # "rare" is pruned by min_count=2, so "x" and "y" become neighbours (as in Stanford's cooccur)
    m = build_cooccurrence([["x", "rare", "y"], ["x", "y"]], window=1, min_count=2, progress=False)
    assert "rare" not in m.keys
    d = m.dense()
    i = {k: n for n, k in enumerate(m.keys)}
    assert d[i["x"], i["y"]] == 2.0


def test_streamed_builder_matches_encoded_count(rng, tmp_path):
    words = [f"w{i}" for i in range(60)]
    sents = [[words[j] for j in rng.integers(0, 60, rng.integers(1, 30))] for _ in range(300)]
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(" ".join(s) for s in sents) + "\n")
    m = build_cooccurrence(path, window=4, min_count=1, memory_mb=0.001, tokenizer="whitespace",
                           tmp_dir=tmp_path, progress=False)
    assert m.settings["spilled_runs"] > 1
    idx = {k: n for n, k in enumerate(m.keys)}
    ref = cooccurrence_dense([[idx[w] for w in s] for s in sents], len(m.keys), 4)
    np.testing.assert_allclose(m.dense(), ref, rtol=1e-6)
    assert m.settings["total_words"] == sum(map(len, sents))
    assert [p.name for p in tmp_path.iterdir()] == ["corpus.txt"], "temporary runs must be removed"


def test_save_load_round_trip_and_scipy_reads_it(tmp_path):
    m = build_cooccurrence([["é", "b", "c", "b"], ["c", "é"]], window=3, min_count=1, progress=False)
    path = tmp_path / "matrix.npz"
    m.save(path)
    back = Cooccurrence.load(path)
    assert back.keys == m.keys
    np.testing.assert_array_equal(back.counts, m.counts)
    for a in ("rows", "cols", "values"):
        np.testing.assert_array_equal(getattr(back, a), getattr(m, a))
    assert back.settings == m.settings
    sparse = pytest.importorskip("scipy.sparse")
    loaded = sparse.load_npz(path)
    np.testing.assert_allclose(loaded.toarray(), m.dense())
    with np.load(path, allow_pickle=False) as z:  # no pickled object inside
        assert all(z[k].dtype != object for k in z.files)


def test_load_rejects_other_npz(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, a=np.arange(3))
    with pytest.raises(ValueError, match="not a wordvec co-occurrence file"):
        Cooccurrence.load(path)


# ------------------------------------------------------------------------- command line
def _invoke(*args):
    from typer.testing import CliRunner

    from wordvec.cli.app import app

    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def _topic_file(rng, path, n=600):
    topics = [[f"{t}{i}" for i in range(8)] for t in "abc"]
    lines = [" ".join(rng.choice(topics[s % 3], 10)) for s in range(n)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_cli_cooccur_then_train_glove_and_ppmi_svd_from_the_matrix(rng, tmp_path):
    import wordvec
    from wordvec.io import read_native_config

    corpus = _topic_file(rng, tmp_path / "c.txt")
    res = _invoke("cooccur", corpus, "-o", tmp_path / "m.npz", "--window", "4", "--min-count", "1",
                  "--memory", "0.001", "--quiet")
    assert res.exit_code == 0, res.output
    assert "non-zero co-occurrences among 24 words" in res.stdout
    m = Cooccurrence.load(tmp_path / "m.npz")
    assert m.settings["window"] == 4 and m.settings["spilled_runs"] > 1
    res = _invoke("train", tmp_path / "m.npz", "--model", "glove", "-o", tmp_path / "g.txt", "-f", "glove",
                  "--vector-size", "8", "--epochs", "5", "--x-max", "10", "--workers", "1", "--quiet")
    assert res.exit_code == 0, res.output
    assert "Trained glove (8 dimensions)" in res.stdout and "5 epochs" in res.stdout
    assert len(wordvec.load(tmp_path / "g.txt", format="glove")) == 24
    res = _invoke("train", tmp_path / "m.npz", "--model", "ppmi-svd", "-o", tmp_path / "p",
                  "--vector-size", "4", "--quiet")
    assert res.exit_code == 0, res.output
    assert read_native_config(tmp_path / "p")["extra"]["config"]["model"] == "ppmi-svd"


def test_cli_train_glove_from_text_uses_glove_defaults(rng, tmp_path):
    from wordvec.io import read_native_config

    corpus = _topic_file(rng, tmp_path / "c.txt", n=200)
    res = _invoke("train", corpus, "--model", "glove", "-o", tmp_path / "g", "--vector-size", "8",
                  "--min-count", "1", "--epochs", "2", "--quiet")
    assert res.exit_code == 0, res.output
    cfg = read_native_config(tmp_path / "g")["extra"]["config"]
    assert (cfg["model"], cfg["window"], cfg["learning_rate"], cfg["epochs"]) == ("glove", 10, 0.05, 2)


def test_cli_cooccur_errors_are_one_line(tmp_path):
    res = _invoke("cooccur", tmp_path / "missing.txt", "-o", tmp_path / "m.npz")
    assert res.exit_code == 1 and "corpus file not found" in res.stderr
    (tmp_path / "e.txt").write_text("\n")
    res = _invoke("cooccur", tmp_path / "e.txt", "-o", tmp_path / "m.npz", "--quiet")
    assert res.exit_code == 1 and "empty" in res.stderr and "Traceback" not in res.output


def test_large_results_are_merged_from_disk_not_joined_in_memory(rng, monkeypatch):
    """Above the in-memory join limit the table and buffer are spilled and merged, within the cap."""
    import wordvec.cooccur.builder as builder

    monkeypatch.setattr(builder, "_SMALL_JOIN_BYTES", 0)
    n = 2000
    sents = random_sentences(rng, n, 100)
    stats = {}
    rows, cols, vals = count_cooccurrences([encode(sents)], n, window=5, distance_weighting=True,
                                           symmetric=True, memory_mb=1.0, stats=stats)
    ref = cooccurrence_dense(sents, n, 5, True, True)
    np.testing.assert_allclose(as_dense(rows, cols, vals, n), ref, rtol=1e-6)
    assert np.all(np.diff(rows.astype(np.int64) * n + cols) > 0)
