"""``wordvec docs``: documents similar to a query text or to one document of a collection."""

from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import EncodingOption, HelpOption, VectorsArgument, choice, load_vectors, user_errors

__all__ = ["docs", "format_matches"]

Weighting = choice("Weighting", ("mean", "tfidf", "sif"))  # wordvec.documents.WEIGHTINGS
#: The narrowest a shortened text gets, whatever the terminal's width.
_MIN_TEXT_CELLS = 20


def docs(
    model: VectorsArgument,
    documents: Annotated[Path, typer.Argument(
        metavar="DOCS.tsv", help="Documents: TSV (or .csv), .gz accepted, with a header naming the columns; "
        "the id, title and text columns are guessed from it unless named.", show_default=False)],
    query: Annotated[str | None, typer.Option(
        "--query", "-q", help="Find the documents closest to this text.", show_default=False)] = None,
    doc_id: Annotated[str | None, typer.Option(
        "--id", help="Find the documents closest to the document with this id (itself left out).",
        show_default=False)] = None,
    topn: Annotated[int, typer.Option("--topn", "-n", min=1, help="How many documents.")] = 10,
    weighting: Annotated[Weighting, typer.Option(
        metavar="NAME", help="How word vectors are averaged: mean, tfidf or sif.")] = "mean",
    id_column: Annotated[str | None, typer.Option(
        metavar="NAME", help="Name of the id column.",
        show_default="the first of id, doc_id, document_id, ...; else the line number")] = None,
    title_column: Annotated[str | None, typer.Option(
        metavar="NAME", help="Name of the title column.",
        show_default="the first of title, name, headline, ...; else none")] = None,
    text_column: Annotated[str | None, typer.Option(
        metavar="NAME", help="Name of the text column.",
        show_default="the first of text, sentence, content, ..., plot, summary, ...")] = None,
    full_text: Annotated[bool, typer.Option(
        "--full-text", metavar="", help="Print each document's whole text (else shortened to the terminal's "
                                        "width, with an ellipsis).")] = False,
    encoding: EncodingOption = "utf-8",
    show_help: HelpOption = False,
) -> None:
    """Print the TOPN documents of DOCS.tsv most similar (cosine of mean word vectors) to --query or --id.

    One line per document: rank, similarity, id, title (when the file has a title column) and
    the beginning of its text.
    """
    with user_errors():
        if (query is None) == (doc_id is None):
            raise ValueError("give exactly one of --query TEXT and --id DOC_ID")
        from wordvec.documents import DocumentIndex, read_documents

        kv = load_vectors(model)
        records = read_documents(documents, id_column=id_column, title_column=title_column, text_column=text_column,
                                 encoding=encoding)
        index = DocumentIndex(kv, records, weighting=str(weighting))
        matches = index.most_similar(doc_id, text=query, topn=topn)
        target = f"document {doc_id!r}" if doc_id is not None else f"{query!r}"
        typer.echo(f"Closest to {target} among {len(index)} documents in {documents} (cosine similarity):")
        typer.echo(format_matches(matches, width=None if full_text else _terminal_width()))
        empty = index.empty_documents
        if empty:
            typer.echo(f"note: {len(empty)} document(s) have no word in the vectors and match nothing", err=True)


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size().columns  # $COLUMNS, else the terminal's, else 80


def format_matches(matches, width: int | None = None) -> str:
    """Aligned rows ``rank  score  id  title  text`` (ids and titles padded to one display width:
    Hangul takes two columns). The title is left out where it is the id (a file without titles);
    the text is put on one line (its whitespace runs made single spaces) and, with ``width``,
    shortened with an ellipsis so that the row fits in ``width`` columns."""
    if not matches:
        return "  (no other document)"
    from rich.cells import cell_len

    rank_width = len(str(len(matches)))
    id_width = max(cell_len(m.id) for m in matches)
    titles = [m.title if m.title != m.id else "" for m in matches]
    title_width = max(cell_len(t) for t in titles)
    rows = []
    for i, (m, title) in enumerate(zip(matches, titles), 1):
        row = f"  {i:>{rank_width}}  {m.score:7.4f}  {m.id}{' ' * (id_width - cell_len(m.id))}"
        if title_width:
            row += f"  {title}{' ' * (title_width - cell_len(title))}"
        text = " ".join(getattr(m, "text", "").split())
        if text:
            room = None if width is None else max(width - cell_len(row) - 2, _MIN_TEXT_CELLS)
            row += f"  {_shorten(text, room)}"
        rows.append(row.rstrip())
    return "\n".join(rows)


def _shorten(text: str, cells: int | None) -> str:
    """``text`` cut to ``cells`` display columns, the cut marked with an ellipsis (None: whole)."""
    from rich.cells import cell_len

    if cells is None or cell_len(text) <= cells:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + "…"
