"""``wordvec plot``: a labelled 2-D scatter (PNG/SVG/PDF) and/or an offline interactive HTML page."""

from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import (
    ForceOption,
    HelpOption,
    VectorsArgument,
    choice,
    fail,
    load_vectors,
    refuse_existing,
    user_errors,
)

__all__ = ["parse_words", "plot", "read_groups"]

#: Mirrors wordvec.viz.reduce.METHODS (kept here so `wordvec --help` does not import NumPy; a test checks they agree).
METHODS = ("pca", "tsne", "umap")
Method = choice("Method", METHODS)


def parse_words(values: list[str] | None) -> list[str] | None:
    """``--words`` values, each split on commas and whitespace: ``--words king,queen --words man``."""
    if not values:
        return None
    return [w for v in values for w in v.replace(",", " ").split()]


def read_groups(path: Path) -> dict[str, str]:
    """A ``word<TAB>group`` file (one pair a line; blank lines and ``#`` comments skipped)."""
    groups: dict[str, str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1].strip():
            raise ValueError(f"{path}, line {lineno}: expected 'word<TAB>group'")
        groups[parts[0]] = parts[1].strip()
    return groups


def plot(
    model: VectorsArgument,
    words: Annotated[list[str] | None, typer.Option(
        "--words", "-w", help="Words to plot (repeat the option, or separate with commas).",
        show_default=False)] = None,
    top: Annotated[int | None, typer.Option(
        "--top", "-n", min=1, help="Plot the N most frequent words.", show_default="100 for images, 500 for HTML")] = None,
    method: Annotated[Method, typer.Option("--method", "-m", help="Reduction to 2-D/3-D.")] = "pca",
    dims: Annotated[int, typer.Option("--dims", min=2, max=3, help="2 or 3 (3 only with --html).")] = 2,
    clusters: Annotated[int | None, typer.Option(
        "--clusters", "-k", min=1, help="Colour by K k-means clusters.", show_default=False)] = None,
    groups: Annotated[Path | None, typer.Option(
        "--groups", help="Colour by groups from a 'word<TAB>group' file.", show_default=False)] = None,
    seed: Annotated[int, typer.Option(help="Seed for t-SNE / UMAP / k-means.")] = 0,
    title: Annotated[str | None, typer.Option(help="Plot title.", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Image to write: .png, .svg or .pdf.", show_default=False)] = None,
    html: Annotated[Path | None, typer.Option(
        "--html", help="Interactive page to write (self-contained, works offline).", show_default=False)] = None,
    force: ForceOption = False,
    show_help: HelpOption = False,
) -> None:
    """Plot WORDS (or the TOP most frequent words) of MODEL after PCA, t-SNE or UMAP."""
    method = Method(method).value
    word_list = parse_words(words)
    if word_list is not None and top is not None:
        fail("give --words or --top, not both")
    if output is None and html is None:
        fail("nothing to write: give -o plot.png (or .svg/.pdf) and/or --html page.html")
    if dims == 3 and output is not None:
        fail("--dims 3 is for --html only; images are 2-D")
    if groups is not None and clusters is not None:
        fail("give --groups or --clusters, not both")
    refuse_existing(output, html, force=force)
    with user_errors():
        group_map = read_groups(groups) if groups is not None else None
        kv = load_vectors(model)
        options = {"words": word_list, "top": top, "method": method, "seed": seed, "groups": group_map,
                       "clusters": clusters, "title": title}
        if output is not None:
            from wordvec.viz import plot_words

            plot_words(kv, path=output, **options)
            typer.echo(f"Wrote {output}")
        if html is not None:
            from wordvec.viz import plot_html

            plot_html(kv, dims=dims, path=html, **options)
            typer.echo(f"Wrote {html}")
