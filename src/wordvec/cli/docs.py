"""``wordvec docs``: documents similar to a query text or to one document of a collection."""

from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import EncodingOption, VectorsArgument, choice, load_vectors, user_errors

__all__ = ["docs", "format_matches"]

Weighting = choice("Weighting", ("mean", "tfidf", "sif"))  # wordvec.documents.WEIGHTINGS


def docs(
    model: VectorsArgument,
    documents: Annotated[Path, typer.Argument(
        metavar="DOCS.tsv", help="Documents: TSV (or .csv), .gz accepted, with a header naming the id, "
        "title and text columns.", show_default=False)],
    query: Annotated[str | None, typer.Option(
        "--query", "-q", help="Find the documents closest to this text.", show_default=False)] = None,
    doc_id: Annotated[str | None, typer.Option(
        "--id", help="Find the documents closest to the document with this id (itself left out).",
        show_default=False)] = None,
    topn: Annotated[int, typer.Option("--topn", "-n", min=1, help="How many documents.")] = 10,
    weighting: Annotated[Weighting, typer.Option(help="How word vectors are averaged.")] = "mean",
    id_column: Annotated[str, typer.Option(help="Name of the id column.")] = "id",
    title_column: Annotated[str, typer.Option(help="Name of the title column (the id if absent).")] = "title",
    text_column: Annotated[str, typer.Option(help="Name of the text column.")] = "text",
    encoding: EncodingOption = "utf-8",
) -> None:
    """Print the TOPN documents of DOCS.tsv most similar (cosine of mean word vectors) to --query or --id."""
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
        typer.echo(format_matches(matches))
        empty = index.empty_documents
        if empty:
            typer.echo(f"note: {len(empty)} document(s) have no word in the vectors and match nothing", err=True)


def format_matches(matches) -> str:
    """Aligned rows ``rank  score  id  title`` (ids padded to one display width: Hangul takes two columns)."""
    if not matches:
        return "  (no other document)"
    from rich.cells import cell_len

    rank_width = len(str(len(matches)))
    id_width = max(cell_len(m.id) for m in matches)
    return "\n".join(f"  {i:>{rank_width}}  {m.score:7.4f}  {m.id}{' ' * (id_width - cell_len(m.id))}  {m.title}"
                     for i, m in enumerate(matches, 1))
