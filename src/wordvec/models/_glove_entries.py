"""GloVe's training entries shuffled into a temporary file and read back a job at a time.

Stanford GloVe never holds the matrix while training: ``shuffle`` shuffles the co-occurrence
records in memory-sized chunks written to temporary files, then merges the files by reading an
equal share of each into one buffer, shuffling it and writing it out (``shuffle_by_chunks``,
``shuffle_merge``); ``glove`` then streams that file every epoch. :func:`shuffle_to_disk` does the
same with the entries GloVe's kernel reads (row, column, f(x), log x: 16 bytes), so training
holds the vectors and a few jobs' entries, whatever the number of co-occurrences.

File layout: jobs of at most ``job_entries`` entries one after another, each job four arrays
side by side (rows int32, cols int32, f(x) float32, log x float32); ``job_offsets`` (in memory)
gives the entries before each job.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from wordvec._kernels.glove import glove_weights, shuffle_entries
from wordvec.train.schedules import job_seed

__all__ = ["ShuffledEntries", "shuffle_to_disk"]

#: Bytes of one entry on disk: row, column, f(x), log x.
ENTRY_BYTES = 16


class ShuffledEntries:
    """The shuffled entries in a temporary directory; :meth:`read` returns one job's arrays.

    Remove the directory with :meth:`close` (or a ``with`` block).
    """

    def __init__(self, work: Path, job_offsets: np.ndarray, start_loss: float):
        self.work = work
        self.path = work / "entries.bin"
        self.job_offsets = job_offsets
        self.start_loss = start_loss

    @property
    def nnz(self) -> int:
        return int(self.job_offsets[-1])

    @property
    def n_jobs(self) -> int:
        return len(self.job_offsets) - 1

    def read(self, job: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(rows, cols, f(x), log x) of job ``job`` (fresh arrays: threads may read at once)."""
        start, stop = int(self.job_offsets[job]), int(self.job_offsets[job + 1])
        m = stop - start
        raw = np.fromfile(self.path, dtype=np.uint8, count=ENTRY_BYTES * m, offset=ENTRY_BYTES * start)
        if raw.size != ENTRY_BYTES * m:
            raise OSError(f"{self.path}: job {job} is truncated (the temporary file changed under training)")
        return (raw[:4 * m].view(np.int32), raw[4 * m:8 * m].view(np.int32),
                raw[8 * m:12 * m].view(np.float32), raw[12 * m:].view(np.float32))

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self) -> ShuffledEntries:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def shuffle_to_disk(chunks: Iterable[tuple[np.ndarray, np.ndarray, np.ndarray]], *, x_max: float, alpha: float,
                    seed: int, chunk_entries: int, job_entries: int,
                    tmp_dir: str | os.PathLike | None = None) -> ShuffledEntries:
    """Shuffle the entries of ``chunks`` ((rows, cols, values) in any order) to a temporary file.

    >>> import numpy as np
    >>> chunks = [(np.arange(5, dtype=np.int32), np.zeros(5, np.int32), np.arange(1, 6, dtype=np.float32))]
    >>> with shuffle_to_disk(chunks, x_max=10, alpha=0.75, seed=1, chunk_entries=2, job_entries=2) as entries:
    ...     rows = np.concatenate([entries.read(j)[0] for j in range(entries.n_jobs)])
    >>> sorted(rows.tolist())                              # every entry once, in a shuffled order
    [0, 1, 2, 3, 4]

    Memory: about ``chunk_entries`` entries twice over (16 bytes each), whatever the total.
    Values must be positive (GloVe fits their logarithm): a ValueError says so otherwise.
    The start loss (mean f(x) log(x)^2, float64) is summed on the way.
    """
    work = Path(tempfile.mkdtemp(prefix="wordvec-glove-", dir=tmp_dir))
    try:
        runs, loss = _shuffled_runs(work, chunks, x_max, alpha, seed, chunk_entries)
        offsets = _merge(work, runs, seed, chunk_entries, job_entries)
        for path, _ in runs:
            path.unlink()
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return ShuffledEntries(work, offsets, loss / max(int(offsets[-1]), 1))


def _shuffled_runs(work: Path, chunks, x_max: float, alpha: float, seed: int, chunk_entries: int):
    """Chunks of ``chunk_entries`` entries, each shuffled and written as its own run (Stanford's
    ``shuffle_by_chunks``); returns the runs ``(path, entries)`` and the summed start loss."""
    runs: list[tuple[Path, int]] = []
    loss = 0.0
    buffer: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    held = 0

    def flush() -> None:
        nonlocal loss, held
        rows = np.concatenate([b[0] for b in buffer]).astype(np.int32, copy=False)
        cols = np.concatenate([b[1] for b in buffer]).astype(np.int32, copy=False)
        values = np.concatenate([b[2] for b in buffer])
        buffer.clear()
        held = 0
        if values.size and not (values > 0).all():
            raise ValueError("co-occurrence values must be positive (GloVe fits their logarithm)")
        weight = np.empty(values.size, dtype=np.float32)
        logx = np.empty(values.size, dtype=np.float32)
        glove_weights(values, float(x_max), float(alpha), weight, logx)
        lx = logx.astype(np.float64)
        loss += float(np.dot(weight.astype(np.float64), lx * lx))
        rows, cols = rows.copy(), cols.copy()  # the shuffle is in place: never the caller's arrays
        shuffle_entries(rows, cols, weight, logx, job_seed(seed, 2**31, len(runs)))
        path = work / f"run{len(runs):05d}.bin"
        with open(path, "wb") as fh:
            for array in (rows, cols, weight, logx):
                array.tofile(fh)
        runs.append((path, int(values.size)))

    for rows, cols, values in chunks:
        for s in range(0, len(values), chunk_entries):
            part = (rows[s:s + chunk_entries], cols[s:s + chunk_entries], values[s:s + chunk_entries])
            if held + len(part[2]) > chunk_entries:
                flush()
            buffer.append(part)
            held += len(part[2])
    if held:
        flush()
    return runs, loss


def _merge(work: Path, runs: list[tuple[Path, int]], seed: int, chunk_entries: int, job_entries: int) -> np.ndarray:
    """Stanford's ``shuffle_merge``: rounds that read an equal share of every run into one buffer,
    shuffle it and append it to the output as jobs; returns the job offsets."""
    total = sum(n for _, n in runs)
    rounds = max(1, -(-total // max(chunk_entries, 1)))
    taken = [0] * len(runs)
    offsets = [0]
    with open(work / "entries.bin", "wb") as out:
        for r in range(rounds):
            parts = [[], [], [], []]
            for k, (path, n) in enumerate(runs):
                stop = n * (r + 1) // rounds  # each run's share of this round
                m = stop - taken[k]
                if m:
                    for a, dtype in enumerate((np.int32, np.int32, np.float32, np.float32)):
                        parts[a].append(np.fromfile(path, dtype=dtype, count=m, offset=4 * (a * n + taken[k])))
                taken[k] = stop
            if not parts[0]:
                continue
            rows, cols, weight, logx = (np.concatenate(p) for p in parts)
            del parts
            shuffle_entries(rows, cols, weight, logx, job_seed(seed, 2**31 + 1, r))
            for s in range(0, rows.size, job_entries):
                for array in (rows, cols, weight, logx):
                    array[s:s + job_entries].tofile(out)
                offsets.append(offsets[-1] + min(job_entries, rows.size - s))
    return np.asarray(offsets, dtype=np.int64)
