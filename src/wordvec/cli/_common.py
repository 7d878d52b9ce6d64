"""Helpers shared by the commands: one-line errors, format names, model loading.

This module stays light (no NumPy, no numba): every command module imports it at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from wordvec.config import TOKENIZER_NAMES, VECTOR_FORMATS

__all__ = ["APP_SETTINGS", "DEFAULT_TOKENIZER", "DEPRECATED_FORMATS", "EncodingOption", "FORMAT_CHOICES", "FORMAT_METAVAR",
           "ForceOption", "Format", "RestrictVocab", "TOKENIZER_HELP", "TokenizerName", "VectorsArgument", "choice",
           "describe_error", "fail", "format_name", "load_vectors", "refuse_existing", "user_errors"]

#: The settings of every typer app (``wordvec`` and its command groups).
APP_SETTINGS = {"no_args_is_help": True, "add_completion": False, "pretty_exceptions_show_locals": False,
                "context_settings": {"help_option_names": ["-h", "--help"]}}

#: Spellings of ``--format``/``--to``/``--from`` that earlier versions took, and their names now.
DEPRECATED_FORMATS: dict[str, str] = {"word2vec": "word2vec-text", "fasttext": "fasttext-bin"}


def choice(name: str, values: Iterable[str]) -> type[StrEnum]:
    """A string enum typer shows as a choice ``[a|b|c]``; members compare equal to their values.

    Built from the tuples that define the allowed values (config, io), so adding a value
    there adds it to the CLI.
    """
    return StrEnum(name, {v: v for v in values})


#: ``--format`` / ``--to`` / ``--from`` values: the names :func:`wordvec.save` takes (config's
#: VECTOR_FORMATS), and the deprecated spellings, accepted but left out of the help.
Format = choice("Format", (*VECTOR_FORMATS, *DEPRECATED_FORMATS))
#: The metavar of those options; the help lists the choices in words, so that they wrap between
#: names at 80 columns instead of inside them.
FORMAT_METAVAR = "FORMAT"
FORMAT_CHOICES = ", ".join(VECTOR_FORMATS)


def format_name(value: str) -> str:
    """The :mod:`wordvec.io` name of a ``--format`` value; a deprecated spelling says so on stderr."""
    value = str(getattr(value, "value", value))
    if value in DEPRECATED_FORMATS:
        new = DEPRECATED_FORMATS[value]
        typer.echo(f"note: format {value!r} is now called {new!r}; the old name will be removed", err=True)
        return new
    return value


#: The MODEL argument of the commands that read vectors (:func:`load_vectors` reads it).
VectorsArgument = Annotated[Path, typer.Argument(
    metavar="MODEL", help="Vectors: a native directory or a word2vec / GloVe file.", show_default=False)]
#: ``--restrict-vocab`` of the queries.
RestrictVocab = Annotated[int | None, typer.Option(
    min=1, help="Search only the first N keys (the most frequent, for trained models).", show_default="all keys")]

#: ``--tokenizer`` values: :data:`wordvec.config.TOKENIZER_NAMES`, the first the default.
TokenizerName = choice("TokenizerName", TOKENIZER_NAMES)
DEFAULT_TOKENIZER = TokenizerName(TOKENIZER_NAMES[0])
#: ``--tokenizer`` help of the commands that read corpora (``train``, ``cooccur``).
TOKENIZER_HELP = ("regex: words and punctuation apart; whitespace: split on spaces only; korean: kiwipiepy "
                  "morphemes without particles and punctuation (pip install 'wordvec\\[ko]'), tokenized "
                  "once and cached in $WORDVEC_CACHE_DIR (default ~/.cache/wordvec/tokens).")



def _check_encoding(value: str) -> str:
    """``--encoding``'s callback: an encoding Python does not know is a usage error."""
    from wordvec.corpus.encodings import check_encoding

    try:
        return check_encoding(value)
    except (TypeError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from None


#: ``--encoding`` of the commands that read text files (corpora, tables, sentences).
EncodingOption = Annotated[str, typer.Option(
    "--encoding", metavar="CODEC", callback=_check_encoding,
    help="Text encoding of the input files: utf-8, cp949 or euc-kr (Korean), latin-1, cp1252, ... "
         "(any codec name Python knows).")]

#: ``--force`` (alias ``--overwrite``) of the commands that write files.
ForceOption = Annotated[bool, typer.Option(
    "--force", "--overwrite", help="Replace outputs that already exist (otherwise they are refused).")]


def _holds_something(path: Path) -> bool:
    """Whether writing ``path`` would replace something: a file (or link), or a non-empty directory."""
    if path.is_dir():
        return any(path.iterdir())
    return os.path.lexists(path)


def refuse_existing(*paths: str | os.PathLike[str] | None, force: bool) -> None:
    """Unless ``force``, exit with one line naming the first of ``paths`` that already holds
    something (a file, or a non-empty directory; an empty directory holds nothing to lose).

    Commands call it before any work, so a long run is never spent on an output it then
    refuses, and an existing output (hours of training) is never replaced without ``--force``.
    None entries (outputs not asked for) are skipped.
    """
    if force:
        return
    for path in paths:
        if path is not None and _holds_something(Path(path)):
            fail(f"{os.fspath(path)} already exists; pass --force to overwrite it")


#: Set this environment variable to get the full traceback instead of the one-line error.
TRACEBACK_ENV = "WORDVEC_TRACEBACK"


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``error: message`` as one line on stderr and exit with ``code``."""
    typer.echo(f"error: {_one_line(message)}", err=True)
    raise typer.Exit(code)


def _one_line(message: str) -> str:
    parts = [p.strip() for p in str(message).splitlines() if p.strip()]
    return "; ".join(parts) if parts else "unknown error"


# typer's own control flow (exit codes, aborts, usage errors) passes through untouched. typer >= 0.2x
# vendors click, so only typer's public names are used here, never the click package.
_CLI_CONTROL = tuple(t for t in (getattr(typer, "Exit", None), getattr(typer, "Abort", None),
                                 getattr(typer, "BadParameter", None), getattr(typer, "TyperException", None))
                     if isinstance(t, type))


def _user_error_types() -> tuple[type[BaseException], ...]:
    """Exceptions that mean "the input is wrong", not "wordvec has a bug".

    FormatError and EmptyVocabularyError are ValueErrors; TrainingDivergedError comes from
    :mod:`wordvec.exceptions`, which imports nothing, so this module stays light.
    """
    from wordvec.exceptions import TrainingDivergedError

    return (KeyError, ValueError, OSError, TypeError, ImportError, TrainingDivergedError)


def describe_error(exc: BaseException) -> str:
    """The message of a user error, without KeyError's quotes or errno noise."""
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    if isinstance(exc, OSError) and exc.strerror and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc) or type(exc).__name__


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn user errors raised inside the block into one line on stderr and exit code 1.

    Other exceptions (bugs) propagate with their traceback, and so does everything when
    the ``WORDVEC_TRACEBACK`` environment variable is set.
    """
    try:
        yield
    except _CLI_CONTROL:
        raise
    except Exception as exc:
        if os.environ.get(TRACEBACK_ENV) or not isinstance(exc, _user_error_types()):
            raise
        fail(describe_error(exc))


def load_vectors(path: str | os.PathLike[str], format: str | None = None, limit: int | None = None):
    """Load a MODEL argument with :func:`wordvec.io.load` (format detected unless given as a CLI name)."""
    from wordvec.io import load

    return load(os.fspath(path), format=None if format is None else format_name(format), limit=limit)
