"""ELMo benchmark (CPU, 2 threads, fixed seeds): train a biLM, compare its perplexity with a bigram
model's, tell word senses apart, embed sentences, classify texts on its features.

Steps (``--steps``, in this order; each runs alone once ``train`` has run for the same ``--tokens``):

* ``train``: ``ELMo()`` (the "small" preset) on the first ``--tokens`` tokens of the English
  benchmark corpus (running.txt.gz + dictionary.txt.gz: whole lines, until the count is reached,
  written to ``train.txt``); held-out text = the model's own validation split (the last 1% of the
  sentences). Wall time (reading included), training tokens/s, held-out perplexity per direction.
* ``ppl``: an interpolated Kneser-Ney bigram model (one discount, Ney's estimate; the continuation
  unigram interpolated with a uniform) on the same training sentences, scored on the same
  held-out sentences. Made comparable: the training text is read by the biLM's own pipeline
  (``wordvec.contextual.data.encode_training_data`` with the saved model's settings), so both models
  see the same sentences, split the same way (long sentences cut at ``max_sentence_length``), the
  same held-out sentences, and the same closed vocabulary: the biLM's softmax words, every other
  word ``<UNK>``, a word's class (the softmax id) as the bigram's symbol. Each held-out sentence
  is scored from ``<S>`` to ``</S>``: the forward model predicts every word and ``</S>``, the
  backward model (a bigram on reversed sentences) every word and ``<S>``, so both count the same
  tokens + sentences targets as the biLM; perplexity = exp(mean negative log-likelihood). (Every
  symbol of a closed vocabulary occurs in training, so the uniform gets no share, and then a
  sentence's bigram probability is the same read either way: the two directions agree.)
* ``wic``: ``word_in_context_accuracy`` on the 41 triples of tests/contextual/data (each layer,
  and the average of the layers), and the same count for static skip-gram vectors trained on
  the same text. A triple counts as right only when cos(same_a, same_b) > cos(same_a, other):
  a tie (equal cosines) counts as wrong. Static vectors (and ELMo's layer 0, the context-free
  character layer) give a word one vector in every sentence: every triple ties, accuracy 0 by
  construction.
* ``embed``: ``elmo.embed`` (layer "average", batch 64) on the ``--sentences`` (10,000) lines that
  follow the training prefix in the corpus; sentences/s and tokens/s on ``--threads`` (2) threads.
* ``spam``: ``ContextualClassifier`` (frozen biLM, learned scalar mix, mean pooling,
  Dense(256, relu), sigmoid) on SpamAssassin, held-out 20%: the split of bench_classifier.py.
* ``sst2``: the same on the SST-2 training phrases, accuracy on the dev sentences.
* ``spam_static``, ``sst2_static``: the same two with static vectors beside the ELMo features, as
  Peters et al. (2018, section 3.3) use ELMo: ``[mean of the fine-tuned static vectors; mixed ELMo
  vector]`` into the dense layers. The static vectors are bench_classifier.py's pre-trained
  skip-gram vectors (the 0.839 of SST-2's static row, fine-tuned the same way).

``--limit N`` keeps a seeded random N texts of SpamAssassin / SST-2 train (and at most N dev
sentences): for a quick check of the script, not for figures. The trained biLM and every step's
figures are cached under ``benchmarks/out/elmo/<tokens>/`` (``results.json``); the table at the end
shows every figure recorded there, whichever run made it.

    python benchmarks/bench_elmo.py                                  # every step, 3M tokens
    python benchmarks/bench_elmo.py --steps spam sst2                # reuses the trained biLM
    python benchmarks/bench_elmo.py --tokens 20000 --limit 300 --sentences 200 \\
        --bilm epochs=1 projection_dim=32 lstm_dim=64 --workdir /tmp/elmo-check   # the script, in a minute
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from itertools import islice
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, benchmark_corpus, workdir
from bench_classifier import SEED, SENTIMENT, pretrained_vectors, run, split

STEPS = ("train", "ppl", "wic", "embed", "spam", "sst2", "spam_static", "sst2_static")
WIC_FILE = ROOT / "tests" / "contextual" / "data" / "word_in_context.tsv"
TARGETS = {"wic": 0.90, "spam": 0.98, "sst2": 0.85}
STATIC_SST2 = 0.839  # SST-2 dev with the pre-trained static vectors (benchmarks/RESULTS.md)


# ---------------------------------------------------------------------- the run's directory
def results_file(d: Path) -> Path:
    return d / "results.json"


def record(d: Path, step: str, figures: dict) -> None:
    path = results_file(d)
    results = json.loads(path.read_text()) if path.exists() else {}
    results[step] = figures
    path.write_text(json.dumps(results, indent=1) + "\n")


def load_elmo(d: Path):
    from wordvec.contextual import ELMo

    if not (d / "bilm" / "config.json").exists():
        sys.exit(f"no trained biLM in {d / 'bilm'}: run --steps train first (with the same --tokens)")
    return ELMo.load(d / "bilm", device="cpu")


def prefix_info(d: Path) -> dict:
    return json.loads((d / "train.json").read_text())


# ---------------------------------------------------------------------- train
def write_prefix(tokens: int, out: Path, tokenizer: str) -> dict:
    """The corpus's first lines up to ``tokens`` tokens (the biLM's tokenizer counts) -> ``out``."""
    from wordvec.corpus.tokenizers import get_tokenizer

    tok = get_tokenizer(tokenizer)
    lines = count = 0
    with open(benchmark_corpus(workdir()), encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            if count >= tokens:
                break
            dst.write(line)
            lines += 1
            count += len(tok(line))
    if count < tokens:
        sys.exit(f"the corpus has only {count:,} tokens, fewer than --tokens {tokens:,}")
    return {"lines": lines, "tokens": count}


def step_train(args, d: Path) -> dict:
    from wordvec.contextual import ELMo

    elmo = ELMo(progress=not args.quiet, **{"seed": SEED, **args.bilm})
    prefix = write_prefix(args.tokens, d / "train.txt", elmo.config.tokenizer)
    (d / "train.json").write_text(json.dumps(prefix) + "\n")
    print(f"training text: the first {prefix['lines']:,} lines, {prefix['tokens']:,} tokens -> {d / 'train.txt'}")
    t0 = time.perf_counter()
    elmo.fit(str(d / "train.txt"))
    wall = time.perf_counter() - t0
    elmo.save(d / "bilm")
    print(elmo.summary())
    s, c = elmo.training_stats_, elmo.corpus_stats_
    return {"wall_seconds": wall, "train_seconds": s["seconds_train"], "tokens_per_second": s["tokens_per_second"],
            "epochs": s["epochs_run"], "train_tokens": c["train_tokens"], "heldout_tokens": c["heldout_tokens"],
            "heldout_sentences": c["heldout_sentences"], "vocab": len(elmo.vocab_),
            "parameters": elmo.n_parameters(), "settings": args.bilm,
            "perplexity": elmo.perplexity_}


# ---------------------------------------------------------------------- ppl: the bigram baseline
def marked_pairs(classes: np.ndarray, lengths: np.ndarray, *, backward: bool) -> tuple[np.ndarray, np.ndarray]:
    """(context, target) symbol pairs of sentences wrapped in <S> ... </S>, within sentences.

    ``classes`` holds the sentences' symbols back to back, ``lengths`` their lengths. Forward:
    each word and </S> from the symbol before; backward: each word and <S> from the symbol after.
    """
    from wordvec.contextual.data import BOS_CLASS, EOS_CLASS

    starts = np.concatenate([[0], np.cumsum(lengths + 2)[:-1]]).astype(np.int64)
    stream = np.empty(int(lengths.sum() + 2 * len(lengths)), dtype=np.int64)
    words = np.ones(len(stream), dtype=bool)
    words[starts] = words[starts + lengths + 1] = False
    stream[starts], stream[starts + lengths + 1] = BOS_CLASS, EOS_CLASS
    stream[words] = classes
    inside = stream[:-1] != EOS_CLASS  # a pair from </S> to the next <S> crosses sentences
    before, after = stream[:-1][inside], stream[1:][inside]
    return (after, before) if backward else (before, after)


def kneser_ney_bigram(context: np.ndarray, target: np.ndarray, n_symbols: int, start: int):
    """An interpolated Kneser-Ney bigram model fitted on (context, target) pairs.

    ``P(w|v) = max(c(v,w) - D, 0) / c(v) + D N1+(v.) / c(v) * Pc(w)`` (``Pc(w)`` alone for an unseen
    v), ``Pc(w) = max(N1+(.w) - D1, 0) / N1+(..) + D1 * |{w: N1+(.w) > 0}| / N1+(..) / (n_symbols - 1)``
    (the continuation counts, interpolated with a uniform over every symbol but ``start``, which is
    never predicted); D = n1 / (n1 + 2 n2) at each order (Ney, Essen and Kneser 1994; Chen and
    Goodman 1999). Returns ``prob(context, target) -> array``.
    """
    keys, counts = np.unique(context * n_symbols + target, return_counts=True)
    discount = _discount(counts)
    c_v = np.bincount(context, minlength=n_symbols)
    followers = np.bincount(keys // n_symbols, minlength=n_symbols)
    cont = np.bincount(keys % n_symbols, minlength=n_symbols).astype(np.float64)
    d1 = _discount(cont[cont > 0].astype(np.int64))
    uniform = np.full(n_symbols, 1.0 / (n_symbols - 1))
    uniform[start] = 0.0
    p_cont = (np.maximum(cont - d1, 0) + d1 * np.count_nonzero(cont) * uniform) / cont.sum()

    def prob(ctx: np.ndarray, tgt: np.ndarray) -> np.ndarray:
        k = ctx * n_symbols + tgt
        at = np.minimum(np.searchsorted(keys, k), len(keys) - 1)
        c_vw = np.where(keys[at] == k, counts[at], 0)
        seen = c_v[ctx] > 0
        denom = np.where(seen, c_v[ctx], 1)
        mixed = (np.maximum(c_vw - discount, 0) + discount * followers[ctx] * p_cont[tgt]) / denom
        return np.where(seen, mixed, p_cont[tgt])

    return prob


def _discount(counts: np.ndarray) -> float:
    n1, n2 = int(np.sum(counts == 1)), int(np.sum(counts == 2))
    return n1 / (n1 + 2 * n2) if n1 + n2 else 0.5


def step_ppl(args, d: Path) -> dict:
    from wordvec.contextual.data import BOS_CLASS, EOS_CLASS, N_SPECIAL, encode_training_data
    from wordvec.corpus.readers import as_corpus

    elmo = load_elmo(d)
    cfg = elmo.config
    data = encode_training_data(as_corpus(str(d / "train.txt"), cfg.tokenizer, progress=False), None,
                                validation_split=cfg.validation_split, min_count=cfg.min_count,
                                max_vocab_size=cfg.max_vocab_size, max_sentence_length=cfg.max_sentence_length,
                                max_characters=cfg.max_characters_per_token)
    # the same sentences, held-out part and softmax vocabulary as the saved biLM
    assert data.vocab.index_to_key == elmo.vocab_.index_to_key, "the bigram's vocabulary is not the biLM's"
    assert data.heldout_tokens() == elmo.corpus_stats_["heldout_tokens"], "not the biLM's held-out sentences"
    symbols = data.classes[data.tokens]
    lengths = data.lengths()
    cut = int(data.offsets[data.n_train])
    n_symbols = len(data.vocab) + N_SPECIAL
    out = {"heldout_sentences": int(data.n_sentences - data.n_train), "heldout_tokens": data.heldout_tokens(),
           "vocab": len(data.vocab), "unk_rate": float(np.mean(symbols[cut:] == 2))}
    for direction, start in (("forward", BOS_CLASS), ("backward", EOS_CLASS)):
        backward = direction == "backward"
        prob = kneser_ney_bigram(*marked_pairs(symbols[:cut], lengths[:data.n_train], backward=backward),
                                 n_symbols, start)
        ctx, tgt = marked_pairs(symbols[cut:], lengths[data.n_train:], backward=backward)
        out[direction] = float(np.exp(-np.mean(np.log(prob(ctx, tgt)))))
        out["targets"] = int(len(tgt))
    out["bilm"] = elmo.perplexity_
    print(f"held-out: {out['heldout_sentences']:,} sentences, {out['heldout_tokens']:,} tokens, {out['targets']:,} "
          f"targets per direction; {out['vocab']:,} words + <UNK> ({out['unk_rate']:.1%} of held-out tokens)")
    for direction in ("forward", "backward"):
        print(f"  {direction:<8}  KN bigram {out[direction]:10,.1f}   biLM {elmo.perplexity_.get(direction, math.nan):10,.1f}")
    return out


# ---------------------------------------------------------------------- wic
class StaticVectors:
    """Static word vectors behind the two methods word_in_context_accuracy calls: every use of a
    word gets the word's one vector (zeros for a word without one)."""

    def __init__(self, kv, tokenize):
        self.kv, self.tokenize = kv, tokenize

    def embed(self, sentences, layer=None):
        from wordvec.contextual import Embeddings

        zero = np.zeros(self.kv.vector_size, dtype=np.float32)
        tokens = [np.stack([self.kv[w] if w in self.kv else zero for w in s]) for s in sentences]
        return Embeddings(tokens, np.stack([t.mean(axis=0) for t in tokens]), layer)


