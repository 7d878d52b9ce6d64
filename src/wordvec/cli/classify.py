"""``wordvec classify``: train, apply and evaluate a text classifier (PyTorch) on static word
embeddings (the embedding-average model, the default) or on a frozen ELMo biLM's features
(``--features elmo:DIR``).

Data files are TSV or CSV (``.gz`` accepted) with a header naming the text and label columns.
"""

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import (APP_SETTINGS, EncodingOption, ForceOption, HelpOption, TokenizerName, refuse_existing,
                                 user_errors)
from wordvec.config import ClassifierConfig, ContextualClassifierConfig, defaults

__all__ = ["app", "epoch_line", "evaluate", "predict", "read_texts", "train"]

app = typer.Typer(
    name="classify",
    help="Text classifier on word embeddings or ELMo features (needs PyTorch: pip install 'wordvec\\[torch]').",
    **APP_SETTINGS,
)

TextColumn = Annotated[str | None, typer.Option(
    help="Name of the text column.", show_default="the first of text, sentence, content, ...")]
LabelColumn = Annotated[str | None, typer.Option(
    help="Name of the label column.", show_default="the first of label, class, category, ...")]
#: The classifier's defaults (:class:`wordvec.config.ClassifierConfig`; reading them imports no torch).
C = defaults(ClassifierConfig)
#: The defaults with ``--features elmo:DIR`` (:class:`wordvec.config.ContextualClassifierConfig`).
E = defaults(ContextualClassifierConfig)
#: Options that only the static-vector classifier takes (refused with ``--features elmo:DIR``).
_STATIC_ONLY = ("embedding_dim", "min_count", "tokenizer", "save_vectors")
#: Options that only the ELMo-feature classifier takes (refused with static features).
_ELMO_ONLY = ("dropout",)
ModelDir = Annotated[Path, typer.Argument(metavar="MODEL", help="A classifier directory written by "
                                          "'wordvec classify train' (either kind of features).",
                                          show_default=False)]


