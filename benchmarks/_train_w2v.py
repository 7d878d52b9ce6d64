"""Child process of bench_word2vec.py: train one system once, save vectors, print JSON timings."""

from __future__ import annotations

import argparse
import json
import time

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("system", choices=["wordvec", "gensim", "fasttext"],
                    help="fasttext: Facebook's fastText (the fasttext-wheel package; --model fasttext only)")
    ap.add_argument("arch", choices=["skipgram", "cbow"])
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--alpha", type=float, default=None,
                    help="learning rate (default: each system's own: gensim 0.025, wordvec 0.05)")
    ap.add_argument("--model", choices=["word2vec", "fasttext"], default="word2vec")
    ap.add_argument("--save-model", action="store_true", help="wordvec: also save the model (native) to OUT.model")
    ap.add_argument("--shared-negatives", choices=["default", "on", "off"], default="default",
                    help="wordvec skip-gram: share negatives across the window (default: the library's default)")
    ap.add_argument("--jamo", action="store_true", help="wordvec FastText: n-grams over jamo (Korean)")
    ap.add_argument("--no-eos", action="store_true",
                    help="wordvec FastText: no </s> at the end of each line (the default appends it, as fastText)")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--loss", choices=["negative", "hs"], default="negative",
                    help="hs: hierarchical softmax (no negatives) in every system")
    ap.add_argument("--ns-exponent", type=float, default=None,
                    help="unigram exponent of the negative-sampling distribution (default: each system's own)")
    a = ap.parse_args()
    params = dict(vector_size=100, window=5, negative=5, sample=1e-3, min_count=a.min_count, epochs=a.epochs,
                  workers=a.workers, min_alpha=0.0001)
    if a.alpha is not None:
        params["alpha"] = a.alpha
    if a.loss == "hs":
        params["negative"] = 0
    if a.ns_exponent is not None:
        params["ns_exponent"] = a.ns_exponent
    if a.model == "fasttext":
        params.update(min_n=3, max_n=6, bucket=2_000_000)
        if a.jamo:
            params["jamo"] = True
        if a.no_eos:
            if a.system != "wordvec":
                raise SystemExit("--no-eos is wordvec's option (fastText always appends </s>, gensim never)")
            params["eos"] = False
    if a.system == "wordvec":
        from wordvec.models.fasttext import FastText
        from wordvec.models.word2vec import Word2Vec

        cls = FastText if a.model == "fasttext" else Word2Vec

        # warm the numba cache outside the timed region (compilation is cached on disk anyway)
        cls(architecture=a.arch, min_count=1, epochs=1, workers=1, progress=False,
            **({"bucket": 10} if a.model == "fasttext" else {})).fit([["a", "b", "c"]])
        extra = {} if a.shared_negatives == "default" else {"shared_negatives": a.shared_negatives == "on"}
        if a.loss == "hs":
            extra["loss"] = "hierarchical"
        t0 = time.perf_counter()
        m = cls(architecture=a.arch, tokenizer="whitespace", progress=False, seed=1, **params,
                **extra).fit(a.corpus)
        seconds = time.perf_counter() - t0
        keys, vectors = m.wv.index_to_key, np.asarray(m.wv.vectors)
        raw = m.corpus_stats_["total_words"]
        if getattr(m.config, "eos", False) and "</s>" in m.vocab_.key_to_index:
            # the corpus's own words, as gensim counts them: FastText's </s> is one more token a line
            raw -= int(m.vocab_.counts[m.vocab_.key_to_index["</s>"]])
        if a.save_model:
            m.save(a.out + ".model")
    elif a.system == "fasttext":
        import fasttext

        if a.model != "fasttext":
            raise SystemExit("system fasttext trains --model fasttext only")
        # fastText's own lr schedule (lrUpdateRate 100) and default lr 0.05; the shared settings
        # otherwise. Its vocabulary is min_count over whitespace tokens, like the others'.
        t0 = time.perf_counter()
        m = fasttext.train_unsupervised(
            a.corpus, model=a.arch, dim=params["vector_size"], ws=params["window"], neg=params["negative"],
            t=params["sample"], minCount=a.min_count, epoch=a.epochs, minn=3, maxn=6, bucket=2_000_000,
            thread=a.workers, lr=params.get("alpha", 0.05), verbose=0)
        seconds = time.perf_counter() - t0
        keys = m.get_words()
        vectors = np.stack([m.get_word_vector(w) for w in keys])
        raw = int(sum(m.get_words(include_freq=True)[1]))
    else:
        from gensim.models import FastText as GF
        from gensim.models import Word2Vec as GW

        GW = GF if a.model == "fasttext" else GW  # noqa: N806
        t0 = time.perf_counter()
        m = GW(sg=1 if a.arch == "skipgram" else 0, hs=1 if a.loss == "hs" else 0, seed=1, **params)
        m.build_vocab(corpus_file=a.corpus)
        m.train(corpus_file=a.corpus, total_examples=m.corpus_count, total_words=m.corpus_total_words,
                epochs=a.epochs)
        seconds = time.perf_counter() - t0
        keys, vectors = list(m.wv.index_to_key), m.wv.vectors
        raw = m.corpus_total_words
    np.save(a.out + ".npy", vectors)
    with open(a.out + ".keys", "w", encoding="utf-8") as fh:
        fh.write("\n".join(keys) + "\n")
    print(json.dumps({"seconds": seconds, "total_words": int(raw), "vocab": len(keys)}))


if __name__ == "__main__":
    main()
