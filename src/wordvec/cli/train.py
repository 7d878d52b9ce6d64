"""``wordvec train``: train word vectors on text files (or a co-occurrence matrix) and save them.

The command only declares options: :func:`wordvec.models.fit_model` builds and fits the model and
the model writes its own summary. Every option's default is read from the models' config
dataclasses (:class:`wordvec.config.Word2VecConfig`, :class:`~wordvec.config.GloVeConfig`,
:class:`~wordvec.config.PPMISVDConfig`), so the help never disagrees with the library. Options
shared by several models show Word2Vec's default; an option left out takes the chosen
model's own default (GloVe's window is 10, for instance), which the help names.
"""

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from wordvec._files import corpus_files
from wordvec.cli._common import (
    DEFAULT_TOKENIZER,
    FORMAT_CHOICES,
    EncodingOption,
    ForceOption,
    FORMAT_METAVAR,
    TOKENIZER_HELP,
    Format,
    TokenizerName,
    choice,
    fail,
    format_name,
    refuse_existing,
    user_errors,
)
from wordvec.config import (
    ARCHITECTURES,
    GLOVE_OUTPUTS,
    LOSSES,
    MODEL_CONFIGS,
    MODELS,
    SVD_SOLVERS,
    FastTextConfig,
    GloVeConfig,
    PPMISVDConfig,
    Word2VecConfig,
    defaults,
)

__all__ = ["train"]

D = defaults(Word2VecConfig)
G = defaults(GloVeConfig)
P = defaults(PPMISVDConfig)
F = defaults(FastTextConfig)

Model = choice("Model", MODELS)
Architecture = choice("Architecture", ARCHITECTURES)
Loss = choice("Loss", LOSSES)
GloVeOutput = choice("GloVeOutput", GLOVE_OUTPUTS)
SVDSolver = choice("SVDSolver", SVD_SOLVERS)
_DEFAULT_MODEL = Model(MODELS[0])
_DEFAULT_ARCHITECTURE = Architecture(D["architecture"])
_DEFAULT_LOSS = Loss(D["loss"])
_DEFAULT_GLOVE_OUTPUT = GloVeOutput(G["output"])
_DEFAULT_SVD = SVDSolver(P["svd"])

