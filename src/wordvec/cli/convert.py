"""``wordvec convert``: move vectors between the native, word2vec, GloVe and fastText formats."""

import os
from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import (
    FORMAT_CHOICES,
    FORMAT_METAVAR,
    ForceOption,
    Format,
    HelpOption,
    fail,
    format_name,
    refuse_existing,
    user_errors,
)

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
    force: ForceOption = False,
    show_help: HelpOption = False,
) -> None:
    """Convert IN to OUT in the format given by --to."""
    to = format_name(to)
    with user_errors():
        from wordvec.io import check_save_target, detect_format, load, read_native_config, save

        check_save_target(target, to)  # what --force cannot help first
        refuse_existing(target, force=force)

        in_format = format_name(from_) if from_ else detect_format(source)
        kv = load(os.fspath(source), format=in_format, limit=limit)
        if to == "fasttext-bin":
            _check_fasttext_bin(kv, source)
        options = {}
        if in_format == "native" and to == "native":
            # keep the saved model settings (extra) when re-saving a native directory
            options["extra"] = read_native_config(source).get("extra", {})
        save(kv, os.fspath(target), format=to, **options)
        typer.echo(f"Converted {len(kv):,} vectors of {kv.vector_size} dimensions from "
                   f"{in_format} {source} to {to} {target}.")


def _check_fasttext_bin(kv, source: Path) -> None:
    """Refuse, in the command line's words, vectors a fastText .bin cannot hold."""
    from wordvec.vectors.subword import SubwordVectors  # what FastText models and .bin files load as

    if not isinstance(kv, SubwordVectors):
        fail(f"{source} holds word vectors without character n-grams, and a fastText .bin needs a FastText "
             f"model's n-gram rows; use --to word2vec-text to write a .vec file (the format of fastText's "
             f"word vectors)")
    if getattr(kv, "jamo", False):
        fail(f"{source} takes its n-grams over jamo, which fastText cannot: a .bin would give unseen words "
             f"other vectors; use --to native to keep the n-grams, or --to word2vec-text for a .vec file of "
             f"the vocabulary's vectors")
