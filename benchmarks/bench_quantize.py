"""``wordvec quantize``: size, cost and fastText compatibility of the ``.ftz`` it writes.

Trains FastText on the English benchmark corpus (../shared/BENCHMARKS.md settings: vector_size
100, window 5, negative 5, min_count 5, epochs 5, min_n 3, max_n 6, bucket 2,000,000), saves
it as a fastText ``.bin``, quantizes it (dsub 2, and the variants asked for) and prints, side by
side: file sizes and ratio, quantization seconds, mean cosine of each word's vector to the
original, Google analogy accuracy (restrict_vocab 30,000) before and after, and whether the
fastText package loads the ``.ftz`` and gives the same word vectors. It also times one
sub-quantizer's k-means (65,536 points, 256 centroids, 25 iterations) in wordvec's numba
kernel and in scikit-learn's KMeans.

Full size (about 5 minutes of training, then the quantizations):

    python benchmarks/bench_quantize.py

On a slice, to check the script (a few seconds):

    python benchmarks/bench_quantize.py --lines 20000 --bucket 100000 --epochs 1

``--model PATH.bin`` quantizes an existing model instead of training one.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import benchmark_corpus, workdir  # noqa: E402


def _slice(corpus: Path, lines: int | None, out_dir: Path) -> Path:
    if lines is None:
        return corpus
    out = out_dir / f"en_first_{lines}.txt"
    with open(corpus, "rb") as src, open(out, "wb") as dst:
        dst.writelines(itertools.islice(src, lines))
    return out


def _train(corpus: Path, args, out: Path) -> float:
    from wordvec import FastText

    began = time.perf_counter()
    model = FastText(vector_size=args.dim, epochs=args.epochs, bucket=args.bucket, workers=args.workers, seed=1)
    model.fit(str(corpus))
    seconds = time.perf_counter() - began
    model.save_fasttext_bin(out)
    return seconds


def _kmeans_timing(seed: int = 0) -> dict:
    from wordvec._kernels.quantize import kmeans

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((65536, 2)).astype(np.float32)
    start = x[rng.permutation(len(x))[:256]].copy()
    kmeans(x[:512], start[:256].copy(), 1, np.array([1], np.uint64))  # compile outside the timing
    began = time.perf_counter()
    ours = kmeans(x, start.copy(), 25, np.array([1], np.uint64))
    numba_s = time.perf_counter() - began
    result = {"kmeans_numba_s": round(numba_s, 3), "kmeans_numba_objective": ours}
    try:
        from sklearn.cluster import KMeans
    except ImportError:
        return result
    began = time.perf_counter()
    km = KMeans(n_clusters=256, init=start, n_init=1, max_iter=25, tol=0, algorithm="lloyd").fit(x)
    result.update(kmeans_sklearn_s=round(time.perf_counter() - began, 3), kmeans_sklearn_objective=float(km.inertia_))
    return result


def _fasttext_check(ftz: Path, vectors, words: list[str]) -> dict:
    try:
        import fasttext
    except ImportError:
        return {"fasttext_loads": "fasttext package not installed"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        began = time.perf_counter()
        model = fasttext.load_model(str(ftz))
        load_s = time.perf_counter() - began
    diff = max(float(np.abs(model.get_word_vector(w) - vectors[w]).max()) for w in words)
    return {"fasttext_loads": bool(model.is_quantized()), "fasttext_load_s": round(load_s, 2),
            "fasttext_max_abs_diff": diff}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="quantize this fastText .bin instead of training one")
    parser.add_argument("--lines", type=int, help="train on the first N lines of the corpus only")
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--bucket", type=int, default=2_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--variants", default="dsub=2;dsub=2,noqnorm;dsub=2,noprune;dsub=4",
                        help="';'-separated settings: dsub=N, noqnorm, noqout, noprune")
    args = parser.parse_args()

    from wordvec.evaluate import evaluate_analogies
    from wordvec.io.quantize import quantize_fasttext

    out_dir = workdir()
    results: dict = {"settings": vars(args) | {"model": str(args.model) if args.model else None}}
    if args.model:
        bin_path = args.model
    else:
        corpus = _slice(benchmark_corpus(out_dir), args.lines, out_dir)
        bin_path = out_dir / ("ft_quantize.bin" if args.lines is None else f"ft_quantize_{args.lines}.bin")
        results["train_s"] = round(_train(corpus, args, bin_path), 1)
    results.update(_kmeans_timing())
    rows = []
    for variant in args.variants.split(";"):
        opts = {"dsub": 2, "qnorm": True, "qout": True, "prune": True}
        for part in filter(None, variant.split(",")):
            if part.startswith("dsub="):
                opts["dsub"] = int(part[5:])
            else:
                opts[{"noqnorm": "qnorm", "noqout": "qout", "noprune": "prune"}[part]] = False
        ftz = bin_path.with_name(bin_path.stem + "_" + variant.replace(",", "_").replace("=", "") + ".ftz")
        report = quantize_fasttext(bin_path, ftz, workers=args.workers, **opts)
        before = evaluate_analogies(report.original, "google", restrict_vocab=30000)
        after = evaluate_analogies(report.quantized, "google", restrict_vocab=30000)
        row = {"variant": variant, "bin_bytes": report.source_bytes, "ftz_bytes": report.target_bytes,
               "ratio": round(report.ratio, 1), "quantize_s": round(report.seconds, 1),
               "mean_cosine": round(report.mean_cosine, 5), "min_cosine": round(report.min_cosine, 4),
               "analogy_before": round(100 * before.accuracy, 2), "analogy_after": round(100 * after.accuracy, 2),
               "kept_buckets": report.kept_buckets}
        words = report.quantized.index_to_key[:2000] + ["unseenword", "kingliness", "qwerty"]
        row.update(_fasttext_check(ftz, report.quantized, words))
        rows.append(row)
        print(json.dumps(row), flush=True)
    results["rows"] = rows
    print(f"\n{'variant':<22}{'bin MB':>9}{'ftz MB':>9}{'ratio':>7}{'secs':>7}{'cos':>9}{'analogy':>16}  fastText")
    for r in rows:
        print(f"{r['variant']:<22}{r['bin_bytes'] / 1e6:>9.1f}{r['ftz_bytes'] / 1e6:>9.2f}{r['ratio']:>7.1f}"
              f"{r['quantize_s']:>7.1f}{r['mean_cosine']:>9.4f}{r['analogy_before']:>8.2f} ->{r['analogy_after']:>6.2f}"
              f"  {r.get('fasttext_loads')} (max |diff| {r.get('fasttext_max_abs_diff', float('nan')):.1e})")
    print(f"k-means of one sub-quantizer: numba {results['kmeans_numba_s']} s, scikit-learn "
          f"{results.get('kmeans_sklearn_s', 'n/a')} s")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
