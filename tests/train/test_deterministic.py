"""Deterministic multi-threaded training (``deterministic=True``): the same bits whatever ``workers``.

Exact tests on small corpora that span several rounds of jobs (so that rounds, commits and thread
timing all matter), for skip-gram and CBOW with negative sampling and hierarchical softmax and for
FastText; the trainer's schedule against its NumPy twin; quality on real text (slow).
"""

from __future__ import annotations

import numpy as np
import pytest

from wordvec import FastText, Word2Vec
from wordvec.train import trainer
from wordvec.train.trainer import run_epochs
from qualitytools import assert_demo_quality

ANIMALS = ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "duck"]
METALS = ["iron", "gold", "silver", "copper", "zinc", "lead", "tin", "steel"]


def corpus(rng, n_sent=6000):
    """Two topics plus 300 filler words: ~48,000 tokens, several jobs of DETERMINISTIC_JOB_WORDS."""
    filler = [f"w{i}" for i in range(300)]
    return [list(rng.choice(ANIMALS if i % 2 else METALS, 4)) + list(rng.choice(filler, 4)) for i in range(n_sent)]


@pytest.fixture
def small_rounds(monkeypatch):
    """Jobs of ~2,000 tokens in rounds of 3: the test corpora run many rounds per epoch, the last one short."""
    monkeypatch.setattr(trainer, "DETERMINISTIC_JOB_WORDS", 2000)
    monkeypatch.setattr(trainer, "ROUND_JOBS", 3)


W2V = [("skipgram", "negative", True), ("skipgram", "negative", False), ("skipgram", "hierarchical", True),
       ("cbow", "negative", True), ("cbow", "hierarchical", True)]


@pytest.mark.parametrize("architecture,loss,shared", W2V)
def test_word2vec_vectors_are_identical_for_1_2_and_3_workers(rng, small_rounds, architecture, loss, shared):
    sents = corpus(rng)
    kw = dict(vector_size=12, min_count=1, epochs=2, seed=5, deterministic=True, progress=False,
              architecture=architecture, loss=loss, shared_negatives=shared, cbow_mean=architecture == "cbow")
    runs = [Word2Vec(workers=w, **kw).fit(sents) for w in (1, 2, 3)]
    for other in runs[1:]:
        np.testing.assert_array_equal(other.wv.vectors, runs[0].wv.vectors)
        np.testing.assert_array_equal(other.output_vectors_, runs[0].output_vectors_)
        assert other.loss_history_ == runs[0].loss_history_  # summed in job order too
    again = Word2Vec(workers=2, **kw).fit(sents)
    np.testing.assert_array_equal(again.wv.vectors, runs[0].wv.vectors)
    other_seed = Word2Vec(workers=2, **{**kw, "seed": 6}).fit(sents)
    assert not np.array_equal(other_seed.wv.vectors, runs[0].wv.vectors)
    assert runs[0].loss_history_[-1] < runs[0].loss_history_[0]


@pytest.mark.parametrize("architecture,loss", [("skipgram", "negative"), ("skipgram", "hierarchical"),
                                               ("cbow", "negative"), ("cbow", "hierarchical")])
def test_fasttext_vectors_are_identical_for_1_2_and_3_workers(rng, small_rounds, architecture, loss):
    sents = corpus(rng, 4000)
    kw = dict(vector_size=12, min_count=1, epochs=2, seed=5, deterministic=True, progress=False, bucket=3000,
              architecture=architecture, loss=loss)
    runs = [FastText(workers=w, **kw).fit(sents) for w in (1, 2, 3)]
    for other in runs[1:]:
        np.testing.assert_array_equal(other.wv.word_rows, runs[0].wv.word_rows)
        np.testing.assert_array_equal(other.wv.ngram_rows, runs[0].wv.ngram_rows)
        np.testing.assert_array_equal(other.wv["unseenword"], runs[0].wv["unseenword"])
    other_seed = FastText(workers=2, **{**kw, "seed": 6}).fit(sents)
    assert not np.array_equal(other_seed.wv.ngram_rows, runs[0].wv.ngram_rows)


