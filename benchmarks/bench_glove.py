"""wordvec GloVe and PPMI+SVD on the English benchmark corpus, beside Stanford GloVe's figures.

    python benchmarks/bench_glove.py [--models glove glove-in-memory ppmi-svd] [--sample 0.02]

Settings (../shared/BENCHMARKS.md): vector_size 100, window 10 (1/distance, symmetric),
min_count 5, GloVe x_max 10, weight_exponent 0.75, 15 epochs, learning rate 0.05, workers 2. Three
child processes, each with its own peak RSS: the co-occurrence count (saved to an .npz,
like Stanford's vocab_count + cooccur + shuffle), GloVe training on that matrix, PPMI+SVD on
it. Quality: Google analogies (restrict_vocab 30,000), WS353, SimLex-999 (wordvec.evaluate).
``--sample F`` uses about a fraction F of the corpus lines, to check the script quickly
(its quality figures mean nothing).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import EN, benchmark_corpus, run_child, tmpdir, workdir  # noqa: E402

CORPUS_LINES = 1_027_351
# Stanford GloVe C on the same corpus and machine kind (BENCHMARKS.md): vocab_count 2.6 s,
# cooccur 26.6 s, shuffle 22.4 s (51.6 s in all, 1.27 GB peak), glove 824.2 s (15 epochs).
STANFORD = {"cooccur_s": 51.6, "cooccur_rss_gb": 1.27, "train_s": 824.2,
            "analogy": 0.217, "ws353": 0.487, "simlex": 0.266}


# ------------------------------------------------------------------ children
def child(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=["cooccur", "glove", "glove-in-memory", "ppmi-svd"])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--memory", type=float, default=1024.0)
    a = ap.parse_args(argv)
    if a.stage == "cooccur":
        from wordvec.cooccur import build_cooccurrence

        build_cooccurrence([["warm", "up", "numba"]], min_count=1, progress=False)  # compile outside the timing
        t0 = time.perf_counter()
        m = build_cooccurrence(a.src, window=10, min_count=5, memory_mb=a.memory, tokenizer="whitespace",
                               progress=False)
        seconds = time.perf_counter() - t0
        m.save(a.out)
        print(json.dumps({"seconds": seconds, "nnz": m.nnz, "vocab": len(m.keys),
                          "total_words": m.settings["total_words"], "runs": m.settings["spilled_runs"]}))
        return
    from wordvec.cooccur import Cooccurrence

    if a.stage in ("glove", "glove-in-memory"):
        import wordvec.models.glove as glove_module
        from wordvec.models.glove import GloVe

        GloVe(8, epochs=1, min_count=1, workers=1, progress=False).fit([["warm", "up", "numba"]])
        source = a.src
        if a.stage == "glove-in-memory":  # the path before issue 14: the whole matrix and its shuffle in memory
            glove_module.STREAM_ENTRIES = 1 << 62
            source = Cooccurrence.load(a.src)
        # glove: from the file's path, as `wordvec train --model glove matrix.npz` does: the entries
        # are read a chunk at a time and shuffled to a temporary file (bounded memory)
        t0 = time.perf_counter()
        m = GloVe(100, x_max=10, weight_exponent=0.75, epochs=a.epochs, learning_rate=0.05, workers=a.workers, seed=1,
                  progress=False).fit_cooccurrence(source)
        extra = {"losses": m.loss_history_}
    else:
        from wordvec.models.ppmi_svd import PPMISVD

        matrix = Cooccurrence.load(a.src)
        t0 = time.perf_counter()
        m = PPMISVD(100, cds=0.75, eig=0.5, progress=False).fit_cooccurrence(matrix)
        extra = {"ppmi_entries": m.ppmi_entries_}
    seconds = time.perf_counter() - t0
    np.save(a.out + ".npy", np.asarray(m.wv.vectors))
    Path(a.out + ".keys").write_text("\n".join(m.wv.index_to_key) + "\n", encoding="utf-8")
    print(json.dumps({"seconds": seconds, **extra}))


# ------------------------------------------------------------------ parent
def quality(prefix: str) -> dict:
    from wordvec.evaluate import evaluate_analogies, evaluate_similarity
    from wordvec.vectors import KeyedVectors

    keys = Path(prefix + ".keys").read_text(encoding="utf-8").splitlines()
    kv = KeyedVectors(keys, np.load(prefix + ".npy"))
    an = evaluate_analogies(kv, "google", restrict_vocab=30000)
    ws = evaluate_similarity(kv, "wordsim353")
    sl = evaluate_similarity(kv, "simlex999")
    return {"analogy": an.accuracy, "analogy_oov": an.skipped, "ws353": ws.spearman, "simlex": sl.spearman}


def sample_corpus(fraction: float, out: Path) -> Path:
    """The first fraction of lines of running.txt.gz and of dictionary.txt.gz, as one file."""
    per_file = max(int(fraction * CORPUS_LINES / 2), 1)
    with open(out, "w", encoding="utf-8") as dst:
        for name in ("running.txt.gz", "dictionary.txt.gz"):
            with gzip.open(EN / name, "rt", encoding="utf-8") as src:
                for i, line in enumerate(src):
                    if i >= per_file:
                        break
                    dst.write(line)
    return out


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        return child(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", nargs="+", default=["glove", "ppmi-svd"],
                    choices=["glove", "glove-in-memory", "ppmi-svd"],
                    help="glove-in-memory: GloVe with every entry in memory (the path before streaming)")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory", type=float, default=640.0,
                    help="co-occurrence memory cap, MiB (the process adds ~300 MiB: Python, numba, vocabulary)")
    ap.add_argument("--sample", type=float, default=None, help="use about this fraction of the corpus lines")
    a = ap.parse_args()
    out = tmpdir("glove-")
    corpus = sample_corpus(a.sample, out / "sample.txt") if a.sample else benchmark_corpus(workdir())
    me = str(Path(__file__).resolve())
    matrix = str(out / "cooccurrence.npz")
    co, co_rss = run_child([me, "--child", "cooccur", str(corpus), matrix, "--memory", str(a.memory)])
    print(f"  co-occurrence: {co['seconds']:.1f} s, peak RSS {co_rss / 2**20:.0f} MiB, {co['vocab']:,} words, "
          f"{co['nnz']:,} entries, {co['runs']} spilled runs", flush=True)
    rows = []
    for model in a.models:
        prefix = str(out / model)
        res, rss = run_child([me, "--child", model, matrix, prefix, "--workers", str(a.workers),
                              "--epochs", str(a.epochs)])
        print(f"  {model}: {res['seconds']:.1f} s, peak RSS {rss / 2**20:.0f} MiB", flush=True)
        if "losses" in res:
            print("    loss per epoch: " + ", ".join(f"{x:.4g}" for x in res["losses"]), flush=True)
        rows.append({"model": model, "seconds": res["seconds"], "rss_mib": rss / 2**20, **quality(prefix)})
    print()
    if a.sample:
        print(f"(sample of {a.sample:.3%} of the lines: timings and quality are not comparable to Stanford's)")
    print("| system | co-occur s | co-occur RSS | train s | train RSS | analogy | WS353 | SimLex |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    s = STANFORD
    print(f"| Stanford GloVe C (count + cooccur + shuffle; glove) | {s['cooccur_s']:.1f} | "
          f"{s['cooccur_rss_gb'] * 1000:.0f} MB | {s['train_s']:.1f} | — | {100 * s['analogy']:.1f} % | "
          f"{s['ws353']:.3f} | {s['simlex']:.3f} |")
    for r in rows:
        print(f"| wordvec {r['model']} | {co['seconds']:.1f} | {co_rss / 1e6:.0f} MB | {r['seconds']:.1f} | "
              f"{r['rss_mib'] * 2**20 / 1e6:.0f} MB | {100 * r['analogy']:.1f} % | {r['ws353']:.3f} | "
              f"{r['simlex']:.3f} |")
    print()
    print(json.dumps({"cooccurrence": {**co, "rss": co_rss}, "models": rows}))


if __name__ == "__main__":
    main()
