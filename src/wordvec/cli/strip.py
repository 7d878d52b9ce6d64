"""``wordvec strip``: words as rows of coloured cells, one per dimension (red +, white 0, blue −)."""

from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import ForceOption, HelpOption, VectorsArgument, load_vectors, refuse_existing, user_errors

__all__ = ["strip"]


def strip(
    model: VectorsArgument,
    words: Annotated[list[str], typer.Argument(metavar="WORD", help="Words, one row each.", show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Image to write: .png, .svg or .pdf.", show_default=False)],
    dims: Annotated[int | None, typer.Option(
        min=1, help="Show only the first N dimensions.", show_default="all")] = None,
    normalize: Annotated[bool, typer.Option(help="Draw unit-length vectors.")] = False,
    title: Annotated[str | None, typer.Option(help="Picture title.", show_default=False)] = None,
    force: ForceOption = False,
    show_help: HelpOption = False,
) -> None:
    """Draw the vectors of WORD... as a colour strip (as in The Illustrated Word2vec)."""
    refuse_existing(output, force=force)
    with user_errors():
        kv = load_vectors(model)
        from wordvec.viz import plot_strip

        plot_strip(kv, words, path=output, dims=dims, normalize=normalize, title=title)
        typer.echo(f"Wrote {output}")
