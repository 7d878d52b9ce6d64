"""Data-parallel Word2Vec and FastText on a Dask cluster (``fit(..., client=)``, ``wordvec train --scheduler``).

The round driver's pieces (token ranges, the weighted row average) are tested exactly; the worker
function against the single-machine job on the same arrays, bit for bit; training on a LocalCluster
of 2 worker processes (1 thread each) over loopback against quality thresholds and against
single-machine training on the same file; a worker process killed in the middle of a round.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from wordvec import FastText, KeyedVectors, Word2Vec
from wordvec.distributed.rounds import BlockMomentum, changed_rows, combine_deltas, round_ranges, sum_deltas

distributed = pytest.importorskip("distributed", reason="the cluster tests need Dask (pip install 'wordvec[dask]')")

from clitools import invoke  # noqa: E402

ANIMALS = ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "duck"]
METALS = ["iron", "gold", "silver", "copper", "zinc", "lead", "tin", "steel"]


def _topic_file(path, n_sent=3000, seed=0):
    """Two topics whose words co-occur only within their own topic, one sentence a line."""
    rng = np.random.default_rng(seed)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n_sent):
            words = ANIMALS if i % 2 else METALS
            f.write(" ".join(rng.choice(words, size=8)) + "\n")
    return path


def _separation(wv) -> float:
    within = np.mean([wv.similarity(a, b) for a in ANIMALS for b in ANIMALS if a != b])
    across = np.mean([wv.similarity(a, b) for a in ANIMALS for b in METALS])
    return float(within - across)


@pytest.fixture(scope="module")
def topics(tmp_path_factory):
    return _topic_file(tmp_path_factory.mktemp("topics") / "topics.txt")


# ------------------------------------------------------------------ exact pieces, no cluster
def test_round_ranges_cover_each_token_once():
    sizes = [5, 0, 7, 3]
    for rounds in (1, 2, 4, 15, 20):
        seen = np.zeros(sum(sizes), dtype=int)
        starts = np.cumsum([0] + sizes[:-1])
        for r in range(rounds):
            for i, a, b in round_ranges(sizes, rounds, r):
                assert 0 <= a < b <= sizes[i]
                seen[starts[i] + a:starts[i] + b] += 1
        assert (seen == 1).all(), (rounds, seen)


def test_combine_deltas_weights_each_row_over_the_groups_that_changed_it():
    m = np.ones((4, 2), dtype=np.float32)
    d0 = (np.array([0, 2]), np.array([[1, 1], [2, 2]], dtype=np.float32))
    d1 = (np.array([2, 3]), np.array([[4, 4], [-1, 0]], dtype=np.float32))
    combine_deltas(m, [d0, d1], [1.0, 3.0])
    np.testing.assert_allclose(m, [[2, 2], [1, 1], [1 + (2 + 12) / 4, 1 + (2 + 12) / 4], [0, 1]])
    m2 = np.ones((4, 2), dtype=np.float32)
    combine_deltas(m2, [d0, d1], [0.0, 0.0])  # nothing trained: nothing moves
    assert (m2 == 1).all()


def test_sum_deltas_adds_every_group_and_run_rounds_refuses_other_rules():
    from wordvec.distributed.rounds import run_rounds, sum_deltas

    m = np.ones((3, 1), dtype=np.float32)
    sum_deltas(m, [(np.array([0, 2]), np.array([[1], [2]], dtype=np.float32)),
                   (np.array([2]), np.array([[4]], dtype=np.float32)),
                   (np.array([1]), np.array([[9]], dtype=np.float32))], [1.0, 3.0, 0.0])
    assert m.ravel().tolist() == [2.0, 1.0, 7.0]  # the group that trained nothing is skipped
    with pytest.raises(ValueError, match="combine"):
        run_rounds(None, [object()], (m,), None, None, epochs=1, alpha=0.1, min_alpha=0.0, seed=1, combine="median")


def _simulate(rule: str, groups: int, target: float, step: float, rounds: int) -> list[float]:
    """One row trained by ``groups`` workers for ``rounds`` rounds: each worker moves it from where it
    starts by ``step`` (constant, the linear regime) or all the way to ``target`` (saturated)."""
    m = np.zeros((2, 1), dtype=np.float32)
    bm = BlockMomentum(groups, [m.shape])
    seen = []
    for _ in range(rounds):
        start = bm.lookahead(0, m) if rule == "momentum" else m
        d = np.array([[step if step else target - start[0, 0]]], dtype=np.float32)
        deltas = [(np.array([0]), d)] * groups
        if rule == "momentum":
            bm.apply(0, m, deltas, [1.0] * groups)
        else:
            sum_deltas(m, deltas, [1.0] * groups)
        seen.append(float(m[0, 0]))
    assert m[1, 0] == 0.0  # an untouched row never moves
    return seen


@pytest.mark.parametrize("groups", [2, 4, 8])
def test_block_momentum_sums_small_steps_and_damps_saturated_rows(groups):
    # Linear regime: every worker moves the row by 0.01 each round; Hogwild threads would move it by
    # groups * 0.01 a round, and the filter reaches that rate (the mean alone would give 0.01).
    seen = _simulate("momentum", groups, 0.0, 0.01, 200)
    assert seen[-1] - seen[-2] == pytest.approx(groups * 0.01, rel=1e-3)
    # Saturated: every worker drives the row to 1.0. The sum overshoots by groups - 1 times and
    # diverges from 3 workers on; the filter settles on 1.0.
    seen = _simulate("momentum", groups, 1.0, 0.0, 200)
    assert seen[-1] == pytest.approx(1.0, abs=1e-4)
    if groups > 2:
        assert abs(_simulate("sum", groups, 1.0, 0.0, 30)[-1]) > 1e6


def _partly_saturated(restart: bool, f: float, rounds: int = 12) -> list[float]:
    """4 workers each move a row a fraction ``f`` of the way to 1.0 from the look-ahead they start at."""
    bm = BlockMomentum(4, [(2, 1)], restart=restart)
    m = np.zeros((2, 1), dtype=np.float32)
    seen = []
    for _ in range(rounds):
        start = bm.lookahead(0, m)
        d = np.array([[f * (1.0 - start[0, 0])]], dtype=np.float32)
        bm.apply(0, m, [(np.array([0]), d)] * 4, [1.0] * 4)
        seen.append(float(m[0, 0]))
    return seen


def test_block_momentum_restart_cuts_the_overshoot_of_half_saturated_rows():
    plain, restarted = _partly_saturated(False, 0.3), _partly_saturated(True, 0.3)
    assert max(plain) > 1.15 and max(restarted) < max(plain)  # the momentum carries the row past 1.0
    assert abs(restarted[-1] - 1.0) < abs(plain[-1] - 1.0)
    # rows moving a little the same way never restart: the same steps as without it
    assert _partly_saturated(True, 0.01, 30) == _partly_saturated(False, 0.01, 30)


def test_block_momentum_forgets_rows_left_alone():
    bm = BlockMomentum(4, [(3, 2)])
    m = np.zeros((3, 2), dtype=np.float32)
    bm.apply(0, m, [(np.array([1]), np.ones((1, 2), dtype=np.float32))], [1.0])
    moved = [float(m[1, 0])]
    for _ in range(bm.horizon + 5):
        bm.apply(0, m, [(np.zeros(0, dtype=np.int64), np.zeros((0, 2), dtype=np.float32))], [1.0])
        moved.append(float(m[1, 0]))
    # the row keeps moving by mu**k, less and less, then its momentum is dropped
    assert moved[1] - moved[0] == pytest.approx(bm.mu)
    assert moved[-1] == moved[-2] and bm.velocity[0][1, 0] == 0.0
    assert moved[-1] == pytest.approx((1.0 - bm.mu ** bm.horizon) / (1.0 - bm.mu), rel=1e-5)  # all but mu**horizon
    assert np.all(m[[0, 2]] == 0.0)
    with pytest.raises(ValueError, match="momentum"):
        BlockMomentum(2, [(1, 1)], mu=1.0)


def test_block_momentum_per_row_is_the_scalar_rule_row_by_row():
    """row_mu gives each row its own momentum: every row moves exactly as a matrix of its own
    under that momentum would (look-ahead included), and the horizon follows the largest one."""
    rng = np.random.default_rng(4)
    mus = np.array([0.75, 0.75, 0.3, 0.0], dtype=np.float32)
    bm = BlockMomentum(4, [(4, 2)], row_mu=[mus])
    alone = [BlockMomentum(4, [(1, 2)], mu=float(m)) for m in mus]
    for b in alone:
        b.horizon = bm.horizon  # momentum dropped after the same number of idle rounds
    m, parts = np.zeros((4, 2), dtype=np.float32), [np.zeros((1, 2), dtype=np.float32) for _ in mus]
    for r in range(12):
        rows = np.flatnonzero(rng.random(4) < 0.7)
        values = rng.standard_normal((rows.shape[0], 2)).astype(np.float32)
        start = bm.lookahead(0, m)
        for i, (b, part) in enumerate(zip(alone, parts)):
            np.testing.assert_allclose(start[i], b.lookahead(0, part)[0], rtol=1e-6, atol=1e-7)
            picked = rows == i
            b.apply(0, part, [(np.zeros(picked.sum(), dtype=np.int64), values[picked])], [1.0])
        bm.apply(0, m, [(rows, values)], [1.0])
        np.testing.assert_allclose(m, np.vstack(parts), rtol=1e-6, atol=1e-7)
    assert bm.horizon == BlockMomentum(4, [(1, 2)]).horizon  # the largest momentum's
    with pytest.raises(ValueError, match="one momentum in"):
        BlockMomentum(2, [(2, 1)], row_mu=[np.array([0.5, 1.0])])
    with pytest.raises(ValueError, match="apply_in_place"):
        bm.apply_in_place(0, m, [], [])


def _spy_on_rounds(monkeypatch, name: str) -> list:
    """The ``name`` keyword argument of every ``run_rounds`` call from now on, in a list (the calls go
    through to the real function)."""
    from wordvec.distributed import rounds

    seen, real = [], rounds.run_rounds

    def spy(*args, **kwargs):
        seen.append(kwargs.get(name))
        return real(*args, **kwargs)

    monkeypatch.setattr(rounds, "run_rounds", spy)
    return seen


def _counted_run(counted: bool, touches: list[list[int]], groups: int = 4, row_mu=None, idle: int = 0):
    """Row 0 of a (2, 1) matrix: in round r the groups ``touches[r]`` each move it by 0.01 (the
    linear regime); then ``idle`` rounds with no delta. The matrix after each round."""
    bm = BlockMomentum(groups, [(2, 1)], counted=counted, row_mu=row_mu)
    m = np.zeros((2, 1), dtype=np.float32)
    none = (np.zeros(0, dtype=np.int64), np.zeros((0, 1), dtype=np.float32))
    seen = []
    for who in touches + [[]] * idle:
        bm.lookahead(0, m)
        deltas = [(np.array([0]), np.array([[0.01]], dtype=np.float32)) if g in who else none for g in range(groups)]
        bm.apply(0, m, deltas, [1.0] * groups)
        seen.append(float(m[0, 0]))
    assert m[1, 0] == 0.0
    return seen


def test_counted_momentum_moves_a_row_by_the_deltas_of_the_groups_that_moved_it():
    # Every group every round: the plain rule, step for step.
    every = [list(range(4))] * 40
    np.testing.assert_allclose(_counted_run(True, every), _counted_run(False, every), rtol=1e-5)
    # One group: its whole delta at once, and the sum round after round (Hogwild's step); the plain
    # rule gives a quarter of it now and the rest through the momentum over the next rounds.
    assert _counted_run(True, [[2]])[0] == pytest.approx(0.01)
    assert _counted_run(False, [[2]])[0] == pytest.approx(0.0025)
    assert np.diff(_counted_run(True, [[1]] * 20)) == pytest.approx([0.01] * 19)
    # Groups that change from round to round: whatever the momentum was when the count changed, what it
    # had not delivered yet is carried into the new one, so in the end the row has moved by every delta
    # (all but the momentum dropped after the horizon, under 1 %).
    rng = np.random.default_rng(3)
    touches = [sorted(rng.choice(4, size=rng.integers(1, 5), replace=False).tolist()) for _ in range(30)]
    total = 0.01 * sum(len(t) for t in touches)
    for counted in (True, False):
        assert _counted_run(counted, touches, idle=40)[-1] == pytest.approx(total, rel=0.011)
    # ``row_mu`` caps each row's momentum: at 0 a row gets the mean of its groups' deltas, no more.
    assert np.diff(_counted_run(True, [[0, 1, 2]] * 5, row_mu=[np.zeros(2, dtype=np.float32)])) == pytest.approx(
        [0.01] * 4)
    with pytest.raises(ValueError, match="choose one"):
        BlockMomentum(2, [(2, 1)], counted=True, restart=True)


def test_changed_rows_round_trip():
    rng = np.random.default_rng(1)
    old = rng.random((50, 4), dtype=np.float32)
    new = old.copy()
    new[[3, 17, 49]] += 0.5
    rows, delta = changed_rows(new, old)
    assert rows.tolist() == [3, 17, 49]
    back = old.copy()
    combine_deltas(back, [(rows, delta)], [7.0])
    np.testing.assert_array_equal(back, new)


@pytest.mark.parametrize("kind", ["word2vec", "fasttext"])
def test_train_period_is_the_single_machine_job_on_the_same_arrays(kind):
    """One segment over the whole corpus: the worker function's result is the job's, bit for bit."""
    from wordvec.config import FastTextConfig, Word2VecConfig
    from wordvec.corpus.encode import scan_corpus
    from wordvec.models._jobs import make_fasttext_job, make_word2vec_job, output_rows
    from wordvec.models._remote import RemoteSettings, train_period
    from wordvec.train.schedules import job_seed
    from wordvec.vocab import keep_thresholds

    rng = np.random.default_rng(3)
    sents = [list(rng.choice(ANIMALS if i % 2 else METALS, size=6)) for i in range(200)]
    cfg = (FastTextConfig(vector_size=8, min_count=1, bucket=50) if kind == "fasttext"
           else Word2VecConfig(vector_size=8, min_count=1)).validate()
    vocab, enc = scan_corpus(sents, min_count=1, max_vocab_size=None, max_sentence_length=1000)
    keep = keep_thresholds(vocab.counts, cfg.sample)
    rows = len(vocab) + (cfg.bucket if kind == "fasttext" else 0)
    syn0 = rng.random((rows, 8), dtype=np.float32) - 0.5
    syn1 = rng.random((output_rows(cfg, len(vocab)), 8), dtype=np.float32) * 0.1
    settings = RemoteSettings(kind, cfg, vocab, keep, f"test-{kind}")
    seed = job_seed(5, 0, 0)
    n = int(enc.offsets[-1])
    loss, examples, words, (d0, d1) = train_period(settings, (syn0, syn1), [(enc, 0, n)], 0.025, 0.01, seed)
    a0, a1 = syn0.copy(), syn1.copy()
    make = make_fasttext_job if kind == "fasttext" else make_word2vec_job
    job = make(cfg, vocab, a0, enc.tokens, enc.offsets, keep, a1)
    l2, e2, w2 = job(0, enc.n_sentences, 0.025, 0.01, seed.copy())[:3]
    assert (loss, examples, words) == (l2, e2, w2)
    for (rows_, delta), before, after in ((d0, syn0, a0), (d1, syn1, a1)):
        got = before.copy()
        got[rows_] += delta
        np.testing.assert_allclose(got, after, rtol=0, atol=1e-6)
        assert set(rows_.tolist()) == set(np.flatnonzero((after != before).any(axis=1)).tolist())


def test_fasttext_on_the_cluster_reads_eos_as_single_machine_training(client, topics):
    """FastText's "</s>" a line (fastText's getLine) is counted and encoded on the workers as on one
    machine: the same vocabulary, counts and corpus statistics."""
    kw = dict(vector_size=8, window=3, min_count=1, epochs=1, sample=0, seed=7, bucket=300, progress=False)
    local = FastText(**kw, workers=1).fit(topics)
    remote = FastText(**kw).fit(topics, client=client, sync_words=8000)
    assert "</s>" in local.vocab_ and remote.vocab_.index_to_key == local.vocab_.index_to_key
    np.testing.assert_array_equal(remote.vocab_.counts, local.vocab_.counts)
    assert remote.corpus_stats_ == local.corpus_stats_
    w = remote.vocab_.key_to_index["</s>"]
    assert remote.vocab_.counts[w] == local.corpus_stats_["sentences"]
    off = FastText(**kw, eos=False).fit(topics, client=client, sync_words=8000)
    assert "</s>" not in off.vocab_ and len(off.vocab_) == len(local.vocab_) - 1


def test_sync_words_without_a_client_is_refused():
    with pytest.raises(ValueError, match="sync_words"):
        Word2Vec(progress=False).fit([["a", "b"]] * 5, sync_words=10)


# ------------------------------------------------------------------ on a LocalCluster
def test_word2vec_on_the_cluster_learns_as_single_machine_training(client, topics):
    kw = dict(vector_size=20, window=3, min_count=1, epochs=4, sample=0, seed=7, progress=False)
    local = Word2Vec(**kw, workers=1).fit(topics)
    remote = Word2Vec(**kw).fit(topics, client=client, sync_words=4000)
    assert remote.vocab_.index_to_key == local.vocab_.index_to_key
    np.testing.assert_array_equal(remote.vocab_.counts, local.vocab_.counts)
    assert remote.corpus_stats_ == local.corpus_stats_
    d = remote.training_stats_["distributed"]
    assert d["groups"] == 2 and d["workers"] == 2 and d["partitions"] >= 2
    assert d["rounds"] == 4 * -(-24000 // 4000)  # epochs x ceil(tokens / sync_words)
    assert d["bytes_broadcast"] > 0 and d["bytes_gathered"] > 0
    assert len(remote.loss_history_) == 4 and remote.loss_history_[-1] < remote.loss_history_[0]
    sep_local, sep_remote = _separation(local.wv), _separation(remote.wv)
    assert sep_remote > 0.3 and sep_remote > sep_local - 0.1, (sep_local, sep_remote)
    assert set(w for w, _ in remote.wv.most_similar("cat", topn=5)) <= set(ANIMALS)
    assert "Trained word2vec" in remote.summary()


def test_word2vec_on_the_cluster_with_one_momentum_for_every_row(client, topics, monkeypatch):
    """The default joins the rounds with ``combine="momentum-counted"``; the rule before it stays."""
    from wordvec.models import _remote

    seen = _spy_on_rounds(monkeypatch, "combine")
    kw = dict(vector_size=20, window=3, min_count=1, epochs=4, sample=0, seed=7, progress=False)
    remote = _remote.fit_on_cluster(Word2Vec(**kw), str(topics), client, sync_words=4000, combine="momentum")
    assert _separation(remote.wv) > 0.3
    Word2Vec(**{**kw, "epochs": 1}).fit(topics, client=client, sync_words=8000)
    assert seen == ["momentum", "momentum-counted"]


def test_a_cluster_run_is_repeatable(client, topics):
    kw = dict(vector_size=12, min_count=1, epochs=1, seed=3, progress=False)
    a = Word2Vec(**kw).fit(topics, client=client, sync_words=6000).wv.vectors
    b = Word2Vec(**kw).fit(topics, client=client, sync_words=6000).wv.vectors
    np.testing.assert_array_equal(a, b)


def test_fasttext_on_the_cluster(client, topics, tmp_path):
    m = FastText(vector_size=16, window=3, min_count=1, epochs=3, sample=0, bucket=2000, seed=2,
                 progress=False).fit(topics, client=client, sync_words=6000)
    wv = m.wv
    assert _separation(wv) > 0.2
    assert wv["kitten"].shape == (16,) and "kitten" not in wv  # n-grams trained on the cluster
    m.save(tmp_path / "ft")
    assert (tmp_path / "ft").is_dir()


def test_fasttext_on_the_cluster_gives_its_ngram_rows_their_own_momentum(client, topics, monkeypatch):
    """The n-gram rows get ``1 - 2/G`` (here 0 with 2 groups), the word rows the words' ``1 - 1/G``;
    ``ngram_momentum=`` overrides it, and Word2Vec has no n-gram rows."""
    from wordvec.models import _remote

    seen = _spy_on_rounds(monkeypatch, "row_mu")
    kw = dict(vector_size=8, min_count=1, epochs=1, sample=0, seed=2, progress=False)
    m = FastText(bucket=500, **kw).fit(topics, client=client, sync_words=20000)
    n = len(m.wv)
    mu, out = seen[-1]
    assert out is None and mu.shape == (n + 500,)
    assert (mu[:n] == 0.5).all() and (mu[n:] == 0.0).all()
    _remote.fit_on_cluster(FastText(bucket=500, **kw), topics, client, sync_words=20000, ngram_momentum=0.25)
    assert (seen[-1][0][n:] == 0.25).all() and (seen[-1][0][:n] == 0.5).all()
    Word2Vec(**kw).fit(topics, client=client, sync_words=20000)
    assert seen[-1] is None


def test_fasttext_synchronises_more_often_the_more_workers_by_default(client, topics, monkeypatch):
    """Without ``sync_words`` an epoch has 64 rounds for Word2Vec and 64 per worker thread for
    FastText: 128 on the test cluster's 2 (64 cost FastText with 2 workers 0.04 WordSim-353 on the
    benchmark corpus, 128 with 4 workers 0.02-0.04; benchmarks/RESULTS.md)."""
    from wordvec.distributed import rounds
    from wordvec.models._remote import FASTTEXT_ROUNDS_PER_WORKER, fasttext_rounds_per_epoch

    assert FASTTEXT_ROUNDS_PER_WORKER == rounds.DEFAULT_ROUNDS_PER_EPOCH
    assert [fasttext_rounds_per_epoch(g) for g in (0, 1, 2, 4, 8)] == [64, 64, 128, 256, 512]
    groups = sum(client.nthreads().values())
    assert groups == 2
    real = rounds.run_rounds
    seen = _spy_on_rounds(monkeypatch, "rounds_per_epoch")
    kw = dict(vector_size=4, min_count=1, epochs=1, sample=0, seed=2, progress=False)
    ft = FastText(bucket=100, **kw).fit(topics, client=client)
    d = ft.training_stats_["distributed"]
    assert seen == [128] and d["groups"] == groups
    tokens = 24000 + ft.corpus_stats_["sentences"]  # the words and a "</s>" a line
    assert d["sync_words"] == -(-tokens // 128) and d["rounds"] == 128
    d = Word2Vec(**kw).fit(topics, client=client).training_stats_["distributed"]
    assert seen[-1] == rounds.DEFAULT_ROUNDS_PER_EPOCH == d["rounds"] == 64
    with pytest.raises(ValueError, match="rounds_per_epoch"):
        real(client, [object()], (np.zeros((2, 2), dtype=np.float32),), None, None, epochs=1, alpha=0.1,
             min_alpha=0.0, seed=1, rounds_per_epoch=0)


def test_token_lists_are_refused_with_a_client(client):
    with pytest.raises(TypeError, match="paths"):
        Word2Vec(min_count=1, progress=False).fit([["a", "b"]], client=client)


@pytest.mark.parametrize("strand", [False, True], ids=["rescheduled", "broadcast copies lost"])
def test_a_worker_killed_mid_round_is_replaced_and_the_run_continues(client, topics, tmp_path, strand):
    """The worker function exits its process in round 2 (once: a marker file records it); the
    scheduler reschedules the task elsewhere and the run ends with the expected result.

    ``strand``: Dask's active memory manager keeps one copy of a scattered value once no waiting
    task needs more. The dying worker first has every other copy of its task's broadcast inputs
    (the round's matrices, the settings) dropped, so its death loses them: the round is sent again
    and run again."""
    import cloudpickle

    from wordvec.config import Word2VecConfig
    from wordvec.distributed import build_vocab, encode_partitions, make_partitions
    from wordvec.distributed.rounds import run_rounds
    from wordvec.models._remote import RemoteSettings
    from wordvec.vocab import keep_thresholds

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the killer travels by value
    parts = make_partitions(topics, target_bytes=40_000)
    vocab = build_vocab(client, parts, min_count=1, progress=False)
    encoded = encode_partitions(client, parts, vocab, progress=False)
    cfg = Word2VecConfig(vector_size=12, min_count=1, sample=0, epochs=1, seed=1).validate()
    syn0 = np.random.default_rng(0).random((len(vocab), 12), dtype=np.float32) / 12 - 0.5 / 12
    syn1 = np.zeros_like(syn0)
    settings = RemoteSettings("word2vec", cfg, vocab, keep_thresholds(vocab.counts, 0), f"kill-test-{strand}")
    marker = str(tmp_path / "killed")
    res = run_rounds(client, encoded, (syn0, syn1), _killing_worker_fn(marker, strand), settings, epochs=1,
                     alpha=0.025, min_alpha=0.0001, seed=1, sync_words=6000, retries=1,
                     rebuild=lambda lost: encode_partitions(client, [parts[i] for i in lost], vocab, progress=False))
    assert os.path.exists(marker)  # a worker did die mid-round
    if strand:
        assert open(marker).read() == "stranded"  # the broadcast copies were all on the worker that died
        assert res.rounds_repeated == 1
    assert res.rounds == 4 and np.isfinite(syn0).all()
    assert res.epochs[0].words > 0
    assert _separation(KeyedVectors(vocab.index_to_key, syn0)) > 0.1


def _strand_on(dask_scheduler, keys, here):
    """On the scheduler: drop every replica of ``keys`` held away from worker ``here``; False while
    another worker still runs a task that needs one of them (it would refuse to drop it)."""
    tasks = [dask_scheduler.tasks[k] for k in keys if k in dask_scheduler.tasks]
    tasks = [ts for ts in tasks if len(ts.who_has or ()) > 1]
    if any(w.processing_on is not None and w.processing_on.address != here for ts in tasks for w in ts.waiters or ()):
        return False
    for ts in tasks:
        for ws in list(ts.who_has):
            if ws.address != here:
                dask_scheduler.request_remove_replicas(ws.address, [ts.key], stimulus_id="test-strand")
    return all({ws.address for ws in ts.who_has} == {here} for ts in tasks)


def _claim(path: str) -> bool:
    """True for exactly one caller across processes: the round's tasks on the two workers run at
    the same time, and two killers would each wait for the other's task to finish (CI once failed
    that way: neither could strand the broadcast copies)."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def _killing_worker_fn(marker: str, strand: bool = False):
    from wordvec.models._remote import train_period

    def fn(settings, arrays, segments, alpha0, alpha1, seed):
        if alpha0 < 0.025 * 0.8 and _claim(marker + ".claim"):  # a later round, once
            note = ""
            if strand:
                import time

                from distributed import get_client, get_worker

                worker = get_worker()
                deps = [d.key for d in worker.state.tasks[worker.get_current_task()].dependencies]
                for _ in range(1200):  # until the other worker has finished its task of the round (up
                    # to a minute: on a busy 2-core CI machine 10 s were once not enough)
                    if get_client().run_on_scheduler(_strand_on, keys=deps, here=worker.address):
                        note = "stranded"
                        break
                    time.sleep(0.05)
            with open(marker, "w") as f:
                f.write(note)
            os._exit(1)
        return train_period(settings, arrays, segments, alpha0, alpha1, seed)

    return fn


# ------------------------------------------------------------------ command line
def test_cli_train_with_a_local_scheduler(topics, tmp_path):
    out = tmp_path / "vectors.txt"
    result = invoke("train", topics, "-o", out, "--format", "word2vec-text", "--min-count", "1", "--epochs", "1",
                    "--vector-size", "8", "--scheduler", "local:2", "--sync-words", "8000", "--quiet")
    assert result.exit_code == 0, result.output + str(result.stderr)
    assert "Trained on a Dask cluster: 2 workers" in result.output
    assert "3 synchronisations of 8,000 tokens" in result.output
    assert out.read_text(encoding="utf-8").split("\n", 1)[0] == "16 8"


def test_cli_scheduler_is_refused_for_glove_and_sync_words_alone(topics, tmp_path):
    r = invoke("train", topics, "-o", tmp_path / "g", "--model", "glove", "--scheduler", "local:2")
    assert r.exit_code != 0 and "--scheduler" in r.stderr
    r = invoke("train", topics, "-o", tmp_path / "w", "--sync-words", "100")
    assert r.exit_code != 0 and "--sync-words applies with --scheduler" in r.stderr
