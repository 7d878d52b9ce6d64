"""wordvec FastText vs gensim 4.4 FastText on the English benchmark corpus, side by side, in one run.

    python benchmarks/bench_fasttext.py [--repeats 1] [--systems wordvec gensim fasttext]

Settings (../shared/BENCHMARKS.md, issue 6): skip-gram, vector_size 100, window 5, negative 5,
sample 1e-3, min_count 5, epochs 5, min_n 3, max_n 6, bucket 2,000,000, workers 2; each system at
its own default learning rate (wordvec FastText 0.05 like Facebook fastText, gensim 0.025). Time,
peak RSS and quality are measured as in bench_word2vec.py. Also reported: how close vectors for
held-out inflected forms (never in the vocabulary) are to their in-vocabulary relatives, against
random words.
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
from bench_word2vec import quality  # noqa: E402

# out-of-vocabulary probes built from in-vocabulary stems: (unseen form, in-vocabulary relatives)
OOV_PROBES = [("unwalkable", ["walk", "walking", "walked"]), ("rethinkings", ["think", "thinking", "rethink"]),
              ("kingliest", ["king", "kingly", "kings"]), ("overtalkative", ["talkative", "talk", "talking"]),
              ("shipwreckers", ["shipwreck", "ship", "wreck"]), ("unbelievingly", ["believing", "believe"]),
              ("friendlessly", ["friendless", "friend", "friendly"]), ("musicianly", ["musician", "music"])]


def oov_figure(model_dir: str) -> dict:
    from wordvec import load

    wv = load(model_dir)
    rng = np.random.default_rng(0)
    rel, rnd = [], []
    for word, relatives in OOV_PROBES:
        if word in wv:
            continue
        relatives = [r for r in relatives if r in wv]
        rel += [wv.similarity(word, r) for r in relatives]
        rnd += [wv.similarity(word, wv.index_to_key[i]) for i in rng.integers(0, len(wv), 20)]
    return {"oov_relatives": float(np.mean(rel)), "oov_random": float(np.mean(rnd))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--systems", nargs="+", default=["wordvec", "gensim"], choices=["wordvec", "gensim", "fasttext"],
                    help="fasttext: Facebook's fastText through the fasttext-wheel package (default: wordvec gensim)")
    ap.add_argument("--ns-exponent", type=float, default=None,
                    help="wordvec only: unigram exponent for negatives (default: FastText's default)")
    a = ap.parse_args()
    corpus = benchmark_corpus(workdir())
    runs = {s: [] for s in a.systems}
    for r in range(a.repeats):
        for system in (a.systems if r % 2 == 0 else a.systems[::-1]):
            prefix = str(tmpdir(f"ft-{system}-") / "vectors")
            res, rss = run_child([str(HERE / "_train_w2v.py"), system, "skipgram", str(corpus), prefix,
                                  "--model", "fasttext", "--save-model",
                                  *(["--ns-exponent", str(a.ns_exponent)]
                                    if a.ns_exponent is not None and system == "wordvec" else [])])
            res.update(rss=rss, prefix=prefix)
            print(f"  fasttext {system:8s} run {r + 1}: {res['seconds']:.1f} s, peak RSS {rss / 2**20:.0f} MiB",
                  flush=True)
            runs[system].append(res)
    rows = []
    for system in a.systems:
        secs = statistics.median(x["seconds"] for x in runs[system])
        best = min(runs[system], key=lambda x: abs(x["seconds"] - secs))
        row = {"system": system, "seconds": secs, "words_per_s": best["total_words"] * 5 / secs,
               "rss_mib": max(x["rss"] for x in runs[system]) / 2**20, **quality(best["prefix"])}
        if system == "wordvec":
            row.update(oov_figure(best["prefix"] + ".model"))
        rows.append(row)
    print("\n| system | train s | words/s | peak RSS | analogy | WS353 | SimLex |\n|---|---:|---:|---:|---:|---:|---:|")
    for x in rows:
        print(f"| {x['system']} | {x['seconds']:.1f} | {x['words_per_s'] / 1000:.0f}k | {x['rss_mib']:.0f} MiB | "
              f"{100 * x['analogy']:.1f} % | {x['ws353']:.3f} | {x['simlex']:.3f} |")
    by = {x["system"]: x for x in rows}
    for peer in ("gensim", "fasttext"):
        if "wordvec" in by and peer in by:
            print(f"\nspeed {peer}/wordvec time = {by[peer]['seconds'] / by['wordvec']['seconds']:.2f}x")
    if "wordvec" in by:
        w = by["wordvec"]
        print(f"OOV probes: mean cosine to in-vocabulary relatives {w['oov_relatives']:.3f}, "
              f"to random words {w['oov_random']:.3f}")
        print("bar (issue 6): analogy >= 60.9 %, WS353 >= 0.683, SimLex >= 0.366")
    (workdir() / "fasttext_results.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
