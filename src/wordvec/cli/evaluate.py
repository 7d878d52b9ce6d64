"""``wordvec evaluate``: word analogies and word similarity on standard or own datasets."""

import json
import math
from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import load_vectors, user_errors
from wordvec.cli.analogy import DEFAULT_METHOD, Method

__all__ = ["ANALOGY_DEFAULT", "NONE", "SIMILARITY_DEFAULT", "evaluate"]

#: Bundled sets used when no option is given (see wordvec.evaluate.datasets).
ANALOGY_DEFAULT = "google"
SIMILARITY_DEFAULT = ("wordsim353", "simlex999")
#: The value that turns a benchmark off.
NONE = "none"


def evaluate(
    model: Annotated[Path, typer.Argument(
        metavar="MODEL", help="Vectors: a native directory or a word2vec / GloVe file.", show_default=False)],
    analogies: Annotated[str, typer.Option(
        "--analogies", "-a", metavar="NAME|PATH",
        help=f"Analogy set: a bundled name ({ANALOGY_DEFAULT}) or a file of ': section' and "
             f"'a b c d' lines; '{NONE}' skips analogies.")] = ANALOGY_DEFAULT,
    similarity: Annotated[list[str] | None, typer.Option(
        "--similarity", "-s", metavar="NAME|PATH",
        help=f"Word-similarity set, repeatable: a bundled name ({', '.join(SIMILARITY_DEFAULT)}) or a "
             f"file of 'word1 TAB word2 TAB score' lines; '{NONE}' skips word similarity.",
        show_default=", ".join(SIMILARITY_DEFAULT))] = None,
    restrict_vocab: Annotated[int | None, typer.Option(
        min=0, help="Analogies: only the first N keys (the most frequent) are questions and answers; "
                    "0 for all keys.",
        show_default="evaluate_analogies' default")] = None,
    method: Annotated[Method, typer.Option(help="How analogies are answered.")] = DEFAULT_METHOD,
    case_sensitive: Annotated[bool, typer.Option(
        "--case-sensitive", help="Compare words as they are spelled (default: ignore case, as gensim).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
) -> None:
    """Evaluate MODEL on word analogies and word similarity; coverage (out-of-vocabulary) included."""
    sets = list(similarity) if similarity else list(SIMILARITY_DEFAULT)
    with user_errors():
        from wordvec.evaluate import evaluate_analogies, evaluate_similarity

        kv = load_vectors(model)
        case_insensitive = not case_sensitive
        analogy_result = None
        if analogies.lower() != NONE:
            options = {} if restrict_vocab is None else {"restrict_vocab": restrict_vocab or None}
            analogy_result = evaluate_analogies(kv, analogies, method=method.value,
                                                case_insensitive=case_insensitive, **options)
        similarity_results = [evaluate_similarity(kv, name, case_insensitive=case_insensitive)
                              for name in sets if name.lower() != NONE]
        if as_json:
            report = {
                "model": str(model),
                "words": len(kv),
                "dimensions": kv.vector_size,
                "analogies": None if analogy_result is None else analogy_result.to_dict(),
                "similarity": [r.to_dict() for r in similarity_results],
            }
            typer.echo(json.dumps(_finite(report), indent=2, ensure_ascii=False))
            return
        typer.echo(f"Model: {model} ({len(kv):,} words, {kv.vector_size} dimensions)")
        if analogy_result is not None:
            typer.echo("")
            typer.echo(analogy_result.summary())
        for result in similarity_results:
            typer.echo("")
            typer.echo(result.summary())


def _finite(value):
    """NaN / infinity (a correlation over fewer than two pairs) become JSON null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
