"""Queries at scale (issue 14): ANN libraries, exact and batched most_similar, load times.

    python benchmarks/bench_ann.py [--n 400000] [--libs usearch hnswlib faiss pynndescent]

Vectors: wordvec skip-gram, 100 dimensions, 1 epoch (``--epochs``), min_count 1 on the English benchmark corpus
(../shared/BENCHMARKS.md). The corpus holds only 229,005 word types, so the rest up to 400,000
are phrase vectors: the sum of the two words' vectors for each of the corpus's most frequent
bigrams ("new_york"), keyed "x_y", ranked after the words. Trained once and cached in
benchmarks/out/ann/vectors (a native directory; delete it to retrain). Queries: 1,000 keys drawn
uniformly (seed 0). Ground truth: exact cosine top 10, the query key left out (as most_similar
does), by brute force in NumPy.

Each library runs in its own process at 2 threads (build) with the same HNSW-ish settings
(``--M`` / connectivity, default 32; ``--efc`` / efConstruction, default 200; pynndescent
n_neighbors 30), then
answers the 1,000 queries one at a time (top 11, the query key dropped) at several search widths
(ef / epsilon). Memory: the process's resident set before and after building; file: the saved
index. Then wordvec's own ``most_similar(index="ann")`` (candidates rescored exactly), from the
built index and from the saved one (``wordvec.load``, memory-mapped); exact wordvec and gensim
``most_similar``; ``most_similar_batch`` on the 1,000 keys against the loop; native load and
word2vec-binary load against gensim (alternating, median of 5 and 3).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import benchmark_corpus, run_child, workdir  # noqa: E402

HERE = Path(__file__).resolve()
K = 10
THREADS = 2


def rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


EPOCHS = 1  # training epochs of the vectors (--epochs); each setting has its own cache


def out_dir(n: int) -> Path:
    name = "_".join(([f"n{n}"] if n != 400_000 else []) + ([f"e{EPOCHS}"] if EPOCHS != 1 else []))
    d = workdir() / "ann" / name
    d.mkdir(parents=True, exist_ok=True)
    return d


def emit(obj) -> None:
    print(json.dumps(obj), flush=True)


# ------------------------------------------------------------------------------------ children
def child_train(a) -> None:
    from wordvec.models.word2vec import Word2Vec
    from wordvec.vectors import KeyedVectors

    import wordvec

    corpus = benchmark_corpus(workdir())
    t0 = time.perf_counter()
    m = Word2Vec(vector_size=100, min_count=a.min_count, max_vocab_size=a.n, epochs=EPOCHS, workers=THREADS,
                 tokenizer="whitespace", progress=False, seed=1).fit(str(corpus))
    secs = time.perf_counter() - t0
    wv = m.wv
    n = min(a.n, len(wv))
    keys, vectors = list(wv.index_to_key[:n]), np.asarray(wv.vectors[:n])
    counts = np.asarray(wv.counts[:n])
    phrases = 0
    if n < a.n:  # the corpus has fewer word types: add phrase vectors for its most frequent bigrams
        from collections import Counter
        from itertools import chain

        index = wv.key_to_index
        with open(corpus, encoding="utf-8") as f:
            pairs = Counter(chain.from_iterable(zip(t, t[1:]) for t in (line.split() for line in f)))
        extra = [(x, y, c) for (x, y), c in pairs.most_common(2 * (a.n - n)) if x in index and y in index]
        extra = extra[: a.n - n]
        keys += [f"{x}_{y}" for x, y, _ in extra]
        added = np.asarray(wv.vectors)[[index[x] for x, _, _ in extra]] + np.asarray(wv.vectors)[[index[y] for _, y, _ in extra]]
        vectors = np.vstack([vectors, added.astype(np.float32)])
        counts = np.concatenate([counts, np.array([c for _, _, c in extra], dtype=np.int64)])
        phrases = len(extra)
    kv = KeyedVectors(keys, vectors, counts)
    wordvec.save(kv, out_dir(a.n) / "vectors")
    emit({"seconds": secs, "vocab": len(wv), "kept": len(kv), "phrases": phrases})


def child_synthetic(a) -> None:
    """Clustered random vectors (for trying the script quickly; not for the figures)."""
    import wordvec
    from wordvec.vectors import KeyedVectors

    rng = np.random.default_rng(0)
    centers = rng.standard_normal((max(a.n // 100, 1), 100))
    x = (centers[rng.integers(0, len(centers), a.n)] + 0.6 * rng.standard_normal((a.n, 100))).astype(np.float32)
    wordvec.save(KeyedVectors([f"w{i}" for i in range(a.n)], x), out_dir(a.n) / "vectors")
    emit({"seconds": 0.0, "vocab": a.n, "kept": a.n})


def _unit(n: int) -> tuple[list[str], np.ndarray]:
    from wordvec.io import load

    kv = load(out_dir(n) / "vectors", mmap=False)
    return kv.index_to_key, np.ascontiguousarray(kv.unit_vectors)


def child_truth(a) -> None:
    keys, unit = _unit(a.n)
    rng = np.random.default_rng(0)
    queries = rng.choice(len(keys), size=min(a.queries, len(keys)), replace=False)
    truth = np.empty((len(queries), K), dtype=np.int64)
    for s in range(0, len(queries), 64):
        q = queries[s:s + 64]
        scores = unit[q] @ unit.T
        scores[np.arange(len(q)), q] = -np.inf
        part = np.argpartition(-scores, K, axis=1)[:, :K]
        order = np.argsort(-np.take_along_axis(scores, part, 1), axis=1, kind="stable")
        truth[s:s + 64] = np.take_along_axis(part, order, 1)
    np.save(out_dir(a.n) / "queries.npy", queries)
    np.save(out_dir(a.n) / "truth.npy", truth)
    emit({"queries": len(queries)})


def _recall(found: list[np.ndarray], truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[:K].tolist()) & set(t.tolist())) / K for f, t in zip(found, truth)]))


#: Query keys seen at least this often count as "frequent" in the split recall (the words a
#: min_count-5 model keeps); the others are mostly words seen once or twice, near their random start.
FREQUENT = 5


def _recall_bands(found: list[np.ndarray], truth: np.ndarray, n: int) -> dict:
    """Recall@10 of the frequent and the rare query keys apart (see FREQUENT)."""
    from wordvec.io import load

    counts = np.asarray(load(out_dir(n) / "vectors").counts)
    queries = np.load(out_dir(n) / "queries.npy")
    frequent = counts[queries] >= FREQUENT
    out = {"n_frequent": int(frequent.sum())}
    for name, mask in (("recall_frequent", frequent), ("recall_rare", ~frequent)):
        picked = np.flatnonzero(mask)
        out[name] = _recall([found[i] for i in picked], truth[picked]) if picked.size else float("nan")
    return out


def _timed_queries(search, unit, queries) -> tuple[list[np.ndarray], list[float]]:
    found, times = [], []
    for qid in queries:
        q = unit[qid]
        t0 = time.perf_counter()
        ids = search(q)
        ids = ids[ids != qid][:K]
        times.append(time.perf_counter() - t0)
        found.append(ids)
    return found, times


def _pct(times: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(times) * 1000, p))


def child_lib(a) -> None:
    keys, unit = _unit(a.n)
    n, d = unit.shape
    queries = np.load(out_dir(a.n) / "queries.npy")
    truth = np.load(out_dir(a.n) / "truth.npy")
    file = out_dir(a.n) / f"index.{a.lib}"
    lib = a.lib
    result = {"lib": lib, "rows": []}
    if lib == "hnswlib":
        import hnswlib

        result["version"] = getattr(hnswlib, "__version__", "0.8.0")
        r0 = rss()
        t0 = time.perf_counter()
        index = hnswlib.Index(space="ip", dim=d)
        index.init_index(max_elements=n, ef_construction=a.efc, M=a.M, random_seed=0)
        index.set_num_threads(THREADS)
        index.add_items(unit, np.arange(n))
        build = time.perf_counter() - t0
        mem = rss() - r0
        index.set_num_threads(1)
        index.save_index(str(file))
        settings = [("ef", ef) for ef in a.ef]

        def setup(ef):
            index.set_ef(max(ef, K + 1))

        def search(q):
            return index.knn_query(q, k=K + 1)[0][0].astype(np.int64)
    elif lib == "usearch":
        import usearch
        from usearch.index import Index

        result["version"] = usearch.__version__
        dtype = a.dtype or "f32"
        lib = result["lib"] = f"usearch {dtype}"
        r0 = rss()
        t0 = time.perf_counter()
        index = Index(ndim=d, metric="ip", dtype=dtype, connectivity=a.M, expansion_add=a.efc)
        index.add(np.arange(n, dtype=np.uint64), unit, threads=THREADS)
        build = time.perf_counter() - t0
        mem = rss() - r0
        index.save(str(file))
        settings = [("ef", ef) for ef in a.ef]

        def setup(ef):
            index.expansion_search = ef

        def search(q):
            return np.asarray(index.search(q, K + 1).keys, dtype=np.int64)
    elif lib == "faiss":
        import faiss

        result["version"] = faiss.__version__
        faiss.omp_set_num_threads(THREADS)
        r0 = rss()
        t0 = time.perf_counter()
        index = faiss.IndexHNSWFlat(d, a.M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = a.efc
        index.add(unit)
        build = time.perf_counter() - t0
        mem = rss() - r0
        faiss.write_index(index, str(file))
        faiss.omp_set_num_threads(1)
        settings = [("ef", ef) for ef in a.ef]

        def setup(ef):
            index.hnsw.efSearch = ef

        def search(q):
            return index.search(q[None, :], K + 1)[1][0].astype(np.int64)
    elif lib == "pynndescent":
        import pickle

        import pynndescent

        result["version"] = pynndescent.__version__ if hasattr(pynndescent, "__version__") else "0.5+"
        r0 = rss()
        t0 = time.perf_counter()
        index = pynndescent.NNDescent(unit, metric="dot", n_neighbors=30, n_jobs=THREADS, random_state=0,
                                      low_memory=True)
        index.prepare()
        build = time.perf_counter() - t0
        mem = rss() - r0
        with open(file, "wb") as f:
            pickle.dump(index, f, protocol=5)
        settings = [("epsilon", e) for e in (0.0, 0.1, 0.2)]
        state = {}

        def setup(eps):
            state["eps"] = eps
            index.query(unit[:1], k=K + 1, epsilon=eps)  # numba compilation outside the timings

        def search(q):
            return index.query(q[None, :], k=K + 1, epsilon=state["eps"])[0][0].astype(np.int64)
    else:
        raise SystemExit(f"unknown library {lib}")
    result.update(build_s=build, rss_mib=mem / 2**20, file_mib=file.stat().st_size / 2**20)
    for name, value in settings:
        setup(value)
        _timed_queries(search, unit, queries[:50])  # warm-up
        found, times = _timed_queries(search, unit, queries)
        result["rows"].append({"param": f"{name}={value}", "p50_ms": _pct(times, 50), "p99_ms": _pct(times, 99),
                               "recall": _recall(found, truth), **_recall_bands(found, truth, a.n)})
    file.unlink()
    emit(result)


def child_wordvec_ann(a) -> None:
    """wordvec's own API: build_index, most_similar(index="ann"), save, load (mmap), query."""
    import shutil

    import wordvec

    vdir = out_dir(a.n) / "vectors"
    shutil.rmtree(vdir / "ann", ignore_errors=True)
    kv = wordvec.load(vdir)
    queries = np.load(out_dir(a.n) / "queries.npy")
    truth = np.load(out_dir(a.n) / "truth.npy")
    words = [kv.index_to_key[i] for i in queries]
    params = {"dtype": a.dtype} if a.dtype else {}
    r0 = rss()
    t0 = time.perf_counter()
    index = kv.build_index(threads=THREADS, **params)
    build = time.perf_counter() - t0
    mem = rss() - r0
    t0 = time.perf_counter()
    index.save(vdir)
    save_s = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in (vdir / "ann").iterdir())
    res = {"build_s": build, "rss_mib": mem / 2**20, "file_mib": size / 2**20, "save_s": save_s,
           "dtype": a.dtype or "f32", "rows": []}

    def run(kv, ef, label):
        kv.index.expansion_search = ef
        for w in words[:50]:
            kv.most_similar(w, index="ann")
        found, times = [], []
        for w in words:
            t0 = time.perf_counter()
            got = kv.most_similar(w, topn=K, index="ann")
            times.append(time.perf_counter() - t0)
            found.append(np.array([kv.key_to_index[x] for x, _ in got]))
        res["rows"].append({"param": f"{label} ef={ef}", "p50_ms": _pct(times, 50), "p99_ms": _pct(times, 99),
                            "recall": _recall(found, truth), **_recall_bands(found, truth, a.n)})

    for ef in a.ef:
        run(kv, ef, "built")
    del kv, index
    r1 = rss()
    t0 = time.perf_counter()
    loaded = wordvec.load(vdir)
    res["load_with_index_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    loaded.most_similar(words[0], index="ann")
    res["first_query_s"] = time.perf_counter() - t0  # opens the mmap and checks the fingerprint
    for ef in a.ef:
        run(loaded, ef, "loaded (mmap)")
    res["rss_loaded_mib"] = (rss() - r1) / 2**20
    emit(res)


def child_exact(a) -> None:
    """Exact wordvec vs gensim most_similar p50; most_similar_batch vs the per-key loop."""
    from wordvec.io import load

    kv = load(out_dir(a.n) / "vectors", mmap=False)
    kv.index = None
    queries = np.load(out_dir(a.n) / "queries.npy")
    words = [kv.index_to_key[i] for i in queries]
    kv.most_similar(words[0])
    res = {}
    t_loop = time.perf_counter()
    times = []
    loop = []
    for w in words:
        t0 = time.perf_counter()
        loop.append(kv.most_similar(w, topn=K, index="exact"))
        times.append(time.perf_counter() - t0)
    res["loop_s"] = time.perf_counter() - t_loop
    res["wordvec_p50_ms"], res["wordvec_p99_ms"] = _pct(times, 50), _pct(times, 99)
    res["exact_p50_by_size"] = {}  # where the automatic choice should switch to the index
    for size in (25_000, 50_000, 100_000, 200_000):
        if size < len(kv):
            times = []
            for w in words[:300]:
                t0 = time.perf_counter()
                kv.most_similar(w, topn=K, restrict_vocab=size, index="exact")
                times.append(time.perf_counter() - t0)
            res["exact_p50_by_size"][size] = _pct(times, 50)
    kv.most_similar_batch(words[:10])
    batch_runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        batch = kv.most_similar_batch(words, topn=K)
        batch_runs.append(time.perf_counter() - t0)
    res["batch_s"] = statistics.median(batch_runs)
    res["batch_same"] = sum([x for x, _ in b] == [x for x, _ in l] for b, l in zip(batch, loop)) / len(words)
    from gensim.models import KeyedVectors as GKV

    g = GKV(vector_size=kv.vector_size)
    g.add_vectors(kv.index_to_key, np.asarray(kv.vectors))
    g.most_similar(words[0])
    times = []
    for w in words:
        t0 = time.perf_counter()
        g.most_similar(w, topn=K)
        times.append(time.perf_counter() - t0)
    res["gensim_p50_ms"], res["gensim_p99_ms"] = _pct(times, 50), _pct(times, 99)
    emit(res)


def child_load(a) -> None:
    """Native load, and word2vec binary load against gensim, alternating."""
    import wordvec
    from wordvec.io import load_native, load_word2vec, save_word2vec

    vdir = out_dir(a.n) / "vectors"
    binfile = out_dir(a.n) / "vectors.bin"
    if not binfile.exists():
        save_word2vec(wordvec.load(vdir), binfile, binary=True)
    from gensim.models import KeyedVectors as GKV

    res = {"native_s": [], "native_no_index_s": [], "w2v_wordvec_s": [], "w2v_gensim_s": []}
    wordvec.load(vdir)
    for _ in range(5):
        t0 = time.perf_counter()
        wordvec.load(vdir)
        res["native_s"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        load_native(vdir)
        res["native_no_index_s"].append(time.perf_counter() - t0)
    for i in range(3):
        for system in (("wordvec", "gensim") if i % 2 == 0 else ("gensim", "wordvec")):
            t0 = time.perf_counter()
            if system == "wordvec":
                load_word2vec(binfile, binary=True)
            else:
                GKV.load_word2vec_format(str(binfile), binary=True)
            res[f"w2v_{system}_s"].append(time.perf_counter() - t0)
    emit({k: statistics.median(v) for k, v in res.items()} | {"runs": res})


# -------------------------------------------------------------------------------------- parent
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=400_000)
    ap.add_argument("--min-count", type=int, default=1)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--epochs", type=int, default=1, help="epochs of the vectors' training (1: a hard set, "
                    "many rare words barely moved from their random start; 5: the benchmark setting)")
    ap.add_argument("--libs", nargs="+", default=["usearch", "hnswlib", "faiss", "pynndescent"])
    ap.add_argument("--parts", nargs="+", default=["libs", "wordvec", "exact", "load"])
    ap.add_argument("--synthetic", action="store_true", help="clustered random vectors instead of training")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--lib", help=argparse.SUPPRESS)
    ap.add_argument("--dtype", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--M", type=int, default=32, help="HNSW edges per node (all libraries)")
    ap.add_argument("--efc", type=int, default=200, help="HNSW efConstruction")
    ap.add_argument("--ef", type=int, nargs="+", default=[64, 128, 256, 512], help="HNSW ef values to query at")
    ap.add_argument("--usearch-dtypes", nargs="+", default=["f32"])
    a = ap.parse_args()
    global EPOCHS
    EPOCHS = a.epochs
    if a.child:
        globals()[f"child_{a.child}"](a)
        return

    def child(name, *extra):
        res, peak = run_child([str(HERE), "--child", name, "--n", str(a.n), "--min-count", str(a.min_count),
                               "--queries", str(a.queries), "--epochs", str(a.epochs), "--M", str(a.M), "--efc", str(a.efc),
                               "--ef", *map(str, a.ef), *extra])
        res["peak_rss_mib"] = peak / 2**20
        return res

    d = out_dir(a.n)
    if not (d / "vectors" / "config.json").exists():
        r = child("synthetic" if a.synthetic else "train")
        print(f"vectors: trained in {r['seconds']:.1f} s, vocabulary {r['vocab']:,}, kept {r['kept']:,} "
              f"({r.get('phrases', 0):,} of them bigram phrase vectors)", flush=True)
    if not (d / "truth.npy").exists():
        child("truth")
    saved = d / "report.json"  # parts run separately add to the same report
    report = json.loads(saved.read_text()) if saved.exists() else {}
    report["n"] = a.n
    if "libs" in a.parts:
        report["libs"] = [x for x in report.get("libs", []) if x["lib"].split()[0] not in a.libs]
        for lib in a.libs:
            for dtype in (a.usearch_dtypes if lib == "usearch" else [None]):
                r = child("lib", "--lib", lib, *(["--dtype", dtype] if dtype else []))
                r["M"], r["efc"] = a.M, a.efc
                report["libs"].append(r)
                print(f"  {r['lib']}: build {r['build_s']:.1f} s, +{r['rss_mib']:.0f} MiB RSS, file "
                      f"{r['file_mib']:.0f} MiB; " + "; ".join(f"{x['param']} p50 {x['p50_ms']:.3f} ms "
                      f"recall {x['recall']:.3f}" for x in r["rows"]), flush=True)
    if "wordvec" in a.parts:
        r = child("wordvec_ann")  # leaves its (default, f32) index saved next to the vectors
        report["wordvec"] = [r]
        print("  wordvec ann: " + json.dumps(r), flush=True)
    if "exact" in a.parts:
        report["exact"] = child("exact")
        print("  exact: " + json.dumps(report["exact"]), flush=True)
    if "load" in a.parts:
        report["load"] = child("load")
        print("  load: " + json.dumps({k: v for k, v in report["load"].items() if k != "runs"}), flush=True)
    (d / "report.json").write_text(json.dumps(report, indent=1))
    print_table(report)


def _recalls(x: dict) -> str:
    if "recall_frequent" not in x:
        return f"{x['recall']:.3f}"
    return f"{x['recall']:.3f} ({x['recall_frequent']:.3f} / {x['recall_rare']:.3f}, {x['n_frequent']} frequent)"


def print_table(r: dict) -> None:
    print(f"\n{r['n']:,} x 100 vectors ({EPOCHS} training epoch{'s' if EPOCHS > 1 else ''}), 1,000 single queries, "
          "top 10, 2 build threads\n")
    print(f"| index | build s | RSS + MiB | file MiB | setting | p50 ms | p99 ms | recall@10: all (keys seen >= "
          f"{FREQUENT} times / fewer) |")
    print("|---|---:|---:|---:|---|---:|---:|---:|")
    for lib in r.get("libs", []):
        for i, x in enumerate(lib["rows"]):
            head = (f"{lib['lib']} {lib.get('version', '')} M={lib.get('M', 16)} | {lib['build_s']:.1f} | {lib['rss_mib']:.0f} | "
                    f"{lib['file_mib']:.0f}") if i == 0 else " | | |"
            print(f"| {head} | {x['param']} | {x['p50_ms']:.3f} | {x['p99_ms']:.3f} | {_recalls(x)} |")
    for w in r.get("wordvec", []):
        for i, x in enumerate(w["rows"]):
            head = (f"wordvec most_similar(index='ann'), {w['dtype']} | {w['build_s']:.1f} | {w['rss_mib']:.0f} | "
                    f"{w['file_mib']:.0f}") if i == 0 else " | | |"
            print(f"| {head} | {x['param']} | {x['p50_ms']:.3f} | {x['p99_ms']:.3f} | {_recalls(x)} |")
    if "exact" in r:
        e = r["exact"]
        print(f"| wordvec most_similar exact | — | — | — | — | {e['wordvec_p50_ms']:.3f} | {e['wordvec_p99_ms']:.3f} | 1 |")
        print(f"| gensim 4.4 most_similar | — | — | — | — | {e['gensim_p50_ms']:.3f} | {e['gensim_p99_ms']:.3f} | 1 |")
        print("exact most_similar p50 by vocabulary size (restrict_vocab): " + ", ".join(
            f"{int(k):,}: {v:.2f} ms" for k, v in e.get("exact_p50_by_size", {}).items()))
        print(f"\nmost_similar_batch on 1,000 keys: {e['batch_s']:.2f} s; per-key loop {e['loop_s']:.2f} s; "
              f"ratio {e['loop_s'] / e['batch_s']:.1f}x; same keys as the loop for {100 * e['batch_same']:.1f} % of queries")
    if "load" in r:
        lo = r["load"]
        print(f"native load (wordvec.load, mmap, index attached): {lo['native_s']:.3f} s; load_native alone "
              f"{lo['native_no_index_s']:.3f} s")
        print(f"word2vec binary load: wordvec {lo['w2v_wordvec_s']:.2f} s, gensim {lo['w2v_gensim_s']:.2f} s, "
              f"ratio {lo['w2v_gensim_s'] / lo['w2v_wordvec_s']:.2f}x")
    for w in r.get("wordvec", []):
        print(f"wordvec index {w['dtype']}: load with index {w['load_with_index_s']:.3f} s, first ANN query "
              f"(mmap + fingerprint) {w['first_query_s']:.3f} s, RSS after loading and 3,000 queries "
              f"+{w['rss_loaded_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
