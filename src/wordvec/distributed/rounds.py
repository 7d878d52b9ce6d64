"""Data-parallel training in synchronisation rounds on a Dask cluster (model averaging).

The driver here knows no model: it holds the current matrices (NumPy arrays, updated in place),
and a *worker function* that trains a copy of them on some sentences and returns what changed.
Each round:

1. the client broadcasts the current matrices to every worker (``client.scatter(broadcast=True)``);
2. one task per *group* (a worker thread; group ``g`` owns the encoded partitions ``i`` with
   ``i mod G == g`` and runs on the worker that holds them) trains its share of the round's
   sentences, starting from the broadcast matrices, with the round's slice of one global
   learning-rate schedule;
3. the client gathers each group's sparse deltas (the rows it changed, and by how much), takes
   their mean weighted by the words each group trained, and moves the matrices by that mean
   filtered through a block momentum (:class:`~wordvec.train.momentum.BlockMomentum`, Chen & Huo's "BMUF"; the plain
   row means of Spark MLlib and the plain sum are the other ``combine`` rules).

``sync_words`` sets the period: the corpus tokens (kept by the vocabulary, all groups together)
trained between two synchronisations (by default an epoch's tokens / :data:`DEFAULT_ROUNDS_PER_EPOCH`);
an epoch has ``ceil(tokens / sync_words)`` rounds and each
group covers the same fraction of its own partitions in every round, so all groups finish an
epoch together. A sentence belongs to the round in which its first token falls.

Why a filter: Spark MLlib's Word2Vec averages each row over the partitions that changed it (with
the word-count weights of McDonald et al. 2010, "iterative parameter mixing": ``combine="mean"``),
which divides the step of every row several groups move by their number: measured, 4 workers lose
2.8 analogy points and 0.16 WordSim-353 Spearman. Summing the deltas (``"sum"``, what Hogwild
threads sharing the matrix would do) overshoots the rows every group drives to their balance point
and diverged with 4 workers. Blockwise model-update filtering (Chen & Huo 2016, ICASSP, "Scalable
training of deep learning machines by incremental block training with intra-block parallel
optimization and blockwise model-update filtering") adds to the word-weighted mean a momentum of
``1 - 1/G`` per row, with Nesterov's look-ahead (the workers start from ``matrix + mu * v``): the
sum in steady state for rows that move a little, a damped step for the saturated ones. By default
the momentum of a row is ``1 - 1/c`` for the ``c`` groups that moved it in the round, on the mean
of their deltas (``combine="momentum-counted"``): a word only one worker saw gets that worker's
step at once instead of ``1/G`` of it now and the rest through the momentum. Measured in
benchmarks/RESULTS.md. gensim and fastText have no such mode (both are shared-memory Hogwild only).

Lost workers: every task is submitted with ``retries`` (Dask's), and a worker that dies mid-round
has its task rescheduled elsewhere by the scheduler; the encoded partitions it held are recomputed
from their files (Dask keeps the lineage of the futures the caller holds). When the round's
broadcast data went down with the worker (Dask's active memory manager keeps one copy of a scattered
value once no waiting task needs more) or a partition cannot be recomputed, the round is sent and run
again from the same matrices, up to ``REPEATS_PER_ROUND`` times. A retried task gets the
same inputs and seed, so it returns the same deltas: for a given cluster size (groups) and
partitioning, a run is reproducible, lost workers or not.

Nothing here imports Dask at import time (:mod:`wordvec.distributed._extras`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from wordvec.distributed.cluster import worker_addresses
from wordvec.exceptions import TrainingDivergedError
from wordvec.train.momentum import BlockMomentum

#: How many times one round is run again after a worker was lost during it.
REPEATS_PER_ROUND = 3

__all__ = ["run_rounds", "RoundsResult", "BlockMomentum", "COMBINE_RULES", "round_ranges", "combine_deltas", "sum_deltas", "changed_rows", "DEFAULT_ROUNDS_PER_EPOCH",
           "DEFAULT_RETRIES"]

#: Synchronisations per epoch unless the caller sets ``sync_words``: ``sync_words = ceil(tokens / 64)``
#: (Word2Vec; FastText's default is 64 per worker thread, ``wordvec.models._remote.fasttext_rounds_per_epoch``).
#: Measured (benchmarks/RESULTS.md): 50-70 rounds an epoch keep 2 and 4 workers at single-machine
#: quality; 5 rounds an epoch (1M tokens on a 5M-token corpus) lose 1.6 analogy points with 2 workers
#: and 5.4 with 4.
DEFAULT_ROUNDS_PER_EPOCH = 64
#: Dask retries of a round's task that raised (a lost worker is rescheduled by the scheduler anyway).
DEFAULT_RETRIES = 2
#: How :func:`run_rounds` can join a round's deltas.
COMBINE_RULES = ("momentum", "momentum-classic", "momentum-restart", "momentum-counted", "mean", "sum")


@dataclass
class RoundsResult:
    """What :func:`run_rounds` measured: per-epoch figures and cluster traffic.

    ``epochs``: one :class:`~wordvec.train.callbacks.EpochLogs` per epoch run; ``rounds``: synchronisations made; ``groups``/``workers``: tasks per round and
    worker processes; ``bytes_broadcast``: bytes of matrices sent by the client (one copy per
    worker per round); ``bytes_gathered``: bytes of deltas received; ``seconds_compute``: summed
    worker training time; ``seconds_round_max``: summed over rounds, the slowest task's time (the
    critical path); ``seconds_combine``: client time spent averaging; ``partitions_rebuilt``: encoded
    partitions made again after a worker was lost; ``rounds_repeated``: rounds run a second time
    because a worker was lost during them.

    >>> RoundsResult().rounds, RoundsResult().bytes_broadcast
    (0, 0)
    """

    epochs: list[dict] = field(default_factory=list)
    rounds: int = 0
    groups: int = 0
    workers: int = 0
    partitions: int = 0
    sync_words: int = 0
    bytes_broadcast: int = 0
    bytes_gathered: int = 0
    seconds_compute: float = 0.0
    seconds_round_max: float = 0.0
    seconds_combine: float = 0.0
    seconds_broadcast: float = 0.0
    rounds_repeated: int = 0
    partitions_rebuilt: int = 0

    def as_dict(self) -> dict:
        """The figures as a plain dict (JSON-ready; ``epochs`` left out)."""
        return {k: v for k, v in self.__dict__.items() if k != "epochs"}


def round_ranges(sizes: Sequence[int], rounds: int, r: int) -> list[tuple[int, int, int]]:
    """The token ranges a group trains in round ``r`` of ``rounds``: ``(partition, t0, t1)`` local to
    each of its partitions (``sizes``: their kept tokens), covering tokens ``[r T / R, (r+1) T / R)``
    of the group's stream (``T = sum(sizes)``).

    >>> round_ranges([4, 6], 2, 0), round_ranges([4, 6], 2, 1)
    ([(0, 0, 4), (1, 0, 1)], [(1, 1, 6)])
    """
    total = int(sum(sizes))
    lo, hi = (r * total) // rounds, ((r + 1) * total) // rounds
    out, at = [], 0
    for i, n in enumerate(sizes):
        a, b = max(lo - at, 0), min(hi - at, n)
        if a < b:
            out.append((i, a, b))
        at += n
    return out


def changed_rows(new: np.ndarray, old: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, new[rows] - old[rows])`` for the rows where ``new`` differs from ``old`` (a sparse delta).

    >>> rows, delta = changed_rows(np.array([[1., 2.], [3., 4.]]), np.array([[1., 2.], [3., 5.]]))
    >>> rows.tolist(), delta.tolist()
    ([1], [[0.0, -1.0]])
    """
    rows = np.flatnonzero((new != old).any(axis=1))
    return rows, new[rows] - old[rows]


