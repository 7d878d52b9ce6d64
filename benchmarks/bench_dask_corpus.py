"""The corpus pass on a Dask cluster (issue 17, part A) beside the single-machine code, on this machine.

    python benchmarks/bench_dask_corpus.py [--steps english korean] [--lines N] [--workers 2]

english: the English benchmark corpus (running.txt.gz + dictionary.txt.gz as one plain file,
_common.benchmark_corpus), as bench_glove.py counts it: whitespace tokens, min_count 5, window 10
with 1/distance weighting, symmetric. Single machine (this process) against a LocalCluster of
``--workers`` worker processes, one thread each, over loopback: is the vocabulary identical (words,
counts, order: against scan_corpus and the co-occurrence builder's), is the co-occurrence matrix
identical (rows, columns, float32 bits of the values), and the wall times of both.

korean: the NSMC reviews (../shared/data/corpora/ko/nsmc_reviews.txt.gz, decompressed to a plain
file so it can be cut into ranges), tokenized by wordvec's Korean tokenizer (its defaults) in one
process (kiwi batches on one thread per core, as ``wordvec train --tokenizer korean`` does) and on
the cluster's worker processes (one kiwi thread each), with no token cache on either side: the wall
time of each, and whether the tokens are identical.

Numba and kiwi are warmed up on every process before the clocks start. ``--lines N`` uses the
first N lines of each corpus (a quick check of the script; its timings mean little).
Results: printed, and saved as benchmarks/out/dask_corpus.json.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import EN, SHARED, benchmark_corpus, workdir  # noqa: E402

REVIEWS = SHARED / "corpora" / "ko" / "nsmc_reviews.txt.gz"
COOCCUR = dict(window=10, distance_weighting=True, symmetric=True, min_count=5, tokenizer="whitespace")


def head(sources: list[Path], lines: int | None, out: Path) -> Path:
    """The first ``lines`` lines (all: None) of the gzip'ed ``sources``, in turn, as one plain file."""
    if out.exists():
        return out
    tmp = out.with_suffix(".tmp")
    n = 0
    with open(tmp, "w", encoding="utf-8") as dst:
        for src in sources:
            if not src.exists():
                sys.exit(f"corpus not found: {src} (set WORDVEC_SHARED_DATA to the shared data folder)")
            with gzip.open(src, "rt", encoding="utf-8") as fh:
                for line in fh:
                    if lines is not None and n >= lines:
                        break
                    dst.write(line)
                    n += 1
    tmp.replace(out)
    return out


def _warm_numba() -> None:
    from wordvec.cooccur import build_cooccurrence
    from wordvec.corpus.encode import scan_corpus
    from wordvec.distributed.cooccur import count_pairs, merge_slices

    build_cooccurrence([["warm", "up", "numba"]], min_count=1, progress=False)
    scan_corpus([["warm", "up"]], min_count=1)
    keys, vals = count_pairs(np.array([0, 1], np.int32), np.array([0, 2]), 2, window=2, distance_weighting=True,
                             symmetric=True, memory_mb=1)
    merge_slices(2, (keys, vals))


def _warm_kiwi() -> None:
    from wordvec.distributed.partitions import make_tokenizer, tokenizer_spec

    list(make_tokenizer(tokenizer_spec("korean")).tokenize_many(["워밍업 문장입니다"]))


