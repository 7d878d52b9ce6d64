"""``wordvec classify``: train, apply and evaluate the embedding-average text classifier (PyTorch).

Data files are TSV or CSV (``.gz`` accepted) with a header naming the text and label columns.
"""

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import APP_SETTINGS, TokenizerName, user_errors
from wordvec.config import ClassifierConfig, defaults

__all__ = ["app", "evaluate", "predict", "train"]

app = typer.Typer(
    name="classify",
    help="Text classifier on word embeddings (needs PyTorch: pip install wordvec\\[torch]).",
    **APP_SETTINGS,
)

TextColumn = Annotated[str | None, typer.Option(
    help="Name of the text column.", show_default="the first of text, sentence, content, ...")]
LabelColumn = Annotated[str | None, typer.Option(
    help="Name of the label column.", show_default="the first of label, class, category, ...")]
#: The classifier's defaults (:class:`wordvec.config.ClassifierConfig`; reading them imports no torch).
C = defaults(ClassifierConfig)
ModelDir = Annotated[Path, typer.Argument(metavar="MODEL", help="A classifier directory written by "
                                          "'wordvec classify train'.", show_default=False)]


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


@app.command("train")
def train(
    data: Annotated[Path, typer.Argument(metavar="DATA.tsv", help="Training data.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory to write the model to.",
                                         show_default=False)],
    text_column: TextColumn = None,
    label_column: LabelColumn = None,
    vectors: Annotated[Path | None, typer.Option(
        help="Pre-trained vectors to start the embedding from (native directory or word2vec / GloVe file).",
        show_default="learn from scratch")] = None,
    freeze: Annotated[bool, typer.Option(
        "--freeze/--fine-tune", help="Keep pre-trained vectors fixed, or train them further.")] = C["freeze"],
    embedding_dim: Annotated[int, typer.Option(
        min=1, help="Embedding size when learning from scratch.")] = C["embedding_dim"],
    hidden: Annotated[int, typer.Option(min=1, help="Units of the hidden ReLU layer.")] = C["hidden"],
    epochs: Annotated[int, typer.Option(min=1, help="Most epochs (early stopping may end sooner).")] = C["epochs"],
    batch_size: Annotated[int, typer.Option(min=1, help="Texts per batch.")] = C["batch_size"],
    learning_rate: Annotated[float, typer.Option(min=0.0, help="Adam learning rate.")] = C["learning_rate"],
    validation: Annotated[Path | None, typer.Option(
        help="Validation data (same columns); otherwise --validation-split of DATA is held out.",
        show_default=False)] = None,
    validation_split: Annotated[float, typer.Option(
        min=0.0, max=0.99, help="Share held out for validation.")] = C["validation_split"],
    patience: Annotated[int, typer.Option(
        min=0, help="Epochs without a better validation loss before stopping.")] = C["patience"],
    min_count: Annotated[int, typer.Option(min=1, help="Ignore training words seen fewer times.")] = C["min_count"],
    max_len: Annotated[int | None, typer.Option(min=1, help="Keep the first N tokens of each text.",
                                                show_default="all")] = C["max_len"],
    tokenizer: Annotated[TokenizerName, typer.Option(
        help="regex: words apart, lower-cased; whitespace: split on spaces only; korean: kiwipiepy morphemes "
             "without particles and punctuation (pip install 'wordvec\\[ko]'). Saved with the model.")
    ] = TokenizerName(C["tokenizer"]),
    seed: Annotated[int, typer.Option(help="Random seed.")] = C["seed"],
    plot: Annotated[Path | None, typer.Option(help="Write a PNG of loss and accuracy per epoch (matplotlib).",
                                              show_default=False)] = None,
    save_vectors: Annotated[Path | None, typer.Option(
        help="Also save the learned embedding as word vectors (native directory), to query, evaluate or convert.",
        show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print a line per epoch.")] = False,
) -> None:
    """Train a classifier on DATA.tsv and save it (the best epoch's weights) to --output."""
    with user_errors(), _warnings_to_stderr():
        from wordvec.cli._common import load_vectors
        from wordvec.torch import TextClassifier, read_labelled

        train_data = read_labelled(data, text_column=text_column, label_column=label_column)
        val = None
        if validation is not None:
            v = read_labelled(validation, text_column=text_column, label_column=label_column)
            val = (v.texts, v.labels)
        kv = load_vectors(vectors) if vectors is not None else None
        if kv is None and freeze:
            raise ValueError("--freeze needs --vectors (there is nothing to freeze when learning from scratch)")
        clf = TextClassifier(embedding_dim, vectors=kv, hidden=hidden, freeze=freeze, epochs=epochs,
                             batch_size=batch_size, learning_rate=learning_rate, validation_split=validation_split,
                             patience=patience, min_count=min_count, max_len=max_len,
                             tokenizer=tokenizer.value, seed=seed)

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
        typer.echo(f"{len(train_data):,} texts, {len(clf.classes_)} classes, {len(clf.vocabulary_) - 2:,} words; "
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


@app.command("predict")
def predict(
    model: ModelDir,
    texts: Annotated[list[str], typer.Argument(metavar="TEXT...", help="Texts to classify.", show_default=False)],
) -> None:
    """Print the predicted label and its probability for each TEXT (tab-separated)."""
    with user_errors():
        from wordvec.torch import TextClassifier

        clf = TextClassifier.load(model)
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
) -> None:
    """Print the accuracy of MODEL on TEST.tsv (labels the model never saw count as errors, with a warning)."""
    with user_errors(), _warnings_to_stderr():
        from wordvec.torch import TextClassifier, read_labelled
        from wordvec.torch.data import check_labels

        clf = TextClassifier.load(model)
        test = read_labelled(data, text_column=text_column, label_column=label_column)
        check_labels(test, clf.classes_)
        result = clf.evaluate(test.texts, test.labels)
        typer.echo(f"accuracy {result['accuracy']:.4f}  ({result['correct']:,} of {result['n']:,} texts in {data})")
