"""External sort-and-merge for co-occurrence pairs: sorted runs on disk, merged k ways.

Stanford GloVe's ``cooccur.c`` writes each full, sorted buffer of pairs to a temporary file
(``write_chunk``) and merges the files at the end with a priority queue (``merge_files``). Here a
pair is an int64 key ``row * n_words + col`` with a float64 value; a run is two flat files
(``.keys``, ``.vals``) of sorted, distinct keys. :meth:`SortedRuns.merge` reads every run a
block at a time and, block by block, sorts and sums all pairs up to the smallest last key in
memory, so memory stays bounded by the block size whatever the number of pairs. The result is
written to disk too and read back exactly sized, so the merge never holds two copies of it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

__all__ = ["MIN_BLOCK", "SortedRuns", "split_keys"]

#: The smallest block of a run read at once while merging.
MIN_BLOCK = 256


def split_keys(keys: np.ndarray, vals: np.ndarray, n_words: int,
               unit: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows int32, cols int32, values float32) of pairs keyed ``row * n_words + col``; the values
    are divided by ``unit`` (the counting unit of :func:`wordvec._kernels.cooccur.weight_unit`).

    >>> import numpy as np
    >>> rows, cols, values = split_keys(np.array([1, 5]), np.array([2.0, 0.5]), n_words=3)
    >>> rows.tolist(), cols.tolist(), values.tolist()
    ([0, 1], [1, 2], [2.0, 0.5])
    """
    rows = (keys // n_words).astype(np.int32)
    cols = (keys % n_words).astype(np.int32)
    return rows, cols, (vals if unit == 1.0 else vals / unit).astype(np.float32)


class SortedRuns:
    """Sorted runs of (int64 key, float64 value) pairs spilled to a temporary directory.

    >>> import numpy as np
    >>> with SortedRuns() as runs:
    ...     runs.add([(np.array([1, 4]), np.array([1.0, 2.0]))])        # each block sorted by key
    ...     runs.add([(np.array([1, 3]), np.array([0.5, 1.0]))])
    ...     rows, cols, values = runs.merge(n_words=3, cap=10)         # keys are row * 3 + col
    ...
    >>> rows.tolist(), cols.tolist(), values.tolist()
    ([0, 1, 1], [1, 0, 1], [1.5, 1.0, 2.0])

    The directory (``wordvec-cooccur-*`` under ``tmp_dir``, the system's temporary directory by
    default) is made at the first :meth:`add` and removed, with every run, on :meth:`close` or
    at the end of a ``with`` block.
    """

    def __init__(self, tmp_dir: str | os.PathLike | None = None):
        self.tmp_dir = tmp_dir
        self.work: Path | None = None
        self.runs: list[tuple[Path, int]] = []

    def __len__(self) -> int:
        return len(self.runs)

    def __enter__(self) -> SortedRuns:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None

    def add(self, blocks: Iterable[tuple[np.ndarray, np.ndarray]]) -> None:
        """Write one run: ``blocks`` of (keys, values), sorted within and across blocks, no key twice."""
        if self.work is None:
            self.work = Path(tempfile.mkdtemp(prefix="wordvec-cooccur-", dir=self.tmp_dir))
        path = self.work / f"run{len(self.runs):05d}"
        n = 0
        with open(path.with_suffix(".keys"), "wb") as kf, open(path.with_suffix(".vals"), "wb") as vf:
            for keys, vals in blocks:
                keys.tofile(kf)
                vals.tofile(vf)
                n += keys.size
        self.runs.append((path, n))

    def merge(self, n_words: int, cap: int, unit: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Merge every run into sorted (rows int32, cols int32, values float32), equal keys summed
        (values divided by ``unit``, as :func:`split_keys` does).

        ``cap`` pairs is the memory to use: each run gets a block of ``cap / (2 * runs)`` pairs
        (at least :data:`MIN_BLOCK`), leaving room for a copy of all blocks while they are merged.
        """
        from wordvec._kernels.cooccur import sort_pairs, sum_sorted

        work = self.work
        if work is None:
            raise ValueError("no runs to merge")
        block = max(cap // (2 * len(self.runs)), MIN_BLOCK)
        readers = [_Run(p, n, block) for p, n in self.runs]
        out = {name: open(work / f"merged.{name}", "wb") for name in ("rows", "cols", "vals")}
        total = 0
        try:
            while True:
                live = [r for r in readers if r.keys.size]
                if not live:
                    break
                # every key <= bound is in memory now: runs are sorted, and each unread part lies above its block
                bound = min((r.keys[-1] for r in live if r.left), default=None)
                parts_k, parts_v = [], []
                for r in live:
                    cut = r.keys.size if bound is None else int(np.searchsorted(r.keys, bound, side="right"))
                    parts_k.append(r.keys[:cut])
                    parts_v.append(r.vals[:cut])
                    r.keys, r.vals = r.keys[cut:], r.vals[cut:]
                    r.refill()
                k = np.concatenate(parts_k)
                v = np.concatenate(parts_v)
                del parts_k, parts_v
                sort_pairs(k, v, k.size)
                m = sum_sorted(k, v, k.size)
                k, v = k[:m], v[:m]
                if m:  # every later key is above ``bound``: no key is written twice
                    rows, cols, vals = split_keys(k, v, n_words, unit)
                    rows.tofile(out["rows"])
                    cols.tofile(out["cols"])
                    vals.tofile(out["vals"])
                    total += m
        finally:
            for r in readers:
                r.close()
            for fh in out.values():
                fh.close()
        rows = np.fromfile(work / "merged.rows", dtype=np.int32, count=total)
        cols = np.fromfile(work / "merged.cols", dtype=np.int32, count=total)
        vals = np.fromfile(work / "merged.vals", dtype=np.float32, count=total)
        return rows, cols, vals


class _Run:
    """A sorted run on disk, read in blocks."""

    def __init__(self, path: Path, n: int, block: int):
        self.kf = open(path.with_suffix(".keys"), "rb")
        self.vf = open(path.with_suffix(".vals"), "rb")
        self.left = n
        self.block = block
        self.keys = np.empty(0, dtype=np.int64)
        self.vals = np.empty(0, dtype=np.float64)
        self.refill()

    def refill(self) -> None:
        m = min(self.block, self.left)
        if m and self.keys.size == 0:
            self.keys = np.fromfile(self.kf, dtype=np.int64, count=m)
            self.vals = np.fromfile(self.vf, dtype=np.float64, count=m)
            self.left -= m

    def close(self) -> None:
        self.kf.close()
        self.vf.close()
