"""``wordvec index``: build an approximate nearest-neighbour index next to native vectors."""

import time
from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import ForceOption, HelpOption, fail, refuse_existing, user_errors

__all__ = ["index"]

# The show_default values below repeat wordvec.vectors.ann.DEFAULTS (importing it here would load
# NumPy at start-up); tests/cli/test_index.py checks that they agree.


def index(
    model: Annotated[Path, typer.Argument(
        metavar="MODEL", help="A native vectors directory (wordvec convert writes one from other formats).",
        show_default=False)],
    connectivity: Annotated[int | None, typer.Option(
        min=2, help="Graph edges per word (HNSW's M): more is slower to build, more accurate.",
        show_default="48")] = None,
    expansion_add: Annotated[int | None, typer.Option(
        min=2, help="Candidates kept while building (efConstruction).", show_default="300")] = None,
    expansion_search: Annotated[int | None, typer.Option(
        min=2, help="Candidates kept while searching (ef): more is slower, more accurate.",
        show_default="128")] = None,
    threads: Annotated[int | None, typer.Option(
        min=1, help="Build threads.", show_default="one per core")] = None,
    force: ForceOption = False,
    show_help: HelpOption = False,
) -> None:
    """Build an approximate nearest-neighbour index (HNSW, usearch) and save it in MODEL/ann.

    `wordvec similar`, the projector page and wordvec.load then use it for vocabularies of
    100,000 words or more (`wordvec similar --index exact` bypasses it). Needs the ann extra:
    pip install 'wordvec\\[ann]'.
    """
    with user_errors():
        from wordvec.io import detect_format, load_native
        from wordvec.vectors.ann import INDEX_DIR, require_usearch

        if detect_format(model) != "native":
            fail(f"{model} is not a native vectors directory; the index is saved inside one: convert it first "
                 f"(wordvec convert {model} DIR --to native)")
        refuse_existing(model / INDEX_DIR, force=force)
        require_usearch()
        kv = load_native(model)  # without the index it replaces
        params = {name: value for name, value in (("connectivity", connectivity), ("expansion_add", expansion_add),
                                                   ("expansion_search", expansion_search)) if value is not None}
        start = time.perf_counter()
        built = kv.build_index(threads=threads, **params)
        seconds = time.perf_counter() - start
        where = built.save(model)
        size = sum(f.stat().st_size for f in where.iterdir() if f.is_file())
        typer.echo(f"Indexed {len(kv):,} words in {seconds:.1f} s; saved {where} ({size / 2**20:.1f} MiB)")
