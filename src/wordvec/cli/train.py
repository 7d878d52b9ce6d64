"""``wordvec train``: train word vectors on text files (or a co-occurrence matrix) and save them.

Every option's default is read from the models' config dataclasses
(:class:`wordvec.config.Word2VecConfig`, :class:`~wordvec.config.GloVeConfig`,
:class:`~wordvec.config.PPMISVDConfig`), so the help never disagrees with the library. Options
shared by several models show Word2Vec's default; an option left out takes the chosen
model's own default (GloVe's window is 10, for instance), which the help names.
"""

import os
from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import (
    CLI_FORMAT_NAME,
    FORMATS,
    Format,
    choice,
    fail,
    user_errors,
)
from wordvec.config import (
    ARCHITECTURES,
    GLOVE_OUTPUTS,
    LOSSES,
    SVD_SOLVERS,
    FastTextConfig,
    GloVeConfig,
    PPMISVDConfig,
    Word2VecConfig,
    defaults,
)

__all__ = ["MODELS", "TOKENIZERS", "train"]

#: Models ``--model`` can train; the value names the builder in :func:`_build`.
MODELS = ("word2vec", "fasttext", "glove", "ppmi-svd")
#: Tokenizer names understood by :func:`wordvec.corpus.get_tokenizer` (its TOKENIZER_NAMES; not
#: imported here so that ``wordvec --help`` stays instant).
TOKENIZERS = ("regex", "whitespace", "korean")
#: ``--tokenizer`` help, shared with ``wordvec cooccur``.
TOKENIZER_HELP = ("regex: words and punctuation apart; whitespace: split on spaces only; korean: kiwipiepy "
                  "morphemes without particles and punctuation (pip install 'wordvec\\[ko]'), tokenized "
                  "once and cached in $WORDVEC_CACHE_DIR (default ~/.cache/wordvec/tokens).")

D = defaults(Word2VecConfig)
G = defaults(GloVeConfig)
P = defaults(PPMISVDConfig)
F = defaults(FastTextConfig)

Model = choice("Model", MODELS)
Architecture = choice("Architecture", ARCHITECTURES)
Loss = choice("Loss", LOSSES)
TokenizerName = choice("TokenizerName", TOKENIZERS)
_DEFAULT_MODEL = Model(MODELS[0])
_DEFAULT_ARCHITECTURE = Architecture(D["architecture"])
_DEFAULT_LOSS = Loss(D["loss"])
_DEFAULT_TOKENIZER = TokenizerName(TOKENIZERS[0])
GloVeOutput = choice("GloVeOutput", GLOVE_OUTPUTS)
SVDSolver = choice("SVDSolver", SVD_SOLVERS)
_DEFAULT_GLOVE_OUTPUT = GloVeOutput(G["output"])
_DEFAULT_SVD = SVDSolver(P["svd"])

_LOSS_NAMES = {"negative": "negative sampling", "hierarchical": "hierarchical softmax"}


def _none_default(value, text: str):
    """``show_default`` for options whose config default is None."""
    return text if value is None else True