def wic_counts(model, triples, layer) -> dict:
    """Right, wrong and tied triples: the accuracy, then the accuracy with the two comparisons
    swapped (``other`` closer than ``same_b``); what neither counts is a tie (counted as wrong)."""
    from wordvec.contextual import WordInContext, word_in_context_accuracy

    n = len(triples)
    accuracy = word_in_context_accuracy(model, triples, layer=layer)
    swapped = [WordInContext(t.word, t.same_a, t.other, t.same_b) for t in triples]
    right, wrong = round(accuracy * n), round(word_in_context_accuracy(model, swapped, layer=layer) * n)
    return {"accuracy": accuracy, "right": right, "wrong": wrong, "ties": n - right - wrong, "n": n}


def step_wic(args, d: Path) -> dict:
    from wordvec import Word2Vec
    from wordvec.contextual import read_word_in_context

    elmo = load_elmo(d)
    triples = read_word_in_context(WIC_FILE)
    out = {str(layer): wic_counts(elmo, triples, layer) for layer in [*range(elmo.n_layers), "average"]}
    t0 = time.perf_counter()
    sg = Word2Vec(workers=args.threads, tokenizer=elmo.config.tokenizer, seed=1, progress=False).fit(str(d / "train.txt"))
    static = StaticVectors(sg.wv, elmo.tokenize)
    out["static"] = wic_counts(static, triples, None)
    out["static"]["covered"] = sum(t.word in sg.wv for t in triples)
    print(f"{len(triples)} triples; a tie counts as wrong")
    for name, r in out.items():
        label = {"0": "ELMo layer 0 (characters, context-free)", "average": "ELMo average of the layers",
                 "static": f"static skip-gram ({r.get('covered', 0)} of {len(triples)} words have a vector; "
                           f"trained in {time.perf_counter() - t0:.0f} s)"}.get(name, f"ELMo layer {name} (LSTM)")
        print(f"  {label:<62} {r['accuracy']:6.3f}   {r['right']:>2} right, {r['ties']:>2} ties")
    return {"layers": out}


