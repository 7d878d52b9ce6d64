"""Phrases: time and peak memory of wordvec vs gensim 4.4's ``Phrases``, and the phrases each finds.

    python benchmarks/bench_phrases.py [--lines N] [--caps 40000000 2000000] [--connectors english]
                                       [--min-count 5] [--threshold 10] [--scoring default]

Issue 15, item 2. The English benchmark corpus (running.txt.gz + dictionary.txt.gz, 17.7M tokens,
already tokenized: both systems split lines on whitespace) or its first ``--lines`` lines. For
each cap in ``--caps`` (``max_vocab_size``, gensim's default 40M first), each system runs in its
own process: gensim ``Phrases(LineSentence(path), ...)`` then ``freeze()`` (its export of the
phrasegrams, timed apart), wordvec ``Phrases(...).fit(path, tokenizer="whitespace")`` (counting
and scoring; ``freeze()`` is free). Peak RSS is the child's ``ru_maxrss``; the RSS after imports
is subtracted to show what counting itself took. Then the phrase sets are compared: how many
each found, how many both found, and the largest score difference on those.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import benchmark_corpus, run_child, workdir  # noqa: E402

ENGLISH_CONNECTORS = "a an the for of with without at from to in on by and or".split()


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(system: str, corpus: str, out: str, cap: int, connectors: bool, min_count: int, threshold: float,
          scoring: str) -> None:
    conn = frozenset(ENGLISH_CONNECTORS) if connectors else frozenset()
    if system == "gensim":
        from gensim.models.phrases import Phrases
        from gensim.models.word2vec import LineSentence

        start_rss = _rss_mib()
        t0 = time.perf_counter()
        model = Phrases(LineSentence(corpus), min_count=min_count, threshold=threshold, max_vocab_size=cap,
                        connector_words=conn, scoring=scoring)
        t1 = time.perf_counter()
        phrases = model.freeze().phrasegrams
        t2 = time.perf_counter()
        entries = len(model.vocab)
    else:
        from wordvec.corpus.phrases import Phrases
        import wordvec._kernels.phrases  # noqa: F401  (numba compiled or loaded from its cache before timing)

        Phrases(min_count=1, threshold=1.0, progress=False).fit([["a", "b"], ["a", "b"]])  # warm the kernels
        start_rss = _rss_mib()
        t0 = time.perf_counter()
        model = Phrases(min_count=min_count, threshold=threshold, max_vocab_size=cap, connector_words=conn,
                        scoring=scoring, progress=False).fit(corpus, tokenizer="whitespace")
        t1 = time.perf_counter()
        phrases = model.export_phrases()
        t2 = time.perf_counter()
        entries = model.counts_.len_vocab
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(phrases, fh)
    print(json.dumps({"count_s": t1 - t0, "freeze_s": t2 - t1, "phrases": len(phrases), "entries": entries,
                      "start_rss_mib": start_rss,
                      "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def slice_corpus(lines: int | None) -> Path:
    full = benchmark_corpus(workdir())
    if not lines:
        return full
    out = workdir() / f"en_benchmark_{lines}.txt"
    if not out.exists():
        with open(full, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= lines:
                    break
                dst.write(line)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=None, help="first N lines only (default: the whole corpus)")
    parser.add_argument("--caps", type=int, nargs="+", default=[40_000_000, 2_000_000])
    parser.add_argument("--connectors", choices=["english", "none"], default="english")
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=10.0)
    parser.add_argument("--scoring", choices=["default", "npmi"], default="default")
    parser.add_argument("--child", nargs=2, metavar=("SYSTEM", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--cap", type=int, help=argparse.SUPPRESS)
    a = parser.parse_args()
    if a.child:
        child(a.child[0], a.corpus, a.child[1], a.cap, a.connectors == "english", a.min_count, a.threshold,
              a.scoring)
        return
    corpus = slice_corpus(a.lines)
    print(f"corpus {corpus} ({os.path.getsize(corpus) / 2**20:.0f} MiB), connectors {a.connectors}, "
          f"min_count {a.min_count}, threshold {a.threshold:g}, scoring {a.scoring}")
    rows = []
    for cap in a.caps:
        res = {}
        for system in ("gensim", "wordvec"):
            out = workdir() / f"phrases_{system}_{cap}.json"
            r, maxrss = run_child([__file__, "--child", system, str(out), "--corpus", str(corpus), "--cap", str(cap),
                                   "--connectors", a.connectors, "--min-count", str(a.min_count),
                                   "--threshold", str(a.threshold), "--scoring", a.scoring])
            r["maxrss_mib"] = maxrss / 2**20
            with open(out, encoding="utf-8") as fh:
                r["found"] = json.load(fh)
            res[system] = r
            print(f"  {system:8s} cap {cap:>11,}: count {r['count_s']:7.2f} s  freeze {r['freeze_s']:6.2f} s  "
                  f"peak RSS {r['maxrss_mib']:7.0f} MiB (after imports {r['start_rss_mib']:.0f})  "
                  f"{r['entries']:,} entries, {r['phrases']:,} phrases", flush=True)
        rows.append((cap, res))
    print("\n| cap | gensim s (count + freeze) | wordvec s | time ratio w/g | gensim peak MiB (counting) "
          "| wordvec peak MiB (counting) | memory ratio w/g | phrases g / w / both | max score diff |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for cap, res in rows:
        g, w = res["gensim"], res["wordvec"]
        tg, tw = g["count_s"] + g["freeze_s"], w["count_s"] + w["freeze_s"]
        mg, mw = g["maxrss_mib"] - g["start_rss_mib"], w["maxrss_mib"] - w["start_rss_mib"]
        both = set(g["found"]) & set(w["found"])
        diff = max((abs(g["found"][p] - w["found"][p]) / max(1.0, abs(g["found"][p])) for p in both), default=0.0)
        print(f"| {cap:,} | {tg:.1f} ({g['count_s']:.1f} + {g['freeze_s']:.1f}) | {tw:.1f} | {tw / tg:.2f} "
              f"| {g['maxrss_mib']:.0f} ({mg:.0f}) | {w['maxrss_mib']:.0f} ({mw:.0f}) | {mw / max(mg, 1):.2f} "
              f"| {len(g['found']):,} / {len(w['found']):,} / {len(both):,} | {diff:.1e} |")


if __name__ == "__main__":
    main()
