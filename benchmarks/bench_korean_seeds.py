"""Seed spread of Korean Word2Vec WS353 / analogy figures: wordvec, gensim corpus_file, gensim iterable.

    python benchmarks/bench_korean_seeds.py --arch cbow --seeds 1 2 3 [--systems wordvec gensim-file gensim-iter]

Trains on benchmarks/out/ko_morphemes.txt (written by ``bench_korean.py --steps tokenize``) with the
issue's settings (100-d, window 5, min_count 5, 5 epochs, 2 workers, each system's default learning
rate unless --alpha) and prints Korean WS353 Spearman and analogy accuracy per seed. gensim runs in
both of its input modes because they differ in more than speed: with ``corpus_file`` each worker
advances its learning-rate schedule by its own words over the whole corpus's, so with 2 workers the
rate decays only half-way within each epoch (gensim/models/word2vec_corpusfile.pyx,
``get_next_alpha``); an iterable corpus decays it as documented.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import workdir  # noqa: E402


def evaluate(keys, vectors) -> str:
    from wordvec.evaluate import evaluate_analogies, evaluate_similarity
    from wordvec.vectors import KeyedVectors

    kv = KeyedVectors(list(keys), vectors)
    ws = evaluate_similarity(kv, "ko-wordsim353", restrict_vocab=None)
    an = evaluate_analogies(kv, "ko-analogy", restrict_vocab=None)
    return f"WS353 {ws.spearman:.3f} ({ws.pairs_used} pairs), analogy {100 * an.accuracy:.1f} % ({an.total:,} covered)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", choices=["cbow", "skipgram"], default="cbow")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--systems", nargs="+", default=["wordvec", "gensim-file", "gensim-iter"],
                    choices=["wordvec", "gensim-file", "gensim-iter"])
    ap.add_argument("--alpha", type=float, default=None)
    a = ap.parse_args()
    corpus = workdir() / "ko_morphemes.txt"
    if not corpus.exists():
        sys.exit(f"{corpus} not found: run python benchmarks/bench_korean.py --steps tokenize first")
    params = dict(vector_size=100, window=5, min_count=5, epochs=5, workers=2)
    if a.alpha is not None:
        params["alpha"] = a.alpha
    for system in a.systems:
        for seed in a.seeds:
            t0 = time.perf_counter()
            if system == "wordvec":
                from wordvec import Word2Vec

                m = Word2Vec(architecture=a.arch, tokenizer="whitespace", progress=False, seed=seed, **params)
                m.fit(str(corpus))
                keys, vectors = m.wv.index_to_key, m.wv.vectors
            else:
                from gensim.models import Word2Vec as GW
                from gensim.models.word2vec import LineSentence

                source = {"corpus_file": str(corpus)} if system == "gensim-file" else {"sentences": LineSentence(str(corpus))}
                m = GW(sg=int(a.arch == "skipgram"), seed=seed, **source, **params)
                keys, vectors = m.wv.index_to_key, m.wv.vectors
            print(f"{a.arch} {system:11s} seed {seed}: {time.perf_counter() - t0:5.1f} s, {evaluate(keys, vectors)}",
                  flush=True)


if __name__ == "__main__":
    main()