def sum_deltas(matrix: np.ndarray, deltas: Sequence[tuple[np.ndarray, np.ndarray]],
               weights: Sequence[float]) -> None:
    """Add every group's delta to ``matrix`` in place, in group order (groups that trained no word
    are skipped): what Hogwild threads sharing the matrix would do, applied at the end of the round.

    >>> m = np.zeros((2, 1), dtype=np.float32)
    >>> sum_deltas(m, [(np.array([0, 1]), np.array([[1.], [2.]])), (np.array([1]), np.array([[5.]]))], [1, 3])
    >>> m.ravel().tolist()
    [1.0, 7.0]
    """
    for (rows, values), w in zip(deltas, weights):
        if w > 0 and rows.shape[0]:
            matrix[rows] += values.astype(matrix.dtype, copy=False)


def combine_deltas(matrix: np.ndarray, deltas: Sequence[tuple[np.ndarray, np.ndarray]],
                   weights: Sequence[float]) -> None:
    """Add to ``matrix``, in place, each row's weighted mean of the ``deltas`` that changed it.

    ``deltas[k]`` = ``(rows, values)`` from group ``k``, ``weights[k]`` its weight (words trained).
    A row changed by several groups moves by ``sum_k w_k d_k / sum_k w_k`` over those groups only;
    rows no group changed stay. Sums run in group order (the result does not depend on which
    task finished first).

    >>> m = np.zeros((3, 1), dtype=np.float32)
    >>> combine_deltas(m, [(np.array([0, 1]), np.array([[1.], [2.]])), (np.array([1]), np.array([[5.]]))], [1, 3])
    >>> m.ravel().tolist()                     # row 0: group 0 only; row 1: (1*2 + 3*5) / 4
    [1.0, 4.25, 0.0]
    """
    acc = np.zeros(matrix.shape, dtype=np.float32)
    wsum = np.zeros(matrix.shape[0], dtype=np.float64)
    for (rows, values), w in zip(deltas, weights):
        if w <= 0 or rows.shape[0] == 0:
            continue
        acc[rows] += np.float32(w) * values
        wsum[rows] += w
    touched = np.flatnonzero(wsum > 0)
    matrix[touched] += (acc[touched] / wsum[touched, None]).astype(matrix.dtype, copy=False)


