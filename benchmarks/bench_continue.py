"""Continued training: wordvec vs gensim 4.4, trained on corpus A then continued on corpus B.

    python benchmarks/bench_continue.py [--models word2vec fasttext] [--lines N] [--epochs 5]

A is the first half of the English benchmark corpus's lines (../shared/BENCHMARKS.md), B the
second half (``--lines N``: the first N lines only, halved the same way, for a quick check). Each
system trains a model on A, then grows its vocabulary and goes on training on B (gensim:
``build_vocab(corpus_file=B, update=True)`` then ``train(corpus_file=B, ...)``; wordvec:
``partial_fit(B, update_vocab=True)``), at the same settings: skip-gram, vector_size 100, window 5,
negative 5, sample 1e-3, min_count 5, workers 2, alpha 0.025 decayed to 0.0001 over each run's
epochs (``--own-alpha``: each system's default, wordvec FastText 0.05); FastText n-grams 3-6 in
2,000,000 buckets.

Reported for each model and system:
- drift of words absent from B (in both systems' vocabularies after A, never in B): the mean cosine
  between a word's vector after A and after A->B (1 = did not move). Word2Vec never updates the
  input row of a word it does not see, so both systems give exactly 1 there (a sanity check);
  FastText's absent words move with the n-gram rows they share with words of B. The same figure
  for the words of A seen in B is printed beside it, for scale.
- quality of the A model and of the A->B model: Google analogies (restrict_vocab 30,000), WS353 and
  SimLex-999, computed by wordvec.evaluate on both systems' vectors.
- seconds of the continued run (vocabulary update included).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import benchmark_corpus, workdir  # noqa: E402


def split_corpus(corpus: Path, lines: int | None, out: Path) -> tuple[Path, Path, set[str]]:
    """A (first half of the lines) and B (second half) as files; the set of words of B."""
    with open(corpus, encoding="utf-8") as fh:
        text = fh.readlines() if lines is None else [line for _, line in zip(range(lines), fh)]
    half = len(text) // 2
    a, b = out / "continue_A.txt", out / "continue_B.txt"
    a.write_text("".join(text[:half]), encoding="utf-8")
    b.write_text("".join(text[half:]), encoding="utf-8")
    words_b = {w for line in text[half:] for w in line.split()}
    return a, b, words_b


def quality(keys: list[str], vectors: np.ndarray) -> dict:
    from wordvec.evaluate import evaluate_analogies, evaluate_similarity
    from wordvec.vectors import KeyedVectors

    kv = KeyedVectors(keys, np.ascontiguousarray(vectors, dtype=np.float32))
    an = evaluate_analogies(kv, "google", restrict_vocab=30000)
    return {"analogy": an.accuracy, "ws353": evaluate_similarity(kv, "wordsim353").spearman,
            "simlex": evaluate_similarity(kv, "simlex999").spearman}


def settings(model: str, epochs: int, bucket: int, own_alpha: bool = False) -> dict:
    params = dict(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, epochs=epochs, workers=2,
                  alpha=0.025, min_alpha=0.0001)
    if own_alpha:  # each system's default learning rate (wordvec FastText: 0.05)
        del params["alpha"]
    if model == "fasttext":
        params.update(min_n=3, max_n=6, bucket=bucket)
    return params


class WordvecRun:
    def __init__(self, model: str, params: dict):
        from wordvec.models import FastText, Word2Vec

        cls = FastText if model == "fasttext" else Word2Vec
        self.m = cls(architecture="skipgram", tokenizer="whitespace", seed=1, progress=False, **params)

    def train_a(self, path):
        self.m.fit(path)

    def train_b(self, path):
        self.m.partial_fit(path, update_vocab=True)

    def keys(self):
        return list(self.m.wv.index_to_key)

    def vectors_of(self, words):
        wv = self.m.wv
        return np.asarray(wv.vectors)[[wv.key_to_index[w] for w in words]].astype(np.float64)

    def all_vectors(self):
        return np.asarray(self.m.wv.vectors)


class GensimRun:
    def __init__(self, model: str, params: dict):
        from gensim.models import FastText, Word2Vec

        cls = FastText if model == "fasttext" else Word2Vec
        self.epochs = params["epochs"]
        self.m = cls(sg=1, hs=0, seed=1, **params)

    def _train(self, path, update):
        self.m.build_vocab(corpus_file=str(path), update=update)
        self.m.train(corpus_file=str(path), total_examples=self.m.corpus_count,
                     total_words=self.m.corpus_total_words, epochs=self.epochs)

    def train_a(self, path):
        self._train(path, False)

    def train_b(self, path):
        self._train(path, True)

    def keys(self):
        return list(self.m.wv.index_to_key)

    def vectors_of(self, words):
        return np.array([self.m.wv.get_vector(w) for w in words], dtype=np.float64)

    def all_vectors(self):
        return self.m.wv.vectors


def mean_cosine(before: np.ndarray, after: np.ndarray) -> float:
    if not len(before):
        return float("nan")
    b = before / np.linalg.norm(before, axis=1, keepdims=True)
    a = after / np.linalg.norm(after, axis=1, keepdims=True)
    return float(np.mean(np.sum(a * b, axis=1)))


def run_model(model: str, a_path: Path, b_path: Path, words_b: set[str], params: dict, systems: list[str]):
    runs = {}
    for system in systems:
        run = (WordvecRun if system == "wordvec" else GensimRun)(model, params)
        t0 = time.perf_counter()
        run.train_a(a_path)
        runs[system] = {"run": run, "seconds_a": time.perf_counter() - t0, "keys_a": run.keys()}
        runs[system]["quality_a"] = quality(run.keys(), run.all_vectors())
        print(f"  {model} {system}: A trained in {runs[system]['seconds_a']:.1f} s", flush=True)
    common = set.intersection(*(set(r["keys_a"]) for r in runs.values()))
    absent = sorted(w for w in common if w not in words_b)
    present = sorted(w for w in common if w in words_b)
    rows = []
    for system, r in runs.items():
        run = r["run"]
        before_absent, before_present = run.vectors_of(absent), run.vectors_of(present)
        t0 = time.perf_counter()
        run.train_b(b_path)
        seconds_b = time.perf_counter() - t0
        row = {"model": model, "system": system, "seconds_a": r["seconds_a"], "seconds_b": seconds_b,
               "vocab_a": len(r["keys_a"]), "vocab_ab": len(run.keys()), "absent_words": len(absent),
               "drift_absent": mean_cosine(before_absent, run.vectors_of(absent)),
               "drift_present": mean_cosine(before_present, run.vectors_of(present)),
               **{f"{k}_a": v for k, v in r["quality_a"].items()},
               **{f"{k}_ab": v for k, v in quality(run.keys(), run.all_vectors()).items()}}
        print(f"  {model} {system}: continued on B in {seconds_b:.1f} s", flush=True)
        rows.append(row)
        del run
        r["run"] = None
        gc.collect()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", nargs="+", default=["word2vec", "fasttext"], choices=["word2vec", "fasttext"])
    ap.add_argument("--systems", nargs="+", default=["wordvec", "gensim"], choices=["wordvec", "gensim"])
    ap.add_argument("--lines", type=int, default=None, help="use only the first N lines of the corpus")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--bucket", type=int, default=2_000_000, help="FastText n-gram buckets")
    ap.add_argument("--own-alpha", action="store_true",
                    help="each system at its own default learning rate instead of 0.025 for both")
    a = ap.parse_args()
    a_path, b_path, words_b = split_corpus(benchmark_corpus(workdir()), a.lines, workdir())
    rows = []
    for model in a.models:
        rows += run_model(model, a_path, b_path, words_b, settings(model, a.epochs, a.bucket, a.own_alpha), a.systems)
    print()
    print("| model | system | vocab A -> A+B | absent words | drift absent (cos) | drift present (cos) | "
          "analogy A / A->B | WS353 A / A->B | SimLex A / A->B | continue s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for x in rows:
        print(f"| {x['model']} | {x['system']} | {x['vocab_a']:,} -> {x['vocab_ab']:,} | {x['absent_words']:,} | "
              f"{x['drift_absent']:.4f} | {x['drift_present']:.4f} | "
              f"{100 * x['analogy_a']:.1f} / {100 * x['analogy_ab']:.1f} % | "
              f"{x['ws353_a']:.3f} / {x['ws353_ab']:.3f} | "
              f"{x['simlex_a']:.3f} / {x['simlex_ab']:.3f} | {x['seconds_b']:.1f} |")
    (workdir() / "continue_results.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
