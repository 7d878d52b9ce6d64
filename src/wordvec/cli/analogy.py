"""``wordvec analogy``: "A is to B as C is to ?"."""

from typing import Annotated

import typer

from wordvec.cli._common import (HelpOption, RestrictVocab, VectorsArgument, choice, load_vectors, query_words,
                                 user_errors)
from wordvec.cli.similar import format_neighbours

__all__ = ["DEFAULT_METHOD", "METHODS", "Method", "analogy"]

#: ``--method`` name -> KeyedVectors method.
METHODS = {"3cosadd": "most_similar", "3cosmul": "most_similar_cosmul"}
Method = choice("Method", METHODS)
DEFAULT_METHOD = Method("3cosadd")


def analogy(
    model: VectorsArgument,
    a: Annotated[str, typer.Argument(metavar="A", help="A, e.g. man.", show_default=False)],
    b: Annotated[str, typer.Argument(metavar="B", help="B, e.g. king.", show_default=False)],
    c: Annotated[str, typer.Argument(metavar="C", help="C, e.g. woman.", show_default=False)],
    topn: Annotated[int, typer.Option("--topn", "-n", min=1, help="How many answers.")] = 5,
    method: Annotated[Method, typer.Option(
        help="3cosadd: closest to B - A + C; 3cosmul: Levy & Goldberg's multiplicative form.")
    ] = DEFAULT_METHOD,
    restrict_vocab: RestrictVocab = None,
    show_help: HelpOption = False,
) -> None:
    """Answer "A is to B as C is to ?" (e.g. man king woman -> queen).

    Words missing from the vocabulary are looked up as the model's own tokenizer wrote its
    training text (King as king for a model trained lower-cased), with a note on stderr.
    """
    with user_errors():
        kv = load_vectors(model)
        a, b, c = query_words(kv, model, [a, b, c])
        query = getattr(kv, METHODS[method.value])
        answers = query(positive=[b, c], negative=[a], topn=topn, restrict_vocab=restrict_vocab)
        typer.echo(f"{a} is to {b} as {c} is to ? ({method.value}):")
        typer.echo(format_neighbours(answers))