# ---------------------------------------------------------------------- embed
def step_embed(args, d: Path) -> dict:
    elmo = load_elmo(d)
    skip = prefix_info(d)["lines"]
    with open(benchmark_corpus(workdir()), encoding="utf-8") as fh:
        sentences = _take(fh, skip, args.sentences)
    t0 = time.perf_counter()
    out = elmo.embed(sentences, layer="average", batch_size=64)
    seconds = time.perf_counter() - t0
    n_tokens = sum(len(t) for t in out.tokens)
    r = {"sentences": len(sentences), "tokens": n_tokens, "seconds": seconds, "threads": torch.get_num_threads(),
         "sentences_per_second": len(sentences) / seconds, "tokens_per_second": n_tokens / seconds}
    print(f"embedded {len(sentences):,} sentences ({n_tokens:,} tokens) in {seconds:.1f} s on {r['threads']} threads: "
          f"{r['sentences_per_second']:,.0f} sentences/s, {r['tokens_per_second']:,.0f} tokens/s")
    return r


def _take(fh, skip: int, n: int) -> list[str]:
    """The first ``n`` non-empty lines after line ``skip``."""
    return list(islice((line.strip() for line in islice(fh, skip, None) if line.strip()), n))


# ---------------------------------------------------------------------- spam, sst2
def subsample(data, n: int | None, seed: int):
    """A seeded random ``n`` rows of LabelledTexts (all of them for None)."""
    if n is None or n >= len(data):
        return data
    keep, _ = split(data, 1 - n / len(data), seed)
    return keep