def fit_target(path: Path, target: int, client) -> int:
    """``target`` bytes, or less for a small file: at least 4 partitions per worker, so that every
    worker has work until the end (and at least 64 KiB each)."""
    workers = max(len(client.nthreads()), 1)
    return max(min(target, -(-path.stat().st_size // (4 * workers))), 1 << 16)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b))


# --------------------------------------------------------------------------- English
def english(client, lines: int | None, target: int, memory: float) -> dict:
    from wordvec.config import CooccurrenceConfig
    from wordvec.cooccur import build_cooccurrence
    from wordvec.cooccur.builder import _count_words
    from wordvec.corpus import LineCorpus
    from wordvec.corpus.encode import scan_corpus
    from wordvec.distributed import build_cooccurrence_distributed, build_vocab, make_partitions

    path = benchmark_corpus(workdir()) if lines is None else head(
        [EN / "running.txt.gz", EN / "dictionary.txt.gz"], lines, workdir() / f"en_benchmark_head{lines}.txt")
    parts = make_partitions(path, fit_target(path, target, client))
    print(f"English: {path.name}, {path.stat().st_size / 2**20:.1f} MiB, {len(parts)} partitions", flush=True)

    t0 = time.perf_counter()
    single_vocab = _count_words(LineCorpus(path, "whitespace"), CooccurrenceConfig(min_count=5), lambda n: None)
    t_single_vocab = time.perf_counter() - t0
    t0 = time.perf_counter()
    dist_vocab = build_vocab(client, parts, tokenizer="whitespace", min_count=5, progress=False)
    t_dist_vocab = time.perf_counter() - t0
    scanned, _ = scan_corpus(LineCorpus(path, "whitespace"), min_count=5)
    vocab_same = all(v.index_to_key == dist_vocab.index_to_key and _same(np.asarray(v.counts), dist_vocab.counts)
                     and v.total_words == dist_vocab.total_words for v in (single_vocab, scanned))
    print(f"  vocabulary: {len(dist_vocab):,} words of {dist_vocab.n_types:,} types, {dist_vocab.total_words:,} "
          f"tokens; identical to single machine: {'yes' if vocab_same else 'NO'}; "
          f"{t_single_vocab:.1f} s here, {t_dist_vocab:.1f} s on the cluster", flush=True)

    t0 = time.perf_counter()
    single = build_cooccurrence(path, memory_mb=memory, progress=False, **COOCCUR)
    t_single = time.perf_counter() - t0
    t0 = time.perf_counter()
    dist = build_cooccurrence_distributed(client, parts, memory_mb=memory, progress=False, **COOCCUR)
    t_dist = time.perf_counter() - t0
    same = (single.keys == dist.keys and _same(single.rows, dist.rows) and _same(single.cols, dist.cols)
            and _same(single.values.view(np.uint32), dist.values.view(np.uint32)))
    differing = 0
    if not same and single.nnz == dist.nnz and _same(single.rows, dist.rows) and _same(single.cols, dist.cols):
        differing = int(np.count_nonzero(single.values != dist.values))
    print(f"  co-occurrence: {single.nnz:,} entries here, {dist.nnz:,} on the cluster; bit-identical: "
          f"{'yes' if same else f'NO ({differing:,} values differ)'}; {t_single:.1f} s here, {t_dist:.1f} s on "
          f"the cluster (vocabulary pass included)", flush=True)
    return {"file": path.name, "mib": path.stat().st_size / 2**20, "partitions": len(parts),
            "vocab_words": len(dist_vocab), "types": dist_vocab.n_types, "tokens": dist_vocab.total_words,
            "vocab_identical": vocab_same, "vocab_single_s": t_single_vocab, "vocab_cluster_s": t_dist_vocab,
            "nnz": single.nnz, "cooccurrence_identical": same, "values_differing": differing,
            "cooccur_single_s": t_single, "cooccur_cluster_s": t_dist,
            "spilled_runs_single": single.settings["spilled_runs"]}


# --------------------------------------------------------------------------- Korean
def tokens_text(partition, spec) -> str:
    """A task: the tokens of one partition as text (one sentence a line, tokens joined by spaces)."""
    from wordvec.distributed.partitions import read_partition

    return "".join(" ".join(s) + "\n" for s in read_partition(partition, spec, token_cache=False))


def korean(client, lines: int | None, target: int) -> dict:
    from wordvec.corpus.cache import CachedCorpus
    from wordvec.corpus.korean import KoreanTokenizer
    from wordvec.distributed import make_partitions
    from wordvec.distributed.cluster import submit_placed, worker_addresses
    from wordvec.distributed.partitions import tokenizer_spec

    name = "ko_reviews.txt" if lines is None else f"ko_reviews_head{lines}.txt"
    path = head([REVIEWS], lines, workdir() / name)
    parts = make_partitions(path, fit_target(path, target, client))
    print(f"Korean: {path.name}, {path.stat().st_size / 2**20:.1f} MiB, {len(parts)} partitions", flush=True)

    tok = KoreanTokenizer()
    _warm_kiwi()
    t0 = time.perf_counter()
    here = "".join(" ".join(s) + "\n" for s in CachedCorpus(path, tok, cache=False, progress=False))
    t_single = time.perf_counter() - t0
    print(f"  one process ({tok.kiwi.num_workers} kiwi threads): {t_single:.1f} s", flush=True)

    spec = tokenizer_spec("korean")
    workers = worker_addresses(client)
    # as tasks (not client.run), so that kiwi gets the worker's thread count, as the timed tasks will
    client.gather([client.submit(_warm_kiwi, workers=[w], pure=False) for w in workers])
    t0 = time.perf_counter()
    futures = [submit_placed(client, workers, i, tokens_text, p, spec) for i, p in enumerate(parts)]
    there = "".join(client.gather(futures))
    t_dist = time.perf_counter() - t0
    same = here == there
    n_sent, n_tok = here.count("\n"), len(here.split())
    print(f"  {len(workers)} worker processes (1 kiwi thread each): {t_dist:.1f} s; tokens identical: "
          f"{'yes' if same else 'NO'} ({n_sent:,} reviews, {n_tok:,} tokens)", flush=True)
    return {"file": path.name, "mib": path.stat().st_size / 2**20, "partitions": len(parts),
            "reviews": n_sent, "tokens": n_tok, "tokens_identical": same,
            "sha256": hashlib.sha256(here.encode("utf-8")).hexdigest(),
            "one_process_s": t_single, "one_process_kiwi_threads": tok.kiwi.num_workers,
            "cluster_s": t_dist, "cluster_workers": len(workers)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", nargs="+", default=["english", "korean"], choices=["english", "korean"])
    ap.add_argument("--lines", type=int, default=None, help="use the first N lines of each corpus")
    ap.add_argument("--workers", type=int, default=2, help="worker processes of the LocalCluster")
    ap.add_argument("--partition-mb", type=float, default=16.0,
                    help="size of a partition of a plain file, MiB (less for a small file: 4 per worker at least)")
    ap.add_argument("--memory", type=float, default=1024.0, help="co-occurrence memory cap per task, MiB")
    a = ap.parse_args()
    from wordvec.distributed import connect

    target = max(int(a.partition_mb * 2**20), 1)
    _warm_numba()
    results: dict = {"workers": a.workers, "lines": a.lines, "partition_mb": a.partition_mb}
    with connect(f"local:{a.workers}") as client:
        client.run(_warm_numba)
        if "english" in a.steps:
            results["english"] = english(client, a.lines, target, a.memory)
        if "korean" in a.steps:
            results["korean"] = korean(client, a.lines, target)
    out = workdir() / "dask_corpus.json"
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
