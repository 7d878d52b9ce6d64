"""``wordvec quantize``: a fastText model as a product-quantized ``.ftz`` that fastText reads."""

import os
from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import ForceOption, HelpOption, RestrictVocab, refuse_existing, user_errors

__all__ = ["quantize"]


def quantize(
    model: Annotated[Path, typer.Argument(
        metavar="MODEL", help="A fastText .bin (unsupervised) or a native FastText directory.", show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="OUT.ftz", help="The quantized model to write.", show_default=False)],
    dsub: Annotated[int, typer.Option(
        min=1, help="Dimensions per sub-quantizer (one byte codes dsub float32 values).")] = 2,
    qnorm: Annotated[bool, typer.Option(
        "--qnorm/--no-qnorm",
        help="Quantize the rows' norms apart (one more byte a row; fastText's -qnorm, off there by default).")] = True,
    qout: Annotated[bool, typer.Option(
        "--qout/--no-qout", help="Quantize the output matrix too (fastText's -qout); it serves no query.")] = True,
    prune: Annotated[bool, typer.Option(
        "--prune/--no-prune",
        help="Let the n-gram buckets no vocabulary word uses (never trained) share one row.")] = True,
    analogies: Annotated[str | None, typer.Option(
        metavar="FILE", help="Also report analogy accuracy before and after: 'google' or a questions-words file.",
        show_default=False)] = None,
    restrict_vocab: RestrictVocab = 30000,
    seed: Annotated[int, typer.Option(help="Seed of the k-means.")] = 1234,
    force: ForceOption = False,
    show_help: HelpOption = False,
) -> None:
    """Quantize MODEL into OUT.ftz; print the sizes, the similarity it costs and, with --analogies, the accuracy."""
    with user_errors():
        from wordvec.io.quantize import quantize_fasttext

        refuse_existing(output, force=force)
        report = quantize_fasttext(os.fspath(model), os.fspath(output), dsub=dsub, qnorm=qnorm, qout=qout,
                                   prune=prune, seed=seed)
        lines = [
            f"wrote {report.target}: {report.target_bytes:,} bytes, {report.ratio:.1f}x smaller than "
            f"{report.source} ({report.source_bytes:,} bytes)",
            f"words: {report.words:,}; dsub {report.dsub}, qnorm {'on' if report.qnorm else 'off'}, "
            f"qout {'on' if report.qout else 'off'}; {report.kept_buckets:,} n-gram buckets kept"
            + (f", {report.shared_buckets:,} untrained ones sharing a row" if report.shared_buckets else ""),
            f"cosine similarity of each word's vector to the original: mean {report.mean_cosine:.4f} "
            f"(loss {report.cosine_loss:.4f}), min {report.min_cosine:.4f}",
        ]
        if analogies is not None:
            from wordvec.evaluate import evaluate_analogies

            before = evaluate_analogies(report.original, analogies, restrict_vocab=restrict_vocab)
            after = evaluate_analogies(report.quantized, analogies, restrict_vocab=restrict_vocab)
            lines.append(f"analogies ({analogies}, restrict_vocab {restrict_vocab}): {_accuracy(before)} before, "
                         f"{_accuracy(after)} after")
        lines.append(f"took {report.seconds:.1f} s")
        typer.echo("\n".join(lines))


def _accuracy(result) -> str:
    return f"{100 * result.accuracy:.2f} %"
