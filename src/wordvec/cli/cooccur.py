"""``wordvec cooccur``: count a corpus's word-word co-occurrence matrix once, save it, reuse it.

Defaults come from :class:`wordvec.config.CooccurrenceConfig`. The saved ``.npz`` is read by
``wordvec train MATRIX --model glove|ppmi-svd`` and by ``scipy.sparse.load_npz``.
``--scheduler ADDRESS`` counts on a Dask cluster instead (:mod:`wordvec.distributed`, the
``[dask]`` extra): a scheduler's address, or ``local:N`` for N worker processes on this machine.
The matrix is the one counted here without it.
"""

from pathlib import Path
from typing import Annotated

import typer

from wordvec._files import corpus_files
from wordvec.cli._common import (
    DEFAULT_TOKENIZER,
    TOKENIZER_HELP,
    EncodingOption,
    ForceOption,
    HelpOption,
    TokenizerName,
    fail,
    refuse_existing,
    user_errors,
)
from wordvec.config import CooccurrenceConfig, defaults

__all__ = ["cooccur", "cooccur_summary"]

C = defaults(CooccurrenceConfig)


def cooccur(
    corpus: Annotated[list[Path], typer.Argument(
        metavar="CORPUS", help="Text files (.txt, .gz, .bz2, .xz; one sentence per line) or directories of them.",
        show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Where to save the matrix (.npz; scipy.sparse.load_npz reads it too).",
        show_default=False)],
    window: Annotated[int, typer.Option(min=1, help="Context words on each side.")] = C["window"],
    distance_weighting: Annotated[bool, typer.Option(
        "--distance-weighting/--no-distance-weighting",
        help="A pair d words apart adds 1/d (or 1).")] = C["distance_weighting"],
    symmetric: Annotated[bool, typer.Option(
        "--symmetric/--left-only", help="Count left and right contexts, or only (left word, right word) pairs.")
    ] = C["symmetric"],
    min_count: Annotated[int, typer.Option(min=1, help="Ignore words seen fewer times than this.")] = C["min_count"],
    max_vocab_size: Annotated[int | None, typer.Option(
        min=1, help="Keep at most this many words, the most frequent.", show_default="no cap")
    ] = C["max_vocab_size"],
    memory: Annotated[float, typer.Option(
        min=0.001, help="Memory cap of the counting buffers in MiB (sorted runs spill to disk above it).")
    ] = C["memory_mb"],
    tokenizer: Annotated[TokenizerName, typer.Option(metavar="NAME", help=TOKENIZER_HELP)] = DEFAULT_TOKENIZER,
    encoding: EncodingOption = "utf-8",
    force: ForceOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    scheduler: Annotated[str | None, typer.Option(
        metavar="ADDRESS", help="Count on a Dask cluster: its scheduler (tcp://host:8786), or local:N for N "
        "worker processes on this machine (pip install 'wordvec\\[dask]').", show_default="this process")
    ] = None,
    show_help: HelpOption = False,
) -> None:
    """Count the co-occurrence matrix of CORPUS and save it to OUTPUT, then print a summary."""
    if output.is_dir():
        fail(f"{output} is a directory; the co-occurrence matrix is one .npz file")
    refuse_existing(output, force=force)
    with user_errors():
        CooccurrenceConfig(window=window, distance_weighting=distance_weighting, symmetric=symmetric,
                           min_count=min_count, max_vocab_size=max_vocab_size, memory_mb=memory).validate()
        corpus_files(corpus)  # a missing path fails now, not after the work before reading it
        options = dict(window=window, distance_weighting=distance_weighting, symmetric=symmetric,
                       min_count=min_count, max_vocab_size=max_vocab_size, memory_mb=memory,
                       tokenizer=tokenizer.value, encoding=encoding, progress=False if quiet else None)
        source = corpus[0] if len(corpus) == 1 else list(corpus)
        if scheduler is None:
            from wordvec.cooccur import build_cooccurrence

            matrix = build_cooccurrence(source, **options)
        else:
            from wordvec.distributed import build_cooccurrence_distributed, connect, describe_cluster

            with connect(scheduler) as client:
                where = describe_cluster(client)
                matrix = build_cooccurrence_distributed(client, source, **options)
            n = matrix.settings["distributed"]["partitions"]
            typer.echo(f"Counted on a Dask cluster: {where}, {n} partition{'s' if n != 1 else ''} of the corpus.")
        if output.parent != Path("") and not output.parent.exists():
            output.parent.mkdir(parents=True)
        matrix.save(output)
        typer.echo(cooccur_summary(matrix, output))


def cooccur_summary(matrix, output: Path) -> str:
    s = matrix.settings
    runs = s.get("spilled_runs", 0)
    return (f"Counted {matrix.nnz:,} non-zero co-occurrences among {len(matrix.keys):,} words "
            f"(min_count={s.get('min_count')}) in {s.get('total_words', 0):,} tokens, window {s.get('window')} "
            f"({'symmetric' if s.get('symmetric') else 'left only'}, "
            f"{'1/distance' if s.get('distance_weighting') else 'unweighted'}), in {s.get('seconds', 0.0):.2f} s "
            f"({runs} sorted run{'s' if runs != 1 else ''} spilled to disk). Saved to {output}.")