def classify(args, d: Path, name: str, train, test, static: bool = False) -> dict:
    from wordvec.torch import ContextualClassifier

    vectors = None
    if static:
        vectors, how = pretrained_vectors()
        print(f"static vectors beside ELMo: {len(vectors):,} words x {vectors.vector_size} ({how}), fine-tuned")
        name += ", with static vectors"
    clf = ContextualClassifier(load_elmo(d), vectors=vectors, max_len=args.max_len, dropout=args.dropout, seed=SEED,
                               progress=not args.quiet)
    if args.dropout:
        name += f", dropout {args.dropout:g}"
    r = run(name, clf, train, test)
    r.update(features_seconds=clf.seconds_features_, epochs=len(clf.history_), best_epoch=clf.best_epoch_,
             train_texts=len(train), test_texts=len(test), layer_weights=clf.layer_weights(), max_len=args.max_len,
             dropout=args.dropout)
    print(f"  features {clf.seconds_features_:.0f} s; learned layer weights "
          f"{', '.join(f'{w:.2f}' for w in r['layer_weights'])}")
    return r


def step_spam(args, d: Path, static: bool = False) -> dict:
    from wordvec.torch import read_labelled

    spam = subsample(read_labelled(SENTIMENT / "spamassassin.tsv.gz"), args.limit, SEED)
    train, test = split(spam, 0.2, SEED)
    return classify(args, d, f"SpamAssassin held-out 20% ({len(test):,} msgs)", train, test, static)


