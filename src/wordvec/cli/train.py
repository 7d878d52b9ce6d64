"""``wordvec train``: train word vectors on text files (or a co-occurrence matrix) and save them.

The command only declares options: :func:`wordvec.models.fit_model` builds and fits the model and
the model writes its own summary. Every option's default is read from the models' config
dataclasses (:class:`wordvec.config.Word2VecConfig`, :class:`~wordvec.config.GloVeConfig`,
:class:`~wordvec.config.PPMISVDConfig`), so the help never disagrees with the library. An option
left out takes the chosen model's own default (GloVe's window is 10, for instance).

The help is per model: ``wordvec train --help`` shows the command's options and Word2Vec's (the
default model), ``wordvec train --model glove --help`` (or ``--help --model glove``) the
command's and GloVe's, each with that model's defaults. Which options a model takes is read
from its config's fields, so the help follows the config. click treats ``--help`` as eager and
answers it before the other options are read; here ``--help`` and ``--model`` are both eager,
and whichever of the two comes last prints the help for the model named.

``--scheduler ADDRESS`` (word2vec, fasttext) trains on a Dask cluster instead (the ``[dask]``
extra; ``fit(..., client=)``, :mod:`wordvec.distributed.rounds`): a scheduler's address, or
``local:N`` for N worker processes on this machine; ``--sync-words`` sets the synchronisation period.
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
    print_help,
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

__all__ = ["MODEL_TITLES", "train"]

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

#: The models' names as people write them, titling their panel of the help.
MODEL_TITLES = {"word2vec": "Word2Vec", "fasttext": "FastText", "glove": "GloVe", "ppmi-svd": "PPMI+SVD"}

#: Options of the command itself, not of a model (GloVe has a parameter called output too).
_COMMAND_OPTIONS = {"corpus", "output", "format", "model", "tokenizer", "encoding", "force", "quiet"}
#: Options the help shows in the command's panel, and the models they apply to (None: all).
_HELP_COMMAND_OPTIONS: dict[str, tuple[str, ...] | None] = {
    **dict.fromkeys(_COMMAND_OPTIONS), "phrases": None, "show_help": None,
    "init": ("word2vec", "fasttext"), "update_vocab": ("word2vec", "fasttext"),
    "scheduler": ("word2vec", "fasttext"), "sync_words": ("word2vec", "fasttext")}
#: Options named otherwise than the model parameter they set. GloVe's learning rate is --alpha,
#: as for Word2Vec; --glove-alpha is the hidden, deprecated name of --weight-exponent.
_RENAMED = {
    "glove": {"alpha": "learning_rate", "glove_alpha": "weight_exponent", "glove_output": "output",
              "memory": "memory_mb"},
    "ppmi-svd": {"memory": "memory_mb"},
}
#: Where the help's ``--help`` request waits for ``--model`` (both options are eager).
_HELP_ASKED = "wordvec.train.help_asked"


def _none_default(value, text: str):
    """``show_default`` for options whose config default is None."""
    return text if value is None else True


def _model_help(ctx: typer.Context, model: str) -> None:
    """Print the help with the command's options and ``model``'s alone (under its defaults), then exit.

    The command's parameters are changed for the printing (hidden, panel, default) and put back.
    """
    fields = defaults(MODEL_CONFIGS[model])
    renamed = _RENAMED.get(model, {})
    saved = [(p, p.hidden, getattr(p, "rich_help_panel", None), p.default) for p in ctx.command.params]
    try:
        for p in ctx.command.params:
            if p.name in _HELP_COMMAND_OPTIONS:
                models = _HELP_COMMAND_OPTIONS[p.name]
                p.hidden = p.hidden or (models is not None and model not in models)
                continue
            name = renamed.get(p.name, p.name)
            if p.hidden or name not in fields:
                p.hidden = True
                continue
            p.rich_help_panel = f"{MODEL_TITLES[model]} options"
            value = fields[name]
            p.default = type(p.default)(value) if isinstance(p.default, Enum) and value is not None else value
        print_help(ctx)
    finally:
        for p, hidden, panel, default in saved:
            p.hidden, p.default = hidden, default
            if hasattr(p, "rich_help_panel"):
                p.rich_help_panel = panel
    ctx.exit()


def _help_callback(ctx: typer.Context, value: bool) -> None:
    """``--help``: the help for ``--model`` when it was read already, else a note for ``--model``'s
    callback (which runs next: both are eager), so that either order of the two works."""
    if not value or ctx.resilient_parsing:
        return
    if "model" in ctx.params:
        _model_help(ctx, str(ctx.params["model"].value))
    ctx.meta[_HELP_ASKED] = True


def _model_callback(ctx: typer.Context, value: Model) -> Model:
    """``--model``: read before the other options, so that ``--help`` can show this model's options."""
    if ctx.meta.get(_HELP_ASKED) and not ctx.resilient_parsing:
        _model_help(ctx, str(value.value))
    return value


