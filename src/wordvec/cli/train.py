"""``wordvec train``: train word vectors on text files and save them.

Every option's default is read from the model's config dataclass
(:class:`wordvec.config.Word2VecConfig`), so the help never disagrees with the library.
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
from wordvec.config import ARCHITECTURES, LOSSES, Word2VecConfig, defaults

__all__ = ["MODELS", "TOKENIZERS", "train"]

#: Models ``--model`` can train; the value names the builder in :func:`_build`.
MODELS = ("word2vec",)
#: Tokenizer names understood by :func:`wordvec.corpus.get_tokenizer`.
TOKENIZERS = ("regex", "whitespace")

D = defaults(Word2VecConfig)

Model = choice("Model", MODELS)
Architecture = choice("Architecture", ARCHITECTURES)
Loss = choice("Loss", LOSSES)
TokenizerName = choice("TokenizerName", TOKENIZERS)
_DEFAULT_MODEL = Model(MODELS[0])
_DEFAULT_ARCHITECTURE = Architecture(D["architecture"])
_DEFAULT_LOSS = Loss(D["loss"])
_DEFAULT_TOKENIZER = TokenizerName(TOKENIZERS[0])

_LOSS_NAMES = {"negative": "negative sampling", "hierarchical": "hierarchical softmax"}


def _none_default(value, text: str):
    """``show_default`` for options whose config default is None."""
    return text if value is None else True


def train(
    corpus: Annotated[list[Path], typer.Argument(
        metavar="CORPUS",
        help="Text files (.txt, .gz, .bz2, .xz; one sentence per line) or directories of them.",
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
        min=1, help="Maximum distance between a word and its context words.")] = D["window"],
    negative: Annotated[int, typer.Option(
        min=0, help="Negative samples per positive example (with --loss negative).")] = D["negative"],
    sample: Annotated[float, typer.Option(
        min=0.0, help="Subsampling threshold for frequent words (0 disables).")] = D["sample"],
    min_count: Annotated[int, typer.Option(
        min=1, help="Ignore words seen fewer times than this.")] = D["min_count"],
    max_vocab_size: Annotated[int | None, typer.Option(
        min=1, help="Keep at most this many words, the most frequent.",
        show_default=_none_default(D["max_vocab_size"], "no cap"))] = D["max_vocab_size"],
    epochs: Annotated[int, typer.Option(min=1, help="Passes over the corpus.")] = D["epochs"],
    alpha: Annotated[float, typer.Option(help="Initial learning rate.")] = D["alpha"],
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
    tokenizer: Annotated[TokenizerName, typer.Option(
        help="regex: words and punctuation apart; whitespace: split on spaces only.")
    ] = _DEFAULT_TOKENIZER,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Train word vectors on CORPUS and save them to OUTPUT, then print a summary."""
    model, format, tokenizer = model.value, format.value, tokenizer.value
    params = {
        "vector_size": vector_size, "architecture": architecture.value, "loss": loss.value,
        "window": window,
        "negative": negative, "sample": sample, "min_count": min_count,
        "max_vocab_size": max_vocab_size, "epochs": epochs, "alpha": alpha, "min_alpha": min_alpha,
        "cbow_mean": cbow_mean, "ns_exponent": ns_exponent, "workers": workers, "seed": seed,
        "max_sentence_length": max_sentence_length, "shared_negatives": shared_negatives,
    }
    with user_errors():
        # Check everything that can be checked before a long training run.
        Word2VecConfig(**params).validate()
        for path in corpus:
            if not path.exists():
                raise FileNotFoundError(f"corpus file not found: {path}")
        _check_output(output, format)
        fitted = _build(model, params, tokenizer=tokenizer, progress=not quiet)
        fitted.fit(corpus[0] if len(corpus) == 1 else list(corpus))
        _save(fitted, output, format)
        typer.echo(summary(fitted, model, output, format))


def _build(model: str, params: dict, *, tokenizer: str, progress: bool):
    """The unfitted estimator for ``--model``."""
    if model == "word2vec":
        from wordvec.models.word2vec import Word2Vec

        return Word2Vec(**params, tokenizer=tokenizer, progress=progress)
    raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")  # pragma: no cover


def _check_output(output: Path, format: str) -> None:
    """Refuse, before training, an output the save would refuse after it."""
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
