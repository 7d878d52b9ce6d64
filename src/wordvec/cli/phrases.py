"""``wordvec phrases``: learn phrases (``new_york``) from text files and save them for ``wordvec train --phrases``.

A thin wrapper over :class:`wordvec.corpus.phrases.Phrases`; every default is read from its
signature, so the help never disagrees with the library.
"""


import inspect
import os
import time
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
    choice,
    fail,
    refuse_existing,
    user_errors,
)
from wordvec.corpus.phrases import DEFAULT_THRESHOLDS, ENGLISH_CONNECTOR_WORDS, SCORINGS, Phrases

__all__ = ["phrases", "phrase_tokenizer", "connector_words", "phrases_summary"]

D = {name: p.default for name, p in inspect.signature(Phrases.__init__).parameters.items()
     if p.default is not inspect.Parameter.empty}
Scoring = choice("Scoring", SCORINGS)


def connector_words(spec: str) -> frozenset[str]:
    """``--connector-words``: ``none``, ``english`` (gensim's list) or words separated by commas."""
    value = spec.strip()
    if value.lower() == "none" or not value:
        return frozenset()
    if value.lower() == "english":
        return ENGLISH_CONNECTOR_WORDS
    words = [w.strip() for w in value.split(",")]
    if any(not w or any(c.isspace() for c in w) for w in words):
        raise typer.BadParameter(f"expected none, english or words separated by commas, got {spec!r}")
    return frozenset(words)


def phrase_tokenizer(base: str, directory: str | os.PathLike):
    """The tokenizer ``wordvec train --phrases DIR`` trains through: ``base`` (a tokenizer name)
    with the phrases saved in ``directory`` joined."""
    from wordvec.corpus.phrases import load_phrases

    return load_phrases(directory).tokenizer(base)


def phrases(
    corpus: Annotated[list[Path], typer.Argument(
        metavar="CORPUS", help="Text files (.txt, .gz, .bz2, .xz; one sentence per line) or directories of them.",
        show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Where to save the phrases (a directory: config.json and phrases.tsv).",
        show_default=False)],
    min_count: Annotated[int, typer.Option(
        min=1, help="Bigrams seen fewer times never become phrases.")] = D["min_count"],
    threshold: Annotated[float | None, typer.Option(
        help="A bigram whose score is above this is a phrase (higher: fewer phrases).",
        show_default=f"{DEFAULT_THRESHOLDS['default']:g} with default scoring, "
                     f"{DEFAULT_THRESHOLDS['npmi']:g} with npmi")] = D["threshold"],
    scoring: Annotated[Scoring, typer.Option(
        help="default: word2phrase's score (Mikolov et al. 2013); npmi: normalised PMI, -1 to 1.")
    ] = Scoring(D["scoring"]),
    connectors: Annotated[str, typer.Option(
        "--connector-words", metavar="WORDS",
        help="Words allowed inside a phrase but not at its ends (bank_of_america): none, english "
             "(a an the for of with without at from to in on by and or), or words separated by commas.")
    ] = "none",
    max_vocab_size: Annotated[int, typer.Option(
        min=1, help="The most unigrams + bigrams counted before the rarest are pruned (gensim's cap).")
    ] = D["max_vocab_size"],
    passes: Annotated[int, typer.Option(
        min=1, help="Passes: 2 also joins phrases of phrases (new_york_city_council).")] = D["passes"],
    delimiter: Annotated[str, typer.Option(help="Joins the words of a phrase.")] = D["delimiter"],
    tokenizer: Annotated[TokenizerName, typer.Option(metavar="NAME", help=TOKENIZER_HELP)] = DEFAULT_TOKENIZER,
    encoding: EncodingOption = "utf-8",
    top: Annotated[int, typer.Option(min=0, help="Print this many phrases, the highest scores first.")] = 20,
    force: ForceOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    scheduler: Annotated[str | None, typer.Option(
        metavar="ADDRESS", help="Count on a Dask cluster: its scheduler (tcp://host:8786), or local:N for N "
        "worker processes on this machine (pip install 'wordvec\\[dask]').", show_default="this process")
    ] = None,
    show_help: HelpOption = False,
) -> None:
    """Learn the phrases of CORPUS and save them to OUTPUT; print how many and the top ones."""
    if output.exists() and not output.is_dir():
        fail(f"{output} is a file; phrases are saved as a directory")
    refuse_existing(output, force=force)
    with user_errors():
        model = Phrases(min_count=min_count, threshold=threshold, scoring=scoring.value,
                        connector_words=connector_words(connectors), max_vocab_size=max_vocab_size,
                        delimiter=delimiter, passes=passes, progress=False if quiet else None)
        model._settings()  # a bad value fails now, before the corpus is read
        corpus_files(corpus)
        from wordvec._saving import check_replaceable_directory

        check_replaceable_directory(output, "phrases directory")
        t0 = time.perf_counter()
        source = corpus[0] if len(corpus) == 1 else list(corpus)
        if scheduler is None:
            model.fit(source, tokenizer=tokenizer.value, encoding=encoding)
        else:
            from wordvec.distributed import connect, describe_cluster
            from wordvec.distributed.phrases import learn_phrases

            with connect(scheduler) as client:
                where = describe_cluster(client)
                learn_phrases(client, source, model, tokenizer=tokenizer.value, encoding=encoding)
            n = model.distributed_["partitions"]
            typer.echo(f"Counted on a Dask cluster: {where}, {n} partition{'s' if n != 1 else ''} of the corpus.")
        seconds = time.perf_counter() - t0
        if output.parent != Path("") and not output.parent.exists():
            output.parent.mkdir(parents=True)
        frozen = model.freeze()
        frozen.save(output)
        typer.echo(phrases_summary(frozen, output, seconds))
        for phrase, score, count in frozen.top(top):
            typer.echo(f"  {phrase}\t{score:.4g}\t{count}")


def phrases_summary(frozen, output: Path, seconds: float) -> str:
    """One paragraph: phrases per pass, tokens read, settings, time, where they were saved."""
    s = frozen.settings
    per_pass = ", ".join(f"pass {i}: {len(layer):,}" for i, layer in enumerate(frozen.layers, 1))
    tokens = frozen.stats[0]["corpus_word_count"] if frozen.stats else 0
    pruned = sum(st.get("prunes", 0) for st in frozen.stats)
    return (f"Learned {len(frozen):,} phrases ({per_pass}) from {tokens:,} tokens in {seconds:.2f} s "
            f"(scoring={s.get('scoring')}, threshold={s.get('threshold'):g}, min_count={s.get('min_count')}; "
            f"table pruned {pruned} time{'s' if pruned != 1 else ''}). Saved to {os.fspath(output)}.")
