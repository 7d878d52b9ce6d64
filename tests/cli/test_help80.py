"""Help texts read at 80 columns: no line too long, nothing cut off, no choice split inside a word.

``wordvec train --help`` lists the command's options and one model's (Word2Vec's, or the model
named by ``--model`` in either order with ``--help``), each with that model's defaults.
"""

from __future__ import annotations

import re
from typing import Annotated

import pytest
import typer
from clitools import plain
from typer.testing import CliRunner

from wordvec.cli._common import DEPRECATED_FORMATS, HelpOption, choice
from wordvec.cli.app import app
from wordvec.config import (ARCHITECTURES, GLOVE_OUTPUTS, LOSSES, MODELS, SVD_SOLVERS, TOKENIZER_NAMES,
                            VECTOR_FORMATS, FastTextConfig, GloVeConfig, PPMISVDConfig, Word2VecConfig, defaults)

#: The help of ``wordvec train`` before it was split by model (243 lines at 80 columns).
OLD_TRAIN_HELP_LINES = 243


def _commands(group, path: tuple[str, ...] = ()) -> list[tuple[list[str], object]]:
    """Every visible command under ``group`` (a click group) as (the words that name it, the command);
    a group comes before its own commands."""
    out = []
    for name, command in sorted(group.commands.items()):
        if getattr(command, "hidden", False):
            continue
        out.append(([*path, name], command))
        if hasattr(command, "commands"):  # a group (classify, elmo): its commands too
            out += _commands(command, (*path, name))
    return out


#: Every command and subcommand the app registers (a new one is covered without a change here).
REGISTERED = _commands(typer.main.get_command(app))
#: The commands (not groups) whose help is printed in two columns (wordvec.cli._common.print_help): all of them.
TWO_COLUMN_HELP = [words for words, command in REGISTERED if not hasattr(command, "commands")]
#: Choices accepted but left out of the help on purpose (old spellings of formats).
UNADVERTISED = set(DEPRECATED_FORMATS)


def _choices(command, text: str) -> list[str]:
    """The values of the choice options of ``command`` that its help ``text`` shows (``wordvec train``
    shows one model's options), which the help should show each one whole."""
    values = []
    for param in command.params:
        if getattr(param, "hidden", False) or not any(re.search(rf"{re.escape(o)}\b(?!-)", text) for o in param.opts):
            continue
        kind = getattr(param, "type", None) or getattr(param, "type_descriptor", None)  # click / typer >= 0.2x
        values += [str(getattr(c, "value", c)) for c in getattr(kind, "choices", None) or ()
                   if str(getattr(c, "value", c)) not in UNADVERTISED]
    return values


def help80(*args: str) -> str:
    result = CliRunner().invoke(app, [*args], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return plain(result.stdout)


def assert_reads_at_80(text: str, choices=()) -> None:
    lines = text.splitlines()
    too_long = [ln for ln in lines if len(ln) > 80]
    assert not too_long, too_long
    assert "…" not in text, [ln for ln in lines if "…" in ln]  # an option name or a word cut off
    assert not [ln for ln in lines if re.search(r"\w\|\w", ln)], "a choice list a|b|c, which wraps inside words"
    for value in choices:  # each choice whole on one line
        assert re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text), value


def test_every_command_is_checked():
    """The walk over the app finds the commands and the groups' commands (it cannot come back empty)."""
    names = {" ".join(words) for words, _ in REGISTERED}
    for expected in ("train", "cooccur", "print-word-vectors", "quantize", "classify", "classify train", "elmo",
                     "elmo train"):
        assert expected in names, expected
    assert len(TWO_COLUMN_HELP) >= 25, TWO_COLUMN_HELP


@pytest.mark.parametrize("command", [words for words, _ in REGISTERED], ids=" ".join)
def test_every_help_reads_at_80_columns(command):
    """No line over 80 characters, no option name or word cut, no choice split inside a word."""
    found = dict((" ".join(words), c) for words, c in REGISTERED)[" ".join(command)]
    text = help80(*command, "--help")
    assert "Usage:" in text
    assert not re.search(r"\.\.\.\W*\.\.\.", text), "an argument's ... doubled (metavar 'X...' of nargs=-1)"
    # rich reads an unescaped [extra] as markup and drops it: "pip install 'wordvec'" would be left
    flat = " ".join(text.replace("│", " ").split())
    assert "install 'wordvec'" not in flat, "an extra lost from a pip install hint (escape it: \\[extra])"
    assert_reads_at_80(text, _choices(found, text))


@pytest.mark.parametrize("command", TWO_COLUMN_HELP, ids=" ".join)
def test_two_column_help_reads_at_80_columns(command):
    text = help80(*command, "--help")
    assert_reads_at_80(text)
    assert "Usage:" in text and "-h, --help" in text  # print_help's row; typer's own reads "--help  -h"
    assert help80(*command, "-h") == text


