"""``wordvec convert``: move vectors between the native, word2vec and GloVe formats."""

import os
from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import FORMAT_CHOICES, FORMAT_METAVAR, Format, format_name, user_errors

__all__ = ["convert"]


def convert(
    source: Annotated[Path, typer.Argument(
        metavar="IN", help="Vectors to read.", show_default=False)],
    target: Annotated[Path, typer.Argument(
        metavar="OUT", help="Where to write them (a directory for native).", show_default=False)],
    to: Annotated[Format, typer.Option("--to", "-t", metavar=FORMAT_METAVAR, help=f"Output format: {FORMAT_CHOICES}.",
                                       show_default=False)],
    from_: Annotated[Format | None, typer.Option(
        "--from", metavar=FORMAT_METAVAR, help=f"Input format: {FORMAT_CHOICES}.", show_default="detected")] = None,
    limit: Annotated[int | None, typer.Option(
        min=0, help="Read only the first N vectors.", show_default="all")] = None,
) -> None:
    """Convert IN to OUT in the format given by --to."""
    to = format_name(to)
    with user_errors():
        from wordvec.io import detect_format, load, read_native_config, save

        in_format = format_name(from_) if from_ else detect_format(source)
        kv = load(os.fspath(source), format=in_format, limit=limit)
        options = {}
        if in_format == "native" and to == "native":
            # keep the saved model settings (extra) when re-saving a native directory
            options["extra"] = read_native_config(source).get("extra", {})
        save(kv, os.fspath(target), format=to, **options)
        typer.echo(f"Converted {len(kv):,} vectors of {kv.vector_size} dimensions from "
                   f"{in_format} {source} to {to} {target}.")
