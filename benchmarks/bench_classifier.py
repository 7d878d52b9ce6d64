"""Text classifier benchmark (CPU, 2 threads, fixed seeds): SST-2 and SpamAssassin.

Prints, for the embedding-average classifier of ``wordvec.torch``:

* SST-2 dev accuracy with embeddings learned from scratch (target >= 0.80);
* SST-2 dev accuracy starting from wordvec skip-gram vectors pre-trained on the English
  benchmark corpus (running.txt.gz + dictionary.txt.gz), fine-tuned (target >= 0.82) and frozen;
* SpamAssassin accuracy on a held-out 20% (target >= 0.97);
* the time of one training epoch over all 67,349 SST-2 training sentences (target < 30 s).

The pre-trained vectors are trained once (~2-3 min on 2 cores) and cached under
benchmarks/out/classifier_sg_vectors (gitignored). Models train with early stopping on a 10%
validation split of the training data; the dev / held-out sets are used only for the figures.

    python benchmarks/bench_classifier.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED, benchmark_corpus, workdir

torch.set_num_threads(2)

SENTIMENT = SHARED / "sentiment"
SEED = 0


def pretrained_vectors():
    """Skip-gram vectors on the English benchmark corpus, trained once and cached."""
    import wordvec
    from wordvec import Word2Vec

    cache = workdir() / "classifier_sg_vectors"
    if cache.is_dir():
        return wordvec.load(cache), "cached"
    t0 = time.perf_counter()
    model = Word2Vec(workers=2, tokenizer="whitespace", progress=False, seed=1).fit(str(benchmark_corpus(workdir())))
    wordvec.save(model.wv, cache)
    return model.wv, f"trained in {time.perf_counter() - t0:.0f} s"


def run(name: str, clf, train, test) -> dict:
    t0 = time.perf_counter()
    clf.fit(train.texts, train.labels)
    seconds = time.perf_counter() - t0
    acc = clf.evaluate(test.texts, test.labels)["accuracy"]
    epochs = len(clf.history_)
    per_epoch = sum(h["seconds"] for h in clf.history_) / epochs
    print(f"{name:<44} {acc:8.4f}   best epoch {clf.best_epoch_:>2} of {epochs:>2}   "
          f"{per_epoch:5.1f} s/epoch   {seconds:6.1f} s total", flush=True)
    return {"accuracy": acc, "seconds": seconds}


def split(data, share: float, seed: int):
    """A seeded stratified split of LabelledTexts into (train, held-out)."""
    from wordvec.torch.data import LabelledTexts

    rng = random.Random(seed)
    by_label: dict[str, list[int]] = {}
    for i, lab in enumerate(data.labels):
        by_label.setdefault(lab, []).append(i)
    held: set[int] = set()
    for rows in by_label.values():
        rng.shuffle(rows)
        held.update(rows[: round(len(rows) * share)])
    parts = ([i for i in range(len(data)) if i not in held], sorted(held))
    return tuple(LabelledTexts([data.texts[i] for i in idx], [data.labels[i] for i in idx], data.path,
                               [data.lines[i] for i in idx]) for idx in parts)


def main() -> None:
    from wordvec.torch import TextClassifier, read_labelled

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, seed {SEED}")
    sst_train = read_labelled(SENTIMENT / "sst2" / "train.tsv.gz")
    sst_dev = read_labelled(SENTIMENT / "sst2" / "dev.tsv.gz")
    print(f"SST-2: {len(sst_train):,} training phrases, {len(sst_dev):,} dev sentences")
    kv, how = pretrained_vectors()
    print(f"pre-trained skip-gram vectors: {len(kv):,} words x {kv.vector_size} ({how})")
    print()
    print(f"{'task / embedding':<44} {'accuracy':>8}")
    results = {
        "sst2_scratch": run("SST-2 dev, learned from scratch (16-d)", TextClassifier(16, seed=SEED),
                            sst_train, sst_dev),
        "sst2_pretrained": run("SST-2 dev, pre-trained 100-d, fine-tuned", TextClassifier(vectors=kv, seed=SEED),
                               sst_train, sst_dev),
        "sst2_frozen": run("SST-2 dev, pre-trained 100-d, frozen",
                           TextClassifier(vectors=kv, freeze=True, learning_rate=3e-3, seed=SEED), sst_train, sst_dev),
    }
    spam = read_labelled(SENTIMENT / "spamassassin.tsv.gz")
    spam_train, spam_test = split(spam, 0.2, SEED)
    results["spam"] = run(f"SpamAssassin held-out 20% ({len(spam_test):,} msgs)", TextClassifier(16, seed=SEED),
                          spam_train, spam_test)

    # One epoch over all 67,349 SST-2 training phrases (no validation split), from scratch.
    clf = TextClassifier(16, epochs=1, validation_split=0.0, seed=SEED).fit(sst_train.texts, sst_train.labels)
    epoch = clf.history_[0]["seconds"]
    print(f"\none epoch over {len(sst_train):,} SST-2 phrases (scratch, batch 32): {epoch:.1f} s")

    print("\ntargets:")
    checks = [("SST-2 dev, scratch >= 0.80", results["sst2_scratch"]["accuracy"] >= 0.80),
              ("SST-2 dev, pre-trained >= 0.82", results["sst2_pretrained"]["accuracy"] >= 0.82),
              ("SpamAssassin held-out >= 0.97", results["spam"]["accuracy"] >= 0.97),
              ("one SST-2 epoch < 30 s", epoch < 30)]
    for text, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")


if __name__ == "__main__":
    main()
