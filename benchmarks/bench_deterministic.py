"""Hogwild vs deterministic training (``deterministic=True``): words/s side by side, and quality.

    python benchmarks/bench_deterministic.py [--lines N] [--models sg cbow sg-hs cbow-hs fasttext]
                                             [--workers 2] [--epochs 5] [--repeats 1] [--check]

On the English benchmark corpus (running.txt + dictionary.txt, ../shared/BENCHMARKS.md), or its
first ``--lines`` lines, with the benchmark settings (vector_size 100, window 5, negative 5, sample
1e-3, min_count 5, epochs 5, workers 2; each model at its default learning rate). For each model
the two modes alternate (A B A B ... over ``--repeats``) in this one process, after a warm-up that
loads the compiled kernels; time = training only (``training_stats_['seconds_train']``, the
vocabulary scan excluded), words/s = corpus tokens x epochs / time, and the ratio is deterministic
words/s over Hogwild words/s (the issue's bar: >= 70 %). Quality: Google analogies (restrict_vocab
30,000), WordSim-353 and SimLex-999 Spearman, by wordvec.evaluate.

``--check`` also trains each deterministic model with one worker and says whether its vectors are
bit-identical to the ``--workers`` run (it costs one more, slower, training per model).
``--round-jobs`` / ``--job-words`` override train.trainer.ROUND_JOBS / DETERMINISTIC_JOB_WORDS
(for tuning them; the library's values are the defaults).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import benchmark_corpus, workdir  # noqa: E402

MODELS = {
    "sg": ("word2vec", dict(architecture="skipgram")),
    "cbow": ("word2vec", dict(architecture="cbow")),
    "sg-hs": ("word2vec", dict(architecture="skipgram", loss="hierarchical")),
    "cbow-hs": ("word2vec", dict(architecture="cbow", loss="hierarchical")),
    "fasttext": ("fasttext", dict(architecture="skipgram")),
    "fasttext-cbow": ("fasttext", dict(architecture="cbow")),
}
SETTINGS = dict(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5)


def corpus_prefix(lines: int) -> Path:
    """The benchmark corpus, or a file of its first ``lines`` lines (cached in benchmarks/out)."""
    full = benchmark_corpus(workdir())
    if not lines:
        return full
    out = workdir() / f"en_benchmark_{lines}.txt"
    if not out.exists():
        tmp = out.with_suffix(".tmp")
        with open(full, encoding="utf-8") as src, open(tmp, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= lines:
                    break
                dst.write(line)
        tmp.replace(out)
    return out


def train(name: str, corpus: Path, *, deterministic: bool, workers: int, epochs: int):
    from wordvec import FastText, Word2Vec

    kind, options = MODELS[name]
    cls = FastText if kind == "fasttext" else Word2Vec
    return cls(**SETTINGS, **options, epochs=epochs, workers=workers, seed=1, deterministic=deterministic,
               progress=False).fit(str(corpus))


def quality(wv) -> dict:
    from wordvec.evaluate import evaluate_analogies, evaluate_similarity

    return {"analogy": evaluate_analogies(wv, "google", restrict_vocab=30000).accuracy,
            "ws353": evaluate_similarity(wv, "wordsim353").spearman,
            "simlex": evaluate_similarity(wv, "simlex999").spearman}


def warm_up(models: list[str]) -> None:
    """Load (or compile) every kernel the runs use, so that no timed run pays for it."""
    sents = [["a", "b", "c", "d", "e", "f"][i % 3:] for i in range(50)]
    from wordvec import FastText, Word2Vec

    for name in models:
        kind, options = MODELS[name]
        cls, extra = (FastText, dict(bucket=100)) if kind == "fasttext" else (Word2Vec, {})
        for det in (False, True):
            cls(vector_size=8, min_count=1, epochs=1, workers=1, deterministic=det, progress=False, **options,
                **extra).fit(sents)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=0, help="first N lines of the corpus (0: all of it)")
    ap.add_argument("--models", nargs="+", default=["sg", "cbow", "sg-hs", "cbow-hs", "fasttext"],
                    choices=sorted(MODELS))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--check", action="store_true", help="compare with a 1-worker deterministic run, bit for bit")
    ap.add_argument("--round-jobs", type=int, default=None)
    ap.add_argument("--job-words", type=int, default=None)

    a = ap.parse_args()
    from wordvec.train import trainer

    if a.round_jobs:
        trainer.ROUND_JOBS = a.round_jobs
    if a.job_words:
        trainer.DETERMINISTIC_JOB_WORDS = a.job_words
    corpus = corpus_prefix(a.lines)
    warm_up(a.models)
    print(f"corpus {corpus.name}; workers {a.workers}, epochs {a.epochs}; rounds of {trainer.ROUND_JOBS} jobs of "
          f"~{trainer.DETERMINISTIC_JOB_WORDS:,} words", flush=True)
    rows = []
    for name in a.models:
        runs = {False: [], True: []}
        for r in range(a.repeats):
            for det in ((False, True) if r % 2 == 0 else (True, False)):
                m = train(name, corpus, deterministic=det, workers=a.workers, epochs=a.epochs)
                runs[det].append(m)
                print(f"  {name:13s} {'deterministic' if det else 'hogwild':13s} run {r + 1}: "
                      f"{m.training_stats_['seconds_train']:.1f} s, "
                      f"{m.training_stats_['words_per_second'] / 1000:.0f}k words/s", flush=True)
        row = {"model": name}
        for det in (False, True):
            rate = statistics.median(m.training_stats_["words_per_second"] for m in runs[det])
            q = quality(runs[det][-1].wv)
            row[det] = {"rate": rate, **q}
        row["ratio"] = row[True]["rate"] / row[False]["rate"]
        if a.check:
            one = train(name, corpus, deterministic=True, workers=1, epochs=a.epochs)
            row["identical"] = bool(np.array_equal(one.wv.vectors, runs[True][-1].wv.vectors))
        rows.append(row)
    print()
    print("| model | Hogwild words/s | deterministic words/s | ratio | analogy H / D | WS353 H / D | SimLex H / D |"
          + (" 1 worker = N workers |" if a.check else ""))
    print("|---|---:|---:|---:|---:|---:|---:|" + ("---|" if a.check else ""))
    for x in rows:
        h, d = x[False], x[True]
        print(f"| {x['model']} | {h['rate'] / 1000:.0f}k | {d['rate'] / 1000:.0f}k | {100 * x['ratio']:.0f} % | "
              f"{100 * h['analogy']:.1f} / {100 * d['analogy']:.1f} % | {h['ws353']:.3f} / {d['ws353']:.3f} | "
              f"{h['simlex']:.3f} / {d['simlex']:.3f} |" + (f" {'yes' if x['identical'] else 'NO'} |"
                                                              if a.check else ""))


if __name__ == "__main__":
    main()
