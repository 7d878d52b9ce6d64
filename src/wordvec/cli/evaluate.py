"""``wordvec evaluate``: word analogies and word similarity on standard or own datasets."""

import json
import math
from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import HelpOption, choice, load_vectors, user_errors
from wordvec.cli.analogy import DEFAULT_METHOD, Method

__all__ = ["ANALOGY_DEFAULT", "ANALOGY_RESTRICT_VOCAB", "LANGUAGES", "Language", "NONE", "SIMILARITY_DEFAULT", "SUITES",
           "evaluate"]

#: Bundled sets used when no option is given, by ``--lang``: (analogy set, word-pair sets).
#: The same as ``wordvec.evaluate.SUITES`` (a test checks), written out here so that this
#: module stays light: ``wordvec --help`` must not import NumPy.
SUITES: dict[str, tuple[str, tuple[str, ...]]] = {
    "en": ("google", ("wordsim353", "simlex999")),
    "ko": ("ko-analogy", ("ko-wordsim353",)),
}
LANGUAGES = tuple(SUITES)
Language = choice("Language", LANGUAGES)
ANALOGY_DEFAULT, SIMILARITY_DEFAULT = SUITES["en"]
#: ``--restrict-vocab``'s default: ``wordvec.evaluate.evaluate_analogies``'s (a test checks they agree).
ANALOGY_RESTRICT_VOCAB = 30_000
#: The value that turns a benchmark off.
NONE = "none"


def _by_language(pick) -> str:
    return ", ".join(f"{pick(sets)} ({lang})" for lang, sets in SUITES.items())


def evaluate(
    model: Annotated[Path, typer.Argument(
        metavar="MODEL", help="Vectors: a native directory, a word2vec / GloVe file or a fastText .bin.",
        show_default=False)],
    analogies: Annotated[str | None, typer.Option(
        "--analogies", "-a", metavar="SET",
        help=f"Analogy set: a bundled name ({', '.join(s[0] for s in SUITES.values())}) or a file of "
             f"': section' and 'a b c d' lines; '{NONE}' skips analogies.",
        show_default=f"by --lang: {_by_language(lambda s: s[0])}")] = None,
    similarity: Annotated[list[str] | None, typer.Option(
        "--similarity", "-s", metavar="SET",
        help=f"Word-similarity set, repeatable: a bundled name "
             f"({', '.join(n for s in SUITES.values() for n in s[1])}) or a file of 'word1 TAB word2 TAB "
             f"score' lines (comma-separated with a header, as the Korean CSV, works too); '{NONE}' skips "
             f"word similarity.",
        show_default=f"by --lang: {_by_language(lambda s: ' + '.join(s[1]))}")] = None,
    lang: Annotated[Language, typer.Option(
        "--lang", "-l", help="Which bundled suite runs when --analogies / --similarity are not given: "
                             "en (Google analogies, WordSim-353, SimLex-999) or ko (Korean analogies and "
                             "Korean WordSim-353, Park et al. 2018).")] = Language("en"),
    oov: Annotated[bool, typer.Option(
        "--oov/--no-oov", help="Give words outside the vocabulary vectors built from their character n-grams "
                               "(FastText models only) instead of skipping their questions and pairs; those "
                               "words of the analogy set then also count as answer candidates.")] = False,
    restrict_vocab: Annotated[int, typer.Option(
        min=0, help="Analogies: only the first N keys (the most frequent) are questions and answers; "
                    "0 for all keys.")] = ANALOGY_RESTRICT_VOCAB,
    method: Annotated[Method, typer.Option(help="How analogies are answered.")] = DEFAULT_METHOD,
    case_sensitive: Annotated[bool, typer.Option(
        "--case-sensitive", help="Compare words as they are spelled (default: ignore case, as gensim).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    show_help: HelpOption = False,
) -> None:
    """Evaluate MODEL on word analogies and word similarity; coverage (out-of-vocabulary) included."""
    suite_analogies, suite_similarity = SUITES[str(lang.value)]
    analogies = suite_analogies if analogies is None else analogies
    sets = list(similarity) if similarity else list(suite_similarity)
    with user_errors():
        from wordvec.evaluate import evaluate_analogies, evaluate_similarity

        kv = load_vectors(model)
        case_insensitive = not case_sensitive
        analogy_result = None
        if analogies.lower() != NONE:
            analogy_result = evaluate_analogies(kv, analogies, method=method.value, restrict_vocab=restrict_vocab or None,
                                                case_insensitive=case_insensitive, oov=oov)
        similarity_results = [evaluate_similarity(kv, name, case_insensitive=case_insensitive, oov=oov)
                              for name in sets if name.lower() != NONE]
        if as_json:
            report = {
                "model": str(model),
                "words": len(kv),
                "dimensions": kv.vector_size,
                "language": str(lang.value),
                "oov": oov,
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
