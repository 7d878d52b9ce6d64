"""The training loop: jobs, threads, learning-rate decay, loss, progress, callbacks.

Orchestration only (fastText's trainThread, gensim's job producer): the arithmetic is in
the numba kernels, which release the GIL so ``workers`` Python threads train in parallel on
shared arrays (Hogwild, Recht et al. 2011). The corpus is cut into jobs of whole sentences
(about ``job_words`` tokens each). Every job's learning rate and RNG stream are fixed by its
position in the run, not by which thread takes it, so ``workers=1`` with a seed is exactly
reproducible.

``deterministic=True`` makes any number of workers exactly reproducible too. The jobs (cut as
above, whatever ``workers``) run in rounds of :data:`ROUND_JOBS`: the threads run a round's jobs
while nobody writes the vectors, each job keeping its updates in private rows (a sparse delta, see
_kernels/delta.py), and when the round is over the main thread adds the deltas' mean, filtered by
a block momentum (:mod:`wordvec.train.momentum`), to the vectors in job order. Each job's result depends only on the vectors at the round's start, its sentences, its
learning rate and its RNG stream, and every sum is taken in one order, so the vectors are the same
bits for 1, 2 or 16 workers (on one machine and build: numba compiles for the host CPU).

Divergence is caught two ways: a loss or vectors that become NaN or infinite, and a loss that
explodes while staying finite (a learning rate too high for the data: Word2Vec at alpha=0.5 can
reach 10^5 per example and still save nonsense, GloVe at a learning rate of 1 10^9 per entry).
See :data:`DIVERGENCE_RATIO`.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from wordvec.exceptions import TrainingDivergedError
from wordvec.train.callbacks import Callback, EpochLogs, epoch_end
from wordvec.train.progress import TrainingProgress
from wordvec.train.schedules import job_seed, linear_alpha

__all__ = ["TrainingDivergedError", "make_jobs", "run_epochs", "JOB_WORDS", "ROUND_JOBS",
           "DETERMINISTIC_JOB_WORDS", "DIVERGENCE_RATIO",
           "DIVERGENCE_FLOOR"]

JOB_WORDS = 10_000

#: Jobs per round of deterministic training (``deterministic=True``): a round's jobs all start from the
#: vectors as the previous round left them, so rounds of 4 jobs of ~5,000 words train like Hogwild
#: whose threads would see each other's updates only every ~20,000 words. Fixed, never derived from
#: ``workers``: the rounds are part of what makes the result the same for any number of workers, and
#: so at most ROUND_JOBS threads work at once. Measured (benchmarks/bench_deterministic.py, 2 workers,
#: first 100,000 lines of the benchmark corpus, 3 epochs, skip-gram / CBOW analogy %): 8 x 10,000
#: words 1.2 / 0.4 (Hogwild 3.5 / 2.4), 8 x 2,500 1.6 / 0.8, 4 x 5,000 2.2 / 1.1 -- fresher rounds
#: learn better; smaller jobs cost more per word (each job copies the rows it touches).
ROUND_JOBS = 4
#: Tokens per job of deterministic training (JOB_WORDS for Hogwild): see ROUND_JOBS.
DETERMINISTIC_JOB_WORDS = 5_000

#: Training stops as diverged when the mean loss per example of the epoch so far (checked after
#: every job, so within an epoch and at its end) passes DIVERGENCE_RATIO times the loss at the
#: start, or DIVERGENCE_RATIO * DIVERGENCE_FLOOR where the start is below the floor. The start is
#: what the model knows before training (``start_loss``: Word2Vec/FastText's output layer starts at
#: zero, so negative sampling starts at exactly (1 + negative) * log 2 per example and hierarchical
#: softmax at log 2 per node of the target's code; GloVe starts at mean f(x) * log(x)^2 per entry),
#: else the first job's mean. Healthy training only lowers the loss from there.
#:
#: Measured (ratio = the largest job mean or epoch-so-far mean over the start; 63 healthy runs, mostly
#: workers=1): on 0.7-2.6M-token samples of corpora/en/running.txt.gz, dictionary.txt.gz,
#: ko/nsmc_reviews.txt.gz (whitespace tokens), the bundled demo corpus and a 200-line corpus
#: (min_count=1, 50 epochs) -- skip-gram and CBOW with negative sampling and hierarchical softmax at
#: alpha 0.025 to 0.2, CBOW sums, negative 1 to 20, 300 dimensions, 2 workers, FastText in all four
#: combinations at alpha 0.05 and 0.1, GloVe at learning rates 0.05 to 0.2, x_max 10, without
#: distance weighting -- the largest was 1.05 (hierarchical softmax, whose first jobs have longer
#: codes than the corpus average); negative sampling never passed 1.0, GloVe 1.0. Diverging runs
#: (nonsense neighbours, saved before this check): CBOW alpha=0.3 377 (the mildest); skip-gram
#: alpha=0.5 d=20 17,700 (7.4e4 per example; the issue's 713,171 on its corpus); hierarchical
#: softmax alpha 0.3 to 2: 2,200 to 2.8e6; FastText alpha=0.3 8e15; GloVe learning rate 0.5 to 9:
#: 2.6e8 to 2.2e14. Hierarchical softmax at alpha >= 0.5 and GloVe at >= 2 explode inside the first
#: job (only 1.6 to 43 times its mean), hence the models' own start. Skip-gram alpha=0.3 d=20 stays
#: at 0.6 with sane neighbours and is not flagged. 10 leaves a factor of 9.5 above the healthiest
#: run and 38 below the mildest divergence.
DIVERGENCE_RATIO = 10.0
#: Starts below this (GloVe on counts near 1, whose log is near 0) are compared as if they were
#: this, so that noise around a loss near zero is never read as an explosion. Word2Vec starts at
#: log 2 per example or more.
DIVERGENCE_FLOOR = 1.0

# kernel(first_sentence, end_sentence, alpha_start, alpha_end, rng) -> (loss, examples, words)
JobKernel = Callable[[int, int, float, float, np.ndarray], tuple[float, int, int]]



def make_jobs(offsets: np.ndarray, job_words: int = JOB_WORDS) -> np.ndarray:
    """Sentence indexes where jobs start (plus the end): whole sentences, ~job_words tokens each.

    >>> import numpy as np
    >>> offsets = np.array([0, 4000, 9000, 12000, 20000, 21000])   # 5 sentences
    >>> make_jobs(offsets, job_words=10000).tolist()               # whole sentences: jobs start at 0, 3 and 4; 5 ends
    [0, 3, 4, 5]
    """
    n_sent = offsets.shape[0] - 1
    if n_sent <= 0:
        return np.array([0, 0], dtype=np.int64)
    targets = np.arange(offsets[0] + job_words, offsets[-1], job_words)
    cuts = np.searchsorted(offsets, targets, side="left")
    cuts = np.unique(np.concatenate(([0], cuts, [n_sent])))
    return cuts.astype(np.int64)


def run_epochs(
    kernel: JobKernel,
    *,
    offsets: np.ndarray | None = None,
    jobs: tuple[np.ndarray, np.ndarray] | None = None,
    epochs: int,
    alpha: float,
    min_alpha: float,
    workers: int,
    seed: int,
    model=None,
    callbacks: Sequence[Callback] = (),
    progress: bool | None = None,
    description: str = "training",
    check_finite: Callable[[], bool] | None = None,
    job_words: int = JOB_WORDS,
    unit: str = "words",
    rate_name: str = "alpha",
    rate_option: str | None = None,
    start_loss: float | None = None,
    loss_unit: str = "example",
    deterministic: bool = False,
    round_jobs: int | None = None,
) -> list[EpochLogs]:
    """Run ``epochs`` passes of ``kernel`` over the jobs; returns one EpochLogs per epoch.

    >>> # The trainer behind every estimator: it takes a compiled job kernel (see wordvec.models._jobs).
    >>> from wordvec import Word2Vec
    >>> from wordvec.train import LossLogger
    >>> losses = LossLogger()
    >>> model = Word2Vec(vector_size=8, min_count=1, epochs=3, seed=1, workers=1, progress=False, callbacks=[losses])
    >>> model = model.fit([["the", "king", "rules"], ["the", "queen", "rules"]] * 10)   # fit calls run_epochs
    >>> [(logs.epoch, round(logs.alpha, 4)) for logs in losses.history]          # alpha decays linearly
    [(0, 0.0333), (1, 0.0167), (2, 0.0001)]

    ``progress``: None (default): a bar only on a terminal or in a notebook; True/False force it.

    ``unit`` names what ``offsets`` count on the progress bar (GloVe's jobs cut co-occurrence
    entries, not words); ``rate_name`` is the model's option for the learning rate, named by
    the divergence errors (Word2Vec's ``alpha``, GloVe's ``learning_rate``), and ``rate_option``
    the command-line option that sets it (``--alpha`` for both), if any.

    ``start_loss`` is the loss per example (``loss_unit``) before any update, when the model
    knows it; without it the first job's mean stands in. A mean loss per example of the epoch so
    far above :data:`DIVERGENCE_RATIO` times it raises :class:`TrainingDivergedError`, as NaN or
    infinite losses and vectors (``check_finite``) do.

    ``jobs``, instead of ``offsets``: the job boundaries already cut, ``(make_jobs(offsets, job_words),
    offsets at those cuts)``, for a corpus streamed from disk whose offsets are not in memory
    (:meth:`wordvec.corpus.encode.EncodedCorpus.job_cuts`).

    ``deterministic``: run the jobs in rounds of ``round_jobs`` (None: :data:`ROUND_JOBS`; see the
    module's docstring), cut by ``job_words`` (pass :data:`DETERMINISTIC_JOB_WORDS`). The
    kernel then returns ``(loss, examples, words, update)`` without touching the shared arrays, and
    ``kernel.commit(updates, map_parts, parts)`` applies a round's updates (in job order, once all
    its jobs are done; ``map_parts``, the thread pool's ``map``, may split the work by rows among
    ``parts`` = ``workers`` threads), ``kernel.settle()`` makes any deferred change at the end of an
    epoch.
    """
    if jobs is None:
        cuts = make_jobs(offsets, job_words)
        at = offsets[cuts]
    else:
        cuts, at = jobs
    starts, ends = cuts[:-1], cuts[1:]
    tokens_before = at[:-1] - at[0]
    tokens_after = at[1:] - at[0]
    epoch_tokens = int(at[-1] - at[0])
    total = max(epoch_tokens * epochs, 1)
    history: list[EpochLogs] = []
    for cb in callbacks:
        cb.on_train_begin(model)
    done_words = 0
    window = max(2 * workers, 2)
    cli = f", {rate_option} on the command line" if rate_option else ""
    start = start_loss if start_loss is not None and math.isfinite(start_loss) else None
    with TrainingProgress(total, description, enabled=progress, unit=unit) as bar, \
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wordvec") as pool:
        for epoch in range(epochs):
            t0 = time.perf_counter()
            loss = 0.0
            examples = 0
            words = 0
            pending: deque = deque()

            def collect(fut, n_raw):
                nonlocal loss, examples, words, done_words, start
                result = fut.result()
                l, e, w = result[:3]
                if not math.isfinite(l):
                    raise TrainingDivergedError(
                        f"the loss became {l} in epoch {epoch + 1}: training diverged; "
                        f"lower {rate_name} (now {alpha}){cli}, or check the corpus")
                loss += l
                examples += e
                words += w
                done_words += n_raw
                mean = loss / examples if examples else None
                if start is None and e:
                    start = l / e
                if mean is not None and mean > DIVERGENCE_RATIO * max(start, DIVERGENCE_FLOOR):
                    ratio = mean / start if start > 0 else math.inf
                    times = "" if ratio == math.inf else (
                        f", {ratio:,.0f} times as much" if ratio < 1e6 else f", {ratio:.2g} times as much")
                    raise TrainingDivergedError(
                        f"training diverged: the loss per {loss_unit} rose from {start:.3g} at the start "
                        f"to {mean:.4g} in epoch {epoch + 1}{times}; lower {rate_name} (now {alpha}){cli}")
                bar.update(done_words, mean)
                return result[3] if len(result) > 3 else None

            base = epoch * epoch_tokens

            def submit(j):
                a0 = linear_alpha(alpha, min_alpha, (base + tokens_before[j]) / total)
                a1 = linear_alpha(alpha, min_alpha, (base + tokens_after[j]) / total)
                fut = pool.submit(kernel, int(starts[j]), int(ends[j]), a0, a1, job_seed(seed, epoch, j))
                return fut, int(tokens_after[j] - tokens_before[j])

            if deterministic:
                round_jobs = ROUND_JOBS if round_jobs is None else round_jobs
                for first in range(0, len(starts), round_jobs):
                    jobs_here = [submit(j) for j in range(first, min(first + round_jobs, len(starts)))]
                    updates = [collect(*job) for job in jobs_here]  # in job order, as every sum below
                    kernel.commit(updates, pool.map, workers)  # rows split among the threads
                kernel.settle()  # the vectors up to date for the epoch's end (callbacks, saving)
            else:
                for j in range(len(starts)):
                    pending.append(submit(j))
                    if len(pending) >= window:
                        collect(*pending.popleft())
                while pending:
                    collect(*pending.popleft())
            if check_finite is not None and not check_finite():
                raise TrainingDivergedError(
                    f"the vectors hold NaN or infinite values after epoch {epoch + 1}: training "
                    f"diverged; lower {rate_name} (now {alpha}){cli}")
            logs = EpochLogs(epoch=epoch, loss=loss, mean_loss=loss / examples if examples else 0.0,
                             examples=examples, words=words, seconds=time.perf_counter() - t0,
                             alpha=linear_alpha(alpha, min_alpha, (epoch + 1) / epochs))
            history.append(logs)
            if epoch_end(callbacks, model, logs):
                break
    for cb in callbacks:
        cb.on_train_end(model)
    return history
