"""Korean: morpheme tokenization, Word2Vec vs gensim, FastText syllable vs jamo, NSMC sentiment.

    python benchmarks/bench_korean.py [--steps tokenize word2vec fasttext classifier]

Data: ../shared/data/corpora/ko (NSMC reviews and ratings), ../shared/data/benchmarks/ko (Korean
WordSim-353 and analogies, bundled in wordvec as "ko-wordsim353" and "ko-analogy"). Issue 7's
reference (gensim 4.4 on the same 2 cores): kiwipiepy morphemes with particles and punctuation
dropped (10.97M tokens, 408 s to tokenize with kiwipiepy's 2 workers); Word2Vec 100-d, window 5,
min_count 5, 5 epochs: CBOW 71.8 s, WS353 0.272, analogy 11.7 %; skip-gram 189.6 s, WS353 0.404,
analogy 13.0 %, 27.5 % of WS353 pairs OOV and 1,060 of the 10,000 questions covered.

Steps:

* tokenize: wordvec's Korean tokenizer (its defaults: particles and punctuation dropped) over the
  688,507 reviews in batches on 2 workers, cached on disk (benchmarks/out/ko_token_cache); the
  time of that first pass, of a second pass that reads the cache, and of one-line-at-a-time
  calls on a 20,000-review sample (extrapolated), so the speed-ups of batching and caching show.
  The token stream is also written as benchmarks/out/ko_morphemes.txt (one review per line,
  tokens separated by spaces) for both systems to train on.
* word2vec: wordvec and gensim, CBOW and skip-gram, alternating, each in its own process (time,
  peak RSS), evaluated by wordvec.evaluate on both systems' vectors (every key, no restriction).
* fasttext: wordvec FastText skip-gram with syllable n-grams and with jamo n-grams (3-6 symbols
  both; ``--eos on off`` also trains each without ``</s>`` at the end of each review), evaluated
  without and with vectors for out-of-vocabulary words (coverage reported per semantic /
  syntactic half).
* classifier: the embedding-average classifier with Korean morpheme tokens on nsmc_ratings_train,
  evaluated on nsmc_ratings_test (target >= 0.83).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import HERE, SHARED, run_child, tmpdir, workdir  # noqa: E402

KO = SHARED / "corpora" / "ko"
REVIEWS = KO / "nsmc_reviews.txt.gz"
SEED = 0


def _need(path: Path) -> Path:
    if not path.exists():
        sys.exit(f"Korean data not found: {path} (set WORDVEC_SHARED_DATA to the shared data folder)")
    return path


# --------------------------------------------------------------------------- tokenize
def tokenize_step(results: dict) -> Path:
    from wordvec.corpus.cache import CachedCorpus
    from wordvec.corpus.korean import KoreanTokenizer

    src = _need(REVIEWS)
    out = workdir() / "ko_morphemes.txt"
    cache_dir = workdir() / "ko_token_cache"
    tok = KoreanTokenizer()
    print(f"tokenizer: {tok!r}")

    # one line at a time, one thread, on a sample
    from wordvec.corpus.readers import open_text

    sample = []
    with open_text(src) as fh:
        for line in fh:
            sample.append(line)
            if len(sample) == 20_000:
                break
    single = KoreanTokenizer(workers=1)
    single("워밍업")
    t0 = time.perf_counter()
    for line in sample:
        single(line)
    per_line = (time.perf_counter() - t0) / len(sample)
    n_lines = 688_507
    print(f"one line at a time, 1 thread: {per_line * 1e3:.2f} ms/review -> {per_line * n_lines / 60:.1f} min "
          f"for {n_lines:,} reviews (extrapolated from {len(sample):,})", flush=True)

    corpus = CachedCorpus(src, tok, cache_dir=cache_dir, progress=True)
    had_cache = corpus.is_cached()
    t0 = time.perf_counter()
    n_tokens = n_sent = 0
    tmp = out.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for sent in corpus:
            fh.write(" ".join(sent) + "\n")
            n_tokens += len(sent)
            n_sent += 1
    first = time.perf_counter() - t0
    tmp.replace(out)
    print(f"batched, {tok.kiwi.num_workers} workers{' (cache was already there)' if had_cache else ''}: "
          f"{first / 60:.1f} min, {n_sent:,} reviews, {n_tokens:,} tokens", flush=True)

    t0 = time.perf_counter()
    again = sum(len(s) for s in CachedCorpus(src, tok, cache_dir=cache_dir, progress=False))
    cached = time.perf_counter() - t0
    assert again == n_tokens
    print(f"second pass from the cache: {cached:.1f} s", flush=True)
    results["tokenize"] = {"per_line_ms": per_line * 1e3, "one_at_a_time_min": per_line * n_lines / 60,
                           "batched_min": first / 60, "batched_from_cache": had_cache, "cached_s": cached,
                           "reviews": n_sent, "tokens": n_tokens}
    return out


def morpheme_file(results: dict) -> Path:
    out = workdir() / "ko_morphemes.txt"
    return out if out.exists() else tokenize_step(results)


# --------------------------------------------------------------------------- quality
def korean_quality(kv, oov: bool = False) -> dict:
    from wordvec.evaluate import evaluate_analogies, evaluate_similarity

    extra = {"oov": True} if oov else {}
    an = evaluate_analogies(kv, "ko-analogy", restrict_vocab=None, **extra)
    ws = evaluate_similarity(kv, "ko-wordsim353", restrict_vocab=None, **extra)
    return {"analogy": an.accuracy, "analogy_covered": an.total, "analogy_questions": an.questions,
            "semantic": an.semantic.accuracy, "semantic_covered": an.semantic.total,
            "syntactic": an.syntactic.accuracy, "syntactic_covered": an.syntactic.total,
            "syntactic_questions": an.syntactic.questions,
            "ws353": ws.spearman, "ws353_used": ws.pairs_used, "ws353_pairs": ws.pairs}


def _keyed(prefix: str):
    from wordvec.vectors import KeyedVectors

    keys = Path(prefix + ".keys").read_text(encoding="utf-8").splitlines()
    return KeyedVectors(keys, np.load(prefix + ".npy"))


def word2vec_step(results: dict, corpus: Path, archs: list[str], systems: list[str], alpha: float | None) -> None:
    rows = []
    for arch in archs:
        for system in (systems if arch == archs[0] else systems[::-1]):
            prefix = str(tmpdir(f"ko-{system}-{arch}-") / "vectors")
            res, rss = run_child([str(HERE / "_train_w2v.py"), system, arch, str(corpus), prefix,
                                  *(["--alpha", str(alpha)] if alpha is not None else [])])
            kv = _keyed(prefix)
            row = {"system": system, "arch": arch, "alpha": alpha or 0.025, "seconds": res["seconds"],
                   "vocab": res["vocab"],
                   "rss_mib": rss / 2**20, **korean_quality(kv)}
            for probe in ("최민식", "히어로"):
                if probe in kv:
                    near = kv.most_similar(probe, topn=10)
                    row[f"near_{probe}"] = [w for w, _ in near]
                    print(f"    {probe}: " + ", ".join(f"{w} ({s:.2f})" for w, s in near), flush=True)
            print(f"  word2vec {arch:8s} {system:8s}: {row['seconds']:.1f} s, WS353 {row['ws353']:.3f}, "
                  f"analogy {100 * row['analogy']:.1f} % ({row['analogy_covered']:,} covered)", flush=True)
            rows.append(row)
    results[f"word2vec_alpha_{alpha or 0.025}"] = rows
    print(f"\nalpha {alpha or 0.025} (both systems)")
    print("\n| model | system | train s | peak RSS | vocab | WS353 (pairs used) | analogy (covered of 10,000) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['arch']} | {r['system']} | {r['seconds']:.1f} | {r['rss_mib']:.0f} MiB | {r['vocab']:,} | "
              f"{r['ws353']:.3f} ({r['ws353_used']}/{r['ws353_pairs']}) | {100 * r['analogy']:.1f} % "
              f"({r['analogy_covered']:,}) |")
    print("reference gensim: CBOW 71.8 s, WS353 0.272, analogy 11.7 %; skip-gram 189.6 s, 0.404, 13.0 % "
          "(1,060 covered)\n", flush=True)


def fasttext_step(results: dict, corpus: Path, variants: list[str], eos: list[str]) -> None:
    import wordvec

    rows = []
    for variant in variants:
        for with_eos in eos:
            prefix = str(tmpdir(f"ko-ft-{variant}-") / "vectors")
            args = [str(HERE / "_train_w2v.py"), "wordvec", "skipgram", str(corpus), prefix, "--model", "fasttext",
                    "--save-model"]
            if variant == "jamo":
                args.append("--jamo")
            if with_eos == "off":
                args.append("--no-eos")
            res, rss = run_child(args)
            wv = wordvec.load(prefix + ".model")
            for oov in (False, True):
                row = {"ngrams": variant, "eos": with_eos == "on", "oov_vectors": oov, "seconds": res["seconds"],
                       "rss_mib": rss / 2**20, "vocab": res["vocab"], **korean_quality(wv, oov=oov)}
                rows.append(row)
            print(f"  fasttext {variant:8s} </s> {with_eos:3s}: {res['seconds']:.1f} s", flush=True)
    results["fasttext"] = rows
    print("\n| n-grams | </s> | OOV words | train s | WS353 (pairs used) | analogy (covered) | semantic (covered) | "
          "syntactic (covered) |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['ngrams']} | {'yes' if r['eos'] else 'no'} | {'subword vectors' if r['oov_vectors'] else 'skipped'} "
              f"| {r['seconds']:.1f} | {r['ws353']:.3f} ({r['ws353_used']}/{r['ws353_pairs']}) | "
              f"{100 * r['analogy']:.1f} % ({r['analogy_covered']:,}) | {100 * r['semantic']:.1f} % "
              f"({r['semantic_covered']:,}) | {100 * r['syntactic']:.1f} % "
              f"({r['syntactic_covered']:,}/{r['syntactic_questions']:,}) |")
    print(flush=True)


# --------------------------------------------------------------------------- classifier
def classifier_step(results: dict) -> None:
    import torch

    from wordvec.torch import TextClassifier, read_labelled

    torch.set_num_threads(2)
    train = read_labelled(_need(KO / "nsmc_ratings_train.tsv.gz"), text_column="document", label_column="label")
    test = read_labelled(_need(KO / "nsmc_ratings_test.tsv.gz"), text_column="document", label_column="label")
    print(f"NSMC: {len(train):,} training reviews, {len(test):,} test reviews")
    t0 = time.perf_counter()
    clf = TextClassifier(64, tokenizer="korean", seed=SEED)
    clf.fit(train.texts, train.labels)
    fit_s = time.perf_counter() - t0
    acc = clf.evaluate(test.texts, test.labels)["accuracy"]
    epochs = len(clf.history_)
    per_epoch = sum(h["seconds"] for h in clf.history_) / epochs
    print(f"NSMC test accuracy {acc:.4f} (target >= 0.83); best epoch {clf.best_epoch_} of {epochs}, "
          f"{per_epoch:.1f} s/epoch, {fit_s:.0f} s with tokenization", flush=True)
    results["classifier"] = {"accuracy": acc, "epochs": epochs, "best_epoch": clf.best_epoch_,
                             "seconds_per_epoch": per_epoch, "fit_seconds": fit_s}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", nargs="+", default=["tokenize", "word2vec", "fasttext", "classifier"],
                    choices=["tokenize", "word2vec", "fasttext", "classifier"])
    ap.add_argument("--arch", nargs="+", default=["cbow", "skipgram"], choices=["cbow", "skipgram"])
    ap.add_argument("--systems", nargs="+", default=["wordvec", "gensim"])
    ap.add_argument("--alpha", type=float, default=None,
                    help="word2vec: learning rate for both systems (default: their default, 0.025)")
    ap.add_argument("--ngrams", nargs="+", default=["syllable", "jamo"], choices=["syllable", "jamo"])
    ap.add_argument("--eos", nargs="+", default=["on"], choices=["on", "off"],
                    help="fasttext: train with </s> at the end of each review (on, the default), without, or both")
    a = ap.parse_args()
    results: dict = {}
    path = workdir() / "korean_results.json"
    if path.exists():
        results = json.loads(path.read_text())
    if "tokenize" in a.steps:
        corpus = tokenize_step(results)
    else:
        corpus = morpheme_file(results)
    if "word2vec" in a.steps:
        word2vec_step(results, corpus, a.arch, a.systems, a.alpha)
    if "fasttext" in a.steps:
        fasttext_step(results, corpus, a.ngrams, a.eos)
    if "classifier" in a.steps:
        classifier_step(results)
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
