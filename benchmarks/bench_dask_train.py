"""Data-parallel Word2Vec/FastText on a Dask cluster (issue 17, part B): quality and a scaling model.

    python benchmarks/bench_dask_train.py [--model word2vec] [--lines N] [--workers 2 4]
                                          [--sync-words 0 250000] [--combine momentum-counted momentum mean sum]
                                          [--epochs 5] [--dim 100] [--bucket N]

Corpus: the English benchmark corpus (running.txt.gz + dictionary.txt.gz as one plain file,
_common.benchmark_corpus), or its first ``--lines`` lines (a quick check of the script; its
figures mean little). Settings: skip-gram, negative sampling, window 5, min_count 5, whitespace
tokens, ``--epochs``, ``--seed`` (1). ``--workers`` with no value runs the single machine alone.

Runs: single-machine training (``workers=--threads``, Hogwild), then for every number of workers
in ``--workers``, every period in ``--sync-words`` and every combination rule in ``--combine``
(``momentum``: the block momentum that ``fit(client=)`` uses; ``mean``: the word-weighted row
average; ``sum``: every delta added; see wordvec.distributed.rounds; a period of 0 is the default,
an epoch's tokens / 64) a LocalCluster of that many worker processes (one thread each,
loopback) and ``fit(..., client=, sync_words=)``. Each model is scored with
``wordvec.evaluate.evaluate_all`` (Google analogies over the 30,000 most frequent words,
WordSim-353 and SimLex-999 Spearman) and the table prints the differences from single-machine
training (the issue's bar: within 1 analogy point and 0.02 Spearman).

Scaling model, from each cluster run's measurements (``training_stats_["distributed"]``):
``C`` = worker seconds to train one round's tokens (summed over groups: one machine would need C
per round), ``B`` = bytes one machine exchanges per round (the broadcast matrices down, its
sparse deltas up), ``K`` = client seconds per group per round to average. With M machines on a
star (every byte through the client's link of ``--gbit`` Gbit/s, as the driver does now):
``T(M) = C / M + M * B / link + M * K``, and the projected speed-up is ``C / T(M)``; printed for
``--project`` machines (8, 32, 128), with ``sync_words`` scaled so that each machine trains the
same tokens per round as in the measurement.

Results: printed, and saved as benchmarks/out/dask_train.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import EN, benchmark_corpus, workdir  # noqa: E402
from bench_dask_corpus import head  # noqa: E402


def score(wv) -> dict:
    """Google analogy accuracy (top 30,000 words), WordSim-353 and SimLex-999 Spearman."""
    from wordvec.evaluate import evaluate_all

    report = evaluate_all(wv)
    return {"analogy": report.analogies.overall.accuracy, "wordsim353": report.wordsim353.spearman,
            "simlex999": report.simlex999.spearman}


def fit(args, corpus: Path, client=None, sync_words=None, combine="mean") -> tuple[object, float]:
    from wordvec import FastText, Word2Vec
    from wordvec.models._remote import fit_on_cluster

    cls = FastText if args.model == "fasttext" else Word2Vec
    extra = {"bucket": args.bucket} if args.model == "fasttext" and args.bucket else {}
    model = cls(vector_size=args.dim, window=5, min_count=5, epochs=args.epochs, seed=args.seed, workers=args.threads,
                tokenizer="whitespace", progress=False, **extra)
    t0 = time.perf_counter()
    if client is None:
        model.fit(str(corpus))
    else:  # fit(client=) with the combination rule chosen
        fit_on_cluster(model, str(corpus), client, sync_words=sync_words, combine=combine,
                       ngram_momentum=args.ngram_momentum)
    return model, time.perf_counter() - t0


def projection(d: dict, machines: int, gbit: float) -> dict:
    rounds = max(d["rounds"], 1)
    c = d["seconds_compute"] / rounds  # one machine's seconds for one round's tokens
    b = (d["bytes_broadcast"] / max(d["workers"], 1) + d["bytes_gathered"] / max(d["groups"], 1)) / rounds
    k = d["seconds_combine"] / rounds / max(d["groups"], 1)
    link = gbit * 1e9 / 8
    # Each of M machines trains the measured per-group tokens: C grows with M, compute per machine stays.
    c_m = c / d["groups"] * machines
    t = c_m / machines + machines * b / link + machines * k
    return {"machines": machines, "compute_s": c_m / machines, "network_s": machines * b / link,
            "combine_s": machines * k, "speedup": c_m / t}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", choices=["word2vec", "fasttext"], default="word2vec")
    ap.add_argument("--lines", type=int, default=None)
    ap.add_argument("--workers", type=int, nargs="*", default=[2, 4])
    ap.add_argument("--sync-words", type=int, nargs="+", default=[0],
                    help="periods to measure, tokens (0: the default, an epoch's tokens / 64; FastText / (64 x workers))")
    from wordvec.distributed.rounds import COMBINE_RULES

    ap.add_argument("--combine", nargs="+", choices=COMBINE_RULES,
                    default=["momentum-counted"])
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--bucket", type=int, default=None,
                    help="FastText's n-gram buckets (default: FastText's 2,000,000; every round ships the matrices)")
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2, help="single-machine threads")
    ap.add_argument("--gbit", type=float, default=10.0)
    ap.add_argument("--base", type=float, nargs=3, metavar=("ANALOGY", "WS353", "SIMLEX"), default=None,
                    help="single-machine scores measured before (skips that run; analogy as a fraction)")
    ap.add_argument("--project", type=int, nargs="+", default=[8, 32, 128])
    ap.add_argument("--seed", type=int, default=1, help="seed of every run")
    ap.add_argument("--ngram-momentum", type=float, default=None,
                    help="FastText: block momentum of the n-gram rows (default: the library's, 1 - 2/G)")
    args = ap.parse_args()
    from wordvec.distributed import connect

    out_dir = workdir()
    if args.lines is None:
        corpus = benchmark_corpus(out_dir)
    else:
        corpus = head([EN / "running.txt.gz", EN / "dictionary.txt.gz"], args.lines,
                      out_dir / f"en_head_{args.lines}.txt")
    rows = []
    if args.base:
        seconds = 0.0
        base = {"run": "single (given)", "workers": args.threads, "sync_words": None, "seconds": 0.0,
                "analogy": args.base[0], "wordsim353": args.base[1], "simlex999": args.base[2]}
    else:
        model, seconds = fit(args, corpus)
        base = {"run": "single machine", "workers": args.threads, "sync_words": None, "seconds": seconds,
                "words_per_second": model.training_stats_["words_per_second"], **score(model.wv)}
    rows.append(base)
    print(f"single machine ({args.threads} threads): {seconds:.1f} s, {base}", flush=True)
    for n in args.workers:  # --workers with no value: the single-machine run only
        with connect(f"local:{n}") as client:
            for sync, combine in [(s, c) for s in args.sync_words for c in args.combine]:
                from wordvec.exceptions import TrainingDivergedError

                try:
                    model, seconds = fit(args, corpus, client, sync or None, combine)
                except TrainingDivergedError as exc:
                    print(f"{n} workers, sync {sync or 'default'}, {combine}: diverged ({exc})", flush=True)
                    continue
                d = model.training_stats_["distributed"]
                label = combine if args.ngram_momentum is None else f"{combine}, n-gram momentum {args.ngram_momentum}"
                row = {"run": f"cluster, {label}", "workers": n, "sync_words": sync, "seconds": seconds,
                       "words_per_second": model.training_stats_["words_per_second"], **score(model.wv),
                       "distributed": d,
                       "projection": [projection(d, m, args.gbit) for m in args.project]}
                rows.append(row)
                row["sync_words"] = d["sync_words"]
                print(f"{n} workers, sync {d['sync_words']:,}, {combine}: {seconds:.1f} s, {d['rounds']} rounds",
                      flush=True)
    print()
    print(f"{'run':<18}{'workers':>8}{'sync_words':>12}{'seconds':>9}{'analogy':>9}{'d.an':>7}"
          f"{'WS353':>8}{'d.ws':>7}{'SL999':>8}{'d.sl':>7}")
    for r in rows:
        print(f"{r['run']:<18}{r['workers']:>8}{r['sync_words'] or '-':>12}{r['seconds']:>9.1f}"
              f"{100 * r['analogy']:>9.2f}{100 * (r['analogy'] - base['analogy']):>7.2f}"
              f"{r['wordsim353']:>8.3f}{r['wordsim353'] - base['wordsim353']:>7.3f}"
              f"{r['simlex999']:>8.3f}{r['simlex999'] - base['simlex999']:>7.3f}")
    print()
    print(f"scaling model ({args.gbit:g} Gbit/s star through the client):")
    for r in rows[1:]:
        d = r["distributed"]
        rounds = max(d["rounds"], 1)
        print(f"  measured on {r['workers']} workers, sync {r['sync_words']:,} ({r['run']}): "
              f"{d['bytes_broadcast'] / rounds / max(d['workers'], 1) / 1e6:.1f} MB down and "
              f"{d['bytes_gathered'] / rounds / max(d['groups'], 1) / 1e6:.1f} MB up per machine per round, "
              f"{d['seconds_compute'] / rounds:.2f} worker-s compute per round, "
              f"{d['seconds_combine'] / rounds:.3f} s client averaging per round")
        print("    " + ", ".join(f"{p['machines']} machines: x{p['speedup']:.1f} "
                                  f"(compute {p['compute_s']:.2f} s, network {p['network_s']:.2f} s, "
                                  f"combine {p['combine_s']:.2f} s)" for p in r["projection"]))
    (out_dir / "dask_train.json").write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
