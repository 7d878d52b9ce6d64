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
           "ForceOption", "Format", "HelpOption", "RestrictVocab", "TOKENIZER_HELP", "TokenizerName", "VectorsArgument",
           "choice", "describe_error", "fail", "format_name", "load_vectors", "normalise_query", "print_help",
           "query_words", "recorded_tokenizer", "refuse_existing", "user_errors"]

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



# ----------------------------------------------------------------------- query normalisation
def recorded_tokenizer(path: str | os.PathLike[str]) -> dict | None:
    """The tokenizer a native model directory was trained with, as its config records it
    (``{"name": "regex", "lowercase": true, ...}``); None for a vector file (the formats record
    none), for vectors trained on token lists, and for a directory whose config cannot be read."""
    if not Path(path).is_dir():
        return None
    from wordvec.io import read_native_config

    try:
        extra = read_native_config(path).get("extra") or {}
    except (OSError, ValueError):
        return None
    tokenizer = extra.get("tokenizer") if isinstance(extra, dict) else None
    return tokenizer if isinstance(tokenizer, dict) else None


def normalise_query(word: str, tokenizer: dict | None) -> str:
    """``word`` written as the recorded ``tokenizer`` wrote the training text: lower-cased when it
    lower-cased (``regex``, the default; ``whitespace`` with ``lowercase``; ``phrases`` over
    either), with the regex tokenizer's typographic apostrophe (\u2019) made ``'``. Other
    tokenizers (``korean``, a custom callable) and no record leave ``word`` as typed."""
    if not tokenizer:
        return word
    if tokenizer.get("name") == "phrases":
        return normalise_query(word, tokenizer.get("base") if isinstance(tokenizer.get("base"), dict) else None)
    if tokenizer.get("name") not in ("regex", "whitespace"):
        return word
    if tokenizer.get("lowercase"):
        word = word.lower()
    if tokenizer.get("name") == "regex":
        word = word.replace("\u2019", "'")
    return word


def query_words(kv, path: str | os.PathLike[str], words: Iterable[str]) -> list[str]:
    """``words`` as the model at ``path`` spells them: a word missing from the vocabulary becomes
    its normal form under the model's recorded tokenizer (:func:`normalise_query`: ``King`` ->
    ``king`` for a model trained lower-cased) when that form is in the vocabulary, or when the
    vectors build unseen words from character n-grams (FastText: ``Kingliness`` -> n-grams of
    ``kingliness``, the only case they were trained on). Each replacement prints a note on stderr.

    gensim and fastText look words up as typed (``King`` is a KeyError, or a FastText vector from
    n-grams of ``King`` that training never produced); wordvec uses the tokenizer saved with the model.
    """
    words = list(words)
    vocab = getattr(kv, "key_to_index", None)
    if vocab is None or all(w in vocab for w in words):
        return words
    tokenizer = recorded_tokenizer(path)
    if tokenizer is None:
        return words
    builds_unseen = hasattr(kv, "is_oov")
    out = []
    for word in words:
        normal = word if word in vocab else normalise_query(word, tokenizer)
        if normal != word and (normal in vocab or builds_unseen):
            how = "lower-cased" if normal != word.replace("\u2019", "'") else "wrote"
            typer.echo(f"note: looking up {normal!r} for {word!r}, as the model's tokenizer "
                       f"({tokenizer.get('name')}) {how} its training text", err=True)
            word = normal
        out.append(word)
    return out

# ------------------------------------------------------------------------- compact help
#: The widest the option column of :func:`print_help` grows; a longer flag pair takes two lines.
_HELP_NAME_WIDTH = 30


def _help_type(param, ctx) -> tuple[str, list[str]]:
    """The metavar of option ``param`` (``INT``, ``PATH``, its own ``metavar``), and its choices if it has some.

    typer writes a type as ``<int range>`` (0.2x) or click as ``INTEGER RANGE``; a choice as
    ``<a|b|c>`` or ``[a|b|c]``, which :func:`print_help` shows as ``NAME`` with the choices listed in words.
    """
    if param.metavar:
        return param.metavar, []
    display = None
    typer_display = getattr(param, "display_type_rich", None)
    if callable(typer_display):  # typer >= 0.2x, with its own parameter types
        display = typer_display(ctx=ctx)
    elif getattr(param, "type", None) is not None:  # click's parameter types
        try:
            display = param.make_metavar(ctx)  # click >= 8.2
        except TypeError:
            display = param.make_metavar()
    display = (display or "VALUE").strip("<>[]{}")
    if "|" in display:
        return "NAME", display.split("|")
    name = display.split()[0].upper()
    return {"INTEGER": "INT", "STR": "TEXT"}.get(name, name), []