def step_sst2(args, d: Path, static: bool = False) -> dict:
    from wordvec.torch import read_labelled

    train = subsample(read_labelled(SENTIMENT / "sst2" / "train.tsv.gz"), args.limit, SEED)
    dev = subsample(read_labelled(SENTIMENT / "sst2" / "dev.tsv.gz"), args.limit, SEED)
    return classify(args, d, f"SST-2 dev ({len(train):,} training phrases)", train, dev, static)


# ---------------------------------------------------------------------- the table
def table(results: dict, tokens: int) -> str:
    rows = ["| step | figure | value | target |", "|---|---|---|---|"]
    t = results.get("train")
    if t:
        rows += [f"| train | biLM on {t['train_tokens']:,} tokens ({t['epochs']} epochs, {t['parameters']:,} "
                 f"parameters) | {t['wall_seconds']:,.0f} s wall, {t['tokens_per_second']:,.0f} tokens/s | |"]
        rows += [f"| train | held-out perplexity, {k} ({t['heldout_tokens']:,} tokens) | {v:,.1f} | far below the "
                 f"bigram's |" for k, v in t["perplexity"].items()]
    p = results.get("ppl")
    if p:
        rows += [f"| ppl | KN bigram perplexity, {k}, same held-out text and vocabulary | {p[k]:,.1f} | "
                 f"biLM / bigram = {p['bilm'].get(k, math.nan) / p[k]:.2f} |" for k in ("forward", "backward")]
    w = results.get("wic")
    if w:
        for name, r in w["layers"].items():
            label = {"average": "ELMo, average of the layers", "static": "static skip-gram (ties count as wrong)"
                     }.get(name, f"ELMo layer {name}")
            target = "" if name in ("0", "static") else f">= {TARGETS['wic']:.2f}"
            rows.append(f"| wic | {label} | {r['accuracy']:.3f} ({r['right']}/{r['n']}, {r['ties']} ties) | {target} |")
    e = results.get("embed")
    if e:
        rows.append(f"| embed | {e['sentences']:,} sentences, {e['threads']} threads | {e['sentences_per_second']:,.0f} "
                    f"sentences/s ({e['tokens_per_second']:,.0f} tokens/s, {e['seconds']:.1f} s) | |")
    for step, label, target in (("spam", "SpamAssassin held-out accuracy", f">= {TARGETS['spam']}"),
                                ("sst2", "SST-2 dev accuracy", f">= {TARGETS['sst2']} (static: {STATIC_SST2})"),
                                ("spam_static", "SpamAssassin, ELMo + static vectors", f">= {TARGETS['spam']}"),
                                ("sst2_static", "SST-2 dev, ELMo + static vectors",
                                 f">= {TARGETS['sst2']} (static: {STATIC_SST2})")):
        r = results.get(step)
        if r:
            rows.append(f"| {step} | {label} ({r['train_texts']:,} training texts"
                        f"{'' if r.get('max_len') is None else ', first ' + str(r['max_len']) + ' tokens'}) | "
                        f"{r['accuracy']:.4f} ({r['seconds']:,.0f} s, features {r['features_seconds']:,.0f} s) "
                        f"| {target} |")
    return f"ELMo benchmark, --tokens {tokens:,}\n\n" + "\n".join(rows)


