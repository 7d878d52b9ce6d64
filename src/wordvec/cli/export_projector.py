"""``wordvec export-projector``: vecs.tsv + meta.tsv + configs for the TensorFlow Embedding Projector."""

from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import ForceOption, HelpOption, VectorsArgument, load_vectors, refuse_existing, user_errors

__all__ = ["export_projector"]


def export_projector(
    model: VectorsArgument,
    outdir: Annotated[Path, typer.Argument(
        metavar="OUTDIR", help="Folder to write (created if needed).", show_default=False)],
    limit: Annotated[int | None, typer.Option(
        "--limit", "-n", min=1, help="Export only the N first (most frequent) words.", show_default="all")] = None,
    counts: Annotated[bool, typer.Option(
        help="Add a 'count' column to meta.tsv (when the vectors have counts).")] = True,
    name: Annotated[str, typer.Option(help="Tensor name shown by the projector.")] = "wordvec",
    force: ForceOption = False,
    show_help: HelpOption = False,
) -> None:
    """Write OUTDIR/vecs.tsv, meta.tsv, projector_config.pbtxt (TensorBoard) and projector_config.json."""
    with user_errors():
        from wordvec.io.projector import CONFIG_JSON, CONFIG_PBTXT, META_TSV, VECS_TSV, save_projector

        # other files in OUTDIR are left alone: only those the export would replace are refused
        refuse_existing(*(outdir / file for file in (VECS_TSV, META_TSV, CONFIG_PBTXT, CONFIG_JSON)), force=force)
        kv = load_vectors(model)

        metadata = ("count",) if counts and kv.counts is not None else ()
        paths = save_projector(kv, outdir, limit=limit, metadata=metadata, tensor_name=name)
        n = min(len(kv), limit or len(kv))
        typer.echo(f"Wrote {n:,} vectors of {kv.vector_size} dimensions to {outdir}: "
                   + ", ".join(p.name for p in paths.values()))
        typer.echo("Load vecs.tsv and meta.tsv at https://projector.tensorflow.org (Load), "
                   f"or run: tensorboard --logdir {outdir}")