def train(
    ctx: typer.Context,
    corpus: Annotated[list[Path], typer.Argument(
        metavar="CORPUS",
        help="Text files (.txt, .gz, .bz2, .xz; one sentence per line) or directories of them; with "
             "--model glove or ppmi-svd also a co-occurrence matrix (.npz) saved by 'wordvec cooccur'.",
        show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Where to save the vectors (a directory for the native format).",
        show_default=False)],
    format: Annotated[Format, typer.Option(
        "--format", "-f", help="Output format.")] = Format.native,
    model: Annotated[Model, typer.Option(help="Which model to train.")] = _DEFAULT_MODEL,
    vector_size: Annotated[int, typer.Option(
        "--vector-size", "-d", min=1, help="Dimensions of the word vectors.")] = D["vector_size"],
    architecture: Annotated[Architecture, typer.Option(
        help="skipgram: a word predicts its context; cbow: the context predicts the word.")
    ] = _DEFAULT_ARCHITECTURE,
    loss: Annotated[Loss, typer.Option(
        help="negative sampling or hierarchical softmax.")] = _DEFAULT_LOSS,
    window: Annotated[int, typer.Option(
        min=1, help=f"Max distance of context words (glove/ppmi-svd default: {G['window']}).")] = D["window"],
    negative: Annotated[int, typer.Option(
        min=0, help="Negative samples per positive example (with --loss negative).")] = D["negative"],
    sample: Annotated[float, typer.Option(
        min=0.0, help="Subsampling threshold for frequent words (0 disables).")] = D["sample"],
    min_count: Annotated[int, typer.Option(
        min=1, help="Ignore words seen fewer times than this.")] = D["min_count"],
    max_vocab_size: Annotated[int | None, typer.Option(
        min=1, help="Keep at most this many words, the most frequent.",
        show_default=_none_default(D["max_vocab_size"], "no cap"))] = D["max_vocab_size"],
    epochs: Annotated[int, typer.Option(
        min=1, help=f"Passes over the corpus (glove default: {G['epochs']}).")] = D["epochs"],
    alpha: Annotated[float, typer.Option(
        help=f"Initial learning rate (fasttext default: {F['alpha']}, glove: {G['learning_rate']}).")
    ] = D["alpha"],
    min_alpha: Annotated[float, typer.Option(
        help="Final learning rate (alpha decays linearly to it).")] = D["min_alpha"],
    cbow_mean: Annotated[bool, typer.Option(
        "--cbow-mean/--no-cbow-mean",
        help="CBOW averages the context vectors (or sums them).")] = D["cbow_mean"],
    ns_exponent: Annotated[float, typer.Option(
        help="Exponent of the unigram distribution negatives are drawn from.")] = D["ns_exponent"],
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", min=1, help="Training threads.",
        show_default=_none_default(D["workers"], "one per core"))] = D["workers"],
    seed: Annotated[int, typer.Option(
        min=0, help="Random seed; with --workers 1 runs are identical.")] = D["seed"],
    max_sentence_length: Annotated[int, typer.Option(
        min=2, help="Longer sentences are split into pieces (every token is still trained).")
    ] = D["max_sentence_length"],
    shared_negatives: Annotated[bool, typer.Option(
        "--shared-negatives/--no-shared-negatives",
        help="Skip-gram with negative sampling draws the negatives once per word for its whole window "
             "(faster).")] = D["shared_negatives"],
    tokenizer: Annotated[TokenizerName, typer.Option(help=TOKENIZER_HELP)] = _DEFAULT_TOKENIZER,
    min_n: Annotated[int, typer.Option(min=1, help="fasttext: shortest character n-gram.")] = F["min_n"],
    max_n: Annotated[int, typer.Option(
        min=0, help="fasttext: longest character n-gram (0 turns subwords off).")] = F["max_n"],
    bucket: Annotated[int, typer.Option(min=1, help="fasttext: rows of the hashed n-gram table.")] = F["bucket"],
    jamo: Annotated[bool, typer.Option(
        "--jamo/--no-jamo",
        help="fasttext: take n-grams over jamo, every Hangul syllable split into initial, vowel and final "
             "(Korean; --min-n/--max-n then count jamo).")] = F["jamo"],
    x_max: Annotated[float, typer.Option(
        help="glove: weighting cut-off, f(x) = min(1, (x / x_max) ** glove_alpha).")] = G["x_max"],
    glove_alpha: Annotated[float, typer.Option(help="glove: exponent of the weighting f(x).")] = G["alpha"],
    grad_clip: Annotated[float, typer.Option(help="glove: gradient components are clipped to +-this.")
    ] = G["grad_clip"],
    glove_output: Annotated[GloVeOutput, typer.Option(
        help="glove: save word + context vectors (sum) or word vectors alone.")] = _DEFAULT_GLOVE_OUTPUT,
    distance_weighting: Annotated[bool, typer.Option(
        "--distance-weighting/--no-distance-weighting",
        help="glove, ppmi-svd: a pair d words apart counts 1/d (or 1).")] = G["distance_weighting"],
    symmetric: Annotated[bool, typer.Option(
        "--symmetric/--left-only",
        help="glove, ppmi-svd: count left and right contexts, or only (left word, right word) pairs.")
    ] = G["symmetric"],
    memory: Annotated[float, typer.Option(
        min=0.001, help="glove, ppmi-svd: memory cap of the co-occurrence counting buffers, MiB.")
    ] = G["memory_mb"],
    cds: Annotated[float, typer.Option(
        help="ppmi-svd: context-distribution smoothing exponent.")] = P["cds"],
    shift: Annotated[float, typer.Option(help="ppmi-svd: shifted PPMI, max(PMI - log(shift), 0).")] = P["shift"],
    eig: Annotated[float, typer.Option(help="ppmi-svd: eigenvalue weighting, vectors = U * S ** eig.")
    ] = P["eig"],
    svd: Annotated[SVDSolver, typer.Option(help="ppmi-svd: randomized SVD, or exact ARPACK (needs scipy).")
    ] = _DEFAULT_SVD,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Train word vectors on CORPUS and save them to OUTPUT, then print a summary."""
    model, format, tokenizer = model.value, format.value, tokenizer.value
    if jamo and model != "fasttext":
        fail("--jamo applies to --model fasttext only (n-grams over jamo)")
    if model not in ("word2vec", "fasttext"):
        given = _given(ctx)
        params = _count_params(model, given, vector_size=vector_size, window=window, min_count=min_count,
                               max_vocab_size=max_vocab_size, epochs=epochs, alpha=alpha, workers=workers,
                               seed=seed, x_max=x_max, glove_alpha=glove_alpha, grad_clip=grad_clip,
                               glove_output=glove_output.value, distance_weighting=distance_weighting,
                               symmetric=symmetric, memory=memory, cds=cds, shift=shift, eig=eig,
                               svd=svd.value)
        with user_errors():
            _train_counted(model, params, corpus, output, format, tokenizer, progress=not quiet)
        return
    params = {
        "vector_size": vector_size, "architecture": architecture.value, "loss": loss.value,
        "window": window,
        "negative": negative, "sample": sample, "min_count": min_count,
        "max_vocab_size": max_vocab_size, "epochs": epochs, "alpha": alpha, "min_alpha": min_alpha,
        "cbow_mean": cbow_mean, "ns_exponent": ns_exponent, "workers": workers, "seed": seed,
        "max_sentence_length": max_sentence_length, "shared_negatives": shared_negatives,
    }
    if model == "fasttext":
        params.update(min_n=min_n, max_n=max_n, bucket=bucket, jamo=jamo)
        given = _given(ctx)
        for name in params:  # options left at Word2Vec's default take FastText's own (alpha, ...)
            if name not in given and name in F:
                params[name] = F[name]
    with user_errors():
        # Check everything that can be checked before a long training run.
        (FastTextConfig if model == "fasttext" else Word2VecConfig)(**params).validate()
        for path in corpus:
            if not path.exists():
                raise FileNotFoundError(f"corpus file not found: {path}")
        _check_output(output, format, jamo=jamo)
        fitted = _build(model, params, tokenizer=tokenizer, progress=not quiet)
        fitted.fit(corpus[0] if len(corpus) == 1 else list(corpus))
        _save(fitted, output, format)
        typer.echo(summary(fitted, model, output, format))


def _build(model: str, params: dict, *, tokenizer: str, progress: bool):
    """The unfitted estimator for ``--model``."""
    if model == "word2vec":
        from wordvec.models.word2vec import Word2Vec

        return Word2Vec(**params, tokenizer=tokenizer, progress=progress)
    if model == "fasttext":
        from wordvec.models.fasttext import FastText

        return FastText(**params, tokenizer=tokenizer, progress=progress)
    raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")  # pragma: no cover


def _check_output(output: Path, format: str, *, jamo: bool = False) -> None:
    """Refuse, before training, an output the save would refuse after it."""
    if jamo and FORMATS[format] == "fasttext-bin":
        fail("--jamo models cannot be saved as fastText .bin (fastText has no jamo n-grams and would "
             "build different vectors for unseen words); use --format native, or word2vec for the "
             "vocabulary's vectors")
    if format == "native":
        if output.is_file():
            fail(f"{output} is a file; the native format is a directory (choose another path or "
                 f"--format word2vec)")
        if output.is_dir() and any(output.iterdir()) and not (output / "config.json").is_file():
            fail(f"refusing to replace {output}: it is a non-empty directory that holds no wordvec "
                 f"model; choose a new path")
    elif output.is_dir():
        fail(f"{output} is a directory; --format {format} writes a file")


def _save(fitted, output: Path, format: str) -> None:
    if output.parent != Path("") and not output.parent.exists():
        output.parent.mkdir(parents=True)
    if format == "native":
        fitted.save(output)
    else:
        from wordvec.io import save

        save(fitted.wv, output, format=FORMATS[format])


def summary(fitted, model: str, output: Path, format: str) -> str:
    """One paragraph: vocabulary, tokens, time, speed, final loss and where the vectors went."""
    cfg = fitted.config
    corpus, stats = fitted.corpus_stats_, fitted.training_stats_
    split = corpus.get("sentences_split", 0)
    split_note = (f" ({split:,} longer than max_sentence_length={cfg.max_sentence_length:,} were split)"
                  if split else "")
    logs = getattr(fitted, "epoch_logs_", None)
    if logs:
        loss_note = f"final loss {logs[-1].mean_loss:.4f} per example (epoch total {logs[-1].loss:,.1f})"
    else:
        loss_note = "no loss recorded"
    workers = stats["workers"]
    where = os.fspath(output)
    return (
        f"Trained {model} ({cfg.architecture}, {_LOSS_NAMES.get(cfg.loss, cfg.loss)}, "
        f"{cfg.vector_size} dimensions) on {corpus['raw_words']:,} tokens in "
        f"{corpus['sentences']:,} sentences{split_note}: {len(fitted.vocab_):,} words in the vocabulary "
        f"(min_count={cfg.min_count}), covering {corpus['kept_tokens']:,} tokens. "
        f"{stats['epochs_run']} epoch{'s' if stats['epochs_run'] != 1 else ''} took "
        f"{stats['seconds_train']:.2f} s ({_rate(stats['words_per_second'])} words/s, "
        f"{workers} worker{'s' if workers != 1 else ''}; {stats.get('seconds_total', stats['seconds_train']):.2f} s "
        f"in all); {loss_note}. Saved as {CLI_FORMAT_NAME.get(FORMATS[format], format)} to {where}."
    )


def _rate(words_per_second: float) -> str:
    if words_per_second >= 1e6:
        return f"{words_per_second / 1e6:,.2f}M"
    if words_per_second >= 1e3:
        return f"{words_per_second / 1e3:,.0f}k"
    return f"{words_per_second:,.0f}"


# ------------------------------------------------------------------ glove and ppmi-svd
def _given(ctx: typer.Context) -> set[str]:
    """The options typed on the command line (not left at their default)."""
    given = set()
    for name in ctx.params:
        source = ctx.get_parameter_source(name)  # compared by name: typer may ship its own click
        if source is not None and getattr(source, "name", "") not in ("DEFAULT", "DEFAULT_MAP"):
            given.add(name)
    return given


def _count_params(model: str, given: set[str], **o) -> dict:
    """Constructor parameters of GloVe / PPMISVD; shared options not given take the model's default."""
    cfg = G if model == "glove" else P

    def pick(option: str, field: str):
        return o[option] if option in given else cfg[field]

    params = {"vector_size": pick("vector_size", "vector_size"), "window": pick("window", "window"),
              "min_count": o["min_count"], "max_vocab_size": o["max_vocab_size"],
              "distance_weighting": o["distance_weighting"], "symmetric": o["symmetric"],
              "memory_mb": o["memory"], "seed": o["seed"]}
    if model == "glove":
        params.update(epochs=pick("epochs", "epochs"), learning_rate=pick("alpha", "learning_rate"),
                      x_max=o["x_max"], alpha=o["glove_alpha"], grad_clip=o["grad_clip"],
                      output=o["glove_output"], workers=o["workers"])
    else:
        params.update(cds=o["cds"], shift=o["shift"], eig=o["eig"], svd=o["svd"])
    return params