def parse_settings(items: list[str]) -> dict:
    """``KEY=VALUE`` ELMo settings; values read as JSON when they parse (``epochs=1``, ``cell_clip=null``)."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            sys.exit(f"--bilm takes KEY=VALUE settings, got {item!r}")
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS), help="steps to run (default: all)")
    parser.add_argument("--tokens", type=int, default=3_000_000, help="training tokens (default 3,000,000)")
    parser.add_argument("--sentences", type=int, default=10_000, help="sentences to embed (default 10,000)")
    parser.add_argument("--limit", type=int, default=None, help="texts of SpamAssassin / SST-2 (default: all)")
    parser.add_argument("--max-len", type=int, default=None, help="classify the first N tokens of each text")
    parser.add_argument("--dropout", type=float, default=0.0,
                        help="the classifiers' dropout (recorded as STEP_dropoutP; default 0: none)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (default 2)")
    parser.add_argument("--bilm", nargs="*", default=[], metavar="KEY=VALUE",
                        help="ELMo settings changed from the small preset (for a quick check of the script)")
    parser.add_argument("--workdir", type=Path, default=None, help="default benchmarks/out/elmo")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args()
    args.bilm = parse_settings(args.bilm)
    torch.set_num_threads(args.threads)
    d = (args.workdir or workdir() / "elmo") / str(args.tokens)
    d.mkdir(parents=True, exist_ok=True)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, seed {SEED}; run directory {d}")
    steps = {"train": step_train, "ppl": step_ppl, "wic": step_wic, "embed": step_embed, "spam": step_spam,
             "sst2": step_sst2, "spam_static": lambda a, d: step_spam(a, d, static=True),
             "sst2_static": lambda a, d: step_sst2(a, d, static=True)}
    for name in STEPS:
        if name in args.steps:
            print(f"\n## {name}", flush=True)
            t0 = time.perf_counter()
            figures = steps[name](args, d)
            figures["step_seconds"] = time.perf_counter() - t0
            classifier = name in ("spam", "sst2", "spam_static", "sst2_static")
            record(d, f"{name}_dropout{args.dropout:g}" if classifier and args.dropout else name, figures)
    print()
    print(table(json.loads(results_file(d).read_text()), args.tokens))


if __name__ == "__main__":
    main()