def _help_name(param, ctx) -> tuple[str, list[str]]:
    """``-o, --output PATH``; ``--cbow-mean / --no-cbow-mean`` for a flag pair; ``CORPUS...`` for an
    argument; and the option's choices, if any."""
    if param.param_type_name == "argument":
        name = param.metavar or param.name.upper()
        return (name if param.nargs == 1 or name.endswith("...") else f"{name}..."), []
    names = sorted(param.opts, key=lambda o: (o.startswith("--"), o))
    text = ", ".join(names)
    if param.secondary_opts:
        text += " / " + ", ".join(param.secondary_opts)
    if getattr(param, "is_flag", False):
        return text, []
    metavar, choices = _help_type(param, ctx)
    return f"{text} {metavar}", choices


def _help_default(param) -> str | None:
    """The ``[default: ...]`` text of ``param``, or None."""
    from enum import Enum

    show = getattr(param, "show_default", None)
    if param.param_type_name == "argument" or show is False:
        return None
    if isinstance(show, str):
        return show
    default = param.default
    if getattr(param, "is_flag", False):
        if not param.secondary_opts:
            return None
        return (param.opts if default else param.secondary_opts)[-1]
    if default is None or callable(default):
        return None
    if isinstance(default, Enum):
        default = default.value
    if isinstance(default, (list, tuple)):
        return ", ".join(map(str, default)) or None
    return str(default)


def print_help(ctx: typer.Context) -> None:
    """Print the help of ``ctx``'s command in two columns that read well at 80 columns.

    Same parts as typer's rich help (usage, the docstring, a panel per ``rich_help_panel``,
    ``[default: ...]``, ``[required]``), but each option takes one column of names
    (``-d, --vector-size INT``; a flag pair too long for it takes two lines) and one of help,
    where typer's table spreads names, negative names, types and ranges over five columns and
    truncates them at 80. Choices are listed in the help text, behind a metavar (``NAME``), so
    they never wrap inside a word. Hidden parameters are left out.
    """
    import inspect

    from rich.console import Console
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    command = ctx.command
    console = Console(highlight=False, soft_wrap=False)
    pieces = " ".join(command.collect_usage_pieces(ctx))
    console.print(Text.assemble("\n ", ("Usage:", "yellow"), f" {ctx.command_path} {pieces}\n"))
    if command.help:
        for paragraph in inspect.cleandoc(command.help).split("\n\n"):
            console.print(Padding(Text.from_markup(" ".join(paragraph.split())), (0, 1, 1, 1), expand=False))
    panels: dict[str, list] = {}
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        default_panel = "Arguments" if param.param_type_name == "argument" else "Options"
        panels.setdefault(getattr(param, "rich_help_panel", None) or default_panel, []).append(param)
    first = ("Arguments", "Options")
    ordered = [n for n in first if n in panels] + [n for n in panels if n not in first]
    for title in ordered:
        params = panels[title]
        names, choices = zip(*(_help_name(p, ctx) for p in params))
        # a flag pair too long for the column takes two lines: "--shared-negatives /" and "--no-shared-negatives"
        width = min(max(len(piece) for n in names for piece in _name_lines(n, _HELP_NAME_WIDTH)), _HELP_NAME_WIDTH)
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(width=width, overflow="fold")
        table.add_column(ratio=1, overflow="fold")
        for param, name, among in zip(params, names, choices):
            help_text = Text.from_markup(" ".join((getattr(param, "help", None) or "").split()))
            if among and not all(c in help_text.plain for c in among):
                help_text.append(f" One of: {', '.join(among)}.")
            default = _help_default(param)
            if default is not None:
                help_text.append(f" [default: {default}]", style="dim")
            if param.required:
                help_text.append(" [required]", style="dim red")
            table.add_row(Text("\n".join(_name_lines(name, width)), style="bold cyan"), help_text)
        console.print(Panel(table, title=title, title_align="left", border_style="dim"))


def _name_lines(name: str, width: int) -> list[str]:
    """``name`` as the lines of the option column: a flag pair longer than ``width`` is split after its slash."""
    if len(name) <= width or " / " not in name:
        return [name]
    first, second = name.split(" / ", 1)
    return [f"{first} /", second]


def _help_callback(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        print_help(ctx)
        ctx.exit()


#: ``--help``/``-h`` printed by :func:`print_help` (a command declares it as its last parameter to
#: get the two-column help; it replaces click's own help option, whose names it takes).
HelpOption = Annotated[bool, typer.Option(
    "--help", "-h", metavar="", is_eager=True, expose_value=False, callback=_help_callback,
    help="Show this message and exit.")]
