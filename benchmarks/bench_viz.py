"""Visualisation speed: PCA of 10,000 x 100, t-SNE of 5,000 words, the projector page's neighbour search.

Targets (issue 4): PCA < 1 s; t-SNE of 5,000 words < 60 s on 2 cores; a neighbour query on a
100,000-word vocabulary answered in < 50 ms (measured through the web app, request to JSON).
Vectors are synthetic (clusters in 100 dimensions), so the figures do not depend on a corpus.

    python benchmarks/bench_viz.py
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from wordvec.vectors.keyed import KeyedVectors


def clustered(n: int, dim: int = 100, clusters: int = 50, seed: int = 0) -> KeyedVectors:
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=2.0, size=(clusters, dim))
    vectors = centres[rng.integers(0, clusters, n)] + rng.normal(size=(n, dim))
    return KeyedVectors([f"w{i}" for i in range(n)], vectors.astype(np.float32))


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    from wordvec.viz.reduce import reduce

    print(f"cores: {os.cpu_count()}  numpy {np.__version__}")
    rows = []

    reduce(clustered(300), method="pca")  # import scikit-learn outside the timing
    kv = clustered(10_000)  # fresh: the timing includes unit-normalising the rows
    seconds, _ = timed(lambda: reduce(kv, top=10_000, method="pca", dims=2, seed=0))
    rows.append(("PCA 10,000 x 100 -> 2-D", seconds, 1.0, "s"))

    kv5 = clustered(5_000)
    seconds, _ = timed(lambda: reduce(kv5, top=5_000, method="tsne", dims=2, seed=0))
    rows.append(("t-SNE 5,000 x 100 -> 2-D", seconds, 60.0, "s"))

    from fastapi.testclient import TestClient

    from wordvec.web.server import create_app

    big = clustered(100_000)
    client = TestClient(create_app(big))
    rng = np.random.default_rng(1)
    client.get("/api/neighbors", params={"word": "w0"})  # warm: unit vectors computed once
    times = []
    for i in rng.integers(0, len(big), 100):
        params = {"word": f"w{i}", "topn": 10}
        seconds, res = timed(lambda params=params: client.get("/api/neighbors", params=params))
        assert res.status_code == 200
        times.append(seconds)
    rows.append(("neighbour search, 100,000 words (median of 100)", statistics.median(times), 0.050, "s"))
    rows.append(("neighbour search, 100,000 words (max of 100)", max(times), 0.050, "s"))

    print(f"{'measure':<52} {'time':>10} {'target':>9}  ok")
    for name, value, target, _ in rows:
        print(f"{name:<52} {value * 1000:>8.1f}ms {target * 1000:>7.0f}ms  {'yes' if value < target else 'NO'}")


if __name__ == "__main__":
    main()