def _is_matrix(corpus: list[Path]) -> bool:
    return len(corpus) == 1 and corpus[0].is_file() and corpus[0].suffix == ".npz"


def _train_counted(model: str, params: dict, corpus: list[Path], output: Path, format: str,
                   tokenizer: str, *, progress: bool) -> None:
    (GloVeConfig if model == "glove" else PPMISVDConfig)(**params).validate()
    for path in corpus:
        if not path.exists():
            raise FileNotFoundError(f"corpus file not found: {path}")
    _check_output(output, format)
    if model == "glove":
        from wordvec.models.glove import GloVe as cls
    else:
        from wordvec.models.ppmi_svd import PPMISVD as cls
    fitted = cls(**params, tokenizer=tokenizer, progress=progress)
    if _is_matrix(corpus):
        fitted.fit_cooccurrence(corpus[0])
    else:
        fitted.fit(corpus[0] if len(corpus) == 1 else list(corpus))
    _save(fitted, output, format)
    typer.echo(counted_summary(fitted, model, output, format))


def counted_summary(fitted, model: str, output: Path, format: str) -> str:
    """The summary paragraph of a GloVe or PPMI+SVD training."""
    cfg = fitted.config
    corpus, stats = fitted.corpus_stats_, fitted.training_stats_
    if model == "glove":
        logs = fitted.epoch_logs_
        what = (f"{stats['epochs_run']} epoch{'s' if stats['epochs_run'] != 1 else ''} of AdaGrad over "
                f"{corpus['cooccurrence_entries']:,} co-occurrences took {stats['seconds_train']:.2f} s "
                f"({stats['workers']} worker{'s' if stats['workers'] != 1 else ''}); final loss "
                f"{logs[-1].mean_loss:.4f} per entry (sum of f(x) * error^2: {logs[-1].loss:,.1f})")
    else:
        what = (f"PPMI (cds {cfg.cds}) kept {corpus['ppmi_entries']:,} of {corpus['cooccurrence_entries']:,} "
                f"co-occurrences; {cfg.svd} SVD (eig {cfg.eig}) took {stats['seconds_train']:.2f} s")
    return (f"Trained {model} ({cfg.vector_size} dimensions) on {corpus['raw_words']:,} tokens: "
            f"{len(fitted.vocab_):,} words in the vocabulary. {what}; "
            f"{stats.get('seconds_total', stats['seconds_train']):.2f} s in all. "
            f"Saved as {CLI_FORMAT_NAME.get(FORMATS[format], format)} to {os.fspath(output)}.")
