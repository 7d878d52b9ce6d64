"""Deterministic kernels (private rows, sparse deltas) against their NumPy twins and their Hogwild kernels.

A deterministic job must (1) leave the shared matrices untouched, (2) return deltas that, added to
them, give what its Hogwild twin computes alone on copies (reference_deterministic.py; and the numba
Hogwild kernel itself), with the same loss, counts and random draws, and (3) hand its row maps back
all -1.
"""

from __future__ import annotations

import numpy as np
import pytest

from wordvec._kernels import cbow, deterministic, reference, skipgram, subword, subword_deterministic
from wordvec._kernels.delta import apply_delta, grow, longest, new_store
from wordvec._kernels.reference_deterministic import ref_apply_delta, ref_private_job, ref_rounds
from wordvec.vocab import negative_guide

V = 10  # len(conftest.WORDS)


def _slots(a0, a1):
    return np.full(a0.shape[0], -1, dtype=np.int32), np.full(a1.shape[0], -1, dtype=np.int32)


def _dense(shape, rows, delta):
    out = np.zeros(shape, dtype=np.float32)
    out[rows] = delta
    return out


def _check(out, ref, state, a0, a1, before0, before1, slot0, slot1):
    """The kernel's outputs against the twin's: counts, RNG, loss, deltas; snapshot and maps untouched."""
    loss, examples, words, touched0, delta0, touched1, delta1 = out
    rows0, rows1 = touched0[:, 0], touched1[:, 0]
    assert (touched0[:, 1] >= 0).all() and touched0[:, 1].sum() > 0 and touched1[:, 1].sum() > 0
    ref_loss, ref_examples, ref_words, ref_d0, ref_d1, ref_state = ref
    assert (examples, words, int(state[0])) == (ref_examples, ref_words, ref_state)
    assert loss == pytest.approx(ref_loss, rel=1e-4)
    np.testing.assert_array_equal(a0, before0)  # the shared matrices are only read
    np.testing.assert_array_equal(a1, before1)
    assert (slot0 == -1).all() and (slot1 == -1).all()
    for rows, limit in ((rows0, a0.shape[0]), (rows1, a1.shape[0])):
        assert len(np.unique(rows)) == len(rows) and (rows >= 0).all() and (rows < limit).all()
    np.testing.assert_allclose(_dense(a0.shape, rows0, delta0), ref_d0, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(_dense(a1.shape, rows1, delta1), ref_d1, rtol=1e-4, atol=1e-6)
    assert np.abs(delta0).max() > 0 and np.abs(delta1).max() > 0  # something was trained


def _run(kernel, twin, a0, a1, seed, before, after, twin_args, twin_kwargs, tokens, offsets, alphas):
    slot0, slot1 = _slots(a0, a1)
    state = np.array([seed], dtype=np.uint64)
    before0, before1 = a0.copy(), a1.copy()
    out = kernel(a0, a1, slot0, slot1, tokens, offsets, *before, *after, *alphas, state)
    ref = ref_private_job(twin, a0, a1, tokens, offsets, *twin_args, *alphas, seed, **twin_kwargs)
    _check(out, ref, state, a0, a1, before0, before1, slot0, slot1)
    return out


@pytest.mark.parametrize("shared", [False, True])
def test_det_skipgram_ns(tiny, shared):
    keep, cum = tiny.keep(0.05), tiny.cum_table
    a0, a1, _, _ = tiny.pair()
    _run(deterministic.det_skipgram_ns, reference.ref_skipgram, a0, a1, 42, (keep, cum, negative_guide(cum)),
         (3, 4, shared),
         (keep, 3), dict(cum_table=cum, negative=4, shared=shared), tiny.tokens, tiny.offsets, (0.5, 0.1))


def test_det_skipgram_hs(tiny):
    keep, tree = tiny.keep(0.0), tiny.tree
    a0, a1, _, _ = tiny.pair(hierarchical=True)
    _run(deterministic.det_skipgram_hs, reference.ref_skipgram, a0, a1, 5,
         (keep, tree.codes, tree.points, tree.offsets), (4,), (keep, 4), dict(tree=tree), tiny.tokens,
         tiny.offsets, (0.4, 0.2))


@pytest.mark.parametrize("cbow_mean", [True, False])
def test_det_cbow_ns(tiny, cbow_mean):
    keep, cum = tiny.keep(0.05), tiny.cum_table
    a0, a1, _, _ = tiny.pair()
    _run(deterministic.det_cbow_ns, reference.ref_cbow, a0, a1, 3, (keep, cum, negative_guide(cum)), (3, 5, cbow_mean),
         (keep, 3, cbow_mean), dict(cum_table=cum, negative=5), tiny.tokens, tiny.offsets, (0.3, 0.3))


@pytest.mark.parametrize("cbow_mean", [True, False])
def test_det_cbow_hs(tiny, cbow_mean):
    keep, tree = tiny.keep(0.0), tiny.tree
    a0, a1, _, _ = tiny.pair(hierarchical=True)
    _run(deterministic.det_cbow_hs, reference.ref_cbow, a0, a1, 11, (keep, tree.codes, tree.points, tree.offsets),
         (2, cbow_mean), (keep, 2, cbow_mean), dict(tree=tree), tiny.tokens, tiny.offsets, (0.5, 0.5))


@pytest.mark.parametrize("shared", [False, True])
def test_det_subword_skipgram_ns(tiny, shared):
    keep, cum = tiny.keep(0.05), tiny.cum_table
    sub_ids, sub_offsets = tiny.subwords
    a0, a1, _, _ = tiny.pair(subwords=True)
    out = _run(subword_deterministic.det_subword_skipgram_ns, reference.ref_subword_skipgram, a0, a1, 21,
               (keep, sub_ids, sub_offsets, cum, negative_guide(cum)), (3, 4, shared), (keep, sub_ids, sub_offsets, 3),
               dict(cum_table=cum, negative=4, shared=shared), tiny.tokens, tiny.offsets, (0.3, 0.1))
    assert (out[3][:, 0] >= V).any()  # n-gram rows were trained


def test_det_subword_skipgram_hs(tiny):
    keep, tree = tiny.keep(0.0), tiny.tree
    sub_ids, sub_offsets = tiny.subwords
    a0, a1, _, _ = tiny.pair(subwords=True, hierarchical=True)
    _run(subword_deterministic.det_subword_skipgram_hs, reference.ref_subword_skipgram, a0, a1, 5,
         (keep, sub_ids, sub_offsets, tree.codes, tree.points, tree.offsets), (2,), (keep, sub_ids, sub_offsets, 2),
         dict(tree=tree), tiny.tokens, tiny.offsets, (0.4, 0.4))


def test_det_subword_cbow_ns(tiny):
    keep, cum = tiny.keep(0.0), tiny.cum_table
    sub_ids, sub_offsets = tiny.subwords
    a0, a1, _, _ = tiny.pair(subwords=True)
    _run(subword_deterministic.det_subword_cbow_ns, reference.ref_subword_cbow, a0, a1, 9,
         (keep, sub_ids, sub_offsets, cum, negative_guide(cum)), (3, 3), (keep, sub_ids, sub_offsets, 3),
         dict(cum_table=cum, negative=3), tiny.tokens, tiny.offsets, (0.3, 0.2))


def test_det_subword_cbow_hs(tiny):
    keep, tree = tiny.keep(0.0), tiny.tree
    sub_ids, sub_offsets = tiny.subwords
    a0, a1, _, _ = tiny.pair(subwords=True, hierarchical=True)
    _run(subword_deterministic.det_subword_cbow_hs, reference.ref_subword_cbow, a0, a1, 9,
         (keep, sub_ids, sub_offsets, tree.codes, tree.points, tree.offsets), (3,), (keep, sub_ids, sub_offsets, 3),
         dict(tree=tree), tiny.tokens, tiny.offsets, (0.3, 0.2))


def test_apply_delta_matches_its_twin_exactly(rng):
    m = rng.standard_normal((50, 6)).astype(np.float32)
    rows = rng.permutation(50)[:17].astype(np.int32)
    delta = rng.standard_normal((17, 6)).astype(np.float32)
    a, b = m.copy(), m.copy()
    apply_delta(a, rows, delta)
    ref_apply_delta(b, rows, delta)
    np.testing.assert_array_equal(a, b)
    untouched = np.setdiff1d(np.arange(50), rows)
    np.testing.assert_array_equal(a[untouched], m[untouched])


def test_grow_keeps_the_owned_rows_and_never_passes_the_matrix():
    m = np.zeros((3000, 4), dtype=np.float32)
    t, p = new_store(m)
    assert t.shape[0] == 1024 and p.shape == (1024, 4)
    t[:5] = np.arange(10).reshape(5, 2)
    p[:5] = np.arange(20, dtype=np.float32).reshape(5, 4)
    t2, p2 = grow(t, p, 5, 1100, m.shape[0])
    assert t2.shape == (2048, 2) and p2.shape == (2048, 4)
    np.testing.assert_array_equal(t2[:5], t[:5])
    np.testing.assert_array_equal(p2[:5], p[:5])
    t3, _ = grow(t2, p2, 2040, 500, m.shape[0])
    assert t3.shape[0] == 3000  # capped at the matrix's rows
    assert new_store(np.zeros((7, 3), dtype=np.float32))[0].shape[0] == 7
    assert longest(np.array([0, 2, 2, 7, 8], dtype=np.int64)) == 5
    assert longest(np.array([0], dtype=np.int64)) == 0


# ----------------------------------------------------------- larger jobs: buffers grow, Hogwild twin
def _big_corpus(rng, v=3000, n_tokens=30_000, sentence=25):
    from wordvec.vocab import build_huffman, keep_thresholds, negative_table
    from wordvec.vocab.subwords import subword_table

    counts = (1e5 / np.arange(1, v + 1) ** 0.7).astype(np.int64)  # flat enough for > 1,024 distinct words
    tokens = rng.choice(v, size=n_tokens, p=counts / counts.sum()).astype(np.int32)
    offsets = np.arange(0, n_tokens + 1, sentence, dtype=np.int64)
    words = [f"w{i}x" for i in range(v)]
    cum = negative_table(counts)
    return dict(counts=counts, tokens=tokens, offsets=offsets, keep=keep_thresholds(counts, 1e-3), cum=cum,
                guide=negative_guide(cum), tree=build_huffman(counts), sub=subword_table(words, 2, 4, 5000))


CASES = {
    "sg-ns": lambda c: (skipgram.skipgram_ns, deterministic.det_skipgram_ns, (c["keep"], c["cum"], c["guide"]),
                        (5, 5), (False,)),
    "sg-ns-shared": lambda c: (skipgram.skipgram_ns_batched, deterministic.det_skipgram_ns,
                               (c["keep"], c["cum"], c["guide"]), (5, 5), (True,)),
    "sg-hs": lambda c: (skipgram.skipgram_hs, deterministic.det_skipgram_hs,
                        (c["keep"], c["tree"].codes, c["tree"].points, c["tree"].offsets), (5,), ()),
    "cbow-ns": lambda c: (cbow.cbow_ns, deterministic.det_cbow_ns, (c["keep"], c["cum"], c["guide"]), (5, 5, True),
                          ()),
    "cbow-hs": lambda c: (cbow.cbow_hs, deterministic.det_cbow_hs,
                          (c["keep"], c["tree"].codes, c["tree"].points, c["tree"].offsets), (5, False), ()),
    "ft-sg-ns": lambda c: (subword.subword_skipgram_ns, subword_deterministic.det_subword_skipgram_ns,
                           (c["keep"], *c["sub"], c["cum"], c["guide"]), (5, 5), (False,)),
    "ft-sg-ns-shared": lambda c: (subword.subword_skipgram_ns_batched, subword_deterministic.det_subword_skipgram_ns,
                                  (c["keep"], *c["sub"], c["cum"], c["guide"]), (5, 5), (True,)),
    "ft-sg-hs": lambda c: (subword.subword_skipgram_hs, subword_deterministic.det_subword_skipgram_hs,
                           (c["keep"], *c["sub"], c["tree"].codes, c["tree"].points, c["tree"].offsets), (5,), ()),
    "ft-cbow-ns": lambda c: (subword.subword_cbow_ns, subword_deterministic.det_subword_cbow_ns,
                             (c["keep"], *c["sub"], c["cum"], c["guide"]), (5, 5), ()),
    "ft-cbow-hs": lambda c: (subword.subword_cbow_hs, subword_deterministic.det_subword_cbow_hs,
                             (c["keep"], *c["sub"], c["tree"].codes, c["tree"].points, c["tree"].offsets), (5,), ()),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_deterministic_job_is_its_hogwild_job_run_alone(rng, case):
    """On a job touching thousands of rows (the buffers grow from 1,024), the deltas added to the
    snapshot give the matrices the Hogwild kernel leaves when it runs alone, to float32 rounding."""
    c = _big_corpus(rng)
    hogwild, det, tables, after, flag = CASES[case](c)
    fasttext = case.startswith("ft")
    rows = 3000 + 5000 if fasttext else 3000
    hs = case.endswith("hs")
    syn0 = ((rng.random((rows, 16), dtype=np.float32) - 0.5) / 16).astype(np.float32)
    syn1 = (rng.standard_normal((2999 if hs else 3000, 16)) * 0.1).astype(np.float32)
    a0, a1 = syn0.copy(), syn1.copy()
    out_h = hogwild(a0, a1, c["tokens"], c["offsets"], *tables, *after, 0.05, 0.01, np.array([77], dtype=np.uint64))
    slot0, slot1 = _slots(syn0, syn1)
    state = np.array([77], dtype=np.uint64)
    b0, b1 = syn0.copy(), syn1.copy()
    out_d = det(b0, b1, slot0, slot1, c["tokens"], c["offsets"], *tables, *after, *flag, 0.05, 0.01, state)
    assert out_d[1:3] == out_h[1:3] and out_d[0] == pytest.approx(out_h[0], rel=1e-5)
    assert max(len(out_d[3]), len(out_d[5])) > 1024  # the private buffers had to grow
    np.testing.assert_array_equal(b0, syn0)
    apply_delta(b0, out_d[3][:, 0], out_d[4])
    apply_delta(b1, out_d[5][:, 0], out_d[6])
    if not fasttext and case.startswith("sg"):  # each (context, word) pair updates one input row once
        assert out_d[3][:, 1].sum() == out_d[1]
    np.testing.assert_allclose(b0, a0, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b1, a1, rtol=1e-5, atol=1e-6)
    assert (slot0 == -1).all() and (slot1 == -1).all()


def test_ref_rounds_is_the_round_schedule(tiny):
    """The schedule's twin: jobs of one round all start from the round's matrices."""
    keep, cum = tiny.keep(0.0), tiny.cum_table
    a0, a1, _, _ = tiny.pair()
    half = [(tiny.tokens, tiny.offsets, 0.3, 0.2, 1), (tiny.tokens, tiny.offsets, 0.2, 0.1, 2)]
    kw = dict(middle=(keep, 3), options=dict(cum_table=cum, negative=3))
    one, two = a0.copy(), a1.copy()
    ref_rounds(reference.ref_skipgram, one, two, half, 2, **kw)  # one round of both jobs
    _, _, _, d0, d1, _ = ref_private_job(reference.ref_skipgram, a0, a1, tiny.tokens, tiny.offsets, keep, 3, 0.3,
                                         0.2, 1, cum_table=cum, negative=3)
    _, _, _, e0, e1, _ = ref_private_job(reference.ref_skipgram, a0, a1, tiny.tokens, tiny.offsets, keep, 3, 0.2,
                                         0.1, 2, cum_table=cum, negative=3)
    np.testing.assert_array_equal(one, a0 + d0 + e0)
    np.testing.assert_array_equal(two, a1 + d1 + e1)
    seq0, seq1 = a0.copy(), a1.copy()
    ref_rounds(reference.ref_skipgram, seq0, seq1, half, 1, **kw)  # two rounds: the second sees the first
    assert not np.allclose(seq0, one)


@pytest.mark.parametrize("jobs", [1, 2, 4])
def test_block_momentum_kernels_match_their_twin(rng, jobs):
    from wordvec._kernels.reference_deterministic import ref_block_momentum
    from wordvec.train.momentum import BlockMomentum

    n, d = 60, 4
    W = rng.standard_normal((n, d)).astype(np.float32)
    rounds = []
    for r in range(60):  # later rounds touch rows 0-19 only: the others' momentum runs out past the horizon
        pick = rng.permutation(n)[:30] if r < 10 else rng.permutation(20)[:3]
        rounds.append([(pick.astype(np.int32), rng.standard_normal((len(pick), d)).astype(np.float32))
                       for _ in range(jobs)])
    bm = BlockMomentum(max(jobs, 2), [W.shape])
    m = W.copy()
    for r, deltas in enumerate(rounds):
        # as the kernels give them: touched = (rows, updates) in columns
        as_touched = [(np.stack([rows, np.ones_like(rows)], axis=1), delta) for rows, delta in deltas]
        bm.apply_in_place(0, m, as_touched, [1.0] * jobs)
        if r == 20:
            before = m[20:].copy()
    # rows 20-59 have momentum but no job touched them since round 10: moved lazily, at settle
    np.testing.assert_array_equal(m[20:], before)
    bm.settle(0, m)
    assert not np.allclose(m[20:], before)
    want = ref_block_momentum(W, rounds, bm.mu)
    np.testing.assert_allclose(m, want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("parts", [2, 3])
def test_block_momentum_split_by_rows_on_threads_gives_the_same_bits(rng, parts):
    """The trainer commits a round on its threads, rows split ``parts`` ways: the same bits as one
    thread (each row's sums run in job order either way)."""
    from concurrent.futures import ThreadPoolExecutor

    from wordvec.train.momentum import BlockMomentum

    n, d, jobs = 50, 8, 4
    W = rng.standard_normal((n, d)).astype(np.float32)
    rounds = [[(np.stack([rng.permutation(n)[:25].astype(np.int32), np.ones(25, dtype=np.int32)], axis=1),
                rng.standard_normal((25, d)).astype(np.float32)) for _ in range(jobs)] for _ in range(12)]
    one, split = BlockMomentum(jobs, [W.shape]), BlockMomentum(jobs, [W.shape])
    a, b = W.copy(), W.copy()
    seen = []
    with ThreadPoolExecutor(max_workers=parts) as pool:
        def spy(fn, items):
            items = list(items)
            seen.append(items)
            return pool.map(fn, items)

        for deltas in rounds:
            one.apply_in_place(0, a, deltas, [1.0] * jobs)
            split.apply_in_place(0, b, deltas, [1.0] * jobs, spy, parts)
    assert seen and all(s == list(range(parts)) for s in seen)
    one.settle(0, a)
    split.settle(0, b)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(one.velocity[0], split.velocity[0])
    assert not np.array_equal(a, W)