def _sizes(enc) -> tuple[int, int]:
    """(kept tokens, raw tokens) of one encoded partition (runs where it lives)."""
    offsets = enc.offsets
    return int(offsets[-1] - offsets[0]) if offsets.shape[0] else 0, int(enc.total_words)


def _round_task(worker_fn: Callable, settings, arrays, encoded: list, ranges: list, alpha0: float, alpha1: float,
                seed: np.ndarray):
    """One group's share of a round, on a worker: ``worker_fn`` on its partitions' token ranges."""
    t0 = time.perf_counter()
    segments = [(encoded[k], a, b) for k, a, b in ranges]
    loss, examples, words, deltas = worker_fn(settings, tuple(arrays), segments, alpha0, alpha1, seed)
    return loss, examples, words, deltas, time.perf_counter() - t0


def run_rounds(client, encoded: list, arrays: Sequence[np.ndarray], worker_fn: Callable, settings, *,
               epochs: int, alpha: float, min_alpha: float, seed: int, sync_words: int | None = None,
               retries: int = DEFAULT_RETRIES, model=None, callbacks: Sequence = (), progress: bool | None = None,
               description: str = "training", check_finite: Callable[[], bool] | None = None,
               rate_option: str | None = "--alpha", on_round: Callable[[int], None] | None = None,
               rebuild: Callable[[list[int]], list] | None = None, combine: str = "momentum-counted",
               row_mu: Sequence[np.ndarray | None] | None = None,
               rounds_per_epoch: int = DEFAULT_ROUNDS_PER_EPOCH) -> RoundsResult:
    """Train ``arrays`` (updated in place) for ``epochs`` passes over ``encoded`` on the cluster.

    ``encoded``: futures of the encoded partitions (:func:`~wordvec.distributed.encode_partitions`),
    in corpus order. ``worker_fn(settings, arrays, segments, alpha0, alpha1, seed)`` runs on a worker:
    ``arrays`` are the broadcast matrices (read-only: train a copy), ``segments`` a list of
    ``(EncodedCorpus, t0, t1)`` (train the sentences whose first token is in ``[t0, t1)``), the
    learning rate decays linearly from ``alpha0`` to ``alpha1`` over them, ``seed`` is the RNG
    state (a one-element uint64 array); it returns ``(loss, examples, words, deltas)`` with one
    ``(rows, values)`` per array (:func:`changed_rows`). ``settings``: whatever else it needs
    (scattered to every worker once). The rate schedule is global: ``alpha * (1 - progress)``
    floored at ``min_alpha``, progress counted in rounds over the whole run. Without ``sync_words``
    an epoch has ``rounds_per_epoch`` rounds (:data:`DEFAULT_ROUNDS_PER_EPOCH`; FastText's caller
    passes :func:`~wordvec.models._remote.fasttext_rounds_per_epoch`).

    ``callbacks`` (``on_train_begin``, ``on_epoch_end(model, logs)`` returning True to stop,
    ``on_train_end``) see an :class:`~wordvec.train.callbacks.EpochLogs` per epoch; ``on_round(r)``
    is called after each synchronisation (r counts from 1). ``rebuild(indices)``: new futures for
    the encoded partitions at ``indices``, called when a round fails because Dask lost them for good
    (a dead worker held them, and what made them is gone); the round then runs again. A non-finite loss, or
    ``check_finite()`` false after an epoch, raises :class:`~wordvec.exceptions.TrainingDivergedError`.

    ``combine``: ``"momentum-counted"`` (the default: :class:`~wordvec.train.momentum.BlockMomentum`
    with Nesterov's look-ahead and ``counted=True``, each row's momentum from the number of groups
    that moved it, ``1 - 1/c``), ``"momentum"`` (the same with ``1 - 1/G`` for every row, the
    default before: 4 workers' FastText 0.038 WordSim-353 below single-machine training where the
    counted rule is 0.021 and 0.029 below over two seeds, level elsewhere; benchmarks/RESULTS.md),
    ``"momentum-classic"`` (``"momentum"`` without look-ahead), ``"momentum-restart"`` (with an adaptive
    restart per row: measured worse for FastText, an option for measurements),
    ``"mean"`` (:func:`combine_deltas`, each row's
    word-weighted average over the groups that changed it) or ``"sum"`` (:func:`sum_deltas`, every
    delta added). Measured on a 300,000-line prefix of the English benchmark corpus
    (benchmarks/bench_dask_train.py, 3 epochs, periods of 100,000 tokens): with 4 workers
    ``"momentum"`` stays within 0.1 analogy point and 0.01 SimLex of single-machine training
    (WordSim-353 0.04 below), ``"mean"`` loses 2.8 points and 0.16 WordSim, ``"sum"`` diverged.

    >>> result = run_rounds(client, encoded, [syn0, syn1], train_period, settings,   # doctest: +SKIP
    ...                     epochs=5, alpha=0.025, min_alpha=0.0001, sync_words=1_000_000, seed=1)
    >>> result.rounds, result.bytes_broadcast                        # doctest: +SKIP

    (Skipped: it needs a Dask cluster and encoded partitions; tests/distributed/test_train.py runs
    it on a LocalCluster, and ``Word2Vec.fit(corpus, client=client)`` is its usual caller.)
    """
    if combine not in COMBINE_RULES:
        raise ValueError(f"combine must be one of {', '.join(map(repr, COMBINE_RULES))}, got {combine!r}")
    from concurrent.futures import CancelledError

    from distributed import KilledWorker

    from wordvec.train.callbacks import EpochLogs, epoch_end
    from wordvec.train.progress import TrainingProgress
    from wordvec.train.schedules import job_seed, linear_alpha

    encoded = list(encoded)
    if not encoded:
        raise ValueError("no encoded partitions to train on")
    if sync_words is not None and int(sync_words) < 1:
        raise ValueError(f"sync_words must be >= 1 (tokens between two synchronisations), got {sync_words}")
    if int(rounds_per_epoch) < 1:
        raise ValueError(f"rounds_per_epoch must be >= 1, got {rounds_per_epoch}")
    workers = worker_addresses(client)
    threads = client.nthreads()
    n_groups = max(1, min(sum(threads.values()) or 1, len(encoded)))
    sizes = client.gather([client.submit(_sizes, f, pure=False) for f in encoded])
    kept = [s[0] for s in sizes]
    epoch_tokens = sum(kept)
    groups = [list(range(g, len(encoded), n_groups)) for g in range(n_groups)]
    # Group g runs where its partitions were placed (partition i on worker i mod W, see cluster.py).
    places = [[workers[groups[g][0] % len(workers)]] if workers else None for g in range(n_groups)]
    if sync_words is None:
        sync_words = max(1, math.ceil(epoch_tokens / int(rounds_per_epoch)))
    sync_words = int(sync_words)
    rounds = max(1, math.ceil(epoch_tokens / sync_words))
    start = lambda which, matrix: matrix  # noqa: E731
    if combine.startswith("momentum"):
        bm = BlockMomentum(n_groups, [a.shape for a in arrays], nesterov=combine != "momentum-classic",
                           restart=combine == "momentum-restart", row_mu=row_mu,
                           counted=combine == "momentum-counted")
        add, start = bm.apply, bm.lookahead
    else:
        plain = combine_deltas if combine == "mean" else sum_deltas
        add = lambda which, matrix, deltas, weights: plain(matrix, deltas, weights)  # noqa: E731
    total_rounds = rounds * epochs
    result = RoundsResult(groups=n_groups, workers=len(workers), partitions=len(encoded), sync_words=sync_words)
    shared_settings = client.scatter(settings, broadcast=True, hash=False)
    cli = f", {rate_option} on the command line" if rate_option else ""
    for cb in callbacks:
        cb.on_train_begin(model)
    done = 0
    with TrainingProgress(max(epoch_tokens * epochs, 1), description, enabled=progress, unit="words") as bar:
        for epoch in range(epochs):
            t_epoch = time.perf_counter()
            loss, examples, words = 0.0, 0, 0
            for r in range(rounds):
                step = epoch * rounds + r
                a0 = linear_alpha(alpha, min_alpha, step / total_rounds)
                a1 = linear_alpha(alpha, min_alpha, (step + 1) / total_rounds)
                t = time.perf_counter()
                starts = [start(i, a) for i, a in enumerate(arrays)]
                shared = client.scatter(starts, broadcast=True, hash=False)
                result.seconds_broadcast += time.perf_counter() - t
                result.bytes_broadcast += sum(int(a.nbytes) for a in arrays) * max(len(workers), 1)

                def submit_round():
                    futures, n_tokens = [], 0
                    for g, members in enumerate(groups):
                        ranges = round_ranges([kept[i] for i in members], rounds, r)
                        if not ranges:
                            continue
                        n_tokens += sum(b - a for _, a, b in ranges)
                        futures.append(client.submit(
                            _round_task, worker_fn, shared_settings, shared,
                            [encoded[members[k]] for k, _, _ in ranges],
                            [(j, a, b) for j, (_, a, b) in enumerate(ranges)], a0, a1,
                            job_seed(seed, epoch, r * n_groups + g), workers=places[g], allow_other_workers=True,
                            retries=retries, pure=False))
                    return futures, n_tokens

                futures, tokens_here = submit_round()
                for attempt in range(1, REPEATS_PER_ROUND + 2):
                    try:
                        outputs = client.gather(futures)  # a task's own exception is raised here, after its retries
                        break
                    except (KilledWorker, CancelledError, OSError):
                        # A worker died. The round runs again from the same matrices: encoded
                        # partitions that Dask cannot recompute (their inputs were released) are made
                        # again by ``rebuild``, and the broadcast data is sent again, since Dask's
                        # active memory manager keeps one copy of a scattered value once no waiting
                        # task needs more, and that copy may have been on the worker that died.
                        lost = [i for i, f in enumerate(encoded) if f.status in ("cancelled", "error", "lost")]
                        if attempt > REPEATS_PER_ROUND or (lost and rebuild is None):
                            raise
                    for i, f in zip(lost, rebuild(lost) if lost else ()):
                        encoded[i] = f
                    result.partitions_rebuilt += len(lost)
                    result.rounds_repeated += 1
                    shared_settings = client.scatter(settings, broadcast=True, hash=False)
                    shared = client.scatter(starts, broadcast=True, hash=False)
                    futures, tokens_here = submit_round()
                shared = starts = futures = None  # the round's broadcast copies can go
                t = time.perf_counter()
                for l, *_ in outputs:
                    if not math.isfinite(l):
                        raise TrainingDivergedError(
                            f"the loss became {l} in epoch {epoch + 1}: training diverged; lower alpha "
                            f"(now {alpha}){cli}, or check the corpus")
                weights = [float(o[2]) for o in outputs]
                for which, matrix in enumerate(arrays):
                    add(which, matrix, [o[3][which] for o in outputs], weights)
                result.seconds_combine += time.perf_counter() - t
                for l, e, w, deltas, seconds in outputs:
                    loss += l
                    examples += e
                    words += w
                    result.bytes_gathered += sum(int(rows.nbytes) + int(v.nbytes) for rows, v in deltas)
                    result.seconds_compute += seconds
                result.seconds_round_max += max((o[4] for o in outputs), default=0.0)
                result.rounds += 1
                done += tokens_here
                bar.update(done, loss / examples if examples else None)
                if on_round is not None:
                    on_round(result.rounds)
            if check_finite is not None and not check_finite():
                raise TrainingDivergedError(
                    f"the vectors hold NaN or infinite values after epoch {epoch + 1}: training diverged; "
                    f"lower alpha (now {alpha}){cli}")
            logs = EpochLogs(epoch=epoch, loss=loss, mean_loss=loss / examples if examples else 0.0,
                             examples=examples, words=words, seconds=time.perf_counter() - t_epoch,
                             alpha=linear_alpha(alpha, min_alpha, (epoch + 1) / epochs))
            result.epochs.append(logs)
            if epoch_end(callbacks, model, logs):
                break
    for cb in callbacks:
        cb.on_train_end(model)
    return result
