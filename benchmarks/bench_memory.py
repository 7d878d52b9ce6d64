"""Peak RSS of training, wordvec vs gensim 4.4, on the benchmark corpus and on the corpus doubled.

    python benchmarks/bench_memory.py [--runs w2v w2v_x2 w2v_x2_mc10 ft] [--epochs 1] [--in-memory]

Issue 14, item 3: memory flat in corpus length. Each run is its own process; its peak RSS is
the kernel's high-water mark (``VmHWM`` in /proc/self/status, read by the child at the end, and
``ru_maxrss`` from ``wait4`` as a check). Settings as bench_word2vec.py / bench_fasttext.py
(vector_size 100, window 5, negative 5, sample 1e-3, min_count 5, workers 2; FastText n-grams
3-6, bucket 2,000,000), one epoch (memory does not depend on the epochs), gensim in
``corpus_file`` mode. The doubled corpus is the benchmark file written twice in a row, once,
under benchmarks/out/; with min_count 5 its vocabulary is larger (words seen 3 or 4 times
reach 6 or 8), so ``w2v_x2_mc10`` trains it at min_count 10: exactly the single corpus's
vocabulary, every count doubled. ``--in-memory`` adds wordvec runs with the encoded corpus held in memory
(the path before issue 14: ``SPILL_TOKENS = None``), for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import benchmark_corpus, run_child, workdir  # noqa: E402

PARAMS = dict(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, workers=2, min_alpha=0.0001)
FASTTEXT = dict(min_n=3, max_n=6, bucket=2_000_000)


def _status() -> dict:
    """VmHWM, VmRSS, RssAnon, RssFile of this process in MiB (Linux)."""
    out = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                out[key] = int(rest.split()[0]) / 1024
    return out


def child(system: str, model: str, corpus: str, epochs: int, in_memory: bool, min_count: int) -> None:
    params = dict(PARAMS, epochs=epochs, min_count=min_count, **(FASTTEXT if model == "fasttext" else {}))
    if system == "wordvec":
        from wordvec.corpus import encode
        from wordvec.models.fasttext import FastText
        from wordvec.models.word2vec import Word2Vec

        if in_memory:
            encode.SPILL_TOKENS = None
        cls = FastText if model == "fasttext" else Word2Vec
        cls(min_count=1, epochs=1, workers=1, progress=False,  # numba cache warm-up, as bench_word2vec.py
            **({"bucket": 10} if model == "fasttext" else {})).fit([["a", "b", "c"]])
        before = _status()
        t0 = time.perf_counter()
        m = cls(architecture="skipgram", tokenizer="whitespace", progress=False, seed=1, **params).fit(corpus)
        seconds = time.perf_counter() - t0
        vocab, words = len(m.wv), m.corpus_stats_["total_words"]
    else:
        from gensim.models import FastText as GF
        from gensim.models import Word2Vec as GW

        cls = GF if model == "fasttext" else GW
        before = _status()
        t0 = time.perf_counter()
        m = cls(sg=1, hs=0, seed=1, **params)
        m.build_vocab(corpus_file=corpus)
        m.train(corpus_file=corpus, total_examples=m.corpus_count, total_words=m.corpus_total_words,
                epochs=epochs)
        seconds = time.perf_counter() - t0
        vocab, words = len(m.wv.index_to_key), m.corpus_total_words
    after = _status()
    print(json.dumps({"seconds": seconds, "vocab": vocab, "total_words": int(words),
                      "start_rss": before["VmRSS"], **after}))


def doubled(corpus: Path) -> Path:
    out = corpus.with_name(corpus.stem + "_x2.txt")
    if not out.exists() or out.stat().st_size != 2 * corpus.stat().st_size:
        tmp = out.with_suffix(".tmp")
        with open(tmp, "wb") as dst:
            for _ in range(2):
                with open(corpus, "rb") as src:
                    shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(tmp, out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--child", nargs=4, metavar=("SYSTEM", "MODEL", "CORPUS", "MODE"), help=argparse.SUPPRESS)
    ap.add_argument("--runs", nargs="+", default=["w2v", "w2v_x2", "w2v_x2_mc10", "ft"],
                    choices=["w2v", "w2v_x2", "w2v_x2_mc10", "ft"])
    ap.add_argument("--min-count", type=int, default=5, help=argparse.SUPPRESS)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--in-memory", action="store_true", help="also wordvec with the corpus held in memory")
    ap.add_argument("--systems", nargs="+", default=["wordvec", "gensim"])
    a = ap.parse_args()
    if a.child:
        system, model, corpus, mode = a.child
        child(system, model, corpus, a.epochs, mode == "memory", a.min_count)
        return
    single = benchmark_corpus(workdir())
    corpora = {"w2v": ("word2vec", single, 5), "ft": ("fasttext", single, 5)}
    if "w2v_x2" in a.runs or "w2v_x2_mc10" in a.runs:
        corpora["w2v_x2"] = ("word2vec", doubled(single), 5)
        corpora["w2v_x2_mc10"] = ("word2vec", doubled(single), 10)
    rows = []
    for run in a.runs:
        model, corpus, min_count = corpora[run]
        systems = [(s, "stream") for s in a.systems]
        if a.in_memory and "wordvec" in a.systems:
            systems.append(("wordvec", "memory"))
        for system, mode in systems:
            res, rss = run_child([__file__, "--epochs", str(a.epochs), "--min-count", str(min_count),
                                  "--child", system, model, str(corpus), mode])
            label = f"{system} {model}" + (f", min_count {min_count}" if min_count != 5 else "") + (
                " (corpus in memory)" if mode == "memory" else "")
            row = {"run": run, "label": label, "system": system, "mode": mode, "corpus": corpus.name,
                   "maxrss_mib": rss / 2**20, **res}
            rows.append(row)
            print(f"  {run:7s} {label:40s} {res['total_words']:>12,} tokens  vocab {res['vocab']:>7,}  "
                  f"{res['seconds']:6.1f} s  peak RSS {res['VmHWM']:6.0f} MiB (start {res['start_rss']:.0f}, "
                  f"end anon {res['RssAnon']:.0f} + file {res['RssFile']:.0f})", flush=True)
    print("\n| corpus | system | tokens | vocab | train s | peak RSS | wordvec ÷ gensim |")
    print("|---|---|---:|---:|---:|---:|---:|")
    gensim = {r["run"]: r["VmHWM"] for r in rows if r["system"] == "gensim"}
    for r in rows:
        ratio = f"{r['VmHWM'] / gensim[r['run']]:.2f}" if r["system"] == "wordvec" and r["run"] in gensim else "—"
        print(f"| {r['corpus']} | {r['label']} | {r['total_words']:,} | {r['vocab']:,} | {r['seconds']:.1f} | "
              f"{r['VmHWM']:.0f} MiB | {ratio} |")
    by = {(r["run"], r["system"], r["mode"]): r["VmHWM"] for r in rows}
    for system in a.systems:
        one = by.get(("w2v", system, "stream"))
        for run in ("w2v_x2", "w2v_x2_mc10"):
            two = by.get((run, system, "stream"))
            if one and two:
                print(f"{system}: {run} -> peak RSS x {two / one:.3f} ({two - one:+.0f} MiB)")
    (workdir() / "memory_results.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