def test_with_the_librarys_rounds_a_corpus_of_many_jobs_is_identical_too(rng):
    """The default job size and round length (no monkeypatching): 96,000 tokens, ~10 jobs an epoch."""
    sents = corpus(rng, 12_000)
    kw = dict(vector_size=10, min_count=1, epochs=1, seed=2, deterministic=True, progress=False)
    a = Word2Vec(workers=1, **kw).fit(sents).wv.vectors
    b = Word2Vec(workers=2, **kw).fit(sents).wv.vectors
    np.testing.assert_array_equal(a, b)


def test_deterministic_training_learns_the_topics(rng):
    sents = corpus(rng)
    for arch in ("skipgram", "cbow"):
        wv = Word2Vec(vector_size=20, window=3, min_count=1, epochs=5, sample=0, architecture=arch, workers=2,
                      seed=7, deterministic=True, progress=False, alpha=0.05 if arch == "cbow" else 0.025).fit(sents).wv
        within = np.mean([wv.similarity(a, b) for a in ANIMALS for b in ANIMALS if a != b])
        across = np.mean([wv.similarity(a, b) for a in ANIMALS for b in METALS])
        assert within > across + 0.3, (arch, within, across)


def test_streamed_corpus_gives_the_in_memory_bits(rng, monkeypatch, small_rounds, tmp_path):
    """A corpus encoded to temporary files (read back job by job) trains to the same vectors."""
    from wordvec.corpus import encode

    sents = corpus(rng, 3000)
    path = tmp_path / "c.txt"
    path.write_text("\n".join(" ".join(s) for s in sents) + "\n", encoding="utf-8")
    kw = dict(vector_size=8, min_count=1, epochs=2, seed=3, deterministic=True, progress=False, workers=2)
    memory = Word2Vec(**kw).fit(str(path)).wv.vectors
    monkeypatch.setattr(encode, "SPILL_TOKENS", 1000)
    streamed = Word2Vec(**kw).fit(str(path))
    np.testing.assert_array_equal(streamed.wv.vectors, memory)


def test_the_default_stays_hogwild_and_the_setting_is_saved(rng, tmp_path):
    from wordvec.io import read_native_config

    assert Word2Vec().deterministic is False and FastText().deterministic is False
    m = Word2Vec(vector_size=8, min_count=1, epochs=1, deterministic=True, progress=False).fit(corpus(rng, 200))
    m.save(tmp_path / "m")
    assert read_native_config(tmp_path / "m")["extra"]["config"]["deterministic"] is True
    assert Word2Vec.load(tmp_path / "m").deterministic is True
    with pytest.raises(ValueError, match="deterministic must be True or False"):
        Word2Vec(deterministic="yes").fit([["a", "b"]])


# ------------------------------------------------------------------ the trainer's schedule
class _Recorder:
    """A deterministic kernel that records when it ran and what was committed, in what order."""

    def __init__(self):
        self.events = []

    def __call__(self, s0, s1, a0, a1, rng):
        self.events.append(("run", s0))
        return 1.0, 1, 1, (s0, a0, a1, int(rng[0]))

    def commit(self, updates, map_parts=None, parts=1):
        self.events.append(("commit", [u[0] for u in updates]))

    def settle(self):
        self.events.append(("settle", None))


def test_rounds_commit_in_job_order_and_the_last_round_is_short():
    k = _Recorder()
    offsets = np.arange(0, 70_001, 1000)  # 70 sentences of 1,000 tokens: 7 jobs of 10,000
    run_epochs(k, offsets=offsets, epochs=2, alpha=0.1, min_alpha=0.001, workers=3, seed=1, progress=False,
               job_words=10_000, deterministic=True, round_jobs=3)
    commits = [e[1] for e in k.events if e[0] == "commit"]
    assert commits == [[0, 10, 20], [30, 40, 50], [60]] * 2
    # no job of a round starts before the previous round is committed, and each round runs all its jobs
    runs_before = [sum(1 for e in k.events[:i] if e[0] == "run") for i, e in enumerate(k.events) if e[0] == "commit"]
    assert runs_before == [3, 6, 7, 10, 13, 14]
    # the deferred changes are made at the end of each epoch, after its last round
    assert [i for i, e in enumerate(k.events) if e[0] == "settle"] == [10, 21]


