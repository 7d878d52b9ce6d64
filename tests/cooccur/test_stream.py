"""A saved matrix read a chunk at a time (CooccurrenceFile), and GloVe trained from disk in
bounded memory: the same entries, checked as a whole load checks them, and the same learning."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

import wordvec.models.glove as glove_module
from wordvec.cooccur import Cooccurrence, build_cooccurrence
from wordvec.cooccur.stream import CooccurrenceFile, open_cooccurrence
from wordvec.exceptions import FormatError
from wordvec.models._glove_entries import shuffle_to_disk
from wordvec.models.glove import GloVe

TOPICS = [[f"{t}{i}" for i in range(10)] for t in "abc"]
ALL = sum(TOPICS, [])


def topic_corpus(rng, n=1500, noise=0.2):
    return [[str(w) if rng.random() > noise else str(rng.choice(ALL)) for w in rng.choice(TOPICS[s % 3], 12)]
            for s in range(n)]


@pytest.fixture(scope="module")
def matrix():
    rng = np.random.default_rng(5)
    return build_cooccurrence(topic_corpus(rng), min_count=1, progress=False)


@pytest.fixture
def saved(matrix, tmp_path):
    path = tmp_path / "m.npz"
    matrix.save(path)
    return path


@pytest.mark.parametrize("chunk", [1, 7, 100, 10**6])
def test_chunks_read_from_the_file_are_the_matrix(matrix, saved, chunk):
    f = CooccurrenceFile(saved)
    assert (f.keys, f.nnz, f.shape, f.settings) == (matrix.keys, matrix.nnz, matrix.shape, matrix.settings)
    np.testing.assert_array_equal(f.counts, matrix.counts)
    parts = list(f.iter_entries(chunk))
    assert all(len(p[0]) <= chunk for p in parts)
    for a, name in enumerate(("rows", "cols", "values")):
        got = np.concatenate([p[a] for p in parts])
        np.testing.assert_array_equal(got, getattr(matrix, name))
        assert got.dtype == getattr(matrix, name).dtype
    assert f.vocab.index_to_key == matrix.vocab.index_to_key
    assert [np.concatenate(x) for x in zip(*matrix.iter_entries(chunk))][0].tolist() == matrix.rows.tolist()


def test_compressed_files_are_loaded_whole(matrix, saved, tmp_path):
    with np.load(saved) as z:
        arrays = {k: z[k] for k in z.files}
    packed = tmp_path / "packed.npz"
    np.savez_compressed(packed, **arrays)
    loaded = open_cooccurrence(packed)
    assert isinstance(loaded, Cooccurrence) and loaded.nnz == matrix.nnz
    assert isinstance(open_cooccurrence(saved), CooccurrenceFile)


def _rewrite(saved, tmp_path, **changes):
    with np.load(saved) as z:
        arrays = {k: z[k] for k in z.files}
    arrays.update(changes)
    out = tmp_path / "bad.npz"
    np.savez(out, **arrays)
    return out


def test_a_chunk_that_breaks_the_format_names_the_member(matrix, saved, tmp_path):
    rows = matrix.rows.copy()
    rows[-1] = len(matrix.keys)  # out of range, in the last chunk only
    f = CooccurrenceFile(_rewrite(saved, tmp_path, row=rows))
    with pytest.raises(FormatError, match="member 'row'.*indexes must lie"):
        list(f.iter_entries(50))
    i = next(i for i in range(60, matrix.nnz - 1) if matrix.rows[i] == matrix.rows[i + 1])
    unsorted = matrix.cols.copy()
    unsorted[[i, i + 1]] = unsorted[[i + 1, i]]
    f = CooccurrenceFile(_rewrite(saved, tmp_path, col=unsorted))
    with pytest.raises(FormatError, match="not sorted"):
        list(f.iter_entries(i + 1))  # the two swapped entries in different chunks: still found
    with pytest.raises(FormatError, match="differ in length"):
        CooccurrenceFile(_rewrite(saved, tmp_path, data=matrix.values[:-1]))
    with pytest.raises(FormatError, match="1-D array"):
        CooccurrenceFile(_rewrite(saved, tmp_path, data=matrix.values.reshape(1, -1)))


def test_a_truncated_file_is_a_format_error(saved, tmp_path):
    data = saved.read_bytes()
    with zipfile.ZipFile(saved) as z:
        info = z.getinfo("data.npy")
    cut = tmp_path / "cut.npz"
    cut.write_bytes(data[:info.header_offset + 200])
    with pytest.raises(FormatError, match="cut.npz"):
        CooccurrenceFile(cut)
    with pytest.raises(FileNotFoundError):
        CooccurrenceFile(tmp_path / "missing.npz")


@pytest.mark.parametrize("chunk, job", [(64, 16), (1000, 128), (10**6, 10**6)])
def test_shuffled_file_holds_every_entry_once(matrix, chunk, job):
    from wordvec._kernels.glove import glove_weights

    with shuffle_to_disk(matrix.iter_entries(50), x_max=10, alpha=0.75, seed=3, chunk_entries=chunk,
                         job_entries=job) as entries:
        assert entries.nnz == matrix.nnz and entries.job_offsets[0] == 0
        assert np.diff(entries.job_offsets).max() <= job
        parts = [entries.read(j) for j in range(entries.n_jobs)]
        work = entries.work
    assert not work.exists()  # removed at the end of the with block
    rows, cols, weight, logx = (np.concatenate([p[a] for p in parts]) for a in range(4))
    key = rows.astype(np.int64) * len(matrix.keys) + cols
    order = np.argsort(key)
    np.testing.assert_array_equal(rows[order], matrix.rows)
    np.testing.assert_array_equal(cols[order], matrix.cols)
    w = np.empty(matrix.nnz, np.float32)
    lx = np.empty(matrix.nnz, np.float32)
    glove_weights(matrix.values, 10.0, 0.75, w, lx)
    np.testing.assert_array_equal(weight[order], w)
    np.testing.assert_array_equal(logx[order], lx)
    if matrix.nnz > chunk:  # shuffled: not in the matrix's order, nor sorted within the first job
        assert not np.array_equal(key, np.sort(key))


def test_shuffle_refuses_values_glove_cannot_fit():
    chunks = [(np.array([0, 1], np.int32), np.array([1, 0], np.int32), np.array([1.0, 0.0], np.float32))]
    with pytest.raises(ValueError, match="positive"):
        shuffle_to_disk(chunks, x_max=10, alpha=0.75, seed=1, chunk_entries=8, job_entries=8)


def topic_accuracy(kv) -> float:
    hits = 0
    for w in ALL:
        hits += sum(k[0] == w[0] for k, _ in kv.most_similar(w, topn=5))
    return hits / (5 * len(ALL))


def test_glove_streams_large_matrices_from_disk_and_learns_as_well(matrix, saved, monkeypatch):
    settings = dict(vector_size=16, epochs=15, workers=1, seed=2, progress=False)
    in_memory = GloVe(**settings).fit_cooccurrence(matrix)
    monkeypatch.setattr(glove_module, "STREAM_ENTRIES", 100)  # every test matrix is "large"
    monkeypatch.setattr(glove_module, "SHUFFLE_CHUNK", 500)
    monkeypatch.setattr(glove_module, "_JOB_ENTRIES", 64)
    calls = []
    real = glove_module.GloVe._train

    def spy(self, cfg, m, workers, streamed=None):
        calls.append((type(m).__name__, streamed is not None))
        return real(self, cfg, m, workers, streamed)

    monkeypatch.setattr(glove_module.GloVe, "_train", spy)
    from_file = GloVe(**settings).fit_cooccurrence(saved)
    again = GloVe(**settings).fit_cooccurrence(saved)
    assert calls == [("CooccurrenceFile", True), ("CooccurrenceFile", True)]
    np.testing.assert_array_equal(from_file.wv.vectors, again.wv.vectors)  # one worker, one seed: identical
    assert from_file.epoch_logs_[-1].examples == matrix.nnz == from_file.corpus_stats_["cooccurrence_entries"]
    for m in (in_memory, from_file):
        assert topic_accuracy(m.wv) > 0.9
    # the same data in another order: the losses agree closely, not exactly
    assert abs(from_file.loss_history_[-1] - in_memory.loss_history_[-1]) < 0.1 * in_memory.loss_history_[-1]
    assert from_file.loss_history_[-1] < 0.2 * from_file.loss_history_[0]
    hogwild = GloVe(**{**settings, "workers": 2}).fit_cooccurrence(saved)
    assert topic_accuracy(hogwild.wv) > 0.9


def test_glove_reads_small_files_whole_and_checks_them(matrix, saved, tmp_path):
    model = GloVe(vector_size=8, epochs=2, workers=1, progress=False).fit_cooccurrence(saved)
    assert model.wv.index_to_key == matrix.keys
    zeros = _rewrite(saved, tmp_path, data=np.where(np.arange(matrix.nnz) == 3, 0, matrix.values).astype(np.float32))
    with pytest.raises(ValueError, match="positive"):
        GloVe(vector_size=8, epochs=1, progress=False).fit_cooccurrence(zeros)
