"""The training loop: jobs, threads, learning-rate decay, loss, progress, callbacks.

Orchestration only (fastText's trainThread, gensim's job producer): the arithmetic is in
the numba kernels, which release the GIL so ``workers`` Python threads train in parallel on
shared arrays (Hogwild, Recht et al. 2011). The corpus is cut into jobs of whole sentences
(about ``job_words`` tokens each). Every job's learning rate and RNG stream are fixed by its
position in the run, not by which thread takes it, so ``workers=1`` with a seed is exactly
reproducible.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from wordvec.exceptions import TrainingDivergedError
from wordvec.train.callbacks import Callback, EpochLogs
from wordvec.train.progress import TrainingProgress
from wordvec.train.schedules import job_seed, linear_alpha

__all__ = ["TrainingDivergedError", "make_jobs", "run_epochs", "JOB_WORDS"]

JOB_WORDS = 10_000

# kernel(first_sentence, end_sentence, alpha_start, alpha_end, rng) -> (loss, examples, words)
JobKernel = Callable[[int, int, float, float, np.ndarray], tuple[float, int, int]]



def make_jobs(offsets: np.ndarray, job_words: int = JOB_WORDS) -> np.ndarray:
    """Sentence indexes where jobs start (plus the end): whole sentences, ~job_words tokens each."""
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
    offsets: np.ndarray,
    epochs: int,
    alpha: float,
    min_alpha: float,
    workers: int,
    seed: int,
    model=None,
    callbacks: Sequence[Callback] = (),
    progress: bool = True,
    description: str = "training",
    check_finite: Callable[[], bool] | None = None,
    job_words: int = JOB_WORDS,
    unit: str = "words",
    rate_name: str = "alpha",
) -> list[EpochLogs]:
    """Run ``epochs`` passes of ``kernel`` over the jobs; returns one EpochLogs per epoch.

    ``unit`` names what ``offsets`` count on the progress bar (GloVe's jobs cut co-occurrence
    entries, not words); ``rate_name`` is the model's option for the learning rate, named by
    the divergence errors (Word2Vec's ``alpha``, GloVe's ``learning_rate``).
    """
    cuts = make_jobs(offsets, job_words)
    starts, ends = cuts[:-1], cuts[1:]
    tokens_before = offsets[starts] - offsets[0]
    tokens_after = offsets[ends] - offsets[0]
    epoch_tokens = int(offsets[-1] - offsets[0])
    total = max(epoch_tokens * epochs, 1)
    history: list[EpochLogs] = []
    for cb in callbacks:
        cb.on_train_begin(model)
    done_words = 0
    window = max(2 * workers, 2)
    with TrainingProgress(total, description, enabled=progress, unit=unit) as bar, \
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wordvec") as pool:
        for epoch in range(epochs):
            t0 = time.perf_counter()
            loss = 0.0
            examples = 0
            words = 0
            pending: deque = deque()

            def collect(fut, n_raw):
                nonlocal loss, examples, words, done_words
                l, e, w = fut.result()
                if not math.isfinite(l):
                    raise TrainingDivergedError(
                        f"the loss became {l} in epoch {epoch + 1}: training diverged; "
                        f"lower {rate_name} (now {alpha}) or check the corpus")
                loss += l
                examples += e
                words += w
                done_words += n_raw
                bar.update(done_words, loss / examples if examples else None)

            base = epoch * epoch_tokens
            for j in range(len(starts)):
                a0 = linear_alpha(alpha, min_alpha, (base + tokens_before[j]) / total)
                a1 = linear_alpha(alpha, min_alpha, (base + tokens_after[j]) / total)
                fut = pool.submit(kernel, int(starts[j]), int(ends[j]), a0, a1, job_seed(seed, epoch, j))
                pending.append((fut, int(tokens_after[j] - tokens_before[j])))
                if len(pending) >= window:
                    collect(*pending.popleft())
            while pending:
                collect(*pending.popleft())
            if check_finite is not None and not check_finite():
                raise TrainingDivergedError(
                    f"the vectors hold NaN or infinite values after epoch {epoch + 1}: training "
                    f"diverged; lower {rate_name} (now {alpha})")
            logs = EpochLogs(epoch=epoch, loss=loss, mean_loss=loss / examples if examples else 0.0,
                             examples=examples, words=words, seconds=time.perf_counter() - t0,
                             alpha=linear_alpha(alpha, min_alpha, (epoch + 1) / epochs))
            history.append(logs)
            stop = False
            for cb in callbacks:
                stop = bool(cb.on_epoch_end(model, logs)) or stop
            if stop:
                break
    for cb in callbacks:
        cb.on_train_end(model)
    return history
