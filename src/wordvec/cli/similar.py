"""``wordvec similar``: the nearest neighbours of a word (cosine similarity)."""

from typing import Annotated

import typer

from wordvec.cli._common import (HelpOption, RestrictVocab, VectorsArgument, choice, load_vectors, query_words,
                                 user_errors)

__all__ = ["format_neighbours", "similar"]

#: ``--index`` values (``KeyedVectors.most_similar``'s ``index``).
IndexMode = choice("IndexMode", ("ann", "exact"))


def similar(
    model: VectorsArgument,
    word: Annotated[str, typer.Argument(metavar="WORD", help="The word to look up.", show_default=False)],
    topn: Annotated[int, typer.Option("--topn", "-n", min=1, help="How many neighbours.")] = 10,
    restrict_vocab: RestrictVocab = None,
    index: Annotated[IndexMode | None, typer.Option(
        help="ann: ask the index saved by `wordvec index` (fast, approximate); exact: compare with every word.",
        show_default="ann when MODEL has an index and 100,000 words or more")] = None,
    show_help: HelpOption = False,
) -> None:
    """Print the TOPN words closest to WORD, with their cosine similarities.

    A WORD missing from the vocabulary is looked up as the model's own tokenizer wrote its
    training text (King as king for a model trained lower-cased), with a note on stderr.
    """
    with user_errors():
        kv = load_vectors(model)
        (word,) = query_words(kv, model, [word])
        mode = None if index is None else str(index.value)
        neighbours = kv.most_similar(word, topn=topn, restrict_vocab=restrict_vocab, index=mode)
        oov = hasattr(kv, "is_oov") and kv.is_oov(word)
        note = " — out of vocabulary: its vector is built from its character n-grams" if oov else ""
        typer.echo(f"Nearest to {word!r} in {model} (cosine similarity){note}:")
        typer.echo(format_neighbours(neighbours))


def format_neighbours(pairs: list[tuple[str, float]]) -> str:
    """Aligned plain-text rows ``rank  word  similarity`` (easy to read and to pipe).

    Words are padded to the same display width, not the same number of characters: a Hangul
    syllable (or any East Asian wide character) takes two terminal columns.
    """
    if not pairs:
        return "  (no neighbours: the vocabulary holds no other word)"
    from rich.cells import cell_len

    width = max(cell_len(w) for w, _ in pairs)
    rank_width = len(str(len(pairs)))
    return "\n".join(f"  {i:>{rank_width}}  {w}{' ' * (width - cell_len(w))}  {s:7.4f}"
                     for i, (w, s) in enumerate(pairs, 1))