@pytest.mark.parametrize("model", [None, *MODELS])
def test_train_help_reads_at_80_columns_for_each_model(model):
    text = help80("train", *(["--model", model] if model else []), "--help")
    choices = [*MODELS, *VECTOR_FORMATS, *TOKENIZER_NAMES]
    if model in (None, "word2vec", "fasttext"):
        choices += [*ARCHITECTURES, *LOSSES]
    if model == "glove":
        choices += GLOVE_OUTPUTS
    if model == "ppmi-svd":
        choices += SVD_SOLVERS
    assert_reads_at_80(text, choices)
    assert len(text.splitlines()) <= OLD_TRAIN_HELP_LINES // 2, len(text.splitlines())


def _default_of(text: str, option: str) -> str:
    """The ``[default: ...]`` of ``option``'s row (its help may wrap onto the next lines)."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if re.match(rf"^│\s*(?:-\w, )?{option}\b(?!-)", ln))
    row = [lines[start]]
    for ln in lines[start + 1:]:
        if re.match(r"^│\s*-", ln) or not ln.startswith("│"):
            break
        row.append(ln)
    joined = " ".join(" ".join(ln.strip("│ ").split()) for ln in row)
    return re.search(r"\[default: ([^\]]+)\]", joined).group(1)


def test_train_help_without_model_shows_word2vec_and_says_how_to_see_the_others():
    text = help80("train", "--help")
    assert "Word2Vec options" in text and "GloVe options" not in text
    assert "--model fasttext --help" in " ".join(text.split())
    for option in ("--x-max", "--cds", "--bucket", "--weight-exponent"):  # other models' options
        assert option not in text, option
    assert _default_of(text, "--window") == str(defaults(Word2VecConfig)["window"])


@pytest.mark.parametrize("order", ["model first", "help first", "short -h"])
def test_train_model_glove_help_shows_glove_options_with_glove_defaults(order):
    args = {"model first": ["--model", "glove", "--help"], "help first": ["--help", "--model", "glove"],
            "short -h": ["-h", "--model=glove"]}[order]
    text = help80("train", *args)
    g = defaults(GloVeConfig)
    assert "GloVe options" in text and "Word2Vec options" not in text
    for option in ("--x-max", "--weight-exponent", "--grad-clip", "--glove-output", "--memory", "--window"):
        assert option in text, option
    for option in ("--negative", "--architecture", "--cbow-mean", "--bucket", "--cds", "--init", "--min-alpha"):
        assert option not in text, option  # Word2Vec's, FastText's, PPMI+SVD's; --init continues word2vec/fasttext
    assert _default_of(text, "--window") == str(g["window"])          # 10, not Word2Vec's 5
    assert _default_of(text, "--epochs") == str(g["epochs"])
    assert _default_of(text, "--alpha") == str(g["learning_rate"])    # GloVe's learning rate is --alpha
    assert _default_of(text, "--glove-output") == g["output"]
    assert "-o, --output PATH" in text and "--force, --overwrite" in text  # the command's own options stay


@pytest.mark.parametrize("model, config, own", [("fasttext", FastTextConfig, ["--min-n", "--bucket", "--jamo"]),
                                                ("ppmi-svd", PPMISVDConfig, ["--cds", "--shift", "--eig", "--svd"])])
def test_train_help_of_other_models(model, config, own):
    text = help80("train", "--model", model, "--help")
    for option in own:
        assert option in text, option
    assert _default_of(text, "--window") == str(defaults(config)["window"])
    if model == "fasttext":
        assert _default_of(text, "--alpha") == str(defaults(config)["alpha"])
        assert "--init DIR" in text and "--x-max" not in text


def test_train_help_leaves_the_command_as_it_was():
    """Printing one model's help changes the command's parameters for a moment only."""
    first = help80("train", "--model", "ppmi-svd", "--help")
    assert "--architecture" not in first
    assert "--architecture" in help80("train", "--help")
    assert help80("train", "--model", "ppmi-svd", "--help") == first


def test_train_help_with_an_unknown_model_is_a_usage_error():
    result = CliRunner().invoke(app, ["train", "--model", "bert", "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 2 and "bert" in plain(result.output)


def test_top_level_help_names_every_model_and_command_at_80_columns():
    text = help80("--help")
    assert_reads_at_80(text)
    joined = " ".join(text.split())
    for model in ("Word2Vec", "FastText", "GloVe", "PPMI+SVD", "ELMo"):
        assert model in joined, model
    for command in ("train", "similar", "analogy", "docs", "classify", "phrases", "shell"):
        assert re.search(rf"│ {command}\s", text), command


Colour = choice("Colour", ("red", "green", "blue-green"))


def paint(shade: Annotated[Colour, typer.Option(help="The paint.")] = Colour("red"),
          show_help: HelpOption = False) -> None:
    """Paint."""


def test_choices_without_words_in_the_help_are_listed():
    """An option whose help does not name its choices gets them listed in words, behind NAME."""
    demo = typer.Typer()
    demo.command()(paint)
    result = CliRunner().invoke(demo, ["--help"], env={"COLUMNS": "80"})
    text = " ".join(" ".join(ln.strip("│ ").split()) for ln in plain(result.stdout).splitlines())
    assert "--shade NAME The paint. One of: red, green, blue-green. [default: red]" in text
