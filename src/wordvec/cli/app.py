"""The ``wordvec`` command: a typer app with one module per command.

Command modules import only typer and light parts of wordvec at start-up; NumPy,
numba and the models are imported inside the commands, so ``wordvec --help`` is instant.
"""

from typing import Annotated

import typer

from wordvec.cli import (
    analogy,
    classify,
    convert,
    cooccur,
    demo,
    docs,
    elmo,
    evaluate,
    export_projector,
    index,
    info,
    plot,
    serve,
    similar,
    strip,
    train,
)
from wordvec.cli._common import APP_SETTINGS

__all__ = ["app", "main"]

app = typer.Typer(
    name="wordvec",
    help="Word embeddings: train Word2Vec, FastText, GloVe, PPMI+SVD or an ELMo biLM; query, evaluate, plot and convert vectors.",
    **APP_SETTINGS,
)

app.command("train")(train.train)
app.command("cooccur")(cooccur.cooccur)
from wordvec.cli import phrases  # noqa: E402
app.command("phrases")(phrases.phrases)
app.command("similar")(similar.similar)
app.command("index")(index.index)
app.command("analogy")(analogy.analogy)
from wordvec.cli import fasttext_verbs  # noqa: E402
app.command("print-word-vectors")(fasttext_verbs.print_word_vectors)
app.command("print-sentence-vectors")(fasttext_verbs.print_sentence_vectors)
app.command("shell")(fasttext_verbs.shell)
app.command("evaluate")(evaluate.evaluate)
app.command("convert")(convert.convert)
app.command("info")(info.info)
app.command("demo")(demo.demo)
app.command("docs")(docs.docs)
app.command("plot")(plot.plot)
app.command("strip")(strip.strip)
app.command("export-projector")(export_projector.export_projector)
app.command("serve")(serve.serve)
from wordvec.cli import quantize  # noqa: E402
app.command("quantize")(quantize.quantize)
app.add_typer(classify.app, name="classify")
app.add_typer(elmo.app, name="elmo")


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"wordvec {version('wordvec')}")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            typer.echo("wordvec (version unknown: not installed)")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[bool | None, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = None,
) -> None:
    """Word embeddings: train Word2Vec, FastText, GloVe, PPMI+SVD or an ELMo biLM; query, evaluate, plot and convert vectors."""


def main() -> None:
    """Console-script entry point (``wordvec``)."""
    app(prog_name="wordvec")


if __name__ == "__main__":  # pragma: no cover
    main()
