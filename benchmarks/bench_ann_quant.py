"""The ANN index with quantized vectors (usearch ``dtype`` f32 / f16 / i8), candidates rescored exactly.

    python benchmarks/bench_ann.py --parts load          # first: trains and caches the vectors
    python benchmarks/bench_ann_quant.py --M 32 --efc 200 --dtypes i8 f16 f32
    python benchmarks/bench_ann_quant.py --M 48 --efc 300 --dtypes f32 f16 --ef 128 160 192 256 --k 11 21

Same vectors, query keys and exact top 10 as bench_ann.py (benchmarks/out/ann). For each dtype the
index is built at 2 threads, then each query asks for ``k`` candidates at each ``ef``, drops the
query key and keeps the best 10 by exact cosine, as ``KeyedVectors.most_similar(index="ann")``
does: p50 latency of the whole step and recall@10. Printed only (figures in RESULTS.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import workdir  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--M", type=int, default=32)
    ap.add_argument("--efc", type=int, default=200)
    ap.add_argument("--dtypes", nargs="+", default=["i8", "f16", "f32"])
    ap.add_argument("--ef", type=int, nargs="+", default=[64, 128, 192, 256])
    ap.add_argument("--k", type=int, nargs="+", default=[11, 21, 41])
    a = ap.parse_args()
    from usearch.index import Index

    import wordvec

    d = workdir() / "ann"
    if not (d / "truth.npy").exists():
        sys.exit(f"{d} has no vectors and ground truth yet: run benchmarks/bench_ann.py --parts load first")
    kv = wordvec.load(d / "vectors", mmap=False)
    unit = np.ascontiguousarray(kv.unit_vectors)
    queries, truth = np.load(d / "queries.npy"), np.load(d / "truth.npy")
    for dtype in a.dtypes:
        t0 = time.perf_counter()
        index = Index(ndim=unit.shape[1], metric="ip", dtype=dtype, connectivity=a.M, expansion_add=a.efc)
        index.add(np.arange(len(unit), dtype=np.uint64), unit, threads=2)
        print(f"{dtype} M{a.M} efc{a.efc}: build {time.perf_counter() - t0:.1f} s", flush=True)
        for ef in a.ef:
            index.expansion_search = ef
            for k in a.k:
                times, recall = [], []
                for qid, best in zip(queries, truth):
                    t0 = time.perf_counter()
                    ids = np.asarray(index.search(unit[qid], k).keys, dtype=np.int64)
                    ids = np.sort(ids[ids != qid])
                    found = ids[np.argsort(-(unit[ids] @ unit[qid]), kind="stable")[:10]]
                    times.append(time.perf_counter() - t0)
                    recall.append(len(set(found.tolist()) & set(best.tolist())) / 10)
                print(f"  ef {ef} k {k}: p50 {np.median(times) * 1000:.3f} ms, recall {np.mean(recall):.3f}",
                      flush=True)


if __name__ == "__main__":
    main()