def train(
    ctx: typer.Context,
    corpus: Annotated[list[Path], typer.Argument(
        metavar="CORPUS",
        help="Text files (.txt, .gz, .bz2, .xz; one sentence per line) or directories of them; with "
             "--model glove or ppmi-svd also a co-occurrence matrix (.npz) saved by 'wordvec cooccur'.",
        show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="PATH", help="Where to save the vectors (a directory for the native format).",
        show_default=False)],
    format: Annotated[Format, typer.Option(
        "--format", "-f", metavar=FORMAT_METAVAR, help=f"Output format: {FORMAT_CHOICES}.")] = Format.native,
    model: Annotated[Model, typer.Option(
        metavar="NAME", is_eager=True, callback=_model_callback,
        help="Which model to train: word2vec, fasttext, glove or ppmi-svd. Each takes its own options: "
             "'wordvec train --model NAME --help' lists them.")] = _DEFAULT_MODEL,
    vector_size: Annotated[int, typer.Option(
        "--vector-size", "-d", metavar="INT", min=1, help="Dimensions of the word vectors.")] = D["vector_size"],
    architecture: Annotated[Architecture, typer.Option(
        metavar="NAME", help="skipgram: a word predicts its context; cbow: the context predicts the word.")
    ] = _DEFAULT_ARCHITECTURE,
    loss: Annotated[Loss, typer.Option(
        metavar="NAME", help="negative (sampling) or hierarchical (softmax).")] = _DEFAULT_LOSS,
    window: Annotated[int, typer.Option(metavar="INT", min=1, help="Max distance of context words.")] = D["window"],
    negative: Annotated[int, typer.Option(
        metavar="INT", min=0, help="Negative samples per positive example (with --loss negative).")] = D["negative"],
    sample: Annotated[float, typer.Option(
        metavar="FLOAT", min=0.0, help="Subsampling threshold for frequent words (0 disables).")] = D["sample"],
    min_count: Annotated[int, typer.Option(
        metavar="INT", min=1, help="Ignore words seen fewer times than this.")] = D["min_count"],
    max_vocab_size: Annotated[int | None, typer.Option(
        metavar="INT", min=1, help="Keep at most this many words, the most frequent.",
        show_default=_none_default(D["max_vocab_size"], "no cap"))] = D["max_vocab_size"],
    epochs: Annotated[int, typer.Option(metavar="INT", min=1, help="Passes over the corpus.")] = D["epochs"],
    alpha: Annotated[float, typer.Option(
        metavar="FLOAT", help="Initial learning rate (gensim's default is 0.025; 0.05 measured better for "
                              "both architectures).")] = D["alpha"],
    min_alpha: Annotated[float, typer.Option(
        metavar="FLOAT", help="Final learning rate (alpha decays linearly to it).")] = D["min_alpha"],
    cbow_mean: Annotated[bool, typer.Option(
        "--cbow-mean/--no-cbow-mean", metavar="",
        help="CBOW averages the context vectors (or sums them).")] = D["cbow_mean"],
    ns_exponent: Annotated[float, typer.Option(
        metavar="FLOAT", help="Exponent of the unigram distribution negatives are drawn from.")] = D["ns_exponent"],
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", metavar="INT", min=1, help="Training threads.",
        show_default=_none_default(D["workers"], "one per core"))] = D["workers"],
    seed: Annotated[int, typer.Option(
        metavar="INT", min=0, help="Random seed; with --workers 1 runs are identical.")] = D["seed"],
    max_sentence_length: Annotated[int, typer.Option(
        metavar="INT", min=2, help="Longer sentences are split into pieces (every token is still trained).")
    ] = D["max_sentence_length"],
    shared_negatives: Annotated[bool, typer.Option(
        "--shared-negatives/--no-shared-negatives", metavar="",
        help="Skip-gram with negative sampling draws the negatives once per word for its whole window "
             "(faster), or once per context word (as word2vec.c).")] = D["shared_negatives"],
    deterministic: Annotated[bool, typer.Option(
        "--deterministic/--hogwild", metavar="",
        help="Bit-identical vectors for a --seed whatever --workers (jobs train in rounds; slower), "
             "or lock-free Hogwild threads (identical runs only with --workers 1).")] = D["deterministic"],
    tokenizer: Annotated[TokenizerName, typer.Option(metavar="NAME", help=TOKENIZER_HELP)] = DEFAULT_TOKENIZER,
    encoding: EncodingOption = "utf-8",
    phrases: Annotated[Path | None, typer.Option(
        "--phrases", metavar="DIR", help="Join the phrases saved in DIR by 'wordvec phrases' (new_york) in the "
                                         "tokens before training.", show_default=False)] = None,
    min_n: Annotated[int, typer.Option(metavar="INT", min=1, help="Shortest character n-gram.")] = F["min_n"],
    max_n: Annotated[int, typer.Option(
        metavar="INT", min=0, help="Longest character n-gram (0 turns subwords off).")] = F["max_n"],
    bucket: Annotated[int, typer.Option(metavar="INT", min=1, help="Rows of the hashed n-gram table.")] = F["bucket"],
    jamo: Annotated[bool, typer.Option(
        "--jamo/--no-jamo", metavar="",
        help="Take n-grams over jamo, every Hangul syllable split into initial, vowel and final "
             "(Korean; --min-n/--max-n then count jamo).")] = F["jamo"],
    eos: Annotated[bool, typer.Option(
        "--eos/--no-eos", metavar="",
        help="End every line with the word </s>, as fastText does (--no-eos: as gensim).")] = F["eos"],
    x_max: Annotated[float, typer.Option(
        metavar="FLOAT", help="Weighting cut-off, f(x) = min(1, (x / x_max) ** weight_exponent).")] = G["x_max"],
    weight_exponent: Annotated[float, typer.Option(
        metavar="FLOAT", help="Exponent of the weighting f(x) (the GloVe paper's alpha).")] = G["weight_exponent"],
    glove_alpha: Annotated[float | None, typer.Option(
        hidden=True, help="Deprecated name of --weight-exponent.")] = None,
    grad_clip: Annotated[float, typer.Option(metavar="FLOAT", help="Gradient components are clipped to +-this.")
    ] = G["grad_clip"],
    glove_output: Annotated[GloVeOutput, typer.Option(
        metavar="NAME", help="sum: word + context vectors; word: word vectors alone.")] = _DEFAULT_GLOVE_OUTPUT,
    distance_weighting: Annotated[bool, typer.Option(
        "--distance-weighting/--no-distance-weighting", metavar="",
        help="A pair d words apart counts 1/d (or 1).")] = G["distance_weighting"],
    symmetric: Annotated[bool, typer.Option(
        "--symmetric/--left-only", metavar="",
        help="Count left and right contexts, or only (left word, right word) pairs.")
    ] = G["symmetric"],
    memory: Annotated[float, typer.Option(
        metavar="MIB", min=0.001, help="Memory cap of the co-occurrence counting buffers, MiB.")
    ] = G["memory_mb"],
    cds: Annotated[float, typer.Option(metavar="FLOAT", help="Context-distribution smoothing exponent.")] = P["cds"],
    shift: Annotated[float, typer.Option(metavar="FLOAT", help="Shifted PPMI, max(PMI - log(shift), 0).")] = P["shift"],
    eig: Annotated[float, typer.Option(
        metavar="FLOAT", help="Eigenvalue weighting, vectors = U * S ** eig.")] = P["eig"],
    svd: Annotated[SVDSolver, typer.Option(
        metavar="NAME", help="randomized SVD, or arpack: exact (needs scipy).")] = _DEFAULT_SVD,
    init: Annotated[Path | None, typer.Option(
        "--init", metavar="DIR",
        help="Continue training the word2vec or fasttext model saved in DIR (by 'wordvec train -o DIR') on "
             "CORPUS, keeping what it learned; options typed override its settings.", show_default=False)] = None,
    update_vocab: Annotated[bool, typer.Option(
        "--update-vocab/--keep-vocab", metavar="",
        help="With --init: add the words of CORPUS seen --min-count times to the vocabulary (gensim's "
             "build_vocab(update=True)), or keep the vocabulary and skip unknown words (gensim's train()).")
    ] = False,
    scheduler: Annotated[str | None, typer.Option(
        metavar="ADDRESS", help="Train on a Dask cluster: its scheduler (tcp://host:8786), or local:N for N "
        "worker processes on this machine (pip install 'wordvec\\[dask]'); word2vec and fasttext.",
        show_default="this process")] = None,
    sync_words: Annotated[int | None, typer.Option(
        metavar="INT", min=1, help="With --scheduler: corpus tokens trained by all workers between two "
        "synchronisations of the vectors.", show_default="an epoch's tokens / 64; fasttext: / (64 x workers)")] = None,
    force: ForceOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", metavar="", help="No progress bars.")] = False,
    show_help: Annotated[bool, typer.Option(
        "--help", "-h", metavar="", is_eager=True, expose_value=False, callback=_help_callback,
        help="Show this message and exit; with --model NAME, that model's options.")] = False,
) -> None:
    """Train word vectors on CORPUS and save them to OUTPUT, then print a summary.

    Progress bars go to stderr when it is a terminal (--quiet: none). This help lists the
    options of the model chosen with --model (Word2Vec without one): 'wordvec train --model
    fasttext --help' shows FastText's (glove, ppmi-svd likewise).
    """
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
    if scheduler is not None and model not in ("word2vec", "fasttext"):
        fail(f"--scheduler trains word2vec and fasttext on a Dask cluster; for {model}, count the matrix "
             f"on the cluster with 'wordvec cooccur ... --scheduler' and train on it here")
    if scheduler is not None and init is not None:
        fail("--scheduler trains a new model; --init continues a saved one on this machine")
    if sync_words is not None and scheduler is None:
        fail("--sync-words applies with --scheduler ADDRESS (training on a Dask cluster)")
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
        elif scheduler is not None:
            fitted = _fit_on_cluster(model, corpus[0] if len(corpus) == 1 else list(corpus), params, scheduler,
                                     sync_words=sync_words, tokenizer=tok, encoding=encoding, quiet=quiet)
        else:
            fitted = fit_model(model, corpus[0] if len(corpus) == 1 else list(corpus), **params,
                               tokenizer=tok, encoding=encoding, progress=False if quiet else None)
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
    fitted = get_estimator(model).load(init, **params, progress=False if quiet else None)
    if phrases is not None:
        from wordvec.cli.phrases import phrase_tokenizer

        base = fitted.tokenizer if isinstance(fitted.tokenizer, str) else tokenizer
        fitted.set_params(tokenizer=phrase_tokenizer(base, phrases))
    return fitted.partial_fit(corpus, update_vocab=update_vocab, encoding=encoding)


def _fit_on_cluster(model: str, corpus, params: dict, scheduler: str, *, sync_words: int | None, tokenizer,
                    encoding: str, quiet: bool):
    """Fit ``model`` on the Dask cluster at ``scheduler`` (``fit(..., client=)``) and say where it ran."""
    from wordvec.distributed import connect, describe_cluster
    from wordvec.models import get_estimator

    estimator = get_estimator(model)(**params, tokenizer=tokenizer, progress=False if quiet else None)
    with connect(scheduler) as client:
        where = describe_cluster(client)
        fitted = estimator.fit(corpus, encoding=encoding, client=client, sync_words=sync_words)
    d = fitted.training_stats_["distributed"]
    typer.echo(f"Trained on a Dask cluster: {where}, {d['partitions']} partitions in {d['groups']} groups, "
               f"{d['rounds']} synchronisations of {d['sync_words']:,} tokens.")
    return fitted


def _save(fitted, output: Path, format: str) -> None:
    if output.parent != Path("") and not output.parent.exists():
        output.parent.mkdir(parents=True)
    if format == "native":
        fitted.save(output)
    else:
        from wordvec.io import save

        save(fitted.wv, output, format=format)