def test_the_schedule_matches_its_numpy_twin(rng):
    """run_epochs + a deterministic job against reference_deterministic.ref_rounds: every job of a round
    starts from the round's matrices and the round's deltas are combined, in job order, by the block
    momentum (its kernels' own twin is tested in tests/kernels)."""
    from wordvec._kernels.deterministic import det_skipgram_ns
    from wordvec._kernels.reference import ref_skipgram
    from wordvec._kernels.reference_deterministic import ref_rounds
    from wordvec.models._jobs import KernelJob
    from wordvec.train.schedules import job_seed, linear_alpha
    from wordvec.vocab import keep_thresholds, negative_guide, negative_table

    v, d = 15, 6
    counts = np.sort(rng.integers(5, 100, size=v))[::-1].astype(np.int64)
    tokens = rng.integers(0, v, size=200).astype(np.int32)
    offsets = np.arange(0, 201, 10, dtype=np.int64)
    keep, cum = keep_thresholds(counts, 0.0), negative_table(counts)
    syn0 = ((rng.random((v, d), dtype=np.float32) - 0.5) / d).astype(np.float32)
    syn1 = (rng.standard_normal((v, d)) * 0.3).astype(np.float32)
    ref0, ref1 = syn0.copy(), syn1.copy()
    init0, init1 = syn0.copy(), syn1.copy()
    job = KernelJob(det_skipgram_ns, syn1, (syn0, syn1), (keep, cum, negative_guide(cum), 2, 2, False), tokens, offsets,
                    deterministic=True)
    run_epochs(job, offsets=offsets, epochs=1, alpha=0.2, min_alpha=0.01, workers=2, seed=9, progress=False,
               job_words=40, deterministic=True, round_jobs=2)
    cuts = trainer.make_jobs(offsets, 40)
    assert len(cuts) - 1 == 5  # two full rounds and a short one
    jobs = []
    for j in range(len(cuts) - 1):
        s0, s1 = cuts[j], cuts[j + 1]
        a0 = linear_alpha(0.2, 0.01, float(offsets[s0]) / offsets[-1])
        a1 = linear_alpha(0.2, 0.01, float(offsets[s1]) / offsets[-1])
        jobs.append((tokens, offsets[s0:s1 + 1], a0, a1, int(job_seed(9, 0, j)[0])))
    ref_rounds(ref_skipgram, ref0, ref1, jobs, 2, middle=(keep, 2), options=dict(cum_table=cum, negative=2), mu=0.5)
    np.testing.assert_allclose(syn0, ref0, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(syn1, ref1, rtol=1e-4, atol=1e-6)
    serial0, serial1 = init0.copy(), init1.copy()  # rounds of one job: each job sees the one before
    ref_rounds(ref_skipgram, serial0, serial1, jobs, 1, middle=(keep, 2), options=dict(cum_table=cum, negative=2))
    assert not np.allclose(serial0, syn0, rtol=1e-4, atol=1e-6)  # so the rounds of two made a difference


# ------------------------------------------------------------------ real text
@pytest.mark.slow
@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
def test_quality_on_the_bundled_demo_corpus_matches_hogwilds_bar(architecture):
    """The thresholds of tests/models/test_word2vec.py::test_quality_on_the_bundled_demo_corpus (the
    demo's Hogwild model, workers=2), met by deterministic training with the demo's settings."""
    from wordvec.demo import demo_corpus_path

    wv = Word2Vec(vector_size=100, window=5, min_count=5, epochs=5, workers=2, seed=1, deterministic=True,
                  architecture=architecture, progress=False).fit(demo_corpus_path()).wv
    assert_demo_quality(wv)
