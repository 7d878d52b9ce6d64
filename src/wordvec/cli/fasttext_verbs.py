"""fastText's query verbs: ``wordvec print-word-vectors``, ``print-sentence-vectors`` and ``shell``.

They mirror fastText's ``print-word-vectors``, ``print-sentence-vectors``, ``nn`` and
``analogies`` (src/main.cc, src/fasttext.cc) and take any vectors :func:`wordvec.load` reads
(native directory, word2vec, GloVe, fastText ``.bin``/``.ftz``) plus supervised fastText models
(:mod:`wordvec.io.fasttext_supervised`). The model is loaded once; queries come from standard
input, so a pipe of a million words pays the load once.

* ``print-word-vectors``: ``word v1 v2 ...`` for every whitespace-separated token of standard
  input (``FastText::getWordVector``: an unknown word gets its character n-gram vector from a
  fastText model). A word without a vector (out of a word2vec / GloVe vocabulary, or with no
  n-gram) gets zeros, as fastText prints, and a ``note:`` line on standard error names it.
* ``print-sentence-vectors``: one vector per input line (``FastText::getSentenceVector``): for
  word vectors, the mean of the words' vectors each divided by its norm (words without a vector,
  or with a zero vector, are skipped; zeros when none is left); for a supervised model, the mean
  of the line's input rows (words, their n-grams, ``</s>``, word n-grams).
* ``shell``: ``nn WORD [K]``, ``analogy A B C [K]``, ``sim A B``, ``help``, ``quit`` at a prompt
  (a line editor on a terminal; plain lines from a pipe), each answered at once.

Where wordvec differs from fastText: numbers are printed with ``--precision`` significant digits
(fastText: 5, the default here) and no trailing space; ``analogy A B C`` reads "A is to B as C is
to ?" and searches B - A + C, as ``wordvec analogy`` and gensim do, where fastText's
``analogies`` reads its triplet as A - B + C (``analogy A B C`` here = fastText's ``B A C``; the
answers and scores are the same); a supervised model's labels get no word vector (fastText would
print a hash bucket's row for them); nearest neighbours come with a rank, aligned as
``wordvec similar`` prints them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated

import typer

from wordvec.cli._common import EncodingOption, HelpOption, user_errors

__all__ = ["Shell", "format_vector", "load_model", "print_sentence_vectors", "print_word_vectors",
           "sentence_vector", "shell", "word_vector"]

ModelArgument = Annotated[Path, typer.Argument(
    metavar="MODEL", show_default=False,
    help="Vectors: a native directory, a word2vec / GloVe file, or a fastText .bin / .ftz (supervised too).")]
PrecisionOption = Annotated[int, typer.Option(
    "--precision", min=1, max=17, help="Significant digits of each number (fastText prints 5).")]
#: ``std::cin >> word`` splits on the C locale's spaces only.
_SPACES = re.compile("[ \t\n\v\f\r]+")


def load_model(path: str | Path):
    """The model at ``path``: a :class:`~wordvec.io.fasttext_supervised.SupervisedFastText` for a
    supervised fastText file, else the vectors :func:`wordvec.load` reads."""
    from wordvec.io.fasttext_supervised import fasttext_model_kind, load_fasttext_supervised

    if fasttext_model_kind(path) == "sup":
        return load_fasttext_supervised(path)
    from wordvec.cli._common import load_vectors

    return load_vectors(path)


def _is_supervised(model) -> bool:
    from wordvec.io.fasttext_supervised import SupervisedFastText

    return isinstance(model, SupervisedFastText)


def word_vector(model, word: str):
    """fastText's ``getWordVector`` of ``word`` (float32), or None when ``word`` has no vector
    (out of the vocabulary and without character n-grams, or a supervised model's label)."""
    if _is_supervised(model):
        return model.word_vector(word)
    if hasattr(model, "has_vector"):  # SubwordVectors: n-grams answer for unknown words
        return model.get_vector(word) if model.has_vector(word) else None
    return model[word] if word in model else None


def sentence_vector(model, line: str):
    """fastText's ``getSentenceVector`` of one line (float32): a supervised model's mean input row
    of the line; for word vectors, the mean of its words' vectors, each divided by its norm
    (words without a vector or with a zero vector skipped; zeros when none is left)."""
    import numpy as np

    if _is_supervised(model):
        return model.sentence_vector(line)
    out = np.zeros(model.vector_size, dtype=np.float32)
    count = 0
    for word in _SPACES.split(line):
        vec = word_vector(model, word) if word else None
        if vec is None:
            continue
        norm = np.float32(np.sqrt(np.dot(vec, vec)))
        if norm > 0:
            out += vec * np.float32(1.0 / norm)  # Vector::mul(1.0 / norm), then addVector
            count += 1
    if count:
        out *= np.float32(1.0 / count)
    return out


def format_vector(vec, precision: int = 5) -> str:
    """The numbers of ``vec`` separated by spaces, ``precision`` significant digits each (as C++'s
    ``std::setprecision`` prints them: ``0.012346``, ``1e-05``, ``-0``)."""
    return " ".join(f"{x:.{precision}g}" for x in vec.tolist())


def _dimension(model) -> int:
    return model.dim if _is_supervised(model) else model.vector_size


def _input_lines(encoding: str) -> Iterable[str]:
    from wordvec.cli.classify import read_texts

    return read_texts(["-"], encoding)


def print_word_vectors(model: ModelArgument, precision: PrecisionOption = 5,
                       encoding: EncodingOption = "utf-8", show_help: HelpOption = False) -> None:
    """Print "word v1 v2 ..." for every word read from standard input (fastText's print-word-vectors).

    Words are separated by spaces, tabs or line breaks. An unknown word gets its character n-gram vector from a fastText model; a word with no vector at all gets zeros, and a note on standard error.
    """
    import numpy as np

    with user_errors():
        loaded = load_model(model)
        zeros = np.zeros(_dimension(loaded), dtype=np.float32)
        noted: set[str] = set()
        for line in _input_lines(encoding):
            out = []
            for word in _SPACES.split(line):
                if not word:
                    continue
                vec = word_vector(loaded, word)
                if vec is None:
                    vec = zeros
                    if word not in noted:
                        noted.add(word)
                        typer.echo(f"note: {_no_vector(loaded, word)}; printed zeros", err=True)
                out.append(f"{word} {format_vector(vec, precision)}")
            if out:
                typer.echo("\n".join(out))


def _no_vector(model, word: str) -> str:
    if _is_supervised(model) and word in model.labels:
        return f"{word!r} is a label of the model, not a word"
    grams = " and has no character n-grams" if hasattr(model, "has_vector") or _is_supervised(model) else ""
    return f"{word!r} is not in the vocabulary{grams}"


def print_sentence_vectors(model: ModelArgument, precision: PrecisionOption = 5,
                           encoding: EncodingOption = "utf-8", show_help: HelpOption = False) -> None:
    """Print one vector per line of standard input (fastText's print-sentence-vectors).

    Word vectors: the mean of the line's word vectors, each scaled to unit length (words without a vector are skipped). A supervised fastText model: the mean of the line's input rows (words, n-grams, end of line).
    """
    with user_errors():
        loaded = load_model(model)
        for line in _input_lines(encoding):
            typer.echo(format_vector(sentence_vector(loaded, line), precision))


# ------------------------------------------------------------------------------------ the shell
_HELP = """commands:
  nn WORD [K]          the K words closest to WORD (cosine similarity)
  analogy A B C [K]    A is to B as C is to ? (the words closest to B - A + C)
  sim A B              cosine similarity of A and B
  help                 this list
  quit                 leave (so does end of input)"""


class Shell:
    """The query loop of ``wordvec shell`` over loaded vectors ``kv`` (:class:`KeyedVectors`).

    :meth:`execute` answers one command line through ``write`` (answers) and ``error`` (one
    line per bad command or unknown word); :meth:`run` answers lines until ``quit`` or their end.
    ``topn`` is the K of ``nn`` and ``analogy`` when the command does not give one.
    """

    def __init__(self, kv, topn: int = 10, write: Callable[[str], None] = print,
                 error: Callable[[str], None] = print):
        self.kv, self.topn, self.write, self.error = kv, int(topn), write, error

    def run(self, lines: Iterable[str], name_lines: bool = False) -> None:
        """Answer each line; errors name the line number when ``name_lines``."""
        for lineno, line in enumerate(lines, 1):
            try:
                if not self.execute(line):
                    return
            except (KeyError, ValueError, TypeError) as exc:
                from wordvec.cli._common import describe_error

                where = f"line {lineno}: " if name_lines else ""
                self.error(f"error: {where}{' '.join(describe_error(exc).split())}")

    def execute(self, line: str) -> bool:
        """Answer one command line; False for ``quit``. Bad input raises KeyError / ValueError."""
        from wordvec.cli.similar import format_neighbours

        parts = line.split()
        if not parts or parts[0].startswith("#"):
            return True
        command, args = parts[0].lower(), parts[1:]
        if command in ("quit", "exit", "q"):
            return False
        if command in ("help", "?"):
            self.write(_HELP)
        elif command == "nn":
            word, k = self._args(command, args, 1)
            self.write(format_neighbours(self.kv.most_similar(word[0], topn=k)))
        elif command == "analogy":
            (a, b, c), k = self._args(command, args, 3)
            self.write(format_neighbours(self.kv.most_similar(positive=[b, c], negative=[a], topn=k)))
        elif command == "sim":
            if len(args) != 2:
                raise ValueError(f"sim takes two words (sim A B), got {len(args)}")
            self.write(f"{self.kv.similarity(args[0], args[1]):.4f}")
        else:
            raise ValueError(f"unknown command {command!r}; the commands are nn, analogy, sim, help, quit")
        return True

    def _args(self, command: str, args: list[str], n_words: int) -> tuple[list[str], int]:
        usage = "nn WORD [K]" if command == "nn" else "analogy A B C [K]"
        if len(args) not in (n_words, n_words + 1):
            raise ValueError(f"{command} takes {n_words} word{'s' if n_words > 1 else ''} and an optional K "
                             f"({usage}), got {len(args)} arguments")
        k = self.topn
        if len(args) > n_words:
            try:
                k = int(args[-1])
            except ValueError:
                k = 0
            if k < 1:
                raise ValueError(f"K must be a whole number of 1 or more ({usage}), got {args[-1]!r}")
        return args[:n_words], k


def _terminal_lines(prompt: str) -> Iterable[str]:
    """Lines typed at a terminal (with line editing and history when readline is there)."""
    import importlib

    try:
        importlib.import_module("readline")  # loaded, it gives input() line editing and a history
    except ImportError:  # pragma: no cover - Windows without pyreadline
        pass
    while True:
        try:
            yield input(prompt)
        except EOFError:
            typer.echo("")
            return
        except KeyboardInterrupt:
            typer.echo("")  # Ctrl-C drops the line being typed, as a shell does


TopnOption = Annotated[int, typer.Option("--topn", "-n", min=1, help="K of nn and analogy when a command gives none.")]


def shell(model: ModelArgument, topn: TopnOption = 10, encoding: EncodingOption = "utf-8",
          show_help: HelpOption = False) -> None:
    """Load MODEL once, then answer nn WORD [K], analogy A B C [K] and sim A B from standard input.

    At a terminal it prompts and edits lines; from a pipe it answers one command per line (echo "nn king" | wordvec shell vectors/). A bad command or an unknown word prints one error line and the loop goes on. analogy A B C searches B - A + C (fastText's analogies reads its triplet as A - B + C).
    """
    with user_errors():
        loaded = load_model(model)
        kv = loaded.wv if _is_supervised(loaded) else loaded
        interactive = sys.stdin.isatty()
        if interactive:
            oov = " (unseen words answered through character n-grams)" if getattr(kv, "max_n", 0) > 0 else ""
            typer.echo(f"{model}: {len(kv):,} words x {kv.vector_size} dimensions{oov}. Type help for the commands, "
                       "quit to leave.")
        lines = _terminal_lines("wordvec> ") if interactive else _input_lines(encoding)
        Shell(kv, topn, write=typer.echo, error=lambda msg: typer.echo(msg, err=True)).run(
            lines, name_lines=not interactive)