@contextmanager
def _warnings_to_stderr():
    """Print the warnings raised inside the block as ``warning: ...`` lines on stderr."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for w in caught:
                typer.echo(f"warning: {w.message}", err=True)


def parse_features(value: str) -> Path | None:
    """``--features``: None for ``static``, the directory of ``elmo:DIR``; a ValueError otherwise."""
    kind, sep, directory = value.partition(":")
    if value == "static":
        return None
    if kind == "elmo" and sep and directory:
        return Path(directory)
    raise ValueError(f"--features must be 'static' or 'elmo:DIR' (DIR: a model from 'wordvec elmo train'), "
                     f"got {value!r}")


def _given(ctx: typer.Context, name: str) -> bool:
    """Whether option ``name`` was given on the command line (compared by name: typer may ship its own click)."""
    return getattr(ctx.get_parameter_source(name), "name", "DEFAULT") not in ("DEFAULT", "DEFAULT_MAP")


@app.command("train")
def train(
    ctx: typer.Context,
    data: Annotated[Path, typer.Argument(metavar="DATA.tsv", help="Training data.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory to write the model to.",
                                         show_default=False)],
    text_column: TextColumn = None,
    label_column: LabelColumn = None,
    features: Annotated[str, typer.Option(
        metavar="KIND",
        help="static: word embeddings (--vectors, or learned); elmo:DIR: a frozen ELMo biLM's layers "
             "('wordvec elmo train -o DIR'), mean-pooled, mixed by learned weights, Dense(256, relu). "
             "The options marked (static) do not apply to elmo.")] = "static",
    vectors: Annotated[Path | None, typer.Option(
        help="Pre-trained vectors to start the embedding from (native directory or word2vec / GloVe file); "
             "with elmo, their mean per text joins the ELMo vector (Peters et al. 2018).",
        show_default="learn from scratch; none with elmo")] = None,
    freeze: Annotated[bool, typer.Option(
        "--freeze/--fine-tune", help="Keep pre-trained vectors fixed, or train them further.")
    ] = C["freeze"],
    embedding_dim: Annotated[int, typer.Option(
        min=1, help="(static) Embedding size when learning from scratch.")] = C["embedding_dim"],
    hidden: Annotated[int | None, typer.Option(
        min=1, help="Units of the hidden ReLU layer.", show_default=f"{C['hidden']}; {E['hidden']} with elmo")
    ] = None,
    epochs: Annotated[int | None, typer.Option(
        min=1, help="Most epochs (early stopping may end sooner).",
        show_default=f"{C['epochs']}; {E['epochs']} with elmo")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Texts per batch.")] = C["batch_size"],
    learning_rate: Annotated[float, typer.Option(min=0.0, help="Adam learning rate.")] = C["learning_rate"],
    validation: Annotated[Path | None, typer.Option(
        help="Validation data (same columns); otherwise --validation-split of DATA is held out.",
        show_default=False)] = None,
    validation_split: Annotated[float, typer.Option(
        min=0.0, max=0.99, help="Share held out for validation.")] = C["validation_split"],
    patience: Annotated[int | None, typer.Option(
        min=0, help="Epochs without a better validation loss before stopping.",
        show_default=f"{C['patience']}; {E['patience']} with elmo")] = None,
    min_count: Annotated[int, typer.Option(
        min=1, help="(static) Ignore training words seen fewer times.")] = C["min_count"],
    max_len: Annotated[int | None, typer.Option(min=1, help="Keep the first N tokens of each text.",
                                                show_default="all")] = C["max_len"],
    tokenizer: Annotated[TokenizerName, typer.Option(
        help="(static) regex: words apart, lower-cased; whitespace: split on spaces only; korean: kiwipiepy morphemes "
             "without particles and punctuation (pip install 'wordvec\\[ko]'). Saved with the model.")
    ] = TokenizerName(C["tokenizer"]),
    dropout: Annotated[float, typer.Option(
        min=0.0, max=0.99, help="(elmo) Share of the dense layer's inputs zeroed at random while training.")
    ] = E["dropout"],
    seed: Annotated[int, typer.Option(help="Random seed.")] = C["seed"],
    plot: Annotated[Path | None, typer.Option(help="Write a PNG of loss and accuracy per epoch (matplotlib).",
                                              show_default=False)] = None,
    save_vectors: Annotated[Path | None, typer.Option(
        help="(static) Also save the learned embedding as word vectors (native directory), to query, evaluate or convert.",
        show_default=False)] = None,
    encoding: EncodingOption = "utf-8",
    force: ForceOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", metavar="",
                                        help="No progress bar, no line per epoch.")] = False,
    show_help: HelpOption = False,
) -> None:
    """Train a classifier on DATA.tsv and save it (the best epoch's weights) to --output.

    Each epoch shows a bar on a terminal (examples/s, running loss), then prints a line with the
    loss, the accuracy, the validation loss and accuracy, the examples/s and the time.
    """
    refuse_existing(output, plot, save_vectors, force=force)
    with user_errors(), _warnings_to_stderr():
        from wordvec.torch import read_labelled

        elmo_dir = parse_features(features)
        if elmo_dir is not None:
            refused = [_flag(name) for name in _STATIC_ONLY if _given(ctx, name)]
            if refused:
                raise ValueError(f"{', '.join(refused)} apply to static features only, not to --features {features}")
            from wordvec.cli._common import load_vectors
            from wordvec.contextual import ELMo
            from wordvec.torch import ContextualClassifier

            if freeze and vectors is None:
                raise ValueError("--freeze needs --vectors (there is nothing to freeze)")
            elmo = ELMo.load(elmo_dir)  # before reading the data: a wrong DIR fails at once
            kv = load_vectors(vectors) if vectors is not None else None
            clf = ContextualClassifier(
                elmo, vectors=kv, freeze=freeze, hidden=_or(hidden, E["hidden"]), epochs=_or(epochs, E["epochs"]), batch_size=batch_size,
                learning_rate=learning_rate, validation_split=validation_split, patience=_or(patience, E["patience"]),
                max_len=max_len, dropout=dropout, seed=seed, progress=False if quiet else None)
        else:
            refused = [_flag(name) for name in _ELMO_ONLY if _given(ctx, name)]
            if refused:
                raise ValueError(f"{', '.join(refused)} apply to --features elmo:DIR only")
        train_data = read_labelled(data, text_column=text_column, label_column=label_column, encoding=encoding)
        val = None
        if validation is not None:
            v = read_labelled(validation, text_column=text_column, label_column=label_column, encoding=encoding)
            val = (v.texts, v.labels)
        if elmo_dir is None:
            clf = _static_classifier(vectors, freeze, embedding_dim, _or(hidden, C["hidden"]), _or(epochs, C["epochs"]),
                                     batch_size, learning_rate, validation_split, _or(patience, C["patience"]),
                                     min_count, max_len, tokenizer.value, seed, progress=False if quiet else None)

        def show(row: dict) -> None:
            if quiet:
                return
            typer.echo(epoch_line(row, clf.epochs))

        clf.fit(train_data.texts, train_data.labels, validation=val, on_epoch=show)
        clf.save(output)
        best = clf.history_[clf.best_epoch_ - 1] if clf.best_epoch_ else clf.history_[-1]
        score = f"val_accuracy {best['val_accuracy']:.4f}" if "val_accuracy" in best else f"accuracy {best['accuracy']:.4f}"
        if elmo_dir is None:
            what = f"{len(clf.vocabulary_) - 2:,} words"
        else:
            weights = ", ".join(f"{w:.2f}" for w in clf.layer_weights())
            what = f"ELMo features ({clf.elmo_.n_layers} layers x {clf.elmo_.dim}, mixed {weights})"
            if clf.vectors is not None:
                what += (f" and static vectors ({len(clf.vocabulary_) - 2:,} words x {clf.model_.static.embedding_dim}, "
                         f"{'frozen' if clf.freeze else 'fine-tuned'})")
        typer.echo(f"{len(train_data):,} texts, {len(clf.classes_)} classes, {what}; "
                   f"best epoch {clf.best_epoch_} ({score}); saved to {output}")
        if plot is not None:
            from wordvec.viz.history import plot_history

            plot_history(clf.history_, plot, best_epoch=clf.best_epoch_)
            typer.echo(f"training history plotted to {plot}")
        if save_vectors is not None:
            from wordvec.io import save_native

            wv = clf.wv
            save_native(wv, save_vectors)
            typer.echo(f"learned embedding ({len(wv):,} words x {wv.vector_size}) saved to {save_vectors}")


def epoch_line(row: dict, epochs: int) -> str:
    """The line ``classify train`` prints after an epoch (a row of ``history_``; ``epochs``: the
    most there can be, for the width of the number): loss, accuracy, validation loss and accuracy
    when there is validation data, examples/s and seconds."""
    val_part = (f"  val_loss {row['val_loss']:.4f}  val_accuracy {row['val_accuracy']:.4f}"
                if "val_loss" in row else "")
    rate = row.get("examples_per_second")
    rate_part = f"{rate:,.0f} examples/s, " if rate is not None else ""
    return (f"epoch {row['epoch']:>{max(3, len(str(epochs)))}}  loss {row['loss']:.4f}  accuracy {row['accuracy']:.4f}"
            f"{val_part}  ({rate_part}{row['seconds']:.1f} s)")


def _flag(name: str) -> str:
    return "--freeze/--fine-tune" if name == "freeze" else f"--{name.replace('_', '-')}"


def _or(value, default):
    return default if value is None else value


def _static_classifier(vectors: Path | None, freeze: bool, embedding_dim: int, hidden: int, epochs: int,
                       batch_size: int, learning_rate: float, validation_split: float, patience: int,
                       min_count: int, max_len: int | None, tokenizer: str, seed: int, progress: bool | None = None):
    """The embedding-average classifier of the options (the pre-trained vectors loaded)."""
    from wordvec.cli._common import load_vectors
    from wordvec.torch import TextClassifier

    kv = load_vectors(vectors) if vectors is not None else None
    if kv is None and freeze:
        raise ValueError("--freeze needs --vectors (there is nothing to freeze when learning from scratch)")
    return TextClassifier(embedding_dim, vectors=kv, hidden=hidden, freeze=freeze, epochs=epochs,
                          batch_size=batch_size, learning_rate=learning_rate, validation_split=validation_split,
                          patience=patience, min_count=min_count, max_len=max_len, tokenizer=tokenizer, seed=seed,
                          progress=progress)


PredictModel = Annotated[Path, typer.Argument(
    metavar="MODEL", show_default=False,
    help="A classifier directory written by 'wordvec classify train' (either kind of features), or a supervised "
         "fastText model (.bin from 'fasttext supervised'; read with NumPy, no PyTorch needed).")]
#: Texts classified per pass (stdin is read and answered in blocks of this many lines).
_PREDICT_BLOCK = 1000


def read_texts(texts: list[str], encoding: str = "utf-8", stdin=None):
    """The TEXT arguments of ``classify predict``, with each ``-`` replaced by the lines of standard
    input (one text per line, line ends removed), read lazily. A line that is not valid
    ``encoding`` is a ValueError naming it."""
    import sys

    for text in texts:
        if text != "-":
            yield text
            continue
        stream = sys.stdin if stdin is None else stdin
        raw = getattr(stream, "buffer", None)
        for lineno, line in enumerate(raw if raw is not None else stream, 1):
            if isinstance(line, bytes):
                try:
                    line = line.decode(encoding)
                except UnicodeDecodeError as exc:
                    raise ValueError(f"standard input, line {lineno}: not valid {encoding} text ({exc.reason}); "
                                     "pass --encoding CODEC to read it in another encoding") from None
            yield line.removesuffix("\n").removesuffix("\r")


def _blocks(items, size: int):
    block = []
    for item in items:
        block.append(item)
        if len(block) == size:
            yield block
            block = []
    if block:
        yield block


def _fasttext_predictor(model: Path):
    """The supervised fastText model at ``model``, or None when ``model`` is not a fastText file;
    an unsupervised fastText model is a ValueError (it holds word vectors, not a classifier)."""
    if model.is_dir():
        return None
    from wordvec.io.fasttext_supervised import fasttext_model_kind, load_fasttext_supervised

    kind = fasttext_model_kind(model)
    if kind is None:
        return None
    if kind != "sup":
        raise ValueError(f"{model} is an unsupervised fastText model ({kind}: word vectors), not a classifier; "
                         "give a supervised model ('fasttext supervised') or a 'wordvec classify train' directory")
    return load_fasttext_supervised(model)


def _top(proba, k: int, threshold: float) -> list[tuple[int, float]]:
    """The ``k`` most probable classes (``k=-1``: all) at or above ``threshold``, best first."""
    import numpy as np

    order = np.argsort(-proba, kind="stable")
    if k != -1:
        order = order[:k]
    return [(int(i), float(proba[i])) for i in order if proba[i] >= threshold]


@app.command("predict")
def predict(
    model: PredictModel,
    texts: Annotated[list[str], typer.Argument(
        metavar="TEXT", show_default=False,
        help="Texts to classify; - reads standard input, one text per line.")],
    k: Annotated[int, typer.Option("--top-k", "-k", min=-1,
                                   help="How many labels to print per text, best first (-1: all).")] = 1,
    threshold: Annotated[float, typer.Option(
        min=0.0, help="Leave out labels less probable than this.")] = 0.0,
    encoding: EncodingOption = "utf-8",
    show_help: HelpOption = False,
) -> None:
    """Print the predicted label and its probability for each TEXT (tab-separated, then the text).

    With --top-k N, N label/probability pairs come before the text; a text left without a label by --threshold gets empty fields. A supervised fastText model gives fastText's labels (with their __label__ prefix) and probabilities, printed as its predict-prob prints them (6 significant digits); a wordvec classifier's probabilities have 4 decimals.
    """
    with user_errors():
        if k == 0:
            raise ValueError("--top-k must be 1 or more, or -1 for every label")
        fasttext_model = _fasttext_predictor(model)
        if fasttext_model is None:
            from wordvec.torch import load_classifier

            clf = load_classifier(model)
        import sys

        interactive = "-" in texts and sys.stdin.isatty()  # answer each line as it is typed
        for block in _blocks(read_texts(texts, encoding), 1 if interactive else _PREDICT_BLOCK):
            if fasttext_model is not None:
                answers = [[(label, f"{p:.6g}") for label, p in found]
                           for found in fasttext_model.predict_batch(block, k=k, threshold=threshold)]
            else:
                answers = [[(str(clf.classes_[i]), f"{p:.4f}") for i, p in _top(row, k, threshold)]
                           for row in clf.predict_proba(block)]
            lines = []
            for text, found in zip(block, answers):
                fields = [x for pair in found for x in pair] or ["", ""]
                lines.append("\t".join([*fields, text]))
            typer.echo("\n".join(lines))


@app.command("evaluate")
def evaluate(
    model: ModelDir,
    data: Annotated[Path, typer.Argument(metavar="TEST.tsv", help="Labelled test data.", show_default=False)],
    text_column: TextColumn = None,
    label_column: LabelColumn = None,
    encoding: EncodingOption = "utf-8",
    show_help: HelpOption = False,
) -> None:
    """Print the accuracy of MODEL on TEST.tsv (labels the model never saw count as errors, with a warning)."""
    with user_errors(), _warnings_to_stderr():
        from wordvec.torch import load_classifier, read_labelled
        from wordvec.torch.data import check_labels

        clf = load_classifier(model)
        test = read_labelled(data, text_column=text_column, label_column=label_column, encoding=encoding)
        check_labels(test, clf.classes_)
        result = clf.evaluate(test.texts, test.labels)
        typer.echo(f"accuracy {result['accuracy']:.4f}  ({result['correct']:,} of {result['n']:,} texts in {data})")
