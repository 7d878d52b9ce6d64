"""``wordvec classify``: train, apply and evaluate a text classifier (PyTorch) on static word
embeddings (the embedding-average model, the default) or on a frozen ELMo biLM's features
(``--features elmo:DIR``).

Data files are TSV or CSV (``.gz`` accepted) with a header naming the text and label columns.
"""

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import APP_SETTINGS, EncodingOption, ForceOption, TokenizerName, refuse_existing, user_errors
from wordvec.config import ClassifierConfig, ContextualClassifierConfig, defaults

__all__ = ["app", "evaluate", "predict", "train"]

app = typer.Typer(
    name="classify",
    help="Text classifier on word embeddings or ELMo features (needs PyTorch: pip install wordvec\\[torch]).",
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
_STATIC_ONLY = ("vectors", "freeze", "embedding_dim", "min_count", "tokenizer", "save_vectors")
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
        metavar="static|elmo:DIR",
        help="static: word embeddings (--vectors, or learned); elmo:DIR: a frozen ELMo biLM's layers "
             "('wordvec elmo train -o DIR'), mean-pooled, mixed by learned weights, Dense(256, relu). "
             "The options marked (static) do not apply to elmo.")] = "static",
    vectors: Annotated[Path | None, typer.Option(
        help="(static) Pre-trained vectors to start the embedding from (native directory or word2vec / GloVe file).",
        show_default="learn from scratch")] = None,
    freeze: Annotated[bool, typer.Option(
        "--freeze/--fine-tune", help="(static) Keep pre-trained vectors fixed, or train them further.")
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
    seed: Annotated[int, typer.Option(help="Random seed.")] = C["seed"],
    plot: Annotated[Path | None, typer.Option(help="Write a PNG of loss and accuracy per epoch (matplotlib).",
                                              show_default=False)] = None,
    save_vectors: Annotated[Path | None, typer.Option(
        help="(static) Also save the learned embedding as word vectors (native directory), to query, evaluate or convert.",
        show_default=False)] = None,
    encoding: EncodingOption = "utf-8",
    force: ForceOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print a line per epoch.")] = False,
) -> None:
    """Train a classifier on DATA.tsv and save it (the best epoch's weights) to --output."""
    refuse_existing(output, plot, save_vectors, force=force)
    with user_errors(), _warnings_to_stderr():
        from wordvec.torch import read_labelled

        elmo_dir = parse_features(features)
        if elmo_dir is not None:
            refused = [_flag(name) for name in _STATIC_ONLY if _given(ctx, name)]
            if refused:
                raise ValueError(f"{', '.join(refused)} apply to static features only, not to --features {features}")
            from wordvec.contextual import ELMo
            from wordvec.torch import ContextualClassifier

            elmo = ELMo.load(elmo_dir)  # before reading the data: a wrong DIR fails at once
            clf = ContextualClassifier(
                elmo, hidden=_or(hidden, E["hidden"]), epochs=_or(epochs, E["epochs"]), batch_size=batch_size,
                learning_rate=learning_rate, validation_split=validation_split, patience=_or(patience, E["patience"]),
                max_len=max_len, seed=seed, progress=False if quiet else None)
        train_data = read_labelled(data, text_column=text_column, label_column=label_column, encoding=encoding)
        val = None
        if validation is not None:
            v = read_labelled(validation, text_column=text_column, label_column=label_column, encoding=encoding)
            val = (v.texts, v.labels)
        if elmo_dir is None:
            clf = _static_classifier(vectors, freeze, embedding_dim, _or(hidden, C["hidden"]), _or(epochs, C["epochs"]),
                                     batch_size, learning_rate, validation_split, _or(patience, C["patience"]),
                                     min_count, max_len, tokenizer.value, seed)

        def show(row: dict) -> None:
            if quiet:
                return
            val_part = (f"  val_loss {row['val_loss']:.4f}  val_accuracy {row['val_accuracy']:.4f}"
                        if "val_loss" in row else "")
            typer.echo(f"epoch {row['epoch']:>3}  loss {row['loss']:.4f}  accuracy {row['accuracy']:.4f}"
                       f"{val_part}  ({row['seconds']:.1f} s)")

        clf.fit(train_data.texts, train_data.labels, validation=val, on_epoch=show)
        clf.save(output)
        best = clf.history_[clf.best_epoch_ - 1] if clf.best_epoch_ else clf.history_[-1]
        score = f"val_accuracy {best['val_accuracy']:.4f}" if "val_accuracy" in best else f"accuracy {best['accuracy']:.4f}"
        if elmo_dir is None:
            what = f"{len(clf.vocabulary_) - 2:,} words"
        else:
            weights = ", ".join(f"{w:.2f}" for w in clf.layer_weights())
            what = f"ELMo features ({clf.elmo_.n_layers} layers x {clf.elmo_.dim}, mixed {weights})"
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


def _flag(name: str) -> str:
    return "--freeze/--fine-tune" if name == "freeze" else f"--{name.replace('_', '-')}"


def _or(value, default):
    return default if value is None else value


def _static_classifier(vectors: Path | None, freeze: bool, embedding_dim: int, hidden: int, epochs: int,
                       batch_size: int, learning_rate: float, validation_split: float, patience: int,
                       min_count: int, max_len: int | None, tokenizer: str, seed: int):
    """The embedding-average classifier of the options (the pre-trained vectors loaded)."""
    from wordvec.cli._common import load_vectors
    from wordvec.torch import TextClassifier

    kv = load_vectors(vectors) if vectors is not None else None
    if kv is None and freeze:
        raise ValueError("--freeze needs --vectors (there is nothing to freeze when learning from scratch)")
    return TextClassifier(embedding_dim, vectors=kv, hidden=hidden, freeze=freeze, epochs=epochs,
                          batch_size=batch_size, learning_rate=learning_rate, validation_split=validation_split,
                          patience=patience, min_count=min_count, max_len=max_len, tokenizer=tokenizer, seed=seed)


@app.command("predict")
def predict(
    model: ModelDir,
    texts: Annotated[list[str], typer.Argument(metavar="TEXT...", help="Texts to classify.", show_default=False)],
) -> None:
    """Print the predicted label and its probability for each TEXT (tab-separated)."""
    with user_errors():
        from wordvec.torch import load_classifier

        clf = load_classifier(model)
        proba = clf.predict_proba(texts)
        for text, p in zip(texts, proba):
            best = int(p.argmax())
            typer.echo(f"{clf.classes_[best]}\t{p[best]:.4f}\t{text}")


@app.command("evaluate")
def evaluate(
    model: ModelDir,
    data: Annotated[Path, typer.Argument(metavar="TEST.tsv", help="Labelled test data.", show_default=False)],
    text_column: TextColumn = None,
    label_column: LabelColumn = None,
    encoding: EncodingOption = "utf-8",
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
