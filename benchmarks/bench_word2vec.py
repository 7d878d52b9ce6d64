"""wordvec Word2Vec vs gensim 4.4 on the English benchmark corpus, side by side, in one run.

    python benchmarks/bench_word2vec.py [--arch skipgram cbow] [--repeats 1] [--loss negative|hs]

Settings (../shared/BENCHMARKS.md): vector_size 100, window 5, negative 5, sample 1e-3,
min_count 5, epochs 5, workers 2, each system's default learning rate (gensim 0.025, wordvec 0.05)
linearly decayed, or ``--alpha`` for both. The systems alternate
(A B A B ...); each training runs in its own process, so its peak RSS is its own. Time =
vocabulary scan + training (start-up and saving excluded); words/s = raw corpus tokens x
epochs / time. Quality: Google analogies (restrict_vocab 30,000), WS353, SimLex-999, all
computed by wordvec.evaluate on both systems' vectors.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import HERE, benchmark_corpus, run_child, tmpdir, workdir  # noqa: E402


def quality(prefix: str) -> dict:
    from wordvec.evaluate import evaluate_analogies, evaluate_similarity
    from wordvec.vectors import KeyedVectors

    keys = Path(prefix + ".keys").read_text(encoding="utf-8").splitlines()
    kv = KeyedVectors(keys, np.load(prefix + ".npy"))
    an = evaluate_analogies(kv, "google", restrict_vocab=30000)
    ws = evaluate_similarity(kv, "wordsim353")
    sl = evaluate_similarity(kv, "simlex999")
    return {"analogy": an.accuracy, "analogy_semantic": an.semantic.accuracy,
            "analogy_syntactic": an.syntactic.accuracy, "analogy_oov": an.skipped,
            "ws353": ws.spearman, "simlex": sl.spearman, "ws353_oov": ws.pairs_skipped,
            "simlex_oov": sl.pairs_skipped}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--arch", nargs="+", default=["skipgram", "cbow"], choices=["skipgram", "cbow"])
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--systems", nargs="+", default=["wordvec", "gensim"])
    ap.add_argument("--alpha", type=float, default=None, help="learning rate for both systems (default: each one's own)")
    ap.add_argument("--loss", choices=["negative", "hs"], default="negative",
                    help="hs: hierarchical softmax instead of negative sampling, in both systems")
    a = ap.parse_args()
    corpus = benchmark_corpus(workdir())
    all_runs = {}
    for arch in a.arch:
        runs = all_runs[arch] = {s: [] for s in a.systems}
        for r in range(a.repeats):
            order = a.systems if r % 2 == 0 else a.systems[::-1]
            for system in order:
                prefix = str(tmpdir(f"{system}-{arch}-") / "vectors")
                res, rss = run_child([str(HERE / "_train_w2v.py"), system, arch, str(corpus), prefix,
                                      "--workers", str(a.workers), "--epochs", str(a.epochs)]
                                     + ([] if a.alpha is None else ["--alpha", str(a.alpha)])
                                     + ["--loss", a.loss])
                res.update(rss=rss, prefix=prefix)
                print(f"  {arch:8s} {system:8s} run {r + 1}: {res['seconds']:.1f} s, "
                      f"peak RSS {rss / 2**20:.0f} MiB", flush=True)
                runs[system].append(res)
    rows = []
    for arch, runs in all_runs.items():
        for system in a.systems:
            secs = statistics.median(x["seconds"] for x in runs[system])
            best = min(runs[system], key=lambda x: abs(x["seconds"] - secs))
            q = quality(best["prefix"])
            rows.append({"arch": arch, "system": system, "seconds": secs, "runs": [x["seconds"] for x in runs[system]],
                         "words_per_s": best["total_words"] * a.epochs / secs,
                         "rss_mib": max(x["rss"] for x in runs[system]) / 2**20, "vocab": best["vocab"], **q})
    print()
    print(f"| arch | system | train s | words/s | peak RSS | vocab | analogy | WS353 | SimLex |")
    print(f"|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for x in rows:
        print(f"| {x['arch']} | {x['system']} | {x['seconds']:.1f} | {x['words_per_s'] / 1000:.0f}k | "
              f"{x['rss_mib']:.0f} MiB | {x['vocab']:,} | {100 * x['analogy']:.1f} % | {x['ws353']:.3f} | "
              f"{x['simlex']:.3f} |")
    print()
    for arch in a.arch:
        by = {x["system"]: x for x in rows if x["arch"] == arch}
        if "wordvec" in by and "gensim" in by:
            w, g = by["wordvec"], by["gensim"]
            print(f"{arch}: speed gensim/wordvec time = {g['seconds'] / w['seconds']:.2f}x; "
                  f"analogy {100 * (w['analogy'] - g['analogy']):+.1f} points; "
                  f"WS353 {w['ws353'] - g['ws353']:+.3f}; SimLex {w['simlex'] - g['simlex']:+.3f}; "
                  f"peak RSS {w['rss_mib']:.0f} vs {g['rss_mib']:.0f} MiB")
    (workdir() / f"word2vec_results{'_hs' if a.loss == 'hs' else ''}.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