#: Options of the command itself, not of a model (GloVe has a parameter called output too).
_COMMAND_OPTIONS = {"corpus", "output", "format", "model", "tokenizer", "encoding", "force", "quiet"}
#: Options named otherwise than the model parameter they set. GloVe's learning rate is --alpha,
#: as for Word2Vec; --glove-alpha is the hidden, deprecated name of --weight-exponent.
_RENAMED = {
    "glove": {"alpha": "learning_rate", "glove_alpha": "weight_exponent", "glove_output": "output",
              "memory": "memory_mb"},
    "ppmi-svd": {"memory": "memory_mb"},
}


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
        "--format", "-f", metavar=FORMAT_METAVAR, help=f"Output format: {FORMAT_CHOICES}.")] = Format.native,
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
    tokenizer: Annotated[TokenizerName, typer.Option(help=TOKENIZER_HELP)] = DEFAULT_TOKENIZER,
    encoding: EncodingOption = "utf-8",
    phrases: Annotated[Path | None, typer.Option(
        "--phrases", metavar="DIR", help="Join the phrases saved in DIR by 'wordvec phrases' (new_york) in the "
                                         "tokens before training.", show_default=False)] = None,
    min_n: Annotated[int, typer.Option(min=1, help="fasttext: shortest character n-gram.")] = F["min_n"],
    max_n: Annotated[int, typer.Option(
        min=0, help="fasttext: longest character n-gram (0 turns subwords off).")] = F["max_n"],
    bucket: Annotated[int, typer.Option(min=1, help="fasttext: rows of the hashed n-gram table.")] = F["bucket"],
    jamo: Annotated[bool, typer.Option(
        "--jamo/--no-jamo",
        help="fasttext: take n-grams over jamo, every Hangul syllable split into initial, vowel and final "
             "(Korean; --min-n/--max-n then count jamo).")] = F["jamo"],
    x_max: Annotated[float, typer.Option(
        help="glove: weighting cut-off, f(x) = min(1, (x / x_max) ** weight_exponent).")] = G["x_max"],
    weight_exponent: Annotated[float, typer.Option(
        help="glove: exponent of the weighting f(x) (the GloVe paper's alpha).")] = G["weight_exponent"],
    glove_alpha: Annotated[float | None, typer.Option(
        hidden=True, help="Deprecated name of --weight-exponent.")] = None,
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
    init: Annotated[Path | None, typer.Option(
        "--init", help="Continue training the word2vec or fasttext model saved in this directory (by "
                       "'wordvec train -o DIR') on CORPUS, keeping what it learned; options typed override "
                       "its settings.", show_default=False)] = None,
    update_vocab: Annotated[bool, typer.Option(
        "--update-vocab/--keep-vocab",
        help="With --init: add the words of CORPUS seen --min-count times to the vocabulary (gensim's "
             "build_vocab(update=True)), or keep the vocabulary and skip unknown words (gensim's train()).")
    ] = False,
    force: ForceOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Train word vectors on CORPUS and save them to OUTPUT, then print a summary."""
    model, format = model.value, format_name(format)
    if init is not None:
        model = _init_model(ctx, init, model)
    elif update_vocab:
        fail("--update-vocab applies with --init DIR (continued training of a saved model)")
    if jamo and model != "fasttext":
        fail("--jamo applies to --model fasttext only (n-grams over jamo)")
    if format == "fasttext-bin" and model != "fasttext":
        fail(f"--format fasttext-bin holds a FastText model (with its n-gram rows), not {model} vectors; "
             f"use --model fasttext, or --format word2vec-text for a .vec file")
    if glove_alpha is not None:
        typer.echo("note: --glove-alpha is now called --weight-exponent; the old name will be removed", err=True)
    with user_errors():
        # Check everything that can be checked before a long training run.
        params = _parameters(model, ctx)
        MODEL_CONFIGS[model](**params).validate()
        corpus_files(corpus)  # a missing path fails now, not after the work before reading it
        _check_output(output, format, jamo=jamo)  # what --force cannot help first
        refuse_existing(output, force=force)
        from wordvec.models import fit_model

        tok = tokenizer.value
        if phrases is not None:  # the tokenizer's tokens with the saved phrases joined
            from wordvec.cli.phrases import phrase_tokenizer

            if any(Path(c).suffix == ".npz" for c in corpus):
                fail("--phrases applies to text corpora; a co-occurrence matrix (.npz) was counted without them")
            if init is None:
                tok = phrase_tokenizer(tok, phrases)
        if init is not None:
            fitted = _continue(ctx, model, init, corpus[0] if len(corpus) == 1 else list(corpus), params,
                               update_vocab=update_vocab, tokenizer=tokenizer.value, phrases=phrases,
                               encoding=encoding, quiet=quiet)
        else:
            fitted = fit_model(model, corpus[0] if len(corpus) == 1 else list(corpus), **params,
                               tokenizer=tok, encoding=encoding, progress=not quiet)
        _save(fitted, output, format)
        typer.echo(f"{fitted.summary()} Saved as {format} "
                   f"to {os.fspath(output)}.")


def _parameters(model: str, ctx: typer.Context) -> dict:
    """The ``model`` parameters set by options typed on the command line.

    Options left out are not passed, so they take the model's own defaults (FastText's alpha,
    GloVe's window, ...); options of other models are ignored.
    """
    renamed = _RENAMED.get(model, {})
    fields = defaults(MODEL_CONFIGS[model])
    params = {}
    for option, value in ctx.params.items():
        name = renamed.get(option, option)
        source = ctx.get_parameter_source(option)  # compared by name: typer may ship its own click
        if (option not in _COMMAND_OPTIONS and name in fields
                and getattr(source, "name", "DEFAULT") not in ("DEFAULT", "DEFAULT_MAP")):
            params[name] = value.value if isinstance(value, Enum) else value
    return params


def _check_output(output: Path, format: str, *, jamo: bool = False) -> None:
    """Refuse, before training, an output the save would refuse after it."""
    if jamo and format == "fasttext-bin":
        fail("--jamo models cannot be saved as fastText .bin (fastText has no jamo n-grams and would "
             "build different vectors for unseen words); use --format native, or word2vec-text for the "
             "vocabulary's vectors")
    from wordvec.io import check_save_target

    try:
        check_save_target(output, format)
    except OSError as exc:
        hint = " (or --format native)" if isinstance(exc, IsADirectoryError) else ""
        fail(f"{exc}{hint}")


def _typed(ctx: typer.Context, option: str) -> bool:
    return getattr(ctx.get_parameter_source(option), "name", "DEFAULT") not in ("DEFAULT", "DEFAULT_MAP")


def _init_model(ctx: typer.Context, init: Path, asked: str) -> str:
    """The model saved in ``--init DIR`` (checked to be trainable further); a typed --model must match."""
    from wordvec.models.base import trainable_model_name

    with user_errors():
        name = trainable_model_name(init)
    if _typed(ctx, "model") and asked != name:
        fail(f"--model {asked} does not match the {name} model in {os.fspath(init)}, which --init continues")
    return name


def _continue(ctx: typer.Context, model: str, init: Path, corpus, params: dict, *, update_vocab: bool,
              tokenizer: str, phrases: Path | None, encoding: str, quiet: bool):
    """Load the model in ``init`` (typed options override its settings) and train it further on ``corpus``.

    With ``phrases``, the saved phrases are joined on top of the tokenizer (the typed one, else the
    saved model's own)."""
    from wordvec.models import get_estimator

    if _typed(ctx, "tokenizer"):  # else the saved model's own tokenizer
        params = {**params, "tokenizer": tokenizer}
    fitted = get_estimator(model).load(init, **params, progress=not quiet)
    if phrases is not None:
        from wordvec.cli.phrases import phrase_tokenizer

        base = fitted.tokenizer if isinstance(fitted.tokenizer, str) else tokenizer
        fitted.set_params(tokenizer=phrase_tokenizer(base, phrases))
    return fitted.partial_fit(corpus, update_vocab=update_vocab, encoding=encoding)


def _save(fitted, output: Path, format: str) -> None:
    if output.parent != Path("") and not output.parent.exists():
        output.parent.mkdir(parents=True)
    if format == "native":
        fitted.save(output)
    else:
        from wordvec.io import save

        save(fitted.wv, output, format=format)
